#pragma once

#include <map>
#include <string>
#include <string_view>

namespace steadfast::mail {

struct SanitizeOptions {
  // Inline images: Content-ID (without <>) → the URL where the stored attachment is served.
  // <img src="cid:..."> becomes that URL; other cid: references are dropped.
  std::map<std::string, std::string> inline_images;
};

// Turns email HTML into HTML that is safe to show an agent: parsed with Gumbo (an HTML5 parser,
// so malformed markup is read the way browsers read it), then written back with an allow-list.
// - Elements: only text formatting, lists, tables, links, images, quotes, headings, pre/code,
//   div/span/p/br/hr. Script, style, iframe, object, embed, form and input elements, SVG and
//   MathML are dropped with their content; unknown elements are unwrapped (content kept).
// - Attributes: only a per-element allow-list (href, src, alt, title, colspan, ...); no event
//   handlers, no style, no id/class.
// - URLs: href only http, https and mailto; links get rel="noopener noreferrer nofollow" and
//   target="_blank". Images: cid: mapped through `inline_images`; remote (http/https) images
//   are not loaded — src moves to data-remote-src for an explicit "load images"; data:,
//   javascript: and everything else are dropped.
// - Output is well-formed: every attribute quoted and escaped, every element closed.
std::string SanitizeHtml(std::string_view html, const SanitizeOptions& options = {});

}  // namespace steadfast::mail
