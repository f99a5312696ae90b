#pragma once
/// The one rule for which e-mail addresses the office writes to and accepts as a client's
/// channel. Intake (channels, Reply-To, the client directory) and composition (mail/compose,
/// the SMTP envelope) both ask it, so an address intake accepts is never one composition
/// refuses later (issue 12, item 2: such an address once cost a case its acknowledgement,
/// its officer alert and every officer command).

#include <optional>
#include <string>
#include <string_view>

namespace mailgate::mail {

/// Why `address` (a bare addr-spec, no angle brackets or name) cannot be used, in a few
/// English words; nullopt when it can. The rule: at most 254 octets; a local part of at most
/// 64 octets in RFC 5322 dot-atom form (ASCII, no leading, trailing or double dot; quoted
/// local parts are refused); one '@'; a host name of at least two labels (letters, digits,
/// inner hyphens, at most 63 each), the last at least two characters. Refused as well: IP
/// literals, UTF-8 (we do not speak SMTPUTF8), white space and control characters.
std::optional<std::string> address_problem(std::string_view address);

/// address_problem(address) is nullopt.
bool deliverable_address(std::string_view address);

}  // namespace mailgate::mail
