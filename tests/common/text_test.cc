#include "common/text.h"

#include <gtest/gtest.h>

namespace steadfast {
namespace {

TEST(TextTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // Truncated.
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // Overlong '/'.
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // Surrogate.
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

TEST(TextTest, RecognisesEmailShapes) {
  EXPECT_TRUE(LooksLikeEmail("ana@example.com"));
  EXPECT_FALSE(LooksLikeEmail("ana@example"));
  EXPECT_FALSE(LooksLikeEmail("ana example@x.com"));
  EXPECT_FALSE(LooksLikeEmail("a@b@c.com"));
  EXPECT_FALSE(LooksLikeEmail("ana@x.com\r\nBcc: evil@x.com"));
}

TEST(TextTest, TrimsAndSplits) {
  EXPECT_EQ(Trim("  a b \n"), "a b");
  EXPECT_EQ(Trim(" \t "), "");
  const auto parts = Split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2], "b");
}

}  // namespace
}  // namespace steadfast
