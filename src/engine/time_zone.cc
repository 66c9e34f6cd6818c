#include "engine/time_zone.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>
#include <vector>

#include "common/check.h"

namespace steadfast::engine {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kDaySeconds = 86'400;
constexpr int64_t kNever = INT64_MAX;
// Instants and wall-clock times are clamped to ±10^16 ms (about ±300,000 years), so adding an
// offset or a few days never overflows.
constexpr int64_t kLimitMs = 10'000'000'000'000'000;
// RFC 8536 says a UT offset SHOULD lie in -89999..93599 seconds; zic never writes more.
constexpr int32_t kMaxOffsetSeconds = 93'600;
constexpr size_t kMaxFileBytes = 1 << 20;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

int64_t ClampMs(int64_t ms) { return std::clamp(ms, -kLimitMs, kLimitMs); }

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Howard Hinnant's days_from_civil, for any year (the public wrapper checks the range).
int64_t DaysFromYmd(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t YearOfDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  return yoe + era * 400 + (mp >= 10);
}

// ---- The POSIX TZ rule of a TZif footer ("CET-1CEST,M3.5.0,M10.5.0/3"). ----

struct RuleDate {
  enum class Kind { kJulian, kZeroBased, kMonthWeekDay };  // Jn, n, Mm.w.d
  Kind kind = Kind::kMonthWeekDay;
  int day = 0;                  // Jn: 1–365; n: 0–365.
  int month = 1;                // Mm.w.d
  int week = 1;                 // 1–5, 5 = last
  int weekday = 0;              // 0 = Sunday
  int32_t time_seconds = 7200;  // Local time of day, -167h..167h (RFC 8536 version 3).

  // Seconds since the epoch, local wall-clock, of this rule's moment in `year`.
  int64_t LocalSecondsIn(int64_t year) const {
    int64_t days = 0;
    switch (kind) {
      case Kind::kJulian:
        days = DaysFromYmd(year, 1, 1) + day - 1 + (IsLeap(year) && day >= 60 ? 1 : 0);
        break;
      case Kind::kZeroBased:
        days = DaysFromYmd(year, 1, 1) + day;
        break;
      case Kind::kMonthWeekDay: {
        const int64_t first = DaysFromYmd(year, month, 1);
        const int64_t first_weekday = ((first + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday.
        days = first + (weekday - first_weekday + 7) % 7 + (week - 1) * 7;
        while (days - first >= DaysInMonth(year, month)) {
          days -= 7;
        }
        break;
      }
    }
    return days * kDaySeconds + time_seconds;
  }
};

struct PosixRule {
  int32_t std_offset = 0;  // Seconds east of UTC (POSIX writes them west: "CET-1" is +3600).
  bool has_dst = false;
  int32_t dst_offset = 0;
  RuleDate start;  // Into daylight time, in standard local time.
  RuleDate end;    // Back to standard time, in daylight local time.
};

class RuleParser {
 public:
  explicit RuleParser(std::string_view text) : s_(text) {}

  std::optional<PosixRule> Parse() {
    PosixRule rule;
    int32_t west = 0;
    if (!Name() || !Hms(24, &west)) {
      return std::nullopt;
    }
    rule.std_offset = -west;
    if (AtEnd()) {
      return rule;
    }
    if (!Name()) {
      return std::nullopt;
    }
    rule.has_dst = true;
    rule.dst_offset = rule.std_offset + 3600;
    if (!AtEnd() && s_[pos_] != ',') {
      if (!Hms(24, &west)) {
        return std::nullopt;
      }
      rule.dst_offset = -west;
    }
    // zic always writes the rule; POSIX's implementation-defined default is not supported.
    if (!Eat(',') || !Date(&rule.start) || !Eat(',') || !Date(&rule.end) || !AtEnd()) {
      return std::nullopt;
    }
    return rule;
  }

 private:
  bool AtEnd() const { return pos_ == s_.size(); }
  bool Eat(char c) {
    if (!AtEnd() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool Name() {
    const size_t begin = pos_;
    if (Eat('<')) {
      while (!AtEnd() && s_[pos_] != '>') {
        const char c = s_[pos_];
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-') {
          return false;
        }
        ++pos_;
      }
      return Eat('>') && pos_ - begin >= 5;  // "<" + 3 characters + ">"
    }
    while (!AtEnd() && std::isalpha(static_cast<unsigned char>(s_[pos_]))) {
      ++pos_;
    }
    return pos_ - begin >= 3;
  }

  bool Number(int max, int* out) {
    const size_t begin = pos_;
    int v = 0;
    while (!AtEnd() && s_[pos_] >= '0' && s_[pos_] <= '9' && pos_ - begin < 3) {
      v = v * 10 + (s_[pos_++] - '0');
    }
    if (pos_ == begin || v > max) {
      return false;
    }
    *out = v;
    return true;
  }

  // [+-]hh[:mm[:ss]] in seconds, hh ≤ max_hours.
  bool Hms(int max_hours, int32_t* out) {
    int sign = 1;
    if (Eat('-')) {
      sign = -1;
    } else {
      Eat('+');
    }
    int h = 0, m = 0, sec = 0;
    if (!Number(max_hours, &h)) {
      return false;
    }
    if (Eat(':') && (!Number(59, &m) || (Eat(':') && !Number(59, &sec)))) {
      return false;
    }
    *out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }

  bool Date(RuleDate* date) {
    if (Eat('J')) {
      date->kind = RuleDate::Kind::kJulian;
      if (!Number(365, &date->day) || date->day < 1) {
        return false;
      }
    } else if (Eat('M')) {
      date->kind = RuleDate::Kind::kMonthWeekDay;
      if (!Number(12, &date->month) || date->month < 1 || !Eat('.') || !Number(5, &date->week) ||
          date->week < 1 || !Eat('.') || !Number(6, &date->weekday)) {
        return false;
      }
    } else {
      date->kind = RuleDate::Kind::kZeroBased;
      if (!Number(365, &date->day)) {
        return false;
      }
    }
    return !Eat('/') || Hms(167, &date->time_seconds);
  }

  std::string_view s_;
  size_t pos_ = 0;
};

// ---- TZif (RFC 8536). ----

class Reader {
 public:
  explicit Reader(std::string_view bytes) : b_(bytes) {}
  bool Has(size_t n) const { return n <= b_.size() - pos_; }
  size_t pos() const { return pos_; }
  void Skip(size_t n) { pos_ += n; }
  std::string_view Rest() const { return b_.substr(pos_); }
  uint8_t U8() { return static_cast<uint8_t>(b_[pos_++]); }
  int64_t Be(int width) {
    uint64_t v = 0;
    for (int i = 0; i < width; ++i) {
      v = (v << 8) | U8();
    }
    if (width == 4) {
      return static_cast<int32_t>(static_cast<uint32_t>(v));
    }
    return static_cast<int64_t>(v);
  }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

struct Header {
  char version = 0;
  uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  size_t BlockBytes(int time_width) const {
    return size_t{timecnt} * (time_width + 1) + size_t{typecnt} * 6 + charcnt +
           size_t{leapcnt} * (time_width + 4) + isstdcnt + isutcnt;
  }
};

bool ReadHeader(Reader& r, Header* h) {
  if (!r.Has(44) || r.Rest().substr(0, 4) != "TZif") {
    return false;
  }
  r.Skip(4);
  h->version = static_cast<char>(r.U8());
  r.Skip(15);
  h->isutcnt = static_cast<uint32_t>(r.Be(4));
  h->isstdcnt = static_cast<uint32_t>(r.Be(4));
  h->leapcnt = static_cast<uint32_t>(r.Be(4));
  h->timecnt = static_cast<uint32_t>(r.Be(4));
  h->typecnt = static_cast<uint32_t>(r.Be(4));
  h->charcnt = static_cast<uint32_t>(r.Be(4));
  return true;
}

Status Bad(const std::string& name, std::string_view why) {
  return Status::InvalidArgument("time_zone",
                                 "time zone \"" + name + "\" is not usable: " + std::string(why));
}

}  // namespace

struct TimeZone::Data {
  std::string name;
  std::vector<int64_t> transitions;  // UTC seconds, strictly increasing.
  std::vector<int32_t> offsets;      // Offset in force from transitions[i] on.
  int32_t initial_offset = 0;        // Before the first transition (time type 0).
  std::optional<PosixRule> footer;   // After the last transition, when the file has one.

  Span FooterSpan(int64_t seconds) const {
    const PosixRule& rule = *footer;
    if (!rule.has_dst) {
      return {rule.std_offset, kNever};
    }
    // The changes of the years around `seconds`; two years either side, because a v3 rule time
    // of up to ±167 hours can push a year's change into its neighbour.
    struct Change {
      int64_t at;
      int32_t offset;
    };
    std::array<Change, 10> changes;
    const int64_t year = YearOfDays(FloorDiv(seconds, kDaySeconds));
    size_t n = 0;
    for (int64_t y = year - 2; y <= year + 2; ++y) {
      changes[n++] = {rule.start.LocalSecondsIn(y) - rule.std_offset, rule.dst_offset};
      changes[n++] = {rule.end.LocalSecondsIn(y) - rule.dst_offset, rule.std_offset};
    }
    std::stable_sort(changes.begin(), changes.end(),
                     [](const Change& a, const Change& b) { return a.at < b.at; });
    Span span{rule.std_offset, kNever};
    for (const Change& c : changes) {
      if (c.at <= seconds) {
        span.offset_seconds = c.offset;
      } else {
        span.until_millis = c.at * 1000;
        break;
      }
    }
    return span;
  }

  Span SpanAtSeconds(int64_t seconds) const {
    const auto it = std::upper_bound(transitions.begin(), transitions.end(), seconds);
    if (it == transitions.end() && footer.has_value()) {
      return FooterSpan(seconds);
    }
    const int64_t until = it == transitions.end() ? kNever : *it * 1000;
    if (it == transitions.begin()) {
      return {initial_offset, until};
    }
    return {offsets[static_cast<size_t>(it - transitions.begin()) - 1], until};
  }
};

int64_t DaysFromCivil(LocalDate date) { return DaysFromYmd(date.year, date.month, date.day); }

LocalDate CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  LocalDate out;
  out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  out.year = static_cast<int>(yoe + era * 400 + (out.month <= 2));
  return out;
}

bool IsValidDate(LocalDate date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= DaysInMonth(date.year, date.month);
}

std::string FormatDate(LocalDate date) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

Result<TimeZone> TimeZone::FromTzif(std::string name, std::string_view bytes) {
  Reader r(bytes);
  Header h;
  if (!ReadHeader(r, &h)) {
    return Bad(name, "not a TZif file");
  }
  if (h.version != 0 && (h.version < '2' || h.version > '4')) {
    return Bad(name, "unknown TZif version");
  }
  int width = 4;
  if (h.version != 0) {
    // Version 2+: skip the 32-bit block and read the 64-bit one that follows.
    if (!r.Has(h.BlockBytes(4))) {
      return Bad(name, "truncated");
    }
    r.Skip(h.BlockBytes(4));
    if (!ReadHeader(r, &h)) {
      return Bad(name, "missing the 64-bit header");
    }
    width = 8;
  }
  if (h.typecnt == 0 || h.typecnt > 256 || (h.isstdcnt != 0 && h.isstdcnt != h.typecnt) ||
      (h.isutcnt != 0 && h.isutcnt != h.typecnt)) {
    return Bad(name, "inconsistent header counts");
  }
  if (h.leapcnt != 0) {
    // Leap-second ("right/") zones count TAI-like seconds; our Timestamps are Unix time.
    return Bad(name, "it counts leap seconds; use the zone of the same name without them");
  }
  if (!r.Has(h.BlockBytes(width))) {
    return Bad(name, "truncated");
  }
  auto data = std::make_shared<Data>();
  data->name = std::move(name);
  data->transitions.reserve(h.timecnt);
  for (uint32_t i = 0; i < h.timecnt; ++i) {
    data->transitions.push_back(r.Be(width));
    if (i > 0 && data->transitions[i] <= data->transitions[i - 1]) {
      return Bad(data->name, "transitions out of order");
    }
  }
  std::vector<uint8_t> type_of(h.timecnt);
  for (uint32_t i = 0; i < h.timecnt; ++i) {
    type_of[i] = r.U8();
    if (type_of[i] >= h.typecnt) {
      return Bad(data->name, "transition names a missing local time type");
    }
  }
  std::vector<int32_t> type_offsets(h.typecnt);
  for (uint32_t i = 0; i < h.typecnt; ++i) {
    const int64_t utoff = r.Be(4);
    r.Skip(2);  // isdst, abbreviation index: not needed for offsets.
    if (utoff <= -kMaxOffsetSeconds || utoff >= kMaxOffsetSeconds) {
      return Bad(data->name, "UT offset out of range");
    }
    type_offsets[i] = static_cast<int32_t>(utoff);
  }
  r.Skip(h.charcnt + h.isstdcnt + h.isutcnt);
  data->initial_offset = type_offsets[0];
  data->offsets.reserve(h.timecnt);
  for (uint8_t t : type_of) {
    data->offsets.push_back(type_offsets[t]);
  }
  if (width == 8) {
    const std::string_view rest = r.Rest();
    const size_t close = rest.size() > 1 ? rest.find('\n', 1) : std::string_view::npos;
    if (rest.empty() || rest[0] != '\n' || close == std::string_view::npos) {
      return Bad(data->name, "missing the footer");
    }
    const std::string_view tz = rest.substr(1, close - 1);
    if (!tz.empty()) {
      data->footer = RuleParser(tz).Parse();
      if (!data->footer.has_value() || std::abs(data->footer->std_offset) >= kMaxOffsetSeconds ||
          std::abs(data->footer->dst_offset) >= kMaxOffsetSeconds) {
        return Bad(data->name, "malformed footer rule \"" + std::string(tz) + "\"");
      }
    }
  }
  return TimeZone(std::move(data));
}

TimeZone TimeZone::Utc() {
  static const std::shared_ptr<const Data> kUtc = [] {
    auto data = std::make_shared<Data>();
    data->name = "UTC";
    return data;
  }();
  return TimeZone(kUtc);
}

Result<TimeZone> TimeZone::Load(std::string_view name) { return TimeZoneDb::System().Load(name); }

const std::string& TimeZone::name() const { return data_->name; }

TimeZone::Span TimeZone::SpanAt(Timestamp t) const {
  return data_->SpanAtSeconds(FloorDiv(ClampMs(t.millis), 1000));
}

int32_t TimeZone::UtcOffsetAt(Timestamp t) const { return SpanAt(t).offset_seconds; }

int64_t TimeZone::ToLocal(Timestamp t) const {
  const int64_t ms = ClampMs(t.millis);
  return ms + int64_t{1000} * SpanAt(Timestamp{ms}).offset_seconds;
}

Timestamp TimeZone::FromLocal(int64_t local_millis) const {
  const int64_t local = ClampMs(local_millis);
  // Two days before `local` the wall clock certainly shows less than `local` (offsets stay under
  // 26 hours). Walk forward span by span; within a span the wall clock is u + offset, rising, so
  // the first span in which it reaches `local` holds the earliest such instant.
  int64_t u = local - 2 * kDayMs;
  for (int i = 0; i < 64; ++i) {
    const Span span = SpanAt(Timestamp{u});
    const int64_t candidate = std::max(u, local - int64_t{1000} * span.offset_seconds);
    if (candidate < span.until_millis) {
      return Timestamp{candidate};
    }
    u = span.until_millis;
  }
  SF_CHECK(false && "a time zone changed offset more than 64 times within four days");
  return Timestamp{local};
}

Status ValidateZoneName(std::string_view name) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
  std::string quoted(1, '"');
  quoted += name.substr(0, 100);
  quoted += '"';
  if (name.empty()) {
    return Status::InvalidArgument("time_zone", "a time zone is required, e.g. Europe/Berlin");
  }
  if (name.size() > 255) {
    return Status::InvalidArgument("time_zone", "time zone name too long: " + quoted);
  }
  if (name.front() == '/' || name.find("..") != std::string_view::npos ||
      name.find('\\') != std::string_view::npos) {
    return Status::InvalidArgument(
        "time_zone", "time zone " + quoted + " is a path; give a zone name such as Europe/Berlin");
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return Status::InvalidArgument(
          "time_zone", "time zone " + quoted + " may only contain letters, digits and / _ - +");
    }
  }
  if (name.back() == '/' || name.find("//") != std::string_view::npos) {
    return Status::InvalidArgument("time_zone", "time zone " + quoted + " has an empty part");
  }
  return Status::Ok();
}

TimeZoneDb::TimeZoneDb(std::string root) : root_(std::move(root)) {}

TimeZoneDb& TimeZoneDb::System() {
  static TimeZoneDb* const kSystem = new TimeZoneDb();  // Never destroyed: safe at exit.
  return *kSystem;
}

Result<TimeZone> TimeZoneDb::Load(std::string_view name) {
  SF_RETURN_IF_ERROR(ValidateZoneName(name));
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = zones_.find(name); it != zones_.end()) {
    return it->second;
  }
  const std::string unknown = "unknown time zone \"" + std::string(name) +
                              "\"; use an IANA name such as Europe/Berlin or America/New_York";
  const std::filesystem::path path = std::filesystem::path(root_) / std::string(name);
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::is_regular_file(status)) {
    if (name == "UTC" || name == "Etc/UTC") {
      return zones_.emplace(std::string(name), TimeZone::Utc()).first->second;
    }
    return Status::InvalidArgument("time_zone", unknown);
  }
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxFileBytes) {
    return Status::InvalidArgument("time_zone", unknown);
  }
  std::string bytes(static_cast<size_t>(size), '\0');
  std::ifstream in(path, std::ios::binary);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return Status::InvalidArgument("time_zone", unknown);
  }
  if (bytes.compare(0, 4, "TZif") != 0) {
    // zoneinfo also holds tables (zone.tab, tzdata.zi, ...) that are not zones.
    return Status::InvalidArgument("time_zone", unknown);
  }
  SF_ASSIGN_OR_RETURN(TimeZone zone, TimeZone::FromTzif(std::string(name), bytes));
  return zones_.emplace(std::string(name), std::move(zone)).first->second;
}

}  // namespace steadfast::engine
