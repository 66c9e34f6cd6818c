#pragma once

// IANA time zones read from the system's compiled tz database (TZif files, RFC 8536).
//
// Why our own reader and not Howard Hinnant's date/tz (Debian 12: libhowardhinnant-date-dev
// 3.0.1, built with USE_OS_TZDB=1, which does read /usr/share/zoneinfo): in that mode it ignores
// the POSIX TZ footer of a TZif file (upstream issues #760 and #794, open in 3.0.1), so every
// instant after a file's last explicit transition gets the wrong offset. Debian 12's tzdata is
// built "fat" today (transitions written out to 2037), but upstream zic defaults to "slim" files
// whose explicit transitions end in the 1990s or 2000s; with those, date/tz is wrong for today.
// It also keeps one process-wide database that parses every zone on first use. A TZif reader is a
// few hundred lines and leaves the footer rule, the gap/fold rule and the cache in our hands.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/time.h"

namespace steadfast::engine {

// A calendar date, proleptic Gregorian. Plain value; no validation of its own.
struct LocalDate {
  int year = 1970;
  int month = 1;  // 1–12
  int day = 1;    // 1–31

  friend auto operator<=>(const LocalDate&, const LocalDate&) = default;
};

// Days since 1970-01-01 for `date` (negative before). REQUIRES: IsValidDate(date).
int64_t DaysFromCivil(LocalDate date);
// Inverse of DaysFromCivil.
LocalDate CivilFromDays(int64_t days);
// True when the month has that day (Feb 29 only in leap years) and 1 ≤ year ≤ 9999.
bool IsValidDate(LocalDate date);
// "2026-12-25".
std::string FormatDate(LocalDate date);

// One IANA time zone, immutable once built. Copies share the loaded data; any thread may call
// any const method at any time.
//
// Local time is "wall-clock milliseconds": what a clock on the wall shows, counted as if it were
// UTC since 1970-01-01T00:00 (so local midnight of day d is d * 86'400'000).
//
// Local → UTC (FromLocal) returns the earliest instant at which the wall clock shows `local` or
// a later time:
//   - fold (clocks go back, e.g. 01:30 happens twice in New York in November): the earlier
//     instant, the first time the clock shows it (01:30 EDT);
//   - gap (clocks go forward, e.g. 02:30 never happens in New York in March): the instant of
//     the transition, when the clock jumps past it (02:30 → 03:00 EDT = 07:00Z).
// This mapping never decreases as `local` grows, so a local interval never turns inside out.
class TimeZone {
 public:
  // The zone named `name` (e.g. "Europe/Berlin") from /usr/share/zoneinfo, through a cache shared
  // by the process (see TimeZoneDb::System()). Thread-safe.
  // Errors: InvalidArgument (field "time_zone") naming the zone when the name is malformed
  // ("..", absolute paths, odd characters), unknown, or its file is not valid TZif.
  [[nodiscard]] static Result<TimeZone> Load(std::string_view name);

  // Parses TZif bytes (versions 1 to 4; the 64-bit section and the footer rule when present).
  // `name` is kept for messages and name(). Errors: InvalidArgument naming the zone.
  [[nodiscard]] static Result<TimeZone> FromTzif(std::string name, std::string_view bytes);

  // UTC itself, needing no file.
  static TimeZone Utc();

  const std::string& name() const;

  // Seconds east of UTC in force at `t` (+3600 for Berlin in winter, -14400 for New York in
  // summer).
  int32_t UtcOffsetAt(Timestamp t) const;

  // The wall-clock milliseconds at `t`: t.millis + 1000 * UtcOffsetAt(t).
  int64_t ToLocal(Timestamp t) const;

  // The earliest instant whose wall clock shows `local_millis` or later (the rule above).
  Timestamp FromLocal(int64_t local_millis) const;

  // The offset in force at `t` and the first instant after `t` at which it may change; `until`
  // is INT64_MAX milliseconds when no change ever follows. The offset is constant on [t, until).
  struct Span {
    int32_t offset_seconds = 0;
    int64_t until_millis = 0;
  };
  Span SpanAt(Timestamp t) const;

 private:
  struct Data;  // The parsed file; defined in time_zone.cc.

  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

  std::shared_ptr<const Data> data_;  // Never null.
};

// Loads zones from a zoneinfo directory and keeps each one after the first load, so a zone is
// read once however many calendars use it. Thread-safe: a mutex guards the map; the zones in it
// are immutable. A zone updated on disk (a tzdata upgrade) is seen after a restart.
class TimeZoneDb {
 public:
  explicit TimeZoneDb(std::string root = "/usr/share/zoneinfo");

  // As TimeZone::Load, from this database's root. "UTC" and "Etc/UTC" work without a file.
  [[nodiscard]] Result<TimeZone> Load(std::string_view name);

  // The process-wide database over /usr/share/zoneinfo used by TimeZone::Load. The one shared
  // object in the engine: it only memoizes immutable system files, like the C library's own
  // time zone cache, so it carries no state a test could observe.
  static TimeZoneDb& System();

 private:
  const std::string root_;
  std::mutex mu_;
  std::map<std::string, TimeZone, std::less<>> zones_;  // Guarded by mu_.
};

// Checks a zone name before it touches the file system: 1–255 characters of letters, digits and
// "/_-+" (no dots at all, so no ".."), not starting or ending with '/', no empty part.
// Errors: InvalidArgument (field "time_zone") naming the zone.
[[nodiscard]] Status ValidateZoneName(std::string_view name);

}  // namespace steadfast::engine
