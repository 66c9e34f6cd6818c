#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace steadfast::storage {

// Splits a user's search text into words: runs of letters and digits of any script (accented and
// non-Latin words stay whole; Unicode punctuation such as "—" or "«" separates words). At most 16
// words, each at most 64 bytes. Operators and punctuation are dropped, so no user input is ever
// read as query syntax.
std::vector<std::string> SearchTerms(std::string_view text);

// An FTS5 MATCH expression requiring every term: "\"word1\" \"word2\"".
std::string Fts5AllTerms(const std::vector<std::string>& terms);

}  // namespace steadfast::storage
