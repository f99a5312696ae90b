#pragma once
/// Message-IDs of our outgoing mail, which carry the registration number of the case.
///
/// Form: "<mg.HEX.RANDOM@domain>", where HEX is the lower-case hex of the registration number's
/// UTF-8 bytes (reversible, ASCII only, survives case changes) and RANDOM is 32 hex digits (16
/// bytes from OpenSSL's RAND_bytes), so ids cannot be guessed or collide. "УПК-2026-000123"
/// becomes "<mg.d0a3d09fd09a2d323032362d303030313233.5f0c...@mail.example>". A reply's
/// In-Reply-To / References then lead back to the case without a database lookup, and loop
/// detection can tell our own mail by the domain.
///
/// Mail to staff carries a fourth part, "<mg.HEX.RANDOM.TOKEN@domain>": TOKEN is 32 hex digits
/// that prove who the mail was sent to (mail/alert_token.hpp). Both forms are ours.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace mailgate::mail {

/// A new id for mail about case `regno` (non-empty UTF-8) sent from `domain` (a host name).
/// Throws std::invalid_argument for an empty regno or a domain that is not a host name.
std::string make_message_id(std::string_view regno, std::string_view domain);
/// The same with a token: `token` gets the random part and returns the TOKEN (hex).
std::string make_message_id(std::string_view regno, std::string_view domain,
                            const std::function<std::string(std::string_view random)>& token);

/// The parts of one of our Message-IDs.
struct OurMessageId {
  std::string regno;
  std::string random;  ///< as written
  std::string token;   ///< as written; empty when the id carries none
};

/// The parts of `id` if it is one of ours for `domain` (as regno_from_message_id).
std::optional<OurMessageId> parse_our_message_id(std::string_view id, std::string_view domain);

/// The registration number inside `id` if it is one of ours for `domain` (domain compared
/// case-insensitively; angle brackets and surrounding white space optional), else nullopt.
std::optional<std::string> regno_from_message_id(std::string_view id, std::string_view domain);

/// True if `id` is one of ours for `domain` (regno_from_message_id would find a number).
bool is_our_message_id(std::string_view id, std::string_view domain);

/// True if `id` is one well-formed RFC 5322 msg-id: "<" dot-atom-text "@" (dot-atom-text or
/// "[" dtext "]") ">", printable ASCII, at most 250 characters.
bool is_valid_msg_id(std::string_view id);

/// The domain of a msg-id ("<a@B.example>" -> "B.example"), without brackets; empty if none.
std::string msg_id_domain(std::string_view id);

}  // namespace mailgate::mail
