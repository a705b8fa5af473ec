// The two backends behind db::Db::open (internal to platform/db*).
#pragma once

#include <memory>
#include <string>

#include "platform/db.hpp"

namespace backroom::db {

std::unique_ptr<Db> open_sqlite(const std::string& path, Mode mode);
std::unique_ptr<Db> open_postgres(const std::string& uri, Mode mode);

}  // namespace backroom::db
