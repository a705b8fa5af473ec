// The SQL of GET /metrics and `backroom doctor` (cli/ops.hpp): counts only, no rows.
#include <string>
#include <tuple>

#include "cli/ops.hpp"
#include "customers/customers_store.hpp"
#include "platform/secret_box.hpp"
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

namespace {
struct SealedColumns {
  const char* table;
  const char* key;  // the row's key column
  std::vector<const char*> columns;
  const char* where = "";  // which rows hold sealed values
};
}  // namespace

std::int64_t reseal_all(db::Db& db, const secret_box::Resealer& reseal) {
  const std::vector<SealedColumns> tables = {
      {"webhook_endpoints", "id", {"secret", "previous_secret"}},
      {"order_channels", "channel", {"secret"}},
      {"suppliers", "id", {"payment_iban", "payment_bic", "payment_account_name"}},
      {"supplier_changes", "id", {"payment_iban", "payment_bic", "payment_account_name"}},
      {"online_orders", "id", {"customer_name", "customer_phone", "customer_email"}},
      {"customers", "id", {"phone", "email"}},
  };
  std::int64_t values = 0;
  // Customers' blind indexes are keyed hashes under the shop key: made again under the new
  // key from the values as they are sealed now (before the loop below reseals them).
  {
    std::vector<std::tuple<std::string, std::optional<std::string>, std::optional<std::string>>> rows;
    {
      auto q = db.query("SELECT id, phone, email FROM customers");
      while (q.step()) {
        auto phone = q.opt_text(1), email = q.opt_text(2);
        rows.emplace_back(q.text(0), phone ? std::optional(reseal.reindex(customers::phone_purpose, *phone)) : std::nullopt,
                          email ? std::optional(reseal.reindex(customers::email_purpose, *email)) : std::nullopt);
      }
    }
    for (auto& [id, phone_index, email_index] : rows)
      db.query("UPDATE customers SET phone_index = ?, email_index = ? WHERE id = ?")
          .bind(1, phone_index)
          .bind(2, email_index)
          .bind(3, id)
          .run();
  }
  for (const auto& t : tables) {
    std::string columns;
    for (const auto* c : t.columns) columns += std::string(", ") + c;
    std::vector<std::pair<std::string, std::vector<std::optional<std::string>>>> rows;
    {
      auto q = db.query(std::string("SELECT ") + t.key + columns + " FROM " + t.table);
      while (q.step()) {
        std::vector<std::optional<std::string>> v;
        for (std::size_t i = 0; i < t.columns.size(); ++i) v.push_back(q.opt_text(static_cast<int>(i + 1)));
        rows.emplace_back(q.text(0), std::move(v));
      }
    }
    std::string set;
    for (std::size_t i = 0; i < t.columns.size(); ++i) set += std::string(i ? ", " : "") + t.columns[i] + " = ?";
    for (auto& [key, v] : rows) {
      auto u = db.query(std::string("UPDATE ") + t.table + " SET " + set + " WHERE " + t.key + " = ?");
      int i = 1;
      for (auto& value : v) {
        if (value) {
          u.bind(i, reseal(*value));
          ++values;
        } else {
          u.bind(i, std::optional<std::string>());
        }
        ++i;
      }
      u.bind(i, key);
      u.run();
    }
  }
  // Stored answers holding a secret shown once (Idempotency-Key replays).
  std::vector<std::pair<std::pair<std::string, std::string>, std::string>> answers;
  {
    auto q = db.query("SELECT caller, idempotency_key, body FROM idempotent_requests WHERE sealed = 1");
    while (q.step()) answers.push_back({{q.text(0), q.text(1)}, q.text(2)});
  }
  for (auto& [id, body] : answers) {
    db.query("UPDATE idempotent_requests SET body = ? WHERE caller = ? AND idempotency_key = ?")
        .bind(1, reseal(body))
        .bind(2, id.first)
        .bind(3, id.second)
        .run();
    ++values;
  }
  return values;
}

}  // namespace backroom::cli::ops
