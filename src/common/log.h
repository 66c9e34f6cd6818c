#pragma once

#include <initializer_list>
#include <string_view>
#include <utility>

namespace steadfast {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Writes one JSON object per line to stderr:
//   {"ts":"...","level":"info","msg":"listening","addr":"127.0.0.1:8080"}
// Thread-safe. Values are escaped; the caller passes plain strings.
void Log(LogLevel level, std::string_view msg,
         std::initializer_list<std::pair<std::string_view, std::string_view>> fields = {});

// Messages below `level` are dropped. Set once at start-up.
void SetLogLevel(LogLevel level);

// Appends `s` to `out` as the inside of a JSON string (no quotes added).
void AppendJsonEscaped(std::string& out, std::string_view s);

}  // namespace steadfast
