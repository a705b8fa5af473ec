// One read across several connections (db.hpp) that must see one committed state: the
// availability snapshot read on two cores (orders/availability.hpp).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "platform/db.hpp"

namespace backroom::db {

// Read snapshots on several connections to one SQLite database that all see one committed
// state: one read split across threads (the availability snapshot on two cores). SQLite as
// built here cannot open a given snapshot on another connection (no SQLITE_ENABLE_SNAPSHOT),
// so it is shown instead: each of `others` notes its data version (PRAGMA data_version, which
// changes when another connection commits), then `first` begins its snapshot, then each of
// `others` begins its own and notes the version again. Unchanged on every one: no write
// committed between, so all see the state `first` sees. Otherwise all are ended and begun
// again, at most `tries_max` times; then only `first` keeps a snapshot. `others` must be
// outside a transaction; `first` in one keeps it (as ReadSnapshot does) and shares it with
// none. All must outlive this. On PostgreSQL (no such version) only `first` gets a
// snapshot. `after_first` (tests): runs each try once `first`'s began.
class SharedReadSnapshot {
 public:
  static constexpr int tries_max = 3;
  SharedReadSnapshot(Db& first, const std::vector<Db*>& others, const std::function<void()>& after_first = {});
  ~SharedReadSnapshot();  // ends the others' snapshots, then first's
  SharedReadSnapshot(const SharedReadSnapshot&) = delete;
  SharedReadSnapshot& operator=(const SharedReadSnapshot&) = delete;
  // True: every connection reads the same state. False: only `first` is in a snapshot; read on it alone.
  bool shared() const { return shared_; }

 private:
  std::unique_ptr<ReadSnapshot> first_;
  std::vector<std::unique_ptr<ReadSnapshot>> others_;
  bool shared_ = false;
};

}  // namespace backroom::db
