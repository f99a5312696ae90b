#include "rules/term.hpp"

#include <charconv>
#include <utility>
#include <vector>

namespace mailgate::rules {
namespace {

// Unit words after the number, lower case, single spaces. Russian accepts every numeral form
// for any number (1 день, 2 дня, 5 дней): a mismatched form is a slip, not a different term.
const std::pair<std::string_view, TermUnit> kUnits[] = {
    {"day", TermUnit::days},
    {"days", TermUnit::days},
    {"calendar day", TermUnit::days},
    {"calendar days", TermUnit::days},
    {"working day", TermUnit::working_days},
    {"working days", TermUnit::working_days},
    {"working hour", TermUnit::working_hours},
    {"working hours", TermUnit::working_hours},
    {"день", TermUnit::days},
    {"дня", TermUnit::days},
    {"дней", TermUnit::days},
    {"календарный день", TermUnit::days},
    {"календарных дня", TermUnit::days},
    {"календарных дней", TermUnit::days},
    {"рабочий день", TermUnit::working_days},
    {"рабочих дня", TermUnit::working_days},
    {"рабочих дней", TermUnit::working_days},
    {"рабочий час", TermUnit::working_hours},
    {"рабочих часа", TermUnit::working_hours},
    {"рабочих часов", TermUnit::working_hours},
};

/// Splits on ASCII blanks and the no-break space (U+00A0, common in pasted Russian text);
/// folds ASCII letters to lower case.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool nbsp = c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0';
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || nbsp) {
      if (nbsp) ++i;
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
      continue;
    }
    word += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

[[noreturn]] void reject(std::string_view text, std::string_view why) {
  throw TermError("\"" + std::string(text) + "\" is not a deadline term (" + std::string(why) +
                  "): write \"N days\", \"N working days\" or \"N working hours\", or in Russian "
                  "\"N дней\", \"N рабочих дней\", \"N рабочих часов\", with N from 1 to " +
                  std::to_string(kMaxTermCount));
}

}  // namespace

Term parse_term(std::string_view text) {
  std::vector<std::string> w = words(text);
  if (w.empty()) reject(text, "it is empty");
  const std::string& number = w[0];
  int count = 0;
  bool digits = number.find_first_not_of("0123456789") == std::string::npos;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), count);
  if (!digits || ec != std::errc() || end != number.data() + number.size()) {
    reject(text, "it must start with a whole number");
  }
  if (count < 1 || count > kMaxTermCount) reject(text, "the number is out of range");
  std::string unit;
  for (std::size_t i = 1; i < w.size(); ++i) unit += (i > 1 ? " " : "") + w[i];
  for (const auto& [name, kind] : kUnits) {
    if (unit == name) return Term{count, kind};
  }
  reject(text, unit.empty() ? "the unit is missing" : "unknown unit \"" + unit + "\"");
}

std::string to_string(const Term& term) {
  std::string n = std::to_string(term.count);
  std::string s = term.count == 1 ? "" : "s";
  switch (term.unit) {
    case TermUnit::days:
      return n + " day" + s;
    case TermUnit::working_days:
      return n + " working day" + s;
    case TermUnit::working_hours:
      return n + " working hour" + s;
  }
  return n;
}

}  // namespace mailgate::rules
