#include "engine/chase.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/check.h"
#include "common/text.h"
#include "engine/chase_text.h"

namespace steadfast::engine {
namespace {

using WordSet = std::unordered_set<std::string>;

// "any update on <the invoice correction>": a topic may hold this many words outside the lists;
// a longer one is news in its own right.
constexpr size_t kMaxTopicWords = 3;
// Names after a greeting or sign-off: "Hi Mary Ann,", "Thanks, Kim".
constexpr size_t kMaxNameWords = 3;
// A signature line holds at most this many words ("Senior Buyer, Northwind Traders").
constexpr size_t kMaxNameLineWords = 6;
// A span of time is at most this many words ("more than a couple of weeks").
constexpr size_t kMaxTimeWords = 8;
// A phone number has at least this many digits.
constexpr size_t kMinPhoneDigits = 7;
// A mail client's footer is a short line ("Sent from my iPhone").
constexpr size_t kMaxFooterWords = 6;
// Quotes in an explanation are cut to about this many bytes.
constexpr size_t kMaxQuoteBytes = 120;
constexpr size_t kNoMatch = static_cast<size_t>(-1);

using Words = std::vector<const Token*>;

}  // namespace

struct CompiledChaseRules {
  struct Element {
    std::vector<std::string> words;  // Alternatives; empty for <time>.
    bool optional = false;
    bool time = false;
  };
  using Pattern = std::vector<Element>;

  std::string code;
  std::unordered_map<std::string, std::string> spellings;
  std::vector<Pattern> chase, courtesy, recap, greetings, sign_offs, footers, disclaimers,
      postscripts;
  WordSet question_chases, addressees, filler, connectors, topic_prepositions, topic_stops,
      reference_nouns, reference_markers, time_quantities, time_units, time_words;
};

namespace {

using Rules = CompiledChaseRules;
using Pattern = Rules::Pattern;

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Matching of the compiled patterns against a run of words.
class Matcher {
 public:
  Matcher(const Rules& rules, const Words& words) : rules_(rules), words_(words) {}

  size_t size() const { return words_.size(); }
  const Token& at(size_t i) const { return *words_[i]; }
  bool IsWordIn(size_t i, const WordSet& set) const {
    return i < words_.size() && words_[i]->kind == TokenKind::kWord &&
           set.count(words_[i]->text) > 0;
  }

  // Length of the longest pattern of `patterns` matching at `i`; 0 when none does.
  size_t Longest(const std::vector<Pattern>& patterns, size_t i) const {
    size_t best = 0;
    for (const Pattern& p : patterns) {
      size_t end = MatchFrom(p, 0, i);
      if (end != kNoMatch && end - i > best) {
        best = end - i;
      }
    }
    return best;
  }

  // Length of a span of time at `i` ("3 days", "over a week", "last monday"); 0 when none.
  size_t TimeAt(size_t i) const {
    size_t last_end = 0;
    for (size_t j = i; j < std::min(words_.size(), i + kMaxTimeWords); ++j) {
      if (words_[j]->kind == TokenKind::kNumber) {
        continue;
      }
      if (IsWordIn(j, rules_.time_units) || IsWordIn(j, rules_.time_words)) {
        last_end = j + 1;
        continue;
      }
      if (!IsWordIn(j, rules_.time_quantities)) {
        break;
      }
    }
    return last_end == 0 ? 0 : last_end - i;
  }

  // Length of a reference to the ticket itself at `i` ("ticket #4821", "case no 77"); 0 if none.
  size_t ReferenceAt(size_t i) const {
    if (!IsWordIn(i, rules_.reference_nouns)) {
      return 0;
    }
    size_t j = i + 1;
    while (IsWordIn(j, rules_.reference_markers)) {
      ++j;
    }
    bool number = j < words_.size() &&
                  (words_[j]->kind == TokenKind::kNumber || words_[j]->kind == TokenKind::kId);
    return number ? j + 1 - i : 0;
  }

  // A word no list knows at `i` (a name, or news).
  bool IsUnknown(size_t i) const {
    return i < words_.size() && words_[i]->kind == TokenKind::kWord &&
           !IsWordIn(i, rules_.filler) && !IsWordIn(i, rules_.question_chases) &&
           Longest(rules_.chase, i) == 0 && Longest(rules_.courtesy, i) == 0;
  }

  // Addressees and capitalised names after a greeting or sign-off at `i`; returns the end.
  size_t SkipNames(size_t i) const {
    for (size_t n = 0; n < kMaxNameWords &&
                       (IsWordIn(i, rules_.addressees) || (IsUnknown(i) && words_[i]->name_like));
         ++n) {
      ++i;
    }
    return i;
  }

 private:
  // The end of the longest match of p[e...] at word i, or kNoMatch.
  size_t MatchFrom(const Pattern& p, size_t e, size_t i) const {
    if (e == p.size()) {
      return i;
    }
    const Rules::Element& el = p[e];
    size_t best = kNoMatch;
    auto consider = [&](size_t end) {
      if (end != kNoMatch && (best == kNoMatch || end > best)) {
        best = end;
      }
    };
    if (el.time) {
      if (size_t len = TimeAt(i); len > 0) {
        consider(MatchFrom(p, e + 1, i + len));
      }
    } else if (i < words_.size() && words_[i]->kind != TokenKind::kLink &&
               std::find(el.words.begin(), el.words.end(), words_[i]->text) != el.words.end()) {
      consider(MatchFrom(p, e + 1, i + 1));
    }
    if (el.optional) {
      consider(MatchFrom(p, e + 1, i));
    }
    return best;
  }

  const Rules& rules_;
  const Words& words_;
};

// norm[begin, end) for an explanation: on one line, spaces collapsed, cut when long.
std::string Quote(std::string_view norm, size_t begin, size_t end) {
  std::string_view s = Trim(norm.substr(begin, end - begin));
  std::string out;
  for (char c : s) {
    bool space = c == ' ' || c == '\n';
    if (!space || (!out.empty() && out.back() != ' ')) {
      out += space ? ' ' : c;
    }
  }
  if (out.size() > kMaxQuoteBytes) {
    size_t cut = kMaxQuoteBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out.resize(cut);
    out += "...";
  }
  return out;
}

// One line of the message: tokens [begin, end).
struct Line {
  size_t begin = 0;
  size_t end = 0;
};

struct Clause {
  Words words;
  bool question = false;  // Ends in '?'.
  size_t begin = kNoMatch;
  size_t end = 0;
};

enum class ClauseClass { kCourtesy, kChase, kSubstance };

bool IsTerminal(char c) { return c == '.' || c == '!' || c == '?'; }
bool IsClauseBreak(char c) { return std::string_view(",;:-").find(c) != std::string_view::npos; }

// One message on its way through the rules. Lives for one Detect call.
class Analysis {
 public:
  Analysis(const Rules& rules, std::string_view text)
      : rules_(rules),
        norm_(NormalizeText(text)),
        tokens_(Tokenize(norm_, rules.spellings, rules.time_units)) {}

  ChaseVerdict Run() {
    ChaseVerdict verdict;
    std::vector<Clause> clauses = SplitClauses(SetSignatureAside(ContentLines()));
    for (const Clause& clause : clauses) {
      if (Classify(clause, verdict.chase_phrases) == ClauseClass::kSubstance) {
        verdict.new_information = Quote(norm_, clause.begin, clause.end);
        verdict.explanation =
            "Not a chase: carries new information: '" + verdict.new_information + "'.";
        return verdict;
      }
    }
    if (verdict.chase_phrases.empty()) {
      verdict.explanation = clauses.empty()
                                ? "Not a chase: nothing is left after greetings and signature."
                                : "Not a chase: does not ask for news.";
      return verdict;
    }
    verdict.is_chase = true;
    verdict.explanation = "Chase: asks only for news (";
    for (size_t i = 0; i < verdict.chase_phrases.size(); ++i) {
      verdict.explanation += (i > 0 ? ", '" : "'") + verdict.chase_phrases[i] + "'";
    }
    verdict.explanation += ").";
    return verdict;
  }

 private:
  Words WordsOf(size_t begin, size_t end) const {
    Words words;
    for (size_t i = begin; i < end; ++i) {
      if (tokens_[i].kind != TokenKind::kPunct) {
        words.push_back(&tokens_[i]);
      }
    }
    return words;
  }

  bool StartsWith(const Line& line, const std::vector<Pattern>& patterns,
                  size_t max_words = kNoMatch) const {
    Words words = WordsOf(line.begin, line.end);
    return words.size() <= max_words && Matcher(rules_, words).Longest(patterns, 0) > 0;
  }

  // The lines that may hold words of the customer's: not quoted ('>'), not a mail client's
  // footer or an image placeholder ("[cid:...]"), and nothing from a signature separator ("--")
  // or a legal disclaimer on.
  std::vector<Line> ContentLines() const {
    std::vector<Line> lines;
    for (size_t i = 0; i < tokens_.size();) {
      Line line{i, i};
      while (line.end < tokens_.size() && tokens_[line.end].line == tokens_[i].line) {
        ++line.end;
      }
      i = line.end;
      bool separator = line.end - line.begin >= 2;
      for (size_t k = line.begin; k < line.end && separator; ++k) {
        separator = tokens_[k].kind == TokenKind::kPunct &&
                    std::string_view("-_=~*").find(tokens_[k].text[0]) != std::string_view::npos;
      }
      if (separator || StartsWith(line, rules_.disclaimers)) {
        break;
      }
      const std::string& first = tokens_[line.begin].text;
      bool quoted = tokens_[line.begin].kind == TokenKind::kPunct && first == ">";
      bool placeholder = first == "[" && tokens_[line.end - 1].text == "]";
      if (!quoted && !placeholder && !StartsWith(line, rules_.footers, kMaxFooterWords)) {
        lines.push_back(line);
      }
    }
    return lines;
  }

  // Where the last sentence of `line` starts when it is a sign-off ("Thanks, Mary"); else
  // kNoMatch.
  size_t SignOffStart(const Line& line) const {
    size_t start = line.begin;
    for (size_t k = line.begin; k + 1 < line.end; ++k) {
      if (tokens_[k].kind == TokenKind::kPunct && IsTerminal(tokens_[k].text[0]) &&
          tokens_[k + 1].kind != TokenKind::kPunct) {
        start = k + 1;
      }
    }
    for (size_t k = start; k < line.end; ++k) {
      if (tokens_[k].text == "?") {
        return kNoMatch;
      }
    }
    Words words = WordsOf(start, line.end);
    Matcher m(rules_, words);
    size_t sign_off = m.Longest(rules_.sign_offs, 0);
    size_t end = sign_off > 0 ? m.SkipNames(sign_off) : 0;
    // "cheers, dave": one more word, in any case, that no list knows.
    if (end > 0 && end + 1 == words.size() && m.IsUnknown(end)) {
      ++end;
    }
    return sign_off > 0 && end == words.size() ? start : kNoMatch;
  }

  // A line of contact details: a phone number, an address or site, or fields split by '|'.
  // `strict` (no sign-off above) does not take a URL with a path: that is more likely news.
  bool IsContactLine(const Line& line, bool strict) const {
    size_t digits = 0, words = 0, links = 0;
    bool bar = false;
    for (size_t k = line.begin; k < line.end; ++k) {
      const Token& t = tokens_[k];
      if (t.kind == TokenKind::kNumber) {
        digits += std::count_if(t.text.begin(), t.text.end(), IsAsciiDigit);
      } else if (t.kind == TokenKind::kLink) {
        if (strict && !IsContactLink(t.text)) {
          return false;
        }
        ++links;
      } else if (t.kind == TokenKind::kWord || t.kind == TokenKind::kId) {
        ++words;
      } else if (t.text == "?") {
        return false;
      }
      bar = bar || t.text == "|";
    }
    return (bar && words <= 2 * kMaxNameLineWords) ||
           ((links > 0 || digits >= kMinPhoneDigits) && words <= kMaxNameWords);
  }

  // A name, a job title or a company: capitalised words ("Senior Buyer, Northwind Traders").
  bool IsNameLine(const Line& line) const {
    size_t words = 0, names = 0;
    for (size_t k = line.begin; k < line.end; ++k) {
      const Token& t = tokens_[k];
      if (t.kind == TokenKind::kPunct) {
        if (t.text == "?" || t.text == "!") {
          return false;
        }
        continue;
      }
      ++words;
      if (t.kind != TokenKind::kWord) {
        return false;
      }
      if (rules_.connectors.count(t.text) > 0) {
        continue;
      }
      bool initial = t.name_like && t.end - t.begin == 1;  // "R. Hughes"
      if (!initial && (rules_.filler.count(t.text) > 0 || !(t.name_like || t.acronym))) {
        return false;
      }
      ++names;
    }
    return names > 0 && words <= kMaxNameLineWords;
  }

  // Under a sign-off (not `strict`), a line of one word in any case is a name too ("dave").
  bool IsSignatureLine(const Line& line, bool strict) const {
    Words words = WordsOf(line.begin, line.end);
    return IsContactLine(line, strict) || IsNameLine(line) ||
           (!strict && words.size() == 1 && Matcher(rules_, words).IsUnknown(0));
  }

  // Drops sign-offs with the signature under them (up to a postscript), and a trailing block of
  // signature lines that has no sign-off above it.
  std::vector<Line> SetSignatureAside(const std::vector<Line>& lines) const {
    std::vector<Line> out;
    for (size_t i = 0; i < lines.size(); ++i) {
      size_t start = SignOffStart(lines[i]);
      if (start == kNoMatch) {
        out.push_back(lines[i]);
        continue;
      }
      if (start > lines[i].begin) {
        out.push_back({lines[i].begin, start});
      }
      size_t tail = i + 1;
      while (tail < lines.size() && !StartsWith(lines[tail], rules_.postscripts) &&
             IsSignatureLine(lines[tail], /*strict=*/false)) {
        ++tail;
      }
      if (tail == lines.size() || StartsWith(lines[tail], rules_.postscripts)) {
        i = tail - 1;
      }
    }
    while (out.size() > 1 && IsSignatureLine(out.back(), /*strict=*/true)) {
      out.pop_back();
    }
    return out;
  }

  // Clauses end at . ! ? , ; : ( ) and dashes, and at line ends unless the line is only wrapped
  // (it ends in a word and the next begins with a lower-case one).
  std::vector<Clause> SplitClauses(const std::vector<Line>& lines) const {
    std::vector<Clause> clauses;
    Clause current;
    bool ended = false;
    auto close = [&] {
      if (!current.words.empty() || current.question) {
        clauses.push_back(std::move(current));
      }
      current = Clause();
      ended = false;
    };
    const Token* previous = nullptr;
    for (const Line& line : lines) {
      for (size_t k = line.begin; k < line.end; ++k) {
        const Token& t = tokens_[k];
        bool wrapped = previous != nullptr && previous->kind != TokenKind::kPunct &&
                       t.line == previous->line + 1 && t.kind == TokenKind::kWord && !t.name_like;
        if (previous != nullptr && t.line != previous->line && !wrapped) {
          close();
        }
        previous = &t;
        if (t.kind == TokenKind::kPunct && IsClauseBreak(t.text[0])) {
          close();
          continue;
        }
        if (t.kind == TokenKind::kPunct && !IsTerminal(t.text[0])) {
          continue;
        }
        if (t.kind == TokenKind::kPunct) {
          current.question = current.question || t.text == "?";
          ended = true;
        } else if (ended) {
          close();
        }
        if (t.kind != TokenKind::kPunct) {
          current.words.push_back(&t);
        }
        current.begin = std::min(current.begin, t.begin);
        current.end = std::max(current.end, t.end);
      }
    }
    close();
    return clauses;
  }

  // After a chase phrase: "on|about|for <topic>", a few words saying what the news is about.
  // Returns where the clause goes on; a topic too long to be one is left for the caller.
  size_t SkipTopic(const Matcher& m, size_t i) const {
    if (!m.IsWordIn(i, rules_.topic_prepositions)) {
      return i;
    }
    size_t j = i + 1;
    for (size_t unknown = 0; j < m.size();) {
      if (m.IsWordIn(j, rules_.topic_stops)) {
        break;
      }
      if (size_t len = std::max(m.ReferenceAt(j), m.TimeAt(j)); len > 0) {
        j += len;
        continue;
      }
      if (m.at(j).kind != TokenKind::kWord || m.Longest(rules_.chase, j) > 0 ||
          m.Longest(rules_.courtesy, j) > 0 || m.Longest(rules_.recap, j) > 0 ||
          m.Longest(rules_.sign_offs, j) > 0) {
        break;
      }
      if (!m.IsWordIn(j, rules_.filler) && ++unknown > kMaxTopicWords) {
        return i;
      }
      ++j;
    }
    return j;
  }

  ClauseClass Classify(const Clause& clause, std::vector<std::string>& phrases) const {
    if (clause.words.empty()) {
      if (clause.question) {  // A bare "?" or "???".
        phrases.push_back(Quote(norm_, clause.begin, clause.end));
        return ClauseClass::kChase;
      }
      return ClauseClass::kCourtesy;
    }
    Matcher m(rules_, clause.words);
    size_t i = 0;
    bool greeting = false;
    if (size_t len = m.Longest(rules_.greetings, 0); len > 0) {
      greeting = true;
      i = m.SkipNames(len);
    }
    std::vector<std::pair<size_t, size_t>> chases;
    bool asks = false;  // A word that asks for news when it is the whole question ("status?").
    while (i < m.size()) {
      size_t chase = m.Longest(rules_.chase, i);
      size_t sign_off = m.Longest(rules_.sign_offs, i);
      size_t courtesy = std::max({m.Longest(rules_.courtesy, i), m.Longest(rules_.recap, i),
                                  m.Longest(rules_.postscripts, i)});
      if (chase > 0 && chase >= sign_off && chase >= courtesy) {
        chases.emplace_back(i, i + chase);
        i = SkipTopic(m, i + chase);
      } else if (sign_off > 0 && sign_off >= courtesy) {
        i = m.SkipNames(i + sign_off);
      } else if (courtesy > 0) {
        i += courtesy;
      } else if (size_t len = std::max(m.ReferenceAt(i), m.TimeAt(i)); len > 0) {
        i += len;
      } else if (clause.question && m.IsWordIn(i, rules_.question_chases)) {
        asks = true;
        ++i;
      } else if (m.IsWordIn(i, rules_.filler)) {
        ++i;
      } else {
        return ClauseClass::kSubstance;
      }
    }
    for (auto [begin, end] : chases) {
      phrases.push_back(Quote(norm_, m.at(begin).begin, m.at(end - 1).end));
    }
    if (chases.empty() && clause.question && (greeting || asks)) {
      phrases.push_back(Quote(norm_, clause.begin, clause.end));
    }
    return chases.empty() && !(clause.question && (greeting || asks)) ? ClauseClass::kCourtesy
                                                                      : ClauseClass::kChase;
  }

  const Rules& rules_;
  std::string norm_;
  std::vector<Token> tokens_;
};

std::vector<Pattern> CompilePatterns(const std::vector<std::string>& sources, const Rules& rules) {
  std::vector<Pattern> patterns;
  for (const std::string& source : sources) {
    Pattern pattern;
    bool required = false;
    for (std::string_view piece : Split(source, ' ')) {
      if (piece.empty()) {
        continue;
      }
      Rules::Element element;
      if (piece.size() > 1 && piece.back() == '?') {
        element.optional = true;
        piece.remove_suffix(1);
      }
      element.time = piece == "<time>";
      for (std::string_view word :
           element.time ? std::vector<std::string_view>{} : Split(piece, '|')) {
        SF_CHECK(!word.empty());
        element.words.push_back(NormalizeWord(word, rules.spellings));
      }
      required = required || !element.optional;
      pattern.push_back(std::move(element));
    }
    SF_CHECK(required);
    patterns.push_back(std::move(pattern));
  }
  return patterns;
}

WordSet CompileWords(const std::vector<std::string>& words, const Rules& rules) {
  WordSet set;
  for (const std::string& word : words) {
    SF_CHECK(!word.empty() && word.find(' ') == std::string::npos);
    set.insert(NormalizeWord(word, rules.spellings));
  }
  return set;
}

Rules Compile(const ChaseLanguage& language) {
  Rules rules;
  rules.code = language.code;
  std::unordered_map<std::string, std::string> spellings;
  for (const auto& [from, to] : language.spellings) {
    spellings[NormalizeWord(from, rules.spellings)] = NormalizeWord(to, rules.spellings);
  }
  rules.spellings = std::move(spellings);
  using L = ChaseLanguage;
  for (auto [from, to] : {std::pair{&L::chase_phrases, &Rules::chase},
                          {&L::courtesy_phrases, &Rules::courtesy},
                          {&L::recap_phrases, &Rules::recap},
                          {&L::greetings, &Rules::greetings},
                          {&L::sign_offs, &Rules::sign_offs},
                          {&L::footers, &Rules::footers},
                          {&L::disclaimers, &Rules::disclaimers},
                          {&L::postscripts, &Rules::postscripts}}) {
    rules.*to = CompilePatterns(language.*from, rules);
  }
  for (auto [from, to] : {std::pair{&L::question_chases, &Rules::question_chases},
                          {&L::addressees, &Rules::addressees},
                          {&L::filler_words, &Rules::filler},
                          {&L::name_connectors, &Rules::connectors},
                          {&L::topic_prepositions, &Rules::topic_prepositions},
                          {&L::topic_stops, &Rules::topic_stops},
                          {&L::reference_nouns, &Rules::reference_nouns},
                          {&L::reference_markers, &Rules::reference_markers},
                          {&L::time_quantities, &Rules::time_quantities},
                          {&L::time_units, &Rules::time_units},
                          {&L::time_words, &Rules::time_words}}) {
    rules.*to = CompileWords(language.*from, rules);
  }
  return rules;
}

}  // namespace

ChaseDetector::ChaseDetector(const ChaseLanguage& language)
    : compiled_(std::make_unique<const CompiledChaseRules>(Compile(language))) {}
ChaseDetector::~ChaseDetector() = default;
ChaseDetector::ChaseDetector(ChaseDetector&&) noexcept = default;
ChaseDetector& ChaseDetector::operator=(ChaseDetector&&) noexcept = default;

ChaseVerdict ChaseDetector::Detect(std::string_view fresh_text) const {
  return Analysis(*compiled_, fresh_text).Run();
}

const std::string& ChaseDetector::language() const { return compiled_->code; }

}  // namespace steadfast::engine
