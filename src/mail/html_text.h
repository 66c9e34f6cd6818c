#pragma once

#include <string>
#include <string_view>

namespace steadfast::mail {

// The readable text of an HTML body (for mail that has no text/plain part): block elements
// become line breaks, list items get "- ", links keep their text, <pre> keeps its whitespace,
// script/style/head content is dropped. Parsed like SanitizeHtml (Gumbo; huge or deeply
// nested input is bounded the same way). Pure; safe from any thread.
std::string HtmlToText(std::string_view html);

}  // namespace steadfast::mail
