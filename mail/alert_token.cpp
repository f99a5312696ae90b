#include "mail/alert_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "mail/message_id.hpp"
#include "mail/syntax.hpp"

namespace mailgate::mail {
namespace {

constexpr std::size_t kTokenBytes = 16;

}  // namespace

std::string alert_token(std::string_view key, std::string_view regno, std::string_view recipient,
                        std::string_view random) {
  // NUL separators: no field can contain one, so (a, bc) and (ab, c) never collide.
  std::string data(regno);
  data += '\0';
  data += lower_ascii(recipient);
  data += '\0';
  data += lower_ascii(random);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len) == nullptr ||
      len < kTokenBytes) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * kTokenBytes);
  for (std::size_t i = 0; i < kTokenBytes; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string make_staff_message_id(std::string_view regno, std::string_view domain,
                                  std::string_view key, std::string_view recipient) {
  if (key.empty()) return make_message_id(regno, domain);
  return make_message_id(regno, domain, [&](std::string_view random) {
    return alert_token(key, regno, recipient, random);
  });
}

bool staff_token_verifies(std::string_view id, std::string_view domain, std::string_view key,
                          std::string_view regno, std::string_view recipient) {
  if (key.empty()) return false;
  std::optional<OurMessageId> ours = parse_our_message_id(id, domain);
  if (!ours || ours->token.empty() || ours->regno != regno) return false;
  std::string expected = alert_token(key, regno, recipient, ours->random);
  std::string given = lower_ascii(ours->token);
  return given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

}  // namespace mailgate::mail
