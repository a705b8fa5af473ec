// libFuzzer target for the CSV reader: arbitrary bytes must never crash, hang or trip a
// sanitizer, and whatever parses cleanly must survive csv_line -> reader unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "platform/csv.hpp"

namespace {
// The first byte picks the delimiter so every delimiter path gets explored.
constexpr char delimiters[] = {',', ';', '\t', '|'};
constexpr std::size_t delimiter_count = sizeof(delimiters);
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace backroom::platform;
  if (size == 0) return 0;
  const char delimiter = delimiters[data[0] % delimiter_count];
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  CsvReader reader(text, delimiter);
  std::vector<std::vector<std::string>> records;
  std::size_t last_line = 0;
  CsvRow row;
  while (reader.next(row)) {
    // Records start on strictly increasing lines and stay within the limits.
    if (row.line <= last_line || row.fields.empty() || row.fields.size() > csv_fields_per_row_max) {
      std::abort();
    }
    for (const std::string& f : row.fields) {
      if (f.size() > csv_field_bytes_max) std::abort();
    }
    last_line = row.line;
    records.push_back(row.fields);
  }
  if (reader.bytes_consumed() > text.size()) std::abort();
  if (reader.error()) return 0;
  if (reader.bytes_consumed() != text.size()) std::abort();

  std::string written;
  for (const auto& fields : records) written += csv_line(fields, delimiter);
  CsvReader again(written, delimiter);
  std::size_t i = 0;
  for (; again.next(row); ++i) {
    if (i >= records.size() || row.fields != records[i]) std::abort();
  }
  if (again.error() || i != records.size()) std::abort();

  for (const auto& fields : records) {
    for (const std::string& f : fields) (void)csv_export_safe(f);
  }
  return 0;
}
