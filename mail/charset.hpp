#pragma once
/// Charset names, conversion to UTF-8 (glibc iconv) and detection of undeclared charsets.
///
/// Russian mail arrives in utf-8, windows-1251, koi8-r and a handful of rarer encodings, often
/// mislabelled or not labelled at all (raw 8-bit headers, text parts without a charset
/// parameter). Every function here is linear in its input and never throws on bad bytes: what
/// cannot be converted becomes U+FFFD.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailgate::mail {

/// The iconv name for a MIME charset label ("win-1251" -> "WINDOWS-1251", "utf8" -> "UTF-8"),
/// or "" when neither our alias table nor iconv knows the label. Labels are matched
/// case-insensitively; quotes, white space and an RFC 2231 language suffix ("utf-8*ru") are
/// ignored. latin-1 maps to WINDOWS-1252, its superset, as browsers do.
std::string canonical_charset(std::string_view label);

bool is_ascii(std::string_view bytes);
bool is_valid_utf8(std::string_view bytes);

/// Guesses the charset of undeclared bytes: "US-ASCII" for 7-bit input, "UTF-8" when the bytes
/// are valid UTF-8, otherwise "WINDOWS-1251" or "KOI8-R" by Russian letter and letter-pair
/// frequencies and letter case. `hint` (a canonical name, e.g. the body's declared charset)
/// wins a close call between those two, and is taken as is when it is any other 8-bit
/// charset. 8-bit letters mostly inside Latin words ("J\xFCrgen") give "WINDOWS-1252".
std::string detect_charset(std::string_view bytes, std::string_view hint = {});

/// Converts `bytes` from `canonical` (a canonical_charset() result) to UTF-8. Undecodable
/// sequences become U+FFFD. nullopt only when iconv cannot open the charset.
std::optional<std::string> convert_to_utf8(std::string_view bytes, std::string_view canonical);

/// Replaces every invalid UTF-8 sequence by U+FFFD.
std::string sanitize_utf8(std::string_view bytes);

/// The bytes as UTF-8 text, the way a person would read them: the declared charset when it is
/// known and fits the bytes, otherwise a detected one (noted in `defects`, prefixed by `what`).
std::string to_utf8(std::string_view bytes, std::string_view declared_label,
                    std::vector<std::string>* defects = nullptr, std::string_view what = {},
                    std::string_view hint = {});

/// Appends the UTF-8 form of a code point (invalid ones as U+FFFD).
void append_utf8(std::string& out, char32_t cp);

}  // namespace mailgate::mail
