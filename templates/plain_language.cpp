#include "templates/plain_language.hpp"

#include <algorithm>

#include "templates/cliches.hpp"
#include "templates/russian_text.hpp"
#include "templates/sentences.hpp"

namespace mailgate::templates {
namespace {

/// The first words of a sentence in «», for a message.
std::string quote_start(const std::string& text, std::size_t max_words = 8) {
  std::string out;
  std::size_t words = 0;
  std::size_t i = 0;
  while (i < text.size() && words < max_words) {
    std::size_t sp = text.find(' ', i);
    std::string_view chunk =
        std::string_view(text).substr(i, sp == std::string::npos ? std::string::npos : sp - i);
    if (!out.empty()) out += ' ';
    out += chunk;
    ++words;
    if (sp == std::string::npos) {
      i = text.size();
      break;
    }
    i = sp + 1;
  }
  if (i < text.size()) out += "…";
  return "«" + out + "»";
}

std::string words_phrase(long n) {
  return std::to_string(n) + ' ' + plural(n, "слово", "слова", "слов");
}

}  // namespace

LintReport check_plain_language(std::string_view text, const LintSettings& settings,
                                const std::vector<std::string>& cliches) {
  LintReport r;
  r.settings = settings;
  const std::vector<Sentence> sentences = split_sentences(text);
  const ClicheMatcher matcher(cliches);
  for (const Sentence& s : sentences) {
    ++r.sentences;
    r.words += s.words.size();
    for (const TextWord& w : s.words) r.syllables += w.syllables;

    if (s.words.size() > settings.max_sentence_words) {
      r.findings.push_back(
          {FindingKind::long_sentence, s.line,
           "длинное предложение (" + words_phrase(static_cast<long>(s.words.size())) +
               ", не больше " + std::to_string(settings.max_sentence_words) +
               "): " + quote_start(s.text) + " — разделите его на два-три коротких"});
    }
    for (const ClicheHit& hit : matcher.find(s.words)) {
      ++r.cliches;
      std::string found;
      for (std::size_t k = 0; k < hit.count; ++k) {
        if (!found.empty()) found += ' ';
        found += s.words[hit.first + k].text;
      }
      std::string message = "канцеляризм «" + found + "»";
      message += hit.hint.empty() ? " — скажите проще" : " — лучше: " + hit.hint;
      r.findings.push_back({FindingKind::cliche, s.words[hit.first].line, std::move(message)});
    }
    if (is_bare_citation(s, settings.min_explanation_words)) {
      r.findings.push_back({FindingKind::bare_citation, s.line,
                            "ссылка на закон без объяснения: " + quote_start(s.text) +
                                " — объясните простыми словами, что это значит для человека; "
                                "ссылку можно оставить в скобках"});
    }
  }
  if (r.words > 0) {
    const double per_sentence = static_cast<double>(r.words) / static_cast<double>(r.sentences);
    const double per_word = static_cast<double>(r.syllables) / static_cast<double>(r.words);
    r.readability = 206.835 - 1.3 * per_sentence - 60.1 * per_word;
  } else {
    r.readability = 206.835;
  }
  std::stable_sort(r.findings.begin(), r.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.line < b.line; });
  r.readability_ok = r.readability >= settings.min_readability;
  const bool long_or_bare = std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) {
    return f.kind == FindingKind::long_sentence || f.kind == FindingKind::bare_citation;
  });
  r.passed = r.readability_ok && !long_or_bare && r.cliches <= settings.max_cliches;
  return r;
}

namespace {

std::string headline(const LintReport& r) {
  std::string out = "удобочитаемость " + decimal(r.readability, 1) + " (нужно не меньше " +
                    decimal(r.settings.min_readability, 1) + ")";
  if (!r.readability_ok) {
    out += ", текст трудно читать: сократите предложения, замените длинные слова короткими";
  }
  if (r.sentences > 0) {
    const double per_sentence = static_cast<double>(r.words) / static_cast<double>(r.sentences);
    out += "; предложений: " + std::to_string(r.sentences) + ", слов: " + std::to_string(r.words) +
           ", в среднем " + decimal(per_sentence, 1) + " слова в предложении";
  }
  if (r.cliches > 0) {
    out += "; канцеляризмов: " + std::to_string(r.cliches) + " (можно не больше " +
           std::to_string(r.settings.max_cliches) + ")";
  }
  return out;
}

}  // namespace

std::string format_report(const LintReport& r, std::string_view file_label) {
  const std::string label(file_label);
  std::string out = (label.empty() ? "" : label + ": ") + headline(r) + " — " +
                    (r.passed ? "проверка пройдена" : "проверка не пройдена") + "\n";
  for (const Finding& f : r.findings) {
    out +=
        label.empty() ? "строка " + std::to_string(f.line) : label + ':' + std::to_string(f.line);
    out += ": " + f.message + "\n";
  }
  return out;
}

std::string summarize_report(const LintReport& r) {
  std::string out = headline(r);
  for (const Finding& f : r.findings) {
    out += "; строка " + std::to_string(f.line) + ": " + f.message;
  }
  return out;
}

}  // namespace mailgate::templates
