// Calendar queries. Loading and validation of the data files is in calendar_load.cpp.
#include "rules/calendar.hpp"

#include <algorithm>

namespace mailgate::rules {

using namespace std::chrono;

const CalendarYear* Calendar::year_of(sys_days day) const {
  auto it = years_.find(int(year_month_day(day).year()));
  return it == years_.end() ? nullptr : &it->second;
}

bool Calendar::is_provisional(year y) const {
  auto it = years_.find(int(y));
  return it != years_.end() && it->second.provisional;
}

std::string Calendar::source(year y) const {
  auto it = years_.find(int(y));
  return it == years_.end() ? std::string() : it->second.source;
}

bool Calendar::is_working_day(year_month_day date) const {
  sys_days day(date);
  bool weekend = weekday(day).iso_encoding() >= 6;
  const CalendarYear* y = year_of(day);
  if (y == nullptr) return !weekend;  // no data: a plain five-day week
  if (weekend) return y->working_days.count(day) != 0;
  return y->holidays.count(day) == 0;
}

bool Calendar::is_shortened(year_month_day date) const {
  const CalendarYear* y = year_of(sys_days(date));
  return y != nullptr && y->shortened.count(sys_days(date)) != 0;
}

std::optional<OfficeDay> Calendar::office_day(year_month_day date) const {
  if (!is_working_day(date)) return std::nullopt;
  unsigned iso = weekday(sys_days(date)).iso_encoding();  // 1 = Monday
  std::size_t slot = iso <= 5 ? iso - 1 : 5;
  OfficeDay d;
  d.shortened = is_shortened(date);
  d.start = hours_.open[slot];
  d.end = hours_.close[slot] - (d.shortened ? hours_.shortened_by : minutes{0});
  // A shortened day may close before or during lunch; clip the break so that the day is
  // always start <= lunch_start <= lunch_end <= end.
  d.lunch_start = std::clamp(hours_.lunch_start, d.start, d.end);
  d.lunch_end = std::clamp(hours_.lunch_end, d.lunch_start, d.end);
  return d;
}

}  // namespace mailgate::rules
