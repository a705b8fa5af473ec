// Many new rows into one table at once, as cheaply as the backend takes them: PostgreSQL's
// COPY … FROM STDIN (text format: no statement to parse or plan, no parameter per value),
// SQLite's INSERT of 100 rows a statement. For rows that are only added: no ON CONFLICT, no
// RETURNING. Foreign keys, CHECKs, unique indexes and row triggers judge each row as they
// would an INSERT's, and a refused row fails the whole call (run it in a savepoint when the
// caller wants to go on). See docs/scaling.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"

namespace backroom::db {

// The values of the rows to insert, row after row, each row's values in the order of the
// columns given to insert_rows; added as Query::bind takes them. Text is copied in.
class Rows {
 public:
  enum class Kind : std::uint8_t { null, integer, text };
  struct Value {
    Kind kind;
    std::int64_t integer;     // Kind::integer
    std::size_t offset, size;  // Kind::text: where in the copied text
  };

  explicit Rows(std::size_t columns) : columns_(columns) {}

  Rows& add(std::int64_t value) {
    values_.push_back(Value{Kind::integer, value, 0, 0});
    return *this;
  }
  Rows& add(int value) { return add(static_cast<std::int64_t>(value)); }
  Rows& add(bool value) { return add(static_cast<std::int64_t>(value)); }
  Rows& add(std::string_view value) {
    values_.push_back(Value{Kind::text, 0, text_.size(), value.size()});
    text_.append(value);
    return *this;
  }
  Rows& add(const std::string& value) { return add(std::string_view(value)); }
  Rows& add(const char* value) { return add(std::string_view(value)); }
  Rows& add_null() {
    values_.push_back(Value{Kind::null, 0, 0, 0});
    return *this;
  }
  template <class T>
  Rows& add(const std::optional<T>& value) {
    return value ? add(*value) : add_null();
  }

  std::size_t columns() const { return columns_; }
  std::size_t rows() const { return columns_ == 0 ? 0 : values_.size() / columns_; }
  // Whether every row has a value for each column (insert_rows asserts it).
  std::size_t text_bytes() const { return text_.size(); }  // the text values added, in bytes
  bool whole() const { return columns_ > 0 && values_.size() % columns_ == 0; }
  const std::vector<Value>& values() const { return values_; }
  std::string_view text(const Value& v) const { return std::string_view(text_).substr(v.offset, v.size); }

 private:
  std::size_t columns_;
  std::vector<Value> values_;
  std::string text_;
};

// Inserts `rows` into `table` (`columns`, in the order of each row's values; the others take
// their defaults). Must run inside a transaction (asserted). Throws DbError as an INSERT of
// the same rows would. On PostgreSQL the statements sent ahead are waited for first (a COPY
// cannot be pipelined), so an error of theirs is thrown here. `table` and `columns` are the
// code's own names, never input.
void insert_rows(Db& db, std::string_view table, std::span<const std::string_view> columns, const Rows& rows);

// Inserts `rows` into `table`, or, where a row with the same key exists (the first
// `key_columns` of `columns`, those of a unique index or the primary key), sets its other
// columns to the row's: INSERT … ON CONFLICT … DO UPDATE, 100 rows a statement on both
// backends (no COPY: it cannot update). Must run inside a transaction (asserted). `table` and
// `columns` are the code's own names, never input.
void upsert_rows(Db& db, std::string_view table, std::span<const std::string_view> columns, std::size_t key_columns,
                 const Rows& rows);

// COPY's text format (pure, for the PostgreSQL backend and its tests): `value` appended with
// backslash, newline, carriage return and tab escaped, so no value can end a field, a row
// or the data; a NUL byte ends the value (PostgreSQL's text cannot hold one, and a text
// parameter ends at it too).
void append_copy_text(std::string& out, std::string_view value);
// All of `rows` as COPY text: a line a row, fields separated by tabs, \N for NULL.
std::string copy_text(const Rows& rows);

}  // namespace backroom::db
