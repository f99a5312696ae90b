#pragma once
/// Russian words for numbers and dates, as clients read them in letters: "28 декабря 2026 г.",
/// "21 день", "2 рабочих дня". The daemon fills template variables with these, so every
/// template gets the same, grammatical forms.

#include <string>

namespace mailgate::templates {

/// "28 декабря 2026 г." (month name in the genitive, no leading zero). Throws
/// std::invalid_argument for a month outside 1..12 or a day outside 1..31.
std::string long_date(int year, unsigned month, unsigned day);

/// The form of a noun that goes with the number n: `one` for 1, 21, 101 (день), `few` for
/// 2–4, 22–24 (дня), `many` for 0, 5–20, 11–14, 111 (дней). Returns the word only; negative
/// numbers take the form of their absolute value.
std::string plural(long n, const std::string& one, const std::string& few, const std::string& many);

/// The number and the word: "1 день", "3 дня", "30 дней".
std::string days(long n);

/// "1 рабочий день", "2 рабочих дня", "5 рабочих дней".
std::string working_days(long n);

/// A number with a decimal comma and `digits` digits after it: "62,4".
std::string decimal(double value, int digits);

}  // namespace mailgate::templates
