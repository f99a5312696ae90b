#include "mail/message_id.hpp"

#include <stdexcept>
#include <utility>

#include "mail/charset.hpp"
#include "mail/random.hpp"
#include "mail/syntax.hpp"

namespace mailgate::mail {
namespace {

constexpr std::string_view kPrefix = "mg.";
constexpr std::size_t kRandomBytes = 16;
constexpr std::size_t kTokenBytes = 16;
constexpr std::size_t kMaxMsgId = 250;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_hex(std::string_view s) {
  for (char c : s) {
    if (hex_value(c) < 0) return false;
  }
  return !s.empty();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view without_trailing_dot(std::string_view d) {
  if (!d.empty() && d.back() == '.') d.remove_suffix(1);
  return d;
}

}  // namespace

std::string make_message_id(std::string_view regno, std::string_view domain) {
  return make_message_id(regno, domain, nullptr);
}

std::string make_message_id(std::string_view regno, std::string_view domain,
                            const std::function<std::string(std::string_view random)>& token) {
  if (regno.empty()) throw std::invalid_argument("message id: empty registration number");
  if (!is_host_name(domain)) {
    throw std::invalid_argument("message id: \"" + sanitize_utf8(domain.substr(0, 100)) +
                                "\" is not a host name");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "<";
  id += kPrefix;
  for (char c : regno) {
    auto u = static_cast<unsigned char>(c);
    id += kHex[u >> 4];
    id += kHex[u & 15];
  }
  id += '.';
  std::string random = random_hex(kRandomBytes);
  id += random;
  if (token) {
    id += '.';
    id += token(random);
  }
  id += '@';
  id += domain;
  id += '>';
  if (id.size() > kMaxMsgId) {
    throw std::invalid_argument("message id: registration number too long");
  }
  return id;
}

std::optional<std::string> regno_from_message_id(std::string_view id, std::string_view domain) {
  std::optional<OurMessageId> ours = parse_our_message_id(id, domain);
  if (!ours) return std::nullopt;
  return std::move(ours->regno);
}

std::optional<OurMessageId> parse_our_message_id(std::string_view id, std::string_view domain) {
  id = trim(id);
  if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
  std::size_t at = id.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view right = id.substr(at + 1);
  std::string_view left = id.substr(0, at);
  if (domain.empty() || !iequals_ascii(without_trailing_dot(right), without_trailing_dot(domain))) {
    return std::nullopt;
  }
  if (left.size() < kPrefix.size() || !iequals_ascii(left.substr(0, kPrefix.size()), kPrefix)) {
    return std::nullopt;
  }
  left.remove_prefix(kPrefix.size());
  std::size_t dot = left.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view hex = left.substr(0, dot);
  std::string_view random = left.substr(dot + 1);
  std::string_view token;
  if (std::size_t second = random.find('.'); second != std::string_view::npos) {
    token = random.substr(second + 1);
    random = random.substr(0, second);
    if (token.size() != 2 * kTokenBytes || !is_hex(token)) return std::nullopt;
  }
  if (!is_hex(hex) || hex.size() % 2 != 0) return std::nullopt;
  if (!is_hex(random) || random.size() < 2 * kRandomBytes) return std::nullopt;
  std::string regno;
  regno.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    regno += static_cast<char>(hex_value(hex[i]) * 16 + hex_value(hex[i + 1]));
  }
  if (!is_valid_utf8(regno)) return std::nullopt;
  for (char c : regno) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return std::nullopt;
  }
  return OurMessageId{std::move(regno), std::string(random), std::string(token)};
}

bool is_our_message_id(std::string_view id, std::string_view domain) {
  return regno_from_message_id(id, domain).has_value();
}

bool is_valid_msg_id(std::string_view id) {
  if (id.size() < 5 || id.size() > kMaxMsgId || id.front() != '<' || id.back() != '>') {
    return false;
  }
  std::string_view inner = id.substr(1, id.size() - 2);
  std::size_t at = inner.rfind('@');
  if (at == std::string_view::npos) return false;
  std::string_view left = inner.substr(0, at);
  std::string_view right = inner.substr(at + 1);
  return is_dot_atom_text(left) && (is_dot_atom_text(right) || is_domain_literal(right));
}

std::string msg_id_domain(std::string_view id) {
  id = trim(id);
  if (!id.empty() && id.front() == '<') id.remove_prefix(1);
  std::size_t close = id.find('>');
  if (close != std::string_view::npos) id = id.substr(0, close);
  std::size_t at = id.rfind('@');
  if (at == std::string_view::npos) return {};
  return std::string(trim(id.substr(at + 1)));
}

}  // namespace mailgate::mail
