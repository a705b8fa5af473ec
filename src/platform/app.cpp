#include "platform/app.hpp"

#include <fmt/format.h>

#include <charconv>

#include "platform/idempotency.hpp"
#include "platform/master_data.hpp"
#include "platform/problem.hpp"

namespace backroom {

namespace {
bool stores_answers(const http::Request& req) {
  return req.route &&
         (req.route->idempotency == http::Idempotency::stored || req.route->idempotency == http::Idempotency::stored_sealed);
}
}  // namespace

App::App(std::string db_path_) : db_path(std::move(db_path_)), writer(db_path) {
  // A retry whose answer is stored is answered before its handler runs: a handler that reads
  // before it writes (and would now refuse) never sees it. Inside the writer, command() checks
  // again, for a first request that committed after this read.
  router.replay = [this](http::Request& req, const http::Reply& reply) {
    if (!stores_answers(req)) return false;
    auto key = idempotency::key_of(req);
    if (!key) return false;
    auto stored = idempotency::find(read(), idempotency::caller_of(req), *key, db_path);
    if (!stored) return false;
    if (stored->request_hash != idempotency::request_hash(req))
      throw Problem(422, "idempotency_key_reused",
                    "this Idempotency-Key was used for another request (method, path or body); use a new key");
    stored->response.header("Idempotent-Replayed", "true");
    reply(std::move(stored->response));
    return true;
  };
}

void App::command(const http::Request& req, http::Reply reply, std::function<http::Response(db::Db&)> work) {
  if (req.route && master_data::divert() && master_data::marked(*req.route)) {
    // On a store node (platform/master_data.hpp) a master-data write runs inside a savepoint,
    // so that it is checked exactly as a local write would be, and is rolled back: nothing of
    // it is kept but what the divert writes (a change request) in the same transaction.
    auto asked = std::make_shared<http::Request>(req);
    work = [asked, divert = master_data::divert(), inner = std::move(work)](db::Db& db) {
      db.exec("SAVEPOINT master_data_write");
      http::Response would_be;
      try {
        would_be = inner(db);
      } catch (...) {
        db.exec("ROLLBACK TO SAVEPOINT master_data_write");
        db.exec("RELEASE SAVEPOINT master_data_write");
        throw;
      }
      db.exec("ROLLBACK TO SAVEPOINT master_data_write");
      db.exec("RELEASE SAVEPOINT master_data_write");
      if (would_be.status < 200 || would_be.status >= 300) return would_be;
      return divert(db, *asked, would_be);
    };
  }
  auto out = std::make_shared<http::Response>();
  auto context = std::make_shared<http::Request>();
  context->path = req.path;
  context->request_id = req.request_id;
  auto key = idempotency::key_of(req);
  bool keyed = key && stores_answers(req);
  if (!keyed) {
    writer.submit([out, work = std::move(work)](db::Db& db) { *out = work(db); },
                  [out, context, reply = std::move(reply)](std::exception_ptr error) {
                    reply(error ? http::error_response(error, context.get()) : std::move(*out));
                  });
    return;
  }
  auto caller = idempotency::caller_of(req);
  auto running = caller + "\n" + *key;
  {
    std::lock_guard lock(running_mutex_);
    if (!running_keys_.insert(running).second)
      throw Problem(409, "idempotency_in_progress",
                    "a request with this Idempotency-Key is still running; retry once it has answered");
  }
  auto hash = idempotency::request_hash(req);
  // What remember() needs of the request, copied: the handler's request may be gone by then.
  auto original = std::make_shared<http::Request>();
  original->method = req.method;
  original->path = req.path;
  bool sealed = req.route->idempotency == http::Idempotency::stored_sealed;
  writer.submit(
      [=, this, key = *key, work = std::move(work)](db::Db& db) {
        if (auto stored = idempotency::find(db, caller, key, db_path)) {
          if (stored->request_hash != hash)
            throw Problem(422, "idempotency_key_reused",
                          "this Idempotency-Key was used for another request (method, path or body); use a new key");
          *out = std::move(stored->response);
          out->header("Idempotent-Replayed", "true");
          return;
        }
        *out = work(db);
        if (out->status >= 200 && out->status < 300) {
          bool text = out->content_type.empty() || out->content_type.starts_with("application/json") ||
                      out->content_type.starts_with("text/");
          idempotency::remember(db, caller, key, *original, hash, *out, sealed || !text, db_path);
        }
      },
      [this, out, context, running, reply = std::move(reply)](std::exception_ptr error) {
        {
          std::lock_guard lock(running_mutex_);
          running_keys_.erase(running);
        }
        reply(error ? http::error_response(error, context.get()) : std::move(*out));
      });
}

int page_limit(const http::Request& req) {
  auto text = req.query_param("limit");
  if (!text) return page_limit_default;
  int value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1 || value > page_limit_max)
    throw invalid_field("limit", fmt::format("limit must be a whole number from 1 to {}", page_limit_max));
  return value;
}

std::int64_t number_cursor(const http::Request& req, std::int64_t none, std::int64_t least) {
  auto c = req.query_param("cursor");
  if (!c || c->empty()) return none;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(c->data(), c->data() + c->size(), value);
  if (ec != std::errc() || end != c->data() + c->size() || value < least)
    throw invalid_field("cursor", "cursor must be the next_cursor of a previous page");
  return value;
}

std::int64_t expected_version(const http::Request& req, const boost::json::object* body) {
  if (auto match = req.header("if-match")) {
    std::string_view v = *match;
    if (v.starts_with("W/")) v.remove_prefix(2);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    if (!v.empty() && v.front() == 'v') v.remove_prefix(1);
    std::int64_t version = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
    if (ec != std::errc() || end != v.data() + v.size())
      throw Problem(400, "bad_if_match", "If-Match must be the ETag from the last read, e.g. \"v3\"");
    return version;
  }
  if (body) {
    auto it = body->find("version");
    if (it != body->end() && it->value().is_int64()) return it->value().get_int64();
  }
  throw Problem(428, "precondition_required",
                "send If-Match with the item's ETag (or 'version' in the body) so that no concurrent change is overwritten");
}

std::string etag(std::int64_t version) { return fmt::format("\"v{}\"", version); }

}  // namespace backroom
