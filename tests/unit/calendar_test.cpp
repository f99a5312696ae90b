// The business calendar and deadline arithmetic, against the calendar files shipped in
// rules/calendar/. Every expected deadline below was worked out by hand from the production
// calendar in docs (DOMAIN.md); the comment on each case shows the reasoning.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "rules/calendar.hpp"
#include "rules/deadline.hpp"

namespace {

using namespace std::chrono;
using namespace mailgate::rules;

const std::string kCalendarDir = std::string(MAILGATE_TEST_DATA) + "/../../rules/calendar/";

SourceFile shipped(const std::string& name) {
  std::ifstream in(kCalendarDir + name, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << kCalendarDir + name;
  std::ostringstream text;
  text << in.rdbuf();
  return {name, text.str()};
}

const Calendar& calendar() {
  static const Calendar c =
      Calendar::load(shipped("office_hours.toml"),
                     {shipped("2025.toml"), shipped("2026.toml"), shipped("2027.toml")});
  return c;
}

constexpr year_month_day ymd(int y, unsigned m, unsigned d) {
  return year_month_day{year(y), month(m), day(d)};
}

/// "2026-01-12 10:00" as Moscow time, i.e. UTC+3.
sys_seconds msk(const std::string& local) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  EXPECT_EQ(std::sscanf(local.c_str(), "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi), 5) << local;
  return sys_seconds(sys_days(ymd(y, unsigned(mo), unsigned(d)))) + hours(h) + minutes(mi) -
         hours(3);
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "; ") + s;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hand-checked deadlines.

struct Case {
  const char* name;
  const char* registered;  ///< Moscow local time
  const char* term;
  const char* expected;
  const char* warnings = "";
};

class DeadlineTable : public ::testing::TestWithParam<Case> {};

TEST_P(DeadlineTable, Computes) {
  const Case& c = GetParam();
  Deadline d = compute_deadline(calendar(), msk(c.registered), parse_term(c.term));
  EXPECT_EQ(format_iso8601(d.at, hours(3)), c.expected) << c.registered << " + " << c.term;
  EXPECT_EQ(joined(d.warnings), c.warnings);
}

const Case kCases[] = {
    // The four worked examples of the issue.
    {"Example_30days_Feb11", "2026-01-12 10:00", "30 days", "2026-02-11T18:00:00+03:00"},
    // 26.12 + 30 = Sun 25.01 -> Mon 26.01.
    {"Example_30days_SundayMoves", "2025-12-26 10:00", "30 days", "2026-01-26T18:00:00+03:00"},
    // Fri 20.02; 21-22 weekend, 23 holiday; Tue 24 = 1, Wed 25 = 2.
    {"Example_2workingDays_23Feb", "2026-02-20 10:00", "2 working days",
     "2026-02-25T18:00:00+03:00"},
    // Thu 30.04 shortened (closes 17:00): 3 h; 1-3 May off; Mon 04.05 9:00 + 1 h.
    {"Example_4workingHours_May", "2026-04-30 14:00", "4 working hours",
     "2026-05-04T10:00:00+03:00"},

    // January holidays.
    // 31.12.2025 moved day off, 1-11.01 off: Mon 12 = 1, Tue 13 = 2.
    {"Jan_WorkingDaysOverNewYear", "2025-12-30 10:00", "2 working days",
     "2026-01-13T18:00:00+03:00"},
    // 05.12 + 30 = Sun 04.01 (holiday) -> first working day Mon 12.01.
    {"Jan_30daysIntoHolidays", "2025-12-05 10:00", "30 days", "2026-01-12T18:00:00+03:00"},
    // Registered on a holiday (Mon 05.01): first working day after it is 12.01.
    {"Jan_RegisteredOnHoliday", "2026-01-05 11:00", "1 working day", "2026-01-12T18:00:00+03:00"},
    // Tue 30.12.2025 (not shortened: 31.12 is a moved day off, not a holiday) 16-18 = 2 h;
    // Mon 12.01 9:00 + 2 h.
    {"Jan_HoursOverNewYear", "2025-12-30 16:00", "4 working hours", "2026-01-12T11:00:00+03:00"},
    // Fri 09.01.2026 is a moved day off; Mon 12.01: 9-12 = 3 h, 12:48 + 5 h = 17:48.
    {"Jan_HoursFromMovedDayOff", "2026-01-09 15:00", "8 working hours",
     "2026-01-12T17:48:00+03:00"},
    // 31.12.2026 off, 1-8.01.2027 off, 9-10 weekend: Mon 11 = 1, Tue 12 = 2, Wed 13 = 3.
    {"Jan_Into2027", "2026-12-30 10:00", "3 working days", "2027-01-13T18:00:00+03:00",
     "2027 calendar is provisional"},

    // 23 February.
    // 24.01 + 30 = Mon 23.02 (holiday) -> Tue 24.02.
    {"Feb23_30daysOnHoliday", "2026-01-24 10:00", "30 days", "2026-02-24T18:00:00+03:00"},
    // Fri 20.02 16-17 = 1 h; 21-23 off; Tue 24.02 9:00 + 1 h.
    {"Feb23_HoursOverLongWeekend", "2026-02-20 16:00", "2 working hours",
     "2026-02-24T10:00:00+03:00"},
    // 2025: 23.02 is a Sunday moved by decree to 08.05, so Mon 24.02 works.
    {"Feb23_2025SundayMovedToMay", "2025-02-21 10:00", "1 working day",
     "2025-02-24T18:00:00+03:00"},

    // 8-9 March.
    // Fri 06.03; 7-8 weekend, Mon 9 off (for Sunday 8 March): Tue 10.
    {"Mar8_WorkingDayAfter", "2026-03-06 10:00", "1 working day", "2026-03-10T18:00:00+03:00"},
    // 07.02 + 30 = Mon 09.03 (off) -> Tue 10.03.
    {"Mar8_30daysOnMar9", "2026-02-07 10:00", "30 days", "2026-03-10T18:00:00+03:00"},
    // Fri 07.03.2025 shortened (16:00): 1 h; Mon 10.03 9:00 + 1 h.
    {"Mar8_ShortenedFridayHours", "2025-03-07 15:00", "2 working hours",
     "2025-03-10T10:00:00+03:00"},
    // 05.02.2025 + 30 = Fri 07.03, shortened: Friday 17:00 - 1 h.
    {"Mar8_30daysOnShortenedFriday", "2025-02-05 10:00", "30 дней", "2025-03-07T16:00:00+03:00"},

    // May holidays.
    // 08.04 + 30 = Fri 08.05.2026, shortened: 16:00.
    {"May_30daysOnShortenedMay8", "2026-04-08 10:00", "30 days", "2026-05-08T16:00:00+03:00"},
    // 09.04 + 30 = Sat 09.05; Sun 10; Mon 11 off -> Tue 12.05.
    {"May_30daysOnVictoryDay", "2026-04-09 10:00", "30 days", "2026-05-12T18:00:00+03:00"},
    // Thu 30.04; 1 May off, 2-3 weekend: Mon 04.05.
    {"May_WorkingDayAfterMay1", "2026-04-30 10:00", "1 рабочий день", "2026-05-04T18:00:00+03:00"},
    // 2025: 1-4 May off; Mon 5 = 1, Tue 6 = 2, Wed 7 = 3.
    {"May_2025FirstHolidays", "2025-04-30 10:00", "3 working days", "2025-05-07T18:00:00+03:00"},
    // Wed 07.05.2025 (not shortened: 08.05 is a moved day off) 17-18 = 1 h; 8-11 off;
    // Mon 12.05 9:00 + 1 h.
    {"May_2025HoursOverVictoryDay", "2025-05-07 17:00", "2 working hours",
     "2025-05-12T10:00:00+03:00"},
    // 2027 (provisional): Sat 1 May moved to Mon 3 May: Tue 04.05.
    {"May_2027Provisional", "2027-04-30 10:00", "1 working day", "2027-05-04T18:00:00+03:00",
     "2027 calendar is provisional"},
    // 2027: Sun 9 May moved to Mon 10 May: Tue 11.05.
    {"May_2027VictoryDayMoved", "2027-05-07 10:00", "1 working day", "2027-05-11T18:00:00+03:00",
     "2027 calendar is provisional"},

    // 12 June.
    // Thu 11.06 shortened; Fri 12 off, 13-14 weekend: Mon 15.06.
    {"Jun12_WorkingDayAfter", "2026-06-11 10:00", "1 working day", "2026-06-15T18:00:00+03:00"},
    // Thu 11.06 closes 17:00: 30 min; Mon 15.06 9:00 + 30 min.
    {"Jun12_ShortenedThursdayHours", "2026-06-11 16:30", "1 working hour",
     "2026-06-15T09:30:00+03:00"},
    // 13.05 + 30 = Fri 12.06 (holiday) -> Mon 15.06.
    {"Jun12_30daysOnHoliday", "2026-05-13 10:00", "30 days", "2026-06-15T18:00:00+03:00"},
    // 2025: 12-15 June off (13 moved from 8 March): Mon 16.06.
    {"Jun12_2025FourDayBreak", "2025-06-11 10:00", "1 working day", "2025-06-16T18:00:00+03:00"},
    // 12.05.2025 + 30 = Wed 11.06, shortened: 17:00.
    {"Jun12_2025ShortenedEve", "2025-05-12 10:00", "30 days", "2025-06-11T17:00:00+03:00"},

    // 3-4 November.
    // Tue 03.11 shortened (17:00): 3 h; Wed 4 off; Thu 05.11 9:00 + 1 h.
    {"Nov4_ShortenedEveHours", "2026-11-03 14:00", "4 рабочих часа", "2026-11-05T10:00:00+03:00"},
    // 05.10 + 30 = Wed 04.11 (holiday) -> Thu 05.11.
    {"Nov4_30daysOnHoliday", "2026-10-05 10:00", "30 days", "2026-11-05T18:00:00+03:00"},
    // 04.10 (Sunday) + 30 = Tue 03.11, shortened: 17:00.
    {"Nov4_30daysOnShortenedEve", "2026-10-04 10:00", "30 days", "2026-11-03T17:00:00+03:00"},
    // 2025: Sat 01.11 is a working day, shortened: 18:00 - 1 h.
    {"Nov_2025WorkingSaturday", "2025-10-31 10:00", "1 working day", "2025-11-01T17:00:00+03:00"},
    // Sat 01.11 = 1; 2-4 off; Wed 05.11 = 2.
    {"Nov_2025AfterWorkingSaturday", "2025-10-31 10:00", "2 working days",
     "2025-11-05T18:00:00+03:00"},
    // Sat 01.11 15-17 = 2 h; 2-4 off; Wed 05.11 9:00 + 1 h.
    {"Nov_2025HoursFromWorkingSaturday", "2025-11-01 15:00", "3 working hours",
     "2025-11-05T10:00:00+03:00"},
    // 02.10.2025 + 30 = Sat 01.11, a working (shortened) day: no shift.
    {"Nov_2025_30daysOnWorkingSaturday", "2025-10-02 10:00", "30 days",
     "2025-11-01T17:00:00+03:00"},

    // 31 December.
    // 01.12.2026 + 30 = Thu 31.12 (off) -> 1-8.01.2027 off, 9-10 weekend -> Mon 11.01.2027.
    {"Dec31_30daysInto2027", "2026-12-01 10:00", "30 days", "2027-01-11T18:00:00+03:00",
     "2027 calendar is provisional"},
    // 01.12.2025 + 30 = Wed 31.12 (off) -> Mon 12.01.2026.
    {"Dec31_2025_30days", "2025-12-01 10:00", "30 days", "2026-01-12T18:00:00+03:00"},
    // Wed 30.12.2026 17-18 = 1 h; then Mon 11.01.2027 9:00 + 1 h.
    {"Dec31_HoursInto2027", "2026-12-30 17:00", "2 working hours", "2027-01-11T10:00:00+03:00",
     "2027 calendar is provisional"},
    // Registered on the day off 31.12.2025: first working day after is 12.01.2026.
    {"Dec31_RegisteredOnDayOff", "2025-12-31 10:00", "1 working day", "2026-01-12T18:00:00+03:00"},

    // Shortened days.
    // 31.03 + 30 = Thu 30.04, shortened: 17:00.
    {"Shortened_30daysOnApr30", "2026-03-31 10:00", "30 days", "2026-04-30T17:00:00+03:00"},
    // Thu 30.04 has 3 h + 4 h 12 min; 48 min on Mon 04.05.
    {"Shortened_WholeDayOfHours", "2026-04-30 09:00", "8 working hours",
     "2026-05-04T09:48:00+03:00"},

    // Fridays.
    // Fri 16.01: Mon 19.01.
    {"Friday_NextWorkingDayIsMonday", "2026-01-16 10:00", "1 working day",
     "2026-01-19T18:00:00+03:00"},
    // Fri closes 17:00: 1 h; Mon 9:00 + 1 h.
    {"Friday_ClosesAt17", "2026-01-16 16:00", "2 working hours", "2026-01-19T10:00:00+03:00"},
    // 14.01 + 30 = Fri 13.02: 17:00.
    {"Friday_30daysEndsAt17", "2026-01-14 10:00", "30 days", "2026-02-13T17:00:00+03:00"},
    // Fri 17:30, after closing: counting starts Mon 9:00.
    {"Friday_AfterClosing", "2026-01-16 17:30", "1 working hour", "2026-01-19T10:00:00+03:00"},

    // Lunch 12:00-12:48.
    {"Lunch_Skipped", "2026-01-13 11:00", "2 working hours", "2026-01-13T13:48:00+03:00"},
    {"Lunch_RegisteredDuringLunch", "2026-01-13 12:20", "1 working hour",
     "2026-01-13T13:48:00+03:00"},
    // Ends exactly when lunch starts.
    {"Lunch_EndsAtLunchStart", "2026-01-13 11:00", "1 working hour", "2026-01-13T12:00:00+03:00"},
    {"Lunch_RegisteredAtLunchStart", "2026-01-13 12:00", "1 working hour",
     "2026-01-13T13:48:00+03:00"},
    // A full day: 3 h + 5 h 12 min; 8 h end at 17:48, the 9th hour spills into Wednesday.
    {"Lunch_FullDay8h", "2026-01-13 09:00", "8 working hours", "2026-01-13T17:48:00+03:00"},
    {"Lunch_FullDay9h", "2026-01-13 09:00", "9 working hours", "2026-01-14T09:48:00+03:00"},
    // Ends exactly at closing time: the deadline is the closing, not the next opening.
    {"Lunch_EndsAtClosing", "2026-01-13 17:00", "1 working hour", "2026-01-13T18:00:00+03:00"},

    // Night and days off.
    {"Night_BeforeOpening", "2026-01-13 02:00", "1 working hour", "2026-01-13T10:00:00+03:00"},
    {"Night_LateEvening30days", "2026-01-13 23:59", "30 days", "2026-02-12T18:00:00+03:00"},
    {"Night_AfterClosingWorkingDay", "2026-01-13 21:00", "1 working day",
     "2026-01-14T18:00:00+03:00"},
    {"DayOff_SaturdayWorkingDay", "2026-01-17 11:00", "1 working day", "2026-01-19T18:00:00+03:00"},
    // Saturday: counting starts Mon 9:00; 3 h before lunch, 1 h after.
    {"DayOff_SaturdayHours", "2026-01-17 11:00", "4 working hours", "2026-01-19T13:48:00+03:00"},
    // Sunday 18.01 + 30 = Tue 17.02.
    {"DayOff_Sunday30days", "2026-01-18 10:00", "30 days", "2026-02-17T18:00:00+03:00"},
    {"Term_OneDay", "2026-01-12 10:00", "1 день", "2026-01-13T18:00:00+03:00"},

    // Years without an approved calendar.
    {"Missing_2028WeekendsOnly", "2028-01-03 10:00", "1 working day", "2028-01-04T18:00:00+03:00",
     "no calendar for 2028: weekends only"},
    // Fri 31.12.2027 (not a day off in the provisional file) = 1; Mon 03.01.2028 = 2.
    {"Missing_FromProvisionalInto2028", "2027-12-30 10:00", "2 working days",
     "2028-01-03T18:00:00+03:00",
     "2027 calendar is provisional; no calendar for 2028: weekends only"},
};

INSTANTIATE_TEST_SUITE_P(Deadlines, DeadlineTable, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Deadline, RegistrationDateIsTheMoscowDate) {
  // 22:30 UTC on the 12th is 01:30 on the 13th in Moscow: the term counts from the 13th.
  sys_seconds utc = sys_seconds(sys_days(ymd(2026, 1, 12))) + hours(22) + minutes(30);
  Deadline d = compute_deadline(calendar(), utc, parse_term("1 working day"));
  EXPECT_EQ(format_iso8601(d.at, hours(3)), "2026-01-14T18:00:00+03:00");
  EXPECT_EQ(d.at, sys_seconds(sys_days(ymd(2026, 1, 14))) + hours(15));
}

TEST(Deadline, ShiftToWorkingDayCanBeTurnedOff) {
  DeadlineSettings keep;
  keep.shift_to_working_day = false;
  // 26.12.2025 + 30 = Sun 25.01.2026: kept, and a day without office hours ends at midnight.
  auto d = compute_deadline(calendar(), msk("2025-12-26 10:00"), parse_term("30 days"), keep);
  EXPECT_EQ(format_iso8601(d.at, hours(3)), "2026-01-25T23:59:59+03:00");
  // A working day is unaffected by the setting.
  d = compute_deadline(calendar(), msk("2026-01-12 10:00"), parse_term("30 days"), keep);
  EXPECT_EQ(format_iso8601(d.at, hours(3)), "2026-02-11T18:00:00+03:00");
  // Working-day terms never land on a day off anyway.
  d = compute_deadline(calendar(), msk("2026-02-20 10:00"), parse_term("2 working days"), keep);
  EXPECT_EQ(format_iso8601(d.at, hours(3)), "2026-02-25T18:00:00+03:00");
}

TEST(Deadline, WarnsOnlyAboutYearsItConsulted) {
  // 20.11 + 30 = Sun 20.12 -> Mon 21.12: only 2026 is consulted, so no warning.
  auto d = compute_deadline(calendar(), msk("2026-11-20 10:00"), parse_term("30 days"));
  EXPECT_EQ(format_iso8601(d.at, hours(3)), "2026-12-21T18:00:00+03:00");
  EXPECT_TRUE(d.warnings.empty());
  // Registered in 2027, counted in 2027.
  d = compute_deadline(calendar(), msk("2027-02-19 10:00"), parse_term("2 working days"));
  // Fri 19.02.2027; 20-21 weekend; Mon 22 = 1; Tue 23 Feb off; Wed 24 = 2.
  EXPECT_EQ(format_iso8601(d.at, hours(3)), "2027-02-24T18:00:00+03:00");
  EXPECT_EQ(joined(d.warnings), "2027 calendar is provisional");
}

TEST(Deadline, FormatsOtherOffsets) {
  sys_seconds midnight_utc = sys_seconds(sys_days(ymd(2026, 1, 1)));
  EXPECT_EQ(format_iso8601(midnight_utc, hours(3)), "2026-01-01T03:00:00+03:00");
  EXPECT_EQ(format_iso8601(midnight_utc, minutes(0)), "2026-01-01T00:00:00+00:00");
  EXPECT_EQ(format_iso8601(midnight_utc, -(hours(5) + minutes(30))), "2025-12-31T18:30:00-05:30");
}

// ---------------------------------------------------------------------------------------------
// Terms.

TEST(Term, ParsesEnglish) {
  EXPECT_EQ(parse_term("30 days"), (Term{30, TermUnit::days}));
  EXPECT_EQ(parse_term("1 day"), (Term{1, TermUnit::days}));
  EXPECT_EQ(parse_term("30 calendar days"), (Term{30, TermUnit::days}));
  EXPECT_EQ(parse_term("2 working days"), (Term{2, TermUnit::working_days}));
  EXPECT_EQ(parse_term("1 working day"), (Term{1, TermUnit::working_days}));
  EXPECT_EQ(parse_term("4 working hours"), (Term{4, TermUnit::working_hours}));
  EXPECT_EQ(parse_term("  7   Working   Days "), (Term{7, TermUnit::working_days}));
}

TEST(Term, ParsesRussianInEveryNumeralForm) {
  EXPECT_EQ(parse_term("30 дней"), (Term{30, TermUnit::days}));
  EXPECT_EQ(parse_term("1 день"), (Term{1, TermUnit::days}));
  EXPECT_EQ(parse_term("2 дня"), (Term{2, TermUnit::days}));
  EXPECT_EQ(parse_term("30 календарных дней"), (Term{30, TermUnit::days}));
  EXPECT_EQ(parse_term("1 рабочий день"), (Term{1, TermUnit::working_days}));
  EXPECT_EQ(parse_term("2 рабочих дня"), (Term{2, TermUnit::working_days}));
  EXPECT_EQ(parse_term("5 рабочих дней"), (Term{5, TermUnit::working_days}));
  EXPECT_EQ(parse_term("1 рабочий час"), (Term{1, TermUnit::working_hours}));
  EXPECT_EQ(parse_term("4 рабочих часа"), (Term{4, TermUnit::working_hours}));
  EXPECT_EQ(parse_term("8 рабочих часов"), (Term{8, TermUnit::working_hours}));
  EXPECT_EQ(parse_term("7\xC2\xA0"
                       "дней"),
            (Term{7, TermUnit::days}))
      << "no-break space";
}

TEST(Term, RejectsAnythingElse) {
  for (const char* bad : {"", "   ", "30", "days", "30 weeks", "thirty days", "-3 days", "0 days",
                          "10001 days", "3.5 days", "30days", "30 working", "2 рабочих", "30 дн.",
                          "4 hours", "99999999999999999999 days"}) {
    EXPECT_THROW(parse_term(bad), TermError) << '"' << bad << '"';
  }
  try {
    parse_term("30 weeks");
    FAIL();
  } catch (const TermError& e) {
    EXPECT_STREQ(e.what(),
                 "\"30 weeks\" is not a deadline term (unknown unit \"weeks\"): write \"N days\", "
                 "\"N working days\" or \"N working hours\", or in Russian \"N дней\", "
                 "\"N рабочих дней\", \"N рабочих часов\", with N from 1 to 10000");
  }
}

TEST(Term, PrintsCanonically) {
  EXPECT_EQ(to_string(parse_term("30 дней")), "30 days");
  EXPECT_EQ(to_string(parse_term("1 рабочий день")), "1 working day");
  EXPECT_EQ(to_string(parse_term("4 рабочих часа")), "4 working hours");
}

// ---------------------------------------------------------------------------------------------
// The calendar itself.

int count_working(int y) {
  int n = 0;
  for (sys_days d = sys_days(ymd(y, 1, 1)); d <= sys_days(ymd(y, 12, 31)); d += days{1}) {
    n += calendar().is_working_day(year_month_day(d)) ? 1 : 0;
  }
  return n;
}

TEST(Calendar, Year2026Has247WorkingDaysAnd118DaysOff) {
  EXPECT_EQ(count_working(2026), 247);
  EXPECT_EQ(365 - count_working(2026), 118);
}

TEST(Calendar, Year2025Has247WorkingDaysAnd118DaysOff) {
  // The official 2025 totals; the file was written from the decree, not fitted to them.
  EXPECT_EQ(count_working(2025), 247);
}

TEST(Calendar, KnowsWhichYearsItHas) {
  const Calendar& c = calendar();
  EXPECT_TRUE(c.has_year(year(2025)));
  EXPECT_TRUE(c.has_year(year(2026)));
  EXPECT_TRUE(c.has_year(year(2027)));
  EXPECT_FALSE(c.has_year(year(2028)));
  EXPECT_FALSE(c.is_provisional(year(2026)));
  EXPECT_TRUE(c.is_provisional(year(2027)));
  EXPECT_FALSE(c.is_provisional(year(2028)));
  EXPECT_EQ(c.source(year(2026)), "Постановление Правительства РФ от 24.09.2025 № 1466");
  EXPECT_EQ(c.office_hours().time_zone, "Europe/Moscow");
  EXPECT_EQ(c.utc_offset(), hours(3));
}

TEST(Calendar, WorkingDays) {
  const Calendar& c = calendar();
  EXPECT_FALSE(c.is_working_day(ymd(2026, 1, 9)));  // moved from 3 January
  EXPECT_TRUE(c.is_working_day(ymd(2026, 1, 12)));
  EXPECT_FALSE(c.is_working_day(ymd(2026, 3, 9)));
  EXPECT_FALSE(c.is_working_day(ymd(2026, 12, 31)));
  EXPECT_TRUE(c.is_working_day(ymd(2025, 11, 1)));  // working Saturday
  EXPECT_FALSE(c.is_working_day(ymd(2025, 11, 3)));
  EXPECT_TRUE(c.is_working_day(ymd(2027, 12, 31)));  // not yet moved in 2027
  EXPECT_FALSE(c.is_working_day(ymd(2027, 6, 14)));  // Labour Code move of 12 June
  EXPECT_TRUE(c.is_working_day(ymd(2028, 1, 3)));    // no data: weekdays work
  EXPECT_FALSE(c.is_working_day(ymd(2028, 1, 1)));
}

TEST(Calendar, OfficeHours) {
  const Calendar& c = calendar();
  auto mon = c.office_day(ymd(2026, 1, 12));
  ASSERT_TRUE(mon);
  EXPECT_EQ(mon->start, hours(9));
  EXPECT_EQ(mon->lunch_start, hours(12));
  EXPECT_EQ(mon->lunch_end, hours(12) + minutes(48));
  EXPECT_EQ(mon->end, hours(18));
  EXPECT_FALSE(mon->shortened);
  EXPECT_EQ(c.office_day(ymd(2026, 1, 16))->end, hours(17));  // Friday
  auto eve = c.office_day(ymd(2026, 5, 8));                   // shortened Friday
  ASSERT_TRUE(eve);
  EXPECT_TRUE(eve->shortened);
  EXPECT_EQ(eve->end, hours(16));
  EXPECT_EQ(c.office_day(ymd(2025, 11, 1))->end, hours(17));  // shortened working Saturday
  EXPECT_FALSE(c.office_day(ymd(2026, 5, 1)));
}

// ---------------------------------------------------------------------------------------------
// Validation of the data files: each mistake names file:line:column.

const char* const kOffice = R"(time_zone = "Europe/Moscow"
utc_offset = "+03:00"
shortened_by_minutes = 60
lunch = "12:00-12:48"

[hours]
monday = "09:00-18:00"
tuesday = "09:00-18:00"
wednesday = "09:00-18:00"
thursday = "09:00-18:00"
friday = "09:00-17:00"
working_weekend = "09:00-18:00"
)";

std::string year_error(const std::string& contents) {
  try {
    Calendar::load({"office_hours.toml", kOffice}, {{"2026.toml", contents}});
  } catch (const CalendarError& e) {
    return e.what();
  }
  return "no error";
}

std::string office_error(const std::string& contents) {
  try {
    Calendar::load({"office_hours.toml", contents}, {});
  } catch (const CalendarError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CalendarFile, AcceptsAMinimalYear) {
  EXPECT_EQ(year_error("year = 2026\n"), "no error");
  Calendar c = Calendar::load({"office_hours.toml", kOffice}, {{"2026.toml", "year = 2026\n"}});
  EXPECT_TRUE(c.has_year(year(2026)));
  EXPECT_FALSE(c.is_provisional(year(2026)));
  EXPECT_TRUE(c.is_working_day(ymd(2026, 1, 1)));  // an empty year: weekdays work
}

TEST(CalendarFile, AcceptsTomlDateLiterals) {
  Calendar c = Calendar::load({"office_hours.toml", kOffice},
                              {{"2026.toml", "year = 2026\nholidays = [2026-01-05]\n"}});
  EXPECT_FALSE(c.is_working_day(ymd(2026, 1, 5)));
}

TEST(CalendarFile, RejectsUnknownKey) {
  EXPECT_EQ(year_error("year = 2026\nholydays = [\"2026-01-01\"]\n"),
            "2026.toml:2:1: unknown key \"holydays\"");
}

TEST(CalendarFile, RejectsBadDate) {
  EXPECT_EQ(year_error("year = 2026\nholidays = [\n  \"2026-01-01\",\n  \"2026-02-30\",\n]\n"),
            "2026.toml:4:3: holidays: \"2026-02-30\" is not a date (YYYY-MM-DD) or a range "
            "(YYYY-MM-DD..YYYY-MM-DD)");
  EXPECT_EQ(year_error("year = 2026\nshortened = [\"04-30\"]\n"),
            "2026.toml:2:14: shortened: \"04-30\" is not a date (YYYY-MM-DD) or a range "
            "(YYYY-MM-DD..YYYY-MM-DD)");
  EXPECT_EQ(year_error("year = 2026\nholidays = [\"2026-01-11..2026-01-01\"]\n"),
            "2026.toml:2:13: holidays: \"2026-01-11..2026-01-01\" ends before it starts");
  EXPECT_EQ(year_error("year = 2026\nholidays = [1]\n"),
            "2026.toml:2:13: holidays: each element must be a date in quotes");
}

TEST(CalendarFile, RejectsDateOutsideTheYear) {
  // The usual slip when last year's file is copied and only `year` is updated.
  EXPECT_EQ(year_error("year = 2026\nholidays = [\"2025-12-31\"]\n"),
            "2026.toml:2:13: holidays: \"2025-12-31\" is outside the year 2026");
  EXPECT_EQ(year_error("year = 2026\nholidays = [\"2026-12-30..2027-01-08\"]\n"),
            "2026.toml:2:13: holidays: \"2026-12-30..2027-01-08\" is outside the year 2026");
}

TEST(CalendarFile, RejectsDuplicates) {
  EXPECT_EQ(year_error("year = 2026\nholidays = [\n  \"2026-01-01..2026-01-11\",\n"
                       "  \"2026-01-09\",\n]\n"),
            "2026.toml:4:3: holidays: 2026-01-09 is listed twice (also at line 3)");
}

TEST(CalendarFile, RejectsContradictions) {
  EXPECT_EQ(year_error("year = 2026\nworking_days = [\"2026-01-12\"]\n"),
            "2026.toml:2:17: working_days: 2026-01-12 is a Monday, a working day anyway; list "
            "only Saturdays and Sundays here");
  EXPECT_EQ(
      year_error("year = 2026\nholidays = [\"2026-01-03\"]\nworking_days = [\"2026-01-03\"]\n"),
      "2026.toml:3:17: working_days: 2026-01-03 is also in holidays (line 2)");
  EXPECT_EQ(
      year_error("year = 2026\nholidays = [\"2026-05-01\"]\nshortened = [\"2026-05-01\"]\n"),
      "2026.toml:3:14: shortened: 2026-05-01 is not a working day, so it cannot be shortened");
  EXPECT_EQ(
      year_error("year = 2026\nshortened = [\"2026-05-02\"]\n"),
      "2026.toml:2:14: shortened: 2026-05-02 is not a working day, so it cannot be shortened");
}

TEST(CalendarFile, RejectsBadYearAndSyntax) {
  EXPECT_EQ(year_error("provisional = false\n"), "2026.toml:1:1: missing key \"year\"");
  EXPECT_EQ(year_error("year = \"2026\"\n"),
            "2026.toml:1:8: year must be a whole number like 2026");
  EXPECT_EQ(year_error("year = 2026\nprovisional = \"no\"\n"),
            "2026.toml:2:15: provisional must be true or false");
  // TOML syntax errors keep toml++'s wording behind our file:line:column.
  EXPECT_EQ(year_error("year = 2026\nholidays = [\"2026-01-01\"\n").rfind("2026.toml:2:26: ", 0),
            0u);
  EXPECT_EQ(year_error("year = 2026\nholidays = \"2026-01-01\"\n"),
            "2026.toml:2:12: holidays must be a list: [\"...\", ...]");
}

TEST(CalendarFile, RejectsTheSameYearTwice) {
  try {
    Calendar::load({"office_hours.toml", kOffice},
                   {{"2026.toml", "year = 2026\n"}, {"2026-copy.toml", "\nyear = 2026\n"}});
    FAIL();
  } catch (const CalendarError& e) {
    EXPECT_STREQ(e.what(), "2026-copy.toml:2:8: year 2026 is already loaded from 2026.toml");
  }
}

TEST(CalendarFile, OfficeHoursErrors) {
  EXPECT_EQ(office_error(kOffice), "no error");
  auto edit = [](const std::string& from, const std::string& to) {
    std::string s = kOffice;
    s.replace(s.find(from), from.size(), to);
    return office_error(s);
  };
  EXPECT_EQ(edit("friday", "fryday"), "office_hours.toml:11:1: unknown key \"fryday\" in [hours]");
  EXPECT_EQ(edit("\"09:00-17:00\"", "\"9-17\""),
            "office_hours.toml:11:10: friday: \"9-17\" is not a time span like \"09:00-18:00\"");
  EXPECT_EQ(edit("\"09:00-17:00\"", "\"17:00-09:00\""),
            "office_hours.toml:11:10: friday: \"17:00-09:00\" ends before it starts");
  EXPECT_EQ(edit("\"09:00-17:00\"", "\"13:00-17:00\""),
            "office_hours.toml:11:10: friday: the lunch break is outside these hours");
  EXPECT_EQ(edit("+03:00", "MSK"),
            "office_hours.toml:2:14: utc_offset: \"MSK\" is not an offset like \"+03:00\"");
  EXPECT_EQ(edit("shortened_by_minutes = 60", "shortened_by_minutes = 600"),
            "office_hours.toml:3:24: shortened_by_minutes must be a whole number from 0 to 240");
  EXPECT_EQ(edit("working_weekend = \"09:00-18:00\"\n", ""),
            "office_hours.toml:6:1: missing key \"working_weekend\"");
}

}  // namespace
