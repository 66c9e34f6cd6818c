#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace steadfast::storage {

// Lower-cases and strips the accents of Latin letters ("Café" → "cafe"), as the full-text
// index does, so a word can be compared with a search term.
std::string FoldForSearch(std::string_view word);

// A short excerpt of `text` around the first word that matches one of `terms` (from
// SearchTerms), with every matching word wrapped in [[ and ]]: "…the [[refund]] fails since…".
// At most `max_words` words; "…" marks a cut. The start of `text` when nothing matches.
std::string MakeSnippet(std::string_view text, const std::vector<std::string>& terms,
                        int max_words = 16);

}  // namespace steadfast::storage
