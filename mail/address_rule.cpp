#include "mail/address_rule.hpp"

#include "mail/syntax.hpp"

namespace mailgate::mail {

std::optional<std::string> address_problem(std::string_view a) {
  if (a.empty()) return "empty";
  if (a.size() > 254) return "longer than 254 characters";
  for (char c : a) {
    auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126) return "contains a space, a control character or a non-ASCII character";
  }
  std::size_t at = a.rfind('@');
  if (at == std::string_view::npos) return "has no @";
  std::string_view local = a.substr(0, at);
  std::string_view domain = a.substr(at + 1);
  if (local.empty()) return "has nothing before @";
  if (local.front() == '"') return "has a quoted local part";
  if (local.find('@') != std::string_view::npos) return "has more than one @";
  if (local.size() > 64) return "has more than 64 characters before @";
  if (!is_dot_atom_text(local)) return "has a malformed part before @ (a dot or a character)";
  if (domain.empty()) return "has no domain";
  if (domain.front() == '[') return "has an IP address for a domain";
  if (!is_host_name(domain)) return "has a malformed domain";
  std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos) return "has a domain without a dot";
  if (domain.size() - dot - 1 < 2) return "has a one-letter top-level domain";
  return std::nullopt;
}

bool deliverable_address(std::string_view address) { return !address_problem(address); }

}  // namespace mailgate::mail
