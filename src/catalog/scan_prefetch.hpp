// The scan route's prefetch (platform/http_prefetch.hpp): on PostgreSQL the scan's statement
// goes with the guard's API-key statement in one round trip (docs/scaling.md).
#pragma once

#include <string>
#include <string_view>

#include "platform/db.hpp"

namespace backroom::catalog {

// Sends the statement scan(db, code) runs first ahead of it, classified with the layouts this
// thread last saw (scan classifies again if the statement says they changed). Call it on the
// thread that then calls scan, while a db::Prefetched for `db` is held.
void prefetch_scan(db::Db& db, std::string_view code);

namespace store {
// Sends scan_lookup's statement for `key` ahead (db::prefetch): a scan_lookup of the same key
// while the caller's db::Prefetched lasts reads its answer.
void prefetch_scan_lookup(db::Db& db, const std::string& key);
}  // namespace store

}  // namespace backroom::catalog
