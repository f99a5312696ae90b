#include <gtest/gtest.h>

#include "storage/regno.hpp"

using mailgate::storage::format_regno;
using mailgate::storage::regno_pattern_problem;

TEST(Regno, DefaultPattern) {
  EXPECT_EQ(format_regno("УПК-{year}-{seq:06}", 2026, 123), "УПК-2026-000123");
  EXPECT_EQ(format_regno("ЛО-УПК-{year}-{seq:06}", 2027, 1), "ЛО-УПК-2027-000001");
}

TEST(Regno, WidthIsAMinimum) {
  EXPECT_EQ(format_regno("{seq:03}/{year}", 2026, 12345), "12345/2026");
  EXPECT_EQ(format_regno("N{seq}", 2026, 7), "N7");
}

TEST(Regno, PatternProblems) {
  EXPECT_FALSE(regno_pattern_problem("УПК-{year}-{seq:06}"));
  EXPECT_TRUE(regno_pattern_problem("УПК-{year}"));
  EXPECT_TRUE(regno_pattern_problem("{yaer}-{seq}"));
  EXPECT_TRUE(regno_pattern_problem("{seq:0x}"));
  EXPECT_TRUE(regno_pattern_problem("{seq"));
}
