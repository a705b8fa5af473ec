#include "platform/db_copy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "platform/db_rows.hpp"
#include "platform/problem.hpp"
#include "platform/schema.hpp"

namespace backroom::db {

std::vector<std::string> table_names(Db& db) {
  std::vector<std::string> names;
  auto q = db.dialect() == Dialect::sqlite
               ? db.query(
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
                     "AND name <> 'schema_migrations' ORDER BY rowid")
               : db.query(
                     "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname <> 'schema_migrations' "
                     "ORDER BY c.oid");
  while (q.step()) names.push_back(q.text(0));
  return names;
}

namespace {

std::string quoted(std::string_view name) { return fmt::format("\"{}\"", name); }

// The rows of a table go to `to` in batches (db::insert_rows: a COPY on PostgreSQL, 100 rows a
// statement on SQLite) of at most this many rows or bytes of text, so memory stays bounded
// whatever the table's size.
constexpr std::size_t copy_batch_rows = 20'000;
constexpr std::size_t copy_batch_bytes = 16u << 20;

// Identity columns continue after the largest copied id (PostgreSQL; SQLite's AUTOINCREMENT
// keeps its own sqlite_sequence up to date on insert).
void continue_identities(Db& to) {
  if (to.dialect() != Dialect::postgres) return;
  std::vector<std::pair<std::string, std::string>> columns;
  {
    auto q = to.query(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'");
    while (q.step()) columns.emplace_back(q.text(0), q.text(1));
  }
  for (const auto& [table, column] : columns) {
    to.query(fmt::format("SELECT setval(pg_get_serial_sequence('{0}', '{1}'), COALESCE((SELECT MAX({2}) FROM {3}), 0) + 1, false)",
                         table, column, quoted(column), quoted(table)))
        .run();
  }
}

// The copied tables have no planner statistics until autovacuum gets to them: a scan on a
// 100,000-item copy planned as if the tables were empty, so both dialects ANALYZE. On
// PostgreSQL every row is also new to VACUUM: until it has run, each first read of a page sets
// its rows' hint bits (dirtying the page for the next checkpoint), index-only scans find no
// page all-visible, and autovacuum owes every copied table a pass (inserts alone trigger it
// since PostgreSQL 13), then one more, an anti-wraparound freeze of the same rows, years
// later. So the copy pays once, now, with FREEZE (the rows are committed and nothing older
// can see them), table by table: only the tables the copy wrote, which this user owns.
void settle(Db& to, const std::vector<CopiedTable>& copied) {
  if (to.dialect() != Dialect::postgres) {
    to.exec("ANALYZE");
    return;
  }
  for (const auto& t : copied) to.exec(fmt::format("VACUUM (FREEZE, ANALYZE) {}", quoted(t.name)));
}

}  // namespace

std::vector<CopiedTable> copy_database(Db& from, Db& to) {
  int source = schema::current_version(from);
  if (source > schema::latest_version() || source == 0)
    throw Problem(409, "source_schema_mismatch",
                  fmt::format("{} is at schema version {} but this backroom knows versions 1 to {}; use the backroom "
                              "that wrote it",
                              from.display_name(), source, schema::latest_version()));
  if (schema::current_version(to) != 0)
    throw Problem(409, "target_not_empty",
                  fmt::format("{} already holds a shop (schema version {}); copy only into a new, empty database",
                              to.display_name(), schema::current_version(to)));
  schema::migrate(to, source);  // the copy is at the source's version, table for table

  std::vector<CopiedTable> copied;
  ReadSnapshot snapshot(from);
  Transaction tx(to);
  // Rows arrive in table order, not in the order foreign keys need: check them at commit.
  to.exec(to.dialect() == Dialect::sqlite ? "PRAGMA defer_foreign_keys = ON" : "SET CONSTRAINTS ALL DEFERRED");
  // Except on PostgreSQL from migration 55 the parents of these tables are checked at the end
  // of each statement, not at commit: they are written last, each after its parents.
  static const std::vector<std::string> checked_last = {"sales", "sale_lines", "sale_tenders", "sync_documents",
                                                         "stock_movements"};
  // 0 for every other table (kept in table order), then each of checked_last in its order.
  auto rank = [](const std::string& t) -> std::ptrdiff_t {
    auto at = std::find(checked_last.begin(), checked_last.end(), t);
    return at == checked_last.end() ? 0 : 1 + (at - checked_last.begin());
  };
  auto tables = table_names(from);
  std::stable_sort(tables.begin(), tables.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  for (const auto& table : tables) {
    to.query(fmt::format("DELETE FROM {}", quoted(table))).run();
    CopiedTable t{table, 0};
    auto rows = from.stream(fmt::format("SELECT * FROM {}", quoted(table)));
    std::vector<std::string> names;
    std::optional<Rows> batch;
    auto flush = [&] {
      if (!batch || batch->rows() == 0) return;
      std::vector<std::string_view> columns(names.begin(), names.end());
      insert_rows(to, table, columns, *batch);
      batch.reset();
    };
    while (rows.step()) {
      int n = rows.column_count();
      if (names.empty())
        for (int c = 0; c < n; ++c) names.push_back(rows.column_name(c));
      if (!batch) batch.emplace(names.size());
      for (int c = 0; c < n; ++c) {
        if (rows.is_null(c))
          batch->add_null();
        else if (rows.is_integer(c))
          batch->add(rows.int64(c));
        else
          batch->add(rows.text_view(c));
      }
      ++t.rows;
      if (batch->rows() >= copy_batch_rows || batch->text_bytes() >= copy_batch_bytes) flush();
    }
    flush();
    copied.push_back(std::move(t));
  }
  continue_identities(to);
  tx.commit();
  settle(to, copied);
  return copied;
}

}  // namespace backroom::db
