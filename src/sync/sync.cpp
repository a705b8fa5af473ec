// Store nodes at head office (sync/sync.hpp).
#include "sync/sync.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "access/audit.hpp"
#include "access/auth_admin.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/changes.hpp"
#include "catalog/price_changes.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"
#include "purchasing/purchase_orders.hpp"
#include "sync/inbound.hpp"
#include "sync/inbound_orders.hpp"
#include "sync/money.hpp"
#include "sync/node_clock.hpp"
#include "sync/outbound.hpp"

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
  // Transfers already on their way to the store are now the node's to receive (head office's
  // own receipt of them is refused from here on): its first pull brings them.
  stock::note_open_transfers_to(db, location_id);
  purchasing::note_open_orders_to(db, location_id);  // and the orders sent for it
  // The other nodes may ship to the store as a node's store from now on, no longer to the sites
  // inside it (stock::node_destination_refusal): their feeds say so.
  for (const auto& l : stock::list_locations(db))
    if (auto kind = stock::location_kinds.parse(l.kind);
        kind && stock::is_site(*kind) && (l.id == location_id || l.parent_id == location_id))
      catalog::store::note_change(db, std::string(stock::location_change), l.id);
  append_audit(db, actor, AuditEntry{"sync_node.add", "sync_node", node.id, std::nullopt,
                                     bj::serialize(bj::object{{"location_id", location_id}, {"key_id", node.key_id}})});
  return IssuedNode{node, issued.key};
}

std::optional<std::string> movement_document_of(const std::string& type, const std::string& entity_id,
                                                const std::string& payload) {
  if (type == "exchange.completed" || type == "register.closed") return std::nullopt;
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

bj::object movement_json(const PushedMovement& m, bj::value quantity) {
  return bj::object{{"item_id", m.item_id},
                    {"location_kind", m.location_kind},
                    {"quantity", std::move(quantity)},
                    {"reason", m.reason},
                    {"document_type", m.document_type},
                    {"document_id", m.document_id},
                    {"document_line_id", m.document_line_id ? bj::value(*m.document_line_id) : bj::value(nullptr)}};
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
    case ConflictKind::po_not_receivable:
      return "The store's receipt stands and its stock stays booked at the store; head office's purchase order was "
             "cancelled or closed before it arrived, so it is not recorded on the order. Settle it with the supplier.";
    case ConflictKind::not_in_journal:
      return "The store's stock for this document is posted, but head office's sales journal could not take its money "
             "(the reason is given): the store's own books hold it and head office's sales reports leave it out. "
             "Settle it with the store, then resolve.";
    case ConflictKind::cancelled_transfer_received:
      return "The goods reached the store before it heard that head office had cancelled the transfer: the store's "
             "receipt stands, the cancel is undone for what arrived (the source gives it up again) and what did not "
             "arrive stays back at the source. If the goods are still at the source, count it there.";
    case ConflictKind::destination_refused:
      return "The goods left the store (booked out there) but head office cannot put them in transit to that "
             "destination; nothing is lost: find where they went, book them in there (an adjustment found), then resolve.";
    case ConflictKind::store_credit_overdrawn:
      return "The store's sale stands (the customer left with the goods); its store credit note held less at head office "
             "than the store took (spent elsewhere meanwhile, or unknown here), so head office spent what the note held "
             "and never below zero. The amount not covered is money out: settle it with the customer or write it off, "
             "then resolve.";
    case ConflictKind::shipment_cancel_after_receipt:
      return "The store cancelled its shipment (and booked the goods back in at the store) after the destination had "
             "received it: the receipt stands and so does the store's cancel, so what arrived is on the books twice, at "
             "the destination and at the store. Count both places, adjust the one that is wrong, then resolve.";
    case ConflictKind::cancelled_shipment_received:
      return "The receiving store counted the goods in before it heard that the sending store had cancelled the "
             "shipment: the receipt stands and so does the cancel, so the goods are on the books twice — back at the "
             "sending store and at the receiving store — until someone counts both places. Count both, adjust the one "
             "that is wrong, then resolve.";
    case ConflictKind::shipment_cancel_not_applied:
      return "The store cancelled a shipment and booked its goods back in there, but head office found nothing to "
             "cancel (the reason is given): the store's books stand as the store kept them. If the goods were booked "
             "in elsewhere meanwhile (a refusal resolved by hand), they are on the books twice: count both places, "
             "adjust the one that is wrong, then resolve.";
  }
  return "";
}

namespace {

std::string detail_text(bj::object o) { return bj::serialize(o); }

// A node as people read it: its store's name, "North Street (store node)".
std::string node_name(db::Db& db, const Node& node) {
  auto l = stock::load_location(db, node.location_id);
  return fmt::format("{} (store node)", l ? l->name : std::string("a store"));
}

// Why head office refuses to put a node's shipment in transit (stock::ship_transfer_from_node), in words.
std::string refusal_words(const std::string& why) {
  if (why == "not_found") return "the destination does not exist at head office";
  if (why == "not_a_site") return "the destination is not a store, backroom or warehouse";
  if (why == "own_store") return "the destination is the shipping store itself";
  if (why == "kept_by_store_node")
    return "the destination lies inside a store that has its own node (ship to that store itself)";
  if (why == "exists") return "head office already holds a transfer under this shipment's id";
  if (why == "unknown_item") return "the shipment names an item head office does not know";
  if (why == "no_lines") return "the shipment has no lines head office can book";
  return "head office cannot read the shipment";
}

// What one push needs to know of head office's catalog, read once for the whole batch: the
// items that exist with their regular price today, and the regular-price changes applied
// since the oldest sale in it (to tell the price at each sale's moment).
struct Catalog {
  std::map<std::string, std::optional<std::int64_t>> prices;
  std::map<std::string, std::vector<catalog::PriceChange>> changes;  // by item, oldest first

  // Head office's regular price of `item_id` at `at`: the old price of the first change
  // applied after it, else today's.
  std::optional<std::int64_t> price_at(const std::string& item_id, std::int64_t at) const {
    if (auto c = changes.find(item_id); c != changes.end())
      for (const auto& change : c->second)
        if (change.applied_at && *change.applied_at > at) return change.old_price;
    auto p = prices.find(item_id);
    return p == prices.end() ? std::nullopt : p->second;
  }
};

// The lines of a sale document's payload: item, unit price charged, quantity as sent.
struct SoldLine {
  std::string item_id;
  std::int64_t unit_price = 0;
  bj::value quantity;
};
struct Sale {
  bool tier = false;  // sold at a price tier: not compared with the regular price
  bj::value receipt_number;
  std::vector<SoldLine> lines;
};
std::optional<Sale> sale_of(const store::Document& doc) {
  if (doc.type != "sale.completed") return std::nullopt;
  std::shared_ptr<const bj::value> json;
  try {
    json = store::payload_value(doc);
  } catch (const Problem&) {
    return std::nullopt;
  }
  if (!json->is_object()) return std::nullopt;
  const auto& o = json->get_object();
  Sale sale;
  if (const auto* tier = o.if_contains("price_tier")) sale.tier = tier->is_string();
  if (const auto* number = o.if_contains("receipt_number")) sale.receipt_number = *number;
  const auto* lines = o.if_contains("lines");
  if (!lines || !lines->is_array()) return sale;
  for (const auto& l : lines->get_array()) {
    if (!l.is_object()) continue;
    const auto& line = l.get_object();
    const auto* item = line.if_contains("item_id");
    const auto* charged = line.if_contains("unit_price");
    if (!item || !item->is_string() || !charged || !charged->is_int64()) continue;
    // The payload is the node's word only: a line naming no real item id is not compared.
    auto item_id = normalize_uuid(item->get_string());
    if (!item_id) continue;
    const auto* quantity = line.if_contains("quantity");
    sale.lines.push_back(SoldLine{*item_id, charged->get_int64(), quantity ? *quantity : bj::value(nullptr)});
  }
  return sale;
}

// The status a document is kept with: posted when head office books its movements, rejected
// when one names an item head office does not know, kept when it carries none (or comes from
// a node before migration 30). The one rule: receive_documents writes it with the document,
// Poster::prepare books by it.
std::string_view status_before(const store::Document& doc, const Catalog& known) {
  if (!doc.movements || doc.movements->empty()) return "kept";
  for (const auto& m : *doc.movements)
    if (!known.prices.contains(m.item_id)) return "rejected";
  return "posted";
}

// A conflict head office found in `doc` from `node` (its order is set where the push's order is known).
Conflict node_conflict(const Node& node, const store::Document& doc, ConflictKind kind, std::optional<std::string> item_id,
                       bj::object detail, std::int64_t at) {
  Conflict c;
  c.id = new_uuid_v7();
  c.node_id = node.id;
  c.location_id = node.location_id;
  c.document_id = doc.id;
  c.kind = kind;
  c.item_id = std::move(item_id);
  c.detail = detail_text(std::move(detail));
  c.created_at = at;
  return c;
}

struct Poster {
  db::Db& db;
  const Actor& actor;
  const Node& node;
  const Catalog& known;
  std::int64_t at;

  Conflict conflict(const store::Document& doc, ConflictKind kind, std::optional<std::string> item_id, bj::object detail) const {
    return node_conflict(node, doc, kind, std::move(item_id), std::move(detail), at);
  }

  std::map<std::string, std::string> bins{};  // kind -> location, read once a push
  // Who a receipt recorded from the node's document is "by", for people: its store, never its key.
  std::string by{};

  // The key's actor named as the node's store (a receipt's by; the audit still names the key).
  Actor named() const {
    Actor a = actor;
    a.user = by;
    return a;
  }

  // Where head office books a movement the node made at `kind` of location: the node's store
  // itself, or the store's bin of that kind (the store when it has none).
  std::string location_for(const std::string& kind) {
    auto k = stock::location_kinds.parse(kind);
    if (!k || !stock::is_bin(*k)) return node.location_id;
    auto known_bin = bins.find(kind);
    if (known_bin == bins.end()) known_bin = bins.emplace(kind, stock::bin_of(db, node.location_id, kind)).first;
    return known_bin->second;
  }

  // The document's movements as head office books them (into `batch`), or the rejection of
  // the whole document; returns its status and adds what it found to `found`.
  std::string_view prepare(const store::Document& doc, std::vector<Conflict>& found,
                           std::vector<stock::BatchDocument>& batch) {
    auto status = status_before(doc, known);
    if (status == "kept") return status;
    const auto& moved = *doc.movements;
    if (status == "rejected") {
      auto missing = std::find_if(moved.begin(), moved.end(), [&](const auto& m) { return !known.prices.contains(m.item_id); });
      found.push_back(conflict(doc, ConflictKind::rejected, std::nullopt,
                               bj::object{{"reason", "unknown_item"},
                                          {"message", "an item head office does not know (made at the store?)"},
                                          {"missing_item_id", missing->item_id}}));
      return status;
    }
    std::vector<stock::Movement> moves;
    // A node's cancel of its shipment: what a destination received first is booked without the
    // transfer line's id (split_cancel_movements), so the line's figures still add up.
    std::vector<PushedMovement> split;
    if (doc.type == outbound_cancelled_event)
      if (auto cancel = pushed_cancel_of(doc.payload))
        split = split_cancel_movements(moved, stock::transfer_outstanding(db, cancel->transfer_id));
    // A receipt of a shipment its sending store's node cancelled before this store heard: the
    // line keeps the cancel's figures, the goods are booked at this store without its id.
    if (doc.type == inbound_received_event && cancelled_by_sending_node(doc)) {
      split = moved;
      for (auto& m : split) m.document_line_id.reset();
    }
    for (const auto& m : split.empty() ? moved : split) {
      auto reason = stock::movement_reasons.parse(m.reason);
      moves.push_back(stock::Movement{m.item_id, location_for(m.location_kind), Quantity{m.quantity},
                                      reason ? stock::MovementReason(*reason) : stock::MovementReason("correction"),
                                      std::string(node_document_type), doc.id, m.document_line_id});
    }
    batch.push_back(stock::BatchDocument{std::move(moves), {}, {}});
    return "posted";
  }

  // Whether a node's receipt `doc` is of a transfer to its store that another node's store
  // shipped and that node cancelled: the case stock::close_transfer_from_node refuses as
  // cancelled_by_store_node (the transfer cancelled, to this store, from a node's store).
  bool cancelled_by_sending_node(const store::Document& doc) const {
    auto receipt = pushed_receipt_of(doc.payload, doc.entity_id);
    auto t = receipt ? stock::load_transfer(db, receipt->transfer_id) : std::nullopt;
    return t && t->at("status").as_string() == "cancelled" && t->at("to_location_id").as_string() == node.location_id &&
           stock::is_node_store(db, std::string(t->at("from_location_id").as_string()));
  }

  // What posting a document's movements found: balances below zero, holds given up.
  void posted(const store::Document& doc, const stock::BatchDocument& booked, std::vector<Conflict>& found) const {
    for (const auto& f : booked.negative)
      found.push_back(conflict(doc, ConflictKind::negative_stock, f.item_id,
                               bj::object{{"location_id", f.location_id}, {"on_hand", json::quantity_value(f.on_hand)}}));
    for (const auto& g : booked.given_up)
      found.push_back(conflict(doc, ConflictKind::held_unit_sold, g.item_id,
                               bj::object{{"location_id", g.location_id},
                                          {"held_before", json::quantity_value(g.held_before)},
                                          {"on_hand_after", json::quantity_value(g.on_hand)},
                                          {"given_up", json::quantity_value(g.given_up)}}));
  }

  // A receipt of a shipment its sending store's node cancelled before this store heard, for a
  // person to act on: the transfer, both stores, the sender's reason, and per line what was
  // shipped and what this store received, damaged and (the rest) short.
  bj::object cancelled_shipment_detail(const PushedReceipt& receipt) const {
    auto t = stock::load_transfer(db, receipt.transfer_id);
    bj::array lines;
    for (const auto& l : t->at("lines").as_array()) {
      const auto& line = l.as_object();
      Quantity received, damaged;
      for (const auto& [line_id, q] : receipt.lines)
        if (line_id == line.at("id").as_string()) {
          received = q.first;
          damaged = q.second;
        }
      auto shipped = json::as_quantity(line.at("shipped")).value_or(Quantity{});
      lines.push_back(bj::object{{"item_id", line.at("item_id")},
                                 {"sku", line.at("sku")},
                                 {"name", line.at("name")},
                                 {"shipped", line.at("shipped")},
                                 {"received", json::quantity_value(received)},
                                 {"damaged", json::quantity_value(damaged)},
                                 {"short", json::quantity_value(shipped - received - damaged)}});
    }
    return bj::object{{"transfer_id", receipt.transfer_id},
                      {"number", t->at("number")},
                      {"from_location_id", t->at("from_location_id")},
                      {"from_name", t->at("from").at("name")},
                      {"to_location_id", t->at("to_location_id")},
                      {"to_name", t->at("to").at("name")},
                      {"cancel_reason", t->at("cancel_reason")},
                      {"cancelled_at", t->at("cancelled_at")},
                      {"lines", std::move(lines)}};
  }

  // The node received a transfer head office shipped to its store: its movements booked the
  // arrivals at the store; head office clears in transit and closes the transfer. One head
  // office cancelled meanwhile is closed all the same — the goods are at the store, the cancel
  // is undone for what arrived (stock::close_transfer_from_node) — and listed as a
  // cancelled_transfer_received conflict. One another node's store shipped and cancelled
  // before this store heard is not closed (that store's goods are back there, booked from its
  // node only): the receipt stands, booked without the line ids (prepare), and a
  // cancelled_shipment_received conflict lists it. When it cannot close it otherwise (the
  // transfer is not in transit to this store, or the receipt does not fit it: only a forged or
  // corrupted document), the store's receipt still stands, the push's audit entry says why
  // (transfer_not_closed, also for the cancelled shipment) and `backroom check` reports the
  // transfer's lines.
  std::optional<std::string> close_transfer(const store::Document& doc, std::vector<Conflict>& found) const {
    auto receipt = pushed_receipt_of(doc.payload, doc.entity_id);
    if (!receipt) return "unreadable";
    std::vector<stock::NodeReceiptLine> lines;
    for (const auto& [line_id, q] : receipt->lines) lines.push_back(stock::NodeReceiptLine{line_id, q.first, q.second});
    auto closed = stock::close_transfer_from_node(db, named(), receipt->transfer_id, node.location_id, doc.id, lines, at);
    if (closed.refused == "cancelled_by_store_node") {
      found.push_back(conflict(doc, ConflictKind::cancelled_shipment_received, std::nullopt,
                               cancelled_shipment_detail(*receipt)));
      return closed.refused;
    }
    if (closed.after_cancel) {
      auto t = stock::load_transfer(db, receipt->transfer_id);
      bj::array arrived;
      for (const auto& l : t->at("lines").as_array()) {
        const auto& line = l.as_object();
        for (const auto& [line_id, q] : receipt->lines)
          if (line_id == line.at("id").as_string() && (q.first + q.second).milli > 0)
            arrived.push_back(bj::object{{"item_id", line.at("item_id")},
                                         {"received", json::quantity_value(q.first)},
                                         {"damaged", json::quantity_value(q.second)}});
      }
      found.push_back(conflict(doc, ConflictKind::cancelled_transfer_received, std::nullopt,
                               bj::object{{"transfer_id", receipt->transfer_id},
                                          {"number", t->at("number")},
                                          {"from_location_id", t->at("from_location_id")},
                                          {"status", t->at("status")},
                                          {"cancel_reason", t->at("cancel_reason")},
                                          {"arrived", std::move(arrived)}}));
    }
    return closed.refused;
  }

  // The node received a delivery of a purchase order head office sent for its store: its
  // movements booked the goods at the store; head office records the receipt on its order as
  // its own receiving would. When it cannot (the order was cancelled or closed meanwhile, or
  // the receipt does not fit it), the stock stays booked and a po_not_receivable conflict
  // says why.
  // `ahead`: the items' movements the batch booked with this document and after it (its cost
  // is taken as before them, as head office's own receipt would have found the stock).
  void record_order_receipt(const store::Document& doc, std::map<std::string, Quantity> ahead,
                            std::vector<Conflict>& found) const {
    auto receipt = pushed_order_receipt_of(doc.payload);
    std::optional<std::string> why = "unreadable";
    if (receipt)
      why = purchasing::receive_from_node(db, actor, receipt->order_id, node.location_id, doc.id, receipt->lines, at,
                                          std::move(ahead), receipt->approved_by, by);
    if (!why) return;
    auto status = purchasing::order_status(db, receipt ? receipt->order_id : std::string());
    found.push_back(conflict(doc, ConflictKind::po_not_receivable, std::nullopt,
                             bj::object{{"reason", *why},
                                        {"purchase_order_id", receipt ? bj::value(receipt->order_id) : bj::value(nullptr)},
                                        {"status", status ? bj::value(purchasing::word(*status)) : bj::value(nullptr)},
                                        {"receipt_id", doc.entity_id}}));
  }

  // The node shipped a transfer from its store to one of head office's locations: its
  // movements booked the store's side; head office puts the goods in transit to the
  // destination under the node's ids. A destination head office refuses (gone, not a site, the
  // node's own store, inside another node's store) or a document it cannot read is a conflict:
  // the goods stay booked out of the store, listed for a person.
  void ship_from_node(const store::Document& doc, std::vector<Conflict>& found) const {
    auto shipment = pushed_shipment_of(doc.payload, doc.entity_id);
    std::optional<std::string> why = "unreadable";
    if (shipment) why = stock::ship_transfer_from_node(db, actor, node.location_id, *shipment);
    if (!why) return;
    bj::object detail{{"reason", *why}, {"transfer_id", doc.entity_id}};
    boost::system::error_code ec;
    auto payload = bj::parse(doc.payload, ec);
    if (!ec && payload.is_object())
      for (const auto* key : {"number", "to_location_id", "to_name", "lines"})
        if (const auto* v = payload.get_object().if_contains(key)) detail[key] = *v;
    found.push_back(conflict(doc, ConflictKind::destination_refused, std::nullopt, std::move(detail)));
    // The node hears of the refusal through its feed (sync_api.cpp: a transfer head office
    // does not hold, with an open refusal of this node, goes out as `refused`).
    catalog::store::note_change(db, std::string(stock::transfer_change), doc.entity_id);
  }

  // The node cancelled a shipment head office had not said arrived: its movements booked the
  // goods back in at the store. Still in transit, head office takes the rest out of transit and
  // cancels the transfer (the destination's node hears of it); refused (an open
  // destination_refused conflict, also one this push raised), that conflict is resolved as
  // cancelled by the store (`resolve_after`); received first (in full or part), the receipt
  // stands and a shipment_cancel_after_receipt conflict lists what arrived. Anything else (a
  // refusal a person resolved by hand, a forged or corrupted document) is named in the push's
  // audit entry (transfer_not_cancelled) and listed as a shipment_cancel_not_applied conflict
  // (`cancel_not_applied` below).
  std::optional<std::string> cancel_from_node(const store::Document& doc, std::vector<Conflict>& found,
                                              std::vector<std::vector<Conflict>>& pushed,
                                              std::vector<std::pair<std::string, std::string>>& resolve_after) const {
    auto cancel = pushed_cancel_of(doc.payload);
    if (!cancel) return "unreadable";
    auto note = fmt::format("Cancelled by the store ({}): {}", cancel->number, cancel->reason);
    if (!stock::load_transfer(db, cancel->transfer_id)) {
      // Refused by head office: the conflict is settled, the goods are back at the store.
      for (auto& list : pushed)
        for (auto& c : list)
          if (c.kind == ConflictKind::destination_refused && c.detail.find(cancel->transfer_id) != std::string::npos) {
            resolve_after.emplace_back(c.id, note);
            return std::nullopt;
          }
      if (auto refusal = store::open_refusal_of(db, node.id, cancel->transfer_id)) {
        resolve_after.emplace_back(refusal->id, note);
        return std::nullopt;
      }
      return "not_found";
    }
    auto done = stock::cancel_transfer_from_node(db, named(), cancel->transfer_id, node.location_id,
                                                 cancel->reason.empty() ? std::string("cancelled by the store") : cancel->reason,
                                                 at);
    if (done.refused) return done.refused;
    if (!done.received_first) return std::nullopt;
    auto t = stock::load_transfer(db, cancel->transfer_id);
    bj::array arrived;
    for (const auto& l : t->at("lines").as_array()) {
      const auto& line = l.as_object();
      auto got = json::as_quantity(line.at("received")).value_or(Quantity{});
      auto broken = json::as_quantity(line.at("damaged")).value_or(Quantity{});
      auto lost = json::as_quantity(line.at("short")).value_or(Quantity{});
      if ((got + broken + lost).milli == 0) continue;
      arrived.push_back(bj::object{{"item_id", line.at("item_id")},
                                   {"shipped", line.at("shipped")},
                                   {"received", line.at("received")},
                                   {"damaged", line.at("damaged")},
                                   {"short", line.at("short")},
                                   {"returned", line.at("returned")}});
    }
    found.push_back(conflict(doc, ConflictKind::shipment_cancel_after_receipt, std::nullopt,
                             bj::object{{"transfer_id", cancel->transfer_id},
                                        {"number", t->at("number")},
                                        {"node_number", cancel->number},
                                        {"to_location_id", t->at("to_location_id")},
                                        {"status", t->at("status")},
                                        {"cancel_reason", cancel->reason},
                                        {"arrived", std::move(arrived)}}));
    return std::nullopt;
  }

  // A node's cancel head office could not apply (`why`: not_found, other_store,
  // already_cancelled, unreadable): its movements stand at the store; listed for a person with
  // what the store said it cancelled (its number, reason and lines, items by SKU and name) and
  // head office's transfer when there is one.
  void cancel_not_applied(const store::Document& doc, const std::string& why, std::vector<Conflict>& found) const {
    bj::object detail{{"reason", why}, {"transfer_id", nullptr}};
    if (auto cancel = pushed_cancel_of(doc.payload)) {
      detail["transfer_id"] = cancel->transfer_id;
      detail["node_number"] = cancel->number;
      detail["cancel_reason"] = cancel->reason;
      if (auto t = stock::load_transfer(db, cancel->transfer_id)) {
        detail["number"] = t->at("number");
        detail["status"] = t->at("status");
      }
    }
    boost::system::error_code ec;
    auto payload = bj::parse(doc.payload, ec);
    bj::array lines;
    if (!ec && payload.is_object())
      if (const auto* listed = payload.get_object().if_contains("lines"); listed && listed->is_array())
        for (const auto& l : listed->get_array()) {
          const auto* item_id = l.is_object() ? l.get_object().if_contains("item_id") : nullptr;
          const auto* quantity = l.is_object() ? l.get_object().if_contains("quantity") : nullptr;
          if (!item_id || !item_id->is_string() || !quantity) continue;
          auto item = catalog::store::load_item(db, std::string(item_id->get_string()));
          lines.push_back(bj::object{{"item_id", *item_id},
                                     {"sku", item ? bj::value(item->sku) : bj::value(nullptr)},
                                     {"name", item ? bj::value(item->name) : bj::value(nullptr)},
                                     {"quantity", *quantity}});
        }
    detail["lines"] = std::move(lines);
    found.push_back(conflict(doc, ConflictKind::shipment_cancel_not_applied, std::nullopt, std::move(detail)));
  }

  // A sale at another price than head office's for the item at the sale's moment.
  void compare_prices(const store::Document& doc, const Sale& sale, std::vector<Conflict>& found) const {
    if (sale.tier) return;
    for (const auto& line : sale.lines) {
      auto price = known.price_at(line.item_id, doc.node_at);
      if (!price || *price == line.unit_price) continue;
      found.push_back(conflict(doc, ConflictKind::price_difference, line.item_id,
                               bj::object{{"sale_id", doc.entity_id},
                                          {"receipt_number", sale.receipt_number},
                                          {"charged", line.unit_price},
                                          {"head_office_price", *price},
                                          {"quantity", line.quantity}}));
    }
  }
};

}  // namespace

namespace {

// A conflict as the API shows it (with the store's and item's names), for its event.
void record_conflict(db::Db& db, const Conflict& c) {
  store::insert_conflict(db, c);
  append_event(db, "sync.conflict", c.id, bj::serialize(conflict_to_json(*store::load_conflict(db, c.id))));
}

// A document whose stock head office posted but whose money its sales journal could not take
// (sync/money.hpp, `skipped`): listed for a person, with the journal's reason.
Conflict not_in_journal(const Node& node, const store::Document& doc, const std::string& reason, std::int64_t at,
                        const std::map<std::string, std::int64_t>& order) {
  auto c = node_conflict(node, doc, ConflictKind::not_in_journal, std::nullopt,
                         bj::object{{"type", doc.type}, {"entity_id", doc.entity_id}, {"reason", reason}}, at);
  if (auto o = order.find(doc.id); o != order.end()) c.hlc = o->second;
  return c;
}

// A node's sale whose store-credit tenders head office's notes could not cover (money.hpp):
// one store_credit_overdrawn conflict a note, with what was not covered.
std::vector<Conflict> overdrawn_conflicts(const Node& node, const store::Document& doc, const Journaled& j,
                                          std::int64_t at, std::int64_t hlc) {
  std::vector<Conflict> out;
  if (j.overdrawn.empty()) return out;
  std::string receipt;
  boost::system::error_code ec;
  auto payload = bj::parse(doc.payload, ec);
  if (!ec && payload.is_object())
    if (const auto* r = payload.get_object().if_contains("receipt_number"); r && r->is_string())
      receipt = std::string(r->get_string());
  for (const auto& o : j.overdrawn) {
    auto c = node_conflict(node, doc, ConflictKind::store_credit_overdrawn, std::nullopt,
                           bj::object{{"sale_id", doc.entity_id},
                                      {"receipt_number", receipt},
                                      {"code", o.code},
                                      {"tendered", o.tendered},
                                      {"covered", o.tendered - o.uncovered},
                                      {"uncovered", o.uncovered}},
                           at);
    c.hlc = hlc;
    out.push_back(std::move(c));
  }
  return out;
}

// Refusals a store settled by cancelling its shipment (Poster::cancel_from_node): resolved, by
// the node's store, with the store's reason; audited and raised as every resolution.
void resolve_cancelled_refusals(db::Db& db, const Actor& actor, const Node& node, std::int64_t at,
                                const std::vector<std::pair<std::string, std::string>>& settled) {
  for (const auto& [id, note] : settled)
    if (store::resolve_open_conflict(db, id, at, node_name(db, node), note)) {
      append_audit(db, actor, AuditEntry{"sync_conflict.resolve", "sync_conflict", id, std::nullopt,
                                         bj::serialize(bj::object{{"kind", "destination_refused"}, {"note", note}})});
      append_event(db, "sync.conflict_resolved", id, bj::serialize(conflict_to_json(*store::load_conflict(db, id))));
    }
}

// What posting some documents came to, document by document (in the order given).
struct Posting {
  std::vector<std::string_view> statuses;  // posted, rejected, kept
  std::vector<std::vector<Conflict>> found;
  // Refusals a node's cancel settled (conflict id, note), resolved once the push's conflicts are recorded.
  std::vector<std::pair<std::string, std::string>> resolve_after;
  bj::array audited;  // {id, type, entity_id, status, movements, conflicts} each
};

// What a push needs of head office's catalog and the sales it carries, read before its
// documents are kept (each document's status is decided from them before its row is written).
struct Known {
  Catalog catalog;
  std::map<const store::Document*, Sale> sales;
};

Known read_known(db::Db& db, const std::vector<const store::Document*>& documents) {
  Known out;
  for (const auto* doc : documents)
    if (doc->movements)
      if (auto sale = sale_of(*doc)) out.sales.emplace(doc, std::move(*sale));
  std::set<std::string> items, sold;
  std::int64_t oldest_sale = std::numeric_limits<std::int64_t>::max();
  for (const auto* doc : documents)
    if (doc->movements)
      for (const auto& m : *doc->movements) items.insert(m.item_id);
  for (const auto& [doc, sale] : out.sales) {
    for (const auto& line : sale.lines) sold.insert(line.item_id);
    oldest_sale = std::min(oldest_sale, doc->node_at);
  }
  items.insert(sold.begin(), sold.end());
  if (items.empty()) return out;
  out.catalog.prices = catalog::store::regular_prices(db, {items.begin(), items.end()});
  if (!sold.empty())
    for (auto& c : catalog::store::applied_price_changes_after(db, {sold.begin(), sold.end()}, oldest_sale))
      out.catalog.changes[c.item_id].push_back(std::move(c));
  return out;
}

// Books the movements of `posting` at the node's store in one batch and records what that
// finds as conflicts (ordered by `order`, a document id's packed stamp); a document naming an
// item head office does not know is rejected, not booked. Its status was written with it.
Posting post_documents(db::Db& db, const Actor& actor, const Node& node, const std::vector<const store::Document*>& posting,
                       const std::map<std::string, std::int64_t>& order, std::int64_t at, const Known& looked_up) {
  Posting out;
  const Catalog& known = looked_up.catalog;
  const auto& sales = looked_up.sales;

  Poster poster{db, actor, node, known, at};
  poster.by = node_name(db, node);
  // Every posted document's movements are booked in one batch (a few statements for all of
  // them, not several a movement); nothing in it is refused, so no document undoes another.
  out.found.resize(posting.size());
  std::vector<stock::BatchDocument> batch;
  for (std::size_t i = 0; i < posting.size(); ++i) out.statuses.push_back(poster.prepare(*posting[i], out.found[i], batch));
  stock::post_movement_batch(db, batch, actor.user, node.id);
  for (std::size_t i = 0, booked = 0; i < posting.size(); ++i) {
    const auto* doc = posting[i];
    auto status = out.statuses[i];
    if (status == "posted") poster.posted(*doc, batch[booked++], out.found[i]);
    // A transfer head office shipped to the store, received there: close it here.
    std::optional<std::string> not_closed;
    if (status == "posted" && doc->type == inbound_received_event) not_closed = poster.close_transfer(*doc, out.found[i]);
    // A delivery of head office's purchase order for the store: recorded on the order.
    if (status == "posted" && doc->type == po_received_event) {
      std::map<std::string, Quantity> ahead;
      for (const auto& m : *doc->movements) ahead[m.item_id] = Quantity{};
      for (std::size_t j = i; j < posting.size(); ++j)
        if (out.statuses[j] == "posted")
          for (const auto& m : *posting[j]->movements)
            if (auto a = ahead.find(m.item_id); a != ahead.end()) a->second = a->second + Quantity{m.quantity};
      poster.record_order_receipt(*doc, std::move(ahead), out.found[i]);
    }
    // A transfer the node shipped to one of head office's locations: in transit from here on.
    if (status == "posted" && doc->type == outbound_shipped_event) poster.ship_from_node(*doc, out.found[i]);
    // The node cancelled a shipment: out of transit, its refusal settled, or a conflict.
    std::optional<std::string> not_cancelled;
    if (status == "posted" && doc->type == outbound_cancelled_event)
      not_cancelled = poster.cancel_from_node(*doc, out.found[i], out.found, out.resolve_after);
    if (not_cancelled) poster.cancel_not_applied(*doc, *not_cancelled, out.found[i]);
    if (auto sale = sales.find(doc); sale != sales.end() && status != "rejected")
      poster.compare_prices(*doc, sale->second, out.found[i]);
    bj::array conflict_ids;
    auto ordered = order.find(doc->id);
    for (auto& c : out.found[i]) {
      if (ordered != order.end()) c.hlc = ordered->second;
      conflict_ids.push_back(bj::value(c.id));
    }
    out.audited.push_back(bj::object{{"id", doc->id},
                                     {"type", doc->type},
                                     {"entity_id", doc->entity_id},
                                     {"status", status},
                                     {"movements", static_cast<std::int64_t>(doc->movements->size())},
                                     {"conflicts", std::move(conflict_ids)}});
    if (not_closed) out.audited.back().as_object()["transfer_not_closed"] = *not_closed;
    if (not_cancelled) out.audited.back().as_object()["transfer_not_cancelled"] = *not_cancelled;
  }
  return out;
}

}  // namespace

bool push_in_order(const PushPlace& place, std::optional<std::int64_t> applied) {
  return !place.after || applied == place.after || (place.through && applied == place.through);
}

int receive_documents(db::Db& db, const Actor& actor, const Node& node, const std::vector<store::Document>& documents) {
  auto at = now().micros;
  // Each new document's status is decided before its row is written (one write a document).
  auto unheld = store::unheld_documents(db, documents);
  auto looked_up = read_known(db, unheld);
  std::vector<std::string_view> statuses;
  for (const auto* doc : unheld) statuses.push_back(status_before(*doc, looked_up.catalog));
  auto kept = store::insert_documents(db, node, unheld, statuses, at);
  std::set<std::string> fresh(kept.begin(), kept.end());
  // Head office's clock hears every stamp of the push (the receive rule); a new document
  // without one (a node before migration 35) is ordered by its arrival: head office's stamp.
  std::map<std::string, std::int64_t> order;
  clock_update(db, [&](hlc::Clock& clock, std::int64_t physical_ms) {
    for (const auto& doc : documents)
      if (doc.hlc) {
        if (believable(*doc.hlc, physical_ms)) clock.receive(*doc.hlc, physical_ms);
        order[doc.id] = hlc::pack(*doc.hlc);
      } else if (fresh.contains(doc.id)) {
        order[doc.id] = hlc::pack(clock.tick(physical_ms));
      }
  });
  // The documents this push posts (a repeat, or one from a node before migration 30, is not),
  // and the exchanges: they move no stock (their return and sale did), so they are kept, and
  // written into the journal after the push's sales and returns as the row that ties them.
  std::vector<const store::Document*> posting, exchanges;
  for (const auto& doc : documents)
    if (fresh.erase(doc.id)) {
      if (doc.movements)
        posting.push_back(&doc);
      else if (doc.type == "exchange.completed")
        exchanges.push_back(&doc);
    }
  if (posting.empty() && exchanges.empty()) return static_cast<int>(kept.size());

  Posting posted;
  if (!posting.empty()) posted = post_documents(db, actor, node, posting, order, at, looked_up);
  // The money of each sale, return and void head office booked into its journal, once (the
  // push's sales together: money.hpp).
  {
    std::vector<std::size_t> booked;
    std::vector<const store::Document*> journaling;
    for (std::size_t i = 0; i < posting.size(); ++i)
      if (posted.statuses[i] != "rejected") {
        booked.push_back(i);
        journaling.push_back(posting[i]);
      }
    auto journaled = journal_node_documents(db, node, journaling);
    for (std::size_t k = 0; k < booked.size(); ++k) {
      const auto& j = journaled[k];
      auto& entry = posted.audited[booked[k]].as_object();
      if (!j.written.empty()) {
        entry["journal"] = j.written;
      } else if (!j.skipped.empty()) {
        entry["journal_skipped"] = j.skipped;
        auto c = not_in_journal(node, *journaling[k], j.skipped, at, order);
        entry["conflicts"].as_array().push_back(bj::value(c.id));
        posted.found[booked[k]].push_back(std::move(c));
      }
      // A sale's store credit head office's notes could not cover: a conflict of its own.
      auto ordered = order.find(journaling[k]->id);
      for (auto& c : overdrawn_conflicts(node, *journaling[k], j, at, ordered == order.end() ? 0 : ordered->second)) {
        if (auto* ids = entry.if_contains("conflicts"); ids && ids->is_array()) ids->as_array().push_back(bj::value(c.id));
        posted.found[booked[k]].push_back(std::move(c));
      }
    }
  }
  std::vector<Conflict> unjournaled;  // exchanges whose money the journal could not take
  for (const auto* doc : exchanges) {
    bj::object entry{{"id", doc->id}, {"type", doc->type}, {"status", "kept"}};
    if (auto j = journal_node_document(db, node, *doc); !j.written.empty()) {
      entry["journal"] = j.written;
    } else if (!j.skipped.empty()) {
      entry["journal_skipped"] = j.skipped;
      unjournaled.push_back(not_in_journal(node, *doc, j.skipped, at, order));
      entry["conflicts"] = bj::array{bj::value(unjournaled.back().id)};
    } else {
      continue;
    }
    posted.audited.push_back(std::move(entry));
  }
  if (posted.audited.empty()) return static_cast<int>(kept.size());
  posted.found.push_back(std::move(unjournaled));
  for (const auto& found : posted.found)
    for (const auto& c : found) record_conflict(db, c);
  resolve_cancelled_refusals(db, actor, node, at, posted.resolve_after);
  // One audit entry a push, naming every document it posted or rejected and its conflicts.
  append_audit(db, actor,
               AuditEntry{"sync_documents.post", "sync_node", node.id, std::nullopt,
                          bj::serialize(bj::object{{"location_id", node.location_id},
                                                   {"documents", std::move(posted.audited)}})});
  return static_cast<int>(kept.size());
}

std::vector<std::string> check_sync(db::Db& db) {
  std::vector<std::string> problems = store::check_inbound(db);  // a node's transfers from head office
  for (auto& p : store::check_inbound_orders(db)) problems.push_back(std::move(p));  // and its orders
  for (auto& p : store::check_node_order_receipts(db)) problems.push_back(std::move(p));  // head office's side
  for (auto& p : store::check_outbound(db)) problems.push_back(std::move(p));  // and its shipments to it
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

bj::object conflict_to_json(const Conflict& c) {
  boost::system::error_code ec;
  auto detail = bj::parse(c.detail, ec);
  auto opt_text = [](const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); };
  bj::value item = nullptr;
  if (c.item_id) item = bj::object{{"id", *c.item_id}, {"sku", opt_text(c.item_sku)}, {"name", opt_text(c.item_name)}};
  return bj::object{{"id", c.id},
                    {"kind", conflict_kinds.text(c.kind)},
                    {"rule", conflict_rule(c.kind)},
                    {"node_id", c.node_id},
                    {"location_id", c.location_id},
                    {"location_name", opt_text(c.location_name)},
                    {"document_id", c.document_id},
                    {"document_at", c.document_at ? bj::value(format_rfc3339(Timestamp{*c.document_at})) : bj::value(nullptr)},
                    {"hlc", hlc::format(hlc::unpack(c.hlc).value_or(hlc::Stamp{}))},
                    {"item", std::move(item)},
                    {"detail", ec || !detail.is_object() ? bj::value(bj::object{}) : detail},
                    {"created_at", format_rfc3339(Timestamp{c.created_at})},
                    {"status", c.resolved ? "resolved" : "open"},
                    {"resolved_at", c.resolved_at ? bj::value(format_rfc3339(Timestamp{*c.resolved_at})) : bj::value(nullptr)},
                    {"resolved_by", opt_text(c.resolved_by)},
                    {"note", opt_text(c.note)}};
}

Conflict resolve_conflict(db::Db& db, const Actor& actor, const std::string& id, const std::string& note,
                          const std::optional<std::string>& settlement) {
  auto c = store::load_conflict(db, id);
  if (!c) throw not_found("conflict", id);
  if (c->resolved) throw Problem(409, "already_resolved", "this conflict is already resolved", "id");
  bj::object audit{{"kind", conflict_kinds.text(c->kind)}, {"note", note}};
  // A store-credit shortfall is settled, not just noted (docs/sync.md, "Store credit across stores").
  if (c->kind == ConflictKind::store_credit_overdrawn) {
    if (!settlement)
      throw invalid_field("settlement",
                          "a store-credit shortfall is settled: settlement is written_off (a loss) or collected (the "
                          "customer paid it)");
    audit["settlement"] = *settlement;
    audit["shortfall"] = settle_overdrawn(db, actor, c->detail, *settlement, note);
  } else if (settlement) {
    throw invalid_field("settlement", "settlement settles a store_credit_overdrawn conflict only");
  }
  auto at = now().micros;
  store::resolve_conflict(db, id, at, actor.user, note);
  append_audit(db, actor, AuditEntry{"sync_conflict.resolve", "sync_conflict", id, std::nullopt, bj::serialize(audit)});
  auto resolved = *store::load_conflict(db, id);
  append_event(db, "sync.conflict_resolved", id, bj::serialize(conflict_to_json(resolved)));
  return resolved;
}

namespace {
// A shipment head office refused (destination_refused), put in transit now: to its own
// destination, or to `to_location_id` (where the goods really went). The conflict is claimed
// first (resolved only while still open: a second or concurrent retry finds it resolved, 409);
// a refusal throws, so nothing of the try is kept.
Conflict retry_shipment(db::Db& db, const Actor& actor, const Conflict& c, const std::optional<std::string>& note,
                        const std::optional<std::string>& to_location_id) {
  auto kept = store::load_document(db, c.document_id);
  auto node = store::load_node(db, c.node_id);
  if (!kept || !node) throw not_found("document", c.document_id);
  auto shipment = pushed_shipment_of(kept->document.payload, kept->document.entity_id);
  auto refused = [&](const std::string& why) {
    Problem p(409, "still_refused",
              fmt::format("head office still cannot put this shipment in transit: {}", refusal_words(why)),
              to_location_id ? "to_location_id" : "id");
    p.extra_json = bj::serialize(bj::object{{"reason", why}});
    return p;
  };
  if (!shipment) throw refused("unreadable");
  if (to_location_id) {
    stock::check_location_scope(actor, *to_location_id);
    shipment->to_location_id = *to_location_id;
  }
  auto at = now().micros;
  auto text = note ? fmt::format("Posted by retry: {}", *note) : std::string("Posted by retry.");
  if (!store::resolve_open_conflict(db, c.id, at, actor.user, text))
    throw Problem(409, "already_resolved", "this conflict is already resolved", "id");
  if (auto why = stock::ship_transfer_from_node(db, actor, node->location_id, *shipment)) throw refused(*why);
  append_audit(db, actor, AuditEntry{"sync_conflict.retry", "sync_conflict", c.id, std::nullopt,
                                     bj::serialize(bj::object{{"node_id", node->id},
                                                              {"location_id", node->location_id},
                                                              {"note", text},
                                                              {"document_id", kept->document.id},
                                                              {"transfer_id", shipment->id},
                                                              {"to_location_id", shipment->to_location_id}})});
  auto resolved = *store::load_conflict(db, c.id);
  append_event(db, "sync.conflict_resolved", c.id, bj::serialize(conflict_to_json(resolved)));
  return resolved;
}
}  // namespace

Conflict retry_conflict(db::Db& db, const Actor& actor, const std::string& id, const std::optional<std::string>& note,
                        const std::optional<std::string>& to_location_id) {
  auto c = store::load_conflict(db, id);
  if (!c) throw not_found("conflict", id);
  if (c->resolved) throw Problem(409, "already_resolved", "this conflict is already resolved", "id");
  if (c->kind == ConflictKind::destination_refused) return retry_shipment(db, actor, *c, note, to_location_id);
  if (c->kind != ConflictKind::rejected)
    throw Problem(409, "not_rejected",
                  "only a rejected document or a refused shipment can be posted again; resolve this conflict instead", "id");
  if (to_location_id)
    throw invalid_field("to_location_id", "to_location_id is for a refused shipment (destination_refused) only");
  auto kept = store::load_document(db, c->document_id);
  auto node = store::load_node(db, c->node_id);
  if (!kept || !node || !kept->document.movements) throw not_found("document", c->document_id);
  if (kept->status != "rejected")
    throw Problem(409, "already_resolved", "this conflict's document is already posted", "id");
  auto at = now().micros;
  std::map<std::string, std::int64_t> order{{kept->document.id, kept->document.hlc ? hlc::pack(*kept->document.hlc) : c->hlc}};
  auto posted = post_documents(db, actor, *node, {&kept->document}, order, at, read_known(db, {&kept->document}));
  if (posted.statuses.front() != "posted") {
    // Thrown inside the command: its savepoint is rolled back, nothing of the try is kept.
    std::string missing = "an item";
    for (const auto& f : posted.found.front()) {
      boost::system::error_code ec;
      auto detail = bj::parse(f.detail, ec);
      if (const auto* m = ec ? nullptr : detail.as_object().if_contains("missing_item_id"); m && m->is_string())
        missing = fmt::format("the item {}", std::string(m->get_string()));
    }
    throw Problem(409, "still_rejected",
                  fmt::format("head office cannot post this document yet: it names {}, which head office does not know "
                              "(create the item or apply the store's change request, then post it again)",
                              missing),
                  "id");
  }
  store::set_documents_status(db, {kept->document.id}, "posted");
  for (const auto& f : posted.found.front()) record_conflict(db, f);
  resolve_cancelled_refusals(db, actor, *node, at, posted.resolve_after);
  auto j = journal_node_document(db, *node, kept->document);
  if (!j.written.empty())
    posted.audited.front().as_object()["journal"] = j.written;
  else if (!j.skipped.empty()) {
    posted.audited.front().as_object()["journal_skipped"] = j.skipped;
    auto unjournaled = not_in_journal(*node, kept->document, j.skipped, at, order);
    posted.audited.front().as_object()["conflicts"].as_array().push_back(bj::value(unjournaled.id));
    record_conflict(db, unjournaled);
  }
  for (const auto& c : overdrawn_conflicts(*node, kept->document, j, at, order.begin()->second)) {
    record_conflict(db, c);
    if (auto* ids = posted.audited.front().as_object().if_contains("conflicts"); ids && ids->is_array())
      ids->as_array().push_back(bj::value(c.id));
  }
  auto text = note ? fmt::format("Posted by retry: {}", *note) : std::string("Posted by retry.");
  if (!store::resolve_open_conflict(db, id, at, actor.user, text))
    throw Problem(409, "already_resolved", "this conflict is already resolved", "id");
  append_audit(db, actor, AuditEntry{"sync_conflict.retry", "sync_conflict", id, std::nullopt,
                                     bj::serialize(bj::object{{"node_id", node->id},
                                                              {"location_id", node->location_id},
                                                              {"note", text},
                                                              {"document", std::move(posted.audited.front())}})});
  auto resolved = *store::load_conflict(db, id);
  append_event(db, "sync.conflict_resolved", id, bj::serialize(conflict_to_json(resolved)));
  return resolved;
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

namespace {
// A member of `o` as it is, or null.
bj::value member(const bj::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v ? *v : bj::value(nullptr);
}
// A person or register as the session names them ({id, name}): the name.
bj::value name_of(const bj::value& named) { return named.is_object() ? member(named.get_object(), "name") : nullptr; }
}  // namespace

bj::object cash_up_to_json(const CashUp& c) {
  boost::system::error_code ec;
  auto parsed = bj::parse(c.payload, ec);
  bj::object session = !ec && parsed.is_object() ? parsed.get_object() : bj::object{};
  const auto z_value = member(session, "z_report");
  bj::object z = z_value.is_object() ? z_value.get_object() : bj::object{};
  bj::array tenders;
  std::int64_t over_short = 0;
  bj::value cash_over_short = nullptr;
  if (const auto* list = z.if_contains("tenders"); list && list->is_array())
    for (const auto& t : list->get_array()) {
      if (!t.is_object()) continue;
      const auto& row = t.get_object();
      auto difference = member(row, "over_short");
      if (difference.is_int64()) {
        over_short += difference.get_int64();
        if (member(row, "type") == "cash") cash_over_short = difference;
      }
      tenders.push_back(bj::object{{"type", member(row, "type")},
                                   {"expected", member(row, "expected")},
                                   {"counted", member(row, "counted")},
                                   {"over_short", difference}});
    }
  return bj::object{{"document_id", c.document_id},
                    {"node_id", c.node_id},
                    {"location_id", c.location_id},
                    {"location_name", c.location_name ? bj::value(*c.location_name) : bj::value(nullptr)},
                    {"register", name_of(member(session, "register"))},
                    {"session_number", member(session, "number")},
                    {"opened_at", member(session, "opened_at")},
                    {"closed_at", member(session, "closed_at")},
                    {"closed_by", name_of(member(session, "closed_by"))},
                    {"opening_float", member(session, "opening_float")},
                    {"tenders", std::move(tenders)},
                    {"cash_over_short", cash_over_short},
                    {"over_short", over_short},
                    {"net_sales", member(z, "net_sales")},
                    {"sales_count", member(z, "sales_count")},
                    {"returns_count", member(z, "returns_count")},
                    {"voids_count", member(z, "voids_count")}};
}

}  // namespace backroom::sync
