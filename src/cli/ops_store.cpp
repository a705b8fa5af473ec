// The SQL of GET /metrics and `backroom doctor` (cli/ops.hpp): counts only, no rows.
#include <string>

#include "cli/ops.hpp"
#include "platform/settings.hpp"

namespace backroom::cli::ops {

namespace {
std::int64_t setting_number(db::Db& db, const char* key) {
  auto v = settings::get(db, key);
  if (!v || v->empty()) return 0;
  try {
    return std::stoll(*v);
  } catch (...) {
    return 0;
  }
}
}  // namespace

Snapshot read_snapshot(db::Db& db) {
  Snapshot s;
  {
    auto q = db.query(
        "SELECT CAST(COALESCE(SUM(m.max_seq - e.event_cursor), 0) AS BIGINT), COUNT(e.id) "
        "FROM webhook_endpoints e CROSS JOIN (SELECT COALESCE(MAX(seq), 0) AS max_seq FROM events) m "
        "WHERE e.status = 'active' AND m.max_seq > e.event_cursor");
    if (q.step()) s.outbox_backlog_events = q.int64(0);
  }
  {
    auto q = db.query("SELECT COUNT(*) FROM webhook_endpoints WHERE status = 'active'");
    if (q.step()) s.webhook_endpoints_active = q.int64(0);
  }
  {
    auto q = db.query("SELECT status, COUNT(*) FROM webhook_messages GROUP BY status");
    while (q.step()) {
      auto status = q.text(0);
      if (status == "pending") s.webhook_pending = q.int64(1);
      if (status == "dead") s.webhook_dead = q.int64(1);
    }
  }
  {
    auto q = db.query("SELECT status, COUNT(*) FROM sales WHERE training = 0 GROUP BY status");
    while (q.step()) {
      auto status = q.text(0);
      if (status == "completed") s.sales_completed = q.int64(1);
      if (status == "voided") s.sales_voided = q.int64(1);
    }
  }
  s.backup_last_at = setting_number(db, "backup.last_at");
  s.backup_every_seconds = setting_number(db, "backup.every_seconds");
  s.backup_scheduled_since = setting_number(db, "backup.scheduled_since");
  s.backup_last_error = settings::get(db, "backup.last_error").value_or("");
  return s;
}

std::optional<int> schema_version(db::Db& db) {
  try {
    auto q = db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (q.step()) return static_cast<int>(q.int64(0));
  } catch (const db::DbError&) {
  }
  return std::nullopt;
}

std::optional<std::int64_t> server_clock_micros(db::Db& db) {
  if (db.dialect() != db::Dialect::postgres) return std::nullopt;
  auto q = db.query("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)");
  if (!q.step()) return std::nullopt;
  return q.int64(0);
}

}  // namespace backroom::cli::ops
