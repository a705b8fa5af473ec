#include "platform/db_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

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

namespace {
void bind_value(Query& q, int at, const Rows& rows, const Rows::Value& v) {
  switch (v.kind) {
    case Rows::Kind::null: q.bind_null(at); break;
    case Rows::Kind::integer: q.bind(at, v.integer); break;
    case Rows::Kind::text: q.bind(at, rows.text(v)); break;
  }
}

// `rows` a hundred to an INSERT statement made by `statement` from the row count (each
// statement prepared once per row count).
void insert_by_statements(Db& db, const Rows& rows, const std::function<std::string(std::size_t)>& statement) {
  constexpr std::size_t rows_per_statement = 100;
  const auto& values = rows.values();
  for (std::size_t first = 0; first < rows.rows(); first += rows_per_statement) {
    std::size_t n = std::min(rows_per_statement, rows.rows() - first);
    auto q = db.query(statement(n));
    for (std::size_t k = 0; k < n * rows.columns(); ++k)
      bind_value(q, static_cast<int>(k) + 1, rows, values[first * rows.columns() + k]);
    q.run();
  }
}

std::string column_names(std::span<const std::string_view> columns) {
  std::string names;
  for (const auto& c : columns) names += fmt::format("{}\"{}\"", names.empty() ? "" : ", ", c);
  return names;
}
}  // namespace

void upsert_rows(Db& db, std::string_view table, std::span<const std::string_view> columns, std::size_t key_columns,
                 const Rows& rows) {
  assert_in_transaction(db);
  BR_ASSERT(rows.columns() == columns.size() && key_columns > 0 && key_columns < columns.size(),
            "a value for each column of each row, a key and a column to set");
  BR_ASSERT(rows.values().empty() || rows.whole(), "a value for each column of each row");
  if (rows.rows() == 0) return;
  const std::string names = column_names(columns), row = "(" + repeated_rows(columns.size(), "?") + ")";
  std::string set;
  for (std::size_t i = key_columns; i < columns.size(); ++i)
    set += fmt::format("{}\"{}\" = excluded.\"{}\"", set.empty() ? "" : ", ", columns[i], columns[i]);
  const std::string conflict = fmt::format(" ON CONFLICT ({}) DO UPDATE SET {}", column_names(columns.first(key_columns)), set);
  insert_by_statements(db, rows, [&](std::size_t n) {
    return fmt::format("INSERT INTO \"{}\" ({}) VALUES {}{}", table, names, repeated_rows(n, row), conflict);
  });
}

void insert_rows(Db& db, std::string_view table, std::span<const std::string_view> columns, const Rows& rows) {
  assert_in_transaction(db);
  BR_ASSERT(rows.columns() == columns.size(), "a value for each column of each row");
  BR_ASSERT(rows.values().empty() || rows.whole(), "a value for each column of each row");
  if (rows.rows() == 0) return;
  const std::string names = column_names(columns);
  if (copy_rows(db, fmt::format("COPY \"{}\" ({}) FROM STDIN", table, names), rows)) return;
  // SQLite: 100 rows a statement.
  const std::string row = "(" + repeated_rows(columns.size(), "?") + ")";
  insert_by_statements(db, rows, [&](std::size_t n) {
    return fmt::format("INSERT INTO \"{}\" ({}) VALUES {}", table, names, repeated_rows(n, row));
  });
}

}  // namespace backroom::db
