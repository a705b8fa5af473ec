// Settings' SQL: the `settings` table (key, value).
#include "platform/assert.hpp"
#include "platform/settings.hpp"

namespace backroom::settings {

std::optional<std::string> get(db::Db& db, const std::string& key) {
  auto q = db.query("SELECT value FROM settings WHERE key = ?");
  q.bind(1, key);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::map<std::string, std::string> get_many(db::Db& db, const std::vector<std::string>& keys) {
  std::map<std::string, std::string> out;
  if (db.dialect() == db::Dialect::sqlite) {
    // One primary-key lookup a key, in one read snapshot: in process they cost less than the
    // IN (json_each) form, which builds a temporary index from the JSON every time (the sale
    // draft reads the sales settings on every POST /sales; docs/performance.md).
    db::ReadSnapshot snapshot(db);
    for (const auto& key : keys) {
      auto q = db.query("SELECT value FROM settings WHERE key = ?");
      q.bind(1, key);
      if (q.step()) out[key] = q.text(0);
    }
    return out;
  }
  // PostgreSQL: one round trip for all of them.
  boost::json::array wanted(keys.begin(), keys.end());
  auto q = db.query("SELECT key, value FROM settings WHERE key IN (SELECT value FROM json_each(?))");
  q.bind(1, boost::json::serialize(wanted));
  while (q.step()) out[q.text(0)] = q.text(1);
  return out;
}

void put(db::Db& db, const std::string& key, const std::string& value) {
  db::assert_in_transaction(db);
  db.query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

}  // namespace backroom::settings
