#include "platform/db_rows.hpp"

#include <fmt/format.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <functional>

#include "platform/assert.hpp"
#include "platform/db_backends.hpp"

namespace backroom::db {

namespace {
// What COPY's text format writes after a backslash for `c`, or 0 where `c` stands as it is.
char copy_escape_of(char c) {
  switch (c) {
    case '\\': return '\\';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return 0;
  }
}

// The first byte at or after `from` that COPY's text format escapes, or value.size(). Sixteen
// bytes a step where SSE2 is there (every x86-64): a kept document's payload, a couple of
// kilobytes of JSON, was ~16 % of head office's writer thread in a push one byte at a time.
std::size_t next_copy_escape(std::string_view value, std::size_t from) {
#if defined(__SSE2__)
  const __m128i backslash = _mm_set1_epi8('\\'), newline = _mm_set1_epi8('\n');
  const __m128i carriage = _mm_set1_epi8('\r'), tab = _mm_set1_epi8('\t');
  for (; from + 16 <= value.size(); from += 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(value.data() + from));
    __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, backslash), _mm_cmpeq_epi8(bytes, newline)),
                                _mm_or_si128(_mm_cmpeq_epi8(bytes, carriage), _mm_cmpeq_epi8(bytes, tab)));
    if (int mask = _mm_movemask_epi8(hits)) return from + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; from < value.size(); ++from)
    if (copy_escape_of(value[from])) return from;
  return value.size();
}
}  // namespace

void append_copy_text(std::string& out, std::string_view value) {
  // PostgreSQL's text holds no NUL byte: the value ends at one, as a text parameter does
  // (libpq sends parameters as C strings), so a COPY and an INSERT keep the same value.
  value = value.substr(0, value.find('\0'));
  std::size_t plain = 0;  // the start of the run not yet appended
  for (std::size_t i = next_copy_escape(value, 0); i < value.size(); i = next_copy_escape(value, plain)) {
    out.append(value.substr(plain, i - plain));
    out += '\\';
    out += copy_escape_of(value[i]);
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
