#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/time.h"
#include "engine/time_zone.h"

namespace steadfast::engine {

// Open hours within one local day: [start, end) in minutes after local midnight,
// 0 ≤ start < end ≤ 1440 (24:00 may only end a range).
struct TimeRange {
  int start_minute = 0;
  int end_minute = 0;

  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

// The open ranges of each weekday, index 0 = Monday … 6 = Sunday. A day may have none (closed)
// or several. Hours past midnight are two ranges: "fri 22:00-24:00, sat 00:00-06:00".
using WeeklyHours = std::array<std::vector<TimeRange>, 7>;

// Parses the hours form admins and the API use; returns them sorted, with touching ranges
// merged. Grammar (case-insensitive):
//   "24/7"                                  every day, all day
//   entry [(',' | ';' | newline) entry]...
//   entry := days range [range]... | days "closed"
//   days  := day | day '-' day (may wrap: "fri-mon") | "daily" | "weekdays" | "weekends"
//   day   := mon tue wed thu fri sat sun, or the full name
//   range := time '-' time;  time := H, HH, H:MM or HH:MM, 00:00–24:00
// e.g. "mon-fri 09:00-17:30, sat 10:00-14:00" or "mon-fri 8-12 13-17".
// A day may appear in several entries. Errors: InvalidArgument, field "hours", naming the entry
// and what is wrong (unknown day, not a time, 24:00 as a start, end before start, overlap).
[[nodiscard]] Result<WeeklyHours> ParseWeeklyHours(std::string_view text);

// The canonical text of `hours`, which ParseWeeklyHours reads back to the same value:
// "24/7", or "mon-fri 09:00-17:30, sat 10:00-14:00"; "closed" when no day has hours.
std::string FormatWeeklyHours(const WeeklyHours& hours);

// Parses holiday dates separated by commas, spaces or newlines: "2026-12-25, 2026-12-26", or a
// range "2026-12-24..2026-12-31" (at most 366 days); '#' starts a comment to the end of the line.
// Returns them sorted without duplicates; empty text is no holidays. Errors: InvalidArgument,
// field "holidays", naming the entry.
[[nodiscard]] Result<std::vector<LocalDate>> ParseHolidays(std::string_view text);

// When a team works: a time zone, weekly open hours, and holidays (local dates, closed all day).
//
// An instant is open when the wall clock of the zone shows a time inside that weekday's hours and
// its local date is not a holiday. So a 09:00–17:00 day is 8 business hours on the days clocks
// change, a 24/7 calendar has a 23- and a 25-hour day, local hours inside a spring-forward gap do
// not happen, and an hour the wall clock shows twice in the autumn counts twice when open.
//
// Immutable after Create; every method is const, pure and safe from any thread. Nothing walks
// minute by minute or day by day: weeks are counted arithmetically, so an operation costs
// O(log n) (n = ranges per day + holidays) per daylight-saving change it crosses, plus, for
// NextOpen and AddBusinessTime, one such step per holiday it passes. Instants are taken within
// years 1–9999; a result after 9999 comes back as kEndOfTime.
class BusinessCalendar {
 public:
  // 10000-01-01T00:00:00Z.
  static constexpr Timestamp kEndOfTime{253'402'300'800'000};

  // Errors (InvalidArgument): a range out of 00:00–24:00 or empty ("hours"), overlapping ranges
  // ("hours"), no open hours in the whole week ("hours": it could never meet a deadline), an
  // invalid date or more than 10,000 holidays ("holidays").
  [[nodiscard]] static Result<BusinessCalendar> Create(TimeZone zone, const WeeklyHours& hours,
                                                       std::vector<LocalDate> holidays);

  // Loads the zone and parses both texts, then Create. Errors: those of TimeZone::Load,
  // ParseWeeklyHours, ParseHolidays and Create.
  [[nodiscard]] static Result<BusinessCalendar> Parse(std::string_view time_zone,
                                                      std::string_view hours,
                                                      std::string_view holidays);

  const TimeZone& zone() const { return zone_; }
  const WeeklyHours& hours() const { return hours_; }
  const std::vector<LocalDate>& holidays() const { return holidays_; }

  // Whether `t` is within open hours.
  bool IsOpen(Timestamp t) const;

  // The first open instant at or after `t`: `t` itself when open.
  Timestamp NextOpen(Timestamp t) const;

  // The deadline `millis` of business time after `start`: the earliest instant d with
  // BusinessTimeBetween(start, d) == millis. A start outside hours counts from the next opening;
  // a deadline that uses up a day's hours exactly is that day's closing time, not the next
  // opening. `millis` == 0 gives `start`. REQUIRES: millis ≥ 0.
  Timestamp AddBusinessTime(Timestamp start, int64_t millis) const;

  // Business milliseconds in [a, b); 0 when b ≤ a.
  int64_t BusinessTimeBetween(Timestamp a, Timestamp b) const;

 private:
  BusinessCalendar() = default;

  // All below work in local wall-clock milliseconds (see TimeZone) with no zone involved.
  int64_t InDay(int weekday, int64_t ms_of_day) const;  // Business ms in [00:00, ms) of a day.
  int64_t Weekly(int64_t local) const;      // Business ms from the local epoch, holidays ignored.
  int64_t OnHolidays(int64_t local) const;  // The part of Weekly(local) that falls on holidays.
  int64_t Cumulative(int64_t local) const { return Weekly(local) - OnHolidays(local); }
  int64_t WeeklyInverse(int64_t value) const;  // Earliest local with Weekly(local) == value.
  // The earliest local ≥ `from` with Cumulative(local) == value. REQUIRES: value >
  // Cumulative(from).
  int64_t Reach(int64_t from, int64_t value) const;
  bool IsHoliday(int64_t day) const;
  bool IsOpenLocal(int64_t local) const;

  TimeZone zone_ = TimeZone::Utc();
  WeeklyHours hours_;
  std::vector<LocalDate> holidays_;

  // Per weekday (0 = Monday): open ranges in ms of the day, and business ms before each range.
  struct Day {
    std::vector<int64_t> starts;
    std::vector<int64_t> ends;
    std::vector<int64_t> before;  // before[i] = business ms of ranges 0..i-1; size + 1 entries.
  };
  std::array<Day, 7> days_;
  // Business ms in the first k days of a week that starts on a Thursday (1970-01-01 was one).
  std::array<int64_t, 8> week_prefix_{};
  int64_t week_ms_ = 0;                  // > 0 by construction.
  std::vector<int64_t> holiday_days_;    // Days since the epoch, sorted, unique.
  std::vector<int64_t> holiday_before_;  // Business ms of holiday_days_[0..i); size + 1.
};

}  // namespace steadfast::engine
