#include "templates/russian_text.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mailgate::templates {

std::string long_date(int year, unsigned month, unsigned day) {
  static const std::array<const char*, 12> kMonths = {"января",   "февраля", "марта",  "апреля",
                                                      "мая",      "июня",    "июля",   "августа",
                                                      "сентября", "октября", "ноября", "декабря"};
  if (month < 1 || month > 12) throw std::invalid_argument("month must be 1..12");
  if (day < 1 || day > 31) throw std::invalid_argument("day must be 1..31");
  return std::to_string(day) + ' ' + kMonths[month - 1] + ' ' + std::to_string(year) + " г.";
}

std::string plural(long n, const std::string& one, const std::string& few,
                   const std::string& many) {
  // Work on the absolute value as unsigned, so LONG_MIN does not overflow.
  unsigned long a = n < 0 ? 0UL - static_cast<unsigned long>(n) : static_cast<unsigned long>(n);
  const unsigned long last_two = a % 100;
  const unsigned long last = a % 10;
  if (last_two >= 11 && last_two <= 14) return many;
  if (last == 1) return one;
  if (last >= 2 && last <= 4) return few;
  return many;
}

std::string days(long n) { return std::to_string(n) + ' ' + plural(n, "день", "дня", "дней"); }

std::string working_days(long n) {
  return std::to_string(n) + ' ' + plural(n, "рабочий день", "рабочих дня", "рабочих дней");
}

std::string decimal(double value, int digits) {
  if (!std::isfinite(value)) return "—";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits < 0 ? 0 : digits, value);
  std::string s = buf;
  for (char& c : s) {
    if (c == '.') c = ',';
  }
  if (s == "-0" || s.rfind("-0,", 0) == 0) {
    // "-0,0" reads oddly; a value that rounds to zero has no sign.
    bool all_zero = s.find_first_not_of("-0,") == std::string::npos;
    if (all_zero) s.erase(0, 1);
  }
  return s;
}

}  // namespace mailgate::templates
