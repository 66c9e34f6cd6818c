#include "mail/html_tree.h"

#include "mail/html_nesting.h"

namespace steadfast::mail::internal {

ParsedHtml::ParsedHtml(std::string_view html) : text_(BoundNesting(CutUtf8(html, kMaxHtmlBytes))) {
  options_ = kGumboDefaultOptions;
  // Gumbo copies the open-element stack into every recorded error: quadratic on bad markup.
  options_.max_errors = 0;
  output_ = gumbo_parse_with_options(&options_, text_.data(), text_.size());
}

ParsedHtml::~ParsedHtml() { gumbo_destroy_output(&options_, output_); }

}  // namespace steadfast::mail::internal
