// Transfers head office ships to a store node's store (sync/inbound.hpp).
#include "sync/inbound.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "access/audit.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::sync {

namespace bj = boost::json;

std::vector<InboundLine> plan_inbound_receipt(const std::vector<InboundLine>& lines, const InboundReceipt& in) {
  std::vector<InboundLine> out = lines;
  std::vector<bool> given(lines.size(), false);
  for (auto& l : out) l.received = l.damaged = Quantity{};
  if (in.all) {
    for (auto& l : out) l.received = l.shipped;
  } else {
    for (std::size_t i = 0; i < in.lines.size(); ++i) {
      const auto& r = in.lines[i];
      std::string path = fmt::format("lines[{}]", i);
      std::size_t found = lines.size();
      for (std::size_t l = 0; l < lines.size() && found == lines.size(); ++l)
        if (!given[l] && (r.by_item ? lines[l].item_id : lines[l].id) == r.key) found = l;
      if (found == lines.size())
        throw invalid_field(path + (r.by_item ? ".item_id" : ".line_id"),
                            fmt::format("{} is not a line of this transfer (or is given twice)", r.key));
      if (r.received.milli < 0) throw invalid_field(path + ".received", "received must be 0 or more");
      if (r.damaged.milli < 0) throw invalid_field(path + ".damaged", "damaged must be 0 or more");
      if (r.received + r.damaged > lines[found].shipped)
        throw Problem(422, "over_received",
                      fmt::format("line {}: {} received and damaged, but {} was shipped", found + 1,
                                  format_quantity(r.received + r.damaged), format_quantity(lines[found].shipped)),
                      path + ".received");
      given[found] = true;
      out[found].received = r.received;
      out[found].damaged = r.damaged;
    }
  }
  for (auto& l : out) l.short_ = l.shipped - l.received - l.damaged;
  return out;
}

bj::object inbound_to_json(const InboundTransfer& t) {
  auto time = [](const std::optional<std::int64_t>& at) {
    return at ? bj::value(format_rfc3339(Timestamp{*at})) : bj::value(nullptr);
  };
  bj::array lines;
  for (const auto& l : t.lines)
    lines.push_back(bj::object{{"id", l.id},
                               {"item_id", l.item_id},
                               {"sku", l.sku},
                               {"name", l.name},
                               {"shipped", json::quantity_value(l.shipped)},
                               {"received", json::quantity_value(l.received)},
                               {"damaged", json::quantity_value(l.damaged)},
                               {"short", json::quantity_value(l.short_)}});
  return bj::object{{"id", t.id},
                    {"number", t.number},
                    {"from", bj::object{{"name", t.from_name}}},
                    {"note", t.note},
                    {"status", t.status},
                    {"shipped_at", format_rfc3339(Timestamp{t.shipped_at})},
                    {"arrived_at", format_rfc3339(Timestamp{t.arrived_at})},
                    {"location_id", t.location_id ? bj::value(*t.location_id) : bj::value(nullptr)},
                    {"received_at", time(t.received_at)},
                    {"received_by", t.received_by ? bj::value(*t.received_by) : bj::value(nullptr)},
                    {"cancelled_at", time(t.cancelled_at)},
                    {"cancel_reason", t.cancel_reason ? bj::value(*t.cancel_reason) : bj::value(nullptr)},
                    {"lines_count", t.lines.size()},
                    {"lines", std::move(lines)}};
}

namespace {
const bj::value& member(const bj::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v) throw invalid_field(fmt::format("transfer.{}", key), fmt::format("the feed's transfer has no {}", key));
  return *v;
}
std::string text_of(const bj::object& o, const char* key) {
  const auto& v = member(o, key);
  if (!v.is_string()) throw invalid_field(fmt::format("transfer.{}", key), fmt::format("{} is text", key));
  return std::string(v.get_string());
}
std::string optional_text(const bj::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
}  // namespace

void apply_inbound_transfer(db::Db& db, const bj::value& data) {
  if (!data.is_object()) throw invalid_field("transfer", "a transfer is an object");
  const auto& o = data.get_object();
  InboundTransfer t;
  t.id = text_of(o, "id");
  auto status = text_of(o, "status");
  if (status == "cancelled") {
    // Head office took it back before the node received it: not to be received here.
    store::mark_inbound_cancelled(db, t.id, now().micros, optional_text(o, "cancel_reason"));
    return;
  }
  if (status != "in_transit") return;          // received: nothing to receive here
  if (store::load_inbound(db, t.id)) return;  // known: its receipt is the node's
  t.number = text_of(o, "number");
  if (const auto* from = o.if_contains("from"); from && from->is_object()) t.from_name = optional_text(from->get_object(), "name");
  t.note = optional_text(o, "note");
  auto shipped = parse_rfc3339(text_of(o, "shipped_at"));
  if (!shipped) throw invalid_field("transfer.shipped_at", "shipped_at is a time");
  t.shipped_at = shipped->micros;
  t.arrived_at = now().micros;
  t.status = "in_transit";
  const auto& lines = member(o, "lines");
  if (!lines.is_array() || lines.get_array().empty()) throw invalid_field("transfer.lines", "a transfer has lines");
  std::int64_t n = 0;
  for (const auto& l : lines.get_array()) {
    if (!l.is_object()) throw invalid_field("transfer.lines", "a line is an object");
    const auto& line = l.get_object();
    InboundLine il;
    il.id = text_of(line, "id");
    il.line_no = ++n;
    il.item_id = text_of(line, "item_id");
    il.sku = optional_text(line, "sku");
    il.name = optional_text(line, "name");
    auto q = json::as_quantity(member(line, "shipped"));
    if (!q || q->milli <= 0) throw invalid_field("transfer.lines.shipped", "shipped is a quantity above 0");
    il.shipped = *q;
    t.lines.push_back(std::move(il));
  }
  store::insert_inbound(db, t);
}

std::string receiving_store(db::Db& db, const Actor& actor, const std::optional<std::string>& asked) {
  std::string location_id;
  if (asked) {
    auto l = stock::require_location(db, *asked, "location_id");
    if (!l.sellable) throw invalid_field("location_id", "goods from head office are received at a store");
    location_id = l.id;
  } else {
    std::vector<std::string> stores;
    for (const auto& l : stock::list_locations(db))
      if (l.kind == stock::word(stock::LocationKind::store)) stores.push_back(l.id);
    if (stores.size() != 1) throw missing_field("location_id");
    location_id = stores.front();
  }
  stock::check_location_scope(actor, location_id);
  return location_id;
}

InboundTransfer receive_inbound_transfer(db::Db& db, const Actor& actor, const std::string& id, const InboundReceipt& in) {
  auto t = store::load_inbound(db, id);
  if (!t) throw not_found("inbound transfer", id);
  if (t->status == "cancelled")
    throw Problem(409, "transfer_cancelled",
                  fmt::format("head office cancelled transfer {} ({}): its goods are not on their way. If they arrived "
                              "all the same, book them in as found and tell head office",
                              t->number, t->cancel_reason.value_or("no reason given")),
                  "id");
  if (t->status != "in_transit")
    throw Problem(409, "already_received", fmt::format("transfer {} was received already", t->number), "id");
  std::string location_id = receiving_store(db, actor, in.location_id);
  auto before = inbound_to_json(*t);
  t->lines = plan_inbound_receipt(t->lines, in);
  std::string damaged_bin = stock::bin_of(db, location_id, std::string(stock::word(stock::LocationKind::damaged)));
  std::vector<stock::Movement> moves;
  for (const auto& l : t->lines) {
    if (l.received.milli > 0)
      moves.push_back(stock::Movement{l.item_id, location_id, l.received, stock::MovementReason::transfer_in,
                                      inbound_document_type, t->id, l.id});
    if (l.damaged.milli > 0)
      moves.push_back(stock::Movement{l.item_id, damaged_bin, l.damaged, stock::MovementReason::transfer_damaged,
                                      inbound_document_type, t->id, l.id});
  }
  stock::post_movements(db, moves, stock::PostContext{actor.user, actor.origin, stock::NegativeStock::allow});
  t->status = "received";
  t->location_id = location_id;
  t->received_at = now().micros;
  t->received_by = actor.user;
  store::mark_inbound_received(db, *t);
  auto after = inbound_to_json(*t);
  append_audit(db, actor, AuditEntry{"inbound_transfer.receive", "inbound_transfer", t->id, bj::serialize(before),
                                     bj::serialize(after)});
  bj::array lines;
  for (const auto& l : t->lines)
    lines.push_back(bj::object{{"line_id", l.id},
                               {"item_id", l.item_id},
                               {"shipped", json::quantity_value(l.shipped)},
                               {"received", json::quantity_value(l.received)},
                               {"damaged", json::quantity_value(l.damaged)},
                               {"short", json::quantity_value(l.short_)}});
  append_event(db, inbound_received_event, t->id,
               bj::serialize(bj::object{{"id", t->id},
                                        {"number", t->number},
                                        {"location_id", location_id},
                                        {"received_at", format_rfc3339(Timestamp{*t->received_at})},
                                        {"received_by", actor.user},
                                        {"lines", std::move(lines)}}));
  return *t;
}

std::optional<PushedReceipt> pushed_receipt_of(const std::string& payload, const std::string& entity_id) {
  // Read exactly as a request body is: a decimal quantity (2.5 received, 0.5 damaged) stays
  // exact (bj::parse would make it a double, which as_quantity refuses).
  bj::value json;
  try {
    json = json::parse_exact(payload);
  } catch (const Problem&) {
    return std::nullopt;
  }
  if (!json.is_object()) return std::nullopt;
  const auto* lines = json.get_object().if_contains("lines");
  if (!lines || !lines->is_array()) return std::nullopt;
  PushedReceipt r;
  r.transfer_id = entity_id;
  for (const auto& l : lines->get_array()) {
    if (!l.is_object()) return std::nullopt;
    const auto& o = l.get_object();
    const auto* id = o.if_contains("line_id");
    const auto* received = o.if_contains("received");
    const auto* damaged = o.if_contains("damaged");
    if (!id || !id->is_string() || !received || !damaged) return std::nullopt;
    auto got = json::as_quantity(*received);
    auto broken = json::as_quantity(*damaged);
    if (!got || !broken) return std::nullopt;
    r.lines.push_back({std::string(id->get_string()), {*got, *broken}});
  }
  return r;
}

}  // namespace backroom::sync
