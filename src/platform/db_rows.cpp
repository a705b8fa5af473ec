#include "platform/db_rows.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "platform/assert.hpp"
#include "platform/db_backends.hpp"

namespace backroom::db {

void append_copy_text(std::string& out, std::string_view value) {
  // PostgreSQL's text holds no NUL byte: the value ends at one, as a text parameter does
  // (libpq sends parameters as C strings), so a COPY and an INSERT keep the same value.
  value = value.substr(0, value.find('\0'));
  std::size_t plain = 0;  // the start of the run not yet appended
  for (std::size_t i = 0; i < value.size(); ++i) {
    char escaped = 0;
    switch (value[i]) {
      case '\\': escaped = '\\'; break;
      case '\n': escaped = 'n'; break;
      case '\r': escaped = 'r'; break;
      case '\t': escaped = 't'; break;
      default: continue;
    }
    out.append(value.substr(plain, i - plain));
    out += '\\';
    out += escaped;
    plain = i + 1;
  }
  out.append(value.substr(plain));
}

std::string copy_text(const Rows& rows) {
  std::string out;
  const auto& values = rows.values();
  out.reserve(values.size() * 12);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& v = values[i];
    switch (v.kind) {
      case Rows::Kind::null: out += "\\N"; break;
      case Rows::Kind::integer: fmt::format_to(std::back_inserter(out), "{}", v.integer); break;
      case Rows::Kind::text: append_copy_text(out, rows.text(v)); break;
    }
    out += (i + 1) % rows.columns() == 0 ? '\n' : '\t';
  }
  return out;
}

void insert_rows(Db& db, std::string_view table, std::span<const std::string_view> columns, const Rows& rows) {
  assert_in_transaction(db);
  BR_ASSERT(rows.columns() == columns.size(), "a value for each column of each row");
  BR_ASSERT(rows.values().empty() || rows.whole(), "a value for each column of each row");
  if (rows.rows() == 0) return;
  std::string names;
  for (const auto& c : columns) names += fmt::format("{}\"{}\"", names.empty() ? "" : ", ", c);
  if (copy_rows(db, fmt::format("COPY \"{}\" ({}) FROM STDIN", table, names), rows)) return;
  // SQLite: 100 rows a statement (each statement prepared once per row count).
  constexpr std::size_t rows_per_statement = 100;
  const std::string row = "(" + repeated_rows(columns.size(), "?") + ")";
  const auto& values = rows.values();
  for (std::size_t first = 0; first < rows.rows(); first += rows_per_statement) {
    std::size_t n = std::min(rows_per_statement, rows.rows() - first);
    auto q = db.query(fmt::format("INSERT INTO \"{}\" ({}) VALUES {}", table, names, repeated_rows(n, row)));
    for (std::size_t k = 0; k < n * columns.size(); ++k) {
      const auto& v = values[first * columns.size() + k];
      int at = static_cast<int>(k) + 1;
      switch (v.kind) {
        case Rows::Kind::null: q.bind_null(at); break;
        case Rows::Kind::integer: q.bind(at, v.integer); break;
        case Rows::Kind::text: q.bind(at, rows.text(v)); break;
      }
    }
    q.run();
  }
}

}  // namespace backroom::db
