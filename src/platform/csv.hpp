// RFC 4180 CSV reading and writing for imports and exports (item master, stock counts...).
// The reader is strict, bounded and never throws: bad input gives a line/column error
// that can be shown to the person who made the file.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace backroom::platform {

struct CsvRow {
  std::size_t line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;
};

struct CsvError {
  std::size_t line = 0;    // 1-based physical line
  std::size_t column = 0;  // 1-based field index, 0 when n/a
  std::string reason;
};

inline constexpr std::size_t csv_field_bytes_max = 64 * 1024;
inline constexpr std::size_t csv_fields_per_row_max = 256;

// Reads records from `text`, which must outlive the reader. A leading UTF-8 BOM is skipped;
// CRLF, LF and lone CR end lines; fully empty lines are skipped (but counted). Quoted fields
// keep their embedded line breaks byte for byte. The delimiter may not be '"', CR, LF or NUL;
// such a delimiter sets error() at construction.
class CsvReader {
 public:
  explicit CsvReader(std::string_view text, char delimiter = ',');

  // Next record; false at end of input. On malformed input returns false and error() is
  // set; every later call returns false too. `row` is unspecified after a false return.
  // Reusing the same `row` across calls reuses its strings' capacity.
  bool next(CsvRow& row);
  const std::optional<CsvError>& error() const { return error_; }
  std::size_t bytes_consumed() const { return pos_; }  // for progress bars

 private:
  bool fail(std::size_t line, std::size_t column, std::string reason);
  void consume_line_break();  // at CR or LF: steps over CRLF/LF/CR and counts the line

  std::string_view text_;
  char delimiter_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::optional<CsvError> error_;
  std::array<bool, 256> unquoted_stop_{};  // bytes that end a run inside an unquoted field
};

// A file's first record read as its column names, one reader for every import (item master,
// price lists, Shopify, Square). Backroom's own files fold names to snake_case ("Unit Cost" ->
// "unit_cost"); published formats keep the name as written, trimmed ("Variant SKU").
enum class CsvHeaderNames { as_written, snake_case };

struct CsvHeader {
  std::size_t line = 0;
  std::vector<std::string> names;    // one per field, as keyed
  std::vector<std::string> written;  // as written in the file
  std::optional<std::size_t> index(std::string_view name) const;
  bool has(std::string_view name) const { return index(name).has_value(); }
};

struct CsvHeaderProblem {
  std::size_t line = 0;
  std::string column;
  std::string code;  // malformed_csv, empty_file, duplicate_column
  std::string reason;
};

// Reads the header from `reader` (which must be at the start). nullopt when the file has none
// (`problems` gets malformed_csv or empty_file, whose message ends with `empty_hint`); a
// column named twice adds duplicate_column (the header is still returned).
std::optional<CsvHeader> read_csv_header(CsvReader& reader, CsvHeaderNames names,
                                         std::vector<CsvHeaderProblem>& problems, std::string_view empty_hint);

// Quotes only when needed: the field contains the delimiter, '"', CR or LF, or starts with a
// UTF-8 BOM (which a reader would otherwise strip from the first field of a file).
std::string csv_escape(std::string_view field, char delimiter = ',');

// One record, escaped and joined, ending with "\r\n". A record of one empty field is written
// as `""` so it is not mistaken for a blank line; zero fields give just "\r\n".
std::string csv_line(const std::vector<std::string>& fields, char delimiter = ',');

// Spreadsheet formula injection guard for EXPORTS: a field starting with = + - @ TAB CR gets
// a leading '\'' unless it is a plain decimal number (sign, digits, at most one '.', at least
// one digit), so "-5", "-1.25" and "+.5" stay numbers; "-1e5" and "-1,000" are guarded.
// Apply before csv_escape/csv_line. Never use on imports: it changes the data.
std::string csv_export_safe(std::string_view field);

}  // namespace backroom::platform
