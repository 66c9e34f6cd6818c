#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace steadfast {

// A point in time: milliseconds since the Unix epoch, UTC.
struct Timestamp {
  int64_t millis = 0;

  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

// "2026-11-23T17:30:00.123Z".
std::string FormatIso8601(Timestamp t);

// The same into `out`, without allocating; returns the length (24 for years 0–9999).
size_t FormatIso8601(Timestamp t, char (&out)[32]);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)". Returns nullopt for anything else.
std::optional<Timestamp> ParseIso8601(std::string_view text);

}  // namespace steadfast
