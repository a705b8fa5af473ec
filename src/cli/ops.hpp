// Seeing the shop run: GET /metrics (Prometheus text) and `backroom doctor`
// (docs/operations.md). What they read from the database is in ops_store.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/app.hpp"
#include "platform/db.hpp"
#include "platform/secret_box.hpp"

namespace backroom::cli::ops {

// What the database says about queues, backups and sales (ops_store.cpp).
struct Snapshot {
  std::int64_t outbox_backlog_events = 0;  // events not yet passed to an active webhook endpoint
  std::int64_t webhook_pending = 0;        // messages waiting for a retry
  std::int64_t webhook_dead = 0;           // messages given up on
  std::int64_t webhook_endpoints_active = 0;
  std::int64_t sales_completed = 0;  // not training
  std::int64_t sales_voided = 0;
  std::int64_t backup_last_at = 0;  // microseconds since the epoch, 0: never
  std::int64_t backup_every_seconds = 0;
  std::int64_t backup_scheduled_since = 0;
  std::string backup_last_error;
};
Snapshot read_snapshot(db::Db& db);
// The highest applied migration, or nullopt when the database has no schema_migrations.
std::optional<int> schema_version(db::Db& db);
// The database server's clock (microseconds since the epoch); nullopt on SQLite.
std::optional<std::int64_t> server_clock_micros(db::Db& db);

// Seals every sensitive value again with `reseal` (ops_store.cpp); returns how many.
std::int64_t reseal_all(db::Db& db, const secret_box::Resealer& reseal);
// `backroom keys rotate`: a new shop key, every sealed value re-encrypted under it in one
// transaction, the old key file kept as <key>.retired-<time>. Returns the exit status.
int rotate_keys(const std::string& db_path);

// GET /metrics. `token` empty: the route answers 404 (metrics are off); else it needs
// `Authorization: Bearer <token>` (401 otherwise).
void set_metrics_token(std::string token);
void register_ops_routes(App& app);

// `backroom doctor`: one line per check, OK/WARN/FAIL; returns the process exit status
// (1 when any check FAILs, else 0).
struct DoctorOptions {
  std::string db_path;
  double disk_warn_percent = 10.0;
  double disk_fail_percent = 2.0;
  std::int64_t backup_warn_hours = 26;
  std::int64_t skew_warn_ms = 1000;
  std::int64_t skew_fail_ms = 30000;
  std::int64_t backlog_warn = 1000;
};
int doctor(const DoctorOptions& options);

}  // namespace backroom::cli::ops
