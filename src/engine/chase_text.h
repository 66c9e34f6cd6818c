#pragma once

// Internal to chase detection (chase.cc): the text normalization and tokenizing that come before
// any rule is applied. Not part of the engine's interface. Every function here is pure and
// thread-safe.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace steadfast::engine {

enum class TokenKind {
  kWord,    // Letters with any apostrophes and hyphens inside ("don't", "follow-up"), or an
            // abbreviation ("p.s").
  kNumber,  // Digits with their punctuation ("4821", "555-0100", "$5"), or the number in "48h".
  kId,      // '#' and digits ("#4821"), or letters and digits mixed ("x200", "SN-4482").
  kLink,    // A URL, an e-mail address or a bare domain ("status.acme.example").
  kPunct,   // One punctuation character.
};

struct Token {
  TokenKind kind = TokenKind::kWord;
  // Words normalized by NormalizeWord; links and ids in ASCII lower case; numbers and
  // punctuation as written.
  std::string text;
  size_t begin = 0;  // Span in the normalized message.
  size_t end = 0;
  size_t line = 0;         // 0-based line of the normalized message.
  bool name_like = false;  // Capitalised and not all capitals: "Mary", "J".
  bool acronym = false;    // Two to four capitals: "CTO".
};

// Folds quotes, apostrophes, dashes and spaces to ASCII, drops CR, and turns invalid bytes,
// control characters and symbols (emoji, arrows, currency signs) into spaces, so that what is
// left is ASCII or letters. Keeps case: names and signatures are told by it. Never fails.
std::string NormalizeText(std::string_view in);

// Lower case (ASCII and Latin-1), apostrophes dropped, a letter typed three or more times in a
// row kept once ("hellooo"), then `spellings` (keys already normalized) applied to the whole
// word. Used both on a message's words and on the patterns they are matched against.
std::string NormalizeWord(std::string_view raw,
                          const std::unordered_map<std::string, std::string>& spellings);

// True for a link good for a signature line without a sign-off above it: an e-mail address or a
// bare site without a path. `s` is the text of a TokenKind::kLink token.
bool IsContactLink(std::string_view s);

// Splits `norm` at spaces and line breaks, then peels punctuation off both ends of each piece
// ('#' and '$' stay on the number they mark); words joined by punctuation other than apostrophes
// and hyphens ("sir/madam") are split. A number followed by one of `time_units` ("48h") becomes a
// number and a word. Returns the tokens in order of their spans.
// REQUIRES: `norm` is the output of NormalizeText; `spellings` and `time_units` are normalized
// by NormalizeWord.
std::vector<Token> Tokenize(std::string_view norm,
                            const std::unordered_map<std::string, std::string>& spellings,
                            const std::unordered_set<std::string>& time_units);

}  // namespace steadfast::engine
