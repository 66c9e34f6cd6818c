#include "mail/html_nesting.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/text.h"
namespace steadfast::mail::internal {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool IsUncountedTag(std::string_view name) {
  // Void elements never stay open; the others are closed implicitly by their next sibling, so
  // runs of them (unclosed <p> or <li>, common in generated mail) do not nest.
  static constexpr std::string_view kUncounted[] = {
      "area",  "base",  "basefont", "bgsound",  "br",     "col",      "embed",
      "frame", "hr",    "image",    "img",      "input",  "keygen",   "link",
      "meta",  "param", "source",   "track",    "wbr",    "menuitem", "p",
      "li",    "dt",    "dd",       "tr",       "td",     "th",       "thead",
      "tbody", "tfoot", "caption",  "colgroup", "option", "optgroup", "rb",
      "rt",    "rp",    "rtc",      "html",     "head",   "body"};
  for (std::string_view u : kUncounted) {
    if (EqualsIgnoreCase(name, u)) {
      return true;
    }
  }
  return false;
}

bool IsRawTextTag(std::string_view name) {
  static constexpr std::string_view kRawText[] = {"script",  "style",    "xmp",      "iframe",
                                                  "noembed", "noframes", "textarea", "title"};
  for (std::string_view r : kRawText) {
    if (EqualsIgnoreCase(name, r)) {
      return true;
    }
  }
  return false;
}

// Returns the index just past the '>' that ends the tag whose name ends at `i`, honouring quoted
// attribute values; html.size() if the tag is not closed.
size_t SkipTagAttributes(std::string_view html, size_t i) {
  bool after_equals = false;
  while (i < html.size()) {
    char c = html[i];
    if (c == '>') {
      return i + 1;
    }
    if (c == '=') {
      after_equals = true;
      ++i;
      continue;
    }
    if (IsHtmlSpace(c)) {
      ++i;
      continue;
    }
    if (after_equals && (c == '"' || c == '\'')) {
      size_t close = html.find(c, i + 1);
      if (close == std::string_view::npos) {
        return html.size();
      }
      i = close + 1;
    } else {
      ++i;
    }
    after_equals = false;
  }
  return html.size();
}

}  // namespace

// A rough tokenizer, good enough to estimate how deep the start tags nest. Start tags beyond
// kMaxParseDepth are removed, with as many end tags after them. It only decides which tags Gumbo
// sees; whatever it gets wrong costs fidelity on hostile input, never safety, because the
// allow-list serializer still writes every byte of the output.
std::string BoundNesting(std::string_view html) {
  if (static_cast<size_t>(std::count(html.begin(), html.end(), '<')) <= kMaxParseDepth) {
    return std::string(html);
  }
  std::string out;
  out.reserve(html.size());
  int depth = 0;
  int removed = 0;
  size_t i = 0;
  while (i < html.size()) {
    size_t lt = html.find('<', i);
    if (lt == std::string_view::npos) {
      out.append(html.substr(i));
      break;
    }
    out.append(html.substr(i, lt - i));
    i = lt;
    std::string_view rest = html.substr(i);
    if (rest.substr(0, 4) == "<!--") {
      size_t end = html.find("-->", i + 4);
      size_t stop = end == std::string_view::npos ? html.size() : end + 3;
      out.append(html.substr(i, stop - i));
      i = stop;
      continue;
    }
    if (rest.size() >= 2 && (rest[1] == '!' || rest[1] == '?')) {
      size_t end = html.find('>', i + 2);
      size_t stop = end == std::string_view::npos ? html.size() : end + 1;
      out.append(html.substr(i, stop - i));
      i = stop;
      continue;
    }
    bool end_tag = rest.size() >= 3 && rest[1] == '/' && IsAsciiAlpha(rest[2]);
    bool start_tag = rest.size() >= 2 && IsAsciiAlpha(rest[1]);
    if (!end_tag && !start_tag) {
      out += '<';
      ++i;
      continue;
    }
    size_t name_begin = i + (end_tag ? 2 : 1);
    size_t name_end = name_begin;
    while (name_end < html.size() && !IsHtmlSpace(html[name_end]) && html[name_end] != '/' &&
           html[name_end] != '>') {
      ++name_end;
    }
    std::string_view name = html.substr(name_begin, name_end - name_begin);
    size_t tag_end = SkipTagAttributes(html, name_end);
    std::string_view tag = html.substr(i, tag_end - i);
    i = tag_end;
    if (end_tag) {
      if (IsUncountedTag(name) || IsRawTextTag(name)) {
        out.append(tag);
      } else if (removed > 0) {
        --removed;
      } else {
        depth = std::max(0, depth - 1);
        out.append(tag);
      }
      continue;
    }
    if (EqualsIgnoreCase(name, "plaintext")) {
      out.append(tag);
      out.append(html.substr(i));
      break;
    }
    if (IsRawTextTag(name)) {
      // Copy the raw text through to its end tag, which the next round copies.
      out.append(tag);
      size_t close = i;
      while (true) {
        close = html.find("</", close);
        if (close == std::string_view::npos || StartsWithIgnoreCase(html.substr(close + 2), name)) {
          break;
        }
        close += 2;
      }
      size_t stop = close == std::string_view::npos ? html.size() : close;
      out.append(html.substr(i, stop - i));
      i = stop;
      continue;
    }
    if (IsUncountedTag(name)) {
      out.append(tag);
    } else if (depth >= kMaxParseDepth) {
      ++removed;
    } else {
      ++depth;
      out.append(tag);
    }
  }
  return out;
}

}  // namespace steadfast::mail::internal
