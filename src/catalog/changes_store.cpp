// SQL of the catalog change feed (catalog/changes.hpp, migration 21).
#include "catalog/changes.hpp"
#include "platform/assert.hpp"
#include "platform/types.hpp"

namespace backroom::catalog::store {

void note_change(db::Db& db, const std::string& entity, const std::string& key) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM catalog_changes WHERE entity = ? AND key = ?").bind(1, entity).bind(2, key).run();
  db.query("INSERT INTO catalog_changes (entity, key, changed_at) VALUES (?, ?, ?)")
      .bind(1, entity)
      .bind(2, key)
      .bind(3, now().micros)
      .run();
}

std::vector<CatalogChange> changes_after(db::Db& db, std::int64_t cursor, int limit) {
  std::vector<CatalogChange> out;
  auto q = db.query("SELECT seq, entity, key, changed_at FROM catalog_changes WHERE seq > ? ORDER BY seq LIMIT ?");
  q.bind(1, cursor).bind(2, limit);
  while (q.step()) out.push_back(CatalogChange{q.int64(0), q.text(1), q.text(2), q.int64(3)});
  return out;
}

std::int64_t changes_cursor(db::Db& db) {
  auto q = db.query("SELECT COALESCE(MAX(seq), 0) FROM catalog_changes");
  q.step();
  return q.int64(0);
}

}  // namespace backroom::catalog::store
