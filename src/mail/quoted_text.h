#pragma once

#include <string>
#include <string_view>

namespace steadfast::mail {

struct SplitText {
  std::string fresh;   // What the sender wrote this time.
  std::string quoted;  // The quoted history and signature-separated tail; empty if none.
};

// Separates a reply's new text from the history it quotes: "On <date>, <name> wrote:" lines
// (English, and the common German, French, Spanish, Portuguese, Dutch forms), "-----Original
// Message-----" and "From: ... Sent: ..." blocks (Outlook), runs of ">" lines at the end, and a
// "-- " signature separator. Conservative: when unsure, keeps text in `fresh`. Never loses text
// (fresh + quoted hold everything).
SplitText SplitQuotedHistory(std::string_view text);

}  // namespace steadfast::mail
