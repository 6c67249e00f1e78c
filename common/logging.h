// Structured logging: one JSON object per line on stdout. Thread-safe (one mutex-guarded
// write per line). Fields are key/value strings; numbers are written as given.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace sb {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogField = std::pair<std::string_view, std::string_view>;

// Writes {"ts":...,"level":...,"msg":..., fields...} as one line.
void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});

// Messages below `level` are dropped.
void SetLogLevel(LogLevel level);

// Escapes `s` for inclusion inside a JSON string literal.
std::string JsonEscape(std::string_view s);

}  // namespace sb
