#include "engine/time_zone.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>

namespace steadfast::engine {
namespace {

Timestamp At(const char* iso) {
  const std::optional<Timestamp> t = ParseIso8601(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(Timestamp{});
}

TimeZone Zone(const char* name) {
  Result<TimeZone> zone = TimeZone::Load(name);
  EXPECT_TRUE(zone.ok()) << name << ": " << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone::Utc();
}

// Local wall-clock milliseconds written as an ISO date without a zone: "2026-03-08T02:30:00".
int64_t Local(const std::string& iso) { return At((iso + "Z").c_str()).millis; }

TEST(TimeZoneTest, OffsetsInWinterAndSummer) {
  const TimeZone berlin = Zone("Europe/Berlin");
  EXPECT_EQ(berlin.UtcOffsetAt(At("2026-01-15T12:00:00Z")), 3600);
  EXPECT_EQ(berlin.UtcOffsetAt(At("2026-07-15T12:00:00Z")), 7200);
  const TimeZone new_york = Zone("America/New_York");
  EXPECT_EQ(new_york.UtcOffsetAt(At("2026-01-15T12:00:00Z")), -5 * 3600);
  EXPECT_EQ(new_york.UtcOffsetAt(At("2026-07-15T12:00:00Z")), -4 * 3600);
  // Southern hemisphere: daylight time in January.
  const TimeZone sydney = Zone("Australia/Sydney");
  EXPECT_EQ(sydney.UtcOffsetAt(At("2026-01-15T12:00:00Z")), 11 * 3600);
  EXPECT_EQ(sydney.UtcOffsetAt(At("2026-07-15T12:00:00Z")), 10 * 3600);
  EXPECT_EQ(Zone("Asia/Kolkata").UtcOffsetAt(At("2026-07-15T12:00:00Z")), 5 * 3600 + 1800);
}

TEST(TimeZoneTest, ChangesAtTheTransitionInstant) {
  // Europe/Berlin 2026: CET→CEST on Sunday 29 March at 01:00Z; CEST→CET on 25 October at 01:00Z.
  const TimeZone berlin = Zone("Europe/Berlin");
  EXPECT_EQ(berlin.UtcOffsetAt(At("2026-03-29T00:59:59.999Z")), 3600);
  EXPECT_EQ(berlin.UtcOffsetAt(At("2026-03-29T01:00:00Z")), 7200);
  EXPECT_EQ(berlin.UtcOffsetAt(At("2026-10-25T00:59:59.999Z")), 7200);
  EXPECT_EQ(berlin.UtcOffsetAt(At("2026-10-25T01:00:00Z")), 3600);
  const TimeZone::Span span = berlin.SpanAt(At("2026-05-01T00:00:00Z"));
  EXPECT_EQ(span.offset_seconds, 7200);
  EXPECT_EQ(span.until_millis, At("2026-10-25T01:00:00Z").millis);
}

TEST(TimeZoneTest, UsesTheFooterRuleAfterTheLastTransition) {
  // Debian's files list transitions to 2037; later years come from the POSIX rule
  // "CET-1CEST,M3.5.0,M10.5.0/3": the last Sunday of March 2040 is 25 March, of October the 28th.
  const TimeZone berlin = Zone("Europe/Berlin");
  EXPECT_EQ(berlin.UtcOffsetAt(At("2040-03-25T00:59:59Z")), 3600);
  EXPECT_EQ(berlin.UtcOffsetAt(At("2040-03-25T01:00:00Z")), 7200);
  EXPECT_EQ(berlin.UtcOffsetAt(At("2040-10-28T00:59:59Z")), 7200);
  EXPECT_EQ(berlin.UtcOffsetAt(At("2040-10-28T01:00:00Z")), 3600);
  // "AEST-10AEDT,M10.1.0,M4.1.0/3": in 2050, daylight time ends Sunday 3 April at 03:00 AEDT
  // (2 April 16:00Z) and starts Sunday 2 October at 02:00 AEST (1 October 16:00Z).
  const TimeZone sydney = Zone("Australia/Sydney");
  EXPECT_EQ(sydney.UtcOffsetAt(At("2050-04-02T15:59:59Z")), 11 * 3600);
  EXPECT_EQ(sydney.UtcOffsetAt(At("2050-04-02T16:00:00Z")), 10 * 3600);
  EXPECT_EQ(sydney.UtcOffsetAt(At("2050-10-01T15:59:59Z")), 10 * 3600);
  EXPECT_EQ(sydney.UtcOffsetAt(At("2050-10-01T16:00:00Z")), 11 * 3600);
}

// The C library reads the same files (and their footers) independently: our offsets must match
// its tm_gmtoff for any instant. TZ is restored afterwards.
TEST(TimeZoneTest, AgreesWithTheCLibrary) {
  const char* saved = std::getenv("TZ");
  const std::string saved_tz = saved != nullptr ? saved : "";
  std::mt19937_64 rng(20261123);
  // 1971 to 2099: both sides of Debian's last explicit transition in 2037.
  std::uniform_int_distribution<int64_t> seconds(31'536'000, 4'102'444'800);
  for (const char* name : {"Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
                           "America/Nuuk", "Pacific/Chatham", "Europe/Dublin", "America/Santiago",
                           "Africa/Casablanca", "Australia/Lord_Howe"}) {
    const TimeZone zone = Zone(name);
    ASSERT_EQ(setenv("TZ", name, 1), 0);
    tzset();
    for (int i = 0; i < 2000; ++i) {
      const time_t t = static_cast<time_t>(seconds(rng));
      std::tm tm{};
      ASSERT_NE(localtime_r(&t, &tm), nullptr);
      ASSERT_EQ(zone.UtcOffsetAt(Timestamp{int64_t{t} * 1000}), tm.tm_gmtoff)
          << name << " at " << FormatIso8601(Timestamp{int64_t{t} * 1000});
    }
  }
  if (saved != nullptr) {
    setenv("TZ", saved_tz.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST(TimeZoneTest, LocalToUtcInAGapMovesToTheTransition) {
  // New York, Sunday 8 March 2026: at 02:00 EST (07:00Z) clocks jump to 03:00 EDT.
  const TimeZone new_york = Zone("America/New_York");
  EXPECT_EQ(new_york.FromLocal(Local("2026-03-08T01:59:00")), At("2026-03-08T06:59:00Z"));
  EXPECT_EQ(new_york.FromLocal(Local("2026-03-08T02:00:00")), At("2026-03-08T07:00:00Z"));
  EXPECT_EQ(new_york.FromLocal(Local("2026-03-08T02:30:00")), At("2026-03-08T07:00:00Z"));
  EXPECT_EQ(new_york.FromLocal(Local("2026-03-08T03:00:00")), At("2026-03-08T07:00:00Z"));
  EXPECT_EQ(new_york.FromLocal(Local("2026-03-08T03:30:00")), At("2026-03-08T07:30:00Z"));
}

TEST(TimeZoneTest, LocalToUtcInAFoldTakesTheEarlierInstant) {
  // New York, Sunday 1 November 2026: at 02:00 EDT (06:00Z) clocks go back to 01:00 EST, so
  // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
  const TimeZone new_york = Zone("America/New_York");
  EXPECT_EQ(new_york.FromLocal(Local("2026-11-01T01:30:00")), At("2026-11-01T05:30:00Z"));
  EXPECT_EQ(new_york.FromLocal(Local("2026-11-01T00:59:00")), At("2026-11-01T04:59:00Z"));
  EXPECT_EQ(new_york.FromLocal(Local("2026-11-01T02:00:00")), At("2026-11-01T07:00:00Z"));
  EXPECT_EQ(new_york.ToLocal(At("2026-11-01T06:30:00Z")), Local("2026-11-01T01:30:00"));
}

TEST(TimeZoneTest, LocalToUtcRoundTripsOutsideTransitions) {
  const TimeZone kolkata = Zone("Asia/Kolkata");
  EXPECT_EQ(kolkata.FromLocal(Local("2026-06-01T09:30:00")), At("2026-06-01T04:00:00Z"));
  EXPECT_EQ(kolkata.ToLocal(At("2026-06-01T04:00:00Z")), Local("2026-06-01T09:30:00"));
  const TimeZone utc = TimeZone::Utc();
  EXPECT_EQ(utc.FromLocal(123456789), Timestamp{123456789});
}

TEST(TimeZoneTest, RejectsPathsAndUnknownZones) {
  for (const char* name : {"../etc/passwd", "/etc/passwd", "Europe/../../etc/passwd", "",
                           "Europe//Berlin", "Europe/", "Europe\\Berlin", "zone.tab"}) {
    const Result<TimeZone> zone = TimeZone::Load(name);
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(zone.status().field(), "time_zone");
  }
  EXPECT_NE(TimeZone::Load("../etc/passwd").status().message().find("../etc/passwd"),
            std::string::npos);
  for (const char* name : {"Mars/Olympus_Mons", "Europe", "Europe/Berlinn"}) {
    const Result<TimeZone> zone = TimeZone::Load(name);
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(zone.status().message().find(name), std::string::npos) << zone.status().message();
  }
}

TEST(TimeZoneTest, LoadsUtcWithoutAFile) {
  TimeZoneDb empty("/nonexistent-zoneinfo");
  const Result<TimeZone> utc = empty.Load("UTC");
  ASSERT_TRUE(utc.ok());
  EXPECT_EQ(utc->UtcOffsetAt(At("2026-07-01T00:00:00Z")), 0);
  EXPECT_FALSE(empty.Load("Europe/Berlin").ok());
}

std::string ReadZoneFile(const char* name) {
  std::ifstream in(std::string("/usr/share/zoneinfo/") + name, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(TimeZoneTest, RejectsMalformedTzif) {
  EXPECT_FALSE(TimeZone::FromTzif("junk", "not a tzif file at all, just some text......").ok());
  const std::string berlin = ReadZoneFile("Europe/Berlin");
  ASSERT_GT(berlin.size(), 100u);
  EXPECT_TRUE(TimeZone::FromTzif("Europe/Berlin", berlin).ok());
  for (size_t cut : {size_t{10}, size_t{44}, berlin.size() / 2, berlin.size() - 2}) {
    const Result<TimeZone> zone = TimeZone::FromTzif("Europe/Berlin", berlin.substr(0, cut));
    EXPECT_FALSE(zone.ok()) << "cut at " << cut;
  }
  // A footer that is not a POSIX TZ rule.
  std::string bad_footer = berlin.substr(0, berlin.rfind('\n', berlin.size() - 2) + 1);
  bad_footer += "CET-1CEST,Q3\n";
  const Result<TimeZone> zone = TimeZone::FromTzif("Europe/Berlin", bad_footer);
  ASSERT_FALSE(zone.ok());
  EXPECT_NE(zone.status().message().find("footer"), std::string::npos);
}

TEST(TimeZoneTest, CivilDates) {
  EXPECT_EQ(DaysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(DaysFromCivil({2000, 3, 1}), 11017);
  EXPECT_EQ(CivilFromDays(11017), (LocalDate{2000, 3, 1}));
  EXPECT_EQ(CivilFromDays(-1), (LocalDate{1969, 12, 31}));
  EXPECT_TRUE(IsValidDate({2028, 2, 29}));
  EXPECT_FALSE(IsValidDate({2026, 2, 29}));
  EXPECT_FALSE(IsValidDate({2026, 4, 31}));
  EXPECT_EQ(FormatDate({2026, 12, 5}), "2026-12-05");
}

}  // namespace
}  // namespace steadfast::engine
