// Routes and request guard of access/auth (docs/security.md, docs/openapi.yaml tag auth).
#include "access/audit.hpp"
#include "access/auth_api.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "access/auth.hpp"
#include "access/auth_admin.hpp"
#include "access/auth_store.hpp"
#include "access/permissions.hpp"
#include "platform/json.hpp"
#include "platform/periodic.hpp"
#include "platform/rate_limit.hpp"
#include "platform/settings.hpp"
#include "platform/types.hpp"

namespace backroom::auth {

namespace bj = boost::json;
using http::Reply;
using http::Request;
using http::Response;

namespace {

constexpr std::string_view session_cookie = "backroom_session";
constexpr std::size_t slow_queue_max = 64;
constexpr std::size_t touch_memory_max = 100'000;

// argon2 costs ~160 ms and 64 MiB: it runs on these threads, never on the HTTP threads
// nor on the writer.
class SlowWork {
 public:
  explicit SlowWork(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
  }
  ~SlowWork() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  bool submit(std::function<void()> work) {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= slow_queue_max) return false;
    queue_.push_back(std::move(work));
    wake_.notify_one();
    return true;
  }

 private:
  void loop() {
    for (;;) {
      std::function<void()> work;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        work = std::move(queue_.front());
        queue_.pop_front();
      }
      try {
        work();
      } catch (const std::exception& e) {
        spdlog::error("auth: slow work failed: {}", e.what());
      }
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

struct State {
  explicit State(App& a) : app(a) {
    idle_micros = env_seconds("BACKROOM_SESSION_IDLE_SECONDS", session_idle_seconds_default) * 1'000'000;
    absolute_micros = env_seconds("BACKROOM_SESSION_ABSOLUTE_SECONDS", session_absolute_seconds_default) * 1'000'000;
    touch_interval_micros = std::min<std::int64_t>(last_used_update_interval_seconds * 1'000'000, idle_micros / 4);
  }
  App& app;
  std::int64_t idle_micros;
  std::int64_t absolute_micros;
  std::int64_t touch_interval_micros;
  std::once_flag superuser_once;
  std::vector<std::string> superuser_permissions;
  std::mutex mutex;
  std::unordered_map<std::string, std::int64_t> touched;  // key/session id -> last update submitted
  std::unordered_map<std::string, int> in_flight;         // sign-in throttle key -> attempts being checked
  SlowWork slow{2};
  RateLimiter rate;
  RateLimits limits;                 // the shop's `rate_limits` setting, read at most every limits_ttl
  std::int64_t limits_read_at = -1;  // micros

  // Everything the code and the route table name: what a superuser role holds.
  const std::vector<std::string>& all_permissions() {
    std::call_once(superuser_once, [this] {
      superuser_permissions = permission_catalogue();
      for (const auto& r : app.router.routes())
        if (r.permission != permission::public_route && r.permission != permission::authenticated)
          superuser_permissions.push_back(r.permission);
      std::sort(superuser_permissions.begin(), superuser_permissions.end());
      superuser_permissions.erase(std::unique(superuser_permissions.begin(), superuser_permissions.end()),
                                  superuser_permissions.end());
    });
    return superuser_permissions;
  }

  // Submits a last-used/last-seen update to the writer without waiting, at most once per
  // interval per id: the request never waits for it.
  template <class Update>
  void touch(const std::string& id, std::int64_t stored_at, Update update) {
    auto at = now().micros;
    if (at - stored_at < touch_interval_micros) return;
    {
      std::lock_guard lock(mutex);
      if (touched.size() > touch_memory_max) touched.clear();
      auto& last = touched[id];
      if (at - last < touch_interval_micros) return;
      last = at;
    }
    app.writer.submit([id, at, update](db::Db& db) { update(db, id, at); }, [](std::exception_ptr) {});
  }
};

enum class Via { key, session };
struct Principal {
  Via via;
  Actor actor;
  std::optional<store::SessionRow> session;
  std::optional<store::UserRow> user;
  std::optional<store::KeyRow> key;
};

Problem unauthenticated(std::string detail, bool token_given) {
  Problem p(401, "unauthenticated", std::move(detail));
  p.headers.emplace_back("WWW-Authenticate",
                         token_given ? R"(Bearer realm="backroom", error="invalid_token")" : R"(Bearer realm="backroom")");
  return p;
}

Problem forbidden(const std::string& permission) {
  Problem p(403, "forbidden", fmt::format("this needs the permission '{}', which your role does not have", permission));
  p.extra_json = bj::serialize(bj::object{{"permission", permission}});
  return p;
}

constexpr std::int64_t limits_ttl_micros = 10'000'000;  // another process's change is seen within 10 s
constexpr const char* rate_limits_key = "rate_limits";

// The shop's setting; before it has one, every role gets BACKROOM_RATE_LIMIT_PER_MINUTE (the
// operator's default; unset: rate_per_minute_default).
RateLimits read_limits(db::Db& db) {
  auto text = settings::get(db, rate_limits_key);
  if (text && !text->empty())
    return rate_limits_from_json(bj::parse(*text).as_object(), [](const std::string&) { return true; });
  RateLimits limits;
  limits.default_per_minute = static_cast<int>(
      std::min<std::int64_t>(env_seconds("BACKROOM_RATE_LIMIT_PER_MINUTE", rate_per_minute_default), rate_per_minute_max));
  return limits;
}

// Takes one request from the caller's bucket: the RateLimit headers go on the answer, and
// an empty bucket is 429 rate_limited with Retry-After.
void limit_rate(State& st, Request& req, const std::string& caller) {
  auto at = now();
  int per_minute = 0;
  {
    std::lock_guard lock(st.mutex);
    if (st.limits_read_at < 0 || at.micros - st.limits_read_at > limits_ttl_micros || at.micros < st.limits_read_at) {
      st.limits = read_limits(st.app.read());
      st.limits_read_at = at.micros;
    }
    per_minute = st.limits.for_role(req.actor.role);
  }
  auto d = st.rate.take(caller, per_minute, at);
  req.response_headers = {{"RateLimit-Limit", std::to_string(d.limit)},
                          {"RateLimit-Remaining", std::to_string(d.remaining)},
                          {"RateLimit-Reset", std::to_string(d.reset_seconds)}};
  if (!d.allowed) {
    Problem p(429, "rate_limited",
              fmt::format("more than {} requests a minute from this {}; try again in {} s", d.limit,
                          caller.starts_with("key:") ? "API key" : "session", d.retry_after_seconds));
    p.headers.emplace_back("Retry-After", std::to_string(d.retry_after_seconds));
    throw p;
  }
}

bool unsafe_method(std::string_view m) { return m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE"; }

std::vector<std::string> permissions_of(State& st, const std::optional<std::pair<bool, std::vector<std::string>>>& grants) {
  if (!grants) return {};
  return grants->first ? st.all_permissions() : grants->second;
}

std::vector<std::string> grants_of(State& st, db::Db& db, const std::string& role) {
  return permissions_of(st, store::role_grants(db, role));
}

Principal authenticate(State& st, const Request& req) {
  auto& db = st.app.read();
  auto at = now().micros;
  if (auto authorization = req.header("authorization")) {
    std::string_view value = *authorization;
    if (value.size() < 7 || !(value.substr(0, 7) == "Bearer " || value.substr(0, 7) == "bearer "))
      throw unauthenticated("use 'Authorization: Bearer <API key>'", true);
    auto token = parse_token(value.substr(7), "brk");
    if (!token) throw unauthenticated("the API key is malformed", true);
    // The key and its role's grants come in one statement (no transaction needed).
    auto found = store::load_key_with_grants(db, token->id);
    if (!found || !same_hash(found->key.secret_hash, secret_hash(token->secret)))
      throw unauthenticated("the API key is not valid", true);
    const auto& key = found->key;
    if (key.revoked_at) throw unauthenticated("the API key was revoked", true);
    if (key.expires_at && *key.expires_at <= at) throw unauthenticated("the API key has expired", true);
    Principal p{Via::key, {}, {}, {}, key};
    p.actor.user = "apikey:" + key.name;
    p.actor.origin = req.remote;
    p.actor.user_id = key.id;
    p.actor.role = key.role;
    p.actor.permissions = permissions_of(st, found->grants);
    p.actor.location_ids = key.location_ids;
    st.touch(key.id, key.last_used_at.value_or(0), store::touch_key);
    return p;
  }
  db::ReadSnapshot snapshot(db);  // the session, its user and its role's grants: one read transaction
  auto cookies = req.header("cookie");
  auto value = cookies ? cookie_value(*cookies, session_cookie) : std::nullopt;
  if (!value) throw unauthenticated("sign in (POST /api/v1/session) or send an API key", false);
  auto token = parse_token(*value, "bks");
  if (!token) throw unauthenticated("the session cookie is malformed; sign in again", false);
  auto session = store::load_session(db, token->id);
  if (!session || !same_hash(session->secret_hash, secret_hash(token->secret)))
    throw unauthenticated("the session has ended; sign in again", false);
  if (session->expires_at <= at || at - session->last_seen_at > st.idle_micros)
    throw unauthenticated("the session has expired; sign in again", false);
  auto user = store::user_by_id(db, session->user_id);
  if (!user || user->disabled) throw unauthenticated("the user is disabled; sign in again", false);
  Principal p{Via::session, {}, session, user, {}};
  p.actor.user = user->username;
  p.actor.origin = req.remote;
  p.actor.user_id = user->id;
  p.actor.role = user->role;
  p.actor.permissions = grants_of(st, db, user->role);
  st.touch(session->id, session->last_seen_at, store::touch_session);
  return p;
}

// A copy of what App::command needs from the request, safe to keep past the handler.
// What a command that finishes later needs of its request: where it came from, who sent it,
// and what App::command needs for an Idempotency-Key (the route, the key, the body's hash).
Request context_of(const Request& req) {
  Request c;
  c.path = req.path;
  c.request_id = req.request_id;
  c.remote = req.remote;
  c.method = req.method;
  c.route = req.route;
  c.actor = req.actor;
  if (auto key = req.header("idempotency-key")) {
    c.headers.emplace_back("idempotency-key", std::string(*key));
    c.body = req.body;
  }
  return c;
}

bj::object body_or_empty(const Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  return json::parse_object(req.body);
}

bj::array to_array(const std::vector<std::string>& v) {
  bj::array a;
  for (const auto& s : v) a.push_back(bj::value(s));
  return a;
}

std::string time_text(std::int64_t micros) { return format_rfc3339(Timestamp{micros}); }

bj::object session_body(const store::UserRow& user, const std::vector<std::string>& permissions,
                        const std::string& csrf, std::int64_t expires_at) {
  return bj::object{{"user", bj::object{{"id", user.id},
                                        {"username", user.username},
                                        {"display_name", user.display_name},
                                        {"role", user.role}}},
                    {"permissions", to_array(permissions)},
                    {"csrf_token", csrf},
                    {"expires_at", time_text(expires_at)}};
}

std::string cookie_header(const Request& req, const std::string& value, std::int64_t max_age_seconds) {
  std::string c = fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}", session_cookie, value,
                              max_age_seconds);
  if (auto proto = req.header("x-forwarded-proto"); proto && *proto == "https") c += "; Secure";
  return c;
}

// What a person typed to prove who they are, and the throttle bucket it counts against.
struct Credentials {
  std::string username;  // normalised; empty when not a possible user name
  std::string typed_username;
  std::optional<std::string> password;
  std::optional<std::string> pin;
  std::string throttle_key;
  std::string method() const { return pin ? "pin" : "password"; }
};

Credentials read_credentials(const json::Fields& f, const Request& req, std::string_view purpose) {
  Credentials c;
  c.typed_username = f.opt_identifier("username", username_length_max * 4).value_or("");
  if (c.typed_username.empty()) throw missing_field("username");
  c.username = normalize_username(c.typed_username).value_or("");
  c.password = f.opt_identifier("password", password_length_max);
  c.pin = f.opt_identifier("pin", 64);
  if (!c.password && !c.pin) throw Problem(422, "missing_field", "give 'password' or 'pin'", "password");
  if (c.password && c.pin) throw Problem(422, "invalid_field", "give 'password' or 'pin', not both", "pin");
  c.throttle_key = fmt::format("{}:{}|{}", purpose, c.username.empty() ? "?" : c.username, req.remote);
  return c;
}

Problem too_many_attempts(std::int64_t wait_seconds) {
  Problem p(429, "too_many_attempts",
            fmt::format("too many failed attempts; try again in {} seconds", wait_seconds));
  p.headers.emplace_back("Retry-After", std::to_string(wait_seconds));
  p.extra_json = bj::serialize(bj::object{{"retry_after", wait_seconds}});
  return p;
}

// Checks the throttle, then verifies the credentials on the slow threads and calls
// `then(ok, user)` there. Replies 429/503 itself when it cannot even try.
void verify_credentials(State& st, const Credentials& c, const Reply& reply,
                        std::function<void(bool, std::optional<store::UserRow>)> then) {
  auto& db = st.app.read();
  if (auto attempts = store::sign_in_attempts(db, c.throttle_key)) {
    if (auto wait = sign_in_wait_seconds(attempts->failures, attempts->last_failure_at, now().micros); wait > 0)
      throw too_many_attempts(wait);
  }
  {
    std::lock_guard lock(st.mutex);
    // Parallel guesses would outrun the failure counter.
    if (st.in_flight[c.throttle_key] >= 2) throw too_many_attempts(1);
    ++st.in_flight[c.throttle_key];
  }
  auto user = c.username.empty() ? std::nullopt : store::user_by_name(db, c.username);
  State* state = &st;
  bool queued = st.slow.submit([state, c, user, then = std::move(then)] {
    bool ok = false;
    if (user && !user->disabled) {
      if (c.password) ok = verify_password(user->password_hash, *c.password);
      else if (user->pin_hash) ok = verify_password(*user->pin_hash, *c.pin);
      else verify_password(dummy_password_hash(), *c.pin);
    } else {
      verify_password(dummy_password_hash(), c.password ? *c.password : *c.pin);
    }
    {
      std::lock_guard lock(state->mutex);
      if (--state->in_flight[c.throttle_key] <= 0) state->in_flight.erase(c.throttle_key);
    }
    then(ok, ok ? user : std::nullopt);
  });
  if (!queued) {
    std::lock_guard lock(st.mutex);
    if (--st.in_flight[c.throttle_key] <= 0) st.in_flight.erase(c.throttle_key);
    throw Problem(503, "busy", "too many sign-ins at once; retry in a moment");
  }
  (void)reply;
}

// Records a failed attempt and returns the 401 (the command commits the failure).
Response credential_failure(db::Db& db, const Credentials& c, const Request& ctx, const std::string& action) {
  store::record_sign_in_failure(db, c.throttle_key, now().micros);
  Actor who = Actor::of(c.username.empty() ? "(invalid user name)" : c.username, ctx.remote);
  append_audit(db, who,
               AuditEntry{action, "user", c.username, std::nullopt,
                          bj::serialize(bj::object{{"method", c.method()}, {"origin", ctx.remote}})});
  return http::problem_response(
      Problem(401, "invalid_credentials", "the user name or the " + c.method() + " is wrong"), &ctx);
}

// ?cursor= of the users and API-key lists: the next_cursor of a previous page (a user name or
// a key id, 1..200 characters); "" when absent.
std::string text_cursor(const Request& req) {
  auto text = req.query_param("cursor").value_or("");
  if (text.size() > 200) throw invalid_field("cursor", "cursor must be the next_cursor of a previous page");
  return std::string(text);
}

std::string key_id_param(const Request& req) {
  const auto& id = req.param(0);
  bool ok = id.size() == 16 && std::all_of(id.begin(), id.end(), [](char ch) {
              return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
            });
  if (!ok) throw not_found("API key", id.substr(0, 32));
  return id;
}

std::optional<std::int64_t> opt_time_field(const json::Fields& f, std::string_view key) {
  auto text = f.opt_identifier(key, 40);
  if (!text) return std::nullopt;
  auto t = parse_rfc3339(*text);
  if (!t) throw invalid_field(f.name(key), fmt::format("'{}' must be an RFC 3339 time", f.name(key)));
  return t->micros;
}

std::vector<std::string> read_permissions(const json::Fields& f) {
  std::vector<std::string> out;
  const auto* list = f.opt_array("permissions");
  if (!list) throw missing_field("permissions");
  if (list->size() > role_permissions_max) throw invalid_field("permissions", "too many permissions");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto field = fmt::format("permissions[{}]", i);
    if (!(*list)[i].is_string()) throw invalid_field(field, "a permission is a string such as 'items.read'");
    std::string p((*list)[i].get_string());
    if (!known_permission(p))
      throw Problem(422, "unknown_permission", fmt::format("'{}' is not a permission Backroom knows", p.substr(0, 64)),
                    field);
    out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void read_limits(const json::Fields& f, store::RoleRow& role) {
  const auto* limits = f.opt_object("limits");
  if (!limits) return;
  json::Fields lf{*limits, "limits"};
  lf.only({"discount_basis_points_max", "return_without_receipt_max"});
  if (limits->contains("discount_basis_points_max"))
    role.discount_basis_points_max = lf.opt_integer("discount_basis_points_max", 0, 10000);
  if (limits->contains("return_without_receipt_max"))
    role.return_without_receipt_max = lf.opt_money("return_without_receipt_max");
}

std::vector<std::string> read_location_ids(const json::Fields& f) {
  std::vector<std::string> out;
  if (const auto* list = f.opt_array("location_ids")) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto field = fmt::format("location_ids[{}]", i);
      if (!(*list)[i].is_string() || (*list)[i].get_string().size() > 64)
        throw invalid_field(field, "a location id is a string");
      out.emplace_back((*list)[i].get_string());
    }
  }
  return out;
}

}  // namespace

void register_auth_routes(App& app) {
  auto st = std::make_shared<State>(app);
  auto& r = app.router;

  r.guard = [st](Request& req, const http::Route& route) {
    if (route.permission == permission::public_route) return;
    auto principal = authenticate(*st, req);
    req.actor = std::move(principal.actor);
    limit_rate(*st, req, principal.via == Via::key ? "key:" + req.actor.user_id : "session:" + principal.session->id);
    if (principal.via == Via::session && unsafe_method(req.method)) {
      auto csrf = req.header("x-csrf-token");
      if (!csrf || !same_hash(*csrf, principal.session->csrf_token))
        throw Problem(403, "csrf_token_invalid",
                      "send the header X-CSRF-Token with the csrf_token of your session (GET /api/v1/session)");
    }
    if (route.permission == permission::authenticated) return;
    if (!req.actor.can(route.permission)) throw forbidden(route.permission);
  };

  // --- rate limits ---

  r.add("GET", "/api/v1/settings/rate-limits", std::string(permission::settings_write),
        "Requests a minute per API key or session, by role", [&app](Request&, Reply reply) {
          reply(http::json_response(200, rate_limits_to_json(read_limits(app.read()))));
        });
  r.add("PUT", "/api/v1/settings/rate-limits", std::string(permission::settings_write),
        "Set the requests a minute per API key or session, by role (others: default_per_minute)",
        [&app, st](Request& req, Reply reply) {
          auto& db = app.read();
          auto limits = rate_limits_from_json(json::parse_object(req.body), [&db](const std::string& role) {
            return store::load_role(db, role).has_value();
          });
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto text = bj::serialize(rate_limits_to_json(limits));
            settings::put(db, rate_limits_key, text);
            append_audit(db, actor, AuditEntry{"settings.rate_limits", "settings", rate_limits_key, std::nullopt, text});
            {
              std::lock_guard lock(st->mutex);
              st->limits_read_at = -1;  // this process applies it at once
            }
            return http::json_response(200, rate_limits_to_json(limits));
          });
        });

  // --- sessions ---

  r.add("POST", "/api/v1/session", std::string(permission::public_route), "Sign in with user name and password (or register PIN)",
        [st](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"username", "password", "pin"});
          auto c = read_credentials(f, req, "sign_in");
          auto ctx = context_of(req);
          std::string forwarded_proto(req.header("x-forwarded-proto").value_or(""));
          State* state = st.get();
          verify_credentials(*st, c, reply, [state, c, ctx, reply, forwarded_proto](bool ok, std::optional<store::UserRow> user) {
            state->app.command(ctx, reply, [state, c, ctx, ok, user, forwarded_proto](db::Db& db) -> Response {
              auto current = ok ? store::user_by_id(db, user->id) : std::nullopt;
              if (!current || current->disabled) return credential_failure(db, c, ctx, "session.sign_in_failed");
              store::clear_sign_in_failures(db, c.throttle_key);
              auto at = now().micros;
              auto token = new_token("bks");
              store::SessionRow s{token.id,  current->id, secret_hash(token.secret), random_hex(32), ctx.remote, at, at,
                                  at + state->absolute_micros};
              store::insert_session(db, s);
              Actor who = Actor::of(current->username, ctx.remote);
              who.user_id = current->id;
              who.role = current->role;
              append_audit(db, who,
                           AuditEntry{"session.sign_in", "user", current->id, std::nullopt,
                                      bj::serialize(bj::object{{"method", c.method()}, {"session", s.id}})});
              auto permissions = grants_of(*state, db, current->role);
              auto response = http::json_response(200, session_body(*current, permissions, s.csrf_token, s.expires_at));
              Request for_cookie;
              if (!forwarded_proto.empty()) for_cookie.headers.emplace_back("x-forwarded-proto", forwarded_proto);
              response.header("Set-Cookie", cookie_header(for_cookie, token.text(), state->absolute_micros / 1'000'000));
              return response;
            });
          });
        });

  r.set_idempotency("POST", "/api/v1/session", http::Idempotency::none, "signing in makes a new session each time; a retry signs in again");
  r.add("GET", "/api/v1/session", std::string(permission::authenticated), "Who is signed in, with permissions and CSRF token",
        [st](Request& req, Reply reply) {
          auto principal = authenticate(*st, req);
          if (principal.via == Via::session) {
            reply(http::json_response(200, session_body(*principal.user, principal.actor.permissions,
                                                        principal.session->csrf_token, principal.session->expires_at)));
            return;
          }
          const auto& k = *principal.key;
          reply(http::json_response(
              200, bj::object{{"user", bj::object{{"id", k.id}, {"username", "apikey:" + k.name}, {"display_name", k.name},
                                                  {"role", k.role}}},
                              {"permissions", to_array(principal.actor.permissions)},
                              {"csrf_token", nullptr},
                              {"expires_at", k.expires_at ? bj::value(time_text(*k.expires_at)) : bj::value(nullptr)}}));
        });

  r.add("DELETE", "/api/v1/session", std::string(permission::authenticated), "Sign out (ends this session)",
        [st](Request& req, Reply reply) {
          auto principal = authenticate(*st, req);
          Response cleared;
          cleared.status = 204;
          cleared.content_type = "application/json";
          cleared.header("Set-Cookie", cookie_header(req, "", 0));
          if (principal.via != Via::session) {
            reply(std::move(cleared));
            return;
          }
          auto id = principal.session->id;
          Actor actor = req.actor;
          st->app.command(req, std::move(reply), [id, actor, cleared](db::Db& db) {
            store::delete_session(db, id);
            append_audit(db, actor, AuditEntry{"session.sign_out", "user", actor.user_id, std::nullopt, std::nullopt});
            return cleared;
          });
        });

  // --- manager override at the register ---

  // Any signed-in person may ask (a clerk receiving past the tolerance, a cashier at the
  // till): what is approved is decided by the approver's credentials and permission.
  r.set_idempotency("DELETE", "/api/v1/session", http::Idempotency::none, "signing out twice is harmless and answers the same");
  r.add("POST", "/api/v1/overrides", std::string(permission::authenticated),
        "A manager or lead approves one action at the register (single use, about 2 minutes)",
        [st](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"username", "password", "pin", "permission", "reason"});
          auto permission = f.opt_identifier("permission", 64).value_or("");
          if (permission.empty()) throw missing_field("permission");
          if (!known_permission(permission))
            throw Problem(422, "unknown_permission", fmt::format("'{}' is not a permission", permission.substr(0, 64)),
                          "permission");
          auto reason = f.opt_text("reason", 500).value_or("");
          auto c = read_credentials(f, req, "override");
          auto ctx = context_of(req);
          Actor requester = req.actor;
          State* state = st.get();
          verify_credentials(*st, c, reply, [state, c, ctx, reply, requester, permission, reason](
                                                bool ok, std::optional<store::UserRow> user) {
            state->app.command(ctx, reply, [=](db::Db& db) -> Response {
              auto approver = ok ? store::user_by_id(db, user->id) : std::nullopt;
              if (!approver || approver->disabled) return credential_failure(db, c, ctx, "override.failed");
              store::clear_sign_in_failures(db, c.throttle_key);
              if (approver->id == requester.user_id)
                throw Problem(403, "self_approval", "an override must come from someone other than the requester");
              auto grants = grants_of(*state, db, approver->role);
              if (!std::binary_search(grants.begin(), grants.end(), permission)) {
                Problem p(403, "forbidden",
                          fmt::format("{} does not have the permission '{}' and cannot approve it", approver->username,
                                      permission));
                p.extra_json = bj::serialize(bj::object{{"permission", permission}});
                throw p;
              }
              auto at = now().micros;
              auto token = new_token("bko");
              store::OverrideRow o{token.id,          secret_hash(token.secret), permission, approver->id,
                                   requester.user_id, requester.user,            reason,     at,
                                   at + override_valid_seconds * 1'000'000, std::nullopt};
              store::insert_override(db, o);
              append_audit(db, requester,
                           AuditEntry{"override.grant", "override", o.id, std::nullopt,
                                      bj::serialize(bj::object{{"permission", permission},
                                                               {"approver", approver->username},
                                                               {"approver_id", approver->id},
                                                               {"requester", requester.user},
                                                               {"requester_id", requester.user_id},
                                                               {"reason", reason}})});
              return http::json_response(
                  201, bj::object{{"override_token", token.text()},
                                  {"approver", bj::object{{"id", approver->id}, {"username", approver->username}}},
                                  {"permission", permission},
                                  {"expires_at", time_text(o.expires_at)}});
            });
          });
        });

  // --- users ---

  r.set_idempotency("POST", "/api/v1/overrides", http::Idempotency::stored_sealed, "the answer holds a one-time override token");
  r.add("GET", "/api/v1/users", std::string(permission::users_manage), "List users by username, paged",
        [st](Request& req, Reply reply) {
          auto after = text_cursor(req);
          int limit = page_limit(req);
          reply(list_page("users", store::list_users(st->app.read(), after, limit), limit,
                          [](const store::UserRow& u) { return user_to_json(u); },
                          [](const store::UserRow& u) { return u.username; }));
        });

  r.add("POST", "/api/v1/users", std::string(permission::users_manage), "Create a user", [st](Request& req, Reply reply) {
    auto body = json::parse_object(req.body);
    json::Fields f{body, ""};
    f.only({"username", "display_name", "role", "password", "pin"});
    auto typed = f.opt_identifier("username", 200);
    if (!typed) throw missing_field("username");
    auto username = normalize_username(*typed);
    if (!username) throw invalid_field("username", "a user name is 1 to 64 of a-z, 0-9, '.', '_' and '-'");
    auto role = f.opt_identifier("role", 40);
    if (!role) throw missing_field("role");
    auto password = f.opt_identifier("password", password_length_max);
    if (!password) throw missing_field("password");
    if (auto why = password_problem(*password)) throw invalid_field("password", *why);
    auto pin = f.opt_identifier("pin", 64);
    if (pin)
      if (auto why = pin_problem(*pin)) throw invalid_field("pin", *why);
    store::UserRow user;
    user.username = *username;
    user.display_name = f.opt_text("display_name", 100).value_or(*username);
    user.role = *role;
    auto ctx = context_of(req);
    Actor actor = req.actor;
    State* state = st.get();
    if (!st->slow.submit([state, ctx, reply, actor, user, password = *password, pin]() mutable {
          user.password_hash = hash_password(password);
          if (pin) user.pin_hash = hash_password(*pin);
          state->app.command(ctx, reply, [actor, user](db::Db& db) {
            auto created = create_user(db, actor, user);
            auto response = http::json_response(201, user_to_json(created));
            response.header("Location", "/api/v1/users/" + created.id);
            return response;
          });
        }))
      throw Problem(503, "busy", "the server is busy; retry in a moment");
  });

  r.add("PATCH", "/api/v1/users/{id}", std::string(permission::users_manage),
        "Change a user: display name, role, disabled, password reset, PIN", [st](Request& req, Reply reply) {
          auto id = req.param(0).substr(0, 64);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"display_name", "role", "disabled", "password", "pin"});
          UserChange change;
          change.display_name = f.opt_text("display_name", 100);
          change.role = f.opt_identifier("role", 40);
          change.disabled = f.opt_boolean("disabled");
          auto password = f.opt_identifier("password", password_length_max);
          if (password)
            if (auto why = password_problem(*password)) throw invalid_field("password", *why);
          auto pin = f.opt_identifier("pin", 64);
          if (pin)
            if (auto why = pin_problem(*pin)) throw invalid_field("pin", *why);
          bool remove_pin = body.contains("pin") && body.at("pin").is_null();
          auto ctx = context_of(req);
          Actor actor = req.actor;
          State* state = st.get();
          auto run = [state, ctx, reply, actor, id, change, password, pin, remove_pin]() mutable {
            if (password) change.password_hash = hash_password(*password);
            if (pin) change.pin_hash = std::optional<std::string>(hash_password(*pin));
            if (remove_pin) change.pin_hash = std::optional<std::string>();
            state->app.command(ctx, reply, [actor, id, change](db::Db& db) {
              return http::json_response(200, user_to_json(update_user(db, actor, id, change)));
            });
          };
          if (!password && !pin) {
            run();
            return;
          }
          if (!st->slow.submit(std::move(run))) throw Problem(503, "busy", "the server is busy; retry in a moment");
        });

  // --- roles ---

  r.add("GET", "/api/v1/roles", std::string(permission::users_manage), "Roles with their permissions and limits",
        [st](Request&, Reply reply) {
          bj::array roles;
          for (const auto& role : store::list_roles(st->app.read())) roles.push_back(role_to_json(role));
          reply(http::json_response(200, bj::object{{"roles", std::move(roles)},
                                                    {"permissions", to_array(permission_catalogue())}}));
        });

  r.add("POST", "/api/v1/roles", std::string(permission::roles_manage), "Create a custom role from named permissions",
        [st](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"name", "description", "permissions", "limits"});
          store::RoleRow role;
          role.name = f.opt_identifier("name", 40).value_or("");
          if (role.name.empty()) throw missing_field("name");
          if (!valid_role_name(role.name)) throw invalid_field("name", "a role name is 1 to 40 of a-z, 0-9, '_' and '.'");
          role.description = f.opt_text("description", 200).value_or("");
          role.permissions = read_permissions(f);
          role.discount_basis_points_max = 0;
          role.return_without_receipt_max = 0;
          read_limits(f, role);
          Actor actor = req.actor;
          st->app.command(req, std::move(reply), [actor, role](db::Db& db) {
            if (store::load_role(db, role.name))
              throw Problem(409, "duplicate_role", fmt::format("role '{}' exists", role.name), "name");
            for (const auto& p : role.permissions)
              if (!actor.can(p)) throw forbidden(p);
            store::insert_role(db, role);
            auto stored = *store::load_role(db, role.name);
            append_audit(db, actor,
                         AuditEntry{"role.create", "role", role.name, std::nullopt, bj::serialize(role_to_json(stored))});
            return http::json_response(201, role_to_json(stored));
          });
        });

  r.add("PATCH", "/api/v1/roles/{name}", std::string(permission::roles_manage),
        "Change a role's limits, description or (custom roles) permissions", [st](Request& req, Reply reply) {
          auto name = req.param(0).substr(0, 40);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"description", "permissions", "limits"});
          auto description = f.opt_text("description", 200);
          std::optional<std::vector<std::string>> permissions;
          if (body.contains("permissions")) permissions = read_permissions(f);
          Actor actor = req.actor;
          st->app.command(req, std::move(reply), [actor, name, description, permissions, body](db::Db& db) {
            auto before = store::load_role(db, name);
            if (!before) throw not_found("role", name);
            if (permissions && before->builtin)
              throw Problem(409, "builtin_role",
                            fmt::format("the permissions of built-in role '{}' are fixed; create a custom role", name),
                            "permissions");
            auto after = *before;
            if (description) after.description = *description;
            if (permissions) {
              for (const auto& p : *permissions)
                if (!actor.can(p)) throw forbidden(p);
              after.permissions = *permissions;
            }
            json::Fields f{body, ""};
            read_limits(f, after);
            store::update_role(db, after);
            auto stored = *store::load_role(db, name);
            append_audit(db, actor,
                         AuditEntry{"role.update", "role", name, bj::serialize(role_to_json(*before)),
                                    bj::serialize(role_to_json(stored))});
            return http::json_response(200, role_to_json(stored));
          });
        });

  // --- API keys ---

  r.add("GET", "/api/v1/api-keys", std::string(permission::apikeys_manage), "List API keys by id, paged (never their secrets)",
        [st](Request& req, Reply reply) {
          auto after = text_cursor(req);
          int limit = page_limit(req);
          reply(list_page("api_keys", store::list_keys(st->app.read(), after, limit), limit,
                          [](const store::KeyRow& k) { return key_to_json(k); },
                          [](const store::KeyRow& k) { return k.id; }));
        });

  r.add("POST", "/api/v1/api-keys", std::string(permission::apikeys_manage),
        "Create an API key for a role (the key is in this response only)", [st](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"name", "role", "location_ids", "expires_at"});
          auto name = f.opt_text("name", 100).value_or("");
          if (name.empty()) throw missing_field("name");
          auto role = f.opt_identifier("role", 40);
          if (!role) throw missing_field("role");
          auto locations = read_location_ids(f);
          auto expires_at = opt_time_field(f, "expires_at");
          Actor actor = req.actor;
          st->app.command(req, std::move(reply), [=](db::Db& db) {
            auto issued = create_key(db, actor, name, *role, locations, expires_at);
            auto json = key_to_json(issued.row);
            json["key"] = issued.key;
            return http::json_response(201, json);
          });
        });

  r.set_idempotency("POST", "/api/v1/api-keys", http::Idempotency::stored_sealed, "the answer holds the new key, shown once");
  r.add("POST", "/api/v1/api-keys/{id}/rotate", std::string(permission::apikeys_manage),
        "Issue a new key; the old one keeps working for grace_seconds (default 24 h)", [st](Request& req, Reply reply) {
          auto id = key_id_param(req);
          auto body = body_or_empty(req);
          json::Fields f{body, ""};
          f.only({"grace_seconds"});
          auto grace = f.opt_integer("grace_seconds", 0, key_rotation_grace_seconds_max)
                           .value_or(key_rotation_grace_seconds_default);
          Actor actor = req.actor;
          st->app.command(req, std::move(reply), [=](db::Db& db) {
            auto issued = rotate_key(db, actor, id, grace);
            auto json = key_to_json(issued.row);
            json["key"] = issued.key;
            json["previous"] = key_to_json(*store::load_key(db, id));
            return http::json_response(201, json);
          });
        });

  r.set_idempotency("POST", "/api/v1/api-keys/{id}/rotate", http::Idempotency::stored_sealed, "the answer holds the new key, shown once");
  r.add("DELETE", "/api/v1/api-keys/{id}", std::string(permission::apikeys_manage), "Revoke an API key at once",
        [st](Request& req, Reply reply) {
          auto id = key_id_param(req);
          Actor actor = req.actor;
          st->app.command(req, std::move(reply),
                          [=](db::Db& db) { return http::json_response(200, key_to_json(revoke_key(db, actor, id))); });
        });

  // --- audit trail ---

  r.add("GET", "/api/v1/audit", std::string(permission::audit_read),
        "Audit entries, newest first (filters: entity, entity_id, actor, action, from, to)",
        [st](Request& req, Reply reply) {
          AuditFilter filter;
          filter.limit = page_limit(req);
          filter.entity = req.query_param("entity").value_or("").substr(0, 100);
          filter.entity_id = req.query_param("entity_id").value_or("").substr(0, 100);
          filter.actor = req.query_param("actor").value_or("").substr(0, 200);
          filter.action = req.query_param("action").value_or("").substr(0, 100);
          for (auto [name, slot] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
            if (auto text = req.query_param(name)) {
              auto t = parse_rfc3339(*text);
              if (!t) throw invalid_field(name, fmt::format("{} must be an RFC 3339 time", name));
              *slot = t->micros;
            }
          }
          if (auto cursor = req.query_param("cursor")) {
            std::int64_t seq = 0;
            auto [end, ec] = std::from_chars(cursor->data(), cursor->data() + cursor->size(), seq);
            if (ec != std::errc() || end != cursor->data() + cursor->size())
              throw invalid_field("cursor", "cursor must be the next_cursor of a previous page");
            filter.before_seq = seq;
          }
          auto entries = list_audit(st->app.read(), filter);
          bool more = static_cast<int>(entries.size()) > filter.limit;
          if (more) entries.pop_back();
          auto as_json = [](const std::optional<std::string>& text) -> bj::value {
            if (!text) return nullptr;
            bj::error_code ec;
            auto v = bj::parse(*text, ec);
            return ec ? bj::value(*text) : v;
          };
          bj::array out;
          for (const auto& e : entries)
            out.push_back(bj::object{{"seq", e.seq},
                                     {"at", time_text(e.at)},
                                     {"actor", e.actor},
                                     {"origin", e.origin},
                                     {"action", e.action},
                                     {"entity", e.entity},
                                     {"entity_id", e.entity_id},
                                     {"before", as_json(e.before)},
                                     {"after", as_json(e.after)},
                                     {"hash", e.hash}});
          reply(http::json_response(
              200, bj::object{{"entries", std::move(out)},
                              {"next_cursor", more ? bj::value(std::to_string(entries.back().seq)) : bj::value(nullptr)}}));
        });
}

}  // namespace backroom::auth
