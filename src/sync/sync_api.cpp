// HTTP routes of store nodes at head office (sync/sync.hpp): node keys (sync.manage) and the
// change feed a node pulls with its own key (sync.node).
#include "sync/sync_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <vector>
#include <optional>
#include <utility>

#include "access/permissions.hpp"
#include "catalog/changes.hpp"
#include "platform/documents.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "platform/text.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"
#include "access/people_feed.hpp"
#include "sync/shop_settings.hpp"
#include "sync/change_requests.hpp"
#include "purchasing/purchase_orders.hpp"
#include "sales/sales.hpp"
#include "sync/inbound.hpp"
#include "sync/inbound_orders.hpp"
#include "sync/node_clock.hpp"
#include "sync/outbound.hpp"
#include "sync/puller.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {
inline constexpr std::int64_t queue_length_max = 1'000'000'000;
inline constexpr std::size_t documents_per_push_max = 500;

inline constexpr std::size_t movements_per_document_max = 2000;

std::vector<PushedMovement> read_movements(const bj::array& list, const std::string& path) {
  if (list.size() > movements_per_document_max)
    throw invalid_field(path, fmt::format("at most {} movements a document", movements_per_document_max));
  std::vector<PushedMovement> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string at = fmt::format("{}[{}]", path, i);
    if (!list[i].is_object()) throw invalid_field(at, "a movement is an object");
    json::Fields m{list[i].get_object(), at};
    m.only({"item_id", "location_kind", "quantity", "reason", "document_type", "document_id", "document_line_id"});
    PushedMovement pm;
    auto item = m.opt_text("item_id", 64);
    auto item_id = item ? normalize_uuid(*item) : std::nullopt;
    if (!item_id) throw invalid_field(m.name("item_id"), "item_id is an item id");
    pm.item_id = *item_id;
    auto kind = m.opt_identifier("location_kind", 40);
    auto parsed_kind = kind ? stock::location_kinds.parse(*kind) : std::nullopt;
    if (!parsed_kind || *parsed_kind == stock::LocationKind::transit)
      throw invalid_field(m.name("location_kind"), "location_kind is the kind of a location at the node's store");
    pm.location_kind = *kind;
    auto quantity = m.opt_quantity("quantity");
    if (!quantity || quantity->milli == 0) throw invalid_field(m.name("quantity"), "quantity is a signed quantity, not 0");
    pm.quantity = quantity->milli;
    auto reason = m.opt_identifier("reason", 40);
    if (!reason || !stock::movement_reasons.parse(*reason))
      throw invalid_field(m.name("reason"), "reason is a stock movement reason");
    pm.reason = *reason;
    auto type = m.opt_identifier("document_type", 40);
    if (!type) throw missing_field(m.name("document_type"));
    pm.document_type = *type;
    auto document = m.opt_identifier("document_id", 64);
    if (!document) throw missing_field(m.name("document_id"));
    pm.document_id = *document;
    pm.document_line_id = m.opt_identifier("document_line_id", 64);
    out.push_back(std::move(pm));
  }
  return out;
}

// The push's body is taken (not copied): each document's payload is moved out of it into
// Document::parsed once it is read, so that head office parses a payload once.
struct Push {
  PushPlace place;
  std::vector<store::Document> documents;
};
Push read_push(bj::object body) {
  json::Fields f{body, ""};
  f.only({"after", "through", "documents"});
  Push push;
  push.place.after = f.opt_integer("after", 0, std::numeric_limits<std::int64_t>::max());
  push.place.through = f.opt_integer("through", 0, std::numeric_limits<std::int64_t>::max());
  auto& out = push.documents;
  auto list = f.opt_array("documents");
  if (!list) throw missing_field("documents");
  if (list->size() > documents_per_push_max)
    throw invalid_field("documents", fmt::format("at most {} documents a push", documents_per_push_max));
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string path = fmt::format("documents[{}]", i);
    if (!(*list)[i].is_object()) throw invalid_field(path, "a document is an object");
    json::Fields d{(*list)[i].get_object(), path};
    d.only({"id", "type", "entity_id", "at", "hlc", "payload", "movements"});
    store::Document doc;
    auto id = d.opt_text("id", 64);
    if (!id) throw missing_field(d.name("id"));
    auto uuid = normalize_uuid(*id);
    if (!uuid) throw invalid_field(d.name("id"), "a document id is a UUID");
    doc.id = *uuid;
    auto type = d.opt_identifier("type", 40);
    if (!type) throw missing_field(d.name("type"));
    doc.type = *type;
    auto entity = d.opt_identifier("entity_id", 64);
    if (!entity) throw missing_field(d.name("entity_id"));
    doc.entity_id = *entity;
    auto at = d.opt_text("at", 40);
    auto parsed = at ? parse_rfc3339(*at) : std::nullopt;
    if (!parsed) throw invalid_field(d.name("at"), "at is the node's time of the document (RFC 3339)");
    doc.node_at = parsed->micros;
    // The node's hybrid logical clock (sync/hlc.hpp); absent from a node before migration 35.
    if (auto stamp = d.opt_text("hlc", hlc::text_length + 1)) {
      doc.hlc = hlc::parse(*stamp);
      if (!doc.hlc) throw invalid_field(d.name("hlc"), "hlc is the node's hybrid logical clock: 16 hex digits");
    }
    auto payload = d.opt_object("payload");
    if (!payload) throw missing_field(d.name("payload"));
    doc.payload = bj::serialize(*payload);
    if (auto moved = d.opt_array("movements")) doc.movements = read_movements(*moved, d.name("movements"));
    // Last: nothing reads this document's part of the body after it.
    doc.parsed = std::make_shared<const bj::value>(std::move(*body.at("documents").as_array()[i].as_object().if_contains("payload")));
    out.push_back(std::move(doc));
  }
  return push;
}
// A node's push of change requests: {change_requests: [...], pending: [ids]}.
struct ChangeRequestPush {
  std::vector<ChangeRequest> requests;
  std::vector<std::string> pending;
};

ChangeRequestPush read_change_request_push(const bj::object& body, const http::Router& router) {
  json::Fields f{body, ""};
  f.only({"change_requests", "pending"});
  ChangeRequestPush out;
  const auto* list = f.opt_array("change_requests");
  if (!list) throw missing_field("change_requests");
  if (list->size() > change_requests_per_push_max)
    throw invalid_field("change_requests", fmt::format("at most {} change requests a push", change_requests_per_push_max));
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string path = fmt::format("change_requests[{}]", i);
    if (!(*list)[i].is_object()) throw invalid_field(path, "a change request is an object");
    json::Fields c{(*list)[i].get_object(), path};
    c.only({"id", "method", "path", "query", "route", "action", "content_type", "if_match", "body", "subject",
            "requested_by", "requested_at"});
    ChangeRequest r;
    auto id = c.opt_text("id", 64);
    auto uuid = id ? normalize_uuid(*id) : std::nullopt;
    if (!uuid) throw invalid_field(c.name("id"), "a change request id is a UUID");
    r.id = *uuid;
    auto method = c.opt_identifier("method", 10);
    if (!method) throw missing_field(c.name("method"));
    r.method = *method;
    auto target = c.opt_identifier("path", 1000);
    if (!target) throw missing_field(c.name("path"));
    r.path = *target;
    // Head office runs a node's request only on one of its own master-data routes.
    auto route = master_data_route_of(r.method, r.path);
    if (!route) throw invalid_field(c.name("path"), "a change request edits master data (docs/sync.md)");
    r.route = *route;
    for (const auto& known : router.routes())
      if (known.method == r.method && known.pattern == r.route) {
        r.permission = known.permission;
        r.action = known.summary;
      }
    bj::array query;
    if (const auto* q = c.opt_array("query")) {
      for (const auto& pair : *q) {
        if (!pair.is_array() || pair.get_array().size() != 2 || !pair.get_array()[0].is_string() ||
            !pair.get_array()[1].is_string())
          throw invalid_field(c.name("query"), "query is a list of [name, value] pairs");
        query.push_back(pair);
      }
    }
    r.query = bj::serialize(query);
    r.content_type = c.opt_text("content_type", 100).value_or("application/json");
    r.if_match = c.opt_text("if_match", 100);
    // The body as the node received it (JSON or CSV text): not free text, not checked here.
    if (const auto* b = c.object.if_contains("body"); b && !b->is_null()) {
      if (!b->is_string() || b->get_string().size() > change_request_body_max)
        throw invalid_field(c.name("body"), "body is the request's body as text");
      r.body = std::string(b->get_string());
    }
    const auto* subject = c.opt_object("subject");
    r.subject = subject ? bj::serialize(*subject) : "{}";
    auto who = c.opt_text("requested_by", 200);
    if (!who || who->empty()) throw missing_field(c.name("requested_by"));
    r.requested_by = *who;
    auto at = c.opt_text("requested_at", 40);
    auto parsed = at ? parse_rfc3339(*at) : std::nullopt;
    if (!parsed) throw invalid_field(c.name("requested_at"), "requested_at is the node's time of the request (RFC 3339)");
    r.requested_at = parsed->micros;
    out.requests.push_back(std::move(r));
  }
  if (const auto* pending = f.opt_array("pending")) {
    if (pending->size() > pending_asked_per_push_max)
      throw invalid_field("pending", fmt::format("at most {} ids", pending_asked_per_push_max));
    for (const auto& v : *pending) {
      auto id = v.is_string() ? normalize_uuid(v.get_string()) : std::nullopt;
      if (!id) throw invalid_field("pending", "pending lists change request ids");
      out.pending.push_back(*id);
    }
  }
  return out;
}

// ?cursor= of a list paged by its rows' ids (the last row of the page before), or nullopt.
std::optional<std::string> uuid_cursor(const Request& req) {
  std::optional<std::string> cursor;
  if (auto c = req.query_param("cursor"); c && !c->empty()) {
    cursor = normalize_uuid(*c);
    if (!cursor) throw invalid_field("cursor", "cursor is the next_cursor of a previous page");
  }
  return cursor;
}

// ?node_id= and ?cursor= (a row's id) of the lists by node: conflicts, change requests.
std::pair<std::optional<std::string>, std::optional<std::string>> node_and_cursor(const Request& req) {
  std::optional<std::string> node_id;
  if (auto n = req.query_param("node_id")) {
    node_id = normalize_uuid(*n);
    if (!node_id) throw invalid_field("node_id", "node_id is a store node's id");
  }
  return {node_id, uuid_cursor(req)};
}

std::optional<std::string> status_filter(const Request& req, std::initializer_list<std::string_view> allowed,
                                         std::string_view all) {
  auto status = req.query_param("status");
  if (!status || *status == all) return std::nullopt;
  for (auto a : allowed)
    if (*status == a) return *status;
  throw invalid_field("status", "status is pending, applied, rejected or all");
}
// The body {note} of a decision a person writes down; 422 naming `note` when it is missing
// or blank, with `why` saying what the note is for.
std::string required_note(const Request& req, std::size_t max, const char* why) {
  auto body = json::parse_object(req.body);
  json::Fields f{body, ""};
  f.only({"note"});
  auto note = f.opt_text("note", max);
  if (!note || note->find_first_not_of(" \t\r\n") == std::string::npos) throw invalid_field("note", why);
  return *note;
}

}  // namespace

void register_sync_routes(App& app) {
  auto& r = app.router;
  r.add("GET", "/api/v1/sync/nodes", std::string(permission::sync_manage),
        "Store nodes: their store, when each last pulled and how many documents it reported waiting",
        [&app](Request&, Reply reply) {
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          bj::array nodes;
          for (const auto& n : store::list_nodes(db)) nodes.push_back(node_to_json(db, n));
          reply(http::json_response(200, bj::object{{"nodes", std::move(nodes)}}));
        });

  r.add("POST", "/api/v1/sync/nodes", std::string(permission::sync_manage),
        "Add a store node for a store; its key is in this response only", [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"location_id"});
          auto raw = f.opt_text("location_id", 64);
          if (!raw) throw missing_field("location_id");
          auto location_id = normalize_uuid(*raw);
          if (!location_id) throw invalid_field("location_id", "location_id is a location id");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=, id = *location_id](db::Db& db) {
            auto issued = add_node(db, actor, id);
            auto json = node_to_json(db, issued.node);
            json["key"] = issued.key;
            return http::json_response(201, json);
          });
        });
  r.set_idempotency("POST", "/api/v1/sync/nodes", http::Idempotency::stored_sealed,
                    "the answer holds the node's key, shown once");

  r.add("POST", "/api/v1/sync/documents", std::string(permission::sync_node),
        "A store node pushes its documents (sales, voids, returns, exchanges, adjustments, approved counts, goods "
        "receipts) in a batch, each with the stock movements it made; each is kept once by its id and its movements "
        "posted at the node's store",
        [&app](Request& req, Reply reply) {
          auto push = read_push(json::parse_object(req.body));
          auto node = store::node_by_key(app.read(), req.actor.user_id);
          if (!node) throw Problem(403, "not_a_node", "documents are pushed with a store node's key");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [actor, node = *node, push = std::move(push)](db::Db& db) {
            const auto& documents = push.documents;
            auto applied = store::pushed_through(db, node.id);
            if (!push_in_order(push.place, applied))
              throw Problem(409, "push_out_of_order",
                            fmt::format("this push follows the one that ended at {}; head office last applied {}",
                                        *push.place.after, applied ? std::to_string(*applied) : "none"),
                            "after");
            int fresh = receive_documents(db, actor, node, documents);
            store::set_pushed_through(db, node.id, push.place.through);
            return http::json_response(200, bj::object{{"received", static_cast<std::int64_t>(documents.size())},
                                                        {"new", fresh},
                                                        {"duplicates", static_cast<std::int64_t>(documents.size()) - fresh},
                                                        {"hlc", hlc::format(clock_last(db))}});
          });
        });

  r.add("GET", "/api/v1/sync/store-credits/{code}", std::string(permission::sync_node),
        "A store node asks head office about a store credit note before spending it (docs/sync.md, \"Store credit "
        "across stores\"): its balance at head office and the documents that moved it there",
        [&app](Request& req, Reply reply) {
          auto code = sales::normalize_credit_code(req.param(0));
          if (code.empty() || code.size() > sales::credit_code_length_max ||
              code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != std::string::npos)
            throw invalid_field("code", "a store credit code is letters, digits and dashes (SC-XXXX-XXXX-XXXX)");
          // Asked with a node's key (a caller that is not a node, an admin looking, reads the same).
          auto credit = sales::load_store_credit(app.read(), code);
          if (!credit) throw not_found("store credit", code);
          bj::array documents;
          for (const auto& e : credit->at("entries").as_array()) documents.push_back(e.as_object().at("document_id"));
          for (const auto& f : credit->at("shortfalls").as_array()) documents.push_back(f.as_object().at("sale_id"));
          reply(http::json_response(200, bj::object{{"code", credit->at("code")},
                                                    {"balance", credit->at("balance")},
                                                    {"document_ids", std::move(documents)}}));
        });

  r.add("GET", "/api/v1/sync/conflicts", std::string(permission::sync_manage),
        "What head office found posting store nodes' documents: price differences, negative stock, held units sold at "
        "a store, rejected documents; open ones first by default (?status=open|resolved|all, ?node_id=)",
        [&app](Request& req, Reply reply) {
          int limit = page_limit(req);
          std::optional<bool> resolved = false;
          if (auto status = req.query_param("status")) {
            if (*status == "open") resolved = false;
            else if (*status == "resolved") resolved = true;
            else if (*status == "all") resolved.reset();
            else throw invalid_field("status", "status is open, resolved or all");
          }
          auto [node_id, before] = node_and_cursor(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto rows = store::list_conflicts(db, resolved, node_id, before, limit + 1);
          reply(list_page("conflicts", std::move(rows), limit, [](const Conflict& c) { return conflict_to_json(c); },
                          [](const Conflict& c) { return c.id; }));
        });

  r.add("GET", "/api/v1/sync/cash-ups", std::string(permission::sync_manage),
        "The register sessions the store nodes closed, newest first: each till's Z report as the store counted it "
        "(expected, counted and over/short per tender, net sales); ?node_id=",
        [&app](Request& req, Reply reply) {
          int limit = page_limit(req);
          auto [node_id, before] = node_and_cursor(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto rows = store::list_cash_ups(db, node_id, before, limit + 1);
          reply(list_page("cash_ups", std::move(rows), limit, [](const CashUp& c) { return cash_up_to_json(c); },
                          [](const CashUp& c) { return c.document_id; }));
        });

  // On a store node: the transfers head office shipped to its store (sync/inbound.hpp).
  r.add("GET", "/api/v1/sync/inbound-transfers", "stock.read",
        "On a store node: the transfers head office shipped to this store, newest first (?status=in_transit|received|cancelled|all)",
        [&app](Request& req, Reply reply) {
          int limit = page_limit(req);
          std::string status;
          if (auto s = req.query_param("status"); s && *s != "all") {
            if (*s != "in_transit" && *s != "received" && *s != "cancelled")
              throw invalid_field("status", "status is in_transit, received, cancelled or all");
            status = *s;
          }
          auto before = uuid_cursor(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto rows = store::list_inbound(db, status, before, limit + 1);
          reply(list_page("transfers", std::move(rows), limit, [](const InboundTransfer& t) { return inbound_to_json(t); },
                          [](const InboundTransfer& t) { return t.id; }));
        });

  // On a store node: where it may ship to, and what it shipped there (sync/outbound.hpp).
  r.add("GET", "/api/v1/sync/destinations", "stock.read",
        "On a store node: head office's locations this store may ship a transfer to (name and kind), by id",
        [&app](Request& req, Reply reply) {
          int limit = page_limit(req);
          auto after = uuid_cursor(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto rows = store::list_destinations(db, after, limit + 1);
          reply(list_page("destinations", std::move(rows), limit, [](const Destination& d) { return destination_to_json(d); },
                          [](const Destination& d) { return d.id; }));
        });

  r.add("GET", "/api/v1/sync/outbound-transfers", "stock.read",
        "On a store node: the transfers this store shipped to head office's locations, newest first",
        [&app](Request& req, Reply reply) {
          int limit = page_limit(req);
          auto before = uuid_cursor(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto rows = store::list_outbound(db, before, limit + 1);
          reply(list_page("transfers", std::move(rows), limit, [](const OutboundTransfer& t) { return outbound_to_json(t); },
                          [](const OutboundTransfer& t) { return t.id; }));
        });

  r.add("GET", "/api/v1/sync/outbound-transfers/{id}", "stock.read",
        "On a store node: a transfer this store shipped to one of head office's locations", [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "outbound transfer");
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto t = store::load_outbound(db, id);
          if (!t) throw not_found("outbound transfer", id);
          reply(http::json_response(200, outbound_to_json(*t)));
        });

  r.add("POST", "/api/v1/sync/outbound-transfers/{id}/cancel", "stock.transfer",
        "On a store node: cancel a shipment head office has not said arrived (shipped or refused): the goods are "
        "booked back in where they left from and head office hears of it; a reason is required",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "outbound transfer");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"reason"});
          auto reason = std::string(text::trim(f.text("reason", stock::reason_note_length_max)));
          if (reason.empty()) throw invalid_field("reason", "say why the shipment is cancelled");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, outbound_to_json(cancel_outbound(db, actor, id, reason)));
          });
        });

  r.add("GET", "/api/v1/sync/inbound-transfers/{id}", "stock.read",
        "On a store node: a transfer head office shipped to this store", [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "inbound transfer");
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto t = store::load_inbound(db, id);
          if (!t) throw not_found("inbound transfer", id);
          reply(http::json_response(200, inbound_to_json(*t)));
        });

  r.add("POST", "/api/v1/sync/inbound-transfers/{id}/receive", "stock.transfer",
        "On a store node: receive a transfer from head office once: what arrived per line (received, damaged); the "
        "rest of each line is short. Pushed to head office, which closes its transfer",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "inbound transfer");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"lines", "location_id"});
          InboundReceipt in;
          if (auto l = f.opt_identifier("location_id", 64)) {
            in.location_id = normalize_uuid(*l);
            if (!in.location_id) throw invalid_field("location_id", "location_id must be a UUID");
          }
          auto array = f.opt_array("lines");
          in.all = !array;
          if (array)
            for (auto& l : documents::received_lines(*array, "line_id", 1000))
              in.lines.push_back(InboundReceiptLine{std::move(l.key), l.by_item, l.received, l.damaged});
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto t = receive_inbound_transfer(db, actor, id, in);
            return http::json_response(200, inbound_to_json(t));
          });
        });

  // On a store node: the purchase orders head office sent for its store (sync/inbound_orders.hpp).
  r.add("GET", "/api/v1/sync/inbound-orders", "stock.read",
        "On a store node: the purchase orders head office sent for this store, newest first "
        "(?status=open|sent|partially_received|received|closed|cancelled|all; default all)",
        [&app](Request& req, Reply reply) {
          int limit = page_limit(req);
          std::string status;
          bool open = false;
          if (auto s = req.query_param("status"); s && *s != "all") {
            if (*s == "open")
              open = true;
            else if (purchasing::order_statuses.parse(*s) && *s != "draft")
              status = *s;
            else
              throw invalid_field("status", "status is open, sent, partially_received, received, closed, cancelled or all");
          }
          std::optional<std::string> before;
          if (auto c = req.query_param("cursor"); c && !c->empty()) {
            before = normalize_uuid(*c);
            if (!before) throw invalid_field("cursor", "cursor is the next_cursor of a previous page");
          }
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto rows = store::list_inbound_orders(db, status, open, before, limit + 1);
          reply(list_page("purchase_orders", std::move(rows), limit,
                          [](const InboundOrder& o) { return inbound_order_to_json(o, nullptr); },
                          [](const InboundOrder& o) { return o.id; }));
        });

  r.add("GET", "/api/v1/sync/inbound-orders/{id}", "stock.read",
        "On a store node: a purchase order head office sent for this store, with its deliveries",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "inbound purchase order");
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto o = store::load_inbound_order(db, id);
          if (!o) throw not_found("inbound purchase order", id);
          auto receipts = store::inbound_order_receipts(db, id);
          reply(http::json_response(200, inbound_order_to_json(*o, &receipts)));
        });

  r.add("POST", "/api/v1/sync/inbound-orders/{id}/receive", "purchasing.receive",
        "On a store node: receive a delivery of a purchase order head office sent for this store (received counts "
        "damaged units too; short and over allowed, over the tolerance needs a manager). Pushed to head office, which "
        "records it on its order",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "inbound purchase order");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"lines", "location_id", "override_token"});
          InboundOrderReceipt in;
          if (auto l = f.opt_identifier("location_id", 64)) {
            in.location_id = normalize_uuid(*l);
            if (!in.location_id) throw invalid_field("location_id", "location_id must be a UUID");
          }
          in.override_token = f.opt_identifier("override_token", 200);
          auto array = f.opt_array("lines");
          if (!array) throw missing_field("lines");
          for (auto& l : documents::received_lines(*array, "po_line_id", 1000))
            in.lines.push_back(InboundOrderReceiptLine{std::move(l.key), l.by_item, l.received, l.damaged});
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto d = receive_inbound_order(db, actor, id, in);
            auto o = store::load_inbound_order(db, id);
            auto receipts = store::inbound_order_receipts(db, id);
            bj::object out = inbound_order_to_json(*o, &receipts);
            bj::object out_receipt{{"id", d.id}, {"number", d.number}};
            return http::json_response(200, bj::object{{"receipt", std::move(out_receipt)}, {"purchase_order", std::move(out)}});
          });
        });

  r.add("POST", "/api/v1/sync/conflicts/{id}/resolve", std::string(permission::sync_manage),
        "Close a conflict with the note a person wrote (what was done about it); a store_credit_overdrawn conflict "
        "with its shortfall's settlement too (written_off or collected)",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "conflict");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"note", "settlement"});
          auto note = f.opt_text("note", conflict_note_length_max);
          if (!note || note->find_first_not_of(" \t\r\n") == std::string::npos)
            throw invalid_field("note", "note says what was done about the conflict");
          std::optional<std::string> settlement;
          if (auto word = f.opt_text("settlement", 20)) {
            if (std::find(sales::shortfall_settlements.begin(), sales::shortfall_settlements.end(), *word) ==
                sales::shortfall_settlements.end())
              throw invalid_field("settlement", "settlement is written_off (a loss) or collected (the customer paid it)");
            settlement = *word;
          }
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto c = resolve_conflict(db, actor, id, *note, settlement);
            return http::json_response(200, conflict_to_json(c));
          });
        });

  r.add("POST", "/api/v1/sync/conflicts/{id}/retry", std::string(permission::sync_manage),
        "Post a rejected document again now that its cause is fixed (the item exists at head office), or put a "
        "refused shipment in transit (to its destination, or to to_location_id); the conflict is resolved as posted "
        "by retry, or 409 still_rejected / still_refused with the reason and nothing written",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "conflict");
          std::optional<std::string> note, to_location_id;
          if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
            auto body = json::parse_object(req.body);
            json::Fields f{body, ""};
            f.only({"note", "to_location_id"});
            note = f.opt_text("note", conflict_note_length_max);
            if (note && note->find_first_not_of(" \t\r\n") == std::string::npos)
              throw invalid_field("note", "note, when given, says why the document could be posted now");
            if (auto to = f.opt_text("to_location_id", 64)) {
              to_location_id = normalize_uuid(*to);
              if (!to_location_id) throw invalid_field("to_location_id", "to_location_id is a location's id (a UUID)");
            }
          }
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto c = retry_conflict(db, actor, id, note, to_location_id);
            return http::json_response(200, conflict_to_json(c));
          });
        });

  r.add("GET", "/api/v1/sync/change-requests", std::string(permission::sync_manage),
        "Change requests: at head office those the store nodes sent (edits of master data for a person to apply or "
        "reject); on a node those it sent, with the decision it learnt (?status=pending|applied|rejected|all, ?node_id=)",
        [&app](Request& req, Reply reply) {
          int limit = page_limit(req);
          auto status = status_filter(req, {"pending", "applied", "rejected"}, "all");
          auto [node_id, before] = node_and_cursor(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto rows = store::list_change_requests(db, status, node_id, before, limit + 1);
          reply(list_page("change_requests", std::move(rows), limit,
                          [&db](const ChangeRequest& c) { return change_request_to_json(db, c); },
                          [](const ChangeRequest& c) { return c.id; }));
        });

  r.add("POST", "/api/v1/sync/change-requests", std::string(permission::sync_node),
        "A store node sends its change requests (each kept once by its id) and asks for the decisions on those it "
        "still holds pending",
        [&app](Request& req, Reply reply) {
          auto push = read_change_request_push(json::parse_object(req.body), app.router);
          auto node = store::node_by_key(app.read(), req.actor.user_id);
          if (!node) throw Problem(403, "not_a_node", "change requests are sent with a store node's key");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [actor, node = *node, push = std::move(push)](db::Db& db) {
            int fresh = receive_change_requests(db, actor, node, push.requests);
            bj::array decisions;
            for (const auto& c : store::decided_change_requests(db, node.id, push.pending))
              decisions.push_back(decision_json(c));
            auto received = static_cast<std::int64_t>(push.requests.size());
            return http::json_response(200, bj::object{{"received", received},
                                                        {"new", fresh},
                                                        {"duplicates", received - fresh},
                                                        {"decisions", std::move(decisions)}});
          });
        });

  r.add("POST", "/api/v1/sync/change-requests/{id}/apply", std::string(permission::sync_manage),
        "Apply a store node's change request: head office makes the edit through its own route as the person "
        "applying (who needs that route's permission too); it reaches the nodes by the change feed",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "change request");
          if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
            auto body = json::parse_object(req.body);
            json::Fields{body, ""}.only({});
          }
          auto c = store::load_change_request(app.read(), id);
          if (!c || !c->node_id) throw not_found("change request", id);
          if (c->status != "pending")
            throw Problem(409, "already_decided", "this change request is already applied or rejected", "id");
          if (!master_data_route_of(c->method, c->path))
            throw Problem(422, "not_master_data", "this change request does not name a master-data route", "id");
          // The edit runs through the route table like any request of this person: the same
          // authentication (their credentials), the route's permission, handler, audit.
          auto inner = std::make_shared<Request>();
          inner->method = c->method;
          inner->path = c->path;
          inner->target = c->path;
          boost::system::error_code ec;
          auto query = bj::parse(c->query, ec);
          if (!ec && query.is_array())
            for (const auto& pair : query.get_array())
              if (pair.is_array() && pair.get_array().size() == 2 && pair.get_array()[0].is_string() &&
                  pair.get_array()[1].is_string())
                inner->query.emplace_back(pair.get_array()[0].get_string(), pair.get_array()[1].get_string());
          for (const auto& [name, value] : req.headers)
            if (name != "content-type" && name != "content-length" && name != "idempotency-key" && name != "if-match")
              inner->headers.emplace_back(name, value);
          inner->headers.emplace_back("content-type", c->content_type);
          if (c->if_match) inner->headers.emplace_back("if-match", *c->if_match);
          inner->body = c->body;
          inner->request_id = req.request_id;
          inner->remote = req.remote;
          auto outer = std::make_shared<Request>(req);
          Actor actor = req.actor;
          app.router.dispatch(*inner, [&app, inner, outer, actor, id, reply](http::Response answer) {
            if (answer.status < 200 || answer.status >= 300) return reply(std::move(answer));
            auto result = std::make_shared<http::Response>(std::move(answer));
            try {
              app.command(*outer, reply, [actor, id, result](db::Db& db) {
                auto applied = mark_applied(db, actor, id, result->status);
                boost::system::error_code ec;
                auto body = bj::parse(result->body, ec);
                return http::json_response(200, bj::object{{"change_request", change_request_to_json(db, applied)},
                                                            {"result", ec ? bj::value(nullptr) : body}});
              });
            } catch (...) {
              reply(http::error_response(std::current_exception(), outer.get()));
            }
          });
        });

  r.add("POST", "/api/v1/sync/change-requests/{id}/reject", std::string(permission::sync_manage),
        "Reject a store node's change request with a note (the node learns it)", [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "change request");
          auto note = required_note(req, change_request_note_max, "note tells the store why the change was not made");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto c = reject_change_request(db, actor, id, note);
            return http::json_response(200, bj::object{{"change_request", change_request_to_json(db, c)}});
          });
        });

  r.add("GET", "/api/v1/sync/status", std::string(permission::registers_read),
        "This server's link to head office: online, offline since, last sync, the feed cursor",
        [&app](Request&, Reply reply) {
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto cursor = settings::get_int64(db, upstream_cursor_setting).value_or(0);
          auto link = link_status();
          auto json = link_status_to_json(link, cursor);
          json["queue_length"] = link.node ? waiting_documents(db) : 0;
          json["sales_waiting"] = link.node ? waiting_sales(db) : 0;
          reply(http::json_response(200, json));
        });

  r.add("GET", "/api/v1/sync/changes", std::string(permission::sync_node),
        "A store node pulls the catalog change feed after its cursor (items with barcodes and prices, scheduled price "
        "changes, tax); queue_length reports its waiting documents",
        [&app](Request& req, Reply reply) {
          auto cursor = number_cursor(req, 0, 0);
          int limit = page_limit(req);
          std::int64_t queue_length = 0;
          if (auto q = req.query_param("queue_length")) {
            try {
              std::size_t used = 0;
              queue_length = std::stoll(*q, &used);
              if (used != q->size() || queue_length < 0 || queue_length > queue_length_max) throw std::out_of_range("");
            } catch (const std::exception&) {
              throw invalid_field("queue_length", "queue_length is a count of documents");
            }
          }
          // The people version the node holds (access/people_feed.hpp): head office's people
          // come with the page when its own differs.
          auto people_held = req.query_param("people_version");
          if (people_held && (people_held->empty() || people_held->size() > 64 ||
                              people_held->find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz-") != std::string::npos))
            throw invalid_field("people_version", "people_version is the version an earlier answer's people carried");
          // The same for head office's shop settings (sync/shop_settings.hpp).
          auto settings_held = req.query_param("settings_version");
          if (settings_held && (settings_held->empty() || settings_held->size() > 64 ||
                                settings_held->find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyz-") != std::string::npos))
            throw invalid_field("settings_version", "settings_version is the version an earlier answer's settings carried");
          std::string key_id = req.actor.user_id;
          // The page is read on a reader (a snapshot); the writer only records the pull. A
          // caller that is not a node (an admin looking) reads the feed and records nothing.
          auto& reader = app.read();
          std::optional<Node> node;
          auto answer = std::make_shared<http::Response>();
          {
            db::ReadSnapshot snapshot(reader);
            node = store::node_by_key(reader, key_id);
            // A node gets the transfers head office shipped to its own store (sync/inbound.hpp);
            // an admin looking gets none.
            auto transfers = [&reader, &node](const catalog::store::CatalogChange& c) -> std::optional<bj::value> {
              if (!node) return std::nullopt;
              if (c.entity == purchasing::order_change) {  // the orders sent for its store (inbound_orders.hpp)
                auto o = purchasing::order_for_node(reader, c.key);
                if (!o || o->at("location_id").as_string() != node->location_id) return std::nullopt;
                return bj::value(std::move(*o));
              }
              // Head office's sites: the destinations this node may ship to (sync/outbound.hpp).
              if (c.entity == stock::location_change) return destination_feed_data(reader, node->location_id, c.key);
              if (c.entity != stock::transfer_change) return std::nullopt;
              auto t = stock::load_transfer(reader, c.key);
              if (!t) {
                // Not in transit here: one this node shipped and head office refused (open
                // conflict destination_refused) is told to it so, with the reason's word.
                auto refusal = store::open_refusal_of(reader, node->id, c.key);
                if (!refusal) return std::nullopt;
                return bj::value(bj::object{{"id", c.key}, {"outbound", true}, {"status", "refused"}, {"reason", refusal->reason}});
              }
              if (t->at("to_location_id").as_string() == node->location_id) return bj::value(std::move(*t));
              // A transfer from its store is one it shipped (head office ships none from a node's
              // store): what became of it, marked so (sync/outbound.hpp).
              if (t->at("from_location_id").as_string() != node->location_id) return std::nullopt;
              (*t)["outbound"] = true;
              return bj::value(std::move(*t));
            };
            auto page = catalog::changes_after(reader, cursor, limit, transfers);
            bj::object out{{"changes", std::move(page.changes)},
                           {"next_cursor", std::to_string(page.next_cursor)},
                           {"more", page.more},
                           {"hlc", hlc::format(clock_last(reader))}};
            // Only to a node's own key: an admin reading the feed never gets the hashes.
            if (node && people_held && *people_held != auth::people_version(reader))
              out["people"] = auth::people_to_json(reader);
            if (node && settings_held) {
              auto shop = shop_settings_to_json(reader);
              if (shop.at("version").as_string() != *settings_held) out["settings"] = std::move(shop);
            }
            *answer = http::json_response(200, out);
          }
          if (!node) return reply(std::move(*answer));
          app.command(req, std::move(reply), [answer, id = node->id, queue_length](db::Db& db) {
            note_pull(db, id, queue_length);
            return *answer;
          });
        });
}

}  // namespace backroom::sync
