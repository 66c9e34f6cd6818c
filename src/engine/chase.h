#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace steadfast::engine {

// The words one language uses to ask for news, to be polite and to sign off. Adding a language
// is writing one of these (see chase_rules.cc and docs/chases.md); the detector names no word.
//
// A *pattern* is words separated by spaces, matched in order against the words of one clause:
// "a|b" matches either word, a trailing '?' makes a word optional, and "<time>" matches a span
// of time ("3 days", "over a week", "since monday"). Patterns are written as customers type
// them; they go through the same normalization as a message (lower case, apostrophes dropped,
// `spellings` applied), so "it's" in a pattern matches "its", "it's" and "it’s".
struct ChaseLanguage {
  std::string code;  // The primary language subtag: "en", "es".
  // A clause holding one of these asks for news: "any update|updates|news", "still waiting".
  std::vector<std::string> chase_phrases;
  // Words that ask for news only as a whole clause ending in '?': "status?", "anyone??".
  std::vector<std::string> question_chases;
  // Thanks, apologies, good wishes and exasperation: they carry no news.
  std::vector<std::string> courtesy_phrases;
  // What the customer already did or was told ("i asked for", "you said youd"): no news.
  std::vector<std::string> recap_phrases;
  // Patterns opening a greeting ("hi", "good morning"); a greeting clause that ends in '?' is a
  // chase ("hello??"). Addressees and capitalised names may follow a greeting or a sign-off.
  std::vector<std::string> greetings;
  std::vector<std::string> addressees;
  // Closings after which a signature may follow: "kind regards", "thanks in advance".
  std::vector<std::string> sign_offs;
  // Patterns opening a mail client's footer line: "sent from my", "get outlook for".
  std::vector<std::string> footers;
  // Patterns opening a legal disclaimer, which runs to the end: "confidentiality notice".
  std::vector<std::string> disclaimers;
  // The opening of a postscript line ("ps"): a signature never swallows it.
  std::vector<std::string> postscripts;
  // Words that say nothing on their own: pronouns, articles, "just", "still", "ticket".
  std::vector<std::string> filler_words;
  // Small words a signature line may hold between capitalised ones ("Head of Support").
  std::vector<std::string> name_connectors;
  // After a chase phrase these introduce what it is about: "any update on <the refund>".
  std::vector<std::string> topic_prepositions;
  // Words that end such a topic because a new clause begins: "when", "whether", "and".
  std::vector<std::string> topic_stops;
  // Nouns naming the conversation itself: a number after one is a reference ("ticket #4821").
  std::vector<std::string> reference_nouns;
  // Words that may stand between such a noun and its number: "ticket number 4821".
  std::vector<std::string> reference_markers;
  // Spans of time: quantities and units ("two", "over", "days"), and words that are times by
  // themselves ("yesterday", "monday", "june").
  std::vector<std::string> time_quantities;
  std::vector<std::string> time_units;
  std::vector<std::string> time_words;
  // Alternative spellings, typos and abbreviations, each mapped to one word: {"pls", "please"}.
  std::vector<std::pair<std::string, std::string>> spellings;
};

// The built-in rules. Each lives for the whole program.
const ChaseLanguage& EnglishChaseRules();
const ChaseLanguage& SpanishChaseRules();

// The compiled form of a ChaseLanguage; defined in chase.cc.
struct CompiledChaseRules;

struct ChaseVerdict {
  bool is_chase = false;
  // The words that ask for news, as the customer wrote them ("any update", "hello??").
  std::vector<std::string> chase_phrases;
  // When not a chase because of it: the first clause that carries news, as written (plain
  // text: escape it for HTML).
  std::string new_information;
  // One sentence for the ticket view, e.g. "Chase: asks only for news ('any update')." or
  // "Not a chase: carries new information: 'the blue one arrived broken'."
  std::string explanation;
};

// Tells a message that only asks for news (a *chase*) from one that carries any: the text is
// normalized (case, quotes, spacing, spellings), the mail-client footer, the sign-off and the
// signature after it are set aside, and each clause is classed as chase, courtesy or substance.
// It is a chase when at least one clause is a chase and no clause carries substance. Numbers,
// order ids, URLs, e-mail addresses and any word outside the language's lists are substance,
// except a number naming the ticket itself and a span of time ("it's been 3 days").
// Thread-safe: the rules are compiled once, in the constructor. A moved-from detector may only be
// destroyed or assigned to.
class ChaseDetector {
 public:
  // Compiles `language`. A malformed pattern is a bug in the table and fails a CHECK.
  explicit ChaseDetector(const ChaseLanguage& language);
  ~ChaseDetector();
  ChaseDetector(ChaseDetector&&) noexcept;
  ChaseDetector& operator=(ChaseDetector&&) noexcept;

  // `fresh_text` is what the customer wrote this time (mail::SplitQuotedHistory's `fresh`), in
  // UTF-8; invalid bytes are ignored. Never fails; empty text is not a chase.
  ChaseVerdict Detect(std::string_view fresh_text) const;

  // The `code` of the language it was built from.
  const std::string& language() const;

 private:
  std::unique_ptr<const CompiledChaseRules> compiled_;
};

// Detects with the built-in rules for `language`, a BCP 47 tag whose primary subtag picks them
// ("en", "en-GB", "es"; empty means "en"). A language without rules is never a chase, and the
// explanation says so. Thread-safe; the rules compile once, on first use.
ChaseVerdict DetectChase(std::string_view fresh_text, std::string_view language = "en");

// The primary subtags DetectChase has rules for.
std::vector<std::string> ChaseLanguages();

}  // namespace steadfast::engine
