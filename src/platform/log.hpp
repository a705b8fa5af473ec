// Where the server's log goes and in which shape (docs/operations.md, "Logs"): text on
// standard error by default; `--log-format json` writes one JSON object a line, with the
// request id as its own member; `--log-file` writes to a size-rotated file instead.
#pragma once

#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace backroom::logging {

enum class Format { text, json };

struct Options {
  std::string file;  // empty: standard error
  Format format = Format::text;
  std::size_t max_bytes = 10 * 1024 * 1024;  // a file is rotated past this size
  std::size_t max_files = 5;                 // rotated files kept (FILE.1.log ... FILE.N.log)
};

// Replaces the default logger's sinks and formatter. Throws spdlog::spdlog_ex when the file
// cannot be opened.
void configure(const Options& options);
Format format();

struct Field {
  std::string_view name;
  std::string value;
  bool number = false;
  Field(std::string_view n, std::string_view v) : name(n), value(v) {}
  Field(std::string_view n, const char* v) : name(n), value(v) {}
  Field(std::string_view n, std::int64_t v) : name(n), value(std::to_string(v)), number(true) {}
};

// A line about one request: JSON gets {"request_id":..., fields..., "msg": message}; text
// gets "request_id message".
void request(spdlog::level::level_enum level, std::string_view request_id, std::string_view message,
             std::initializer_list<Field> fields = {});

// The JSON string literal of `text` (quoted, escaped).
std::string json_string(std::string_view text);

}  // namespace backroom::logging
