#include "catalog/price_changes_api.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

#include "access/permissions.hpp"
#include "catalog/price_changes.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/periodic.hpp"
#include "platform/types.hpp"

namespace backroom::catalog {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr std::int64_t poll_seconds_default = 30;



std::string change_id_param(const Request& req) {
  auto id = normalize_uuid(req.param(0));
  if (!id) throw not_found("price change", req.param(0).substr(0, 64));
  return *id;
}

std::optional<std::int64_t> opt_time_field(json::Fields& f, const char* name) {
  auto text = f.opt_identifier(name, 40);
  if (!text) return std::nullopt;
  auto t = parse_rfc3339(*text);
  if (!t) throw invalid_field(name, fmt::format("{} must be an RFC 3339 time", name));
  return t->micros;
}

std::optional<std::string> note_of(const Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  auto body = json::parse_object(req.body);
  json::Fields f{body, ""};
  f.only({"note"});
  return f.opt_text("note", price_change_reason_length_max);
}

}  // namespace

void register_price_change_routes(App& app) {
  // Price changes that fell due take effect within a poll period.
  auto scheduler = std::make_shared<PeriodicWriterJob>(
      app.writer, "price change scheduler",
      std::chrono::seconds(env_seconds("BACKROOM_PRICE_CHANGE_POLL_SECONDS", poll_seconds_default)), [](db::Db& db) {
        if (int n = apply_due_price_changes(db, now().micros); n > 0) spdlog::info("applied {} price changes", n);
      });
  auto& r = app.router;

  r.add("POST", "/api/v1/price-changes", std::string(permission::prices_request),
        "Request a price change (takes effect once someone else approves it)", [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"item_id", "price", "tier", "effective_at", "reason", "promotion", "ends_at"});
          auto item_text = f.opt_identifier("item_id", 64);
          if (!item_text) throw missing_field("item_id");
          auto item_id = normalize_uuid(*item_text);
          if (!item_id) throw invalid_field("item_id", "item_id must be an item's id");
          PriceChangeRequest r;
          r.item_id = *item_id;
          r.price = f.money("price");
          r.tier = f.opt_identifier("tier", 40);
          r.effective_at = opt_time_field(f, "effective_at");
          r.ends_at = opt_time_field(f, "ends_at");
          r.promotion = f.opt_boolean("promotion").value_or(false);
          r.reason = f.text("reason", price_change_reason_length_max);
          if (r.reason.find_first_not_of(" \t") == std::string::npos) throw invalid_field("reason", "give a reason");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto c = request_price_change(db, actor, r);
            auto response = http::json_response(201, price_change_to_json(c));
            response.header("Location", "/api/v1/price-changes/" + c.id);
            return response;
          });
        });

  r.add("GET", "/api/v1/price-changes", std::string(permission::prices_request),
        "Price change requests, newest first (?status=pending|approved|rejected|applied&item_id=)",
        [&app](Request& req, Reply reply) {
          auto status = req.query_param("status").value_or("");
          if (!status.empty() && status != "pending" && status != "approved" && status != "rejected" && status != "applied")
            throw invalid_field("status", "status is pending, approved, rejected or applied");
          auto item_id = req.query_param("item_id").value_or("");
          if (!item_id.empty() && !is_uuid(item_id)) throw invalid_field("item_id", "item_id must be an item's id");
          auto cursor = req.query_param("cursor").value_or("");
          if (!cursor.empty() && !is_uuid(cursor)) throw invalid_field("cursor", "cursor must be a next_cursor");
          int limit = page_limit(req);
          auto changes = store::list_price_changes(app.read(), status, item_id, cursor, limit);
          bool more = static_cast<int>(changes.size()) > limit;
          if (more) changes.pop_back();
          bj::array out;
          for (const auto& c : changes) out.push_back(price_change_to_json(c));
          reply(http::json_response(200, bj::object{{"price_changes", std::move(out)},
                                                    {"next_cursor", more ? bj::value(changes.back().id) : bj::value(nullptr)}}));
        });

  r.add("GET", "/api/v1/price-changes/{id}", std::string(permission::prices_request), "Read one price change request",
        [&app, scheduler](Request& req, Reply reply) {
          auto id = change_id_param(req);
          auto c = store::load_price_change(app.read(), id);
          if (!c) throw not_found("price change", id);
          reply(http::json_response(200, price_change_to_json(*c)));
        });

  r.add("POST", "/api/v1/price-changes/{id}/approve", std::string(permission::prices_approve),
        "Approve a price change (never your own); applies it when due", [&app](Request& req, Reply reply) {
          auto id = change_id_param(req);
          auto note = note_of(req);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, price_change_to_json(approve_price_change(db, actor, id, note)));
          });
        });

  r.add("POST", "/api/v1/price-changes/{id}/reject", std::string(permission::prices_approve), "Reject a price change",
        [&app](Request& req, Reply reply) {
          auto id = change_id_param(req);
          auto note = note_of(req);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, price_change_to_json(reject_price_change(db, actor, id, note)));
          });
        });
}

}  // namespace backroom::catalog
