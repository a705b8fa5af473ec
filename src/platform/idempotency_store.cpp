// The stored answers of idempotent requests (migration 17, table idempotent_requests).
#include <boost/json.hpp>

#include <string>
#include <vector>

#include "platform/idempotency.hpp"
#include "platform/secret_box.hpp"
#include "platform/types.hpp"

namespace backroom::idempotency {

namespace bj = boost::json;

namespace {
// The answer headers worth replaying: where the new thing is and its version.
bool replayed_header(const std::string& name) {
  return name == "Location" || name == "ETag" || name == "Cache-Control" || name == "Content-Disposition";
}
}  // namespace

std::optional<Stored> find(db::Db& db, const std::string& caller, const std::string& key,
                           const std::string& db_location) {
  auto q = db.query(
      "SELECT request_hash, status, content_type, headers, body, sealed FROM idempotent_requests "
      "WHERE caller = ? AND idempotency_key = ?");
  q.bind(1, caller).bind(2, key);
  if (!q.step()) return std::nullopt;
  Stored s;
  s.request_hash = q.text(0);
  s.response.status = static_cast<int>(q.int64(1));
  s.response.content_type = q.text(2);
  auto headers = bj::parse(q.text(3));
  for (const auto& h : headers.as_array())
    s.response.header(std::string(h.as_array().at(0).as_string()), std::string(h.as_array().at(1).as_string()));
  s.response.body = q.int64(5) ? secret_box::open(db_location, q.text(4)) : q.text(4);
  return s;
}

void remember(db::Db& db, const std::string& caller, const std::string& key, const http::Request& req,
              const std::string& hash, const http::Response& response, bool sealed, const std::string& db_location) {
  bj::array headers;
  for (const auto& [name, value] : response.headers)
    if (replayed_header(name)) headers.push_back(bj::array{bj::value(name), bj::value(value)});
  db.query(
        "INSERT INTO idempotent_requests (caller, idempotency_key, method, path, request_hash, status, content_type, "
        "headers, body, sealed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, caller)
      .bind(2, key)
      .bind(3, req.method)
      .bind(4, req.path)
      .bind(5, hash)
      .bind(6, response.status)
      .bind(7, response.content_type)
      .bind(8, bj::serialize(headers))
      .bind(9, sealed ? secret_box::seal(db_location, response.body) : response.body)
      .bind(10, sealed ? 1 : 0)
      .bind(11, now().micros)
      .run();
}

int purge(db::Db& db) {
  auto before = now().micros - static_cast<std::int64_t>(keep_hours + 1) * 3600 * 1'000'000;
  db.query("DELETE FROM idempotent_requests WHERE created_at < ?").bind(1, before).run();
  return static_cast<int>(db.changes());
}

int seal_stored(db::Db& db, const std::string& path_prefix) {
  struct Row {
    std::string caller, key, body;
  };
  std::vector<Row> rows;
  // substr/length rather than LIKE: a path may hold '%' or '_' (both dialects).
  auto q = db.query(
      "SELECT caller, idempotency_key, body FROM idempotent_requests WHERE sealed = 0 AND substr(path, 1, length(?)) = ? "
      "ORDER BY caller, idempotency_key");
  q.bind(1, path_prefix).bind(2, path_prefix);
  while (q.step()) rows.push_back({q.text(0), q.text(1), q.text(2)});
  for (const auto& r : rows)
    db.query("UPDATE idempotent_requests SET body = ?, sealed = 1 WHERE caller = ? AND idempotency_key = ?")
        .bind(1, secret_box::seal(db.path(), r.body))
        .bind(2, r.caller)
        .bind(3, r.key)
        .run();
  return static_cast<int>(rows.size());
}

}  // namespace backroom::idempotency
