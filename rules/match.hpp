#pragma once
/// Testing conditions against one prepared appeal, and saying in Russian why a condition
/// held. Matching is on the hot path (every rule); explaining runs only for rules that fired.
/// Work that several rules share — the regex scan of a field, the arrival time, similarity
/// to past cases — is done once, on first use, and kept for the rest of the evaluation.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rules/calendar.hpp"
#include "rules/near_date.hpp"
#include "rules/prepared.hpp"
#include "rules/rule.hpp"

namespace mailgate::rules {

class Matcher {
 public:
  Matcher(const RuleSet& rules, const PreparedAppeal& appeal, const Calendar& calendar);

  bool matches(const Condition& c);
  /// Why `c` holds, in words an officer reads: «найдены слова: «справку о доходах»».
  /// Only meaningful when matches(c) is true.
  std::string explain(const Condition& c);

  /// The local (office) date and time of arrival.
  std::chrono::year_month_day local_date() const { return local_date_; }

 private:
  struct PhraseHit {
    const PreparedField* field;
    std::size_t from, to;  ///< word positions
  };
  std::optional<PhraseHit> find_phrase(const Phrase& p, const PreparedField& field) const;
  std::optional<PhraseHit> find_phrase(const Phrase& p, TextField where) const;
  bool regex_matches(const Condition& c);
  const std::vector<double>& similarities();
  const std::optional<NearDate>& near_date(int days);
  std::string describe(const Condition& c) const;
  int messages_within(int days) const;
  /// The attachments a condition looks at (for type and name: nested ones too).
  const std::vector<mail::Attachment>& attachments() const;

  const RuleSet& rules_;
  const PreparedAppeal& appeal_;
  const Calendar& calendar_;
  std::chrono::year_month_day local_date_;
  std::chrono::minutes local_time_{};
  std::optional<OfficeDay> office_day_;

  std::optional<std::vector<bool>> subject_regex_, body_regex_;
  std::optional<std::vector<double>> similarities_;
  std::map<int, std::optional<NearDate>> near_dates_;
};

}  // namespace mailgate::rules
