#include <boost/url.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "platform/db.hpp"
#include "platform/http.hpp"
#include "platform/http_prefetch.hpp"
#include "platform/json.hpp"
#include "platform/log.hpp"

namespace backroom::http {

namespace {
std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}
}  // namespace

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return std::string_view(v);
  return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

Response json_response(int status, const boost::json::value& body) {
  Response r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}

Response problem_response(const Problem& p, const Request* req) {
  boost::json::object o;
  o["type"] = "https://backroom.invalid/problems/" + p.code;
  o["title"] = p.code;
  o["status"] = p.status;
  o["code"] = p.code;
  o["detail"] = p.detail;
  if (!p.field.empty()) o["field"] = p.field;
  if (req) {
    o["instance"] = req->path;
    o["request_id"] = req->request_id;
  }
  if (!p.extra_json.empty()) {
    boost::json::error_code ec;
    auto extra = boost::json::parse(p.extra_json, ec);
    if (!ec && extra.is_object())
      for (auto& m : extra.as_object()) o[m.key()] = m.value();
  }
  Response r;
  r.status = p.status;
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(o);
  for (const auto& [name, value] : p.headers) r.header(name, value);
  return r;
}

Response error_response(std::exception_ptr error, const Request* req) {
  try {
    std::rethrow_exception(error);
  } catch (const Problem& p) {
    return problem_response(p, req);
  } catch (const db::DbError& e) {
    if (e.is_busy())
      return problem_response(Problem(503, "busy", "the database is busy; retry the request"), req);
    if (e.is_unavailable()) {
      logging::request(spdlog::level::warn, req ? std::string_view(req->request_id) : std::string_view("-"), std::string("database unavailable: ") + e.what());
      return problem_response(
          Problem(503, "database_unavailable", "the database cannot be reached right now; retry the request"), req);
    }
    logging::request(spdlog::level::err, req ? std::string_view(req->request_id) : std::string_view("-"), std::string("database error: ") + e.what());
    return problem_response(Problem(500, "internal", "a storage error occurred; nothing was changed"), req);
  } catch (const std::exception& e) {
    logging::request(spdlog::level::err, req ? std::string_view(req->request_id) : std::string_view("-"), std::string("unexpected error: ") + e.what());
    return problem_response(Problem(500, "internal", "an unexpected error occurred; nothing was changed"), req);
  } catch (...) {
    return problem_response(Problem(500, "internal", "an unexpected error occurred; nothing was changed"), req);
  }
}

void Router::add(std::string method, std::string pattern, std::string permission, std::string summary,
                 Handler handler) {
  // Fail closed: a route that forgot its permission (or misspelled it) stops the server
  // from starting instead of serving unguarded; so does a router nobody gave a vocabulary.
  if (!may_declare)
    throw std::invalid_argument(fmt::format(
        "route {} {}: the router has no permission vocabulary (permission::install_vocabulary, access/permissions.hpp)", method, pattern));
  if (!may_declare(permission))
    throw std::invalid_argument(fmt::format(
        "route {} {} declares {}; declare a permission from access/permissions.hpp, "
        "'authenticated' or 'public'",
        method, pattern, permission.empty() ? std::string("no permission") : fmt::format("unknown permission '{}'", permission)));
  Route r{std::move(method), std::move(pattern), std::move(permission), std::move(summary), std::move(handler), {}, Idempotency::not_mutating, {}};
  r.segments = split_path(r.pattern);
  if (r.method != "GET" && r.method != "HEAD") r.idempotency = Idempotency::stored;
  routes_.push_back(std::move(r));
}

std::string_view idempotency_name(Idempotency i) {
  switch (i) {
    case Idempotency::not_mutating: return "not_mutating";
    case Idempotency::stored: return "stored";
    case Idempotency::stored_sealed: return "stored_sealed";
    case Idempotency::natural: return "natural";
    case Idempotency::none: return "none";
  }
  return "none";
}

void Router::set_idempotency(std::string_view method, std::string_view pattern, Idempotency idempotency,
                             std::string note) {
  for (auto& r : routes_)
    if (r.method == method && r.pattern == pattern) {
      if (r.idempotency == Idempotency::not_mutating)
        throw std::invalid_argument(fmt::format("route {} {} does not change anything", method, pattern));
      r.idempotency = idempotency;
      r.idempotency_note = std::move(note);
      return;
    }
  throw std::invalid_argument(fmt::format("set_idempotency: no route {} {}", method, pattern));
}

void Router::dispatch(Request& req, const Reply& reply) const {
  auto segments = split_path(req.path);
  std::string allowed;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::string> params;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      const auto& s = route.segments[i];
      if (s.size() > 2 && s.front() == '{' && s.back() == '}')
        params.push_back(percent_decode(segments[i]));
      else
        match = s == segments[i];
    }
    if (!match) continue;
    if (route.method != req.method && !(req.method == "HEAD" && route.method == "GET")) {
      if (!allowed.empty()) allowed += ", ";
      allowed += route.method;
      continue;
    }
    req.params = std::move(params);
    req.route = &route;
    // The guard's headers go on every answer to this request, whoever makes it and when.
    auto answer = [&req, &reply]() -> Reply {
      if (req.response_headers.empty()) return reply;
      return [extra = req.response_headers, reply](Response r) {
        for (const auto& [name, value] : extra) r.header(name, value);
        reply(std::move(r));
      };
    };
    db::Prefetched prefetched;  // forgotten when this request is dispatched, whatever happened
    try {
      if (const auto* h = route.handler.target<PrefetchingHandler>(); guard && h && h->prefetch) prefetched = h->prefetch(req);
      if (!guard) {
        spdlog::error("{} {} {}: no request guard installed; refused", req.request_id, req.method, req.path);
        throw Problem(500, "internal", "the server has no request guard; nothing was served");
      }
      guard(req, route);
      if (route.idempotency == Idempotency::none && req.header("idempotency-key"))
        throw Problem(400, "idempotency_key_not_supported",
                      fmt::format("{} {} does not take an Idempotency-Key: {}", route.method, route.pattern, route.idempotency_note));
      if (replay && replay(req, answer())) return;
      route.handler(req, answer());
    } catch (...) {
      answer()(error_response(std::current_exception(), &req));
    }
    return;
  }
  if (!allowed.empty()) {
    auto r = problem_response(
        Problem(405, "method_not_allowed", fmt::format("{} is not allowed on {}; allowed: {}", req.method, req.path, allowed)),
        &req);
    r.header("Allow", allowed);
    reply(std::move(r));
    return;
  }
  reply(problem_response(Problem(404, "not_found", fmt::format("no such endpoint: {} {}", req.method, req.path)), &req));
}

}  // namespace backroom::http
