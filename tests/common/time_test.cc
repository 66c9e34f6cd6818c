#include "common/time.h"

#include <gtest/gtest.h>

namespace steadfast {
namespace {

TEST(TimeTest, FormatsEpochAndRoundTrips) {
  EXPECT_EQ(FormatIso8601(Timestamp{0}), "1970-01-01T00:00:00.000Z");
  const auto t = ParseIso8601("2026-11-23T17:30:05.123Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatIso8601(*t), "2026-11-23T17:30:05.123Z");
}

TEST(TimeTest, AppliesOffsets) {
  const auto utc = ParseIso8601("2030-01-07T16:30:00Z");
  const auto cet = ParseIso8601("2030-01-07T17:30:00+01:00");
  ASSERT_TRUE(utc && cet);
  EXPECT_EQ(utc->millis, cet->millis);
}

TEST(TimeTest, RejectsMalformedDates) {
  EXPECT_FALSE(ParseIso8601(""));
  EXPECT_FALSE(ParseIso8601("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseIso8601("2026-02-29T00:00:00Z"));
  EXPECT_TRUE(ParseIso8601("2028-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseIso8601("2026-11-23 17:30:00Z"));
  EXPECT_FALSE(ParseIso8601("2026-11-23T17:30:00"));
  EXPECT_FALSE(ParseIso8601("2026-11-23T17:30:00Zjunk"));
}

TEST(TimeTest, HandlesDatesBeforeEpoch) {
  const auto t = ParseIso8601("1969-12-31T23:59:59.500Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->millis, -500);
  EXPECT_EQ(FormatIso8601(*t), "1969-12-31T23:59:59.500Z");
}

}  // namespace
}  // namespace steadfast
