#include "engine/business_calendar.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "common/check.h"

namespace steadfast::engine {
namespace {

using DaySet = std::array<bool, 7>;

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kMinuteMs = 60'000;
constexpr int kMinutesPerDay = 1440;
constexpr size_t kMaxHolidays = 10'000;
constexpr int64_t kMaxHolidayRange = 366;
// 0001-01-01T00:00:00Z.
constexpr Timestamp kBeginningOfTime{-62'135'596'800'000};

constexpr std::array<std::string_view, 7> kDayNames = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t Clamp(Timestamp t) {
  return std::clamp(t.millis, kBeginningOfTime.millis, BusinessCalendar::kEndOfTime.millis);
}

// 0 = Monday for a day counted from 1970-01-01, a Thursday.
int WeekdayOfDay(int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }

std::string_view ShortName(int weekday) { return kDayNames[weekday].substr(0, 3); }

std::string FormatMinute(int minute) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
  return buf;
}

std::string FormatRange(const TimeRange& r) {
  std::string out = FormatMinute(r.start_minute);
  out += '-';
  out += FormatMinute(r.end_minute);
  return out;
}

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
std::string Quote(std::string_view s) {
  std::string out(1, '"');
  out += s;
  out += '"';
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// Lower case; en and em dashes become '-'; no space around '-' so "mon - fri" is one token.
std::string Normalize(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "\xE2\x80\x93" || text.substr(i, 3) == "\xE2\x80\x94") {
      out += '-';
      i += 2;
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  std::string squeezed;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == ' ' || out[i] == '\t') {
      size_t j = i;
      while (j < out.size() && (out[j] == ' ' || out[j] == '\t')) {
        ++j;
      }
      const bool next_to_dash =
          (j < out.size() && out[j] == '-') || (!squeezed.empty() && squeezed.back() == '-');
      if (!next_to_dash) {
        squeezed += ' ';
      }
      i = j - 1;
      continue;
    }
    squeezed += out[i];
  }
  return squeezed;
}

std::vector<std::string_view> Split(std::string_view s, std::string_view separators) {
  std::vector<std::string_view> parts;
  size_t begin = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || separators.find(s[i]) != std::string_view::npos) {
      const std::string_view part = Trim(s.substr(begin, i - begin));
      if (!part.empty()) {
        parts.push_back(part);
      }
      begin = i + 1;
    }
  }
  return parts;
}

Status HoursError(std::string message) {
  return Status::InvalidArgument("hours", std::move(message));
}

// A day name: its three-letter form, its full name, or any prefix of the full name of 3+ letters.
std::optional<int> ParseDay(std::string_view word) {
  if (word.size() < 3) {
    return std::nullopt;
  }
  for (int d = 0; d < 7; ++d) {
    if (kDayNames[d].substr(0, word.size()) == word) {
      return d;
    }
  }
  return std::nullopt;
}

// The set of weekdays named by `spec`.
Result<DaySet> ParseDays(std::string_view spec, std::string_view entry) {
  DaySet days{};
  if (spec == "daily") {
    days.fill(true);
    return days;
  }
  if (spec == "weekdays") {
    std::fill(days.begin(), days.begin() + 5, true);
    return days;
  }
  if (spec == "weekends") {
    days[5] = days[6] = true;
    return days;
  }
  const size_t dash = spec.find('-');
  const std::string_view first_word = spec.substr(0, dash);
  const std::string_view last_word = dash == std::string_view::npos ? spec : spec.substr(dash + 1);
  const std::optional<int> first = ParseDay(first_word);
  const std::optional<int> last = ParseDay(last_word);
  for (const auto& [word, day] : {std::pair{first_word, first}, std::pair{last_word, last}}) {
    if (!day.has_value()) {
      return HoursError("unknown day " + Quote(word) + " in " + Quote(entry) +
                        "; days are mon tue wed thu fri sat sun (or daily, weekdays, weekends)");
    }
  }
  for (int d = *first;; d = (d + 1) % 7) {
    days[d] = true;
    if (d == *last) {
      break;
    }
  }
  return days;
}

// "9", "09", "9:30", "09:30", "24:00" → minutes after midnight.
std::optional<int> ParseTime(std::string_view s) {
  const size_t colon = s.find(':');
  const std::string_view hh = s.substr(0, colon);
  const std::string_view mm = colon == std::string_view::npos ? "00" : s.substr(colon + 1);
  auto digits = [](std::string_view d) {
    return !d.empty() &&
           std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (hh.size() > 2 || mm.size() != 2 || !digits(hh) || !digits(mm)) {
    return std::nullopt;
  }
  const int h = std::stoi(std::string(hh));
  const int m = std::stoi(std::string(mm));
  if (h > 24 || m > 59 || (h == 24 && m != 0)) {
    return std::nullopt;
  }
  return h * 60 + m;
}

Result<TimeRange> ParseRange(std::string_view token, std::string_view entry) {
  const size_t dash = token.find('-');
  if (dash == std::string_view::npos) {
    return HoursError(Quote(token) + " in " + Quote(entry) +
                      " is not a range of hours; write it as 09:00-17:00");
  }
  TimeRange range;
  for (const auto& [text, out] : {std::pair{token.substr(0, dash), &range.start_minute},
                                  std::pair{token.substr(dash + 1), &range.end_minute}}) {
    const std::optional<int> minute = ParseTime(text);
    if (!minute.has_value()) {
      return HoursError(Quote(text) + " in " + Quote(entry) +
                        " is not a time; use HH:MM from 00:00 to 24:00");
    }
    *out = *minute;
  }
  if (range.start_minute == kMinutesPerDay) {
    return HoursError("in " + Quote(entry) + " a range starts at 24:00; 24:00 can only end one");
  }
  if (range.end_minute < range.start_minute) {
    return HoursError("in " + Quote(entry) + " the range " + Quote(token) +
                      " ends before it starts; write hours past midnight as two ranges, e.g. "
                      "\"mon 22:00-24:00, tue 00:00-06:00\"");
  }
  if (range.end_minute == range.start_minute) {
    return HoursError("in " + Quote(entry) + " the range " + Quote(token) + " is empty");
  }
  return range;
}

// Sorts each day's ranges, checks them, and merges ranges that touch.
Result<WeeklyHours> Canonical(WeeklyHours hours) {
  for (int d = 0; d < 7; ++d) {
    std::vector<TimeRange>& ranges = hours[d];
    for (const TimeRange& r : ranges) {
      if (r.start_minute < 0 || r.end_minute > kMinutesPerDay || r.start_minute >= r.end_minute) {
        return HoursError(std::string(ShortName(d)) + ": " + std::to_string(r.start_minute) + "-" +
                          std::to_string(r.end_minute) +
                          " is not a range within 00:00-24:00 (in minutes after midnight)");
      }
    }
    std::sort(ranges.begin(), ranges.end(), [](const TimeRange& a, const TimeRange& b) {
      return a.start_minute < b.start_minute;
    });
    std::vector<TimeRange> merged;
    for (const TimeRange& r : ranges) {
      if (!merged.empty() && r.start_minute < merged.back().end_minute) {
        return HoursError(std::string(ShortName(d)) + ": " + FormatRange(merged.back()) +
                          " overlaps " + FormatRange(r));
      }
      if (!merged.empty() && r.start_minute == merged.back().end_minute) {
        merged.back().end_minute = r.end_minute;
      } else {
        merged.push_back(r);
      }
    }
    ranges = std::move(merged);
  }
  return hours;
}

Status HolidayError(std::string message) {
  return Status::InvalidArgument("holidays", std::move(message));
}

std::optional<LocalDate> ParseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
    return std::nullopt;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') {
      return std::nullopt;
    }
  }
  const LocalDate date{std::stoi(std::string(s.substr(0, 4))),
                       std::stoi(std::string(s.substr(5, 2))),
                       std::stoi(std::string(s.substr(8, 2)))};
  if (!IsValidDate(date)) {
    return std::nullopt;
  }
  return date;
}

}  // namespace

Result<WeeklyHours> ParseWeeklyHours(std::string_view text) {
  const std::string normalized = Normalize(text);
  const std::string_view all = Trim(normalized);
  WeeklyHours hours;
  if (all == "24/7") {
    for (auto& day : hours) {
      day.push_back({0, kMinutesPerDay});
    }
    return hours;
  }
  const std::vector<std::string_view> entries = Split(all, ",;\n\r");
  if (entries.empty()) {
    return HoursError("opening hours are required, e.g. \"mon-fri 09:00-17:00\" or \"24/7\"");
  }
  for (const std::string_view entry : entries) {
    const std::vector<std::string_view> tokens = Split(entry, " ");
    if (tokens.size() < 2) {
      return HoursError(Quote(entry) + " has no hours; write e.g. \"mon-fri 09:00-17:00\"" +
                        " or \"sun closed\"");
    }
    SF_ASSIGN_OR_RETURN(const DaySet days, ParseDays(tokens[0], entry));
    if (tokens[1] == "closed") {
      if (tokens.size() > 2) {
        return HoursError("in " + Quote(entry) + " a day is either closed or has hours");
      }
      continue;
    }
    for (size_t i = 1; i < tokens.size(); ++i) {
      SF_ASSIGN_OR_RETURN(const TimeRange range, ParseRange(tokens[i], entry));
      for (int d = 0; d < 7; ++d) {
        if (days[d]) {
          hours[d].push_back(range);
        }
      }
    }
  }
  return Canonical(std::move(hours));
}

std::string FormatWeeklyHours(const WeeklyHours& hours) {
  if (std::all_of(hours.begin(), hours.end(), [](const std::vector<TimeRange>& day) {
        return day == std::vector<TimeRange>{{0, kMinutesPerDay}};
      })) {
    return "24/7";
  }
  std::string out;
  for (int d = 0; d < 7;) {
    int last = d;
    while (last + 1 < 7 && hours[last + 1] == hours[d]) {
      ++last;
    }
    if (!hours[d].empty()) {
      if (!out.empty()) {
        out += ", ";
      }
      out += ShortName(d);
      if (last > d) {
        out += "-";
        out += ShortName(last);
      }
      for (const TimeRange& r : hours[d]) {
        out += ' ';
        out += FormatRange(r);
      }
    }
    d = last + 1;
  }
  return out.empty() ? "closed" : out;
}

Result<std::vector<LocalDate>> ParseHolidays(std::string_view text) {
  std::vector<int64_t> days;
  for (const std::string_view raw_line : Split(text, "\n")) {
    const std::string_view line = raw_line.substr(0, raw_line.find('#'));
    for (const std::string_view entry : Split(line, ",; \t\r")) {
      const size_t dots = entry.find("..");
      const std::string_view first_text = entry.substr(0, dots);
      const std::string_view last_text =
          dots == std::string_view::npos ? entry : entry.substr(dots + 2);
      const std::optional<LocalDate> first = ParseDate(first_text);
      const std::optional<LocalDate> last = ParseDate(last_text);
      if (!first.has_value() || !last.has_value()) {
        return HolidayError(Quote(first.has_value() ? last_text : first_text) +
                            " is not a date; write YYYY-MM-DD, or a range " +
                            "YYYY-MM-DD..YYYY-MM-DD");
      }
      const int64_t from = DaysFromCivil(*first);
      const int64_t to = DaysFromCivil(*last);
      if (to < from) {
        return HolidayError("the range " + Quote(entry) + " ends before it starts");
      }
      if (to - from >= kMaxHolidayRange) {
        return HolidayError("the range " + Quote(entry) + " is longer than 366 days");
      }
      for (int64_t d = from; d <= to; ++d) {
        days.push_back(d);
      }
      if (days.size() > kMaxHolidays) {
        return HolidayError("more than 10000 holidays");
      }
    }
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());
  std::vector<LocalDate> dates;
  dates.reserve(days.size());
  for (int64_t d : days) {
    dates.push_back(CivilFromDays(d));
  }
  return dates;
}

Result<BusinessCalendar> BusinessCalendar::Create(TimeZone zone, const WeeklyHours& hours,
                                                  std::vector<LocalDate> holidays) {
  SF_ASSIGN_OR_RETURN(WeeklyHours canonical, Canonical(hours));
  BusinessCalendar cal;
  cal.zone_ = std::move(zone);
  std::array<int64_t, 7> day_total{};
  for (int d = 0; d < 7; ++d) {
    Day& day = cal.days_[d];
    day.before.push_back(0);
    for (const TimeRange& r : canonical[d]) {
      day.starts.push_back(r.start_minute * kMinuteMs);
      day.ends.push_back(r.end_minute * kMinuteMs);
      day.before.push_back(day.before.back() + (r.end_minute - r.start_minute) * kMinuteMs);
    }
    day_total[d] = day.before.back();
  }
  for (int k = 0; k < 7; ++k) {
    cal.week_prefix_[k + 1] = cal.week_prefix_[k] + day_total[WeekdayOfDay(k)];
  }
  cal.week_ms_ = cal.week_prefix_[7];
  if (cal.week_ms_ == 0) {
    return HoursError("no open hours in the week; a calendar must be open at least one minute");
  }
  if (holidays.size() > kMaxHolidays) {
    return HolidayError("more than 10000 holidays");
  }
  for (const LocalDate& date : holidays) {
    if (!IsValidDate(date)) {
      return HolidayError(std::to_string(date.year) + "-" + std::to_string(date.month) + "-" +
                          std::to_string(date.day) + " is not a date");
    }
    cal.holiday_days_.push_back(DaysFromCivil(date));
  }
  std::sort(cal.holiday_days_.begin(), cal.holiday_days_.end());
  cal.holiday_days_.erase(std::unique(cal.holiday_days_.begin(), cal.holiday_days_.end()),
                          cal.holiday_days_.end());
  cal.holiday_before_.push_back(0);
  for (int64_t d : cal.holiday_days_) {
    cal.holidays_.push_back(CivilFromDays(d));
    cal.holiday_before_.push_back(cal.holiday_before_.back() + day_total[WeekdayOfDay(d)]);
  }
  cal.hours_ = std::move(canonical);
  return cal;
}

Result<BusinessCalendar> BusinessCalendar::Parse(std::string_view time_zone, std::string_view hours,
                                                 std::string_view holidays) {
  SF_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::Load(time_zone));
  SF_ASSIGN_OR_RETURN(WeeklyHours weekly, ParseWeeklyHours(hours));
  SF_ASSIGN_OR_RETURN(std::vector<LocalDate> dates, ParseHolidays(holidays));
  return Create(std::move(zone), weekly, std::move(dates));
}

int64_t BusinessCalendar::InDay(int weekday, int64_t ms_of_day) const {
  const Day& day = days_[weekday];
  const auto it = std::upper_bound(day.starts.begin(), day.starts.end(), ms_of_day);
  if (it == day.starts.begin()) {
    return 0;
  }
  const size_t i = static_cast<size_t>(it - day.starts.begin()) - 1;
  return day.before[i] + std::min(ms_of_day, day.ends[i]) - day.starts[i];
}

int64_t BusinessCalendar::Weekly(int64_t local) const {
  const int64_t day = FloorDiv(local, kDayMs);
  const int64_t weeks = FloorDiv(day, 7);
  const int64_t k = day - weeks * 7;
  return weeks * week_ms_ + week_prefix_[k] + InDay(WeekdayOfDay(day), local - day * kDayMs);
}

bool BusinessCalendar::IsHoliday(int64_t day) const {
  return std::binary_search(holiday_days_.begin(), holiday_days_.end(), day);
}

int64_t BusinessCalendar::OnHolidays(int64_t local) const {
  const int64_t day = FloorDiv(local, kDayMs);
  const auto it = std::lower_bound(holiday_days_.begin(), holiday_days_.end(), day);
  int64_t sum = holiday_before_[static_cast<size_t>(it - holiday_days_.begin())];
  if (it != holiday_days_.end() && *it == day) {
    sum += InDay(WeekdayOfDay(day), local - day * kDayMs);
  }
  return sum;
}

int64_t BusinessCalendar::WeeklyInverse(int64_t value) const {
  // Split value into whole weeks and a remainder in (0, week_ms_], so that a value reached at a
  // closing time maps to that closing time, not to the next week's start.
  const int64_t weeks = FloorDiv(value - 1, week_ms_);
  const int64_t rest = value - weeks * week_ms_;
  int k = 0;
  while (week_prefix_[k + 1] < rest) {
    ++k;
  }
  const int64_t in_day = rest - week_prefix_[k];
  const Day& day = days_[WeekdayOfDay(k)];
  size_t i = 0;
  while (day.before[i + 1] < in_day) {
    ++i;
  }
  return (weeks * 7 + k) * kDayMs + day.starts[i] + (in_day - day.before[i]);
}

int64_t BusinessCalendar::Reach(int64_t from, int64_t value) const {
  // Cumulative = Weekly - OnHolidays. Guess the Weekly value needed from the holiday time known
  // to lie before the answer, and raise the guess by each holiday the guess overshoots; every
  // round passes at least one more holiday, so this ends within holidays + 2 rounds.
  int64_t target = value + OnHolidays(from);
  for (size_t round = 0;; ++round) {
    SF_CHECK(round <= holiday_days_.size() + 2);
    const int64_t local = WeeklyInverse(target);
    const int64_t on_holidays = OnHolidays(local);
    if (target - on_holidays == value) {
      return local;
    }
    const int64_t day = FloorDiv(local, kDayMs);
    // Inside a holiday nothing accrues, so the answer lies after the whole day.
    target = value + (IsHoliday(day) ? OnHolidays((day + 1) * kDayMs) : on_holidays);
  }
}

bool BusinessCalendar::IsOpenLocal(int64_t local) const {
  const int64_t day = FloorDiv(local, kDayMs);
  if (IsHoliday(day)) {
    return false;
  }
  const Day& d = days_[WeekdayOfDay(day)];
  const int64_t ms = local - day * kDayMs;
  const auto it = std::upper_bound(d.starts.begin(), d.starts.end(), ms);
  return it != d.starts.begin() && ms < d.ends[static_cast<size_t>(it - d.starts.begin()) - 1];
}

bool BusinessCalendar::IsOpen(Timestamp t) const {
  return IsOpenLocal(zone_.ToLocal(Timestamp{Clamp(t)}));
}

// The three walks below go from one span of constant UTC offset to the next (one per
// daylight-saving change). Within a span, local = utc + offset exactly, so the local arithmetic
// above applies unchanged.

Timestamp BusinessCalendar::NextOpen(Timestamp t) const {
  int64_t u = Clamp(t);
  while (u < kEndOfTime.millis) {
    const TimeZone::Span span = zone_.SpanAt(Timestamp{u});
    const int64_t offset = int64_t{1000} * span.offset_seconds;
    const int64_t local = u + offset;
    if (IsOpenLocal(local)) {
      return Timestamp{u};
    }
    // Closed until the first millisecond that adds business time; it starts an open range.
    const int64_t opens = Reach(local, Cumulative(local) + 1) - 1 - offset;
    if (opens < span.until_millis) {
      return Timestamp{std::min(opens, kEndOfTime.millis)};
    }
    u = span.until_millis;
  }
  return kEndOfTime;
}

Timestamp BusinessCalendar::AddBusinessTime(Timestamp start, int64_t millis) const {
  SF_CHECK(millis >= 0);
  int64_t u = Clamp(start);
  int64_t remaining = millis;
  if (remaining == 0) {
    return Timestamp{u};
  }
  while (u < kEndOfTime.millis) {
    // Business time never exceeds wall time: past the end of time, stop (and avoid overflow).
    if (remaining > kEndOfTime.millis - u + kDayMs) {
      return kEndOfTime;
    }
    const TimeZone::Span span = zone_.SpanAt(Timestamp{u});
    const int64_t offset = int64_t{1000} * span.offset_seconds;
    const int64_t local = u + offset;
    const int64_t at_start = Cumulative(local);
    const bool last_span = span.until_millis >= kEndOfTime.millis;
    const int64_t available =
        last_span ? remaining : Cumulative(span.until_millis + offset) - at_start;
    if (available >= remaining) {
      const int64_t due = Reach(local, at_start + remaining) - offset;
      return Timestamp{std::min(due, kEndOfTime.millis)};
    }
    remaining -= available;
    u = span.until_millis;
  }
  return kEndOfTime;
}

int64_t BusinessCalendar::BusinessTimeBetween(Timestamp a, Timestamp b) const {
  int64_t u = Clamp(a);
  const int64_t end = Clamp(b);
  int64_t total = 0;
  while (u < end) {
    const TimeZone::Span span = zone_.SpanAt(Timestamp{u});
    const int64_t offset = int64_t{1000} * span.offset_seconds;
    const int64_t until = std::min(end, span.until_millis);
    total += Cumulative(until + offset) - Cumulative(u + offset);
    u = until;
  }
  return total;
}

}  // namespace steadfast::engine
