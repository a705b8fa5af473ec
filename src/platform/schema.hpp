// The database schema as numbered, forward-only migrations, applied in order at start,
// each in its own transaction. A database newer than this binary is refused.
#pragma once

#include <string>
#include <vector>

#include "platform/db.hpp"

namespace backroom::schema {

struct Migration {
  int version;
  const char* name;
  const char* sql;
  // Run after `sql` on PostgreSQL only, in the same transaction (an identity column's
  // sequence moved past rows a rebuilt table copied with their ids); nullptr for none.
  const char* postgres_after = nullptr;
};

const std::vector<Migration>& migrations();
int latest_version();

// Applies every pending migration. Throws Problem(500, "schema_too_new") when the file was
// written by a newer backroom. Returns the version the database is at afterwards.
int migrate(db::Db& db);
// Applies the pending migrations up to `version` only (tests of a migration start there).
int migrate(db::Db& db, int version);
// The version recorded in the file (0 for a new file).
int current_version(db::Db& db);

}  // namespace backroom::schema
