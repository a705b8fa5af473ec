// One read across several connections (db.hpp) that must see one committed state: the
// availability snapshot and the KPI report read on two cores (orders/availability.hpp,
// reports/reports_store.cpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
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
// none. All must outlive this. On PostgreSQL the snapshot is given, not shown: `first`
// exports its own (pg_export_snapshot()) and each of `others` imports it as the first
// statement of its transaction (SET TRANSACTION SNAPSHOT), so all read exactly one state, at
// the first try. `after_first` (tests): runs each try once `first`'s began.
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

// How many connections one read split across threads uses: the environment variable `env`
// (`fallback` unless set), at most read_threads_max and the machine's cores.
inline constexpr unsigned read_threads_max = 4;
unsigned read_threads(const char* env, unsigned fallback);

// `first` and `threads` - 1 more read-only connections to the database at `path`, all in one
// SharedReadSnapshot while this lives. On PostgreSQL only when `on_postgres` (each is a new
// server connection: the KPI report asks for them, the availability snapshot, whose time is
// the server's own, does not). helpers() is empty when the snapshot could not be shared:
// read on `first` alone.
class SharedReaders {
 public:
  SharedReaders(Db& first, const std::string& path, unsigned threads, bool on_postgres = false);
  const std::vector<Db*>& helpers() const { return helpers_; }

 private:
  std::vector<std::unique_ptr<Db>> owned_;
  std::vector<Db*> helpers_;
  std::optional<SharedReadSnapshot> snapshot_;  // ended before the connections close
};

}  // namespace backroom::db
