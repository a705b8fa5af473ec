#include "platform/app.hpp"

#include <fmt/format.h>

#include <charconv>

namespace backroom {

void App::command(const http::Request& req, http::Reply reply, std::function<http::Response(db::Db&)> work) {
  auto out = std::make_shared<http::Response>();
  auto context = std::make_shared<http::Request>();
  context->path = req.path;
  context->request_id = req.request_id;
  writer.submit([out, work = std::move(work)](db::Db& db) { *out = work(db); },
                [out, context, reply = std::move(reply)](std::exception_ptr error) {
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
