#include "engine/business_calendar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <random>
#include <string>

#include "engine/sla.h"

namespace steadfast::engine {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kMinute = 60'000;

Timestamp At(const char* iso) {
  const std::optional<Timestamp> t = ParseIso8601(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(Timestamp{});
}

BusinessCalendar Calendar(const char* zone, const char* hours, const char* holidays = "") {
  Result<BusinessCalendar> cal = BusinessCalendar::Parse(zone, hours, holidays);
  EXPECT_TRUE(cal.ok()) << cal.status().ToString();
  if (!cal.ok()) {
    return std::move(*BusinessCalendar::Parse("UTC", "24/7", ""));
  }
  return std::move(cal).value();
}

// Compares as ISO text so a failure shows the instants.
#define EXPECT_AT(actual, iso) EXPECT_EQ(FormatIso8601(actual), FormatIso8601(At(iso)))

// ---- Weekends, holidays, open and closed starts (UTC; 2030-01-07 is a Monday). ----

TEST(BusinessCalendarTest, FridayAfternoonRollsOverTheWeekend) {
  const BusinessCalendar cal = Calendar("UTC", "mon-fri 09:00-17:00");
  const Timestamp friday_4pm = At("2030-01-11T16:00:00Z");
  // 1 hour on Friday (16–17), then Monday from 09:00.
  EXPECT_AT(cal.AddBusinessTime(friday_4pm, 1 * kHour), "2030-01-11T17:00:00Z");
  EXPECT_AT(cal.AddBusinessTime(friday_4pm, 3 * kHour), "2030-01-14T11:00:00Z");
  EXPECT_AT(cal.AddBusinessTime(friday_4pm, 4 * kHour), "2030-01-14T12:00:00Z");
  EXPECT_EQ(cal.BusinessTimeBetween(friday_4pm, At("2030-01-14T12:00:00Z")), 4 * kHour);
}

TEST(BusinessCalendarTest, StartOnSaturdayCountsFromMondayMorning) {
  const BusinessCalendar cal = Calendar("UTC", "mon-fri 09:00-17:00");
  const Timestamp saturday = At("2030-01-12T10:00:00Z");
  EXPECT_FALSE(cal.IsOpen(saturday));
  EXPECT_AT(cal.NextOpen(saturday), "2030-01-14T09:00:00Z");
  EXPECT_AT(cal.AddBusinessTime(saturday, 2 * kHour), "2030-01-14T11:00:00Z");
  // A full day's worth ends at Monday's close, not Tuesday's opening.
  EXPECT_AT(cal.AddBusinessTime(saturday, 8 * kHour), "2030-01-14T17:00:00Z");
  EXPECT_AT(cal.AddBusinessTime(saturday, 8 * kHour + 1), "2030-01-15T09:00:00.001Z");
  EXPECT_EQ(cal.BusinessTimeBetween(saturday, At("2030-01-14T09:00:00Z")), 0);
}

TEST(BusinessCalendarTest, OpenAndCloseBoundaries) {
  const BusinessCalendar cal = Calendar("UTC", "mon-fri 09:00-17:00");
  EXPECT_FALSE(cal.IsOpen(At("2030-01-07T08:59:59.999Z")));
  EXPECT_TRUE(cal.IsOpen(At("2030-01-07T09:00:00Z")));
  EXPECT_TRUE(cal.IsOpen(At("2030-01-07T16:59:59.999Z")));
  EXPECT_FALSE(cal.IsOpen(At("2030-01-07T17:00:00Z")));
  EXPECT_AT(cal.NextOpen(At("2030-01-07T10:00:00Z")), "2030-01-07T10:00:00Z");
  EXPECT_AT(cal.NextOpen(At("2030-01-07T17:00:00Z")), "2030-01-08T09:00:00Z");
  EXPECT_AT(cal.AddBusinessTime(At("2030-01-07T10:00:00Z"), 0), "2030-01-07T10:00:00Z");
  EXPECT_EQ(cal.BusinessTimeBetween(At("2030-01-08T00:00:00Z"), At("2030-01-07T00:00:00Z")), 0);
}

TEST(BusinessCalendarTest, HolidayMondayIsSkipped) {
  const BusinessCalendar cal = Calendar("UTC", "mon-fri 09:00-17:00", "2030-01-14");
  const Timestamp friday_4pm = At("2030-01-11T16:00:00Z");
  EXPECT_AT(cal.AddBusinessTime(friday_4pm, 4 * kHour), "2030-01-15T12:00:00Z");
  EXPECT_FALSE(cal.IsOpen(At("2030-01-14T10:00:00Z")));
  EXPECT_AT(cal.NextOpen(At("2030-01-12T00:00:00Z")), "2030-01-15T09:00:00Z");
  EXPECT_EQ(cal.BusinessTimeBetween(At("2030-01-13T00:00:00Z"), At("2030-01-16T00:00:00Z")),
            8 * kHour);
}

TEST(BusinessCalendarTest, AYearOfHolidaysIsFine) {
  // Every day of 2030 but the last is a holiday: the next opening is 31 December.
  const BusinessCalendar cal = Calendar("UTC", "mon-fri 09:00-17:00", "2030-01-01..2030-12-30");
  EXPECT_AT(cal.NextOpen(At("2029-12-31T18:00:00Z")), "2030-12-31T09:00:00Z");
  EXPECT_AT(cal.AddBusinessTime(At("2029-12-31T16:00:00Z"), 2 * kHour), "2030-12-31T10:00:00Z");
  EXPECT_EQ(cal.BusinessTimeBetween(At("2029-12-31T16:00:00Z"), At("2030-12-31T10:00:00Z")),
            2 * kHour);
}

TEST(BusinessCalendarTest, SplitDayAndSaturday) {
  const BusinessCalendar cal = Calendar("UTC", "mon-fri 09:00-12:00 13:00-17:30, sat 10:00-14:00");
  // Friday 11:00: 1h to noon, 4.5h after lunch = 5.5h on Friday; then Saturday 10:00 + 0.5h.
  EXPECT_AT(cal.AddBusinessTime(At("2030-01-11T11:00:00Z"), 6 * kHour), "2030-01-12T10:30:00Z");
  EXPECT_FALSE(cal.IsOpen(At("2030-01-11T12:30:00Z")));
  EXPECT_AT(cal.NextOpen(At("2030-01-11T12:30:00Z")), "2030-01-11T13:00:00Z");
  // A whole week: 5 × 7.5h + 4h.
  EXPECT_EQ(cal.BusinessTimeBetween(At("2030-01-07T00:00:00Z"), At("2030-01-14T00:00:00Z")),
            5 * (7 * kHour + 30 * kMinute) + 4 * kHour);
}

TEST(BusinessCalendarTest, MidnightSpanningHoursAsTwoRanges) {
  const BusinessCalendar cal = Calendar("UTC", "fri 22:00-24:00, sat 00:00-06:00");
  EXPECT_TRUE(cal.IsOpen(At("2030-01-11T23:59:59.999Z")));
  EXPECT_TRUE(cal.IsOpen(At("2030-01-12T00:00:00Z")));
  EXPECT_FALSE(cal.IsOpen(At("2030-01-12T06:00:00Z")));
  EXPECT_AT(cal.AddBusinessTime(At("2030-01-11T23:00:00Z"), 2 * kHour), "2030-01-12T01:00:00Z");
  EXPECT_AT(cal.AddBusinessTime(At("2030-01-11T23:00:00Z"), 7 * kHour), "2030-01-12T06:00:00Z");
  // One millisecond more waits for the next Friday night.
  EXPECT_AT(cal.AddBusinessTime(At("2030-01-11T23:00:00Z"), 7 * kHour + 1),
            "2030-01-18T22:00:00.001Z");
  EXPECT_EQ(cal.BusinessTimeBetween(At("2030-01-11T00:00:00Z"), At("2030-01-13T00:00:00Z")),
            8 * kHour);
}

TEST(BusinessCalendarTest, AlwaysOpen) {
  const BusinessCalendar cal = Calendar("UTC", "24/7");
  const Timestamp t = At("2030-01-11T16:00:00Z");
  EXPECT_TRUE(cal.IsOpen(t));
  EXPECT_AT(cal.AddBusinessTime(t, 36 * kHour), "2030-01-13T04:00:00Z");
  EXPECT_EQ(cal.BusinessTimeBetween(t, At("2030-02-11T16:00:00Z")), 31 * 24 * kHour);
}

// ---- Daylight saving. Transitions (from the tz database, checked against `zdump -v`):
// Europe/Berlin 2026: 29 March 01:00Z (02:00 CET → 03:00 CEST), 25 October 01:00Z (03:00 CEST →
// 02:00 CET). America/New_York 2026: 8 March 07:00Z (02:00 EST → 03:00 EDT), 1 November 06:00Z
// (02:00 EDT → 01:00 EST). Expected instants below are worked out by hand from these.

TEST(BusinessCalendarTest, BerlinNineToFiveDaysStayEightHoursAcrossDst) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "daily 09:00-17:00");
  // Sunday 29 March: local midnight is 23:00Z (CET) the day before; Monday's is 22:00Z (CEST).
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-03-28T23:00:00Z"), At("2026-03-29T22:00:00Z")),
            8 * kHour);
  // 09:00 CEST = 07:00Z.
  EXPECT_FALSE(cal.IsOpen(At("2026-03-29T06:59:59Z")));
  EXPECT_TRUE(cal.IsOpen(At("2026-03-29T07:00:00Z")));
  // Sunday 25 October: 00:00 CEST = 22:00Z Saturday; Monday 00:00 CET = 23:00Z Sunday.
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-10-24T22:00:00Z"), At("2026-10-25T23:00:00Z")),
            8 * kHour);
  // Saturday 16:00 CET (15:00Z) + 2h: 1h on Saturday, then Sunday 09:00 CEST (07:00Z) + 1h.
  EXPECT_AT(cal.AddBusinessTime(At("2026-03-28T15:00:00Z"), 2 * kHour), "2026-03-29T08:00:00Z");
  // Saturday 16:00 CEST (14:00Z) + 2h: Sunday 09:00 CET (08:00Z) + 1h.
  EXPECT_AT(cal.AddBusinessTime(At("2026-10-24T14:00:00Z"), 2 * kHour), "2026-10-25T09:00:00Z");
}

TEST(BusinessCalendarTest, BerlinWeekdayDeadlineAcrossSpringForward) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "mon-fri 09:00-17:00");
  // Friday 27 March 16:00 CET = 15:00Z; + 4h = 1h Friday + Monday 09:00–12:00 CEST (07–10Z).
  EXPECT_AT(cal.AddBusinessTime(At("2026-03-27T15:00:00Z"), 4 * kHour), "2026-03-30T10:00:00Z");
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-03-27T15:00:00Z"), At("2026-03-30T10:00:00Z")),
            4 * kHour);
}

TEST(BusinessCalendarTest, AlwaysOpenCountsTheRealLengthOfDstDays) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "24/7");
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-03-28T23:00:00Z"), At("2026-03-29T22:00:00Z")),
            23 * kHour);
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-10-24T22:00:00Z"), At("2026-10-25T23:00:00Z")),
            25 * kHour);
  // 24 business hours are 24 real hours, whatever the wall clock did.
  EXPECT_AT(cal.AddBusinessTime(At("2026-03-28T11:00:00Z"), 24 * kHour), "2026-03-29T11:00:00Z");
}

TEST(BusinessCalendarTest, HoursAroundTheChangeFollowTheWallClock) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "daily 00:00-06:00");
  // Spring: 02:00–03:00 never shows on the wall, so the night has 5 open hours (until 06:00
  // CEST = 04:00Z).
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-03-28T23:00:00Z"), At("2026-03-29T04:00:00Z")),
            5 * kHour);
  // Autumn: 02:00–03:00 shows twice and counts twice: 7 open hours (until 06:00 CET = 05:00Z).
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-10-24T22:00:00Z"), At("2026-10-25T05:00:00Z")),
            7 * kHour);
  EXPECT_TRUE(cal.IsOpen(At("2026-10-25T01:30:00Z")));  // 02:30 CET, the second time round.
  // From 01:00 CET (00:00Z) on the spring night, 2h lands at 04:00 CEST = 02:00Z.
  EXPECT_AT(cal.AddBusinessTime(At("2026-03-29T00:00:00Z"), 2 * kHour), "2026-03-29T02:00:00Z");
}

TEST(BusinessCalendarTest, NewYorkDstWeeks) {
  const BusinessCalendar weekdays = Calendar("America/New_York", "mon-fri 09:00-17:00");
  // Friday 6 March 16:00 EST = 21:00Z; Monday 9 March 09:00 EDT = 13:00Z, + 3h = 16:00Z.
  EXPECT_AT(weekdays.AddBusinessTime(At("2026-03-06T21:00:00Z"), 4 * kHour),
            "2026-03-09T16:00:00Z");
  // Friday 30 October 16:00 EDT = 20:00Z; Monday 2 November 09:00 EST = 14:00Z, + 3h = 17:00Z.
  EXPECT_AT(weekdays.AddBusinessTime(At("2026-10-30T20:00:00Z"), 4 * kHour),
            "2026-11-02T17:00:00Z");
  EXPECT_EQ(weekdays.BusinessTimeBetween(At("2026-10-30T20:00:00Z"), At("2026-11-02T17:00:00Z")),
            4 * kHour);

  const BusinessCalendar daily = Calendar("America/New_York", "daily 09:00-17:00");
  // Sunday 8 March: 00:00 EST = 05:00Z to Monday 00:00 EDT = 04:00Z.
  EXPECT_EQ(daily.BusinessTimeBetween(At("2026-03-08T05:00:00Z"), At("2026-03-09T04:00:00Z")),
            8 * kHour);
  // Sunday 1 November: 00:00 EDT = 04:00Z to Monday 00:00 EST = 05:00Z.
  EXPECT_EQ(daily.BusinessTimeBetween(At("2026-11-01T04:00:00Z"), At("2026-11-02T05:00:00Z")),
            8 * kHour);
  const BusinessCalendar always = Calendar("America/New_York", "24/7");
  EXPECT_EQ(always.BusinessTimeBetween(At("2026-11-01T04:00:00Z"), At("2026-11-02T05:00:00Z")),
            25 * kHour);
}

TEST(BusinessCalendarTest, SydneySouthernDst) {
  // Australia/Sydney 2026: AEDT (+11) ends Sunday 5 April 03:00 → 02:00 AEST (+10).
  const BusinessCalendar cal = Calendar("Australia/Sydney", "mon-fri 09:00-17:00");
  // Friday 3 April 16:00 AEDT = 05:00Z; Monday 6 April 09:00 AEST = 23:00Z Sunday; + 3h = 02:00Z.
  EXPECT_AT(cal.AddBusinessTime(At("2026-04-03T05:00:00Z"), 4 * kHour), "2026-04-06T02:00:00Z");
  EXPECT_TRUE(cal.IsOpen(At("2026-04-05T23:00:00Z")));
  EXPECT_FALSE(cal.IsOpen(At("2026-04-05T22:59:59Z")));
}

TEST(BusinessCalendarTest, KolkataHalfHourOffset) {
  // IST is +05:30 all year. Friday 9 January 2026 17:00 IST = 11:30Z; Monday 12 January 09:30
  // IST = 04:00Z, + 1h = 05:00Z.
  const BusinessCalendar cal = Calendar("Asia/Kolkata", "mon-fri 09:30-18:00");
  EXPECT_AT(cal.AddBusinessTime(At("2026-01-09T11:30:00Z"), 2 * kHour), "2026-01-12T05:00:00Z");
  EXPECT_AT(cal.NextOpen(At("2026-01-10T00:00:00Z")), "2026-01-12T04:00:00Z");
}

// ---- Properties over many random starts, fixed seed. ----

TEST(BusinessCalendarTest, BetweenInvertsAddBusinessTime) {
  const BusinessCalendar calendars[] = {
      Calendar("Europe/Berlin", "mon-fri 09:00-17:30, sat 10:00-14:00",
               "2026-12-24..2026-12-26, 2027-01-01, 2041-05-01"),
      Calendar("America/New_York", "daily 00:00-06:00, fri 22:00-24:00"),
      Calendar("Australia/Sydney", "mon-thu 08:00-12:00 13:00-17:00"),
      Calendar("Asia/Kolkata", "mon-sat 09:30-18:00", "2026-08-15, 2026-10-02"),
      Calendar("Europe/Berlin", "24/7"),
      Calendar("America/Nuuk", "sun 00:00-01:00, sat 23:00-24:00"),
  };
  std::mt19937_64 rng(42);
  // 2025 to 2045: both sides of the last transition written in the zone files (2037).
  std::uniform_int_distribution<int64_t> start_ms(At("2025-01-01T00:00:00Z").millis,
                                                  At("2045-01-01T00:00:00Z").millis);
  std::uniform_int_distribution<int64_t> amount_ms(0, 300 * kHour);
  for (const BusinessCalendar& cal : calendars) {
    for (int i = 0; i < 3000; ++i) {
      const Timestamp start{start_ms(rng)};
      const int64_t amount = i % 10 == 0 ? amount_ms(rng) / kMinute * kMinute : amount_ms(rng);
      const Timestamp due = cal.AddBusinessTime(start, amount);
      ASSERT_GE(due, start);
      ASSERT_EQ(cal.BusinessTimeBetween(start, due), amount)
          << cal.zone().name() << " from " << FormatIso8601(start) << " + " << amount;
      if (amount > 0) {
        // The earliest such instant: the millisecond before it was open and still short of it.
        ASSERT_TRUE(cal.IsOpen(Timestamp{due.millis - 1})) << FormatIso8601(due);
        ASSERT_EQ(cal.BusinessTimeBetween(start, Timestamp{due.millis - 1}), amount - 1);
      }
      const Timestamp open = cal.NextOpen(start);
      ASSERT_TRUE(cal.IsOpen(open));
      ASSERT_EQ(cal.BusinessTimeBetween(start, open), 0);
    }
  }
}

// Counting open minutes one by one is slow but obviously right; the fast paths must agree.
TEST(BusinessCalendarTest, BetweenMatchesCountingMinutes) {
  const BusinessCalendar calendars[] = {
      Calendar("Europe/Berlin", "daily 00:00-03:30 09:00-17:00, fri 22:00-24:00", "2026-10-26"),
      Calendar("America/New_York", "mon-sat 01:15-02:45 08:00-18:00"),
  };
  std::mt19937_64 rng(7);
  // Weeks around the 2026 changes in both zones (the 25 Oct and 1 Nov weekends, 8 and 29 Mar).
  const int64_t windows[] = {At("2026-03-06T00:00:00Z").millis, At("2026-03-27T00:00:00Z").millis,
                             At("2026-10-23T00:00:00Z").millis, At("2026-10-30T00:00:00Z").millis};
  std::uniform_int_distribution<int64_t> minute(0, 4 * 24 * 60);
  for (const BusinessCalendar& cal : calendars) {
    for (int64_t window : windows) {
      for (int i = 0; i < 20; ++i) {
        int64_t a = window + minute(rng) * kMinute;
        int64_t b = window + minute(rng) * kMinute;
        if (b < a) {
          std::swap(a, b);
        }
        int64_t open_minutes = 0;
        for (int64_t t = a; t < b; t += kMinute) {
          open_minutes += cal.IsOpen(Timestamp{t}) ? 1 : 0;
        }
        ASSERT_EQ(cal.BusinessTimeBetween(Timestamp{a}, Timestamp{b}), open_minutes * kMinute)
            << cal.zone().name() << " " << FormatIso8601(Timestamp{a}) << " .. "
            << FormatIso8601(Timestamp{b});
      }
    }
  }
}

TEST(BusinessCalendarTest, FarFutureIsBounded) {
  const BusinessCalendar cal = Calendar("Europe/Berlin", "mon 09:00-09:01");
  EXPECT_EQ(cal.AddBusinessTime(At("2026-01-01T00:00:00Z"), INT64_MAX),
            BusinessCalendar::kEndOfTime);
  // 1 minute a week: 100,000 minutes is about 1,900 years on.
  const Timestamp due = cal.AddBusinessTime(At("2026-01-01T00:00:00Z"), 100'000 * kMinute);
  EXPECT_GT(due, At("3900-01-01T00:00:00Z"));
  EXPECT_EQ(cal.BusinessTimeBetween(At("2026-01-01T00:00:00Z"), due), 100'000 * kMinute);
}

// ---- Parsing. ----

TEST(WeeklyHoursTest, ParsesAndFormats) {
  const Result<WeeklyHours> hours = ParseWeeklyHours("Mon-Fri 09:00-17:30, sat 10:00–14:00");
  ASSERT_TRUE(hours.ok()) << hours.status().ToString();
  EXPECT_EQ((*hours)[0], (std::vector<TimeRange>{{540, 1050}}));
  EXPECT_EQ((*hours)[5], (std::vector<TimeRange>{{600, 840}}));
  EXPECT_TRUE((*hours)[6].empty());
  EXPECT_EQ(FormatWeeklyHours(*hours), "mon-fri 09:00-17:30, sat 10:00-14:00");
  EXPECT_EQ(FormatWeeklyHours(*ParseWeeklyHours("24/7")), "24/7");
  EXPECT_EQ(FormatWeeklyHours(*ParseWeeklyHours("daily 0:00-24:00")), "24/7");
  EXPECT_EQ(FormatWeeklyHours(*ParseWeeklyHours("weekdays 8-12 13-17; sun closed")),
            "mon-fri 08:00-12:00 13:00-17:00");
  // Touching ranges merge; days wrap; full names; several entries for one day.
  EXPECT_EQ(FormatWeeklyHours(*ParseWeeklyHours("friday - monday 09:00-12:00\nmon 12:00-13:00")),
            "mon 09:00-13:00, fri-sun 09:00-12:00");
  EXPECT_EQ(FormatWeeklyHours(*ParseWeeklyHours("fri 22:00-24:00, sat 00:00-06:00")),
            "fri 22:00-24:00, sat 00:00-06:00");
}

void ExpectHoursError(const char* text, const char* needle) {
  const Result<WeeklyHours> hours = ParseWeeklyHours(text);
  ASSERT_FALSE(hours.ok()) << text;
  EXPECT_EQ(hours.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(hours.status().field(), "hours");
  EXPECT_NE(hours.status().message().find(needle), std::string::npos)
      << text << " → " << hours.status().message();
}

TEST(WeeklyHoursTest, RejectsWithClearMessages) {
  ExpectHoursError("", "required");
  ExpectHoursError("mun 09:00-17:00", "unknown day \"mun\"");
  ExpectHoursError("mon-fry 09:00-17:00", "unknown day \"fry\"");
  ExpectHoursError("mon 17:00-09:00", "ends before it starts");
  ExpectHoursError("mon 22:00-06:00", "two ranges");
  ExpectHoursError("mon 09:00-09:00", "empty");
  ExpectHoursError("mon 09:00-12:00, mon 11:00-17:00", "mon: 09:00-12:00 overlaps 11:00-17:00");
  ExpectHoursError("mon 24:00-24:00", "starts at 24:00");
  ExpectHoursError("mon 09:00-24:30", "\"24:30\"");
  ExpectHoursError("mon 9.00-17.00", "is not a time");
  ExpectHoursError("mon 09:00", "not a range");
  ExpectHoursError("mon-fri", "has no hours");
  ExpectHoursError("sun closed 10:00-12:00", "either closed");
}

TEST(HolidaysTest, ParsesListsRangesAndComments) {
  const Result<std::vector<LocalDate>> days =
      ParseHolidays("2026-12-26, 2026-12-25  # Christmas\n2026-12-31..2027-01-01\n2026-12-25");
  ASSERT_TRUE(days.ok()) << days.status().ToString();
  EXPECT_EQ(*days,
            (std::vector<LocalDate>{{2026, 12, 25}, {2026, 12, 26}, {2026, 12, 31}, {2027, 1, 1}}));
  EXPECT_TRUE(ParseHolidays("").ok());
  EXPECT_TRUE(ParseHolidays("")->empty());
  for (const auto& [text, needle] : {std::pair{"2026-02-30", "\"2026-02-30\" is not a date"},
                                     std::pair{"2026-12-25 Christmas", "\"Christmas\""},
                                     std::pair{"2026-12-31..2026-12-24", "ends before"},
                                     std::pair{"2026-01-01..2027-06-01", "longer than 366"}}) {
    const Result<std::vector<LocalDate>> bad = ParseHolidays(text);
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.status().field(), "holidays");
    EXPECT_NE(bad.status().message().find(needle), std::string::npos) << bad.status().message();
  }
}

TEST(BusinessCalendarTest, CreateRejectsACalendarThatIsNeverOpen) {
  const Result<BusinessCalendar> closed = BusinessCalendar::Create(TimeZone::Utc(), {}, {});
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.status().field(), "hours");
  EXPECT_FALSE(BusinessCalendar::Parse("UTC", "sun closed", "").ok());
  WeeklyHours backwards;
  backwards[0].push_back({600, 540});
  EXPECT_FALSE(BusinessCalendar::Create(TimeZone::Utc(), backwards, {}).ok());
  WeeklyHours fine;
  fine[0].push_back({540, 600});
  EXPECT_FALSE(BusinessCalendar::Create(TimeZone::Utc(), fine, {{2026, 2, 30}}).ok());
  const Result<BusinessCalendar> bad_zone = BusinessCalendar::Parse("Mars/Base", "24/7", "");
  ASSERT_FALSE(bad_zone.ok());
  EXPECT_EQ(bad_zone.status().field(), "time_zone");
}

// ---- SLA due times. ----

TEST(SlaTest, DueTimeCountsOnlyBusinessTimeNotYetUsed) {
  const BusinessCalendar cal = Calendar("UTC", "mon-fri 09:00-17:00");
  // The clock in the style guide: opened Monday 16:30 with a 1-business-hour target.
  const Timestamp monday = At("2030-01-07T16:30:00Z");
  EXPECT_AT(SlaDueAt(cal, monday, minutes(0), hours(1)), "2030-01-08T09:30:00Z");
  EXPECT_EQ(cal.BusinessTimeBetween(monday, At("2030-01-08T09:29:00Z")), 59 * kMinute);
  // Paused (pending) from Tuesday 10:00 to Thursday 15:00 after 1h30 of use; 4h target.
  const int64_t used = cal.BusinessTimeBetween(monday, At("2030-01-08T10:00:00Z"));
  EXPECT_EQ(used, 90 * kMinute);
  EXPECT_AT(SlaDueAt(cal, At("2030-01-10T15:00:00Z"), minutes(90), hours(4)),
            "2030-01-11T09:30:00Z");
  // Already used up: due at once.
  EXPECT_AT(SlaDueAt(cal, At("2030-01-10T15:00:00Z"), hours(5), hours(4)), "2030-01-10T15:00:00Z");

  SlaPolicy policy;
  policy.by_priority[static_cast<size_t>(domain::Priority::kUrgent)].first_reply = hours(1);
  EXPECT_EQ(policy.For(domain::Priority::kUrgent).first_reply, hours(1));
  EXPECT_FALSE(policy.For(domain::Priority::kLow).first_reply.has_value());
}

}  // namespace
}  // namespace steadfast::engine
