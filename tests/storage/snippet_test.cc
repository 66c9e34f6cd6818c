#include "storage/snippet.h"

#include <gtest/gtest.h>

namespace steadfast::storage {
namespace {

TEST(SnippetTest, FoldsCaseAndLatinAccents) {
  EXPECT_EQ(FoldForSearch("Café"), "cafe");
  EXPECT_EQ(FoldForSearch("ÀÉÎÕÜÇÑ"), "aeioucn");
  EXPECT_EQ(FoldForSearch("Łódź"), "lodz");
  EXPECT_EQ(FoldForSearch("日本"), "日本");  // Non-Latin text is kept as it is.
}

TEST(SnippetTest, MarksEveryMatchingWord) {
  EXPECT_EQ(MakeSnippet("The refund for the invoice", {"refund", "invoice"}),
            "The [[refund]] for the [[invoice]]");
  EXPECT_EQ(MakeSnippet("Our café menu", {"cafe"}), "Our [[café]] menu");
  EXPECT_EQ(MakeSnippet("REFUND please", {"refund"}), "[[REFUND]] please");
  // A word that merely contains a term is not a match.
  EXPECT_EQ(MakeSnippet("refunded", {"refund"}), "refunded");
}

TEST(SnippetTest, CutsAWindowAroundTheFirstMatch) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "word" + std::to_string(i) + " ";
  text += "needle and the rest";
  const std::string s = MakeSnippet(text, {"needle"}, 8);
  EXPECT_EQ(s.rfind("…", 0), 0u) << s;
  EXPECT_NE(s.find("[[needle]]"), std::string::npos) << s;
  EXPECT_EQ(MakeSnippet("a b c d e f", {"zzz"}, 3), "a b c…");
}

TEST(SnippetTest, KeepsOneLineAndSurvivesOddInput) {
  EXPECT_EQ(MakeSnippet("Hi,\nthe refund", {"refund"}), "Hi, the [[refund]]");
  EXPECT_EQ(MakeSnippet("", {"x"}), "");
  EXPECT_EQ(MakeSnippet("\xff\xfe refund \xc3", {"refund"}), "\xff\xfe [[refund]] \xc3");
}

}  // namespace
}  // namespace steadfast::storage
