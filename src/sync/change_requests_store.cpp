// SQL of change requests (sync/change_requests.hpp, migration 32).
#include <boost/json.hpp>

#include "platform/assert.hpp"
#include "sync/change_requests.hpp"

namespace backroom::sync::store {

namespace bj = boost::json;

namespace {
constexpr const char* columns =
    "SELECT c.id, c.node_id, c.location_id, c.method, c.path, c.query, c.route, c.permission, c.action, c.content_type, "
    "c.if_match, c.body, c.subject, c.requested_by, c.requested_at, c.status, c.decided_at, c.decided_by, c.note, "
    "c.result_status, c.sent_at, l.name FROM sync_change_requests c LEFT JOIN locations l ON l.id = c.location_id ";

ChangeRequest read(const db::Query& q) {
  ChangeRequest c;
  c.id = q.text(0);
  c.node_id = q.opt_text(1);
  c.location_id = q.opt_text(2);
  c.method = q.text(3);
  c.path = q.text(4);
  c.query = q.text(5);
  c.route = q.text(6);
  c.permission = q.text(7);
  c.action = q.text(8);
  c.content_type = q.text(9);
  c.if_match = q.opt_text(10);
  c.body = q.text(11);
  c.subject = q.text(12);
  c.requested_by = q.text(13);
  c.requested_at = q.int64(14);
  c.status = q.text(15);
  c.decided_at = q.opt_int64(16);
  c.decided_by = q.opt_text(17);
  c.note = q.opt_text(18);
  c.result_status = q.opt_int64(19);
  c.sent_at = q.opt_int64(20);
  c.location_name = q.opt_text(21);
  return c;
}

constexpr const char* insert_sql =
    "INSERT OR IGNORE INTO sync_change_requests (id, node_id, location_id, method, path, query, route, permission, action, "
    "content_type, if_match, body, subject, requested_by, requested_at, status) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending') RETURNING id";

db::Query bound_insert(db::Db& db, const ChangeRequest& c) {
  auto q = db.query(insert_sql);
  q.bind(1, c.id)
      .bind(2, c.node_id)
      .bind(3, c.location_id)
      .bind(4, c.method)
      .bind(5, c.path)
      .bind(6, c.query)
      .bind(7, c.route)
      .bind(8, c.permission)
      .bind(9, c.action)
      .bind(10, c.content_type)
      .bind(11, c.if_match)
      .bind(12, c.body)
      .bind(13, c.subject)
      .bind(14, c.requested_by)
      .bind(15, c.requested_at);
  return q;
}
}  // namespace

void insert_change_request(db::Db& db, const ChangeRequest& c) {
  db::assert_in_transaction(db);
  auto q = bound_insert(db, c);
  while (q.step()) {
  }
}

std::vector<std::string> insert_change_requests(db::Db& db, const std::vector<ChangeRequest>& list) {
  db::assert_in_transaction(db);
  std::vector<std::string> kept;
  for (const auto& c : list) {
    auto q = bound_insert(db, c);
    while (q.step()) kept.push_back(q.text(0));
  }
  return kept;
}

std::optional<ChangeRequest> load_change_request(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(columns) + "WHERE c.id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read(q);
}

std::vector<ChangeRequest> list_change_requests(db::Db& db, const std::optional<std::string>& status,
                                                const std::optional<std::string>& node_id,
                                                const std::optional<std::string>& before, int limit) {
  std::string sql = std::string(columns) + "WHERE 1 = 1";
  if (status) sql += " AND c.status = ?";
  if (node_id) sql += " AND c.node_id = ?";
  if (before) sql += " AND c.id < ?";
  sql += " ORDER BY c.id DESC LIMIT ?";
  auto q = db.query(sql);
  int p = 0;
  if (status) q.bind(++p, *status);
  if (node_id) q.bind(++p, *node_id);
  if (before) q.bind(++p, *before);
  q.bind(++p, limit);
  std::vector<ChangeRequest> out;
  while (q.step()) out.push_back(read(q));
  return out;
}

std::vector<ChangeRequest> unsent_change_requests(db::Db& db, int limit) {
  auto q = db.query(std::string(columns) + "WHERE c.node_id IS NULL AND c.sent_at IS NULL ORDER BY c.id LIMIT ?");
  q.bind(1, limit);
  std::vector<ChangeRequest> out;
  while (q.step()) out.push_back(read(q));
  return out;
}

std::vector<std::string> pending_sent_change_requests(db::Db& db, int limit) {
  auto q = db.query(
      "SELECT id FROM sync_change_requests WHERE node_id IS NULL AND sent_at IS NOT NULL AND status = 'pending' "
      "ORDER BY id LIMIT ?");
  q.bind(1, limit);
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

void mark_change_requests_sent(db::Db& db, const std::vector<std::string>& ids, std::int64_t at) {
  db::assert_in_transaction(db);
  if (ids.empty()) return;
  bj::array list;
  for (const auto& id : ids) list.emplace_back(id);
  db.query("UPDATE sync_change_requests SET sent_at = ? WHERE sent_at IS NULL AND id IN (SELECT value FROM json_each(?))")
      .bind(1, at)
      .bind(2, bj::serialize(list))
      .run();
}

std::vector<ChangeRequest> decided_change_requests(db::Db& db, const std::string& node_id,
                                                   const std::vector<std::string>& ids) {
  std::vector<ChangeRequest> out;
  if (ids.empty()) return out;
  bj::array list;
  for (const auto& id : ids) list.emplace_back(id);
  auto q = db.query(std::string(columns) +
                    "WHERE c.node_id = ? AND c.status <> 'pending' AND c.id IN (SELECT value FROM json_each(?))");
  q.bind(1, node_id).bind(2, bj::serialize(list));
  while (q.step()) out.push_back(read(q));
  return out;
}

bool decide_change_request(db::Db& db, const std::string& id, std::string_view status, std::int64_t at,
                           const std::string& by, const std::optional<std::string>& note,
                           std::optional<std::int64_t> result_status) {
  db::assert_in_transaction(db);
  auto q = db.query(
      "UPDATE sync_change_requests SET status = ?, decided_at = ?, decided_by = ?, note = ?, result_status = ? "
      "WHERE id = ? AND status = 'pending' RETURNING id");
  q.bind(1, status).bind(2, at).bind(3, by).bind(4, note).bind(5, result_status).bind(6, id);
  bool changed = false;
  while (q.step()) changed = true;
  return changed;
}

}  // namespace backroom::sync::store
