#include "mail/html_sanitizer.h"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
namespace steadfast::mail {
namespace {

// Elements nested deeper than this in the output are flattened: their text is kept, their tags
// are not. The tree walks below are iterative, so this bounds the output, not the stack.
constexpr int kMaxOutputDepth = 256;

// Gumbo's tree builder scans the stack of open elements for many start tags, so parse time grows
// with the square of the nesting depth (200 KB of "<div>" takes seconds). Start tags that would
// open an element deeper than this are removed before parsing; see BoundNesting.
constexpr int kMaxParseDepth = 512;

// Larger bodies are cut at this size before parsing: a bound on Gumbo's time and memory. Real
// mail HTML is far smaller; the raw message is kept elsewhere, only this rendering is cut.
constexpr size_t kMaxHtmlBytes = 2 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Small text helpers.

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
char AsciiToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiToLower(a[i]) != AsciiToLower(b[i])) {
      return false;
    }
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
std::string_view CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) {
    return s;
  }
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
    --end;
  }
  return s.substr(0, end);
}

void AppendAttribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  AppendHtmlEscaped(out, value);
  out += '"';
}

// ---------------------------------------------------------------------------------------------
// Pre-parse nesting bound.

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

// ---------------------------------------------------------------------------------------------
// Parsing and walking.

class ParsedHtml {
 public:
  explicit ParsedHtml(std::string_view html) : text_(BoundNesting(CutUtf8(html, kMaxHtmlBytes))) {
    options_ = kGumboDefaultOptions;
    // Gumbo copies the open-element stack into every recorded error: quadratic on bad markup.
    options_.max_errors = 0;
    output_ = gumbo_parse_with_options(&options_, text_.data(), text_.size());
  }
  ~ParsedHtml() { gumbo_destroy_output(&options_, output_); }
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;

  const GumboNode* document() const { return output_->document; }

 private:
  std::string text_;  // Gumbo points into it.
  GumboOptions options_;
  GumboOutput* output_;
};

bool IsElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

bool IsTextLike(const GumboNode* node) {
  return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
         node->type == GUMBO_NODE_CDATA;
}

const GumboVector& ChildrenOf(const GumboNode* node) {
  return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

// Depth-first walk without recursion. `enter(node)` is called for every node in document order
// and returns whether to visit the node's children; `leave(node)` follows the children of every
// element or document that was entered with true.
template <typename Enter, typename Leave>
void Walk(const GumboNode* root, Enter&& enter, Leave&& leave) {
  struct Frame {
    const GumboNode* node;
    unsigned int next;
  };
  std::vector<Frame> stack;
  if (!enter(root)) {
    return;
  }
  if (root->type != GUMBO_NODE_DOCUMENT && !IsElement(root)) {
    return;
  }
  stack.push_back({root, 0});
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector& children = ChildrenOf(top.node);
    if (top.next >= children.length) {
      const GumboNode* done = top.node;
      stack.pop_back();
      leave(done);
      continue;
    }
    const GumboNode* child = static_cast<const GumboNode*>(children.data[top.next++]);
    if (enter(child) && IsElement(child)) {
      stack.push_back({child, 0});
    }
  }
}

const GumboAttribute* FindAttribute(const GumboNode* element, const char* name) {
  return gumbo_get_attribute(&element->v.element.attributes, name);
}

// ---------------------------------------------------------------------------------------------
// Sanitizer policy.

enum class Action {
  kKeep,    // Written with its allowed attributes.
  kUnwrap,  // Tag dropped, content kept.
  kDrop,    // Tag and content dropped.
};

Action ActionFor(const GumboNode* node) {
  if (node->type == GUMBO_NODE_TEMPLATE) {
    return Action::kDrop;
  }
  if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) {
    return Action::kDrop;  // SVG and MathML, with everything inside them.
  }
  switch (node->v.element.tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_COLGROUP:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_I:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INS:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
    case GUMBO_TAG_UL:
      return Action::kKeep;
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_META:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_ISINDEX:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
      return Action::kDrop;
    default:
      return Action::kUnwrap;  // html, body and unknown elements: their content stays.
  }
}

bool IsVoid(GumboTag tag) {
  return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_HR || tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_COL;
}

// 1 to 5 digits, optionally followed by '%'.
bool IsDimension(std::string_view v) {
  if (!v.empty() && v.back() == '%') {
    v.remove_suffix(1);
  }
  return !v.empty() && v.size() <= 5 && std::all_of(v.begin(), v.end(), IsAsciiDigit);
}

bool IsSmallNumber(std::string_view v) {
  if (!v.empty() && v.front() == '-') {
    v.remove_prefix(1);
  }
  return !v.empty() && v.size() <= 5 && std::all_of(v.begin(), v.end(), IsAsciiDigit);
}

bool IsWord(std::string_view v) {
  return !v.empty() && v.size() <= 16 && std::all_of(v.begin(), v.end(), IsAsciiAlpha);
}

bool IsListType(std::string_view v) {
  return v == "1" || v == "a" || v == "A" || v == "i" || v == "I";
}

bool IsFreeText(std::string_view) { return true; }

struct AttributeRule {
  GumboTag tag;
  std::string_view name;
  bool (*valid)(std::string_view);
};

// The allow-list of plain attributes; href and src are handled separately.
constexpr AttributeRule kAttributeRules[] = {
    {GUMBO_TAG_A, "title", IsFreeText},
    {GUMBO_TAG_ABBR, "title", IsFreeText},
    {GUMBO_TAG_IMG, "alt", IsFreeText},
    {GUMBO_TAG_IMG, "title", IsFreeText},
    {GUMBO_TAG_IMG, "width", IsDimension},
    {GUMBO_TAG_IMG, "height", IsDimension},
    {GUMBO_TAG_TD, "colspan", IsSmallNumber},
    {GUMBO_TAG_TD, "rowspan", IsSmallNumber},
    {GUMBO_TAG_TD, "align", IsWord},
    {GUMBO_TAG_TD, "valign", IsWord},
    {GUMBO_TAG_TH, "colspan", IsSmallNumber},
    {GUMBO_TAG_TH, "rowspan", IsSmallNumber},
    {GUMBO_TAG_TH, "align", IsWord},
    {GUMBO_TAG_TH, "valign", IsWord},
    {GUMBO_TAG_TABLE, "border", IsSmallNumber},
    {GUMBO_TAG_TABLE, "cellpadding", IsSmallNumber},
    {GUMBO_TAG_TABLE, "cellspacing", IsSmallNumber},
    {GUMBO_TAG_TABLE, "align", IsWord},
    {GUMBO_TAG_TABLE, "width", IsDimension},
    {GUMBO_TAG_OL, "start", IsSmallNumber},
    {GUMBO_TAG_OL, "type", IsListType},
    {GUMBO_TAG_COL, "span", IsSmallNumber},
    {GUMBO_TAG_COLGROUP, "span", IsSmallNumber},
};

bool AttributeAllowed(GumboTag tag, std::string_view name, std::string_view value) {
  for (const AttributeRule& rule : kAttributeRules) {
    if (rule.tag == tag && rule.name == name) {
      return rule.valid(value);
    }
  }
  return false;
}

// The URL as a browser would read it: ASCII whitespace and control characters stripped from both
// ends, tab, CR and LF removed everywhere (the URL standard ignores them, which is how
// "java&#9;script:" works), other control characters removed too, and inner spaces encoded.
std::string CleanUrl(std::string_view raw) {
  auto is_junk = [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; };
  while (!raw.empty() && is_junk(raw.front())) {
    raw.remove_prefix(1);
  }
  while (!raw.empty() && is_junk(raw.back())) {
    raw.remove_suffix(1);
  }
  std::string url;
  url.reserve(raw.size());
  for (char c : raw) {
    if (c == ' ') {
      url += "%20";
    } else if (!is_junk(c)) {
      url += c;
    }
  }
  return url;
}

// The lower-cased scheme of `url` (without ':'), or "" when it has none.
std::string SchemeOf(std::string_view url) {
  size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0 || !IsAsciiAlpha(url[0])) {
    return "";
  }
  std::string scheme;
  for (char c : url.substr(0, colon)) {
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '+' && c != '-' && c != '.') {
      return "";
    }
    scheme += AsciiToLower(c);
  }
  return scheme;
}

int HexValue(char c) {
  if (IsAsciiDigit(c)) {
    return c - '0';
  }
  c = AsciiToLower(c);
  return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// "https://..." for a safe link target, or "" to drop the link.
std::string SafeHref(std::string_view raw) {
  std::string url = CleanUrl(raw);
  std::string scheme = SchemeOf(url);
  if (scheme == "http" || scheme == "https" || scheme == "mailto") {
    return scheme + url.substr(scheme.size());
  }
  return "";
}

class Sanitizer {
 public:
  explicit Sanitizer(const SanitizeOptions& options) : options_(options) {}

  bool Enter(const GumboNode* node) {
    if (node->type == GUMBO_NODE_DOCUMENT) {
      return true;
    }
    if (IsTextLike(node)) {
      if (!(node->parent != nullptr && node->parent->type == GUMBO_NODE_DOCUMENT)) {
        AppendHtmlEscaped(out_, node->v.text.text);
      }
      return false;
    }
    if (!IsElement(node)) {
      return false;  // Comments.
    }
    Action action = ActionFor(node);
    if (action == Action::kDrop) {
      return false;
    }
    GumboTag tag = node->v.element.tag;
    bool open = false;
    if (action == Action::kKeep && depth_ < kMaxOutputDepth) {
      open = WriteStartTag(node);
    }
    if (IsVoid(tag)) {
      return false;
    }
    closes_.push_back(open ? tag : GUMBO_TAG_UNKNOWN);
    if (open) {
      ++depth_;
      if (tag == GUMBO_TAG_PRE) {
        PreserveLeadingNewline(node);
      }
    }
    return true;
  }

  void Leave(const GumboNode* node) {
    if (node->type == GUMBO_NODE_DOCUMENT) {
      return;
    }
    GumboTag tag = closes_.back();
    closes_.pop_back();
    if (tag != GUMBO_TAG_UNKNOWN) {
      --depth_;
      out_ += "</";
      out_ += gumbo_normalized_tagname(tag);
      out_ += '>';
    }
  }

  std::string Finish() {
    size_t begin = 0;
    while (begin < out_.size() && IsHtmlSpace(out_[begin])) {
      ++begin;
    }
    size_t end = out_.size();
    while (end > begin && IsHtmlSpace(out_[end - 1])) {
      --end;
    }
    return out_.substr(begin, end - begin);
  }

 private:
  // Writes the start tag of an allowed element; returns false when the element is dropped after
  // all (an image without a usable source) or unwrapped (a link without a safe target).
  bool WriteStartTag(const GumboNode* node) {
    GumboTag tag = node->v.element.tag;
    std::string tag_out = "<";
    tag_out += gumbo_normalized_tagname(tag);
    if (tag == GUMBO_TAG_A) {
      const GumboAttribute* href = FindAttribute(node, "href");
      std::string url = href == nullptr ? "" : SafeHref(href->value);
      if (url.empty()) {
        return false;
      }
      AppendAttribute(tag_out, "href", url);
    } else if (tag == GUMBO_TAG_IMG) {
      const GumboAttribute* src = FindAttribute(node, "src");
      if (src == nullptr || !AppendImageSource(tag_out, src->value)) {
        return false;
      }
    }
    if (tag != GUMBO_TAG_FONT) {
      const GumboVector& attributes = node->v.element.attributes;
      for (unsigned int i = 0; i < attributes.length; ++i) {
        const auto* attribute = static_cast<const GumboAttribute*>(attributes.data[i]);
        if (attribute->attr_namespace == GUMBO_ATTR_NAMESPACE_NONE &&
            AttributeAllowed(tag, attribute->name, attribute->value)) {
          AppendAttribute(tag_out, attribute->name, attribute->value);
        }
      }
    }
    if (tag == GUMBO_TAG_A) {
      AppendAttribute(tag_out, "rel", "noopener noreferrer nofollow");
      AppendAttribute(tag_out, "target", "_blank");
    }
    tag_out += '>';
    out_ += tag_out;
    return true;
  }

  bool AppendImageSource(std::string& tag_out, std::string_view raw) {
    std::string url = CleanUrl(raw);
    std::string scheme = SchemeOf(url);
    if (scheme == "cid") {
      std::string id = url.substr(4);
      auto it = options_.inline_images.find(id);
      if (it == options_.inline_images.end()) {
        it = options_.inline_images.find(PercentDecode(id));
      }
      if (it == options_.inline_images.end() && id.size() >= 2 && id.front() == '<' &&
          id.back() == '>') {
        it = options_.inline_images.find(id.substr(1, id.size() - 2));
      }
      if (it == options_.inline_images.end()) {
        return false;
      }
      AppendAttribute(tag_out, "src", it->second);
      return true;
    }
    if (scheme == "http" || scheme == "https") {
      AppendAttribute(tag_out, "data-remote-src", scheme + url.substr(scheme.size()));
      return true;
    }
    return false;
  }

  // The parser drops a newline right after <pre>; a serializer must write one back so that a
  // text that really starts with a newline keeps it.
  void PreserveLeadingNewline(const GumboNode* pre) {
    const GumboVector& children = pre->v.element.children;
    if (children.length == 0) {
      return;
    }
    const auto* first = static_cast<const GumboNode*>(children.data[0]);
    if (IsTextLike(first) && first->v.text.text[0] == '\n') {
      out_ += '\n';
    }
  }

  const SanitizeOptions& options_;
  std::string out_;
  std::vector<GumboTag> closes_;  // Per open element: the tag to close, or UNKNOWN for none.
  int depth_ = 0;                 // Elements open in the output.
};

// ---------------------------------------------------------------------------------------------
// Text extraction.

class TextWriter {
 public:
  // Text as HTML renders it: runs of whitespace become one space.
  void Inline(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      // U+00A0 (no-break space) counts as a space: mail uses it for blank paragraphs.
      if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
        ++i;
        c = ' ';
      }
      if (IsHtmlSpace(c)) {
        pending_space_ = true;
        continue;
      }
      Flush();
      if (pending_space_ && !AtLineStart()) {
        out_ += ' ';
      }
      pending_space_ = false;
      out_ += c;
    }
  }

  // Text inside <pre>: kept as it is.
  void Preformatted(std::string_view text) {
    if (text.empty()) {
      return;
    }
    Flush();
    if (pending_space_ && !AtLineStart()) {
      out_ += ' ';
    }
    pending_space_ = false;
    out_ += text;
  }

  // Asks for at least `lines` line breaks before the next text (1: new line, 2: blank line).
  void Break(int lines) {
    pending_break_ = std::max(pending_break_, lines);
    pending_space_ = false;
  }

  void LineBreak() {
    Flush();
    out_ += '\n';
    pending_space_ = false;
  }

  void Space() { pending_space_ = true; }

  // Written before the next text, at the start of its line (a list bullet).
  void Prefix(std::string prefix) { prefix_ = std::move(prefix); }

  std::string Finish() {
    std::string result;
    result.reserve(out_.size());
    size_t newlines = 0;
    size_t line_start = 0;
    for (char c : out_) {
      if (c == '\n') {
        while (result.size() > line_start && (result.back() == ' ' || result.back() == '\t')) {
          result.pop_back();
        }
        if (++newlines <= 2) {
          result += '\n';
        }
        line_start = result.size();
        continue;
      }
      newlines = 0;
      result += c;
    }
    size_t begin = result.find_first_not_of('\n');
    if (begin == std::string::npos) {
      return "";
    }
    size_t end = result.find_last_not_of(" \t\n");
    return result.substr(begin, end + 1 - begin);
  }

 private:
  bool AtLineStart() const { return out_.empty() || out_.back() == '\n'; }

  void Flush() {
    if (pending_break_ > 0 && !out_.empty()) {
      int have = 0;
      for (size_t i = out_.size(); i > 0 && out_[i - 1] == '\n'; --i) {
        ++have;
      }
      for (; have < pending_break_; ++have) {
        out_ += '\n';
      }
      pending_space_ = false;
    }
    pending_break_ = 0;
    if (!prefix_.empty()) {
      if (!AtLineStart()) {
        out_ += '\n';
      }
      out_ += prefix_;
      prefix_.clear();
      pending_space_ = false;
    }
  }

  std::string out_;
  std::string prefix_;
  bool pending_space_ = false;
  int pending_break_ = 0;
};

bool DroppedFromText(const GumboNode* node) {
  if (node->type == GUMBO_NODE_TEMPLATE || node->v.element.tag_namespace == GUMBO_NAMESPACE_SVG) {
    return true;
  }
  switch (node->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEMPLATE:
      return true;
    default:
      return false;
  }
}

// Line breaks around an element: 2 for paragraph-like blocks, 1 for other blocks, 0 for inline.
int BreaksAround(GumboTag tag, int list_depth) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FIGURE:
      return 2;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_DIR:
      return list_depth > 0 ? 1 : 2;
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
      return 1;
    default:
      return 0;
  }
}

bool IsList(GumboTag tag) {
  return tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL || tag == GUMBO_TAG_MENU ||
         tag == GUMBO_TAG_DIR;
}

bool IsPreformatted(GumboTag tag) {
  return tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING || tag == GUMBO_TAG_XMP ||
         tag == GUMBO_TAG_PLAINTEXT;
}

}  // namespace

std::string SanitizeHtml(std::string_view html, const SanitizeOptions& options) {
  ParsedHtml parsed(html);
  Sanitizer sanitizer(options);
  Walk(
      parsed.document(), [&](const GumboNode* node) { return sanitizer.Enter(node); },
      [&](const GumboNode* node) { sanitizer.Leave(node); });
  return sanitizer.Finish();
}

std::string HtmlToText(std::string_view html) {
  ParsedHtml parsed(html);
  TextWriter writer;
  int list_depth = 0;
  int pre_depth = 0;
  auto enter = [&](const GumboNode* node) {
    if (node->type == GUMBO_NODE_DOCUMENT) {
      return true;
    }
    if (IsTextLike(node)) {
      if (node->parent != nullptr && node->parent->type == GUMBO_NODE_DOCUMENT) {
        return false;
      }
      if (pre_depth > 0) {
        writer.Preformatted(node->v.text.text);
      } else {
        writer.Inline(node->v.text.text);
      }
      return false;
    }
    if (!IsElement(node) || DroppedFromText(node)) {
      return false;
    }
    GumboTag tag = node->v.element.tag;
    if (tag == GUMBO_TAG_BR) {
      writer.LineBreak();
      return false;
    }
    if (int breaks = BreaksAround(tag, list_depth); breaks > 0) {
      writer.Break(breaks);
    }
    if (tag == GUMBO_TAG_LI) {
      writer.Prefix(std::string(2 * static_cast<size_t>(std::max(0, list_depth - 1)), ' ') + "- ");
    }
    if (IsList(tag)) {
      ++list_depth;
    }
    if (IsPreformatted(tag)) {
      ++pre_depth;
    }
    return true;
  };
  auto leave = [&](const GumboNode* node) {
    if (node->type == GUMBO_NODE_DOCUMENT) {
      return;
    }
    GumboTag tag = node->v.element.tag;
    if (IsList(tag)) {
      --list_depth;
    }
    if (IsPreformatted(tag)) {
      --pre_depth;
    }
    if (int breaks = BreaksAround(tag, list_depth); breaks > 0) {
      writer.Break(breaks);
    } else if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
      writer.Space();
    }
  };
  Walk(parsed.document(), enter, leave);
  return writer.Finish();
}

}  // namespace steadfast::mail
