#pragma once
/// The business calendar: which dates are working days (the Russian production calendar, one
/// data file per year) and the office hours of each working day. Pure logic: the caller reads
/// the files and passes their contents, so this module does no I/O and needs no tz database
/// (the office's UTC offset is data, Moscow having had no DST since 2014).

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace mailgate::rules {

/// A data file as the caller read it; the name only appears in error messages.
struct SourceFile {
  std::string name;
  std::string contents;
};

/// A data file error, "file:line:column: reason", ready to print to the administrator.
class CalendarError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Office hours of one working day, as local times since midnight. `end` already accounts
/// for a shortened day; the lunch break may be empty if a shortened day ends before it.
struct OfficeDay {
  std::chrono::minutes start{};
  std::chrono::minutes lunch_start{};
  std::chrono::minutes lunch_end{};
  std::chrono::minutes end{};
  bool shortened = false;
};

/// The weekly office schedule from office_hours.toml.
struct OfficeHours {
  std::string time_zone;              ///< informational, e.g. "Europe/Moscow"
  std::chrono::minutes utc_offset{};  ///< local = UTC + utc_offset
  std::chrono::minutes lunch_start{};
  std::chrono::minutes lunch_end{};
  std::chrono::minutes shortened_by{};
  /// Opening and closing per ISO weekday Monday..Friday (index 0..4), then index 5 for a
  /// Saturday or Sunday the production calendar makes a working day.
  std::chrono::minutes open[6]{};
  std::chrono::minutes close[6]{};
};

/// One year of the production calendar.
struct CalendarYear {
  bool provisional = false;
  std::string source;                            ///< the decree, for the administrator
  std::set<std::chrono::sys_days> holidays;      ///< days off beyond Saturdays and Sundays
  std::set<std::chrono::sys_days> working_days;  ///< Saturdays/Sundays that are worked
  std::set<std::chrono::sys_days> shortened;     ///< working days cut by shortened_by
};

class Calendar {
 public:
  /// Parses and validates the office hours and any number of year files; throws
  /// CalendarError naming the file, line and column of the first problem.
  static Calendar load(const SourceFile& office_hours, const std::vector<SourceFile>& years);

  /// A year without a file falls back to a plain five-day week (check has_year and warn).
  bool has_year(std::chrono::year y) const { return years_.count(int(y)) != 0; }
  bool is_provisional(std::chrono::year y) const;
  /// The decree the year's file cites; empty for a missing year.
  std::string source(std::chrono::year y) const;

  bool is_working_day(std::chrono::year_month_day date) const;
  bool is_shortened(std::chrono::year_month_day date) const;
  /// The office hours of a working day; nullopt on a day off.
  std::optional<OfficeDay> office_day(std::chrono::year_month_day date) const;

  const OfficeHours& office_hours() const { return hours_; }
  std::chrono::minutes utc_offset() const { return hours_.utc_offset; }

 private:
  const CalendarYear* year_of(std::chrono::sys_days day) const;

  OfficeHours hours_;
  std::map<int, CalendarYear> years_;
};

}  // namespace mailgate::rules
