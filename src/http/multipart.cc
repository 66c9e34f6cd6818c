#include "http/multipart.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "common/text.h"

namespace steadfast::http {
namespace {

constexpr std::size_t kMaxBoundaryLength = 70;  // RFC 2046 section 5.1.1.
constexpr std::string_view kCrlf = "\r\n";

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// A header value of the form `value *(";" name "=" (token / quoted-string))`.
struct ParameterizedValue {
  std::string value;                                        // Lower-cased, trimmed.
  std::vector<std::pair<std::string, std::string>> params;  // Names lower-cased.

  const std::string* Find(std::string_view name) const {
    for (const auto& [n, v] : params) {
      if (n == name) {
        return &v;
      }
    }
    return nullptr;
  }
};

// Returns nullopt for an unterminated quoted string or a parameter without "=".
std::optional<ParameterizedValue> ParseParameterized(std::string_view in) {
  ParameterizedValue out;
  std::size_t i = in.find(';');
  out.value = AsciiLower(Trim(in.substr(0, i)));
  while (i < in.size()) {
    // At a ';'. Empty parameters (";;") are tolerated.
    ++i;
    while (i < in.size() && IsSpace(in[i])) {
      ++i;
    }
    if (i >= in.size()) {
      break;
    }
    if (in[i] == ';') {
      continue;
    }
    const std::size_t name_start = i;
    while (i < in.size() && in[i] != '=' && in[i] != ';') {
      ++i;
    }
    if (i >= in.size() || in[i] != '=') {
      return std::nullopt;
    }
    std::string name = AsciiLower(TrimSpaces(in.substr(name_start, i - name_start)));
    if (name.empty()) {
      return std::nullopt;
    }
    ++i;  // '='
    while (i < in.size() && IsSpace(in[i])) {
      ++i;
    }
    std::string value;
    if (i < in.size() && in[i] == '"') {
      ++i;
      bool closed = false;
      while (i < in.size()) {
        const char c = in[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < in.size()) {
          value += in[i++];
        } else {
          value += c;
        }
      }
      if (!closed) {
        return std::nullopt;
      }
      while (i < in.size() && IsSpace(in[i])) {
        ++i;
      }
      if (i < in.size() && in[i] != ';') {
        return std::nullopt;
      }
    } else {
      const std::size_t value_start = i;
      while (i < in.size() && in[i] != ';') {
        ++i;
      }
      value = std::string(TrimSpaces(in.substr(value_start, i - value_start)));
    }
    out.params.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes an RFC 5987 ext-value (charset'language'percent-encoded) to UTF-8. Supports the
// UTF-8 and ISO-8859-1 charsets; nullopt for anything else or malformed input.
std::optional<std::string> DecodeExtValue(std::string_view ext) {
  const std::size_t first = ext.find('\'');
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t second = ext.find('\'', first + 1);
  if (second == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string charset = AsciiLower(ext.substr(0, first));
  const std::string_view encoded = ext.substr(second + 1);
  std::string bytes;
  bytes.reserve(encoded.size());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      bytes += encoded[i];
      continue;
    }
    if (i + 2 >= encoded.size()) {
      return std::nullopt;
    }
    const int hi = HexValue(encoded[i + 1]);
    const int lo = HexValue(encoded[i + 2]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    bytes += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (charset == "utf-8") {
    if (!IsValidUtf8(bytes)) {
      return std::nullopt;
    }
    return bytes;
  }
  if (charset == "iso-8859-1") {
    std::string utf8;
    utf8.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
      if (c < 0x80) {
        utf8 += static_cast<char>(c);
      } else {
        utf8 += static_cast<char>(0xC0 | (c >> 6));
        utf8 += static_cast<char>(0x80 | (c & 0x3F));
      }
    }
    return utf8;
  }
  return std::nullopt;
}

std::string PartLabel(std::size_t index) { return "part " + std::to_string(index + 1); }

// Finds boundary delimiters ("--" boundary at the start of a line) in a body.
class DelimiterFinder {
 public:
  struct Match {
    std::size_t start;  // Index of the CRLF before "--", or 0 for a delimiter at the very start.
    std::size_t next;   // Index just after the delimiter line (after its CRLF, or after "--").
    bool close;         // "--boundary--".
  };

  DelimiterFinder(std::string_view body, std::string_view boundary)
      : body_(body),
        delimiter_("\r\n--" + std::string(boundary)),
        searcher_(delimiter_.begin(), delimiter_.end()) {}
  // The searcher points into delimiter_.
  DelimiterFinder(const DelimiterFinder&) = delete;
  DelimiterFinder& operator=(const DelimiterFinder&) = delete;

  // The first delimiter line at or after `from`. `from` == 0 also accepts a delimiter that
  // starts the body without a preceding CRLF.
  std::optional<Match> Find(std::size_t from) const {
    if (from == 0) {
      const std::string_view dash_boundary = std::string_view(delimiter_).substr(2);
      if (body_.substr(0, dash_boundary.size()) == dash_boundary) {
        if (auto match = Classify(0, dash_boundary.size())) {
          return match;
        }
      }
    }
    while (from < body_.size()) {
      const auto it =
          std::search(body_.begin() + static_cast<std::ptrdiff_t>(from), body_.end(), searcher_);
      if (it == body_.end()) {
        return std::nullopt;
      }
      const auto start = static_cast<std::size_t>(it - body_.begin());
      if (auto match = Classify(start, start + delimiter_.size())) {
        return match;
      }
      // "--boundary" followed by something else is content (as Go's mime/multipart reads it).
      from = start + 1;
    }
    return std::nullopt;
  }

 private:
  // `after` is the index just past "--boundary".
  std::optional<Match> Classify(std::size_t start, std::size_t after) const {
    if (body_.substr(after, 2) == "--") {
      return Match{start, after + 2, true};
    }
    std::size_t i = after;
    while (i < body_.size() && IsSpace(body_[i])) {  // Transport padding.
      ++i;
    }
    if (body_.substr(i, 2) == kCrlf) {
      return Match{start, i + 2, false};
    }
    return std::nullopt;
  }

  std::string_view body_;
  std::string delimiter_;
  std::boyer_moore_horspool_searcher<std::string::const_iterator> searcher_;
};

// Parses the header block of part `index` (without its terminating empty line) into `part`.
Status ParsePartHeaders(std::string_view block, std::size_t index, FormPart& part) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t pos = 0;
  while (pos <= block.size()) {
    std::size_t end = block.find(kCrlf, pos);
    if (end == std::string_view::npos) {
      end = block.size();
    }
    const std::string_view line = block.substr(pos, end - pos);
    pos = end + 2;
    if (!line.empty() && IsSpace(line.front()) && !headers.empty()) {
      // Obsolete line folding.
      headers.back().second += ' ';
      headers.back().second += TrimSpaces(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Status::BadRequest(PartLabel(index) + " has a malformed header line");
    }
    headers.emplace_back(AsciiLower(TrimSpaces(line.substr(0, colon))),
                         std::string(TrimSpaces(line.substr(colon + 1))));
  }

  const std::string* disposition = nullptr;
  for (const auto& [name, value] : headers) {
    if (name == "content-disposition" && disposition == nullptr) {
      disposition = &value;
    } else if (name == "content-type" && part.content_type.empty()) {
      part.content_type = value;
    }
  }
  if (disposition == nullptr) {
    return Status::BadRequest(PartLabel(index) + " has no Content-Disposition name");
  }
  std::optional<ParameterizedValue> parsed = ParseParameterized(*disposition);
  if (!parsed) {
    return Status::BadRequest(PartLabel(index) + " has a malformed Content-Disposition");
  }
  const std::string* name = parsed->Find("name");
  if (name == nullptr) {
    return Status::BadRequest(PartLabel(index) + " has no Content-Disposition name");
  }
  part.name = *name;
  const std::string* filename = parsed->Find("filename");
  const std::string* filename_ext = parsed->Find("filename*");
  part.is_file = filename != nullptr || filename_ext != nullptr;
  std::optional<std::string> decoded;
  if (filename_ext != nullptr) {
    decoded = DecodeExtValue(*filename_ext);
  }
  if (decoded) {
    part.filename = std::move(*decoded);
  } else if (filename != nullptr) {
    part.filename = *filename;
  } else if (filename_ext != nullptr) {
    return Status::BadRequest(PartLabel(index) + " has an invalid filename* parameter");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body) {
  std::optional<ParameterizedValue> type = ParseParameterized(content_type);
  if (!type) {
    return Status::BadRequest("malformed Content-Type parameters");
  }
  if (type->value != "multipart/form-data") {
    return Status::UnsupportedMedia("Content-Type is not multipart/form-data");
  }
  const std::string* boundary = type->Find("boundary");
  if (boundary == nullptr || boundary->empty()) {
    return Status::BadRequest("Content-Type has no boundary parameter");
  }
  if (boundary->size() > kMaxBoundaryLength) {
    return Status::BadRequest("boundary is longer than 70 characters");
  }
  if (boundary->find_first_of("\r\n") != std::string::npos) {
    return Status::BadRequest("boundary contains a line break");
  }

  const DelimiterFinder finder(body, *boundary);
  std::optional<DelimiterFinder::Match> delimiter = finder.Find(0);
  if (!delimiter) {
    return Status::BadRequest("body has no opening boundary delimiter");
  }
  std::vector<FormPart> parts;
  while (!delimiter->close) {
    const std::size_t index = parts.size();
    if (index == kMaxFormParts) {
      return Status::BadRequest("body has more than " + std::to_string(kMaxFormParts) + " parts");
    }
    const std::size_t part_start = delimiter->next;
    if (body.substr(part_start, 2) == kCrlf) {
      return Status::BadRequest(PartLabel(index) + " has no Content-Disposition name");
    }
    const std::size_t headers_end = body.find("\r\n\r\n", part_start);
    if (headers_end == std::string_view::npos) {
      return Status::BadRequest(PartLabel(index) + " has no end of headers");
    }
    FormPart part;
    SF_RETURN_IF_ERROR(
        ParsePartHeaders(body.substr(part_start, headers_end - part_start), index, part));
    // The CRLF that ends the header block also starts a delimiter of an empty part.
    const std::size_t content_start = headers_end + 4;
    delimiter = finder.Find(headers_end + 2);
    if (!delimiter) {
      return Status::BadRequest("body has no closing boundary delimiter");
    }
    part.data = std::string(
        body.substr(content_start, std::max(delimiter->start, content_start) - content_start));
    parts.push_back(std::move(part));
  }
  return parts;
}

}  // namespace steadfast::http
