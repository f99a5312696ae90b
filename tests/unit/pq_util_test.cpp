// Only a well-formed ISO date of a plausible year goes to a timestamptz column: anything
// else would make PostgreSQL refuse the whole registration.

#include "storage/pq_util.hpp"

#include <gtest/gtest.h>

using mailgate::storage::detail::plausible_date;

TEST(PlausibleDate, AcceptsOnlyTheFormAndPlausibleYears) {
  for (const char* good :
       {"2026-11-28T10:00:00+03:00", "1970-01-01T00:00:00-12:00", "2199-12-31T23:59:59+00:00"}) {
    EXPECT_EQ(plausible_date(std::string(good)), std::optional<std::string>(good)) << good;
  }
  for (const char* bad :
       {"1969-12-31T23:59:59+00:00", "2200-01-01T00:00:00+00:00", "2026-11-28 10:00:00+03:00",
        "2026-11-28T10:00:00Z", "2026-11-28T10:00:00+0300", "2026-11-28T10:00:00+03:00 ",
        "２026-11-28T10:00:00+03:00", "", "2026-1a-28T10:00:00+03:00"}) {
    EXPECT_EQ(plausible_date(std::string(bad)), std::nullopt) << bad;
  }
  EXPECT_EQ(plausible_date(std::nullopt), std::nullopt);
}
