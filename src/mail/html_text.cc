#include "mail/html_text.h"

#include <gumbo.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "mail/html_tree.h"

namespace steadfast::mail {
namespace {

using internal::IsElement;
using internal::IsHtmlSpace;
using internal::IsTextLike;
using internal::ParsedHtml;
using internal::Walk;

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
      StartText();
      out_ += c;
    }
  }

  // Text inside <pre>: kept as it is.
  void Preformatted(std::string_view text) {
    if (text.empty()) {
      return;
    }
    StartText();
    out_ += text;
  }

  // Before writing text: the pending line breaks, then the pending space unless at a line start.
  void StartText() {
    Flush();
    if (pending_space_ && !AtLineStart()) {
      out_ += ' ';
    }
    pending_space_ = false;
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
