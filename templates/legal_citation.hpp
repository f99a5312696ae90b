#pragma once
/// References to legal acts, and whether a sentence explains anything besides them.
///
/// A client must understand a refusal or a notice without opening a law (R11): a citation may
/// accompany an explanation in plain words, never replace it. A sentence cites a legal act
/// when it has a numbered article, part or point ("ст. 11", "части 3", "п. 4"), a law number
/// ("№ 59-ФЗ", "59-ФЗ"), or names a law, code or decree ("Федерального закона",
/// "законодательству", "Гражданского кодекса", "постановлением"). Its explaining words are
/// the words left after taking away the citation itself (numbers, article words, quoted act
/// titles, "в соответствии с", "согласно", "на основании", "руководствуясь" ...), function
/// words and the words that only name the outcome ("обращение", "ответ", "отказано",
/// "оставлено", "рассмотрения" ...). Fewer than `min_explanation_words` of them: the sentence
/// is a bare citation.

#include <cstddef>
#include <string_view>

#include "templates/sentences.hpp"

namespace mailgate::templates {

struct CitationFacts {
  bool cites = false;                 ///< refers to a legal act
  std::size_t explanation_words = 0;  ///< words that say something in plain language
};

CitationFacts analyse_citation(const Sentence& sentence);

/// A sentence that cites a legal act and explains nothing besides.
bool is_bare_citation(const Sentence& sentence, std::size_t min_explanation_words);

/// For the grounds of a refusal: true when the text cites a legal act and no sentence of it
/// explains anything in plain words (each has fewer than `min_explanation_words` explaining
/// words). A text without any citation gives false: that check belongs elsewhere.
bool only_legal_citations(std::string_view grounds, std::size_t min_explanation_words = 2);

}  // namespace mailgate::templates
