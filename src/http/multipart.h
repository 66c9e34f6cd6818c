#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace steadfast::http {

// One field of a multipart/form-data body (RFC 7578).
struct FormPart {
  std::string name;  // The Content-Disposition "name" parameter (may be empty if sent empty).
  // From "filename*" (RFC 5987, decoded to UTF-8) when present and valid, else "filename".
  // Not sanitized: it may contain path separators or "..". Empty when absent.
  std::string filename;
  bool is_file = false;      // True when the part had a filename or filename* parameter.
  std::string content_type;  // The part's Content-Type as sent; empty when absent.
  std::string data;          // The part's content, byte for byte.
};

// Bodies with more parts than this are rejected.
inline constexpr std::size_t kMaxFormParts = 64;

// Parses a multipart/form-data body. `content_type` is the full Content-Type header value
// (with a boundary parameter, possibly quoted). Line breaks must be CRLF (RFC 7578); a
// preamble before the first boundary and an epilogue after the last are ignored. Part headers
// other than Content-Disposition and Content-Type are ignored.
// Errors:
//   UnsupportedMedia when the media type is not multipart/form-data;
//   BadRequest naming what was wrong: missing or invalid boundary, no opening or closing
//   delimiter, malformed part headers, a part without a Content-Disposition name, more than
//   kMaxFormParts parts.
// Thread-safe; never reads outside `body`.
Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body);

}  // namespace steadfast::http
