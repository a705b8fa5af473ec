#include "purchasing/purchase_order_api.hpp"

#include <fmt/format.h>

#include <charconv>

#include "catalog/catalog_store.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/text.hpp"
#include "purchasing/purchase_orders.hpp"
#include "stock/stock.hpp"

namespace backroom::purchasing {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

std::string uuid_field(const json::Fields& f, std::string_view key) {
  auto id = normalize_uuid(f.text(key, 64));
  if (!id) throw invalid_field(f.name(key), fmt::format("{} must be a UUID", key));
  return *id;
}

std::string uuid_query(const Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return "";
  auto id = normalize_uuid(*v);
  if (!id) throw invalid_field(name, fmt::format("{} must be a UUID", name));
  return *id;
}

// YYYY-MM-DD with a real month and day.
std::optional<std::string> expected_on(const json::Fields& f) {
  auto v = f.opt_text("expected_on", 10);
  if (!v) return std::nullopt;
  auto ok = [&] {
    if (v->size() != 10 || (*v)[4] != '-' || (*v)[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
      if ((*v)[i] < '0' || (*v)[i] > '9') return false;
    int month = std::stoi(v->substr(5, 2)), day = std::stoi(v->substr(8, 2));
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  };
  if (!ok()) throw invalid_field("expected_on", "expected_on is a date like 2026-12-24");
  return v;
}

std::vector<OrderLineInput> order_lines(const json::Fields& f) {
  auto array = f.opt_array("lines");
  if (!array || array->empty()) throw missing_field("lines");
  if (array->size() > order_lines_max)
    throw invalid_field("lines", fmt::format("at most {} lines per order", order_lines_max));
  std::vector<OrderLineInput> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string path = fmt::format("lines[{}]", i);
    if (!(*array)[i].is_object()) throw invalid_field(path, "a line is an object {item_id, quantity}");
    json::Fields lf{(*array)[i].get_object(), path};
    lf.only({"item_id", "quantity", "unit_cost"});
    OrderLineInput line;
    line.item_id = uuid_field(lf, "item_id");
    line.quantity = lf.quantity("quantity");
    if (line.quantity.milli <= 0) throw invalid_field(lf.name("quantity"), "quantity must be greater than 0");
    if (line.quantity > Quantity::units(line_quantity_units_max))
      throw invalid_field(lf.name("quantity"), fmt::format("quantity must be at most {}", line_quantity_units_max));
    line.unit_cost = lf.opt_money("unit_cost");
    out.push_back(std::move(line));
  }
  return out;
}

ReceiveInput receive_input(const Request& req, const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"id", "lines", "scans", "override_token"});
  ReceiveInput in;
  in.key = documents::document_key(req, body);
  in.override_token = f.opt_identifier("override_token", 200);
  const auto* lines = f.opt_array("lines");
  const auto* scans = f.opt_array("scans");
  if (!lines && !scans) throw missing_field("lines");
  if (lines) {
    if (lines->size() > order_lines_max)
      throw invalid_field("lines", fmt::format("at most {} lines per receipt", order_lines_max));
    for (std::size_t i = 0; i < lines->size(); ++i) {
      std::string path = fmt::format("lines[{}]", i);
      if (!(*lines)[i].is_object()) throw invalid_field(path, "a line is an object {po_line_id, received, damaged}");
      json::Fields lf{(*lines)[i].get_object(), path};
      lf.only({"po_line_id", "received", "damaged"});
      ReceiptLineInput line;
      line.po_line_id = uuid_field(lf, "po_line_id");
      line.received = lf.quantity("received");
      line.damaged = lf.opt_quantity("damaged").value_or(Quantity{});
      if (line.received.milli < 0) throw invalid_field(lf.name("received"), "received must be 0 or more");
      if (line.received > Quantity::units(line_quantity_units_max))
        throw invalid_field(lf.name("received"), fmt::format("received must be at most {}", line_quantity_units_max));
      if (line.damaged.milli < 0) throw invalid_field(lf.name("damaged"), "damaged must be 0 or more");
      in.lines.push_back(std::move(line));
    }
  }
  if (scans) {
    if (scans->size() > receipt_scans_max)
      throw invalid_field("scans", fmt::format("at most {} scans per receipt", receipt_scans_max));
    for (std::size_t i = 0; i < scans->size(); ++i) {
      const auto& v = (*scans)[i];
      std::string path = fmt::format("scans[{}]", i);
      // A number with a fraction or an exponent is kept as tagged text by the exact parser: not a scan.
      if (!v.is_string() || json::decimal_text(v) || v.get_string().empty())
        throw invalid_field(path, "a scan is the barcode as a string");
      if (v.get_string().size() > 200) throw invalid_field(path, "a barcode is at most 200 characters");
      in.scans.emplace_back(v.get_string());
    }
  }
  if (in.lines.empty() && in.scans.empty()) throw invalid_field(lines ? "lines" : "scans", "a receipt books at least one line or scan");
  return in;
}

http::Response order_response(int status, const bj::object& order) {
  auto r = http::json_response(status, order);
  r.header("Location", "/api/v1/purchase-orders/" + std::string(order.at("id").as_string()));
  return r;
}

}  // namespace

void register_purchase_order_routes(App& app) {
  auto& r = app.router;
  r.add("POST", "/api/v1/purchase-orders", "purchasing.order",
        "Draft a purchase order (quantities rounded up to whole cases; warnings, not refusals)",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "supplier_id", "location_id", "expected_on", "exact_cases", "note", "lines"});
          OrderInput in;
          in.key = documents::document_key(req, body);
          in.supplier_id = uuid_field(f, "supplier_id");
          in.location_id = uuid_field(f, "location_id");
          in.expected_on = expected_on(f);
          in.exact_cases = f.opt_boolean("exact_cases").value_or(false);
          in.note = f.opt_text("note", order_note_length_max).value_or("");
          in.lines = order_lines(f);
          stock::check_location_scope(req.actor, in.location_id);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [in, actor](db::Db& db) {
            auto p = create_order(db, actor, in);
            return order_response(p.replayed ? 200 : 201, p.document);
          });
        });
  r.add("GET", "/api/v1/purchase-orders", "purchasing.read",
        "Purchase orders, newest first, by status, supplier or location", [&app](Request& req, Reply reply) {
          OrderFilter f;
          f.limit = page_limit(req);
          f.status = req.query_param("status").value_or("");
          if (!f.status.empty()) order_statuses.require(f.status, "status", "status must be " + order_statuses.allowed());
          f.supplier_id = uuid_query(req, "supplier_id");
          f.location_id = uuid_query(req, "location_id");
          f.before_number = number_cursor(req);
          reply(list_page("purchase_orders", list_orders(app.read(), f), f.limit,
                          [](auto& o) { return std::move(o.document); },
                          [](const auto& o) { return std::to_string(o.number); }));
        });
  r.add("GET", "/api/v1/purchase-orders/{id}", "purchasing.read", "Read a purchase order with its receipts",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "purchase order");
          auto o = load_order(app.read(), id);
          if (!o) throw not_found("purchase order", id);
          reply(http::json_response(200, *o));
        });
  r.add("PATCH", "/api/v1/purchase-orders/{id}", "purchasing.order",
        "Edit a draft order: its lines, expected date, note (409 po_not_editable once sent)",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "purchase order");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"lines", "expected_on", "exact_cases", "note"});
          OrderPatch patch;
          if (body.contains("lines")) patch.lines = order_lines(f);
          if (body.contains("expected_on")) {
            patch.set_expected_on = true;
            patch.expected_on = expected_on(f);
          }
          patch.exact_cases = f.opt_boolean("exact_cases");
          patch.note = f.opt_text("note", order_note_length_max);
          Actor actor = req.actor;
          app.command(req, std::move(reply),
                      [=](db::Db& db) { return order_response(200, update_order(db, actor, id, patch)); });
        });
  r.add("POST", "/api/v1/purchase-orders/{id}/send", "purchasing.order", "Send a draft order to its supplier",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "purchase order");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) { return order_response(200, send_order(db, actor, id)); });
        });
  r.add("POST", "/api/v1/purchase-orders/{id}/close", "purchasing.close",
        "Close a short order: what is still outstanding is cancelled (a reason is required)",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "purchase order");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"reason"});
          auto reason = std::string(text::trim(f.text("reason", close_reason_length_max)));
          if (reason.empty()) throw invalid_field("reason", "reason must not be blank");
          Actor actor = req.actor;
          app.command(req, std::move(reply),
                      [=](db::Db& db) { return order_response(200, close_order(db, actor, id, reason)); });
        });
  r.add("POST", "/api/v1/purchase-orders/{id}/cancel", "purchasing.order", "Cancel a draft or sent order",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "purchase order");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) { return order_response(200, cancel_order(db, actor, id)); });
        });
  r.add("GET", "/api/v1/purchase-orders/{id}/document", "purchasing.read",
        "The order as the supplier gets it: ?format=pdf (default) or csv", [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "purchase order");
          auto format = req.query_param("format").value_or("pdf");
          if (format != "pdf" && format != "csv") throw invalid_field("format", "format is pdf or csv");
          auto& db = app.read();
          auto order = load_order(db, id);
          if (!order) throw not_found("purchase order", id);
          std::string number(order->at("number").as_string());
          http::Response resp;
          resp.status = 200;
          if (format == "csv") {
            resp.body = order_document_csv(db, id);
            resp.content_type = "text/csv; charset=utf-8";
          } else {
            resp.body = order_document_pdf(db, id);
            resp.content_type = "application/pdf";
          }
          resp.header("Content-Disposition", fmt::format("attachment; filename=\"{}.{}\"", number, format));
          reply(std::move(resp));
        });
  r.add("POST", "/api/v1/purchase-orders/{id}/receipts", "purchasing.receive",
        "Receive against an order by lines {po_line_id, received, damaged} or by scans (Idempotency-Key)",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "purchase order");
          auto body = json::parse_object(req.body);
          auto in = receive_input(req, body);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto p = receive_order(db, actor, id, in);
            auto resp = http::json_response(p.replayed ? 200 : 201, p.document);
            resp.header("Location", fmt::format("/api/v1/purchase-orders/{}", id));
            return resp;
          });
        });
  r.add("GET", "/api/v1/settings/purchasing", "purchasing.read",
        "The over-receipt tolerance (basis points of a line) beyond which a manager must approve",
        [&app](Request&, Reply reply) {
          reply(http::json_response(
              200, bj::object{{"over_receive_tolerance_bp", over_receive_tolerance_bp(app.read())}}));
        });
  r.add("PUT", "/api/v1/settings/purchasing", "settings.write", "Set the over-receipt tolerance",
        [&app](Request& req, Reply reply) {
          auto bp = over_receive_tolerance_from_json(json::parse_object(req.body));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            set_over_receive_tolerance_bp(db, actor, bp);
            return http::json_response(200, bj::object{{"over_receive_tolerance_bp", bp}});
          });
        });
  r.add("GET", "/api/v1/items/{id}/cost-history", "purchasing.read",
        "The item's moving-average cost, step by step, newest first", [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "item");
          int limit = page_limit(req);
          auto before = uuid_query(req, "cursor");
          auto& db = app.read();
          if (!catalog::store::load_item(db, id)) throw not_found("item", id);
          auto rows = cost_history(db, id, before, limit);
          bool more = static_cast<int>(rows.size()) > limit;
          if (more) rows.pop_back();
          bj::value next = more ? bj::value(rows.back().at("id").as_string()) : bj::value(nullptr);
          bj::array list;
          for (auto& e : rows) list.push_back(std::move(e));
          reply(http::json_response(200, bj::object{{"item_id", id}, {"entries", std::move(list)}, {"next_cursor", next}}));
        });
}

}  // namespace backroom::purchasing
