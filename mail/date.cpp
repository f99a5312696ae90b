#include "mail/date.hpp"

#include <array>
#include <cstdio>
#include <vector>

namespace mailgate::mail {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

struct Zone {
  std::string_view name;  // lower case
  int minutes;
};

constexpr std::array<Zone, 66> kZones{{
    {"ut", 0},     {"utc", 0},     {"gmt", 0},     {"z", 0},      {"wet", 0},    {"est", -300},
    {"edt", -240}, {"cst", -360},  {"cdt", -300},  {"mst", -420}, {"mdt", -360}, {"pst", -480},
    {"pdt", -420}, {"akst", -540}, {"akdt", -480}, {"hst", -600}, {"ast", -240}, {"adt", -180},
    {"nst", -210}, {"ndt", -150},  {"msk", 180},   {"msd", 240},  {"cet", 60},   {"cest", 120},
    {"met", 60},   {"mest", 120},  {"eet", 120},   {"eest", 180}, {"west", 60},  {"bst", 60},
    {"ist", 330},  {"jst", 540},   {"kst", 540},   {"hkt", 480},  {"sgt", 480},  {"aest", 600},
    {"aedt", 660}, {"acst", 570},  {"acdt", 630},  {"awst", 480}, {"nzst", 720}, {"nzdt", 780},
    {"yekt", 300}, {"omst", 360},  {"novt", 420},  {"krat", 420}, {"irkt", 480}, {"yakt", 540},
    {"vlat", 600}, {"magt", 660},  {"pett", 720},  {"samt", 240}, {"kalt", 120}, {"volt", 180},
    {"cat", 120},  {"eat", 180},   {"wat", 60},    {"sast", 120}, {"pkt", 300},  {"ict", 420},
    {"pht", 480},  {"wib", 420},   {"brt", -180},  {"art", -180}, {"clt", -240}, {"sst", -660},
}};

constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kMonthsFull{
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int month_of(std::string_view w) {
  for (std::size_t m = 0; m < 12; ++m) {
    if (w == kMonths[m] || w == kMonthsFull[m]) return static_cast<int>(m) + 1;
  }
  if (w == "sept") return 9;
  return 0;
}

bool is_day_name(std::string_view w) {
  if (w.size() < 3) return false;
  for (auto d : kDays) {
    if (w.substr(0, 3) == d) return true;
  }
  return false;
}

std::optional<int> zone_of(std::string_view w) {
  for (const Zone& z : kZones) {
    if (z.name == w) return z.minutes;
  }
  return std::nullopt;
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> d{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return d[static_cast<std::size_t>(m - 1)];
}

// "+0300", "-04:00", "+3", "+03": minutes east of UTC.
std::optional<int> numeric_zone(std::string_view t) {
  if (t.size() < 2 || (t[0] != '+' && t[0] != '-')) return std::nullopt;
  int sign = t[0] == '-' ? -1 : 1;
  std::string digits;
  for (std::size_t k = 1; k < t.size(); ++k) {
    if (is_digit(t[k])) {
      digits.push_back(t[k]);
    } else if (t[k] != ':') {
      return std::nullopt;
    }
  }
  int h = 0, m = 0;
  if (digits.size() == 4) {
    h = (digits[0] - '0') * 10 + (digits[1] - '0');
    m = (digits[2] - '0') * 10 + (digits[3] - '0');
  } else if (digits.size() == 1 || digits.size() == 2) {
    h = std::stoi(digits);
  } else if (digits.size() == 3) {  // "+300"
    h = digits[0] - '0';
    m = (digits[1] - '0') * 10 + (digits[2] - '0');
  } else {
    return std::nullopt;
  }
  if (h > 23 || m > 59) return std::nullopt;
  return sign * (h * 60 + m);
}

// Drops comments and turns separators into spaces.
std::string strip_comments(std::string_view raw) {
  std::string s;
  int depth = 0;
  for (char c : raw) {
    if (c == '(') {
      ++depth;
      continue;
    }
    if (c == ')' && depth > 0) {
      --depth;
      continue;
    }
    if (depth > 0) continue;
    if (c == ',' || c == '\t' || c == '\r' || c == '\n') c = ' ';
    s.push_back(c);
  }
  return s;
}

// Splits at spaces and breaks glued pieces: "17:19:02+0300", "2026-03-25T17:19:02",
// "25-Mar-2026".
std::vector<std::string> tokenize(std::string_view s) {
  std::vector<std::string> tokens;
  std::string cur;
  auto push = [&]() {
    if (!cur.empty()) tokens.push_back(cur);
    cur.clear();
  };
  for (std::size_t k = 0; k < s.size(); ++k) {
    char c = s[k];
    if (c == ' ') {
      push();
      continue;
    }
    if ((c == '+' || c == '-') && !cur.empty()) {
      bool cur_digits_colon = true;
      for (char x : cur) {
        cur_digits_colon = cur_digits_colon && (is_digit(x) || x == ':' || x == '.');
      }
      bool cur_is_time = cur.find(':') != std::string::npos;
      bool cur_alpha = is_alpha(cur[0]);
      if (cur_is_time || cur_alpha) {  // "17:19:02+0300", "GMT+0300", "UTC-5"
        push();
      } else if (cur_digits_colon && c == '-') {  // "2026-03-25", "25-Mar-2026"
        push();
        continue;
      }
    } else if (c == '-' && !cur.empty() && is_alpha(cur.back())) {  // "Mar-2026"
      push();
      continue;
    }
    if (c == 'T' && !cur.empty() && is_digit(cur.back()) && k + 1 < s.size() &&
        is_digit(s[k + 1])) {
      push();  // ISO "2026-03-25T17:19:02"
      continue;
    }
    cur.push_back(c);
  }
  push();
  return tokens;
}

// What the tokens of a date say, read in any order.
struct DateFields {
  int year = -1, month = 0, day = -1, hour = -1, minute = -1, second = 0;
  int zone = 0;
  bool have_zone = false;
  bool pm = false, am = false;
  std::vector<std::string> numbers;  // digits only, at most four: day, year, numeric month
};

// hh:mm[:ss[.frac]]; the first time wins. False if the token is not a time at all.
bool read_time(const std::string& t, DateFields& f) {
  int parts[3] = {-1, -1, 0};
  int idx = 0;
  std::string num;
  for (char c : t) {
    if (c == '.') break;
    if (c == ':') {
      if (idx < 3 && !num.empty() && num.size() <= 2) parts[idx] = std::stoi(num);
      ++idx;
      num.clear();
    } else if (is_digit(c)) {
      num.push_back(c);
    } else {
      return false;
    }
  }
  if (idx < 3 && !num.empty() && num.size() <= 2) parts[idx] = std::stoi(num);
  if (f.hour < 0 && parts[0] >= 0 && parts[1] >= 0) {
    f.hour = parts[0];
    f.minute = parts[1];
    f.second = parts[2];
  }
  return true;
}

// A word: month, day name, am/pm or a zone name; anything else is ignored.
void read_word(const std::string& t, DateFields& f) {
  std::string w;
  for (char c : t) {
    if (c == '.') continue;
    w.push_back(lower(c));
  }
  if (int m = month_of(w); m > 0 && f.month == 0) {
    f.month = m;
    return;
  }
  if (is_day_name(w)) return;
  if (w == "pm") {
    f.pm = true;
    return;
  }
  if (w == "am") {
    f.am = true;
    return;
  }
  if (auto z = zone_of(w)) {
    if (!f.have_zone) f.zone = *z;
    f.have_zone = true;
    return;
  }
  if (w.size() == 1 && is_alpha(w[0])) {  // military zone: treated as unknown (+00:00)
    f.have_zone = true;
  }
}

// One token into `f`. False if it makes the whole date unreadable.
bool read_token(const std::string& t, DateFields& f) {
  if (t.find(':') != std::string::npos && is_digit(t[0])) return read_time(t, f);
  if (t[0] == '+' || (t[0] == '-' && t.size() > 1 && is_digit(t[1]))) {
    if (auto z = numeric_zone(t)) {
      if (!f.have_zone || f.zone == 0) f.zone = *z;
      f.have_zone = true;
    }
    return true;
  }
  if (is_digit(t[0])) {
    bool all = true;
    for (char c : t) all = all && is_digit(c);
    if (all && t.size() <= 4) f.numbers.push_back(t);
    return true;
  }
  read_word(t, f);
  return true;
}

// Numbers: day and year (month by name), or year month day (ISO, numeric month).
void assign_numbers(DateFields& f) {
  if (f.month == 0 && f.numbers.size() >= 3 && f.numbers[0].size() == 4) {
    f.year = std::stoi(f.numbers[0]);
    f.month = std::stoi(f.numbers[1]);
    f.day = std::stoi(f.numbers[2]);
    return;
  }
  std::vector<int> small;
  for (const std::string& n : f.numbers) {
    if (n.size() == 4 && f.year < 0) {
      f.year = std::stoi(n);
    } else {
      small.push_back(std::stoi(n));
    }
  }
  if (!small.empty()) f.day = small[0];
  if (f.year < 0 && small.size() >= 2) {
    int y = small[1];
    f.year = y < 50 ? 2000 + y : (y < 1000 ? 1900 + y : y);
    if (y >= 100 && y < 1000) f.year = 1900 + y;
  }
}

// ISO 8601 with an offset, or nullopt if the fields are no valid date and time.
std::optional<std::string> format_iso(const DateFields& f) {
  if (f.year < 1900 || f.year > 9999 || f.month < 1 || f.month > 12 || f.day < 1 ||
      f.day > days_in_month(f.year, f.month)) {
    return std::nullopt;
  }
  if (f.hour < 0) return std::nullopt;
  int hour = f.hour, second = f.second;
  if (f.pm && hour < 12) hour += 12;
  if (f.am && hour == 12) hour = 0;
  if (hour > 23 || f.minute < 0 || f.minute > 59 || second < 0 || second > 60) return std::nullopt;
  if (second == 60) second = 59;

  char buf[96];
  int az = f.zone < 0 ? -f.zone : f.zone;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", f.year, f.month, f.day,
                hour, f.minute, second, f.zone < 0 ? '-' : '+', az / 60, az % 60);
  return std::string(buf);
}

}  // namespace

std::optional<std::string> parse_date(std::string_view raw) {
  if (raw.size() > 1000) raw = raw.substr(0, 1000);
  const std::vector<std::string> tokens = tokenize(strip_comments(raw));
  DateFields f;
  for (const std::string& t : tokens) {
    if (!read_token(t, f)) return std::nullopt;
  }
  assign_numbers(f);
  return format_iso(f);
}

}  // namespace mailgate::mail
