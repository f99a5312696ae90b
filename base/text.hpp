#pragma once
/// White space, lines and letter case in Russian mail text, at the byte level of UTF-8.
///
/// Officers and clients write from every kind of mail client: text arrives with NBSPs, a
/// leading BOM, the Unicode spaces word processors insert, CRLF or bare CR line breaks and
/// "Ё" spelled either way. These helpers let a parser compare such text with what it expects
/// without decoding it first. Bytes they do not recognise pass through unchanged, so they
/// never alter text they are not about. Pure, no I/O.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailgate::base {

/// Byte length of the white-space character at `s[i]`, or 0 (also when `i` is past the end).
/// Counts ASCII white space, NBSP, the BOM, U+2000..U+200B, U+202F, U+205F and U+3000:
/// what mail clients put where a person sees a space.
std::size_t space_at(std::string_view s, std::size_t i);

/// `s` without leading / trailing / both white space (space_at's sense).
std::string_view ltrim(std::string_view s);
std::string_view rtrim(std::string_view s);
std::string_view trim(std::string_view s);

/// Nothing but white space (or empty): a line that separates paragraphs.
bool is_blank(std::string_view s);

/// Lower case for ASCII and Russian Cyrillic (А-Я, Ё); every other byte unchanged. Each
/// letter keeps its byte length, so offsets found in the result hold in `s` too. Characters of
/// three and four bytes (a dash, "…", a BOM) and invalid bytes are stepped over whole, so
/// the letters after them are lowered too.
std::string lower_ru(std::string_view s);

/// The form a phrase is compared in: lower_ru, "ё" as "е", every run of white space one
/// ASCII space, trimmed. "  Ещё\u00A0РАЗ " and "еще раз" fold alike.
std::string fold_phrase(std::string_view s);

/// An upper-case letter starts `s`: A-Z, А-Я or Ё (a sentence or a name starts there).
bool starts_upper(std::string_view s);

/// Byte length of the letter at `s[i]` — ASCII or Cyrillic (a D0/D1 lead byte with a byte
/// after it) — or 0 when something else is there. `i` must be inside `s`.
std::size_t letter_at(std::string_view s, std::size_t i);

/// The lines of `text`, breaks dropped; "\r\n", "\r" and "\n" each end a line. A final
/// break gives a final empty line, so joining with "\n" gives the text back with "\n" breaks.
std::vector<std::string> split_lines(std::string_view text);

}  // namespace mailgate::base
