// HTTP without Beast in sight: Request, Response and the Router that maps
// "GET /api/v1/items/{id}" to a handler. Handlers may answer at once or later (after
// the writer commits) by calling Reply from any thread, exactly once.
// Every route declares the permission it needs; the route table is data, so tests and
// docs can walk it. The vocabulary of permissions and the guard that checks them belong
// to the access room (access/permissions.hpp, access/auth_api.hpp), which fills in the
// router's two hooks; platform never includes access. Unequipped, the router fails
// closed: it accepts no route and serves no request.
#pragma once

#include <boost/json.hpp>

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/actor.hpp"
#include "platform/problem.hpp"

namespace backroom::http {

struct Route;

struct Request {
  std::string method;
  std::string target;  // as received, with query
  std::string path;    // path without query, still percent-encoded (params are decoded)
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased
  std::string body;
  std::string request_id;
  std::string remote;
  std::vector<std::string> params;  // {placeholders} of the matched route, in order
  const Route* route = nullptr;     // the matched route (set by dispatch)
  Actor actor;                      // set by authentication
  // Headers the guard adds to whatever this request is answered (rate limits); the router
  // puts them on the handler's response, or on the problem the guard threw.
  std::vector<std::pair<std::string, std::string>> response_headers;

  std::optional<std::string_view> header(std::string_view lower_name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  const std::string& param(std::size_t i) const { return params.at(i); }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is not `body` but what this produces, sent chunked as it comes: each
  // call appends the next bytes to `part` (empty at each call) and returns false with or after
  // the last ones. It runs on the connection's I/O thread between writes; whatever it holds
  // (a connection, a read snapshot) lives until the answer is sent or the client is gone. An
  // exception after the head is sent closes the connection (the client sees a cut answer).
  std::function<bool(std::string& part)> stream;

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

using Reply = std::function<void(Response)>;
using Handler = std::function<void(Request&, Reply)>;

Response json_response(int status, const boost::json::value& body);
Response problem_response(const Problem& problem, const Request* request = nullptr);
// Turns whatever a handler threw into a problem response (500 for the unexpected, logged).
Response error_response(std::exception_ptr error, const Request* request = nullptr);

// What a route does with an Idempotency-Key (docs/api.md, "Idempotency"; platform/app.cpp).
enum class Idempotency {
  not_mutating,   // GET/HEAD: nothing to repeat
  stored,         // the first 2xx answer is stored with the change and replayed for the same key and body
  stored_sealed,  // the same, the stored answer sealed under the shop key (it holds a secret shown once)
  natural,        // a POST that changes nothing (a quote, a rendering): repeating it is harmless
  none,           // the key is refused, for the reason in idempotency_note (signing in, signing out)
};
std::string_view idempotency_name(Idempotency i);

struct Route {
  std::string method;
  std::string pattern;     // "/api/v1/items/{id}"
  std::string permission;  // "items.read", "authenticated" or "public" (checked by add)
  std::string summary;
  Handler handler;
  std::vector<std::string> segments;
  Idempotency idempotency = Idempotency::not_mutating;  // add(): stored for POST/PUT/PATCH/DELETE
  std::string idempotency_note;
};

class Router {
 public:
  // Throws std::invalid_argument, naming the route, when `may_declare` is unset or refuses
  // `permission` (empty, misspelled, unknown): the server then does not start.
  void add(std::string method, std::string pattern, std::string permission, std::string summary, Handler handler);
  // States what a route added before does with an Idempotency-Key, when not `stored`, and why.
  // Throws std::invalid_argument for an unknown route or a GET.
  void set_idempotency(std::string_view method, std::string_view pattern, Idempotency idempotency, std::string note);
  // Finds the route, fills req.params, runs the guard, calls the handler; sends problems
  // for 404/405, for a route served without a guard (500), and for anything the guard or
  // the handler throws before replying.
  void dispatch(Request& req, const Reply& reply) const;
  const std::vector<Route>& routes() const { return routes_; }
  // Which permission names a route may declare (permission::install_vocabulary fills it).
  std::function<bool(std::string_view permission)> may_declare;
  // Called before a matched handler; may throw a Problem (authentication, permission).
  std::function<void(Request&, const Route&)> guard;
  // Called after the guard: answers a request whose answer is already known (an Idempotency-Key
  // replay, platform/app.cpp) and returns true, or returns false to run the handler.
  std::function<bool(Request&, const Reply&)> replay;

 private:
  std::vector<Route> routes_;
};

}  // namespace backroom::http
