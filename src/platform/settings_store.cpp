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
  boost::json::array wanted(keys.begin(), keys.end());
  std::map<std::string, std::string> out;
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
