#include "mail/html_sanitizer.h"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
#include "mail/html_nesting.h"
#include "mail/html_tree.h"
#include "mail/html_urls.h"

namespace steadfast::mail {
namespace {

using internal::ChildrenOf;
using internal::CleanUrl;
using internal::CutUtf8;
using internal::FindAttribute;
using internal::IsDimension;
using internal::IsElement;
using internal::IsHtmlSpace;
using internal::IsListType;
using internal::IsSmallNumber;
using internal::IsTextLike;
using internal::IsWord;
using internal::ParsedHtml;
using internal::PercentDecode;
using internal::SafeHref;
using internal::SchemeOf;
using internal::Walk;

// Elements nested deeper than this in the output are flattened: their text is kept, their tags
// are not. The tree walks below are iterative, so this bounds the output, not the stack.
constexpr int kMaxOutputDepth = 256;

void AppendAttribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  AppendHtmlEscaped(out, value);
  out += '"';
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

}  // namespace

std::string SanitizeHtml(std::string_view html, const SanitizeOptions& options) {
  ParsedHtml parsed(html);
  Sanitizer sanitizer(options);
  Walk(
      parsed.document(), [&](const GumboNode* node) { return sanitizer.Enter(node); },
      [&](const GumboNode* node) { sanitizer.Leave(node); });
  return sanitizer.Finish();
}

}  // namespace steadfast::mail
