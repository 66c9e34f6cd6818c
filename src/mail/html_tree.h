#pragma once

// Internal to src/mail: Gumbo parsing and an iterative tree walk, shared by the sanitizer
// (html_sanitizer.cc) and the text writer (html_text.cc).

#include <gumbo.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace steadfast::mail::internal {

// Larger bodies are cut at this size before parsing: a bound on Gumbo's time and memory. Real
// mail HTML is far smaller; the raw message is kept elsewhere, only this rendering is cut.
inline constexpr size_t kMaxHtmlBytes = 2 * 1024 * 1024;

inline bool IsHtmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
inline std::string_view CutUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) {
    return s;
  }
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
    --end;
  }
  return s.substr(0, end);
}

// An HTML document parsed by Gumbo (input cut at kMaxHtmlBytes and its nesting bounded first).
class ParsedHtml {
 public:
  explicit ParsedHtml(std::string_view html);
  ~ParsedHtml();
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;

  const GumboNode* document() const { return output_->document; }

 private:
  std::string text_;  // Gumbo points into it.
  GumboOptions options_;
  GumboOutput* output_;
};

inline bool IsElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

inline bool IsTextLike(const GumboNode* node) {
  return node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
         node->type == GUMBO_NODE_CDATA;
}

inline const GumboVector& ChildrenOf(const GumboNode* node) {
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

inline const GumboAttribute* FindAttribute(const GumboNode* element, const char* name) {
  return gumbo_get_attribute(&element->v.element.attributes, name);
}

}  // namespace steadfast::mail::internal
