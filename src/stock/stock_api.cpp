// HTTP routes of stock: locations, balances (also as of a time), movements, adjustments,
// reservations and transfers.
#include "stock/stock_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "platform/csv_import.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/text.hpp"
#include "stock/opening_import.hpp"
#include "catalog/catalog_store.hpp"
#include "stock/shelves.hpp"

namespace backroom::stock {

namespace bj = boost::json;
using http::Reply;
using http::Request;
using http::Response;

namespace {

Response posted_response(const Posted& p, const std::string& location) {
  auto r = http::json_response(p.replayed ? 200 : 201, p.document);
  r.header("Location", location);
  return r;
}

std::string uuid_query(const Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return "";
  auto id = normalize_uuid(*v);
  if (!id) throw invalid_field(name, fmt::format("{} must be a UUID", name));
  return *id;
}

std::vector<TransferLineInput> transfer_lines(const json::Fields& f) {
  auto array = f.opt_array("lines");
  if (!array || array->empty()) throw missing_field("lines");
  if (array->size() > document_lines_max)
    throw invalid_field("lines", fmt::format("at most {} lines per document", document_lines_max));
  std::vector<TransferLineInput> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string path = fmt::format("lines[{}]", i);
    if (!(*array)[i].is_object()) throw invalid_field(path, "a line is an object");
    json::Fields lf{(*array)[i].get_object(), path};
    lf.only({"item_id", "quantity"});
    auto item = normalize_uuid(lf.text("item_id", 64));
    if (!item) throw invalid_field(lf.name("item_id"), "item_id must be a UUID");
    auto q = lf.quantity("quantity");
    if (q.milli <= 0) throw invalid_field(lf.name("quantity"), "quantity must be greater than 0");
    out.push_back(TransferLineInput{*item, q});
  }
  return out;
}

bj::object shelf_to_json(const ItemShelf& s) {
  return bj::object{{"location_id", s.location_id},
                    {"location_name", s.location_name},
                    {"shelf", s.shelf ? bj::value(*s.shelf) : bj::value(nullptr)}};
}

}  // namespace

void register_stock_routes(App& app) {
  auto& r = app.router;

  r.add("GET", "/api/v1/locations", "stock.read", "List locations and bins", [&app](Request&, Reply reply) {
    bj::array list;
    for (const auto& l : list_locations(app.read())) list.push_back(location_to_json(l));
    reply(http::json_response(200, bj::object{{"locations", std::move(list)}}));
  });

  r.add("POST", "/api/v1/locations", "locations.manage", "Create a location (a site gets its bins)",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"name", "kind", "parent_id"});
          auto name = f.text("name", location_name_length_max);
          auto kind = f.text("kind", 20);
          auto parent = f.opt_identifier("parent_id", 64);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto l = create_location(db, actor, name, kind, parent);
            return http::json_response(201, location_to_json(l));
          });
        });

  r.add("GET", "/api/v1/items/{id}/shelves", "items.read", "Where the item sits in each location (its shelf there, or null)",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "item");
          auto& db = app.read();
          if (!catalog::store::item_kind(db, id)) throw not_found("item", id);
          bj::array shelves;
          for (const auto& s : shelves_of_item(db, id)) shelves.push_back(shelf_to_json(s));
          reply(http::json_response(200, bj::object{{"item_id", id}, {"shelves", std::move(shelves)}}));
        });

  r.add("PUT", "/api/v1/items/{id}/shelves/{location_id}", "items.update",
        "Set where the item sits in a location: {shelf: \"A3-2\"}, or null to clear it",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "item");
          auto location_id = documents::id_param(req, 1, "location");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"shelf"});
          if (!body.contains("shelf")) throw missing_field("shelf");
          auto shelf = normalize_shelf(f.opt_text("shelf", shelf_length_max * 4));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [id, location_id, shelf, actor](db::Db& db) {
            return http::json_response(200, shelf_to_json(put_shelf(db, actor, id, location_id, shelf)));
          });
        });

  r.add("GET", "/api/v1/locations/{id}", "stock.read", "A location with its receipt header and footer",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "location");
          auto l = load_location(app.read(), id);
          if (!l) throw not_found("location", id);
          reply(http::json_response(200, location_to_json(*l)));
        });

  r.add("PATCH", "/api/v1/locations/{id}", "locations.manage",
        "Rename a location, set its receipt header and footer or its default tax category",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "location");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"name", "receipt", "default_tax_category"});
          LocationPatch patch;
          if (auto name = f.opt_text("name", location_name_length_max)) {
            patch.name = std::string(text::trim(*name));
            if (patch.name->empty()) throw invalid_field("name", "name must not be blank");
          } else if (body.contains("name")) {
            throw invalid_field("name", "name must not be null");
          }
          if (auto* receipt = f.opt_object("receipt")) {
            json::Fields rf{*receipt, "receipt"};
            rf.only({"shop_name", "address", "tax_number", "footer"});
            auto line = [&rf](std::string_view key, std::size_t max) -> std::optional<std::string> {
              if (auto v = rf.opt_text(key, max)) return std::string(text::trim(*v));
              if (rf.object.contains(key)) return std::string();  // null clears
              return std::nullopt;
            };
            patch.shop_name = line("shop_name", receipt_line_length_max);
            patch.address = line("address", receipt_line_length_max);
            patch.tax_number = line("tax_number", receipt_line_length_max);
            patch.footer = line("footer", receipt_footer_length_max);
          } else if (body.contains("receipt")) {
            throw invalid_field("receipt", "receipt is an object {shop_name, address, tax_number, footer}");
          }
          if (body.contains("default_tax_category")) {
            patch.set_default_tax_category = true;
            patch.default_tax_category = f.opt_text("default_tax_category", 40);
          }
          check_location_scope(req.actor, id);
          Actor actor = req.actor;
          app.command(req, std::move(reply),
                      [=](db::Db& db) { return http::json_response(200, location_to_json(update_location(db, actor, id, patch))); });
        });

  r.add("GET", "/api/v1/settings/stock", "stock.read", "Limits above which a stock adjustment needs confirmation",
        [&app](Request&, Reply reply) {
          reply(http::json_response(200, adjustment_limits_to_json(load_adjustment_limits(app.read()))));
        });

  r.add("PUT", "/api/v1/settings/stock", "settings.write", "Set the limits above which an adjustment needs confirmation",
        [&app](Request& req, Reply reply) {
          auto limits = adjustment_limits_from_json(json::parse_object(req.body), load_adjustment_limits(app.read()));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            save_adjustment_limits(db, actor, limits);
            return http::json_response(200, adjustment_limits_to_json(limits));
          });
        });

  r.add("GET", "/api/v1/stock", "stock.read", "On hand, reserved and available (optionally as of a time)",
        [&app](Request& req, Reply reply) {
          auto item = uuid_query(req, "item_id");
          auto location = uuid_query(req, "location_id");
          if (item.empty()) throw missing_field("item_id");
          std::optional<Timestamp> as_of;
          if (auto t = req.query_param("as_of")) {
            as_of = parse_rfc3339(*t);
            if (!as_of) throw invalid_field("as_of", "as_of is an RFC 3339 time, e.g. 2026-01-31T18:00:00Z");
          }
          auto& db = app.read();
          if (!location.empty()) {
            auto b = as_of ? balance_as_of(db, item, location, *as_of) : balance(db, item, location);
            auto o = balance_to_json(b);
            if (as_of) o["as_of"] = format_rfc3339(*as_of);
            reply(http::json_response(200, o));
            return;
          }
          bj::array list;
          Quantity on_hand, reserved;
          for (const auto& b : balances_of_item(db, item, as_of)) {
            on_hand = on_hand + b.on_hand;
            reserved = reserved + b.reserved;
            list.push_back(balance_to_json(b));
          }
          bj::object o{{"item_id", item},
                       {"on_hand", json::quantity_value(on_hand)},
                       {"reserved", json::quantity_value(reserved)},
                       {"available", json::quantity_value(on_hand - reserved)},
                       {"locations", std::move(list)}};
          if (as_of) o["as_of"] = format_rfc3339(*as_of);
          reply(http::json_response(200, o));
        });

  r.add("GET", "/api/v1/stock/movements", "stock.read", "The ledger, oldest first, by item, location or document",
        [&app](Request& req, Reply reply) {
          MovementFilter f;
          f.limit = page_limit(req);
          f.item_id = uuid_query(req, "item_id");
          f.location_id = uuid_query(req, "location_id");
          f.document_id = uuid_query(req, "document_id");
          f.after_seq = number_cursor(req, 0, 0);
          reply(list_page("movements", list_movements(app.read(), f), f.limit, [](auto& m) { return std::move(m); },
                          [](const auto& m) { return std::to_string(m.at("seq").as_int64()); }));
        });

  r.add("POST", "/api/v1/stock/adjustments", "stock.adjust", "Adjust stock with a reason code",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "item_id", "location_id", "quantity", "reason", "note", "confirm", "reason_code"});
          AdjustmentInput in;
          in.check_limits = true;
          in.confirm = f.opt_boolean("confirm").value_or(false);
          if (auto code = f.opt_text("reason_code", 40)) in.reason_code = adjustment_reasons.require(*code, "reason_code");
          in.key = documents::document_key(req, body);
          auto item = normalize_uuid(f.text("item_id", 64));
          if (!item) throw invalid_field("item_id", "item_id must be a UUID");
          auto location = normalize_uuid(f.text("location_id", 64));
          if (!location) throw invalid_field("location_id", "location_id must be a UUID");
          in.item_id = *item;
          in.location_id = *location;
          in.quantity = f.quantity("quantity");
          auto reason = f.text("reason", 40);
          in.note = f.opt_text("note", reason_note_length_max).value_or("");
          in.reason = adjustment_reasons.require(reason, "reason");
          if (in.quantity.milli == 0) throw invalid_field("quantity", "quantity must not be 0");
          if (direction(in.reason) == Direction::decrease && in.quantity.milli > 0)
            throw invalid_field("quantity", fmt::format("a {} adjustment takes stock away: give a negative quantity", reason));
          if (direction(in.reason) == Direction::increase && in.quantity.milli < 0)
            throw invalid_field("quantity", fmt::format("a {} adjustment adds stock: give a positive quantity", reason));
          check_location_scope(req.actor, in.location_id);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [in, actor](db::Db& db) {
            auto p = create_adjustment(db, actor, in);
            return posted_response(p, "/api/v1/stock/adjustments/" + std::string(p.document.at("id").as_string()));
          });
        });

  r.add("POST", "/api/v1/stock/opening", "stock.adjust",
        "Opening stock from a spreadsheet (text/csv: sku or barcode, location, quantity); all rows or none; "
        "?dry_run=true reports per row what would be done",
        [&app](Request& req, Reply reply) {
          bool dry_run = platform::csv_import_request(req, opening_bytes_max, "an opening stock file");
          if (!req.actor.location_ids.empty())
            throw Problem(403, "forbidden", "a key scoped to stores cannot import opening stock for the shop");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [csv = req.body, dry_run, actor](db::Db& db) {
            auto report = import_opening_stock(db, actor, csv, dry_run);
            return platform::csv_import_response(opening_report_to_json(report), report.errors.size(), "opening_stock_invalid");
          });
        });
  r.add("POST", "/api/v1/stock/reservations", "stock.adjust", "Reserve stock (on hand but not available)",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "item_id", "location_id", "quantity", "reference"});
          auto key = documents::document_key(req, body);
          auto item = normalize_uuid(f.text("item_id", 64));
          if (!item) throw invalid_field("item_id", "item_id must be a UUID");
          auto location = normalize_uuid(f.text("location_id", 64));
          if (!location) throw invalid_field("location_id", "location_id must be a UUID");
          auto quantity = f.quantity("quantity");
          if (quantity.milli <= 0) throw invalid_field("quantity", "quantity must be greater than 0");
          auto reference = f.opt_text("reference", 200).value_or("");
          check_location_scope(req.actor, *location);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto p = reserve(db, actor, key, *item, *location, quantity, reference);
            return posted_response(p, "/api/v1/stock/reservations/" + std::string(p.document.at("id").as_string()));
          });
        });

  r.add("DELETE", "/api/v1/stock/reservations/{id}", "stock.adjust", "Release a reservation",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "reservation");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, release_reservation(db, actor, id).document);
          });
        });

  r.add("POST", "/api/v1/transfers", "stock.transfer", "Ship a transfer (stock goes in transit)",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "from_location_id", "to_location_id", "lines", "note"});
          TransferInput in;
          in.key = documents::document_key(req, body);
          auto from = normalize_uuid(f.text("from_location_id", 64));
          if (!from) throw invalid_field("from_location_id", "from_location_id must be a UUID");
          auto to = normalize_uuid(f.text("to_location_id", 64));
          if (!to) throw invalid_field("to_location_id", "to_location_id must be a UUID");
          in.from_location_id = *from;
          in.to_location_id = *to;
          in.lines = transfer_lines(f);
          in.note = f.opt_text("note", reason_note_length_max).value_or("");
          check_location_scope(req.actor, in.from_location_id);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [in, actor](db::Db& db) {
            auto p = ship_transfer(db, actor, in);
            return posted_response(p, "/api/v1/transfers/" + std::string(p.document.at("id").as_string()));
          });
        });

  r.add("GET", "/api/v1/transfers", "stock.read",
        "Transfers, newest first, by status or location (a scoped key sees those touching its locations)",
        [&app](Request& req, Reply reply) {
          TransferFilter f;
          f.limit = page_limit(req);
          f.status = req.query_param("status").value_or("");
          if (!f.status.empty())
            transfer_statuses.require(f.status, "status", "status must be " + transfer_statuses.allowed());
          f.location_id = uuid_query(req, "location_id");
          if (!f.location_id.empty()) check_location_scope(req.actor, f.location_id);
          f.location_ids = req.actor.location_ids;
          f.before_number = number_cursor(req);
          reply(list_page("transfers", list_transfers(app.read(), f), f.limit,
                          [](auto& t) { return std::move(t.document); },
                          [](const auto& t) { return std::to_string(t.number); }));
        });

  r.add("GET", "/api/v1/transfers/{id}", "stock.read", "Read a transfer", [&app](Request& req, Reply reply) {
    auto id = documents::id_param(req, 0, "transfer");
    auto t = load_transfer(app.read(), id);
    if (!t) throw not_found("transfer", id);
    // A key scoped to locations reads the transfers that leave or reach one of them.
    std::string from(t->at("from_location_id").as_string()), to(t->at("to_location_id").as_string());
    const auto& scope = req.actor.location_ids;
    if (!scope.empty() && std::find(scope.begin(), scope.end(), from) == scope.end())
      check_location_scope(req.actor, to);
    reply(http::json_response(200, *t));
  });

  r.add("POST", "/api/v1/transfers/{id}/receive", "stock.transfer",
        "Add a receipt to a transfer: what arrived (received, damaged) per line; close books the rest short",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "transfer");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "lines", "close"});
          ReceiptInput in;
          in.key = documents::document_key(req, body);
          in.close = f.opt_boolean("close").value_or(false);
          auto array = f.opt_array("lines");
          in.all = !array;
          if (array)
            for (auto& l : documents::received_lines(*array, "line_id", document_lines_max))
              in.lines.push_back(ReceiveLineInput{std::move(l.key), l.by_item, l.received, l.damaged});
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto p = receive_transfer(db, actor, id, in);
            return http::json_response(200, p.document);
          });
        });

  r.add("POST", "/api/v1/transfers/{id}/cancel", "stock.transfer",
        "Cancel a transfer in transit (shipped by mistake, or never leaving): what is still in transit goes back "
        "to the source; a reason is required",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "transfer");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"reason"});
          auto reason = std::string(text::trim(f.text("reason", reason_note_length_max)));
          if (reason.empty()) throw invalid_field("reason", "say why the transfer is cancelled");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, cancel_transfer(db, actor, id, reason).document);
          });
        });
}

}  // namespace backroom::stock
