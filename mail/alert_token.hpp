#pragma once
/// The second factor of an officer's command (docs/SECURITY.md, issue 12 item 7): every mail
/// to a member of staff carries in its Message-ID a token only the office can make — the
/// first 16 bytes of HMAC-SHA256 over (registration number, recipient address, the id's random
/// part) under a key from a credential file. A reply that names such an id in In-Reply-To or
/// References proves the replier saw that very mail, sent to that very person, about that case:
/// a forged From alone cannot produce it, and one officer's alert does not vouch for another.

#include <cstddef>
#include <string>
#include <string_view>

namespace mailgate::mail {

/// The key is at least this long (bytes); a shorter one is refused where it is read.
constexpr std::size_t kMinAlertTokenKey = 32;

/// Lower-case hex of the token (32 characters). `recipient` is compared as lower-case ASCII.
/// Throws std::runtime_error if OpenSSL fails.
std::string alert_token(std::string_view key, std::string_view regno, std::string_view recipient,
                        std::string_view random);

/// A new Message-ID for staff mail about `regno` to `recipient`: "<mg.HEX.RANDOM.TOKEN@domain>"
/// (mail/message_id.hpp); without a key, an ordinary one.
std::string make_staff_message_id(std::string_view regno, std::string_view domain,
                                  std::string_view key, std::string_view recipient);

/// True when `id` is one of ours for `domain`, about `regno`, and its token verifies for
/// `recipient` under `key` (constant-time comparison). False without a key.
bool staff_token_verifies(std::string_view id, std::string_view domain, std::string_view key,
                          std::string_view regno, std::string_view recipient);

}  // namespace mailgate::mail
