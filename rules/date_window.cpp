#include "rules/date_window.hpp"

#include <charconv>
#include <cstdio>

namespace mailgate::rules {

using namespace std::chrono;

namespace {

std::optional<MonthDay> parse_month_day(std::string_view s) {
  unsigned m = 0, d = 0;
  if (s.size() != 5 || s[2] != '-') return std::nullopt;
  auto digits = [](std::string_view p, unsigned& out) {
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return false;
    return std::from_chars(p.data(), p.data() + 2, out).ec == std::errc();
  };
  if (!digits(s.substr(0, 2), m) || !digits(s.substr(3, 2), d)) return std::nullopt;
  // Checked against a leap year so that 02-29 is a valid end of February.
  if (!year_month_day{year(2024), month(m), day(d)}.ok()) return std::nullopt;
  return MonthDay{m, d};
}

/// The day a month-day falls on in year `y`; 02-29 of a common year is 28 February.
sys_days on(MonthDay md, int y) {
  year_month_day date{year(y), month(md.month), day(md.day)};
  if (!date.ok()) date = year_month_day_last{year(y), month_day_last{month(md.month)}};
  return sys_days(date);
}

const YearWindow& window_of(const DateWindow& w, int y) {
  auto it = w.overrides.find(y);
  return it == w.overrides.end() ? w.usual : it->second;
}

/// The window that starts in year `y`, as two days.
std::pair<sys_days, sys_days> span(const YearWindow& w, int y) {
  return {on(w.first, y), on(w.last, w.wraps() ? y + 1 : y)};
}

std::string text(const YearWindow& w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02u.%02u–%02u.%02u", w.first.day, w.first.month, w.last.day,
                w.last.month);
  return buf;
}

/// The year whose window holds `date`, if any.
std::optional<int> holding_year(const DateWindow& w, year_month_day date) {
  sys_days d(date);
  int y = int(date.year());
  for (int start : {y, y - 1}) {
    auto [first, last] = span(window_of(w, start), start);
    if (first <= d && d <= last) return start;
  }
  return std::nullopt;
}

}  // namespace

std::optional<YearWindow> parse_year_window(std::string_view s) {
  auto dots = s.find("..");
  if (dots == std::string_view::npos) return std::nullopt;
  auto first = parse_month_day(s.substr(0, dots));
  auto last = parse_month_day(s.substr(dots + 2));
  if (!first || !last) return std::nullopt;
  return YearWindow{*first, *last};
}

bool DateWindow::contains(year_month_day date) const {
  return holding_year(*this, date).has_value();
}

std::string DateWindow::describe(year_month_day date) const {
  auto y = holding_year(*this, date);
  return text(y ? window_of(*this, *y) : usual);
}

std::string DateWindow::describe() const { return text(usual); }

}  // namespace mailgate::rules
