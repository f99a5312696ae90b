#pragma once
/// Words and sentences of a Russian text, as the plain-language check counts them.
///
/// A word is a run of letters and digits; a hyphen inside it keeps it whole ("кто-то",
/// "59-ФЗ"), and so do dots, commas, colons and slashes between digits ("02.05.2006",
/// "9:00"). A URL or an e-mail address is one short word (one syllable): it is read as a
/// whole and must not make a sentence look hard.
///
/// A sentence ends at ".", "!", "?" or "…" followed by a space and a capital letter, a digit
/// or the end of the text, but not after abbreviations that always have something after them
/// ("г. Санкт-Петербург", "ст. 11", "п. 3", "т. е.", "см.") nor after initials ("И. И.
/// Иванов"); a dot inside a word, URL or address never ends one. Lines count too: a list item
/// ("- ...", "1. ...", "• ...") is a sentence of its own, so is a line followed by an empty line,
/// and a line without a final stop ends a sentence when the next line starts with a capital
/// letter (a heading, a label such as "Телефон: ..."). A line cut in the middle of a sentence
/// (the next line starts in lower case) does not end it.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailgate::templates {

struct TextWord {
  std::string text;                ///< as written
  std::string folded;              ///< lower case, ё as е
  std::size_t line = 0;            ///< 1-based line of the text
  std::size_t syllables = 0;       ///< vowels; 1 for a number or a link
  bool number = false;             ///< starts with a digit ("28", "59-ФЗ", "02.05.2006")
  bool link = false;               ///< URL or e-mail address
  bool after_number_sign = false;  ///< written right after "№"
  bool quoted = false;             ///< inside «...» or "..."
};

struct Sentence {
  std::size_t line = 0;  ///< where it starts
  std::string text;      ///< as written, spaces and line breaks collapsed to one space
  std::vector<TextWord> words;
};

/// Sentences with at least one word, in text order.
std::vector<Sentence> split_sentences(std::string_view utf8_text);

}  // namespace mailgate::templates
