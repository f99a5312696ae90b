// Russian numbers and dates as clients read them: plural forms, long dates, day counts.
#include <gtest/gtest.h>

#include <climits>
#include <stdexcept>

#include "templates/russian_text.hpp"

namespace {

using namespace mailgate::templates;

std::string day_word(long n) { return plural(n, "день", "дня", "дней"); }

TEST(RussianText, PluralForms) {
  EXPECT_EQ(day_word(1), "день");
  EXPECT_EQ(day_word(2), "дня");
  EXPECT_EQ(day_word(3), "дня");
  EXPECT_EQ(day_word(4), "дня");
  EXPECT_EQ(day_word(5), "дней");
  EXPECT_EQ(day_word(0), "дней");
  EXPECT_EQ(day_word(10), "дней");
  EXPECT_EQ(day_word(11), "дней");
  EXPECT_EQ(day_word(12), "дней");
  EXPECT_EQ(day_word(14), "дней");
  EXPECT_EQ(day_word(15), "дней");
  EXPECT_EQ(day_word(20), "дней");
  EXPECT_EQ(day_word(21), "день");
  EXPECT_EQ(day_word(22), "дня");
  EXPECT_EQ(day_word(25), "дней");
  EXPECT_EQ(day_word(100), "дней");
  EXPECT_EQ(day_word(101), "день");
  EXPECT_EQ(day_word(111), "дней");
  EXPECT_EQ(day_word(112), "дней");
  EXPECT_EQ(day_word(121), "день");
  EXPECT_EQ(day_word(1011), "дней");
  EXPECT_EQ(day_word(1021), "день");
}

TEST(RussianText, PluralOfNegativeNumbersAndExtremes) {
  EXPECT_EQ(day_word(-1), "день");
  EXPECT_EQ(day_word(-3), "дня");
  EXPECT_EQ(day_word(-11), "дней");
  EXPECT_NO_THROW(day_word(LONG_MIN));
  EXPECT_NO_THROW(day_word(LONG_MAX));
}

TEST(RussianText, Days) {
  EXPECT_EQ(days(1), "1 день");
  EXPECT_EQ(days(2), "2 дня");
  EXPECT_EQ(days(5), "5 дней");
  EXPECT_EQ(days(11), "11 дней");
  EXPECT_EQ(days(21), "21 день");
  EXPECT_EQ(days(22), "22 дня");
  EXPECT_EQ(days(30), "30 дней");
  EXPECT_EQ(days(111), "111 дней");
}

TEST(RussianText, WorkingDays) {
  EXPECT_EQ(working_days(1), "1 рабочий день");
  EXPECT_EQ(working_days(2), "2 рабочих дня");
  EXPECT_EQ(working_days(3), "3 рабочих дня");
  EXPECT_EQ(working_days(5), "5 рабочих дней");
  EXPECT_EQ(working_days(11), "11 рабочих дней");
  EXPECT_EQ(working_days(21), "21 рабочий день");
  EXPECT_EQ(working_days(24), "24 рабочих дня");
}

TEST(RussianText, LongDate) {
  EXPECT_EQ(long_date(2026, 12, 28), "28 декабря 2026 г.");
  EXPECT_EQ(long_date(2026, 1, 1), "1 января 2026 г.");
  EXPECT_EQ(long_date(2027, 3, 9), "9 марта 2027 г.");
  const char* months[] = {"января", "февраля", "марта",    "апреля",  "мая",    "июня",
                          "июля",   "августа", "сентября", "октября", "ноября", "декабря"};
  for (unsigned m = 1; m <= 12; ++m) {
    EXPECT_EQ(long_date(2026, m, 15), std::string("15 ") + months[m - 1] + " 2026 г.");
  }
}

TEST(RussianText, LongDateRejectsImpossibleValues) {
  EXPECT_THROW(long_date(2026, 0, 1), std::invalid_argument);
  EXPECT_THROW(long_date(2026, 13, 1), std::invalid_argument);
  EXPECT_THROW(long_date(2026, 5, 0), std::invalid_argument);
  EXPECT_THROW(long_date(2026, 5, 32), std::invalid_argument);
}

TEST(RussianText, DecimalComma) {
  EXPECT_EQ(decimal(62.44, 1), "62,4");
  EXPECT_EQ(decimal(40, 1), "40,0");
  EXPECT_EQ(decimal(-17.26, 1), "-17,3");
  EXPECT_EQ(decimal(-0.01, 1), "0,0");
  EXPECT_EQ(decimal(3.0, 0), "3");
}

}  // namespace
