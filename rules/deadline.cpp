#include "rules/deadline.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace mailgate::rules {

using namespace std::chrono;

namespace {

// Even a provisional year file marking everything off cannot stall the search for long:
// a missing year falls back to a five-day week. This bound only turns a bug into an error.
constexpr int kMaxDaysWithoutWork = 800;

/// Asks the calendar about days and remembers which years it consulted, so the warnings
/// name exactly the years the answer depends on.
class DayWalker {
 public:
  explicit DayWalker(const Calendar& calendar) : calendar_(calendar) {}

  std::optional<OfficeDay> office_day(sys_days day) {
    year_month_day date(day);
    years_.insert(int(date.year()));
    return calendar_.office_day(date);
  }

  /// The first working day on or after `day`.
  std::pair<sys_days, OfficeDay> next_working(sys_days day) {
    for (int i = 0; i < kMaxDaysWithoutWork; ++i, day += days{1}) {
      if (auto od = office_day(day)) return {day, *od};
    }
    throw std::logic_error("calendar: no working day within " +
                           std::to_string(kMaxDaysWithoutWork) + " days");
  }

  std::vector<std::string> warnings() const {
    std::vector<std::string> out;
    for (int y : years_) {
      if (!calendar_.has_year(year(y))) {
        out.push_back("no calendar for " + std::to_string(y) + ": weekends only");
      } else if (calendar_.is_provisional(year(y))) {
        out.push_back(std::to_string(y) + " calendar is provisional");
      }
    }
    return out;
  }

 private:
  const Calendar& calendar_;
  std::set<int> years_;
};

/// A local wall-clock time on a local date, as a UTC time point.
sys_seconds to_utc(sys_days local_day, seconds since_midnight, minutes offset) {
  return sys_seconds(local_day) + since_midnight - offset;
}

/// Counts `remaining` office time from local time `from` on `day`, skipping lunch, evenings,
/// days off and the lost hour of shortened days. Ending exactly at a closing time gives that
/// closing time, not the next opening.
sys_seconds add_office_time(DayWalker& walker, sys_days day, seconds from, seconds remaining,
                            minutes offset) {
  for (;;) {
    auto [d, od] = walker.next_working(day);
    if (d != day) from = seconds{0};
    const std::pair<seconds, seconds> spans[] = {{od.start, od.lunch_start},
                                                 {od.lunch_end, od.end}};
    for (auto [open, close] : spans) {
      seconds start = std::max(open, from);
      if (start >= close) continue;
      if (remaining <= close - start) return to_utc(d, start + remaining, offset);
      remaining -= close - start;
    }
    day = d + days{1};
    from = seconds{0};
  }
}

}  // namespace

Deadline compute_deadline(const Calendar& calendar, sys_seconds registered, const Term& term,
                          const DeadlineSettings& settings) {
  const minutes offset = calendar.utc_offset();
  const sys_seconds local = registered + offset;
  const sys_days reg_day = floor<days>(local);
  DayWalker walker(calendar);
  Deadline out;

  switch (term.unit) {
    case TermUnit::days: {
      sys_days day = reg_day + days{term.count};
      if (auto od = walker.office_day(day)) {
        out.at = to_utc(day, od->end, offset);
      } else if (settings.shift_to_working_day) {
        auto [d, next] = walker.next_working(day);
        out.at = to_utc(d, next.end, offset);
      } else {
        out.at = to_utc(day, hours{24} - seconds{1}, offset);
      }
      break;
    }
    case TermUnit::working_days: {
      sys_days day = reg_day;
      OfficeDay od;
      for (int n = 0; n < term.count; ++n) std::tie(day, od) = walker.next_working(day + days{1});
      out.at = to_utc(day, od.end, offset);
      break;
    }
    case TermUnit::working_hours:
      out.at =
          add_office_time(walker, reg_day, local - sys_seconds(reg_day), hours{term.count}, offset);
      break;
  }
  out.warnings = walker.warnings();
  return out;
}

std::string format_iso8601(sys_seconds at, minutes utc_offset) {
  const sys_seconds local = at + utc_offset;
  const sys_days day = floor<days>(local);
  const year_month_day date(day);
  const hh_mm_ss<seconds> time(local - sys_seconds(day));
  const long off = std::labs(long(utc_offset.count()));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld%c%02ld:%02ld", int(date.year()),
                unsigned(date.month()), unsigned(date.day()), long(time.hours().count()),
                long(time.minutes().count()), long(time.seconds().count()),
                utc_offset < minutes{0} ? '-' : '+', off / 60, off % 60);
  return buf;
}

}  // namespace mailgate::rules
