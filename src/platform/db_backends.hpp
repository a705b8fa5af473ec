// The two backends behind db::Db::open (internal to platform/db*).
#pragma once

#include <memory>
#include <string>

#include "platform/db.hpp"

namespace backroom::db {

std::unique_ptr<Db> open_sqlite(const std::string& path, Mode mode);
std::unique_ptr<Db> open_postgres(const std::string& uri, Mode mode);

class Rows;
// insert_rows on PostgreSQL: runs `copy` (a COPY … FROM STDIN) with `rows` as its data and
// returns true; false on another backend, which inserts them itself.
bool copy_rows(Db& db, const std::string& copy, const Rows& rows);

// A statement run with Query::run_changing changed another number of rows: stops the process.
[[noreturn]] void changed_rows_wrong(std::int64_t rows, std::string_view invariant, std::source_location where);

}  // namespace backroom::db
