#pragma once
/// Deadline arithmetic on the business calendar (59-FZ terms, counted as the Civil Code
/// counts periods). Times are UTC time points; the calendar's fixed UTC offset gives the
/// office's local dates and hours.

#include <chrono>
#include <string>
#include <vector>

#include "rules/calendar.hpp"
#include "rules/term.hpp"

namespace mailgate::rules {

struct DeadlineSettings {
  /// A "N days" deadline falling on a day off moves to the next working day (Civil Code
  /// art. 193 by analogy; unconfirmed for appeals, hence a setting).
  bool shift_to_working_day = true;
};

struct Deadline {
  std::chrono::sys_seconds at;
  /// For the caller to log: "2027 calendar is provisional", "no calendar for 2028: weekends
  /// only" — one per year whose days the computation consulted.
  std::vector<std::string> warnings;
};

/// The moment the term runs out for an appeal registered at `registered`:
///  - N days: the end of office hours on the registration date + N (moved to the next working
///    day if that is a day off and the setting is on; a day off kept as the deadline ends at
///    23:59:59 local time);
///  - N working days: the end of office hours on the N-th working day after the registration
///    date;
///  - N working hours: N hours of office time counted from the registration moment, or from
///    the next opening or lunch end if it falls outside office time.
/// Never throws for a missing year: it falls back to a five-day week and warns.
Deadline compute_deadline(const Calendar& calendar, std::chrono::sys_seconds registered,
                          const Term& term, const DeadlineSettings& settings = {});

/// "2026-02-11T18:00:00+03:00": the time point as local time at the given offset.
std::string format_iso8601(std::chrono::sys_seconds at, std::chrono::minutes utc_offset);

}  // namespace mailgate::rules
