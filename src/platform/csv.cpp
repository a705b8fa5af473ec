#include "platform/csv.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "platform/text.hpp"

#include <utility>

namespace backroom::platform {

namespace {
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
constexpr char quote = '"';
constexpr char formula_guard = '\'';

constexpr std::size_t byte(char c) { return static_cast<unsigned char>(c); }

// Bytes that end a run inside a quoted field: everything else is copied verbatim.
constexpr std::array<bool, 256> quoted_stop = [] {
  std::array<bool, 256> t{};
  t[byte(quote)] = t[byte('\r')] = t[byte('\n')] = t[byte('\0')] = true;
  return t;
}();

bool invalid_delimiter(char d) { return d == quote || d == '\r' || d == '\n' || d == '\0'; }

// Returns the field slot `n` of `row`, reusing an existing string (and its capacity) when the
// caller passes the same row again, so steady-state reading allocates nothing.
std::string& field_slot(CsvRow& row, std::size_t n) {
  if (n < row.fields.size()) {
    row.fields[n].clear();
  } else {
    row.fields.emplace_back();
  }
  return row.fields[n];
}

std::string too_long_reason() {
  return "field longer than " + std::to_string(csv_field_bytes_max) + " bytes";
}

bool plain_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  bool digit = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      digit = true;
    } else if (s[i] == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digit;
}
}  // namespace

CsvReader::CsvReader(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {
  if (text_.starts_with(utf8_bom)) pos_ = utf8_bom.size();
  if (invalid_delimiter(delimiter_)) {
    error_ = CsvError{0, 0, "invalid delimiter"};
    return;
  }
  unquoted_stop_ = quoted_stop;
  unquoted_stop_[byte(delimiter_)] = true;
}

bool CsvReader::fail(std::size_t line, std::size_t column, std::string reason) {
  error_ = CsvError{line, column, std::move(reason)};
  return false;
}

void CsvReader::consume_line_break() {
  if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
  ++pos_;
  ++line_;
}

bool CsvReader::next(CsvRow& row) {
  if (error_) return false;
  const std::size_t end = text_.size();

  // Fully empty lines are not records (this also drops the usual trailing newline).
  while (pos_ < end && (text_[pos_] == '\r' || text_[pos_] == '\n')) consume_line_break();
  if (pos_ >= end) return false;

  row.line = line_;
  std::size_t count = 0;
  for (;;) {
    if (count == csv_fields_per_row_max) {
      return fail(line_, count + 1,
                  "more than " + std::to_string(csv_fields_per_row_max) + " fields");
    }
    std::string& field = field_slot(row, count);
    const std::size_t column = ++count;
    const std::size_t field_line = line_;

    if (pos_ < end && text_[pos_] == quote) {
      ++pos_;
      for (;;) {
        // Copy the longest run of ordinary bytes in one append.
        std::size_t run_end = pos_;
        while (run_end < end && !quoted_stop[byte(text_[run_end])]) ++run_end;
        if (field.size() + (run_end - pos_) > csv_field_bytes_max) {
          return fail(field_line, column, too_long_reason());
        }
        field.append(text_.data() + pos_, run_end - pos_);
        pos_ = run_end;
        if (pos_ >= end) return fail(field_line, column, "unterminated quoted field");

        const char c = text_[pos_];
        if (c == '\0') return fail(line_, column, "NUL byte");
        if (c == quote) {
          if (pos_ + 1 < end && text_[pos_ + 1] == quote) {  // "" is an escaped quote
            if (field.size() + 1 > csv_field_bytes_max) {
              return fail(field_line, column, too_long_reason());
            }
            field.push_back(quote);
            pos_ += 2;
            continue;
          }
          ++pos_;  // closing quote
          break;
        }
        // Embedded line break: kept byte for byte, but still counted as a physical line.
        const std::size_t break_start = pos_;
        consume_line_break();
        const std::size_t break_len = pos_ - break_start;
        if (field.size() + break_len > csv_field_bytes_max) {
          return fail(field_line, column, too_long_reason());
        }
        field.append(text_.data() + break_start, break_len);
      }
      if (pos_ < end && text_[pos_] != delimiter_ && text_[pos_] != '\r' && text_[pos_] != '\n') {
        return fail(line_, column, "text after closing quote");
      }
    } else {
      std::size_t run_end = pos_;
      while (run_end < end && !unquoted_stop_[byte(text_[run_end])]) ++run_end;
      if (run_end - pos_ > csv_field_bytes_max) return fail(field_line, column, too_long_reason());
      field.append(text_.data() + pos_, run_end - pos_);
      pos_ = run_end;
      if (pos_ < end && text_[pos_] == quote) {
        return fail(line_, column, "quote inside unquoted field");
      }
      if (pos_ < end && text_[pos_] == '\0') return fail(line_, column, "NUL byte");
    }

    // Here pos_ is at the delimiter, a line break, or the end of input.
    if (pos_ < end && text_[pos_] == delimiter_) {
      ++pos_;
      continue;
    }
    if (pos_ < end) consume_line_break();
    row.fields.resize(count);
    return true;
  }
}

std::string csv_escape(std::string_view field, char delimiter) {
  bool needs_quotes = field.starts_with(utf8_bom);
  for (char c : field) {
    if (c == delimiter || c == quote || c == '\r' || c == '\n') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) return std::string(field);

  std::string out;
  out.reserve(field.size() + 2);
  out.push_back(quote);
  for (char c : field) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}

std::string csv_line(const std::vector<std::string>& fields, char delimiter) {
  // A lone empty field would otherwise be an empty line, which readers skip.
  if (fields.size() == 1 && fields[0].empty()) return "\"\"\r\n";
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(delimiter);
    out += csv_escape(fields[i], delimiter);
  }
  out += "\r\n";
  return out;
}

std::string csv_export_safe(std::string_view field) {
  if (field.empty()) return {};
  const char c = field.front();
  const bool formula_start = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  if (!formula_start || plain_number(field)) return std::string(field);
  std::string out;
  out.reserve(field.size() + 1);
  out.push_back(formula_guard);
  out.append(field);
  return out;
}

std::optional<std::size_t> CsvHeader::index(std::string_view name) const {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<std::size_t>(it - names.begin());
}

std::optional<CsvHeader> read_csv_header(CsvReader& reader, CsvHeaderNames names,
                                         std::vector<CsvHeaderProblem>& problems, std::string_view empty_hint) {
  CsvRow row;
  if (!reader.next(row)) {
    if (reader.error())
      problems.push_back({reader.error()->line, "", "malformed_csv", reader.error()->reason});
    else
      problems.push_back({1, "", "empty_file", fmt::format("the file is empty; {}", empty_hint)});
    return std::nullopt;
  }
  CsvHeader header;
  header.line = row.line;
  for (const auto& field : row.fields) {
    std::string name(text::trim(field));
    if (names == CsvHeaderNames::snake_case) {
      name = text::fold(field);
      for (char& c : name)
        if (c == ' ') c = '_';
    }
    if (header.has(name))
      problems.push_back({row.line, name.substr(0, 64), "duplicate_column",
                          fmt::format("column '{}' appears twice", name.substr(0, 64))});
    header.names.push_back(std::move(name));
    header.written.push_back(field);
  }
  return header;
}

}  // namespace backroom::platform
