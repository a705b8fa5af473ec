// Store nodes at head office (sync/sync.hpp).
#include "sync/sync.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "access/audit.hpp"
#include "access/auth_admin.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::sync {

namespace bj = boost::json;

IssuedNode add_node(db::Db& db, const Actor& actor, const std::string& location_id) {
  auto location = stock::load_location(db, location_id);
  if (!location || !location->sellable)
    throw invalid_field("location_id", "a store node belongs to a store (a sellable location)");
  Node node;
  node.id = new_uuid_v7();
  node.location_id = location_id;
  node.created_at = now().micros;
  node.created_by = actor.user;
  // The key is granted on the authority of sync.manage, not the caller's own permissions.
  auto issued = auth::create_key(db, Actor::of(actor.user, actor.origin), fmt::format("node {}", node.id), node_role,
                                 {location_id}, std::nullopt);
  node.key_id = issued.row.id;
  store::insert_node(db, node);
  append_audit(db, actor, AuditEntry{"sync_node.add", "sync_node", node.id, std::nullopt,
                                     bj::serialize(bj::object{{"location_id", location_id}, {"key_id", node.key_id}})});
  return IssuedNode{node, issued.key};
}

std::optional<std::string> movement_document_of(const std::string& type, const std::string& entity_id,
                                                const std::string& payload) {
  if (type == "exchange.completed") return std::nullopt;
  if (type != "sale.voided") return entity_id;
  boost::system::error_code ec;
  auto json = bj::parse(payload, ec);
  if (ec || !json.is_object()) return std::nullopt;
  const auto* v = json.get_object().if_contains("void");
  if (!v || !v->is_object()) return std::nullopt;
  const auto* id = v->get_object().if_contains("id");
  if (!id || !id->is_string()) return std::nullopt;
  return std::string(id->get_string());
}

std::string_view conflict_rule(ConflictKind kind) {
  switch (kind) {
    case ConflictKind::price_difference:
      return "The sale keeps what the store charged; the difference to head office's price is reported here.";
    case ConflictKind::negative_stock:
      return "The store's sale stands; head office's stock for the store went below zero. Count the item at the store.";
    case ConflictKind::held_unit_sold:
      return "The customer at the store wins: the most recently paid online holds gave up the units and their customers "
             "are told (order.short).";
    case ConflictKind::rejected:
      return "Head office keeps the document but cannot post it; a person resolves it.";
  }
  return "";
}

namespace {

std::string detail_text(bj::object o) { return bj::serialize(o); }

struct Poster {
  db::Db& db;
  const Actor& actor;
  const Node& node;
  const store::Document& doc;
  std::int64_t at;
  std::vector<Conflict> conflicts;

  void conflict(ConflictKind kind, std::optional<std::string> item_id, bj::object detail) {
    Conflict c;
    c.id = new_uuid_v7();
    c.node_id = node.id;
    c.location_id = node.location_id;
    c.document_id = doc.id;
    c.kind = kind;
    c.item_id = std::move(item_id);
    c.detail = detail_text(std::move(detail));
    c.created_at = at;
    conflicts.push_back(std::move(c));
  }

  // Where head office books a movement the node made at `kind` of location: the node's store
  // itself, or the store's bin of that kind (the store when it has none).
  std::string location_for(const std::string& kind) {
    auto k = stock::location_kinds.parse(kind);
    if (k && stock::is_bin(*k)) return stock::bin_of(db, node.location_id, kind);
    return node.location_id;
  }

  // Posts the document's movements, or rejects the whole document; returns its status.
  std::string_view post() {
    const auto& moved = *doc.movements;
    if (moved.empty()) return "kept";
    std::map<std::string, std::optional<catalog::Item>> items;
    for (const auto& m : moved)
      if (!items.contains(m.item_id)) items[m.item_id] = catalog::store::load_item(db, m.item_id);
    for (const auto& [id, item] : items)
      if (!item) {
        conflict(ConflictKind::rejected, std::nullopt,
                 bj::object{{"reason", "unknown_item"},
                            {"message", fmt::format("item {} is not known at head office (made at the store?)", id)},
                            {"missing_item_id", id}});
        return "rejected";
      }
    std::vector<stock::Movement> moves;
    for (const auto& m : moved) {
      auto reason = stock::movement_reasons.parse(m.reason);
      moves.push_back(stock::Movement{m.item_id, location_for(m.location_kind), Quantity{m.quantity},
                                      reason ? stock::MovementReason(*reason) : stock::MovementReason("correction"),
                                      std::string(node_document_type), doc.id, m.document_line_id});
    }
    // What was held where stock goes out, to tell when the last-unit rule gave up a hold.
    std::map<std::pair<std::string, std::string>, stock::Balance> before;
    std::map<std::pair<std::string, std::string>, std::int64_t> change;
    for (const auto& m : moves) change[{m.item_id, m.location_id}] += m.quantity.milli;
    for (const auto& [key, delta] : change)
      if (delta < 0) before[key] = stock::balance(db, key.first, key.second);
    auto flags = stock::post_movements(db, moves, stock::PostContext{actor.user, node.id, stock::NegativeStock::allow});
    for (const auto& f : flags)
      conflict(ConflictKind::negative_stock, f.item_id,
               bj::object{{"location_id", f.location_id}, {"on_hand", json::quantity_value(f.on_hand)}});
    for (const auto& [key, b] : before) {
      Quantity after{b.on_hand.milli + change[key]};
      if (b.reserved.milli > 0 && after.milli < b.reserved.milli)
        conflict(ConflictKind::held_unit_sold, key.first,
                 bj::object{{"location_id", key.second},
                            {"held_before", json::quantity_value(b.reserved)},
                            {"on_hand_before", json::quantity_value(b.on_hand)},
                            {"on_hand_after", json::quantity_value(after)}});
    }
    return "posted";
  }

  // A sale at another price than head office's for the item at the sale's moment.
  void compare_prices() {
    if (doc.type != "sale.completed") return;
    boost::system::error_code ec;
    auto json = bj::parse(doc.payload, ec);
    if (ec || !json.is_object()) return;
    const auto* lines = json.get_object().if_contains("lines");
    const auto* tier = json.get_object().if_contains("price_tier");
    if (!lines || !lines->is_array() || (tier && tier->is_string())) return;  // a tier price is not the regular one
    for (const auto& l : lines->get_array()) {
      if (!l.is_object()) continue;
      const auto& line = l.get_object();
      const auto* item = line.if_contains("item_id");
      const auto* charged = line.if_contains("unit_price");
      if (!item || !item->is_string() || !charged || !charged->is_int64()) continue;
      auto price = store::price_at(db, std::string(item->get_string()), doc.node_at);
      if (!price || *price == charged->get_int64()) continue;
      const auto* quantity = line.if_contains("quantity");
      conflict(ConflictKind::price_difference, std::string(item->get_string()),
               bj::object{{"sale_id", doc.entity_id},
                          {"receipt_number", json.get_object().if_contains("receipt_number")
                                                 ? *json.get_object().if_contains("receipt_number")
                                                 : bj::value(nullptr)},
                          {"charged", charged->get_int64()},
                          {"head_office_price", *price},
                          {"quantity", quantity ? *quantity : bj::value(nullptr)}});
    }
  }
};

}  // namespace

int receive_documents(db::Db& db, const Actor& actor, const Node& node, const std::vector<store::Document>& documents) {
  auto at = now().micros;
  auto kept = store::insert_documents(db, node, documents, at);
  std::set<std::string> fresh(kept.begin(), kept.end());
  for (const auto& doc : documents) {
    if (!fresh.erase(doc.id) || !doc.movements) continue;  // a repeat, or from a node before migration 30
    Poster poster{db, actor, node, doc, at, {}};
    auto status = poster.post();
    if (status != "rejected") poster.compare_prices();
    store::set_document_status(db, doc.id, status);
    bj::array conflict_ids;
    for (const auto& c : poster.conflicts) {
      store::insert_conflict(db, c);
      conflict_ids.push_back(bj::value(c.id));
    }
    if (status != "kept" || !poster.conflicts.empty())
      append_audit(db, actor,
                   AuditEntry{"sync_document.post", "sync_document", doc.id, std::nullopt,
                              bj::serialize(bj::object{{"node_id", node.id},
                                                       {"type", doc.type},
                                                       {"entity_id", doc.entity_id},
                                                       {"status", status},
                                                       {"movements", static_cast<std::int64_t>(doc.movements->size())},
                                                       {"conflicts", std::move(conflict_ids)}})});
  }
  return static_cast<int>(kept.size());
}

std::vector<std::string> check_sync(db::Db& db) {
  std::vector<std::string> problems;
  for (const auto& id : store::unposted_movement_documents(db))
    problems.push_back(fmt::format("movement: node document {} is not a posted document", id));
  std::string after;
  for (;;) {
    auto page = store::posted_documents(db, after, 500);
    if (page.empty()) break;
    for (const auto& d : page) {
      std::map<std::string, std::int64_t> sent;
      boost::system::error_code ec;
      auto list = bj::parse(d.movements, ec);
      if (!ec && list.is_array())
        for (const auto& m : list.get_array())
          if (m.is_object() && m.get_object().contains("item_id") && m.get_object().at("quantity").is_int64())
            sent[std::string(m.get_object().at("item_id").as_string())] += m.get_object().at("quantity").get_int64();
      std::erase_if(sent, [](const auto& e) { return e.second == 0; });
      auto booked = d.booked;
      std::erase_if(booked, [](const auto& e) { return e.second == 0; });
      if (sent != booked && problems.size() < 1000)
        problems.push_back(fmt::format("node document {}: its movements here do not add up to what the node sent", d.id));
    }
    after = page.back().id;
  }
  return problems;
}

bj::object conflict_to_json(db::Db& db, const Conflict& c) {
  boost::system::error_code ec;
  auto detail = bj::parse(c.detail, ec);
  auto location = stock::load_location(db, c.location_id);
  bj::value item = nullptr;
  if (c.item_id) {
    if (auto it = catalog::store::load_item(db, *c.item_id))
      item = bj::object{{"id", it->id}, {"sku", it->sku}, {"name", it->name}};
    else
      item = bj::object{{"id", *c.item_id}, {"sku", nullptr}, {"name", nullptr}};
  }
  auto opt_text = [](const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); };
  return bj::object{{"id", c.id},
                    {"kind", conflict_kinds.text(c.kind)},
                    {"rule", conflict_rule(c.kind)},
                    {"node_id", c.node_id},
                    {"location_id", c.location_id},
                    {"location_name", location ? bj::value(location->name) : bj::value(nullptr)},
                    {"document_id", c.document_id},
                    {"item", std::move(item)},
                    {"detail", ec || !detail.is_object() ? bj::value(bj::object{}) : detail},
                    {"created_at", format_rfc3339(Timestamp{c.created_at})},
                    {"status", c.resolved ? "resolved" : "open"},
                    {"resolved_at", c.resolved_at ? bj::value(format_rfc3339(Timestamp{*c.resolved_at})) : bj::value(nullptr)},
                    {"resolved_by", opt_text(c.resolved_by)},
                    {"note", opt_text(c.note)}};
}

Conflict resolve_conflict(db::Db& db, const Actor& actor, const std::string& id, const std::string& note) {
  auto c = store::load_conflict(db, id);
  if (!c) throw not_found("conflict", id);
  if (c->resolved) throw Problem(409, "already_resolved", "this conflict is already resolved", "id");
  auto at = now().micros;
  store::resolve_conflict(db, id, at, actor.user, note);
  append_audit(db, actor, AuditEntry{"sync_conflict.resolve", "sync_conflict", id, std::nullopt,
                                     bj::serialize(bj::object{{"kind", conflict_kinds.text(c->kind)}, {"note", note}})});
  return *store::load_conflict(db, id);
}

void note_pull(db::Db& db, const std::string& node_id, std::int64_t queue_length) {
  store::touch_node(db, node_id, now().micros, queue_length);
}

bj::object node_to_json(db::Db& db, const Node& n) {
  auto location = stock::load_location(db, n.location_id);
  return bj::object{{"id", n.id},
                    {"location_id", n.location_id},
                    {"location_name", location ? location->name : std::string()},
                    {"key_id", n.key_id},
                    {"created_at", format_rfc3339(Timestamp{n.created_at})},
                    {"created_by", n.created_by},
                    {"last_sync_at", n.last_sync_at ? bj::value(format_rfc3339(Timestamp{*n.last_sync_at}))
                                                    : bj::value(nullptr)},
                    {"queue_length", n.queue_length},
                    {"documents_received", store::count_documents(db, n.id)}};
}

}  // namespace backroom::sync
