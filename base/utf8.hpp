#pragma once
/// The little UTF-8 the plain-language check needs: decoding code points, Russian and Latin
/// letter classes, lower case with ё folded to е. Invalid bytes decode as U+FFFD one byte at
/// a time, so hostile text never stops the check.

#include <cstddef>
#include <string>
#include <string_view>

namespace mailgate::base::utf8 {

/// Decodes the code point at `pos` and advances `pos` past it.
char32_t next(std::string_view text, std::size_t& pos);

/// Appends the UTF-8 form of `cp`.
void append(std::string& out, char32_t cp);

/// Cyrillic (U+0400–U+04FF) or Latin (ASCII and Latin-1 letters).
bool is_letter(char32_t cp);
bool is_digit(char32_t cp);
bool is_upper(char32_t cp);
/// Lower case of a Cyrillic or Latin letter; anything else unchanged.
char32_t lower(char32_t cp);
/// Russian vowels (а е ё и о у ы э ю я) and Latin vowels (a e i o u y), either case.
bool is_vowel(char32_t cp);

/// Lower case with ё folded to е: the form words are compared in.
std::string fold(std::string_view text);

/// Number of code points (invalid bytes count one each).
std::size_t length(std::string_view text);

/// At most `max_chars` code points of `text`, with "…" appended when it was cut.
std::string truncate(std::string_view text, std::size_t max_chars);

/// At most `max_chars` code points of `text`, always valid UTF-8: a cut never splits a
/// character and invalid bytes become U+FFFD. No mark is added; the caller says it was cut.
/// For text from a letter that ends up in JSON or a log line, where invalid UTF-8 would throw.
std::string truncate_valid(std::string_view text, std::size_t max_chars);

}  // namespace mailgate::base::utf8
