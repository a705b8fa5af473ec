// Copying a whole shop from one database to another (SQLite -> PostgreSQL when a shop
// grows, and back). The store layer's one piece that knows both dialects' catalogues.
//
// Contract: `to` must be a new database (schema version 0) and `from` at a version this
// binary knows (an older one too: a backup taken before an upgrade). copy_database migrates
// `to` to `from`'s version, then in ONE transaction on `to` replaces the
// rows of every table (what migrations seeded included) with `from`'s, column by column by
// name, in batches (db::insert_rows: COPY on PostgreSQL), foreign keys checked at commit; identity sequences continue after the copied ids.
// `from` is only read, inside one snapshot. Nothing is written to `to` unless all of it is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "platform/db.hpp"

namespace backroom::db {

struct CopiedTable {
  std::string name;
  std::int64_t rows = 0;
};

// Throws Problem 409 `target_not_empty` / `source_schema_mismatch` when the contract does
// not hold; DbError when a database fails.
std::vector<CopiedTable> copy_database(Db& from, Db& to);

// The shop's tables in creation order (not the migration bookkeeping).
std::vector<std::string> table_names(Db& db);

}  // namespace backroom::db
