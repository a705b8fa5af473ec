// SQL of the store nodes (sync/sync.hpp, migration 22).
#include <boost/json.hpp>

#include <algorithm>
#include <unordered_set>

#include "platform/assert.hpp"
#include "sync/sync.hpp"

namespace backroom::sync::store {

namespace bj = boost::json;

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

int insert_documents(db::Db& db, const Node& node, const std::vector<Document>& documents, std::int64_t at) {
  db::assert_in_transaction(db);
  if (documents.empty()) return 0;
  std::unordered_set<std::string> held;
  {
    bj::array ids;
    for (const auto& d : documents) ids.emplace_back(d.id);
    auto q = db.query("SELECT id FROM sync_documents WHERE id IN (SELECT value FROM json_each(?))");
    q.bind(1, bj::serialize(ids));
    while (q.step()) held.insert(q.text(0));
  }
  std::vector<const Document*> fresh;
  for (const auto& d : documents)
    if (held.insert(d.id).second) fresh.push_back(&d);
  // 100 rows a statement; OR IGNORE: another process may keep the same document meanwhile.
  constexpr std::size_t rows_per_insert = 100;
  auto insert_text = [](std::size_t rows) {
    std::string sql =
        "INSERT OR IGNORE INTO sync_documents (id, node_id, location_id, type, entity_id, payload, node_at, received_at) "
        "VALUES ";
    for (std::size_t i = 0; i < rows; ++i) sql += i == 0 ? "(?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?)";
    return sql + ";";
  };
  for (std::size_t first = 0; first < fresh.size(); first += rows_per_insert) {
    std::size_t rows = std::min(rows_per_insert, fresh.size() - first);
    auto q = db.query(insert_text(rows));
    for (std::size_t i = 0; i < rows; ++i) {
      const Document& d = *fresh[first + i];
      int p = static_cast<int>(i) * 8;
      q.bind(p + 1, d.id)
          .bind(p + 2, node.id)
          .bind(p + 3, node.location_id)
          .bind(p + 4, d.type)
          .bind(p + 5, d.entity_id)
          .bind(p + 6, d.payload)
          .bind(p + 7, d.node_at)
          .bind(p + 8, at);
    }
    q.run();
  }
  return static_cast<int>(fresh.size());
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
