// Loading and validating the calendar data files (rules/calendar/*.toml). Administrators edit
// these by hand every year, so every mistake is reported as "file:line:column: reason" at the
// exact value, and anything suspicious (an unknown key, a date from another year, a date listed
// twice, a contradiction between lists) is an error rather than silently ignored.
#include <toml++/toml.h>
#include <charconv>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>

#include "rules/calendar.hpp"

namespace mailgate::rules {

using namespace std::chrono;

namespace {

const char* const kWeekdayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

[[noreturn]] void fail_at(const std::string& file, const toml::source_region& at,
                          const std::string& reason) {
  // Missing keys have no position of their own; point at the start of the file.
  auto line = at.begin.line == 0 ? 1u : at.begin.line;
  auto column = at.begin.column == 0 ? 1u : at.begin.column;
  throw CalendarError(file + ':' + std::to_string(line) + ':' + std::to_string(column) + ": " +
                      reason);
}

/// Parses one file and reports its problems.
class FileReader {
 public:
  explicit FileReader(const SourceFile& file) : name_(file.name) {
    try {
      root_ = toml::parse(std::string_view(file.contents), std::string_view(file.name));
    } catch (const toml::parse_error& e) {
      fail(e.source(), std::string(e.description()));
    }
  }

  const toml::table& root() const { return root_; }

  [[noreturn]] void fail(const toml::source_region& at, const std::string& reason) const {
    fail_at(name_, at, reason);
  }

  /// Every key of `table` must be one of `known`; `where` names the table in the message.
  void check_keys(const toml::table& table, const std::set<std::string_view>& known,
                  const std::string& where) const {
    for (const auto& [key, value] : table) {
      if (known.count(key.str()) == 0) {
        fail(key.source(), "unknown key \"" + std::string(key.str()) + "\"" + where);
      }
    }
  }

  const toml::node& require(const toml::table& table, std::string_view key) const {
    const toml::node* n = table.get(key);
    if (n == nullptr) fail(table.source(), "missing key \"" + std::string(key) + "\"");
    return *n;
  }

  std::string string(const toml::node& n, std::string_view key) const {
    if (!n.is_string()) fail(n.source(), std::string(key) + " must be a string in quotes");
    return n.as_string()->get();
  }

 private:
  std::string name_;
  toml::table root_;
};

bool parse_uint(std::string_view s, unsigned& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc();
}

/// "HH:MM" as minutes since midnight.
std::optional<minutes> parse_clock(std::string_view s) {
  unsigned h = 0, m = 0;
  if (s.size() != 5 || s[2] != ':' || !parse_uint(s.substr(0, 2), h) ||
      !parse_uint(s.substr(3, 2), m) || h > 23 || m > 59) {
    return std::nullopt;
  }
  return hours(h) + minutes(m);
}

/// "HH:MM-HH:MM", start before end.
std::pair<minutes, minutes> parse_span(const FileReader& r, const toml::node& n,
                                       std::string_view key) {
  std::string s = r.string(n, key);
  auto dash = s.find('-');
  auto from = dash == std::string::npos ? std::nullopt : parse_clock(s.substr(0, dash));
  auto to = dash == std::string::npos ? std::nullopt : parse_clock(s.substr(dash + 1));
  if (!from || !to) {
    r.fail(n.source(),
           std::string(key) + ": \"" + s + "\" is not a time span like \"09:00-18:00\"");
  }
  if (*from >= *to) r.fail(n.source(), std::string(key) + ": \"" + s + "\" ends before it starts");
  return {*from, *to};
}

/// "+03:00" / "-05:30".
minutes parse_offset(const FileReader& r, const toml::node& n) {
  std::string s = r.string(n, "utc_offset");
  auto clock =
      s.size() == 6 && (s[0] == '+' || s[0] == '-') ? parse_clock(s.substr(1)) : std::nullopt;
  if (!clock || *clock > hours(14)) {
    r.fail(n.source(), "utc_offset: \"" + s + "\" is not an offset like \"+03:00\"");
  }
  return s[0] == '-' ? -*clock : *clock;
}

/// "YYYY-MM-DD".
std::optional<year_month_day> parse_date(std::string_view s) {
  unsigned y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !parse_uint(s.substr(0, 4), y) ||
      !parse_uint(s.substr(5, 2), m) || !parse_uint(s.substr(8, 2), d)) {
    return std::nullopt;
  }
  year_month_day date{year(int(y)), month(m), day(d)};
  if (!date.ok()) return std::nullopt;
  return date;
}

std::string iso(sys_days day) {
  year_month_day d(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()),
                unsigned(d.day()));
  return buf;
}

/// A list of dates as written: each element is "YYYY-MM-DD" or a range
/// "YYYY-MM-DD..YYYY-MM-DD" (a TOML date literal is accepted too). Remembers where each day
/// came from so that later checks can point at it.
using DayList = std::map<sys_days, toml::source_region>;

DayList read_days(const FileReader& r, const toml::table& root, std::string_view key,
                  int file_year) {
  DayList listed;
  const toml::node* n = root.get(key);
  if (n == nullptr) return listed;
  if (!n->is_array()) r.fail(n->source(), std::string(key) + " must be a list: [\"...\", ...]");
  for (const toml::node& item : *n->as_array()) {
    std::optional<year_month_day> first, last;
    std::string text;
    if (item.is_date()) {
      toml::date d = item.as_date()->get();
      first = last = year_month_day{year(d.year), month(d.month), day(d.day)};
      text = iso(sys_days(*first));
    } else if (item.is_string()) {
      text = item.as_string()->get();
      auto dots = text.find("..");
      first = parse_date(text.substr(0, dots));
      last = dots == std::string::npos ? first : parse_date(text.substr(dots + 2));
    } else {
      r.fail(item.source(), std::string(key) + ": each element must be a date in quotes");
    }
    if (!first || !last) {
      r.fail(item.source(),
             std::string(key) + ": \"" + text +
                 "\" is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD)");
    }
    if (int(first->year()) != file_year || int(last->year()) != file_year) {
      r.fail(item.source(), std::string(key) + ": \"" + text + "\" is outside the year " +
                                std::to_string(file_year));
    }
    if (sys_days(*first) > sys_days(*last)) {
      r.fail(item.source(), std::string(key) + ": \"" + text + "\" ends before it starts");
    }
    for (sys_days d = sys_days(*first); d <= sys_days(*last); d += days{1}) {
      auto [it, fresh] = listed.emplace(d, item.source());
      if (!fresh) {
        r.fail(item.source(), std::string(key) + ": " + iso(d) + " is listed twice (also at line " +
                                  std::to_string(it->second.begin.line) + ")");
      }
    }
  }
  return listed;
}

bool is_weekend(sys_days d) { return weekday(d).iso_encoding() >= 6; }

struct LoadedYear {
  int year = 0;
  toml::source_region year_at;  ///< where `year = ...` is, for the duplicate-year error
  CalendarYear data;
};

LoadedYear load_year(const SourceFile& file) {
  FileReader r(file);
  const toml::table& root = r.root();
  r.check_keys(root, {"year", "provisional", "source", "holidays", "working_days", "shortened"},
               "");
  const toml::node& year_node = r.require(root, "year");
  // is_integer() first: value<int64_t>() on a float such as 2e25 is an out-of-range cast.
  if (!year_node.is_integer() || year_node.as_integer()->get() < 1970 ||
      year_node.as_integer()->get() > 9999) {
    r.fail(year_node.source(), "year must be a whole number like 2026");
  }
  int file_year = int(year_node.as_integer()->get());

  CalendarYear out;
  if (const toml::node* p = root.get("provisional")) {
    if (!p->is_boolean()) r.fail(p->source(), "provisional must be true or false");
    out.provisional = p->as_boolean()->get();
  }
  if (const toml::node* s = root.get("source")) out.source = r.string(*s, "source");

  DayList holidays = read_days(r, root, "holidays", file_year);
  DayList working = read_days(r, root, "working_days", file_year);
  DayList shortened = read_days(r, root, "shortened", file_year);

  for (const auto& [d, at] : working) {
    if (!is_weekend(d)) {
      r.fail(at, "working_days: " + iso(d) + " is a " + kWeekdayNames[weekday(d).c_encoding()] +
                     ", a working day anyway; list only Saturdays and Sundays here");
    }
    if (auto h = holidays.find(d); h != holidays.end()) {
      r.fail(at, "working_days: " + iso(d) + " is also in holidays (line " +
                     std::to_string(h->second.begin.line) + ")");
    }
  }
  for (const auto& [d, at] : shortened) {
    bool working_day = is_weekend(d) ? working.count(d) != 0 : holidays.count(d) == 0;
    if (!working_day) {
      r.fail(at, "shortened: " + iso(d) + " is not a working day, so it cannot be shortened");
    }
  }
  for (const auto& [d, at] : holidays) out.holidays.insert(d);
  for (const auto& [d, at] : working) out.working_days.insert(d);
  for (const auto& [d, at] : shortened) out.shortened.insert(d);
  return {file_year, year_node.source(), std::move(out)};
}

OfficeHours load_office_hours(const SourceFile& file) {
  FileReader r(file);
  const toml::table& root = r.root();
  r.check_keys(root, {"time_zone", "utc_offset", "shortened_by_minutes", "lunch", "hours"}, "");
  OfficeHours out;
  out.time_zone = r.string(r.require(root, "time_zone"), "time_zone");
  if (out.time_zone.empty()) r.fail(root.get("time_zone")->source(), "time_zone is empty");
  out.utc_offset = parse_offset(r, r.require(root, "utc_offset"));

  const toml::node& by = r.require(root, "shortened_by_minutes");
  if (!by.is_integer() || by.as_integer()->get() < 0 || by.as_integer()->get() > 240) {
    r.fail(by.source(), "shortened_by_minutes must be a whole number from 0 to 240");
  }
  out.shortened_by = minutes(by.as_integer()->get());

  const toml::node& lunch = r.require(root, "lunch");
  std::tie(out.lunch_start, out.lunch_end) = parse_span(r, lunch, "lunch");

  const toml::node& hours_node = r.require(root, "hours");
  if (!hours_node.is_table()) r.fail(hours_node.source(), "hours must be a table ([hours])");
  const toml::table& table = *hours_node.as_table();
  static const char* const kSlots[] = {"monday",   "tuesday", "wednesday",
                                       "thursday", "friday",  "working_weekend"};
  r.check_keys(table, {kSlots, kSlots + 6}, " in [hours]");
  for (std::size_t i = 0; i < 6; ++i) {
    const toml::node& n = r.require(table, kSlots[i]);
    std::tie(out.open[i], out.close[i]) = parse_span(r, n, kSlots[i]);
    if (out.lunch_start < out.open[i] || out.lunch_end > out.close[i]) {
      r.fail(n.source(), std::string(kSlots[i]) + ": the lunch break is outside these hours");
    }
    if (out.close[i] - out.shortened_by <= out.open[i]) {
      r.fail(by.source(),
             "shortened_by_minutes leaves no working time on " + std::string(kSlots[i]));
    }
  }
  return out;
}

}  // namespace

Calendar Calendar::load(const SourceFile& office_hours, const std::vector<SourceFile>& years) {
  Calendar c;
  c.hours_ = load_office_hours(office_hours);
  std::map<int, std::string> loaded_from;
  for (const SourceFile& file : years) {
    LoadedYear y = load_year(file);
    if (auto [it, fresh] = loaded_from.emplace(y.year, file.name); !fresh) {
      fail_at(file.name, y.year_at,
              "year " + std::to_string(y.year) + " is already loaded from " + it->second);
    }
    c.years_.emplace(y.year, std::move(y.data));
  }
  return c;
}

}  // namespace mailgate::rules
