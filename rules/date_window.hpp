#pragma once
/// A window of the year such as the declaration campaign, written "MM-DD..MM-DD" (both ends
/// included). A window may wrap the new year ("12-01..01-31"); a year whose dates differ
/// (2020: declarations due 1 August by decree) has an override for that year.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mailgate::rules {

struct MonthDay {
  unsigned month = 1;
  unsigned day = 1;
};

struct YearWindow {
  MonthDay first;
  MonthDay last;
  bool wraps() const {
    return last.month < first.month || (last.month == first.month && last.day < first.day);
  }
};

struct DateWindow {
  YearWindow usual;
  std::map<int, YearWindow> overrides;  ///< by the year the window starts in

  /// Whether the local date falls inside the window of its own year or inside a window that
  /// started the year before and wraps into this one.
  bool contains(std::chrono::year_month_day date) const;
  /// The window that contains `date`, as text for an explanation: "10.02–30.04".
  std::string describe(std::chrono::year_month_day date) const;
  /// The usual window as text, "10.02–30.04".
  std::string describe() const;
};

/// Parses "MM-DD..MM-DD"; nullopt for anything else. 02-29 is accepted (it means the last day
/// of February in a common year).
std::optional<YearWindow> parse_year_window(std::string_view text);

}  // namespace mailgate::rules
