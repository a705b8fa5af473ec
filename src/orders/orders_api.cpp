// HTTP routes of click-and-collect (docs/orders.md, docs/openapi.yaml tag online-orders), and
// the job that expires holds: a thread that wakes every BACKROOM_ORDER_EXPIRY_POLL_SECONDS
// (default 60) and lives as long as the router.
#include "orders/orders_api.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "access/permissions.hpp"
#include "labels/render.hpp"
#include "orders/orders.hpp"
#include "orders/staging_label.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/periodic.hpp"
#include "platform/settings.hpp"
#include "platform/text.hpp"
#include "sales/sales_json.hpp"
#include "stock/stock.hpp"

namespace backroom::orders {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

std::string uuid_field(const json::Fields& f, std::string_view key) {
  auto text = f.opt_identifier(key, 64);
  if (!text) throw missing_field(f.name(key));
  auto id = normalize_uuid(*text);
  if (!id) throw invalid_field(f.name(key), fmt::format("{} must be a UUID", key));
  return *id;
}

std::string id_param(const Request& req) { return documents::id_param(req, 0, "online order"); }

// A substitution link's token: 48 lowercase hex characters; anything else is an unknown offer.
std::string token_param(const Request& req) {
  auto token = std::string(req.param(0));
  if (token.size() != 48 || token.find_first_not_of("0123456789abcdef") != std::string::npos)
    throw Problem(404, "unknown_offer", "this link is not valid: ask the shop");
  return token;
}

std::string short_text(const json::Fields& f, std::string_view key, std::size_t max) {
  return std::string(text::trim(f.opt_text(key, max).value_or("")));
}

Customer customer_of(const json::Fields& f) {
  const auto* object = f.opt_object("customer");
  if (!object) throw missing_field("customer");
  json::Fields c{*object, "customer"};
  c.only({"name", "phone", "email"});
  Customer out{short_text(c, "name", customer_field_length_max), short_text(c, "phone", customer_field_length_max),
               short_text(c, "email", customer_field_length_max)};
  if (out.name.empty()) throw missing_field("customer.name");
  if (out.phone.empty() && out.email.empty())
    throw invalid_field("customer", "give the customer's phone or email: they are told when the order is ready");
  return out;
}

std::vector<LineInput> lines_of(const json::Fields& f) {
  const auto* array = f.opt_array("lines");
  if (!array || array->empty()) throw missing_field("lines");
  if (array->size() > order_lines_max)
    throw invalid_field("lines", fmt::format("at most {} lines per order", order_lines_max));
  std::vector<LineInput> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string path = fmt::format("lines[{}]", i);
    if (!(*array)[i].is_object()) throw invalid_field(path, "a line is an object {item_id | sku | gtin, quantity, unit_price}");
    json::Fields lf{(*array)[i].get_object(), path};
    lf.only({"item_id", "sku", "gtin", "quantity", "unit_price"});
    LineInput line;
    int named = lf.has("item_id") + lf.has("sku") + lf.has("gtin");
    if (named != 1) throw invalid_field(path, "name the item by exactly one of item_id, sku or gtin");
    if (lf.has("item_id")) line.item_id = uuid_field(lf, "item_id");
    line.sku = lf.opt_identifier("sku", 64);
    line.gtin = lf.opt_identifier("gtin", 64);
    line.quantity = lf.quantity("quantity");
    if (line.quantity.milli <= 0) throw invalid_field(lf.name("quantity"), "quantity must be greater than 0");
    if (line.quantity > Quantity::units(line_quantity_units_max))
      throw invalid_field(lf.name("quantity"), fmt::format("quantity must be at most {}", line_quantity_units_max));
    line.unit_price = lf.money("unit_price");
    out.push_back(std::move(line));
  }
  return out;
}

Timestamp time_field(const json::Fields& f, std::string_view key) {
  auto text = f.opt_identifier(key, 40);
  if (!text) throw missing_field(f.name(key));
  auto t = parse_rfc3339(*text);
  if (!t) throw invalid_field(f.name(key), fmt::format("{} must be an RFC 3339 time", key));
  return *t;
}

http::Response order_response(int status, const bj::object& order) {
  auto r = http::json_response(status, order);
  r.header("Location", "/api/v1/online-orders/" + std::string(order.at("id").as_string()));
  return r;
}

bj::object settings_json(db::Db& db) {
  auto feed = feed_settings(db);
  return bj::object{{"hold_expiry_hours", hold_expiry_hours(db)},
                    {"safety_buffer", json::quantity_value(feed.safety_buffer)},
                    {"low_stock_threshold", json::quantity_value(feed.low_stock_threshold)}};
}

std::optional<Quantity> units_field(const json::Fields& f, std::string_view key) {
  auto q = f.opt_quantity(key);
  if (q && (q->milli < 0 || *q > Quantity::units(line_quantity_units_max)))
    throw invalid_field(std::string(key), fmt::format("{} must be from 0 to {}", key, line_quantity_units_max));
  return q;
}

}  // namespace

OrderInput parse_order(const Request& req, const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"id", "channel", "external_id", "location_id", "promised_at", "customer", "lines", "paid"});
  OrderInput in;
  in.key = documents::document_key(req, body);
  in.channel = std::string(text::trim(f.opt_identifier("channel", channel_length_max).value_or("web")));
  if (in.channel.empty()) throw invalid_field("channel", "channel must not be blank");
  if (auto external = f.opt_identifier("external_id", external_id_length_max)) {
    if (text::trim(*external).empty()) throw invalid_field("external_id", "external_id must not be blank");
    in.external_id = std::string(text::trim(*external));
  }
  in.location_id = uuid_field(f, "location_id");
  in.promised_at = time_field(f, "promised_at");
  in.customer = customer_of(f);
  in.lines = lines_of(f);
  in.paid = f.opt_boolean("paid").value_or(false);
  return in;
}

void register_order_routes(App& app) {
  auto expiry = std::make_shared<PeriodicWriterJob>(
      app.writer, "hold expiry",
      std::chrono::seconds(env_seconds("BACKROOM_ORDER_EXPIRY_POLL_SECONDS", expiry_poll_seconds_default)),
      [](db::Db& db) {
        if (int n = expire_orders(db, now()); n > 0) spdlog::info("{} online orders expired, their holds released", n);
      });
  auto& r = app.router;
  r.add("POST", "/api/v1/online-orders", std::string(permission::orders_create),
        "Place an online order (Idempotency-Key); a paid order holds its units at once",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          auto in = parse_order(req, body);
          stock::check_location_scope(req.actor, in.location_id);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [in, actor](db::Db& db) {
            auto p = create_order(db, actor, in);
            return order_response(p.replayed ? 200 : 201, p.document);
          });
        });
  r.add("GET", "/api/v1/online-orders", std::string(permission::orders_read),
        "Online orders, newest first, by status or store", [&app](Request& req, Reply reply) {
          OrderFilter f;
          f.limit = page_limit(req);
          f.status = req.query_param("status").value_or("");
          if (!f.status.empty()) order_statuses.require(f.status, "status", "status must be " + order_statuses.allowed());
          if (auto l = req.query_param("location_id"); l && !l->empty()) {
            auto id = normalize_uuid(*l);
            if (!id) throw invalid_field("location_id", "location_id must be a UUID");
            stock::check_location_scope(req.actor, *id);
            f.location_id = *id;
          } else if (!req.actor.location_ids.empty()) {
            throw invalid_field("location_id", "a key scoped to stores names its store");
          }
          f.before_number = number_cursor(req);
          reply(list_page("online_orders", list_orders(app.read(), f), f.limit,
                          [](auto& o) { return std::move(o.document); },
                          [](const auto& o) { return std::to_string(o.number); }));
        });
  // Before /api/v1/online-orders/{id}: these paths would otherwise be read as an id.
  r.add("GET", "/api/v1/online-orders/refunds", std::string(permission::orders_manage),
        "Collected orders whose short-pick refund is still to settle", [&app](Request&, Reply reply) {
          reply(http::json_response(200, bj::object{{"online_orders", refunds_due(app.read())}}));
        });
  r.add("POST", "/api/v1/online-orders/pickup", std::string(permission::orders_pick),
        "Hand a ready order over by its pickup code: it becomes a sale, stock moves out once",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"pickup_code", "register_id", "tenders"});
          PickupInput in;
          in.pickup_code = text::trim(f.text("pickup_code", 40));
          for (auto& c : in.pickup_code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          if (in.pickup_code.empty()) throw invalid_field("pickup_code", "pickup_code must not be blank");
          in.register_id = f.opt_identifier("register_id", 64);
          in.tenders = sales::parse_tenders(body, "tenders");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [in, actor](db::Db& db) { return order_response(200, pickup(db, actor, in)); });
        });
  r.add("GET", "/api/v1/online-orders/{id}", std::string(permission::orders_read), "Read an online order",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto o = load_order_document(app.read(), id);
          if (!o) throw not_found("online order", id);
          stock::check_location_scope(req.actor, std::string(o->at("location_id").as_string()));
          reply(http::json_response(200, *o));
        });
  r.add("GET", "/api/v1/online-orders/{id}/staging-label", std::string(permission::orders_pick),
        "The label for a staged order's bag: number, first name, spot and the pickup code as Code 128 (PDF, 100 x 50 mm)",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto o = load_order_document(app.read(), id);
          if (!o) throw not_found("online order", id);
          stock::check_location_scope(req.actor, std::string(o->at("location_id").as_string()));
          const auto& spot = o->at("staging_spot");
          if (!spot.is_string() || o->at("status").as_string() != "ready")
            throw Problem(409, "not_staged", fmt::format("{} is {}: a staging label is printed once it is staged (ready)",
                                                         std::string(o->at("number").as_string()),
                                                         std::string(o->at("status").as_string())));
          const auto& customer = o->at("customer").as_object();
          auto name = customer.contains("name") && customer.at("name").is_string()
                          ? std::string(customer.at("name").as_string())
                          : std::string();
          auto layout = staging_label_layout(o->at("number").as_string(), name, spot.as_string(),
                                             o->at("pickup_code").as_string());
          labels::RenderOptions options{labels::find_template(staging_label_template), labels::Calibration{}, 0};
          http::Response r;
          r.status = 200;
          r.content_type = std::string(labels::content_type(labels::Format::pdf));
          r.body = labels::render_labels({layout}, labels::Format::pdf, options);
          r.header("Content-Disposition",
                   fmt::format("inline; filename=\"staging-{}.pdf\"", std::string(o->at("number").as_string())));
          reply(std::move(r));
        });
  r.add("POST", "/api/v1/online-orders/{id}/paid", std::string(permission::orders_create),
        "The customer paid: the order holds its units", [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) { return order_response(200, mark_paid(db, actor, id)); });
        });
  r.add("POST", "/api/v1/online-orders/{id}/cancel", std::string(permission::orders_manage),
        "Cancel an order still in the store's hands; its holds are released", [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"reason"});
          auto reason = std::string(text::trim(f.text("reason", reason_length_max)));
          if (reason.empty()) throw invalid_field("reason", "say why the order is cancelled");
          Actor actor = req.actor;
          app.command(req, std::move(reply),
                      [=](db::Db& db) { return order_response(200, cancel_order(db, actor, id, reason)); });
        });
  r.add("GET", "/api/v1/pick-queue", std::string(permission::orders_read),
        "What to pick at a store: open orders by promised time, then paid time", [&app](Request& req, Reply reply) {
          auto l = req.query_param("location_id");
          if (!l || l->empty()) throw missing_field("location_id");
          auto id = normalize_uuid(*l);
          if (!id) throw invalid_field("location_id", "location_id must be a UUID");
          stock::check_location_scope(req.actor, *id);
          reply(http::json_response(200, bj::object{{"online_orders", pick_queue(app.read(), *id)}}));
        });
  r.add("POST", "/api/v1/online-orders/{id}/pick", std::string(permission::orders_pick),
        "Pick by scanning an item's code (or naming it): a wrong item is refused with the reason",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"code", "item_id", "quantity"});
          PickInput in;
          in.code = f.opt_identifier("code", 200);
          if (f.has("item_id")) in.item_id = uuid_field(f, "item_id");
          if (in.code.has_value() == in.item_id.has_value()) throw invalid_field("code", "give the scanned code or the item_id");
          if (in.code && in.code->empty()) throw invalid_field("code", "code must not be blank");
          in.quantity = f.opt_quantity("quantity");
          if (in.quantity && in.quantity->milli <= 0) throw invalid_field("quantity", "quantity must be greater than 0");
          if (in.quantity && *in.quantity > Quantity::units(line_quantity_units_max))
            throw invalid_field("quantity", fmt::format("quantity must be at most {}", line_quantity_units_max));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) { return order_response(200, pick(db, actor, id, in)); });
        });
  r.add("POST", "/api/v1/online-orders/{id}/short", std::string(permission::orders_pick),
        "What is still to pick on a line is not there: the line is short", [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"line_id"});
          auto line_id = uuid_field(f, "line_id");
          Actor actor = req.actor;
          app.command(req, std::move(reply),
                      [=](db::Db& db) { return order_response(200, short_pick(db, actor, id, line_id)); });
        });
  r.add("GET", "/api/v1/online-orders/{id}/lines/{line_id}/substitutes", std::string(permission::orders_pick),
        "Items the short line could be offered instead: same category, in stock at the store, closest price first",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto line_id = normalize_uuid(req.param(1));
          if (!line_id) throw invalid_field("line_id", "line_id must be a UUID");
          reply(http::json_response(
              200, bj::object{{"items", substitute_candidates(app.read(), req.actor, id, *line_id)}}));
        });
  r.add("POST", "/api/v1/online-orders/{id}/substitutions", std::string(permission::orders_pick),
        "Offer a substitute for a short line: the customer is sent the choice and a link to accept or decline it",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"line_id", "item_id", "quantity", "unit_price"});
          OfferInput in;
          in.line_id = uuid_field(f, "line_id");
          in.item_id = uuid_field(f, "item_id");
          in.quantity = f.opt_quantity("quantity");
          if (in.quantity && in.quantity->milli <= 0) throw invalid_field("quantity", "quantity must be greater than 0");
          if (in.quantity && *in.quantity > Quantity::units(line_quantity_units_max))
            throw invalid_field("quantity", fmt::format("quantity must be at most {}", line_quantity_units_max));
          in.unit_price = f.opt_money("unit_price");
          // A price of one's own is money: only who manages orders sets one.
          if (in.unit_price && !req.actor.can(permission::orders_manage))
            throw Problem(403, "forbidden",
                          fmt::format("setting the substitute's price needs the permission '{}'; leave it out to offer "
                                      "the item at its price", permission::orders_manage),
                          "unit_price");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto offered = offer_substitute(db, actor, id, in);
            offered.document["link_path"] = substitution_link_path(offered.token);
            auto r = http::json_response(201, offered.document);
            r.header("Location", "/api/v1/online-orders/" + id);
            return r;
          });
        });
  r.set_idempotency("POST", "/api/v1/online-orders/{id}/substitutions", http::Idempotency::stored_sealed,
                    "the answer holds the customer's link, whose token is a secret");
  r.add("GET", "/api/v1/substitution-offers/{token}", std::string(permission::public_route),
        "What a customer's substitution link shows: the short item, the one offered, the price difference",
        [&app](Request& req, Reply reply) {
          auto token = token_param(req);
          auto offer = substitution_offer(app.read(), token);
          if (!offer) throw Problem(404, "unknown_offer", "this link is not valid: ask the shop");
          reply(http::json_response(200, *offer));
        });
  r.add("GET", "/api/v1/substitution-offers/{token}/photo", std::string(permission::public_route),
        "The photo of the item a customer's substitution link offers (ETag, 304 when unchanged)",
        [&app](Request& req, Reply reply) {
          auto token = token_param(req);
          auto photo = substitution_offer_photo(app.read(), token);
          if (!photo) throw Problem(404, "no_photo", "there is no photo for this offer");
          reply(catalog::photo_response(std::move(*photo), req.header("if-none-match")));
        });
  for (const char* answer : {"accept", "decline"}) {
    bool accept = std::string_view(answer) == "accept";
    auto path = fmt::format("/api/v1/substitution-offers/{{token}}/{}", answer);
    r.add("POST", path, std::string(permission::public_route),
          accept ? "The customer accepts the substitute (by the link they were sent)"
                 : "The customer declines the substitute: the line stays short and is refunded",
          [&app, accept](Request& req, Reply reply) {
            auto token = token_param(req);
            app.command(req, std::move(reply),
                        [=](db::Db& db) { return http::json_response(200, answer_substitution(db, token, accept)); });
          });
    r.set_idempotency("POST", path, http::Idempotency::none,
                      "a customer's link: the same answer again answers the same, another answer is 409");
  }
  r.add("POST", "/api/v1/online-orders/{id}/stage", std::string(permission::orders_pick),
        "Packed: the order gets its staging spot and is ready for pickup", [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"spot"});
          auto spot = short_text(f, "spot", staging_spot_length_max);
          if (spot.empty()) throw missing_field("spot");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) { return order_response(200, stage(db, actor, id, spot)); });
        });
  r.add("POST", "/api/v1/online-orders/{id}/refund", std::string(permission::orders_manage),
        "Settle a collected order's short-pick refund", [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) { return order_response(200, settle_refund(db, actor, id)); });
        });
  // The order's answers show the customer's contact as the order was placed: a stored answer
  // (Idempotency-Key replay) is sealed like the order's own columns.
  for (const char* path : {"/api/v1/online-orders", "/api/v1/online-orders/pickup", "/api/v1/online-orders/{id}/paid",
                           "/api/v1/online-orders/{id}/cancel", "/api/v1/online-orders/{id}/pick",
                           "/api/v1/online-orders/{id}/short", "/api/v1/online-orders/{id}/stage",
                           "/api/v1/online-orders/{id}/refund"})
    r.set_idempotency("POST", path, http::Idempotency::stored_sealed, "the answer holds the customer's contact data");
  r.add("GET", "/api/v1/settings/orders", std::string(permission::orders_read), "Click-and-collect settings",
        [&app](Request&, Reply reply) { reply(http::json_response(200, settings_json(app.read()))); });
  r.add("PATCH", "/api/v1/settings/orders", std::string(permission::orders_manage),
        "Set how long holds last after an order's promised time, and the availability feed's safety buffer and low-stock threshold", [&app, expiry](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"hold_expiry_hours", "safety_buffer", "low_stock_threshold"});
          auto hours = f.opt_integer("hold_expiry_hours", 1, hold_expiry_hours_max);
          auto buffer = units_field(f, "safety_buffer");
          auto low = units_field(f, "low_stock_threshold");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            if (hours) set_hold_expiry_hours(db, actor, *hours);
            if (buffer || low) {
              auto feed = feed_settings(db);
              if (buffer) feed.safety_buffer = *buffer;
              if (low) feed.low_stock_threshold = *low;
              set_feed_settings(db, actor, feed);
            }
            return http::json_response(200, settings_json(db));
          });
        });
}

}  // namespace backroom::orders
