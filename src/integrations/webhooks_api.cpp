// /api/v1/webhooks/... and /api/v1/alerts: endpoints, secrets, the delivery log, the
// dead-letter queue and replay, alerts (docs/webhooks.md).
#include <fmt/format.h>

#include "access/permissions.hpp"
#include "integrations/webhooks.hpp"
#include "platform/app.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"

namespace backroom::integrations::webhooks {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

std::string uuid_param(const Request& req, std::size_t i, const std::string& what) {
  auto id = normalize_uuid(req.param(i));
  if (!id) throw not_found(what, req.param(i).substr(0, 80));
  return *id;
}

std::string message_param(const Request& req) {
  const auto& id = req.param(0);
  if (!id.starts_with("msg_") || id.size() > 40) throw not_found("webhook message", id.substr(0, 80));
  return id;
}

// An optional JSON body (these POSTs may come without one).
bj::object optional_body(const Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return {};
  return json::parse_object(req.body);
}

std::string optional_uuid_query(const Request& req, const char* name) {
  auto text = req.query_param(name).value_or("");
  if (text.empty()) return "";
  auto id = normalize_uuid(text);
  if (!id) throw invalid_field(name, fmt::format("{} must be an id", name));
  return *id;
}

http::Response with_secret(int status, const WithSecret& w) {
  auto body = endpoint_to_json(w.endpoint);
  body["secret"] = w.secret;
  auto r = http::json_response(status, body);
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void register_webhook_routes(App& app) {
  auto& r = app.router;
  const std::string read = std::string(permission::integrations_read);
  const std::string manage = std::string(permission::integrations_manage);

  r.add("GET", "/api/v1/webhooks/event-types", read, "The event types an endpoint may subscribe to",
        [](Request&, Reply reply) {
          bj::array types;
          for (const auto& t : event_catalog()) types.push_back(bj::value(t));
          reply(http::json_response(200, bj::object{{"event_types", std::move(types)}}));
        });

  r.add("POST", "/api/v1/webhooks/endpoints", manage,
        "Register a webhook endpoint {url, event_types, description, owner}; answers its secret once",
        [&app](Request& req, Reply reply) {
          auto in = endpoint_input_from_json(json::parse_object(req.body));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [in, actor, location = app.db_path](db::Db& db) {
            auto created = create_endpoint(db, location, actor, in);
            auto response = with_secret(201, created);
            response.header("Location", "/api/v1/webhooks/endpoints/" + created.endpoint.id);
            return response;
          });
        });

  r.set_idempotency("POST", "/api/v1/webhooks/endpoints", http::Idempotency::stored_sealed, "the answer holds the signing secret, shown once");
  r.add("GET", "/api/v1/webhooks/endpoints", read, "Webhook endpoints with their queue and dead-letter counts",
        [&app](Request& req, Reply reply) {
          auto after = optional_uuid_query(req, "cursor");
          int limit = page_limit(req);
          reply(list_page("endpoints", list_endpoints(app.read(), after, limit), limit, endpoint_to_json,
                          [](const Endpoint& e) { return e.id; }));
        });

  r.add("GET", "/api/v1/webhooks/endpoints/{id}", read, "One webhook endpoint (never its secret)",
        [&app](Request& req, Reply reply) {
          auto id = uuid_param(req, 0, "webhook endpoint");
          auto e = load_endpoint(app.read(), id);
          if (!e) throw not_found("webhook endpoint", id);
          auto response = http::json_response(200, endpoint_to_json(*e));
          response.header("ETag", etag(e->version));
          reply(std::move(response));
        });

  r.add("PATCH", "/api/v1/webhooks/endpoints/{id}", manage,
        "Change an endpoint's url, event types, description or owner, or disable/enable it (If-Match or version)",
        [&app](Request& req, Reply reply) {
          auto id = uuid_param(req, 0, "webhook endpoint");
          auto body = json::parse_object(req.body);
          auto patch = endpoint_patch_from_json(body);
          auto version = expected_version(req, &body);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto e = update_endpoint(db, actor, id, version, patch);
            auto response = http::json_response(200, endpoint_to_json(e));
            response.header("ETag", etag(e.version));
            return response;
          });
        });

  r.add("DELETE", "/api/v1/webhooks/endpoints/{id}", manage,
        "Delete an endpoint with its queue, delivery log and alerts", [&app](Request& req, Reply reply) {
          auto id = uuid_param(req, 0, "webhook endpoint");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            delete_endpoint(db, actor, id);
            http::Response gone;
            gone.status = 204;
            gone.content_type.clear();
            return gone;
          });
        });

  r.add("POST", "/api/v1/webhooks/endpoints/{id}/rotate", manage,
        "A new signing secret, answered once; the old one keeps signing for 24 h", [&app](Request& req, Reply reply) {
          auto id = uuid_param(req, 0, "webhook endpoint");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [id, actor, location = app.db_path](db::Db& db) {
            return with_secret(200, rotate_secret(db, location, actor, id));
          });
        });

  r.set_idempotency("POST", "/api/v1/webhooks/endpoints/{id}/rotate", http::Idempotency::stored_sealed, "the answer holds the new signing secret, shown once");
  r.add("GET", "/api/v1/webhooks/endpoints/{id}/attempts", read,
        "The delivery log of an endpoint, newest first (status, latency, error tag, a response excerpt)",
        [&app](Request& req, Reply reply) {
          auto id = uuid_param(req, 0, "webhook endpoint");
          auto before = number_cursor(req);
          int limit = page_limit(req);
          auto& db = app.read();
          if (!load_endpoint(db, id)) throw not_found("webhook endpoint", id);
          reply(list_page("attempts", list_attempts(db, id, before, limit), limit, attempt_to_json,
                          [](const AttemptRecord& a) { return std::to_string(a.seq); }));
        });

  r.add("GET", "/api/v1/webhooks/messages/{id}", read,
        "One message by its webhook-id: status, tries, when it is tried next, its payload",
        [&app](Request& req, Reply reply) {
          auto id = message_param(req);
          auto m = load_message(app.read(), id);
          if (!m) throw not_found("webhook message", id);
          reply(http::json_response(200, message_to_json(*m)));
        });

  r.add("GET", "/api/v1/webhooks/dead-letters", read,
        "Messages whose delivery gave up, newest first (?endpoint_id=)", [&app](Request& req, Reply reply) {
          auto endpoint_id = optional_uuid_query(req, "endpoint_id");
          auto before = number_cursor(req);
          int limit = page_limit(req);
          reply(list_page("dead_letters", list_dead_letters(app.read(), endpoint_id, before, limit), limit,
                          message_to_json, [](const Message& m) { return std::to_string(m.seq); }));
        });

  r.add("POST", "/api/v1/webhooks/dead-letters/replay", manage,
        "Put an endpoint's dead letters made since a time back in its queue {endpoint_id, since}",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"endpoint_id", "since"});
          auto endpoint_text = f.opt_identifier("endpoint_id", 64);
          if (!endpoint_text) throw missing_field("endpoint_id");
          auto endpoint_id = normalize_uuid(*endpoint_text);
          if (!endpoint_id) throw invalid_field("endpoint_id", "endpoint_id must be an endpoint's id");
          auto since_text = f.opt_identifier("since", 40);
          if (!since_text) throw missing_field("since");
          auto since = parse_rfc3339(*since_text);
          if (!since) throw invalid_field("since", "since must be an RFC 3339 time");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=, id = *endpoint_id, at = since->micros](db::Db& db) {
            int n = replay_dead_letters(db, actor, id, at);
            return http::json_response(200, bj::object{{"endpoint_id", id}, {"replayed", n}});
          });
        });

  r.add("POST", "/api/v1/webhooks/dead-letters/{id}/replay", manage,
        "Put one dead letter back in its endpoint's queue", [&app](Request& req, Reply reply) {
          auto id = message_param(req);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, message_to_json(replay_dead_letter(db, actor, id)));
          });
        });

  r.add("GET", "/api/v1/alerts", read,
        "Delivery failures grouped by endpoint and error tag, newest first (?status=open|acknowledged|resolved)",
        [&app](Request& req, Reply reply) {
          auto status = req.query_param("status").value_or("");
          if (!status.empty() && status != "open" && status != "acknowledged" && status != "resolved")
            throw invalid_field("status", "status is open, acknowledged or resolved");
          auto after = optional_uuid_query(req, "cursor");
          int limit = page_limit(req);
          reply(list_page("alerts", list_alerts(app.read(), status, after, limit), limit, alert_to_json,
                          [](const Alert& a) { return a.id; }));
        });

  r.add("POST", "/api/v1/alerts/{id}/acknowledge", manage, "Say someone is on it {note?}",
        [&app](Request& req, Reply reply) {
          auto id = uuid_param(req, 0, "alert");
          auto body = optional_body(req);
          json::Fields f{body, ""};
          f.only({"note"});
          auto note = f.opt_text("note", description_length_max);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, alert_to_json(acknowledge_alert(db, actor, id, note)));
          });
        });

  r.add("POST", "/api/v1/alerts/{id}/resolve", manage, "Close an alert with its root cause {note}",
        [&app](Request& req, Reply reply) {
          auto id = uuid_param(req, 0, "alert");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"note"});
          auto note = f.text("note", description_length_max);
          if (note.find_first_not_of(" \t") == std::string::npos)
            throw invalid_field("note", "say what the root cause was");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, alert_to_json(resolve_alert(db, actor, id, note)));
          });
        });
}

}  // namespace backroom::integrations::webhooks
