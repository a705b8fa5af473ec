#include "planning/planning_api.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "access/audit.hpp"
#include "access/permissions.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/price_changes.hpp"
#include "planning/demand_days.hpp"
#include "planning/history_csv.hpp"
#include "planning/planning_json.hpp"
#include "planning/planning_store.hpp"
#include "planning/replenishment.hpp"
#include "platform/documents.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/periodic.hpp"
#include "purchasing/purchase_order.hpp"
#include "purchasing/purchase_orders.hpp"
#include "purchasing/supplier_store.hpp"
#include "stock/stock.hpp"

namespace backroom::planning {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr std::int64_t poll_seconds_default = 3600;
constexpr std::size_t category_length_max = 100;
constexpr std::int64_t service_level_milli_min = 500;  // 50 %
constexpr std::int64_t service_level_milli_max = 999;  // 99.9 %



std::string uuid_query(const Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) throw missing_field(name);
  auto id = normalize_uuid(*v);
  if (!id) throw invalid_field(name, fmt::format("{} must be a UUID", name));
  return *id;
}

std::string uuid_field(const json::Fields& f, std::string_view key) {
  auto id = normalize_uuid(f.text(key, 64));
  if (!id) throw invalid_field(f.name(key), fmt::format("{} must be a UUID", key));
  return *id;
}

constexpr int promotions_days_back_default = 28;
constexpr int promotions_days_ahead_default = 90;

// A day from ?name=YYYY-MM-DD, or `fallback` when it is absent.
Day date_query(const Request& req, const char* name, Day fallback) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return fallback;
  auto d = parse_date(*v);
  if (!d) throw invalid_field(name, fmt::format("{} is a date, YYYY-MM-DD", name));
  return *d;
}

// One row of the promotion calendar: its days, its price against the price it replaces (the
// price before it once applied, the item's price until then) and where it stands.
bj::object promotion_to_json(const catalog::PromotionEntry& e) {
  const auto& c = e.change;
  auto base = c.status == "applied" ? c.old_price : e.item_price;
  bj::value discount = nullptr;
  if (base && *base > 0)
    discount = std::round(1000.0 * static_cast<double>(*base - c.price) / static_cast<double>(*base)) / 10.0;
  return bj::object{{"id", c.id},
                    {"item_id", c.item_id},
                    {"sku", e.sku},
                    {"name", e.name},
                    {"tier", c.tier ? bj::value(*c.tier) : bj::value(nullptr)},
                    {"from", format_date(day_of(Timestamp{c.effective_at}))},
                    {"to", c.ends_at ? bj::value(format_date(last_day_before(Timestamp{*c.ends_at}))) : bj::value(nullptr)},
                    {"price", c.price},
                    {"regular_price", base ? bj::value(*base) : bj::value(nullptr)},
                    {"same_price", base && *base == c.price},
                    {"discount_percent", discount},
                    {"status", catalog::price_change_status(c)},
                    {"reason", c.reason}};
}

// A store location by id (422 naming `field` when it is not one).
void require_store(db::Db& db, const std::string& id, const std::string& field) {
  auto l = stock::load_location(db, id);
  if (!l) throw not_found("location", id);
  if (l->kind != "store") throw invalid_field(field, "planning orders for stores: location_id must be a store");
}

void require_supplier(db::Db& db, const std::string& id) {
  if (!purchasing::load_supplier(db, id)) throw not_found("supplier", id);
}

// Brings the demand history up to date on the writer, then the handler reads.
void refresh(App& app) {
  app.writer.run([](db::Db& db) { refresh_demand(db, today_utc()); });
}

}  // namespace

void register_planning_routes(App& app) {
  // The weekly preparation: every poll period, prepares the suppliers whose order day it is
  // and that were not prepared today (replenishment.hpp, prepare_due).
  auto job = std::make_shared<PeriodicWriterJob>(
      app.writer, "planning preparation",
      std::chrono::seconds(env_seconds("BACKROOM_PLANNING_POLL_SECONDS", poll_seconds_default)), [](db::Db& db) {
        if (int n = prepare_due(db, today_utc()); n > 0) spdlog::info("prepared suggestions of {} suppliers", n);
      });
  auto& r = app.router;

  r.add("GET", "/api/v1/replenishment/suggestions", std::string(permission::planning_read),
        "What to order from a supplier for a store, with the reason for every number (?location_id=&supplier_id=)",
        [&app, job](Request& req, Reply reply) {
          auto location_id = uuid_query(req, "location_id");
          auto supplier_id = uuid_query(req, "supplier_id");
          stock::check_location_scope(req.actor, location_id);
          refresh(app);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          require_store(db, location_id, "location_id");
          require_supplier(db, supplier_id);
          auto s = suggest_for_supplier(db, location_id, supplier_id, today_utc());
          auto body = suggestions_to_json(s);
          auto at = store::prepared_at(db, location_id, supplier_id);
          body["prepared_at"] = at ? bj::value(format_rfc3339(Timestamp{*at})) : bj::value(nullptr);
          reply(http::json_response(200, body));
        });

  r.add("POST", "/api/v1/replenishment/orders", std::string(permission::purchasing_order),
        "Turn accepted suggestions into a draft purchase order {location_id, supplier_id, lines:[{item_id, quantity}]}",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "location_id", "supplier_id", "lines"});
          purchasing::OrderInput in;
          in.key = documents::document_key(req, body);
          in.location_id = uuid_field(f, "location_id");
          in.supplier_id = uuid_field(f, "supplier_id");
          in.note = "From the reorder suggestions";
          const auto* lines = f.opt_array("lines");
          if (!lines) throw missing_field("lines");
          if (lines->empty()) throw invalid_field("lines", "an order has at least one line");
          if (lines->size() > purchasing::order_lines_max)
            throw invalid_field("lines", fmt::format("at most {} lines per order", purchasing::order_lines_max));
          for (std::size_t i = 0; i < lines->size(); ++i) {
            std::string path = fmt::format("lines[{}]", i);
            if (!(*lines)[i].is_object()) throw invalid_field(path, "a line is an object {item_id, quantity}");
            json::Fields lf{(*lines)[i].get_object(), path};
            lf.only({"item_id", "quantity"});
            purchasing::OrderLineInput line;
            line.item_id = uuid_field(lf, "item_id");
            line.quantity = lf.quantity("quantity");
            if (line.quantity.milli <= 0) throw invalid_field(lf.name("quantity"), "quantity must be greater than 0");
            if (line.quantity > Quantity::units(purchasing::line_quantity_units_max))
              throw invalid_field(lf.name("quantity"),
                                  fmt::format("quantity must be at most {}", purchasing::line_quantity_units_max));
            in.lines.push_back(std::move(line));
          }
          stock::check_location_scope(req.actor, in.location_id);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [in, actor](db::Db& db) {
            require_store(db, in.location_id, "location_id");
            auto p = purchasing::create_order(db, actor, in);
            auto response = http::json_response(p.replayed ? 200 : 201, p.document);
            response.header("Location", "/api/v1/purchase-orders/" + std::string(p.document.at("id").as_string()));
            return response;
          });
        });

  r.add("GET", "/api/v1/planning/series", std::string(permission::planning_read),
        "An item's daily demand at a store over the last 12 weeks (censored and promotion days marked) and its "
        "forecast for the next 4 weeks (?location_id=&item_id=)",
        [&app](Request& req, Reply reply) {
          auto location_id = uuid_query(req, "location_id");
          auto item_id = uuid_query(req, "item_id");
          stock::check_location_scope(req.actor, location_id);
          refresh(app);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          require_store(db, location_id, "location_id");
          if (!catalog::store::item_kind(db, item_id)) throw not_found("item", item_id);
          reply(http::json_response(200, series_to_json(location_id, item_id, series_view(db, location_id, item_id, today_utc()))));
        });

  r.add("GET", "/api/v1/planning/promotions", std::string(permission::planning_read),
        "The promotion calendar: flagged promotions (retail price, or a tier: marked `tier`) planned or run between ?from= and ?to= "
        "(YYYY-MM-DD; 28 days back to 90 ahead by default), by start, ?status= pending, approved, applied or ended; prices are the shop's, so ?location_id= only "
        "checks the store",
        [&app](Request& req, Reply reply) {
          auto today = today_utc();
          auto from = date_query(req, "from", today - std::chrono::days{promotions_days_back_default});
          auto to = date_query(req, "to", today + std::chrono::days{promotions_days_ahead_default});
          if (to < from) throw invalid_field("to", "to is on or after from");
          auto cursor = req.query_param("cursor").value_or("");
          if (!cursor.empty() && !is_uuid(cursor)) throw invalid_field("cursor", "cursor must be a next_cursor");
          auto status = req.query_param("status").value_or("");
          if (!status.empty() && status != "pending" && status != "approved" && status != "applied" && status != "ended")
            throw invalid_field("status", "status is pending, approved, applied (running) or ended");
          int limit = page_limit(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          if (auto location = req.query_param("location_id"); location && !location->empty()) {
            auto id = uuid_query(req, "location_id");
            stock::check_location_scope(req.actor, id);
            require_store(db, id, "location_id");
          }
          auto rows = catalog::store::list_promotions(db, start_of(from).micros,
                                                      start_of(to + std::chrono::days{1}).micros, status, cursor, limit);
          bool more = static_cast<int>(rows.size()) > limit;
          if (more) rows.pop_back();
          bj::array out;
          for (const auto& e : rows) out.push_back(promotion_to_json(e));
          reply(http::json_response(200, bj::object{{"promotions", std::move(out)},
                                                    {"next_cursor", more ? bj::value(rows.back().change.id) : bj::value(nullptr)}}));
        });

  r.add("GET", "/api/v1/planning/accuracy", std::string(permission::planning_read),
        "Forecast accuracy by week and category: WAPE, bias and MASE of the weekly forecasts kept (?weeks=1..26)",
        [&app](Request& req, Reply reply) {
          int weeks = 12;
          if (auto text = req.query_param("weeks")) {
            int v = 0;
            auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
            if (ec != std::errc() || end != text->data() + text->size() || v < 1 || v > accuracy_weeks_max)
              throw invalid_field("weeks", fmt::format("weeks is a whole number from 1 to {}", accuracy_weeks_max));
            weeks = v;
          }
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          reply(http::json_response(200, accuracy_to_json(accuracy(db, today_utc(), weeks))));
        });

  r.add("POST", "/api/v1/planning/prepare", std::string(permission::planning_manage),
        "Prepare every active supplier's suggestions now and keep this week's forecasts for accuracy; with "
        "{as_of: YYYY-MM-DD} in the past, keep only the forecasts made from the data before that day",
        [&app](Request& req, Reply reply) {
          std::optional<Day> as_of;
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"as_of"});
          if (auto text = f.opt_identifier("as_of", 10)) {
            as_of = parse_date(*text);
            if (!as_of) throw invalid_field("as_of", "as_of is a date YYYY-MM-DD");
            if (*as_of > today_utc()) throw invalid_field("as_of", "as_of is today or a day before");
            if (*as_of < today_utc() - std::chrono::days{ledger_days_max})
              throw invalid_field("as_of", fmt::format("as_of is within the last {} days", ledger_days_max));
          }
          Actor actor = req.actor;
          app.command(req, std::move(reply), [as_of, actor](db::Db& db) {
            Day today = today_utc();
            Day day = as_of.value_or(today);
            int n = prepare(db, day, today, false);
            append_audit(db, actor, AuditEntry{"planning.prepare", "planning", format_date(day), std::nullopt,
                                               json::serialize(bj::object{{"suppliers", n}})});
            return http::json_response(200, bj::object{{"as_of", format_date(day)}, {"suppliers", n}});
          });
        });

  r.add("GET", "/api/v1/planning/settings", std::string(permission::planning_read),
        "Target service levels (per item or category; the shop's default) and reorder points",
        [&app](Request&, Reply reply) {
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          reply(http::json_response(200, settings_to_json(store::service_levels(db), store::reorder_points(db, ""))));
        });

  r.add("PUT", "/api/v1/planning/service-levels", std::string(permission::planning_manage),
        "Set (or with null remove) the target service level of an item or a category {scope, key, service_level}",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"scope", "key", "service_level"});
          auto scope = f.text("scope", 20);
          if (scope != "item" && scope != "category") throw invalid_field("scope", "scope is item or category");
          std::string key;
          if (scope == "item") {
            key = uuid_field(f, "key");
          } else {
            key = f.text("key", category_length_max);
          }
          if (!body.contains("service_level")) throw missing_field("service_level");
          auto level = f.opt_quantity("service_level");
          if (level && (level->milli < service_level_milli_min || level->milli > service_level_milli_max))
            throw invalid_field("service_level", "service_level is a fraction from 0.5 to 0.999 (0.95 = 95%)");
          std::optional<std::int64_t> bp;
          if (level) bp = level->milli * 10;
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            if (scope == "item" && !catalog::store::item_kind(db, key)) throw invalid_field("key", "key must be an item's id");
            store::put_service_level(db, scope, key, bp, now().micros, actor.user);
            append_audit(db, actor, AuditEntry{"planning.service_level", scope, key, std::nullopt,
                                               json::serialize(bj::object{{"service_level_bp", bp ? bj::value(*bp) : bj::value(nullptr)}})});
            return http::json_response(200, settings_to_json(store::service_levels(db), store::reorder_points(db, "")));
          });
        });

  r.add("PUT", "/api/v1/planning/reorder-points", std::string(permission::planning_manage),
        "Set (or with null remove) the buyer's reorder point of an item at a store {item_id, location_id, reorder_point}",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"item_id", "location_id", "reorder_point"});
          auto item_id = uuid_field(f, "item_id");
          auto location_id = uuid_field(f, "location_id");
          if (!body.contains("reorder_point")) throw missing_field("reorder_point");
          auto point = f.opt_quantity("reorder_point");
          if (point && point->milli < 0) throw invalid_field("reorder_point", "reorder_point must be 0 or more");
          if (point && *point > Quantity::units(purchasing::line_quantity_units_max))
            throw invalid_field("reorder_point", fmt::format("reorder_point must be at most {}", purchasing::line_quantity_units_max));
          std::optional<std::int64_t> milli;
          if (point) milli = point->milli;
          stock::check_location_scope(req.actor, location_id);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            if (!catalog::store::item_kind(db, item_id)) throw invalid_field("item_id", "item_id must be an item's id");
            require_store(db, location_id, "location_id");
            store::put_reorder_point(db, item_id, location_id, milli, now().micros, actor.user);
            append_audit(db, actor, AuditEntry{"planning.reorder_point", "item", item_id, std::nullopt,
                                               json::serialize(bj::object{{"location_id", location_id},
                                                                          {"reorder_point", milli ? bj::value(*milli) : bj::value(nullptr)}})});
            return http::json_response(200, settings_to_json(store::service_levels(db), store::reorder_points(db, "")));
          });
        });
}

}  // namespace backroom::planning
