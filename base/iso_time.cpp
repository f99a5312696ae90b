#include "base/iso_time.hpp"

#include <regex>

namespace mailgate::base {

std::optional<std::chrono::sys_seconds> parse_iso_time(const std::string& text,
                                                       std::chrono::minutes default_offset) {
  static const std::regex form(
      R"((\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?\s*(Z|[+-]\d\d:?\d\d)?)");
  std::smatch m;
  if (!std::regex_match(text, m, form)) return std::nullopt;
  using namespace std::chrono;
  year_month_day date{year(std::stoi(m[1])), month(static_cast<unsigned>(std::stoi(m[2]))),
                      day(static_cast<unsigned>(std::stoi(m[3])))};
  if (!date.ok()) return std::nullopt;
  int h = m[4].matched ? std::stoi(m[4]) : 0;
  int mi = m[5].matched ? std::stoi(m[5]) : 0;
  int s = m[6].matched ? std::stoi(m[6]) : 0;
  if (h > 23 || mi > 59 || s > 60) return std::nullopt;
  minutes offset = default_offset;
  if (m[7].matched) {
    std::string z = m[7];
    if (z == "Z") {
      offset = minutes(0);
    } else {
      std::string digits;
      for (char c : z.substr(1)) {
        if (c != ':') digits += c;
      }
      offset = hours(std::stoi(digits.substr(0, 2))) + minutes(std::stoi(digits.substr(2, 2)));
      if (z[0] == '-') offset = -offset;
    }
  }
  return sys_seconds(sys_days(date)) + hours(h) + minutes(mi) + seconds(s) - offset;
}

}  // namespace mailgate::base
