#include "mail/quoted_text.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace steadfast::mail {
namespace {

// An attribution ("On ... wrote:") longer than this is prose, not a header.
constexpr size_t kMaxAttributionBytes = 400;
// Lines an Outlook header block may span after its "From:" line.
constexpr size_t kMaxHeaderBlockLines = 10;

struct Line {
  size_t begin;           // Offset of the line in the text.
  std::string_view text;  // Without the line break (and without a CR before it).
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = text.find('\n', begin);
    size_t next = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view line =
        text.substr(begin, (end == std::string_view::npos ? text.size() : end) - begin);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back({begin, line});
    begin = next;
  }
  return lines;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsBlank(std::string_view line) { return Trim(line).empty(); }

bool IsQuoted(std::string_view line) {
  std::string_view t = Trim(line);
  return !t.empty() && t.front() == '>';
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool EndsWith(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

// Trimmed, with the no-break spaces that French clients put before ':' made plain spaces.
std::string Normalize(std::string_view s) {
  std::string out;
  s = Trim(s);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 2) == "\xC2\xA0") {
      out += ' ';
      i += 1;
    } else if (s.substr(i, 3) == "\xE2\x80\xAF") {
      out += ' ';
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct AttributionForm {
  std::string_view prefix;
  std::string_view infix;  // Must occur between prefix and suffix; empty for none.
  std::string_view suffix;
};

constexpr AttributionForm kAttributionForms[] = {
    {"On ", "", "wrote:"},      // English
    {"Am ", " schrieb ", ":"},  // German
    {"Le ", "",
     "a \xC3\xA9"
     "crit :"},  // French
    {"Le ", "",
     "a \xC3\xA9"
     "crit:"},                        // French, without the space
    {"El ", "", "escribi\xC3\xB3:"},  // Spanish
    {"Em ", "", "escreveu:"},         // Portuguese
    {"Op ", " schreef ", ":"},        // Dutch
    {"Il ", "", "ha scritto:"},       // Italian
};

// "On Mon, Jan 5, 2026 at 10:00 AM Maria <m@x> wrote:" and its translations. With
// `require_digit`, the line must also hold a digit (a date), which "On Monday Bob wrote:" in
// prose does not.
bool IsAttribution(std::string_view raw, bool require_digit) {
  if (raw.size() > 2 * kMaxAttributionBytes) {
    return false;  // Cheap exit before copying a long line.
  }
  std::string s = Normalize(raw);
  if (s.size() > kMaxAttributionBytes) {
    return false;
  }
  if (require_digit &&
      std::none_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  for (const AttributionForm& form : kAttributionForms) {
    if (s.size() < form.prefix.size() + form.suffix.size() || !StartsWith(s, form.prefix) ||
        !EndsWith(s, form.suffix)) {
      continue;
    }
    if (form.infix.empty() || s.find(form.infix) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// An attribution without the leading date ("Maria <m@x> wrote:"), accepted only right above a
// run of quoted lines.
bool IsLooseAttribution(std::string_view raw) {
  if (raw.size() > 2 * kMaxAttributionBytes) {
    return false;
  }
  std::string s = Normalize(raw);
  if (s.size() > kMaxAttributionBytes) {
    return false;
  }
  if (IsAttribution(s, /*require_digit=*/false)) {
    return true;
  }
  static constexpr std::string_view kEndings[] = {"wrote:",
                                                  "a \xC3\xA9"
                                                  "crit :",
                                                  "a \xC3\xA9"
                                                  "crit:",
                                                  "escribi\xC3\xB3:",
                                                  "escreveu:",
                                                  "ha scritto:"};
  for (std::string_view ending : kEndings) {
    if (EndsWith(s, ending)) {
      return true;
    }
  }
  return EndsWith(s, ":") &&
         (s.find(" schrieb ") != std::string::npos || s.find(" schreef ") != std::string::npos);
}

// "-----Original Message-----" and its translations.
bool IsOriginalMessageLine(std::string_view line) {
  std::string_view t = Trim(line);
  if (!StartsWith(t, "--")) {
    return false;
  }
  while (!t.empty() && (t.front() == '-' || t.front() == ' ')) {
    t.remove_prefix(1);
  }
  while (!t.empty() && (t.back() == '-' || t.back() == ' ')) {
    t.remove_suffix(1);
  }
  static constexpr std::string_view kNames[] = {
      "original message",  "ursprüngliche nachricht", "message d'origine",   "mensaje original",
      "mensagem original", "oorspronkelijk bericht",  "messaggio originale", "originalnachricht"};
  std::string lower = AsciiLower(t);
  return std::find(std::begin(kNames), std::end(kNames), lower) != std::end(kNames);
}

// The label of a header line such as "From: x", "*Sent:* x" or "De : x"; empty if none.
std::string_view HeaderLabel(std::string_view line) {
  std::string_view t = Trim(line);
  if (!t.empty() && t.front() == '*') {
    t.remove_prefix(1);
  }
  size_t colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 24) {
    return "";
  }
  return Trim(t.substr(0, colon));
}

template <size_t N>
bool LabelIn(std::string_view label, const std::string_view (&labels)[N]) {
  return std::find(std::begin(labels), std::end(labels), label) != std::end(labels);
}

constexpr std::string_view kFromLabels[] = {"From", "Von", "De", "Van", "Da", "Fra", "Från"};
constexpr std::string_view kSentLabels[] = {
    "Sent",  "Date", "Gesendet",  "Datum",   "Envoy\xC3\xA9", "Enviado", "Enviada em",
    "Fecha", "Data", "Verzonden", "Inviato", "Sendt",         "Skickat"};
constexpr std::string_view kSubjectLabels[] = {"Subject", "Betreff", "Objet",
                                               "Asunto",  "Assunto", "Onderwerp",
                                               "Oggetto", "Emne",    "\xC3\x84mne"};

bool IsForwardIntro(std::string_view line) {
  static constexpr std::string_view kMarks[] = {"Forwarded message",
                                                "forwarded message",
                                                "Weitergeleitete Nachricht",
                                                "transf\xC3\xA9r\xC3\xA9",
                                                "reenviado",
                                                "encaminhada",
                                                "Doorgestuurd",
                                                "doorgestuurd",
                                                "Inoltrato",
                                                "inoltrato"};
  for (std::string_view mark : kMarks) {
    if (line.find(mark) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

bool IsUnderscoreRule(std::string_view line) {
  std::string_view t = Trim(line);
  return t.size() >= 10 && std::all_of(t.begin(), t.end(), [](char c) { return c == '_'; });
}

// Index of the previous non-blank line before `i`, if any.
std::optional<size_t> PreviousNonBlank(const std::vector<Line>& lines, size_t i) {
  while (i > 0) {
    --i;
    if (!IsBlank(lines[i].text)) {
      return i;
    }
  }
  return std::nullopt;
}

std::optional<size_t> NextNonBlank(const std::vector<Line>& lines, size_t i) {
  for (; i < lines.size(); ++i) {
    if (!IsBlank(lines[i].text)) {
      return i;
    }
  }
  return std::nullopt;
}

// An Outlook header block starting at line `i` ("From:", then "Sent:" and "Subject:" before the
// next blank line); returns the line to cut at (a "____" rule right above belongs to it).
std::optional<size_t> OutlookBlockAt(const std::vector<Line>& lines, size_t i) {
  if (!LabelIn(HeaderLabel(lines[i].text), kFromLabels)) {
    return std::nullopt;
  }
  bool sent = false;
  bool subject = false;
  for (size_t j = i + 1; j < lines.size() && j <= i + kMaxHeaderBlockLines; ++j) {
    if (IsBlank(lines[j].text)) {
      break;
    }
    std::string_view label = HeaderLabel(lines[j].text);
    sent = sent || LabelIn(label, kSentLabels);
    subject = subject || LabelIn(label, kSubjectLabels);
  }
  if (!sent || !subject) {
    return std::nullopt;
  }
  std::optional<size_t> above = PreviousNonBlank(lines, i);
  if (above && IsForwardIntro(lines[*above].text)) {
    return std::nullopt;  // A forwarded message is content, not history.
  }
  if (above && IsUnderscoreRule(lines[*above].text)) {
    return above;
  }
  return i;
}

// interleaved[i]: from line i on, a quoted line is followed by unquoted text, as in an inline or
// bottom-posted reply, where the new text sits between and below the quotes. One backward pass,
// so that checking every candidate line stays linear.
std::vector<bool> InterleavedSuffixes(const std::vector<Line>& lines) {
  std::vector<bool> interleaved(lines.size() + 1, false);
  bool unquoted_after = false;
  for (size_t j = lines.size(); j > 0; --j) {
    const std::string_view text = lines[j - 1].text;
    bool quoted = IsQuoted(text);
    interleaved[j - 1] = interleaved[j] || (quoted && unquoted_after);
    if (!quoted && !IsBlank(text)) {
      unquoted_after = true;
    }
  }
  return interleaved;
}

// An attribution ("On ... wrote:", one line or wrapped over two) starting at line `i`, with only
// quoted history after it; returns the number of lines it spans, or 0.
size_t AttributionAt(const std::vector<Line>& lines, const std::vector<bool>& interleaved,
                     size_t i) {
  if (IsBlank(lines[i].text) || IsQuoted(lines[i].text)) {
    return 0;
  }
  for (size_t span = 1; span <= 2 && i + span <= lines.size(); ++span) {
    std::string joined(Trim(lines[i].text));
    if (span == 2) {
      // A line that is an attribution on its own is matched on its own, one line later.
      if (IsBlank(lines[i + 1].text) || IsQuoted(lines[i + 1].text) ||
          IsAttribution(lines[i + 1].text, /*require_digit=*/false)) {
        return 0;
      }
      joined += ' ';
      joined += Trim(lines[i + 1].text);
    }
    std::optional<size_t> next = NextNonBlank(lines, i + span);
    bool quote_follows = next && IsQuoted(lines[*next].text);
    if (IsAttribution(joined, /*require_digit=*/!quote_follows)) {
      return interleaved[i + span] ? 0 : span;
    }
  }
  return 0;
}

// The first line of a run of quoted (and blank) lines that ends the text, with the attribution
// right above it, if no quoted line appears above the run (that would be an inline reply).
std::optional<size_t> TrailingQuoteStart(const std::vector<Line>& lines) {
  size_t start = lines.size();
  for (size_t j = lines.size(); j > 0; --j) {
    const Line& line = lines[j - 1];
    if (IsQuoted(line.text)) {
      start = j - 1;
    } else if (!IsBlank(line.text)) {
      break;
    }
  }
  if (start == lines.size()) {
    return std::nullopt;
  }
  for (size_t j = 0; j < start; ++j) {
    if (IsQuoted(lines[j].text)) {
      return std::nullopt;
    }
  }
  std::optional<size_t> above = PreviousNonBlank(lines, start);
  if (above) {
    if (IsLooseAttribution(lines[*above].text)) {
      return above;
    }
    std::optional<size_t> two_above = PreviousNonBlank(lines, *above);
    if (two_above && *two_above + 1 == *above) {
      std::string joined(Trim(lines[*two_above].text));
      joined += ' ';
      joined += Trim(lines[*above].text);
      if (IsAttribution(joined, /*require_digit=*/false)) {
        return two_above;
      }
    }
  }
  return start;
}

}  // namespace

SplitText SplitQuotedHistory(std::string_view text) {
  std::vector<Line> lines = SplitLines(text);
  std::vector<bool> interleaved = InterleavedSuffixes(lines);
  std::optional<size_t> cut;
  for (size_t i = 0; i < lines.size() && !cut; ++i) {
    std::string_view line = lines[i].text;
    if (line == "-- " || IsOriginalMessageLine(line) || AttributionAt(lines, interleaved, i) > 0) {
      cut = i;
    } else if (std::optional<size_t> block = OutlookBlockAt(lines, i)) {
      cut = block;
    }
  }
  if (std::optional<size_t> trailing = TrailingQuoteStart(lines)) {
    cut = cut ? std::min(*cut, *trailing) : *trailing;
  }

  SplitText split;
  size_t offset = cut ? lines[*cut].begin : text.size();
  std::string_view fresh = text.substr(0, offset);
  while (!fresh.empty() && IsSpace(fresh.back())) {
    fresh.remove_suffix(1);
  }
  if (Trim(fresh).empty()) {
    // Nothing new above the history (a bare forward, or a reply sent without text): showing
    // the history is better than showing nothing.
    fresh = Trim(text).empty() ? std::string_view() : text;
    while (!fresh.empty() && IsSpace(fresh.back())) {
      fresh.remove_suffix(1);
    }
    split.fresh = std::string(fresh);
    return split;
  }
  split.fresh = std::string(fresh);
  split.quoted = std::string(text.substr(offset));
  return split;
}

}  // namespace steadfast::mail
