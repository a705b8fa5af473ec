// Inbound orders from Shopify and WooCommerce (orders/channels.hpp): the shop sets each
// channel's secret and store (PUT /api/v1/integrations/{channel}, the secret sealed under the
// shop key), the channel posts its order webhooks to /api/v1/integrations/{channel}/orders.
// A forged or missing signature is 401 and logged; a replayed delivery answers the order it
// made and changes nothing. SQL of order_channels and order_channel_deliveries here too.
#include <fmt/format.h>

#include "access/audit.hpp"
#include "access/permissions.hpp"
#include "orders/channels.hpp"
#include "orders/orders.hpp"
#include "orders/orders_api.hpp"
#include "platform/documents.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/secret_box.hpp"
#include "platform/settings.hpp"
#include "stock/stock.hpp"

namespace backroom::orders {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

struct ChannelConfig {
  std::string sealed_secret;
  std::string location_id;
  std::string updated_by;
  Timestamp updated_at;
};

std::optional<ChannelConfig> load_channel(db::Db& db, Channel c) {
  auto q = db.query("SELECT secret, location_id, updated_by, updated_at FROM order_channels WHERE channel = ?");
  q.bind(1, std::string(word(c)));
  if (!q.step()) return std::nullopt;
  return ChannelConfig{q.text(0), q.text(1), q.text(2), Timestamp{q.int64(3)}};
}

void save_channel(db::Db& db, Channel c, const ChannelConfig& config) {
  db.query("DELETE FROM order_channels WHERE channel = ?").bind(1, std::string(word(c))).run();
  db.query("INSERT INTO order_channels (channel, secret, location_id, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)")
      .bind(1, std::string(word(c)))
      .bind(2, config.sealed_secret)
      .bind(3, config.location_id)
      .bind(4, config.updated_by)
      .bind(5, config.updated_at.micros)
      .run();
}

void log_delivery(db::Db& db, Channel c, std::string_view outcome, int status, const std::string& detail,
                  const std::optional<std::string>& order_id, const std::string& body_hash) {
  db.query(
        "INSERT INTO order_channel_deliveries (channel, outcome, http_status, detail, order_id, body_hash, received_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, std::string(word(c)))
      .bind(2, outcome)
      .bind(3, status)
      .bind(4, detail.substr(0, 500))
      .bind(5, order_id)
      .bind(6, body_hash)
      .bind(7, now().micros)
      .run();
}

bj::array deliveries(db::Db& db, Channel c, int limit) {
  bj::array out;
  auto q = db.query(
      "SELECT seq, outcome, http_status, detail, order_id, received_at FROM order_channel_deliveries WHERE channel = ? "
      "ORDER BY seq DESC LIMIT ?");
  q.bind(1, std::string(word(c))).bind(2, limit);
  while (q.step()) {
    auto order = q.opt_text(4);
    out.push_back(bj::object{{"seq", q.int64(0)},
                             {"outcome", q.text(1)},
                             {"http_status", q.int64(2)},
                             {"detail", q.text(3)},
                             {"order_id", order ? bj::value(*order) : bj::value(nullptr)},
                             {"received_at", format_rfc3339(Timestamp{q.int64(5)})}});
  }
  return out;
}

bj::object channel_json(Channel c, const std::optional<ChannelConfig>& config) {
  if (!config) return bj::object{{"channel", word(c)}, {"configured", false}};
  return bj::object{{"channel", word(c)},
                    {"configured", true},
                    {"location_id", config->location_id},
                    {"updated_by", config->updated_by},
                    {"updated_at", format_rfc3339(config->updated_at)}};
}

Channel channel_param(const Request& req) {
  auto c = channels.parse(req.param(0));
  if (!c) throw not_found("integration", req.param(0).substr(0, 40));
  return *c;
}

http::Response refused(int status, const std::string& code, const std::string& detail) {
  return http::problem_response(Problem(status, code, detail));
}

}  // namespace

void register_channel_routes(App& app) {
  auto& r = app.router;
  r.add("GET", "/api/v1/integrations/{channel}", std::string(permission::integrations_read),
        "A web shop's order webhook settings (never its secret) and its latest deliveries",
        [&app](Request& req, Reply reply) {
          auto c = channel_param(req);
          auto& db = app.read();
          auto doc = channel_json(c, load_channel(db, c));
          doc["deliveries"] = deliveries(db, c, 50);
          reply(http::json_response(200, doc));
        });
  r.add("PUT", "/api/v1/integrations/{channel}", std::string(permission::integrations_manage),
        "Set a web shop's webhook secret (stored sealed) and the store its orders are collected at",
        [&app](Request& req, Reply reply) {
          auto c = channel_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"secret", "location_id"});
          auto secret = f.opt_identifier("secret", channel_secret_length_max);
          if (!secret) throw missing_field("secret");
          if (secret->size() < channel_secret_length_min)
            throw invalid_field("secret", fmt::format("a secret has at least {} characters", channel_secret_length_min));
          auto location_text = f.opt_identifier("location_id", 64);
          if (!location_text) throw missing_field("location_id");
          auto location_id = normalize_uuid(*location_text);
          if (!location_id) throw invalid_field("location_id", "location_id must be a UUID");
          ChannelConfig config{secret_box::seal(app.db_path, *secret), *location_id, req.actor.user, {}};
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) mutable {
            auto location = stock::require_location(db, config.location_id, "location_id");
            if (!location.sellable) throw invalid_field("location_id", fmt::format("{} is not a store", location.name));
            auto before = load_channel(db, c);
            config.updated_at = now();
            save_channel(db, c, config);
            auto doc = channel_json(c, config);
            append_audit(db, actor,
                         AuditEntry{"integration.update", "integration", std::string(word(c)),
                                    before ? std::optional(bj::serialize(channel_json(c, before))) : std::nullopt,
                                    bj::serialize(doc)});
            return http::json_response(200, doc);
          });
        });
  r.add("POST", "/api/v1/integrations/{channel}/orders", std::string(permission::public_route),
        "A web shop's order webhook, signed with HMAC-SHA256 of the body (401 when the signature is wrong)",
        [&app](Request& req, Reply reply) {
          auto c = channel_param(req);
          auto body_hash = documents::request_hash(req.body);
          auto& reader = app.read();
          auto config = load_channel(reader, c);
          std::string problem;
          if (!config) {
            problem = fmt::format("{} is not set up: PUT /api/v1/integrations/{} first", word(c), word(c));
          } else {
            auto header = req.header(signature_header(c));
            std::string secret;
            try {
              secret = secret_box::open(app.db_path, config->sealed_secret);
            } catch (const std::exception&) {
              problem = "the channel's secret does not open under this shop's key: set it again";
            }
            if (problem.empty() && (!header || !signature_valid(secret, req.body, *header)))
              problem = fmt::format("the {} signature does not match the body", signature_header(c));
          }
          if (!problem.empty()) {
            // Logged, then refused: the delivery log shows forged and misrouted calls.
            app.command(req, std::move(reply), [=](db::Db& db) {
              log_delivery(db, c, "refused", 401, problem, std::nullopt, body_hash);
              return refused(401, "bad_signature", problem);
            });
            return;
          }
          auto payload = json::parse_object(req.body);
          ChannelContext context;
          context.location_id = config->location_id;
          context.currency_decimals = settings::currency_decimals(reader);
          context.received_at = now();
          auto mapping = integrations::latest_mapping(reader, std::string(word(c)));
          context.mapping = mapping ? &*mapping : nullptr;
          OrderInput in;
          try {
            in = order_from_payload(c, payload, context);
          } catch (const Problem& p) {
            app.command(req, std::move(reply), [=](db::Db& db) {
              log_delivery(db, c, "refused", p.status, p.detail, std::nullopt, body_hash);
              return http::problem_response(p);
            });
            return;
          }
          in.key.request_hash = body_hash;
          Actor actor = Actor::of(fmt::format("channel:{}", word(c)), req.remote);
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto posted = create_order(db, actor, in);
            log_delivery(db, c, posted.replayed ? "replayed" : "created", posted.replayed ? 200 : 201, "",
                         std::string(posted.document.at("id").as_string()), body_hash);
            return http::json_response(posted.replayed ? 200 : 201, posted.document);
          });
        });
  r.set_idempotency("POST", "/api/v1/integrations/{channel}/orders", http::Idempotency::none,
                    "a channel's deliveries are told apart by their own delivery id and signature, not by a key");
}

}  // namespace backroom::orders
