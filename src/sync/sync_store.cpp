// SQL of the store nodes (sync/sync.hpp, migration 22).
#include "platform/assert.hpp"
#include "sync/sync.hpp"

namespace backroom::sync::store {

namespace {
constexpr const char* columns =
    "SELECT id, location_id, key_id, created_at, created_by, last_sync_at, queue_length FROM sync_nodes ";
Node read(const db::Query& q) {
  return Node{q.text(0), q.text(1), q.text(2), q.int64(3), q.text(4), q.opt_int64(5), q.int64(6)};
}
}  // namespace

void insert_node(db::Db& db, const Node& n) {
  db::assert_in_transaction(db);
  db.query("INSERT INTO sync_nodes (id, location_id, key_id, created_at, created_by, queue_length) VALUES (?, ?, ?, ?, ?, 0)")
      .bind(1, n.id)
      .bind(2, n.location_id)
      .bind(3, n.key_id)
      .bind(4, n.created_at)
      .bind(5, n.created_by)
      .run();
}

std::vector<Node> list_nodes(db::Db& db) {
  std::vector<Node> out;
  auto q = db.query(std::string(columns) + "ORDER BY id");
  while (q.step()) out.push_back(read(q));
  return out;
}

std::optional<Node> node_by_key(db::Db& db, const std::string& key_id) {
  auto q = db.query(std::string(columns) + "WHERE key_id = ?");
  q.bind(1, key_id);
  if (!q.step()) return std::nullopt;
  return read(q);
}

void touch_node(db::Db& db, const std::string& id, std::int64_t at, std::int64_t queue_length) {
  db::assert_in_transaction(db);
  db.query("UPDATE sync_nodes SET last_sync_at = ?, queue_length = ? WHERE id = ?")
      .bind(1, at)
      .bind(2, queue_length)
      .bind(3, id)
      .run();
}

bool insert_document(db::Db& db, const Node& node, const Document& d, std::int64_t at) {
  db::assert_in_transaction(db);
  auto q = db.query("SELECT 1 FROM sync_documents WHERE id = ?");
  q.bind(1, d.id);
  if (q.step()) return false;
  db.query(
        "INSERT INTO sync_documents (id, node_id, location_id, type, entity_id, payload, node_at, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, d.id)
      .bind(2, node.id)
      .bind(3, node.location_id)
      .bind(4, d.type)
      .bind(5, d.entity_id)
      .bind(6, d.payload)
      .bind(7, d.node_at)
      .bind(8, at)
      .run();
  return true;
}

std::int64_t count_documents(db::Db& db, const std::string& node_id) {
  auto q = db.query("SELECT COUNT(*) FROM sync_documents WHERE node_id = ?");
  q.bind(1, node_id);
  q.step();
  return q.int64(0);
}

void defer_foreign_keys(db::Db& db) {
  db::assert_in_transaction(db);
  if (db.dialect() == db::Dialect::sqlite) db.exec("PRAGMA defer_foreign_keys = ON");
}

}  // namespace backroom::sync::store
