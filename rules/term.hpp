#pragma once
/// A deadline term as written in configuration or on the command line: "30 days",
/// "2 working days", "4 working hours", or in Russian "30 дней", "2 рабочих дня",
/// "4 рабочих часа" (any of the numeral forms день/дня/дней, час/часа/часов).

#include <stdexcept>
#include <string>
#include <string_view>

namespace mailgate::rules {

enum class TermUnit {
  days,           ///< calendar days from the day after registration
  working_days,   ///< working days strictly after the registration date
  working_hours,  ///< office time from the registration moment
};

struct Term {
  int count = 0;
  TermUnit unit = TermUnit::days;
  bool operator==(const Term&) const = default;
};

/// A term that is not one of the forms above; the message says what is accepted.
class TermError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// The largest count accepted: ten thousand of any unit is decades, surely a typo.
inline constexpr int kMaxTermCount = 10000;

/// Parses a term; throws TermError for anything else.
Term parse_term(std::string_view text);

/// The canonical English form, "30 days" / "1 working day" / "4 working hours".
std::string to_string(const Term& term);

}  // namespace mailgate::rules
