// The running shop: where its database is, its single writer and its routes. Each
// capability adds its routes with `register_*_routes(App&)`; handlers read through
// `app.read()` (this thread's connection) and change through `app.command(...)`.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"
#include "platform/http.hpp"
#include "platform/writer.hpp"

namespace backroom {

struct App {
 public:
  explicit App(std::string db_path_);

  std::string db_path;
  Writer writer;
  http::Router router;

  db::Db& read() const { return db::reader(db_path); }

  // Runs `work` as one command on the writer and replies with its response once the
  // transaction is durable, or with the problem it threw (nothing written). With an
  // Idempotency-Key, the route's first answer is stored with the change and replayed
  // (platform/idempotency.hpp).
  void command(const http::Request& req, http::Reply reply, std::function<http::Response(db::Db&)> work);

 private:
  std::mutex running_mutex_;
  std::set<std::string> running_keys_;  // caller + key of requests in flight in this process
};

inline constexpr int page_limit_default = 50;
inline constexpr int page_limit_max = 500;

// ?limit= within 1..page_limit_max (422 otherwise).
int page_limit(const http::Request& req);
// ?cursor= of a list that pages by a number (a document number, a ledger seq): the
// next_cursor of a previous page, at least `least`; `none` when absent or empty; 422 otherwise.
std::int64_t number_cursor(const http::Request& req, std::int64_t none = 0, std::int64_t least = 1);

// One page of a list read with one row beyond `limit`: answers {key: [document(row)...],
// next_cursor}, the cursor being cursor(last row kept) when the extra row was there, else null.
template <class Row, class Document, class Cursor>
http::Response list_page(std::string_view key, std::vector<Row> rows, int limit, Document document, Cursor cursor) {
  bool more = static_cast<int>(rows.size()) > limit;
  if (more) rows.pop_back();
  boost::json::value next = more ? boost::json::value(cursor(rows.back())) : boost::json::value(nullptr);
  boost::json::array list;
  for (auto& row : rows) list.push_back(document(row));
  return http::json_response(200, boost::json::object{{key, std::move(list)}, {"next_cursor", std::move(next)}});
}

// If-Match: "v3", W/"v3", "3" -> 3; or the body's "version". 428 when neither is given.
std::int64_t expected_version(const http::Request& req, const boost::json::object* body);
std::string etag(std::int64_t version);

}  // namespace backroom
