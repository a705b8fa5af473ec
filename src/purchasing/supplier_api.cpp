// HTTP routes of suppliers (docs/openapi.yaml, tag purchasing): suppliers, their items and
// price lists, and the pending bank-detail changes another person approves.
#include "purchasing/supplier_api.hpp"

#include <fmt/format.h>

#include "access/permissions.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/csv_import.hpp"
#include "purchasing/supplier_commands.hpp"
#include "purchasing/supplier_import.hpp"
#include "purchasing/supplier_json.hpp"
#include "purchasing/supplier_store.hpp"

namespace backroom::purchasing {

namespace bj = boost::json;
using http::Reply;
using http::Request;
using http::Response;

namespace {

// The bytes of a price list a request may carry (the server's body limit applies first).
constexpr std::size_t price_list_bytes_max = 16 * 1024 * 1024;

bool may_read_payment(const Actor& actor) { return actor.can(permission::suppliers_payment_read); }

std::string id_param(const Request& req, std::size_t i, const char* what) {
  auto id = normalize_uuid(req.param(i));
  if (!id) throw Problem(404, "not_found", fmt::format("{} '{}' does not exist", what, req.param(i).substr(0, 64)));
  return *id;
}

std::string cursor_param(const Request& req) {
  auto c = req.query_param("cursor").value_or("");
  if (!c.empty() && !is_uuid(c)) throw invalid_field("cursor", "cursor must be the next_cursor of a previous page");
  return c;
}

bj::object body_object(const Request& req) {
  if (req.body.empty()) return {};
  return json::parse_object(req.body);
}

Response supplier_response(int status, db::Db& db, const Supplier& s, bool show_payment) {
  auto r = http::json_response(status, supplier_to_json(s, show_payment, pending_change_of(db, s.id)));
  r.header("ETag", etag(s.version));
  return r;
}

// 201/200 with the supplier, or 202 {status: pending, change_id, supplier} when the
// command filed bank details for approval.
Response result_response(int status, db::Db& db, const SupplierResult& result, bool show_payment) {
  if (!result.filed) return supplier_response(status, db, result.supplier, show_payment);
  bj::object out{{"status", "pending"},
                 {"change_id", result.filed->id},
                 {"supplier", supplier_to_json(result.supplier, show_payment, result.filed)}};
  auto r = http::json_response(status == 201 ? 201 : 202, out);
  r.header("ETag", etag(result.supplier.version));
  return r;
}

bj::object report_to_json(const PriceListReport& report) {
  bj::array errors;
  for (const auto& e : report.errors)
    errors.push_back(bj::object{{"line", e.line}, {"column", e.column}, {"code", e.code}, {"reason", e.reason}});
  return bj::object{{"rows", report.rows},     {"created", report.created}, {"updated", report.updated},
                    {"unchanged", report.unchanged}, {"applied", report.applied}, {"errors", std::move(errors)}};
}

}  // namespace

void register_supplier_routes(App& app) {
  auto& r = app.router;

  r.add("GET", "/api/v1/suppliers", "purchasing.read", "Search and page through suppliers",
        [&app](Request& req, Reply reply) {
          SupplierFilter f;
          f.limit = page_limit(req);
          f.q = req.query_param("q").value_or("");
          if (f.q.size() > 200) throw invalid_field("q", "q is longer than 200 bytes");
          f.status = req.query_param("status").value_or("");
          if (!f.status.empty()) supplier_statuses.require(f.status, "status");
          f.after_id = cursor_param(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto rows = list_suppliers(db, f);
          bool more = static_cast<int>(rows.size()) > f.limit;
          if (more) rows.pop_back();
          bool show = may_read_payment(req.actor);
          bj::array list;
          for (const auto& s : rows) list.push_back(supplier_to_json(s, show, pending_change_of(db, s.id)));
          reply(http::json_response(200, bj::object{{"suppliers", std::move(list)},
                                                    {"next_cursor", more ? bj::value(rows.back().id) : nullptr}}));
        });

  r.add("POST", "/api/v1/suppliers", "suppliers.manage",
        "Create a supplier (bank details given here wait for another person's approval)",
        [&app](Request& req, Reply reply) {
          auto patch = supplier_patch_from_json(json::parse_object(req.body), true);
          Actor actor = req.actor;
          bool show = may_read_payment(actor);
          app.command(req, std::move(reply), [patch = std::move(patch), actor, show](db::Db& db) {
            auto result = create_supplier(db, actor, patch);
            auto response = result_response(201, db, result, show);
            response.header("Location", "/api/v1/suppliers/" + result.supplier.id);
            return response;
          });
        });

  r.add("GET", "/api/v1/suppliers/{id}", "purchasing.read", "Read a supplier", [&app](Request& req, Reply reply) {
    auto id = id_param(req, 0, "supplier");
    auto& db = app.read();
    db::ReadSnapshot snapshot(db);
    auto s = load_supplier(db, id);
    if (!s) throw not_found("supplier", id);
    reply(supplier_response(200, db, *s, may_read_payment(req.actor)));
  });

  r.add("PATCH", "/api/v1/suppliers/{id}", "suppliers.manage",
        "Change a supplier (If-Match required); a payment change waits for approval (202)",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "supplier");
          auto body = json::parse_object(req.body);
          auto version = expected_version(req, &body);
          body.erase("version");
          auto patch = supplier_patch_from_json(body, false);
          Actor actor = req.actor;
          bool show = may_read_payment(actor);
          app.command(req, std::move(reply), [id, version, patch = std::move(patch), actor, show](db::Db& db) {
            return result_response(200, db, update_supplier(db, actor, id, version, patch), show);
          });
        });

  r.add("GET", "/api/v1/suppliers/{id}/items", "purchasing.read", "What a supplier sells us, by item id",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "supplier");
          int limit = page_limit(req);
          auto after = cursor_param(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          if (!load_supplier(db, id)) throw not_found("supplier", id);
          auto rows = supplier_items(db, id, after, limit);
          bool more = static_cast<int>(rows.size()) > limit;
          if (more) rows.pop_back();
          bj::array list;
          for (const auto& i : rows) list.push_back(supplier_item_to_json(i));
          reply(http::json_response(200, bj::object{{"items", std::move(list)},
                                                    {"next_cursor", more ? bj::value(rows.back().item_id) : nullptr}}));
        });

  r.add("POST", "/api/v1/suppliers/{id}/items", "suppliers.manage",
        "Add or change an item a supplier sells us (cost, case pack, case GTIN, preferred)",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "supplier");
          auto input = supplier_item_input_from_json(json::parse_object(req.body));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [id, input = std::move(input), actor](db::Db& db) {
            auto result = put_supplier_item(db, actor, id, input);
            return http::json_response(result.created ? 201 : 200, supplier_item_to_json(result.item));
          });
        });

  r.add("POST", "/api/v1/suppliers/{id}/price-list", "suppliers.manage",
        "Import a supplier's price list (text/csv; all rows or none; ?dry_run=true checks only)",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "supplier");
          bool dry_run = platform::csv_import_request(req, price_list_bytes_max, "a price list");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [id, csv = req.body, dry_run, actor](db::Db& db) {
            auto report = import_price_list(db, actor, id, csv, dry_run);
            return platform::csv_import_response(report_to_json(report), report.errors.size(), "price_list_invalid");
          });
        });

  r.add("POST", "/api/v1/suppliers/import", "suppliers.manage",
        "Suppliers from a spreadsheet (text/csv: name, email, phone, iban, ...); all rows or none; ?dry_run=true "
        "reports per row what would be created; bank details wait for another person's approval",
        [&app](Request& req, Reply reply) {
          bool dry_run = platform::csv_import_request(req, supplier_import_bytes_max, "a supplier file");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [csv = req.body, dry_run, actor](db::Db& db) {
            auto report = import_suppliers(db, actor, csv, dry_run);
            return platform::csv_import_response(supplier_import_to_json(report), report.errors.size(), "suppliers_invalid");
          });
        });

  r.add("GET", "/api/v1/items/{id}/suppliers", "purchasing.read", "Who sells us an item, the preferred first",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "item");
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          if (!catalog::store::load_item(db, id)) throw not_found("item", id);
          bj::array list;
          for (const auto& i : suppliers_of_item(db, id)) list.push_back(supplier_item_to_json(i));
          reply(http::json_response(200, bj::object{{"suppliers", std::move(list)}}));
        });

  r.add("GET", "/api/v1/supplier-changes", "purchasing.read",
        "Bank-detail changes of suppliers (?status=pending for those waiting for approval)",
        [&app](Request& req, Reply reply) {
          ChangeFilter f;
          f.limit = page_limit(req);
          f.status = req.query_param("status").value_or("");
          if (!f.status.empty()) change_statuses.require(f.status, "status");
          f.supplier_id = req.query_param("supplier_id").value_or("");
          if (!f.supplier_id.empty() && !is_uuid(f.supplier_id))
            throw invalid_field("supplier_id", "supplier_id is a supplier's id");
          f.after_id = cursor_param(req);
          auto rows = list_changes(app.read(), f);
          bool more = static_cast<int>(rows.size()) > f.limit;
          if (more) rows.pop_back();
          bool show = may_read_payment(req.actor);
          bj::array list;
          for (const auto& c : rows) list.push_back(change_to_json(c, show));
          reply(http::json_response(200, bj::object{{"changes", std::move(list)},
                                                    {"next_cursor", more ? bj::value(rows.back().id) : nullptr}}));
        });

  r.add("GET", "/api/v1/supplier-changes/{id}", "purchasing.read", "Read a supplier change",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "supplier change");
          auto c = load_change(app.read(), id);
          if (!c) throw not_found("supplier change", id);
          reply(http::json_response(200, change_to_json(*c, may_read_payment(req.actor))));
        });

  r.add("POST", "/api/v1/supplier-changes/{id}/approve", "suppliers.payment_approve",
        "Approve a pending bank-detail change (not by the person who filed it)", [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "supplier change");
          json::Fields{body_object(req), ""}.only({});
          Actor actor = req.actor;
          bool show = may_read_payment(actor);
          app.command(req, std::move(reply), [id, actor, show](db::Db& db) {
            return http::json_response(200, change_to_json(approve_change(db, actor, id), show));
          });
        });

  r.add("POST", "/api/v1/supplier-changes/{id}/reject", "suppliers.payment_approve",
        "Reject a pending bank-detail change (not by the person who filed it)", [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "supplier change");
          auto body = body_object(req);
          json::Fields f{body, ""};
          f.only({"note"});
          auto note = f.opt_text("note", change_reason_length_max).value_or("");
          Actor actor = req.actor;
          bool show = may_read_payment(actor);
          app.command(req, std::move(reply), [id, note, actor, show](db::Db& db) {
            return http::json_response(200, change_to_json(reject_change(db, actor, id, note), show));
          });
        });
}

}  // namespace backroom::purchasing
