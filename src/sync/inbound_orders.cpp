// Purchase orders head office sends for a store node's store (sync/inbound_orders.hpp).
#include "sync/inbound_orders.hpp"

#include <fmt/format.h>

#include "access/audit.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"
#include "purchasing/purchase_orders.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"
#include "sync/inbound.hpp"

namespace backroom::sync {

namespace bj = boost::json;
using purchasing::OrderStatus;

std::vector<purchasing::OrderLine> order_lines_of(const InboundOrder& o) {
  std::vector<purchasing::OrderLine> out;
  for (const auto& l : o.lines)
    out.push_back(purchasing::OrderLine{l.id, l.item_id, l.quantity, l.quantity, l.case_pack, 0, l.received, l.damaged,
                                        l.cancelled});
  return out;
}

std::string node_status(const InboundOrder& o) {
  if (o.hq_status == purchasing::word(OrderStatus::cancelled) || o.hq_status == purchasing::word(OrderStatus::closed))
    return o.hq_status;
  bool any = false, outstanding = false;
  for (const auto& l : order_lines_of(o)) {
    any = any || l.received.milli > 0;
    outstanding = outstanding || l.outstanding().milli > 0;
  }
  if (!outstanding) return std::string(purchasing::word(OrderStatus::received));
  return std::string(purchasing::word(any ? OrderStatus::partially_received : OrderStatus::sent));
}

std::vector<purchasing::ReceiptLineInput> receipt_lines_of(const InboundOrder& o, const InboundOrderReceipt& in) {
  auto lines = order_lines_of(o);
  std::vector<purchasing::ReceiptLineInput> out;
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    const auto& r = in.lines[i];
    std::string line_id = r.key;
    if (r.by_item) {
      auto found = purchasing::line_for_item(lines, r.key);
      if (!found)
        throw invalid_field(fmt::format("lines[{}].item_id", i), fmt::format("item {} is not on this order", r.key));
      line_id = lines[*found].id;
    }
    out.push_back(purchasing::ReceiptLineInput{line_id, r.received, r.damaged});
  }
  return out;
}

bj::object inbound_order_to_json(const InboundOrder& o, const std::vector<InboundOrderDelivery>* receipts) {
  bj::array lines;
  for (const auto& l : order_lines_of(o)) {
    const auto& kept = o.lines[lines.size()];
    lines.push_back(bj::object{{"id", l.id},
                               {"line_no", kept.line_no},
                               {"item_id", l.item_id},
                               {"sku", kept.sku},
                               {"name", kept.name},
                               {"quantity", json::quantity_value(l.quantity)},
                               {"case_pack", json::quantity_value(l.case_pack)},
                               {"cases", l.case_pack.milli > 0 ? l.quantity.milli / l.case_pack.milli : 0},
                               {"received", json::quantity_value(l.received)},
                               {"damaged", json::quantity_value(l.damaged)},
                               {"short", json::quantity_value(l.short_())},
                               {"over", json::quantity_value(l.over())},
                               {"cancelled", json::quantity_value(l.cancelled)},
                               {"outstanding", json::quantity_value(l.outstanding())}});
  }
  bj::object out{{"id", o.id},
                 {"number", o.number},
                 {"status", o.status},
                 {"supplier", bj::object{{"name", o.supplier_name}}},
                 {"expected_on", o.expected_on ? bj::value(*o.expected_on) : bj::value(nullptr)},
                 {"note", o.note},
                 {"sent_at", format_rfc3339(Timestamp{o.sent_at})},
                 {"arrived_at", format_rfc3339(Timestamp{o.arrived_at})},
                 {"lines_count", o.lines.size()},
                 {"lines", std::move(lines)}};
  if (receipts) {
    bj::array rs;
    for (const auto& d : *receipts) {
      bj::array dl;
      for (const auto& [line_id, q] : d.lines)
        dl.push_back(bj::object{{"po_line_id", line_id},
                                {"received", json::quantity_value(q.first)},
                                {"damaged", json::quantity_value(q.second)}});
      rs.push_back(bj::object{{"id", d.id},
                              {"number", d.number},
                              {"location_id", d.location_id},
                              {"at", format_rfc3339(Timestamp{d.at})},
                              {"by", d.user},
                              {"lines", std::move(dl)}});
    }
    out["receipts"] = std::move(rs);
  }
  return out;
}

namespace {
const bj::value& member(const bj::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v) throw invalid_field(fmt::format("purchase_order.{}", key), fmt::format("the feed's order has no {}", key));
  return *v;
}
std::string text_of(const bj::object& o, const char* key) {
  const auto& v = member(o, key);
  if (!v.is_string()) throw invalid_field(fmt::format("purchase_order.{}", key), fmt::format("{} is text", key));
  return std::string(v.get_string());
}
std::string optional_text(const bj::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
Quantity quantity_of(const bj::object& o, const char* key, bool positive) {
  auto q = json::as_quantity(member(o, key));
  if (!q || q->milli < 0 || (positive && q->milli == 0))
    throw invalid_field(fmt::format("purchase_order.lines.{}", key), fmt::format("{} is a quantity", key));
  return *q;
}
}  // namespace

void apply_inbound_order(db::Db& db, const bj::value& data) {
  if (!data.is_object()) throw invalid_field("purchase_order", "a purchase order is an object");
  const auto& o = data.get_object();
  std::string id = text_of(o, "id");
  std::string hq_status = text_of(o, "status");
  auto known = store::load_inbound_order(db, id);
  bool open = hq_status == purchasing::word(OrderStatus::sent) || hq_status == purchasing::word(OrderStatus::partially_received);
  // An order that was done before the node heard of it has nothing to receive here.
  if (!known && !open) return;
  InboundOrder order = known ? *known : InboundOrder{};
  order.id = id;
  order.number = text_of(o, "number");
  order.hq_status = hq_status;
  if (const auto* s = o.if_contains("supplier"); s && s->is_object()) order.supplier_name = optional_text(s->get_object(), "name");
  if (const auto* e = o.if_contains("expected_on"); e && e->is_string())
    order.expected_on = std::string(e->get_string());
  else
    order.expected_on.reset();
  order.note = optional_text(o, "note");
  auto sent = parse_rfc3339(text_of(o, "sent_at"));
  if (!sent) throw invalid_field("purchase_order.sent_at", "sent_at is a time");
  order.sent_at = sent->micros;
  order.updated_at = now().micros;
  if (!known) order.arrived_at = order.updated_at;
  const auto& lines = member(o, "lines");
  if (!lines.is_array() || lines.get_array().empty()) throw invalid_field("purchase_order.lines", "an order has lines");
  for (const auto& l : lines.get_array()) {
    if (!l.is_object()) throw invalid_field("purchase_order.lines", "a line is an object");
    const auto& line = l.get_object();
    std::string line_id = text_of(line, "id");
    InboundOrderLine* kept = nullptr;
    for (auto& k : order.lines)
      if (k.id == line_id) kept = &k;
    if (!kept) {
      // New here: head office's figures so far (what it received before the store had its node).
      InboundOrderLine n;
      n.id = line_id;
      n.received = quantity_of(line, "received", false);
      n.damaged = quantity_of(line, "damaged", false);
      order.lines.push_back(std::move(n));
      kept = &order.lines.back();
    }
    const auto* no = line.if_contains("line_no");
    kept->line_no = no && no->is_int64() ? no->get_int64() : static_cast<std::int64_t>(order.lines.size());
    kept->item_id = text_of(line, "item_id");
    kept->sku = optional_text(line, "sku");
    kept->name = optional_text(line, "name");
    kept->quantity = quantity_of(line, "quantity", true);
    kept->case_pack = quantity_of(line, "case_pack", true);
    kept->cancelled = quantity_of(line, "cancelled", false);
  }
  order.status = node_status(order);
  store::upsert_inbound_order(db, order);
}

InboundOrderDelivery receive_inbound_order(db::Db& db, const Actor& actor, const std::string& id,
                                           const InboundOrderReceipt& in) {
  auto order = store::load_inbound_order(db, id);
  if (!order) throw not_found("inbound purchase order", id);
  auto status = purchasing::order_statuses.parse(order->status);
  purchasing::check_act(status ? *status : OrderStatus::closed, purchasing::OrderAct::receive);
  std::string location_id = receiving_store(db, actor, in.location_id);
  auto before = inbound_order_to_json(*order, nullptr);
  auto lines = order_lines_of(*order);
  auto tolerance = purchasing::over_receive_tolerance_bp(db);
  auto plan = purchasing::plan_receipt(lines, receipt_lines_of(*order, in), tolerance);
  if (plan.lines.empty()) throw Problem(422, "nothing_received", "a receipt books at least one unit received", "lines");
  auto approver = purchasing::approve_over_receipt(db, actor, lines, plan, tolerance, in.override_token);

  InboundOrderDelivery d;
  d.id = new_uuid_v7();
  d.location_id = location_id;
  d.at = now().micros;
  d.user = actor.user;
  d.number = static_cast<std::int64_t>(store::inbound_order_receipts(db, id).size()) + 1;
  std::string damaged_bin = stock::bin_of(db, location_id, std::string(stock::word(stock::LocationKind::damaged)));
  std::vector<stock::Movement> moves;
  bj::array event_lines;
  for (const auto& b : plan.lines) {
    auto& l = order->lines[b.line];
    if (auto good = b.received - b.damaged; good.milli > 0)
      moves.push_back(stock::Movement{l.item_id, location_id, good, stock::MovementReason::receipt,
                                      inbound_po_document_type, d.id, l.id});
    if (b.damaged.milli > 0)
      moves.push_back(stock::Movement{l.item_id, damaged_bin, b.damaged, stock::MovementReason::receipt_damaged,
                                      inbound_po_document_type, d.id, l.id});
    l.received = l.received + b.received;
    l.damaged = l.damaged + b.damaged;
    d.lines.push_back({l.id, {b.received, b.damaged}});
    event_lines.push_back(bj::object{{"po_line_id", l.id},
                                     {"item_id", l.item_id},
                                     {"received", json::quantity_value(b.received)},
                                     {"damaged", json::quantity_value(b.damaged)}});
  }
  stock::post_movements(db, moves, stock::PostContext{actor.user, actor.origin, stock::NegativeStock::allow});
  order->status = node_status(*order);
  order->updated_at = d.at;
  store::upsert_inbound_order(db, *order);
  store::insert_inbound_order_receipt(db, id, d);
  std::vector<InboundOrderDelivery> one{d};
  auto after = inbound_order_to_json(*order, &one);
  append_audit(db, actor, AuditEntry{"inbound_order.receive", "inbound_order", id, bj::serialize(before), bj::serialize(after)});
  append_event(db, po_received_event, d.id,
               bj::serialize(bj::object{{"id", d.id},
                                        {"number", d.number},
                                        {"purchase_order_id", order->id},
                                        {"purchase_order_number", order->number},
                                        {"location_id", location_id},
                                        {"received_at", format_rfc3339(Timestamp{d.at})},
                                        {"received_by", actor.user},
                                        {"approved_by", approver ? bj::value(approver->user) : bj::value(nullptr)},
                                        {"lines", std::move(event_lines)}}));
  return d;
}

std::optional<PushedOrderReceipt> pushed_order_receipt_of(const std::string& payload) {
  bj::value json;
  try {
    json = json::parse_exact(payload);  // decimal quantities stay exact
  } catch (const Problem&) {
    return std::nullopt;
  }
  if (!json.is_object()) return std::nullopt;
  const auto& o = json.get_object();
  const auto* order = o.if_contains("purchase_order_id");
  const auto* lines = o.if_contains("lines");
  if (!order || !order->is_string() || !lines || !lines->is_array()) return std::nullopt;
  PushedOrderReceipt r;
  r.order_id = std::string(order->get_string());
  if (const auto* a = o.if_contains("approved_by"); a && a->is_string() && !a->get_string().empty() && a->get_string().size() <= 200)
    r.approved_by = std::string(a->get_string());
  for (const auto& l : lines->get_array()) {
    if (!l.is_object()) return std::nullopt;
    const auto& line = l.get_object();
    const auto* id = line.if_contains("po_line_id");
    const auto* received = line.if_contains("received");
    const auto* damaged = line.if_contains("damaged");
    if (!id || !id->is_string() || !received || !damaged) return std::nullopt;
    auto got = json::as_quantity(*received);
    auto broken = json::as_quantity(*damaged);
    if (!got || !broken) return std::nullopt;
    r.lines.push_back(purchasing::ReceiptLineInput{std::string(id->get_string()), *got, *broken});
  }
  return r;
}

}  // namespace backroom::sync
