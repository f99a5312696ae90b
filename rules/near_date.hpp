#pragma once
/// Finding a date "in the next few days" in a message: «завтра», «послезавтра», «сегодня до»,
/// «сегодня же», «до 18:00 сегодня», a date written 26.03.2026 / 26.03.26 / 26.03, or
/// «26 марта (2026)». Such a date within the window of a rule means the client needs the
/// answer before the legal deadline would matter (R10).

#include <chrono>
#include <optional>
#include <string>

#include "rules/prepared.hpp"

namespace mailgate::rules {

struct NearDate {
  std::string quote;  ///< the words as written, «завтра» or «до 15.04.2026»
  std::chrono::year_month_day date;
};

/// The first date in `field` that falls on `today` or within `days` days after it (local
/// dates). Dates written without a year are taken in the year that puts them nearest to
/// `today`.
std::optional<NearDate> find_near_date(const PreparedField& field, const StemTable& stems,
                                       std::chrono::year_month_day today, int days);

}  // namespace mailgate::rules
