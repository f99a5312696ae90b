#pragma once
/// RFC 5322 / RFC 5321 lexical checks shared by composing and message ids.

#include <string>
#include <string_view>

namespace mailgate::mail {

/// RFC 5322 atext: ASCII letters, digits and !#$%&'*+-/=?^_`{|}~
bool is_atext(char c);
/// RFC 5322 dot-atom-text: atext runs joined by single dots, no leading or trailing dot.
bool is_dot_atom_text(std::string_view s);
/// A host name: labels of letters, digits and inner hyphens (at most 63 each) joined by single
/// dots, at most 253 characters; a trailing dot is not accepted.
bool is_host_name(std::string_view s);
/// "[...]" with RFC 5322 dtext inside (printable ASCII except '[', ']' and '\').
bool is_domain_literal(std::string_view s);
/// ASCII case-insensitive equality.
bool iequals_ascii(std::string_view a, std::string_view b);
/// ASCII letters to lower case; other bytes as they are.
std::string lower_ascii(std::string_view s);

}  // namespace mailgate::mail
