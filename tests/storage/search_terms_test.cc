#include "storage/search_terms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <type_traits>
#include <vector>

#include "common/text.h"
#include "testing/test_util.h"
namespace steadfast::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

using ::steadfast::testing::Cat;

// Inputs a user (or an attacker) may type that mean something to FTS5's query language.
const std::vector<std::string>& HostileQueries() {
  static const std::vector<std::string> kQueries = {
      "\"unbalanced",
      "\"phrase\" \"other\"",
      "'single' `back`",
      "a AND b",
      "a OR b",
      "a NOT b",
      "NOT a",
      "NEAR(a b, 3)",
      "NEAR/2",
      "pri*",
      "*",
      "^start",
      "subject:printer",
      "{subject customer}: x",
      "- x + y",
      "(a OR (b AND c)",
      "a\" OR \"b",
      "\"\"\"\"",
      "a''b",
      "x;DROP TABLE tickets;--",
      "a\\\"b",
      std::string("nul\0byte", 8),
  };
  return kQueries;
}

bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

TEST(SearchTermsTest, SplitsPlainTextIntoWords) {
  EXPECT_THAT(SearchTerms("printer on fire"), ElementsAre("printer", "on", "fire"));
  EXPECT_THAT(SearchTerms("  Invoice #1234, please!  "), ElementsAre("Invoice", "1234", "please"));
  EXPECT_THAT(SearchTerms("ana@example.com"), ElementsAre("ana", "example", "com"));
}

TEST(SearchTermsTest, EmptyWhitespaceAndPunctuationGiveNoTerms) {
  EXPECT_THAT(SearchTerms(""), IsEmpty());
  EXPECT_THAT(SearchTerms(" \t\r\n "), IsEmpty());
  EXPECT_THAT(SearchTerms("?!.,;:()[]{}\"'`~@#$%^&*-+=|\\/<>"), IsEmpty());
  EXPECT_THAT(SearchTerms("\"\" * ^ -"), IsEmpty());
}

TEST(SearchTermsTest, QuotesAreDropped) {
  EXPECT_THAT(SearchTerms("\"exact phrase\""), ElementsAre("exact", "phrase"));
  EXPECT_THAT(SearchTerms("\"unbalanced"), ElementsAre("unbalanced"));
  EXPECT_THAT(SearchTerms("it's"), ElementsAre("it", "s"));
  EXPECT_THAT(SearchTerms("a\"b"), ElementsAre("a", "b"));
}

TEST(SearchTermsTest, OperatorCharactersAreDropped) {
  EXPECT_THAT(SearchTerms("pri*"), ElementsAre("pri"));
  EXPECT_THAT(SearchTerms("^start"), ElementsAre("start"));
  EXPECT_THAT(SearchTerms("subject:printer"), ElementsAre("subject", "printer"));
  EXPECT_THAT(SearchTerms("{subject customer}: x"), ElementsAre("subject", "customer", "x"));
  EXPECT_THAT(SearchTerms("-x +y"), ElementsAre("x", "y"));
  EXPECT_THAT(SearchTerms("NEAR(a b, 3)"), ElementsAre("NEAR", "a", "b", "3"));
  EXPECT_THAT(SearchTerms("(a OR (b AND c)"), ElementsAre("a", "OR", "b", "AND", "c"));
}

TEST(SearchTermsTest, NulAndControlBytesSeparateWords) {
  EXPECT_THAT(SearchTerms(std::string("nul\0byte", 8)), ElementsAre("nul", "byte"));
  EXPECT_THAT(SearchTerms("tab\there\x01x"), ElementsAre("tab", "here", "x"));
}

TEST(SearchTermsTest, EveryTermIsOnlyWordBytes) {
  for (const std::string& q : HostileQueries()) {
    for (const std::string& term : SearchTerms(q)) {
      EXPECT_FALSE(term.empty()) << q;
      for (unsigned char c : term) {
        EXPECT_TRUE(IsWordByte(c)) << "query [" << q << "] gave term [" << term << "]";
      }
    }
  }
}

TEST(SearchTermsTest, AccentedAndNonLatinWordsStayWhole) {
  EXPECT_THAT(SearchTerms("café crème brûlée"), ElementsAre("café", "crème", "brûlée"));
  EXPECT_THAT(SearchTerms("naïve-résumé"), ElementsAre("naïve", "résumé"));
  EXPECT_THAT(SearchTerms("Ünïcödé"), ElementsAre("Ünïcödé"));
  EXPECT_THAT(SearchTerms("日本語 テスト"), ElementsAre("日本語", "テスト"));
  EXPECT_THAT(SearchTerms("Москва, Київ"), ElementsAre("Москва", "Київ"));
}

TEST(SearchTermsTest, KeepsAtMostSixteenWords) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += Cat("w", i, " ");
  const std::vector<std::string> terms = SearchTerms(text);
  ASSERT_EQ(terms.size(), 16u);
  EXPECT_EQ(terms.front(), "w0");
  EXPECT_EQ(terms.back(), "w15");
}

TEST(SearchTermsTest, NoTermIsLongerThanSixtyFourBytes) {
  const std::string exactly64(64, 'a');
  EXPECT_THAT(SearchTerms(exactly64), ElementsAre(exactly64));

  const std::string long_ascii(65, 'b');
  for (const std::string& t : SearchTerms("short " + long_ascii + " tail")) {
    EXPECT_LE(t.size(), 64u) << t;
  }
  EXPECT_THAT(SearchTerms("short " + long_ascii + " tail"),
              ::testing::IsSupersetOf({"short", "tail"}));

  // 33 two-byte letters: 66 bytes. Whatever the limit does, it must not cut a character in half.
  std::string long_accented;
  for (int i = 0; i < 33; ++i) long_accented += "é";
  for (const std::string& t : SearchTerms(long_accented + " ok")) {
    EXPECT_LE(t.size(), 64u);
    EXPECT_TRUE(IsValidUtf8(t)) << t;
  }
}

TEST(Fts5AllTermsTest, QuotesEachTermAndJoinsWithSpaces) {
  EXPECT_EQ(Fts5AllTerms({}), "");
  EXPECT_EQ(Fts5AllTerms({"printer"}), "\"printer\"");
  EXPECT_EQ(Fts5AllTerms({"printer", "on", "fire"}), "\"printer\" \"on\" \"fire\"");
  EXPECT_EQ(Fts5AllTerms(SearchTerms("NEAR(a OR b)")), "\"NEAR\" \"a\" \"OR\" \"b\"");
}

// Runs the expressions against a real FTS5 index, the one place that decides what is syntax.
class Fts5SyntaxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    Exec(
        "CREATE VIRTUAL TABLE docs USING fts5(body, "
        "tokenize='unicode61 remove_diacritics 2')");
    Exec("INSERT INTO docs(rowid, body) VALUES(1, 'apple banana')");
    Exec("INSERT INTO docs(rowid, body) VALUES(2, 'apple not banana')");
    Exec("INSERT INTO docs(rowid, body) VALUES(3, 'cherry near date')");
    Exec("INSERT INTO docs(rowid, body) VALUES(4, 'le café est froid')");
  }
  void TearDown() override { sqlite3_close(db_); }

  void Exec(const char* sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql, nullptr, nullptr, &err), SQLITE_OK) << err;
  }

  // The rowids matching the user's `query`; -1 alone when FTS5 rejects the expression.
  std::vector<int64_t> Match(std::string_view query) {
    const std::string expr = Fts5AllTerms(SearchTerms(query));
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rowid",
                                 -1, &st, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, expr.data(), static_cast<int>(expr.size()), SQLITE_TRANSIENT);
    std::vector<int64_t> out;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) out.push_back(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return {-1};
    return out;
  }

  sqlite3* db_ = nullptr;
};

TEST_F(Fts5SyntaxTest, HostileQueriesNeverFailToParse) {
  for (const std::string& q : HostileQueries()) {
    if (SearchTerms(q).empty()) continue;  // The store refuses these before FTS5 sees them.
    EXPECT_NE(Match(q), std::vector<int64_t>{-1}) << "FTS5 rejected [" << q << "]";
  }
}

TEST_F(Fts5SyntaxTest, OperatorWordsAreLiteralWords) {
  // As an operator, NOT would exclude doc 2; as a word it must match only doc 2.
  EXPECT_THAT(Match("apple NOT banana"), ElementsAre(2));
  // As an operator, OR would match doc 1; as a word nothing has "or".
  EXPECT_THAT(Match("apple OR cherry"), IsEmpty());
  // As a word, NEAR matches the doc that contains it; as a function the query would not parse.
  EXPECT_THAT(Match("NEAR(cherry date)"), ElementsAre(3));
  EXPECT_THAT(Match("apple AND banana"), IsEmpty());
}

TEST_F(Fts5SyntaxTest, PrefixAndInitialTokenMarksAreIgnored) {
  // "ban*" as a prefix query would match docs 1 and 2.
  EXPECT_THAT(Match("ban*"), IsEmpty());
  // "^banana" as an initial-token query would match nothing (banana is never first).
  EXPECT_THAT(Match("^banana"), ElementsAre(1, 2));
}

TEST_F(Fts5SyntaxTest, ColumnFiltersAreIgnored) {
  // "body:apple" as a column filter would match docs 1 and 2; as words it needs "body" too.
  EXPECT_THAT(Match("body:apple"), IsEmpty());
  EXPECT_THAT(Match("-apple"), ElementsAre(1, 2));
}

TEST_F(Fts5SyntaxTest, AccentedTermsMatchFoldedText) {
  EXPECT_THAT(Match("café"), ElementsAre(4));
  EXPECT_THAT(Match("cafe"), ElementsAre(4));
  EXPECT_THAT(Match("\"café\""), ElementsAre(4));
}

}  // namespace
}  // namespace steadfast::storage
