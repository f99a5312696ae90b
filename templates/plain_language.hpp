#pragma once
/// The plain-language check (R9): is a Russian text easy to read? It measures readability
/// (Oborneva's adaptation of the Flesch formula), finds over-long sentences, канцеляризмы and
/// clichés, and sentences that cite a legal act without explaining it. Used on the shipped
/// templates at load time (rendered with sample data) and by `mailgate lint-text`.
/// Thresholds and their reasons: docs/templates.md.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "templates/legal_citation.hpp"

namespace mailgate::templates {

/// Thresholds; the daemon reads them from the config section [plain_language] under these
/// names.
struct LintSettings {
  /// Lowest acceptable readability (FRE, higher is easier). Short letters in plain Russian
  /// score 45–70; official letters full of verbal nouns score below 20.
  double min_readability = 40.0;
  /// Longest acceptable sentence, in words.
  std::size_t max_sentence_words = 25;
  /// How many канцеляризмы a text may keep; each one can be said more simply.
  std::size_t max_cliches = 0;
  /// A sentence that cites a law needs at least this many words of its own to explain it
  /// ("нет подписи" is two).
  std::size_t min_explanation_words = 2;
};

enum class FindingKind {
  long_sentence,
  cliche,
  bare_citation,
};

struct Finding {
  FindingKind kind = FindingKind::long_sentence;
  std::size_t line = 0;  ///< 1-based line of the checked text
  std::string message;   ///< in Russian, for the person who wrote the text
};

struct LintReport {
  /// FRE = 206.835 − 1.3 × words/sentences − 60.1 × syllables/words (206.835 for a text
  /// without words).
  double readability = 0;
  std::size_t sentences = 0;
  std::size_t words = 0;
  std::size_t syllables = 0;
  std::size_t cliches = 0;
  bool readability_ok = true;
  std::vector<Finding> findings;  ///< by line
  bool passed = true;
  LintSettings settings;  ///< the thresholds the text was checked against
};

/// Checks one text. `cliches` are entries as parse_cliche_list() gives them.
LintReport check_plain_language(std::string_view utf8_text, const LintSettings& settings,
                                const std::vector<std::string>& cliches);

/// The report in Russian: a first line with the readability, the averages and the verdict,
/// then "FILE:LINE: message" for every finding.
std::string format_report(const LintReport& report, std::string_view file_label);

/// The verdict and the findings in one line ("удобочитаемость 32,0 (нужно не меньше 40,0);
/// строка 3: ..."), for an error message.
std::string summarize_report(const LintReport& report);

}  // namespace mailgate::templates
