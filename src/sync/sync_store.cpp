// SQL of the store nodes (sync/sync.hpp, migration 22).
#include <boost/json.hpp>

#include <algorithm>
#include <unordered_set>

#include "platform/assert.hpp"
#include "platform/db_rows.hpp"
#include "platform/json.hpp"
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

std::optional<Node> load_node(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(columns) + "WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read(q);
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

std::optional<std::int64_t> pushed_through(db::Db& db, const std::string& node_id) {
  auto q = db.query("SELECT pushed_through FROM sync_nodes WHERE id = ?");
  q.bind(1, node_id);
  if (!q.step()) return std::nullopt;
  return q.opt_int64(0);
}

void set_pushed_through(db::Db& db, const std::string& node_id, std::optional<std::int64_t> through) {
  db::assert_in_transaction(db);
  db.query("UPDATE sync_nodes SET pushed_through = ? WHERE id = ?").bind(1, through).bind(2, node_id).run();
}

namespace {
std::string movements_text(const std::optional<std::vector<PushedMovement>>& movements) {
  if (!movements) return {};
  bj::array list;
  for (const auto& m : *movements) list.push_back(movement_json(m, m.quantity));
  return bj::serialize(list);
}
}  // namespace

std::vector<const Document*> unheld_documents(db::Db& db, const std::vector<Document>& documents) {
  db::assert_in_transaction(db);
  std::vector<const Document*> fresh;
  if (documents.empty()) return fresh;
  std::unordered_set<std::string> held;
  {
    bj::array ids;
    for (const auto& d : documents) ids.emplace_back(d.id);
    auto q = db.query("SELECT id FROM sync_documents WHERE id IN (SELECT value FROM json_each(?))");
    q.bind(1, bj::serialize(ids));
    while (q.step()) held.insert(q.text(0));
  }
  for (const auto& d : documents)
    if (held.insert(d.id).second) fresh.push_back(&d);
  return fresh;
}

std::vector<std::string> insert_documents(db::Db& db, const Node& node, const std::vector<const Document*>& documents,
                                          const std::vector<std::string_view>& statuses, std::int64_t at) {
  db::assert_in_transaction(db);
  BR_ASSERT(statuses.size() == documents.size(), "a status for each document to insert");
  static constexpr std::string_view columns[] = {"id", "node_id", "location_id", "type", "entity_id", "payload",
                                                 "node_at", "received_at", "movements", "hlc", "status"};
  db::Rows rows(std::size(columns));
  std::vector<std::string> kept;
  kept.reserve(documents.size());
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const Document& d = *documents[i];
    rows.add(d.id)
        .add(node.id)
        .add(node.location_id)
        .add(d.type)
        .add(d.entity_id)
        .add(d.payload)
        .add(d.node_at)
        .add(at);
    if (d.movements)
      rows.add(movements_text(d.movements));
    else
      rows.add_null();
    rows.add(d.hlc ? std::optional<std::int64_t>(hlc::pack(*d.hlc)) : std::nullopt).add(statuses[i]);
    kept.push_back(d.id);
  }
  db::insert_rows(db, "sync_documents", columns, rows);
  return kept;
}

std::shared_ptr<const bj::value> payload_value(const Document& doc) {
  if (doc.parsed) return doc.parsed;
  return std::make_shared<const bj::value>(json::parse_exact(doc.payload));
}

std::vector<PushedMovement> parse_kept_movements(const std::string& text) {
  std::vector<PushedMovement> out;
  boost::system::error_code ec;
  auto list = bj::parse(text, ec);
  if (ec || !list.is_array()) return out;
  for (const auto& v : list.get_array()) {
    const auto& m = v.as_object();
    const auto& line = m.at("document_line_id");
    out.push_back(PushedMovement{std::string(m.at("item_id").as_string()), std::string(m.at("location_kind").as_string()),
                                 m.at("quantity").to_number<std::int64_t>(), std::string(m.at("reason").as_string()),
                                 std::string(m.at("document_type").as_string()),
                                 std::string(m.at("document_id").as_string()),
                                 line.is_string() ? std::optional<std::string>(line.as_string()) : std::nullopt});
  }
  return out;
}

std::optional<KeptDocument> load_document(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, type, entity_id, payload, node_at, movements, hlc, node_id, status FROM sync_documents WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  KeptDocument k;
  k.document.id = q.text(0);
  k.document.type = q.text(1);
  k.document.entity_id = q.text(2);
  k.document.payload = q.text(3);
  k.document.node_at = q.int64(4);
  if (auto moved = q.opt_text(5)) k.document.movements = parse_kept_movements(*moved);
  if (auto packed = q.opt_int64(6)) k.document.hlc = hlc::unpack(*packed);
  k.node_id = q.text(7);
  k.status = q.text(8);
  return k;
}

void set_documents_status(db::Db& db, const std::vector<std::string>& ids, std::string_view status) {
  db::assert_in_transaction(db);
  if (ids.empty()) return;
  // The ids as parameters, not a JSON list: PostgreSQL then finds each by its key (with a
  // JSON list it scanned the whole table once a push).
  constexpr std::size_t ids_per_statement = 100;
  for (std::size_t first = 0; first < ids.size(); first += ids_per_statement) {
    std::size_t n = std::min(ids_per_statement, ids.size() - first);
    auto q = db.query("UPDATE sync_documents SET status = ? WHERE id IN (" + db::repeated_rows(n, "?") + ")");
    q.bind(1, status);
    for (std::size_t i = 0; i < n; ++i) q.bind(static_cast<int>(i) + 2, ids[first + i]);
    q.run_changing(static_cast<std::int64_t>(n), "each document a push posts or rejects is one it kept");
  }
}

namespace {
// With the store's name and the item's SKU and name, so that a list reads nothing per row.
constexpr const char* conflict_columns =
    "SELECT c.id, c.node_id, c.location_id, c.document_id, c.kind, c.item_id, c.detail, c.created_at, c.status, "
    "c.resolved_at, c.resolved_by, c.note, l.name, i.sku, i.name, c.hlc, d.node_at FROM sync_conflicts c "
    "LEFT JOIN locations l ON l.id = c.location_id LEFT JOIN items i ON i.id = c.item_id "
    "LEFT JOIN sync_documents d ON d.id = c.document_id ";
Conflict read_conflict(const db::Query& q) {
  Conflict c;
  c.id = q.text(0);
  c.node_id = q.text(1);
  c.location_id = q.text(2);
  c.document_id = q.text(3);
  c.kind = conflict_kinds.parse(q.text(4)).value_or(ConflictKind::rejected);
  c.item_id = q.opt_text(5);
  c.detail = q.text(6);
  c.created_at = q.int64(7);
  c.resolved = q.text(8) == "resolved";
  c.resolved_at = q.opt_int64(9);
  c.resolved_by = q.opt_text(10);
  c.note = q.opt_text(11);
  c.location_name = q.opt_text(12);
  c.item_sku = q.opt_text(13);
  c.item_name = q.opt_text(14);
  c.hlc = q.int64(15);
  c.document_at = q.opt_int64(16);
  return c;
}
}  // namespace

void insert_conflict(db::Db& db, const Conflict& c) {
  db::assert_in_transaction(db);
  db.query(
        "INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, item_id, detail, created_at, status, "
        "hlc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)")
      .bind(1, c.id)
      .bind(2, c.node_id)
      .bind(3, c.location_id)
      .bind(4, c.document_id)
      .bind(5, conflict_kinds.text(c.kind))
      .bind(6, c.item_id)
      .bind(7, c.detail)
      .bind(8, c.created_at)
      .bind(9, c.hlc)
      .run();
}

std::optional<Conflict> load_conflict(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(conflict_columns) + "WHERE c.id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_conflict(q);
}

std::vector<Conflict> list_conflicts(db::Db& db, std::optional<bool> resolved, const std::optional<std::string>& node_id,
                                     const std::optional<std::string>& before, int limit) {
  std::string sql = std::string(conflict_columns) + "WHERE 1 = 1";
  if (resolved) sql += *resolved ? " AND c.status = 'resolved'" : " AND c.status = 'open'";
  if (node_id) sql += " AND c.node_id = ?";
  // By the hybrid clock (docs/sync.md, "Clocks"), never by the nodes' wall clocks; the id
  // breaks a tie. A cursor is the last row's id: the page goes on below its (hlc, id).
  if (before) sql += " AND (c.hlc, c.id) < (SELECT b.hlc, b.id FROM sync_conflicts b WHERE b.id = ?)";
  sql += " ORDER BY c.hlc DESC, c.id DESC LIMIT ?";
  auto q = db.query(sql);
  int p = 0;
  if (node_id) q.bind(++p, *node_id);
  if (before) q.bind(++p, *before);
  q.bind(++p, limit);
  std::vector<Conflict> out;
  while (q.step()) out.push_back(read_conflict(q));
  return out;
}

void resolve_conflict(db::Db& db, const std::string& id, std::int64_t at, const std::string& by, const std::string& note) {
  db::assert_in_transaction(db);
  db.query("UPDATE sync_conflicts SET status = 'resolved', resolved_at = ?, resolved_by = ?, note = ? WHERE id = ?")
      .bind(1, at)
      .bind(2, by)
      .bind(3, note)
      .bind(4, id)
      .run();
}

std::optional<OpenRefusal> open_refusal_of(db::Db& db, const std::string& node_id, const std::string& transfer_id) {
  auto q = db.query(
      "SELECT c.id, c.detail FROM sync_conflicts c JOIN sync_documents d ON d.id = c.document_id "
      "WHERE c.node_id = ? AND c.kind = 'destination_refused' AND c.status = 'open' AND d.entity_id = ? "
      "ORDER BY c.created_at DESC LIMIT 1");
  q.bind(1, node_id).bind(2, transfer_id);
  if (!q.step()) return std::nullopt;
  boost::system::error_code ec;
  auto detail = boost::json::parse(q.text(1), ec);
  const auto* reason = !ec && detail.is_object() ? detail.get_object().if_contains("reason") : nullptr;
  return OpenRefusal{q.text(0), reason && reason->is_string() ? std::string(reason->get_string()) : std::string("refused")};
}

bool resolve_open_conflict(db::Db& db, const std::string& id, std::int64_t at, const std::string& by,
                           const std::string& note) {
  db::assert_in_transaction(db);
  db.query(
        "UPDATE sync_conflicts SET status = 'resolved', resolved_at = ?, resolved_by = ?, note = ? "
        "WHERE id = ? AND status = 'open'")
      .bind(1, at)
      .bind(2, by)
      .bind(3, note)
      .bind(4, id)
      .run();
  return db.changes() == 1;
}

std::vector<std::string> unposted_movement_documents(db::Db& db) {
  std::vector<std::string> out;
  auto q = db.query(
      "SELECT DISTINCT m.document_id FROM stock_movements m WHERE m.document_type = 'node_document' AND NOT EXISTS "
      "(SELECT 1 FROM sync_documents d WHERE d.id = m.document_id AND d.status = 'posted') LIMIT 1000");
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::vector<PostedDocument> posted_documents(db::Db& db, const std::string& after_id, int limit) {
  std::vector<PostedDocument> out;
  {
    auto q = db.query("SELECT id, movements FROM sync_documents WHERE status = 'posted' AND id > ? ORDER BY id LIMIT ?");
    q.bind(1, after_id).bind(2, limit);
    while (q.step()) out.push_back(PostedDocument{q.text(0), q.text(1), {}});
  }
  if (out.empty()) return out;
  bj::array ids;
  for (const auto& d : out) ids.emplace_back(d.id);
  auto q = db.query(
      "SELECT document_id, item_id, SUM(quantity) FROM stock_movements WHERE document_type = 'node_document' "
      "AND document_id IN (SELECT value FROM json_each(?)) GROUP BY document_id, item_id");
  q.bind(1, bj::serialize(ids));
  std::map<std::string, PostedDocument*> by_id;
  for (auto& d : out) by_id[d.id] = &d;
  while (q.step()) by_id[q.text(0)]->booked[q.text(1)] = q.int64(2);
  return out;
}

std::int64_t count_documents(db::Db& db, const std::string& node_id) {
  auto q = db.query("SELECT COUNT(*) FROM sync_documents WHERE node_id = ?");
  q.bind(1, node_id);
  q.step();
  return q.int64(0);
}

void savepoint(db::Db& db, const std::string& name) {
  db::assert_in_transaction(db);
  db.exec("SAVEPOINT " + name);
}
void release(db::Db& db, const std::string& name) { db.exec("RELEASE SAVEPOINT " + name); }
void roll_back_to(db::Db& db, const std::string& name) {
  db.exec("ROLLBACK TO SAVEPOINT " + name);
  db.exec("RELEASE SAVEPOINT " + name);
}

void defer_foreign_keys(db::Db& db) {
  db::assert_in_transaction(db);
  if (db.dialect() == db::Dialect::sqlite) db.exec("PRAGMA defer_foreign_keys = ON");
}

std::vector<CashUp> list_cash_ups(db::Db& db, const std::optional<std::string>& node_id,
                                  const std::optional<std::string>& before, int limit) {
  std::string sql =
      "SELECT d.id, d.node_id, d.location_id, l.name, d.node_at, d.payload FROM sync_documents d "
      "LEFT JOIN locations l ON l.id = d.location_id WHERE d.type = 'register.closed'";
  if (node_id) sql += " AND d.node_id = ?";
  // Newest first by the store's time (index sync_documents_type); the id breaks a tie.
  if (before) sql += " AND (d.node_at, d.id) < (SELECT b.node_at, b.id FROM sync_documents b WHERE b.id = ?)";
  sql += " ORDER BY d.node_at DESC, d.id DESC LIMIT ?";
  auto q = db.query(sql);
  int p = 0;
  if (node_id) q.bind(++p, *node_id);
  if (before) q.bind(++p, *before);
  q.bind(++p, limit);
  std::vector<CashUp> out;
  while (q.step()) out.push_back(CashUp{q.text(0), q.text(1), q.text(2), q.opt_text(3), q.int64(4), q.text(5)});
  return out;
}

}  // namespace backroom::sync::store
