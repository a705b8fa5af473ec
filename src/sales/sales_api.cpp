#include "sales/sales_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "access/permissions.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "sales/commands.hpp"
#include "sales/credit_ledger.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "platform/documents.hpp"
#include "stock/stock.hpp"

namespace backroom::sales {

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

std::string doc_id(const Posted& p) { return p.id; }

std::string register_param(const Request& req) {
  if (!valid_register_id(req.param(0))) throw not_found("register", req.param(0).substr(0, 64));
  return req.param(0);
}

std::optional<Timestamp> time_param(const Request& req, const char* name) {
  auto text = req.query_param(name);
  if (!text) return std::nullopt;
  auto t = parse_rfc3339(*text);
  if (!t) throw invalid_field(name, fmt::format("{} is an RFC 3339 time, e.g. 2026-01-31T18:00:00Z", name));
  return t;
}

// An optional id-like query parameter: at most `max` bytes, else 422 naming it.
std::string text_param(const Request& req, const char* name, std::size_t max = 64) {
  auto v = req.query_param(name).value_or("");
  if (v.size() > max) throw invalid_field(name, fmt::format("{} is at most {} characters", name, max));
  return v;
}

std::string cursor_param(const Request& req) {
  auto cursor = req.query_param("cursor").value_or("");
  if (!cursor.empty() && !is_uuid(cursor)) throw invalid_field("cursor", "cursor must be a next_cursor");
  return cursor;
}

}  // namespace

void register_sales_routes(App& app) {
  auto& r = app.router;

  r.add("GET", "/api/v1/settings/sales", "sales.read", "Tax, rounding and negative-stock settings",
        [&app](Request&, Reply reply) { reply(http::json_response(200, settings_to_json(load_settings(app.read())))); });

  r.add("PUT", "/api/v1/settings/sales", "settings.write", "Change tax, rounding and negative-stock settings",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          settings_from_json(body, SaleSettings{});  // a bad body is refused before the writer
          Actor actor = req.actor;
          app.command(req, std::move(reply), [body, actor](db::Db& db) {
            // Over the settings as they are in this transaction: two changes of different
            // fields at once both stay.
            auto s = settings_from_json(body, load_settings(db));
            save_settings(db, actor, s);
            return http::json_response(200, settings_to_json(s));
          });
        });

  r.add("GET", "/api/v1/settings/offline-returns", "sales.read",
        "Whether a register may take returns while it cannot reach the server, and up to what refund",
        [&app](Request&, Reply reply) {
          reply(http::json_response(200, offline_returns_to_json(load_settings(app.read()))));
        });

  r.add("PUT", "/api/v1/settings/offline-returns", std::string(permission::registers_manage),
        "Allow returns at an offline register, in cash up to a limit a return, or refuse them (the default)",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [body, actor](db::Db& db) {
            auto s = offline_returns_from_json(body, load_settings(db));  // over the settings as they are now
            save_settings(db, actor, s);
            return http::json_response(200, offline_returns_to_json(s));
          });
        });

  // Parked sales come before /sales/{id} so "parked" is never read as a sale id.
  r.add("POST", "/api/v1/sales/parked", "sales.create", "Park (suspend) a sale to resume later",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          auto request = parse_sale_request(body, "", false);
          json::Fields f{body, ""};
          auto note = f.opt_text("note", parked_note_length_max).value_or("");
          draft_sale(app.read(), request);  // refuses unknown items and codes now, not at resumption
          auto key = documents::document_key(req, body);
          stock::check_location_scope(req.actor, request.location_id);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto p = park_sale(db, actor, key, request, body, note);
            return posted_response(p, "/api/v1/sales/parked/" + doc_id(p));
          });
        });

  r.add("GET", "/api/v1/sales/parked", "sales.read", "Parked sales, oldest first", [&app](Request& req, Reply reply) {
    bj::array list;
    for (auto& p : list_parked(app.read(), req.query_param("location_id").value_or(""),
                               req.query_param("register_id").value_or("")))
      list.push_back(std::move(p));
    reply(http::json_response(200, bj::object{{"parked", std::move(list)}}));
  });

  r.add("GET", "/api/v1/sales/parked/{id}", "sales.read", "Read a parked sale", [&app](Request& req, Reply reply) {
    auto id = documents::id_param(req, 0, "parked sale");
    auto p = load_parked(app.read(), id);
    if (!p) throw not_found("parked sale", id);
    reply(http::json_response(200, *p));
  });

  r.add("POST", "/api/v1/sales/parked/{id}/resume", "sales.create",
        "Take a parked sale back to the register (its body is returned for posting)", [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "parked sale");
          Actor actor = req.actor;
          app.command(req, std::move(reply),
                      [=](db::Db& db) { return http::json_response(200, close_parked(db, actor, id, ParkedStatus::resumed).document); });
        });

  r.add("DELETE", "/api/v1/sales/parked/{id}", "sales.create", "Drop a parked sale",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "parked sale");
          Actor actor = req.actor;
          app.command(req, std::move(reply),
                      [=](db::Db& db) { return http::json_response(200, close_parked(db, actor, id, ParkedStatus::deleted).document); });
        });

  r.add("POST", "/api/v1/sales", "sales.create", "Post a sale (idempotent by id or Idempotency-Key)",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          auto request = parse_sale_request(body, "", true);
          request.key = documents::document_key(req, body);
          stock::check_location_scope(req.actor, request.location_id);
          auto draft = std::make_shared<SaleDraft>(draft_sale(app.read(), std::move(request)));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [draft, actor](db::Db& db) {
            auto p = post_sale(db, actor, *draft);
            return posted_response(p, "/api/v1/sales/" + doc_id(p));
          });
        });

  r.add("POST", "/api/v1/sales/quote", "sales.create",
        "Price a sale exactly as posting it would, without writing anything", [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          auto request = parse_sale_request(body, "", false);
          stock::check_location_scope(req.actor, request.location_id);
          auto& reader = app.read();
          auto draft = draft_sale(reader, std::move(request));
          reply(http::json_response(200, quote_sale(reader, req.actor, draft)));
        });

  r.set_idempotency("POST", "/api/v1/sales/quote", http::Idempotency::natural, "prices a cart and changes nothing");
  r.add("GET", "/api/v1/sales/summary", "sales.read", "Completed sales per channel over a time range",
        [&app](Request& req, Reply reply) {
          reply(http::json_response(200, sales_summary(app.read(), time_param(req, "from"), time_param(req, "to"),
                                                       text_param(req, "location_id"))));
        });

  r.add("GET", "/api/v1/sales", "sales.read",
        "The sales journal, newest first: by time, register, cashier, receipt, item, location or channel",
        [&app](Request& req, Reply reply) {
          SalesFilter filter;
          int limit = filter.limit = page_limit(req);
          filter.before_id = cursor_param(req);
          filter.from = time_param(req, "from");
          filter.to = time_param(req, "to");
          filter.register_id = text_param(req, "register_id");
          filter.cashier_id = text_param(req, "cashier_id");
          filter.receipt = text_param(req, "receipt", 80);
          if (filter.receipt.empty()) filter.receipt = text_param(req, "receipt_number", 80);
          filter.item_id = text_param(req, "item_id");
          filter.location_id = text_param(req, "location_id");
          filter.channel = text_param(req, "channel", channel_length_max);
          auto sales = find_sales(app.read(), filter);
          bool more = static_cast<int>(sales.size()) > limit;
          if (more) sales.pop_back();
          bj::array list;
          for (auto& s : sales) list.push_back(std::move(s));
          bj::value next = more ? bj::value(list.back().as_object().at("id")) : bj::value(nullptr);
          reply(http::json_response(200, bj::object{{"sales", std::move(list)}, {"next_cursor", next}}));
        });

  r.add("GET", "/api/v1/sales/{id}", "sales.read", "Read a sale (its receipt)", [&app](Request& req, Reply reply) {
    auto id = documents::id_param(req, 0, "sale");
    auto s = load_sale(app.read(), id);
    if (!s) throw not_found("sale", id);
    reply(http::json_response(200, *s));
  });

  // Declared sales.create so a cashier can bring a manager's override_token; the command
  // itself demands sales.void or the override.
  r.add("POST", "/api/v1/sales/{id}/void", "sales.create", "Void a completed sale (sales.void or an override)",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "sale");
          auto request = parse_void(json::parse_object(req.body));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto p = void_sale(db, actor, id, request.reason, request.override_token);
            return http::json_response(200, p.document);
          });
        });

  // A sale caught by the cut: the number its register printed offline (docs/offline-register.md).
  r.add("POST", "/api/v1/sales/{id}/offline-receipt", "sales.create",
        "Record the receipt number a register printed offline for a sale whose first try reached the server",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "sale");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"receipt_number"});
          auto number = f.opt_identifier("receipt_number", 80);
          if (!number) throw missing_field("receipt_number");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, record_offline_receipt(db, actor, id, *number).document);
          });
        });

  r.add("POST", "/api/v1/returns", "returns.create", "Return items against a receipt (or without one, by permission)",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          auto request = parse_return_request(body, "");
          request.key = documents::document_key(req, body);
          if (request.location_id) stock::check_location_scope(req.actor, *request.location_id);
          // At a store node, a note it does not hold is asked of head office here, before the writer.
          ask_about_refund_note(app.read(), request);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [request, actor](db::Db& db) {
            auto p = post_return(db, actor, request).posted;
            return posted_response(p, "/api/v1/returns/" + doc_id(p));
          });
        });

  r.add("GET", "/api/v1/returns/{id}", "sales.read", "Read a return", [&app](Request& req, Reply reply) {
    auto id = documents::id_param(req, 0, "return");
    auto ret = load_return(app.read(), id);
    if (!ret) throw not_found("return", id);
    reply(http::json_response(200, *ret));
  });

  r.add("POST", "/api/v1/exchanges", "returns.create", "A return and a new sale as one document",
        [&app](Request& req, Reply reply) {
          if (!req.actor.can(permission::sales_create))
            throw Problem(403, "forbidden", "an exchange also sells: it needs sales.create");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "return", "sale"});
          auto* ret = f.opt_object("return");
          if (!ret) throw missing_field("return");
          auto* sale = f.opt_object("sale");
          if (!sale) throw missing_field("sale");
          ExchangeRequest exchange;
          exchange.key = documents::document_key(req, body);
          exchange.return_request = parse_return_request(*ret, "return");
          exchange.return_request.key = documents::DocumentKey{std::nullopt, std::nullopt, exchange.key.request_hash};
          exchange.sale_request = parse_sale_request(*sale, "sale", false);
          exchange.sale_request.key = documents::DocumentKey{std::nullopt, std::nullopt, exchange.key.request_hash};
          stock::check_location_scope(req.actor, exchange.sale_request.location_id);
          // The sale may be one made offline (docs/offline-register.md): checked as POST /sales checks it.
          auto draft = std::make_shared<SaleDraft>(
              named_under("sale", [&] { return draft_sale(app.read(), exchange.sale_request); }));
          ask_about_refund_note(app.read(), exchange.return_request);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [exchange, draft, actor](db::Db& db) {
            auto p = post_exchange(db, actor, exchange, *draft);
            return posted_response(p, "/api/v1/exchanges/" + doc_id(p));
          });
        });

  r.add("GET", "/api/v1/store-credits", "store_credits.read",
        "The credit notes, newest first (?open=true: those with a balance), each with its balance, when it was "
        "issued and last spent, and its store when the ledger tells",
        [&app](Request& req, Reply reply) {
          int limit = page_limit(req);
          bool open_only = false;
          if (auto open = req.query_param("open")) {
            if (*open != "true" && *open != "false") throw invalid_field("open", "open is true or false");
            open_only = *open == "true";
          }
          auto& reader = app.read();
          auto rows = list_store_credits(reader, open_only, cursor_param(req), static_cast<std::size_t>(limit) + 1);
          std::map<std::string, std::string> names;
          if (std::any_of(rows.begin(), rows.end(), [](const auto& row) { return row.location_id.has_value(); }))
            for (const auto& l : stock::list_locations(reader)) names.emplace(l.id, l.name);
          reply(list_page(
              "store_credits", std::move(rows), limit,
              [&names](const CreditNoteRow& row) {
                bj::value store = nullptr;
                if (row.location_id)
                  if (auto name = names.find(*row.location_id); name != names.end())
                    store = bj::object{{"id", name->first}, {"name", name->second}};
                return bj::object{{"id", row.id},
                                  {"code", row.code},
                                  {"balance", row.balance},
                                  {"issued_at", format_rfc3339(row.issued_at)},
                                  {"last_used_at", row.last_used_at ? bj::value(format_rfc3339(*row.last_used_at))
                                                                    : bj::value(nullptr)},
                                  {"store", std::move(store)}};
              },
              [](const CreditNoteRow& row) { return row.id; }));
        });

  r.add("GET", "/api/v1/store-credits/{code}", "sales.read", "A store credit note: balance and the entries that moved it",
        [&app](Request& req, Reply reply) {
          auto code = normalize_credit_code(req.param(0));
          if (code.size() > 40) throw not_found("store credit", code.substr(0, 40));
          // At a store node with its link up, head office's word comes first (docs/sync.md, "Store
          // credit across stores"): `balance` is what the node may spend (balance_at_node), a
          // note the node does not hold yet is answered from head office's (no id, no entries).
          auto asked = ask_head_office({code});
          auto& reader = app.read();
          auto credit = load_store_credit(reader, code);
          if (!asked.empty()) {
            auto balance = balance_at_node(asked.front(), store_credit_entries(reader, code));
            if (!credit) credit = bj::object{{"code", asked.front().code}, {"entries", bj::array{}}, {"shortfalls", bj::array{}}};
            (*credit)["balance"] = balance;
            (*credit)["head_office_balance"] = asked.front().balance;
          }
          if (!credit) throw not_found("store credit", code);
          reply(http::json_response(200, *credit));
        });

  r.add("GET", "/api/v1/exchanges/{id}", "sales.read", "Read an exchange", [&app](Request& req, Reply reply) {
    auto id = documents::id_param(req, 0, "exchange");
    auto e = load_exchange(app.read(), id);
    if (!e) throw not_found("exchange", id);
    reply(http::json_response(200, *e));
  });

  r.add("POST", "/api/v1/registers/{id}/sessions", "registers.operate", "Open a register session with a float",
        [&app](Request& req, Reply reply) {
          auto register_id = register_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "location_id", "opening_float"});
          auto key = documents::document_key(req, body);
          auto location = normalize_uuid(f.text("location_id", 64));
          if (!location) throw invalid_field("location_id", "location_id must be a UUID");
          auto opening = f.money("opening_float");
          stock::check_location_scope(req.actor, *location);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto p = open_session(db, actor, key, register_id, *location, opening);
            return posted_response(p, fmt::format("/api/v1/registers/{}/sessions/{}", register_id, doc_id(p)));
          });
        });

  r.add("GET", "/api/v1/registers/{id}/sessions", "registers.read",
        "The register's sessions, newest first, each with its X (open) or Z (closed) report",
        [&app](Request& req, Reply reply) {
          auto register_id = register_param(req);
          int limit = std::min(page_limit(req), static_cast<int>(sessions_page_max));
          auto sessions = list_sessions(app.read(), register_id, cursor_param(req), limit);
          bool more = static_cast<int>(sessions.size()) > limit;
          if (more) sessions.pop_back();
          bj::array list;
          for (auto& x : sessions) list.push_back(std::move(x));
          bj::value next = more ? bj::value(list.back().as_object().at("id")) : bj::value(nullptr);
          reply(http::json_response(200, bj::object{{"sessions", std::move(list)}, {"next_cursor", next}}));
        });

  r.add("GET", "/api/v1/registers/{id}/sessions/current", "registers.read",
        "The register's open session with its X report (404 no_open_session)", [&app](Request& req, Reply reply) {
          auto register_id = register_param(req);
          auto s = current_session(app.read(), register_id);
          if (!s)
            throw Problem(404, "no_open_session", fmt::format("register {} has no open session", register_id));
          reply(http::json_response(200, *s));
        });

  r.add("GET", "/api/v1/registers/{id}/sessions/{session}", "registers.read",
        "A register session with its running (X) or closing (Z) report", [&app](Request& req, Reply reply) {
          auto register_id = register_param(req);
          auto session = documents::id_param(req, 1, "register session");
          auto s = load_session(app.read(), register_id, session);
          if (!s) throw not_found("register session", session);
          reply(http::json_response(200, *s));
        });

  r.add("POST", "/api/v1/registers/{id}/sessions/{session}/cash", "registers.operate", "Cash in or out of the drawer",
        [&app](Request& req, Reply reply) {
          auto register_id = register_param(req);
          auto session = documents::id_param(req, 1, "register session");
          auto cash = parse_cash_movement(json::parse_object(req.body));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(
                200, session_cash(db, actor, register_id, session, cash.kind, cash.amount, cash.reason).document);
          });
        });

  r.add("POST", "/api/v1/registers/{id}/sessions/{session}/close", "registers.operate",
        "Close with what was counted per tender; answers the session with its Z report",
        [&app](Request& req, Reply reply) {
          auto register_id = register_param(req);
          auto session = documents::id_param(req, 1, "register session");
          auto counted = parse_counted(json::parse_object(req.body));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, close_session(db, actor, register_id, session, counted).document);
          });
        });
}

}  // namespace backroom::sales
