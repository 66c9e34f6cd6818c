// The response half of imap_client.h: reading untrusted IMAP server output.
#include <algorithm>
#include <cctype>
#include <limits>

#include "common/text.h"
#include "mail/imap_client.h"

namespace steadfast::mail {

namespace {

constexpr int kMaxListDepth = 16;

// `s` as printable ASCII, cut to `max` characters: server text goes into logs and JSON.
std::string Printable(std::string_view s, size_t max = 200) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7F) ? c : '?';
  }
  return out;
}

Status Garbled(std::string_view what, std::string_view line) {
  return Status::Unavailable("the IMAP server sent " + std::string(what) + ": " +
                             Printable(line, 120));
}

// A number of at most 10 digits in 1..4294967295 (RFC 3501 nz-number), or nullopt.
std::optional<uint32_t> ParseNzNumber(std::string_view s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v == 0 || v > std::numeric_limits<uint32_t>::max()) return std::nullopt;
  return static_cast<uint32_t>(v);
}

// If `line` ends with a literal marker "{N}" (or the client form "{N+}"), its size.
// Sets *bad when the marker is there but its number is not (too long, overflows).
std::optional<uint64_t> TrailingLiteral(std::string_view line, bool* bad) {
  *bad = false;
  if (line.empty() || line.back() != '}') return std::nullopt;
  const size_t open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;  // "{abc}" is text, not a literal.
  }
  if (digits.size() > 18) {
    *bad = true;
    return std::nullopt;
  }
  uint64_t n = 0;
  for (char c : digits) n = n * 10 + static_cast<uint64_t>(c - '0');
  return n;
}

// A parsed IMAP value (RFC 3501 section 4): an atom or number, a string (quoted or literal),
// NIL, or a parenthesized list.
struct Value {
  enum class Kind { kAtom, kString, kNil, kList };
  Kind kind = Kind::kAtom;
  std::string text;          // kAtom, kString.
  std::vector<Value> items;  // kList.
};

// Reads values from the text of one response, taking literal bytes at their markers.
class ValueParser {
 public:
  // Parses `r.text` from offset `start`, moving literal bytes out of `r` as they are reached.
  ValueParser(ImapResponse& r, size_t start) : r_(r), s_(r.text), pos_(start) {
    while (next_literal_ < r_.literals.size() && r_.literals[next_literal_].end <= start) {
      ++next_literal_;
    }
  }

  bool AtEnd() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
    return pos_ >= s_.size();
  }

  Result<Value> Parse(int depth = 0) {
    if (depth > kMaxListDepth) return Garbled("lists nested too deeply", s_);
    if (AtEnd()) return Garbled("a response that ends early", s_);
    const char c = s_[pos_];
    if (c == '(') return ParseList(depth);
    if (c == '"') return ParseQuoted();
    if (c == '{') return ParseLiteral();
    if (c == ')') return Garbled("an unexpected ')'", s_);
    return ParseAtom();
  }

 private:
  Result<Value> ParseList(int depth) {
    ++pos_;  // '('
    Value v;
    v.kind = Value::Kind::kList;
    while (true) {
      if (AtEnd()) return Garbled("an unterminated list", s_);
      if (s_[pos_] == ')') {
        ++pos_;
        return v;
      }
      SF_ASSIGN_OR_RETURN(Value item, Parse(depth + 1));
      v.items.push_back(std::move(item));
    }
  }

  Result<Value> ParseQuoted() {
    ++pos_;  // '"'
    Value v;
    v.kind = Value::Kind::kString;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return v;
      if (c == '\\') {
        if (pos_ >= s_.size()) break;
        v.text += s_[pos_++];
      } else {
        v.text += c;
      }
    }
    return Garbled("an unterminated quoted string", s_);
  }

  Result<Value> ParseLiteral() {
    const size_t close = s_.find('}', pos_);
    if (close == std::string::npos || next_literal_ >= r_.literals.size() ||
        r_.literals[next_literal_].end != close + 1) {
      return Garbled("a '{' that is not a literal", s_);
    }
    pos_ = close + 1;
    Value v;
    v.kind = Value::Kind::kString;
    v.text = std::move(r_.literals[next_literal_++].bytes);
    return v;
  }

  // An atom, number or flag; "BODY[HEADER.FIELDS (A B)]<0>" is one atom, brackets and all.
  Result<Value> ParseAtom() {
    Value v;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ' ' || c == '(' || c == ')' || c == '"' || c == '{') break;
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
        return Garbled("a control character", s_);
      }
      if (c == '[') {
        const size_t close = s_.find(']', pos_);
        if (close == std::string::npos) return Garbled("an unterminated '['", s_);
        v.text.append(s_, pos_, close + 1 - pos_);
        pos_ = close + 1;
        continue;
      }
      v.text += c;
      ++pos_;
    }
    if (v.text.empty()) return Garbled("an empty atom", s_);
    if (EqualsIgnoreCase(v.text, "NIL")) v.kind = Value::Kind::kNil;
    return v;
  }

  ImapResponse& r_;
  const std::string& s_;
  size_t pos_;
  size_t next_literal_ = 0;
};

}  // namespace

ImapResponseReader::ImapResponseReader(size_t max_literal_bytes, size_t max_line_bytes)
    : max_literal_bytes_(max_literal_bytes), max_line_bytes_(max_line_bytes) {}

void ImapResponseReader::Feed(std::string_view bytes) {
  if (pos_ > 0 && pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > 64 * 1024) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  buffer_.append(bytes);
}

Status ImapResponseReader::Fail(Status s) {
  error_ = s;
  return s;
}

Result<std::optional<ImapResponse>> ImapResponseReader::Next() {
  if (!error_.ok()) return error_;
  while (true) {
    if (in_literal_) {
      const size_t take = std::min(literal_left_, buffer_.size() - pos_);
      partial_.literals.back().bytes.append(buffer_, pos_, take);
      pos_ += take;
      literal_left_ -= take;
      if (literal_left_ > 0) return std::optional<ImapResponse>();
      in_literal_ = false;
    }
    const size_t nl = buffer_.find('\n', pos_);
    if (nl == std::string::npos) {
      if (partial_.text.size() + (buffer_.size() - pos_) > max_line_bytes_) {
        return Fail(Garbled("a line that is too long", partial_.text));
      }
      return std::optional<ImapResponse>();
    }
    std::string_view piece(buffer_.data() + pos_, nl - pos_);
    pos_ = nl + 1;
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    if (partial_.text.empty() && partial_.literals.empty() && piece.empty()) continue;
    if (partial_.text.size() + piece.size() > max_line_bytes_) {
      return Fail(Garbled("a line that is too long", partial_.text));
    }
    partial_.text.append(piece);
    bool bad = false;
    const std::optional<uint64_t> literal = TrailingLiteral(piece, &bad);
    if (bad) return Fail(Garbled("a literal size that is not a number", piece));
    if (literal) {
      if (*literal > max_literal_bytes_) {
        return Fail(Status::TooLarge("the IMAP server announced " + std::to_string(*literal) +
                                     " bytes, over the limit of " +
                                     std::to_string(max_literal_bytes_)));
      }
      ImapLiteral lit;
      lit.end = partial_.text.size();
      lit.bytes.reserve(std::min<uint64_t>(*literal, 1 << 20));
      partial_.literals.push_back(std::move(lit));
      literal_left_ = static_cast<size_t>(*literal);
      in_literal_ = true;
      continue;
    }

    // The response is complete: say what kind it is and strip its prefix.
    ImapResponse r = std::move(partial_);
    partial_ = ImapResponse();
    size_t prefix = 0;
    if (r.text.rfind("* ", 0) == 0) {
      r.kind = ImapResponse::Kind::kUntagged;
      prefix = 2;
    } else if (r.text == "+" || r.text.rfind("+ ", 0) == 0) {
      r.kind = ImapResponse::Kind::kContinuation;
      prefix = std::min<size_t>(2, r.text.size());
    } else {
      const size_t space = r.text.find(' ');
      if (space == std::string::npos || space == 0 || space > 64) {
        return Fail(Garbled("a line that is no IMAP response", r.text));
      }
      r.kind = ImapResponse::Kind::kTagged;
      r.tag = r.text.substr(0, space);
      prefix = space + 1;
    }
    for (ImapLiteral& lit : r.literals) {
      if (lit.end <= prefix) return Fail(Garbled("a literal in place of a tag", r.text));
      lit.end -= prefix;
    }
    r.text.erase(0, prefix);
    return std::optional<ImapResponse>(std::move(r));
  }
}

Result<ImapCompletion> ParseCompletion(const ImapResponse& tagged) {
  std::string_view s = tagged.text;
  const size_t space = s.find(' ');
  const std::string_view word = s.substr(0, space);
  ImapCompletion c;
  if (EqualsIgnoreCase(word, "OK")) {
    c.condition = ImapCompletion::Condition::kOk;
  } else if (EqualsIgnoreCase(word, "NO")) {
    c.condition = ImapCompletion::Condition::kNo;
  } else if (EqualsIgnoreCase(word, "BAD")) {
    c.condition = ImapCompletion::Condition::kBad;
  } else {
    return Garbled("a completion that is not OK, NO or BAD", s);
  }
  s = space == std::string_view::npos ? std::string_view() : s.substr(space + 1);
  if (!s.empty() && s.front() == '[') {
    const size_t close = s.find(']');
    if (close != std::string_view::npos) {
      std::string_view code = s.substr(1, close - 1);
      code = code.substr(0, code.find(' '));
      c.code = Printable(code, 40);
      for (char& ch : c.code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      s = Trim(s.substr(close + 1));
    }
  }
  c.text = Printable(s);
  return c;
}

Result<std::vector<uint32_t>> ParseSearch(const std::vector<ImapResponse>& untagged) {
  std::vector<uint32_t> uids;
  for (const ImapResponse& r : untagged) {
    if (r.kind != ImapResponse::Kind::kUntagged) continue;
    const std::vector<std::string_view> words = Split(r.text, ' ');
    if (words.empty() || !EqualsIgnoreCase(words[0], "SEARCH")) continue;
    if (!r.literals.empty()) return Garbled("a literal in a SEARCH response", r.text);
    for (size_t i = 1; i < words.size(); ++i) {
      if (words[i].empty()) continue;  // Doubled or trailing spaces.
      const std::optional<uint32_t> uid = ParseNzNumber(words[i]);
      if (!uid) return Garbled("a SEARCH result that is not a UID", r.text);
      uids.push_back(*uid);
    }
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

Result<uint32_t> ParseUidValidity(const std::vector<ImapResponse>& untagged) {
  std::optional<uint32_t> found;
  for (const ImapResponse& r : untagged) {
    if (r.kind != ImapResponse::Kind::kUntagged || !StartsWithIgnoreCase(r.text, "OK [")) continue;
    const std::string_view s(r.text);
    const size_t close = s.find(']');
    if (close == std::string_view::npos) continue;
    const std::string_view code = s.substr(4, close - 4);
    const size_t space = code.find(' ');
    if (space == std::string_view::npos ||
        !EqualsIgnoreCase(code.substr(0, space), "UIDVALIDITY")) {
      continue;
    }
    found = ParseNzNumber(Trim(code.substr(space + 1)));
    if (!found) return Garbled("a UIDVALIDITY that is not a number", r.text);
  }
  if (!found) return Status::Unavailable("the IMAP server did not report the folder's UIDVALIDITY");
  return *found;
}

std::set<std::string> ParseCapabilities(const std::vector<ImapResponse>& untagged) {
  std::set<std::string> caps;
  for (const ImapResponse& r : untagged) {
    if (r.kind != ImapResponse::Kind::kUntagged) continue;
    const std::vector<std::string_view> words = Split(r.text, ' ');
    if (words.empty() || !EqualsIgnoreCase(words[0], "CAPABILITY")) continue;
    for (size_t i = 1; i < words.size(); ++i) {
      if (words[i].empty() || words[i].size() > 64) continue;
      std::string w = Printable(words[i], 64);
      for (char& ch : w) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      caps.insert(std::move(w));
    }
  }
  return caps;
}

Result<std::string> ParseFetchedBody(std::vector<ImapResponse>& untagged, uint32_t uid) {
  for (ImapResponse& r : untagged) {
    if (r.kind != ImapResponse::Kind::kUntagged) continue;
    // "<seq> FETCH (...)"; anything else is another kind of response.
    const size_t space = r.text.find(' ');
    if (space == std::string::npos || !ParseNzNumber(std::string_view(r.text).substr(0, space)) ||
        !StartsWithIgnoreCase(std::string_view(r.text).substr(space + 1), "FETCH ")) {
      continue;
    }
    // Parsed in place: the literal bytes are moved into the values, not copied (messages are
    // large), so the response is used up whatever it holds.
    ValueParser parser(r, space + 7);
    SF_ASSIGN_OR_RETURN(Value list, parser.Parse());
    if (!parser.AtEnd() || list.kind != Value::Kind::kList || list.items.size() % 2 != 0) {
      return Garbled("a FETCH response that is not a list of pairs", r.text);
    }
    std::optional<uint32_t> got_uid;
    Value* body = nullptr;
    for (size_t i = 0; i + 1 < list.items.size(); i += 2) {
      const Value& key = list.items[i];
      Value& value = list.items[i + 1];
      if (key.kind != Value::Kind::kAtom) return Garbled("a FETCH item name", r.text);
      if (EqualsIgnoreCase(key.text, "UID")) {
        got_uid = value.kind == Value::Kind::kAtom ? ParseNzNumber(value.text) : std::nullopt;
        if (!got_uid) return Garbled("a FETCH UID that is not a number", r.text);
      } else if (EqualsIgnoreCase(key.text, "BODY[]")) {
        body = &value;
      }
    }
    if (got_uid != uid || body == nullptr) continue;
    if (body->kind == Value::Kind::kNil) return Status::NotFound("message is gone");
    if (body->kind != Value::Kind::kString) return Garbled("a BODY[] that is not a string", r.text);
    return std::move(body->text);
  }
  return Status::NotFound("the server returned no message with UID " + std::to_string(uid));
}

std::string ImapQuote(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace steadfast::mail
