// The running shop: where its database is, its single writer and its routes. Each
// capability adds its routes with `register_*_routes(App&)`; handlers read through
// `app.read()` (this thread's connection) and change through `app.command(...)`.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "platform/db.hpp"
#include "platform/http.hpp"
#include "platform/writer.hpp"

namespace backroom {

struct App {
  explicit App(std::string db_path_) : db_path(std::move(db_path_)), writer(db_path) {}

  std::string db_path;
  Writer writer;
  http::Router router;

  db::Db& read() const { return db::reader(db_path); }

  // Runs `work` as one command on the writer and replies with its response once the
  // transaction is durable, or with the problem it threw (nothing written).
  void command(const http::Request& req, http::Reply reply, std::function<http::Response(db::Db&)> work);
};

inline constexpr int page_limit_default = 50;
inline constexpr int page_limit_max = 500;

// ?limit= within 1..page_limit_max (422 otherwise).
int page_limit(const http::Request& req);
// If-Match: "v3", W/"v3", "3" -> 3; or the body's "version". 428 when neither is given.
std::int64_t expected_version(const http::Request& req, const boost::json::object* body);
std::string etag(std::int64_t version);

}  // namespace backroom
