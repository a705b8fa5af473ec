// A store node ships a transfer to one of head office's locations (sync/outbound.hpp).
#include "sync/outbound.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "access/audit.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::sync {

namespace bj = boost::json;

std::optional<bj::value> destination_feed_data(db::Db& db, const std::string& node_location_id,
                                               const std::string& location_id) {
  auto l = stock::load_location(db, location_id);
  if (!l) return std::nullopt;
  auto kind = stock::location_kinds.parse(l->kind);
  if (!kind || !stock::is_site(*kind)) return std::nullopt;
  bool allowed = !stock::node_destination_refusal(db, node_location_id, l->id);
  return bj::value(bj::object{{"id", l->id}, {"name", l->name}, {"kind", l->kind}, {"allowed", allowed}});
}

void apply_destination(db::Db& db, const bj::value& data) {
  if (!data.is_object()) throw invalid_field("location", "a location is an object");
  const auto& o = data.get_object();
  auto text = [&o](const char* key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_string() || v->get_string().empty())
      throw invalid_field(fmt::format("location.{}", key), fmt::format("the feed's location has no {}", key));
    return std::string(v->get_string());
  };
  Destination d;
  auto id = normalize_uuid(text("id"));
  if (!id) throw invalid_field("location.id", "a location's id is a UUID");
  d.id = *id;
  d.name = text("name");
  d.kind = text("kind");
  const auto* allowed = o.if_contains("allowed");
  d.allowed = allowed && allowed->is_bool() && allowed->get_bool();
  d.updated_at = now().micros;
  store::upsert_destination(db, d);
}

bj::object destination_to_json(const Destination& d) { return bj::object{{"id", d.id}, {"name", d.name}, {"kind", d.kind}}; }

std::string outbound_number_text(std::int64_t number) { return fmt::format("S-{:06}", number); }

bj::object outbound_to_json(const OutboundTransfer& t) {
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
                    {"number", outbound_number_text(t.number)},
                    {"status", t.status},
                    {"from_location_id", t.from_location_id},
                    {"from", bj::object{{"id", t.from_location_id}, {"name", t.from_name}}},
                    {"to_location_id", t.to_id},
                    {"to", bj::object{{"id", t.to_id}, {"name", t.to_name}}},
                    {"to_head_office", true},
                    {"note", t.note},
                    {"shipped_at", format_rfc3339(Timestamp{t.shipped_at})},
                    {"shipped_by", t.shipped_by},
                    {"received_at", t.received_at ? bj::value(format_rfc3339(Timestamp{*t.received_at})) : bj::value(nullptr)},
                    {"cancelled_at", t.cancelled_at ? bj::value(format_rfc3339(Timestamp{*t.cancelled_at})) : bj::value(nullptr)},
                    {"cancelled_by", t.cancelled_by ? bj::value(*t.cancelled_by) : bj::value(nullptr)},
                    {"cancel_reason", t.cancel_reason ? bj::value(*t.cancel_reason) : bj::value(nullptr)},
                    {"lines_count", t.lines.size()},
                    {"lines", std::move(lines)}};
}

std::optional<stock::Posted> ship_outbound(db::Db& db, const Actor& actor, const stock::TransferInput& in) {
  auto to = store::load_destination(db, in.to_location_id);
  if (!to) return std::nullopt;  // not one of head office's either: the usual 422
  auto claim = documents::claim(db, in.key, "transfer", "transfer", [&](const std::string& id) {
    auto known = store::load_outbound(db, id);
    return documents::prior_of(known ? std::optional(known->request_hash) : std::nullopt, in.key);
  });
  if (claim.replay) return stock::Posted{outbound_to_json(*store::load_outbound(db, claim.id)), true};
  if (!to->allowed)
    throw invalid_field("to_location_id",
                        fmt::format("head office does not take transfers from this store at {}", to->name));
  auto from = stock::require_location(db, in.from_location_id, "from_location_id");
  auto from_kind = stock::location_kinds.parse(from.kind);
  if (!from_kind || !stock::is_site(*from_kind))
    throw invalid_field("from_location_id", "a transfer to head office leaves from a store, backroom or warehouse");
  std::vector<std::string> ids;
  for (const auto& l : in.lines) ids.push_back(l.item_id);
  auto heads = catalog::store::item_heads(db, ids);
  OutboundTransfer t;
  t.id = claim.id;
  t.number = store::next_outbound_number(db);
  t.from_location_id = from.id;
  t.from_name = from.name;
  t.to_id = to->id;
  t.to_name = to->name;
  t.note = in.note;
  t.shipped_at = now().micros;
  t.shipped_by = actor.user;
  t.request_hash = in.key.request_hash;
  std::vector<stock::Movement> moves;
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    const auto& line = in.lines[i];
    auto head = heads.find(line.item_id);
    if (head == heads.end())
      throw invalid_field(fmt::format("lines[{}].item_id", i), fmt::format("item '{}' does not exist", line.item_id));
    OutboundLine l{new_uuid_v7(), static_cast<std::int64_t>(i + 1), line.item_id, head->second.sku, head->second.name,
                   line.quantity, Quantity{}, Quantity{}, Quantity{}};
    moves.push_back(stock::Movement{l.item_id, from.id, -l.shipped, stock::MovementReason::transfer_out,
                                    outbound_document_type, t.id, l.id});
    t.lines.push_back(std::move(l));
  }
  store::insert_outbound(db, t);
  stock::post_movements(db, moves, stock::PostContext{actor.user, actor.origin, stock::negative_stock_policy(db)});
  documents::remember(db, in.key, "transfer", t.id);
  auto json = outbound_to_json(t);
  append_audit(db, actor, AuditEntry{"outbound_transfer.ship", "outbound_transfer", t.id, std::nullopt, bj::serialize(json)});
  bj::array lines;
  for (const auto& l : t.lines)
    lines.push_back(bj::object{{"id", l.id}, {"item_id", l.item_id}, {"quantity", json::quantity_value(l.shipped)}});
  append_event(db, outbound_shipped_event, t.id,
               bj::serialize(bj::object{{"id", t.id},
                                        {"number", outbound_number_text(t.number)},
                                        {"from_location_id", t.from_location_id},
                                        {"to_location_id", t.to_id},
                                        {"to_name", t.to_name},
                                        {"note", t.note},
                                        {"shipped_at", format_rfc3339(Timestamp{t.shipped_at})},
                                        {"shipped_by", t.shipped_by},
                                        {"lines", std::move(lines)}}));
  return stock::Posted{std::move(json), false};
}

std::optional<std::string> outbound_cancel_refusal(const OutboundTransfer& t) {
  if (t.status == "cancelled") return "already_cancelled";
  if (t.status == "received") return "already_received";
  for (const auto& l : t.lines)
    if ((l.received + l.damaged + l.short_).milli > 0) return "already_received";
  return std::nullopt;
}

OutboundTransfer cancel_outbound(db::Db& db, const Actor& actor, const std::string& id, const std::string& reason) {
  auto t = store::load_outbound(db, id);
  if (!t) throw not_found("outbound transfer", id);
  if (auto why = outbound_cancel_refusal(*t)) {
    if (*why == "already_cancelled")
      throw Problem(409, "already_cancelled", fmt::format("shipment {} was cancelled already", outbound_number_text(t->number)),
                    "id");
    throw Problem(409, "already_received",
                  fmt::format("head office says shipment {} arrived at {} (or part of it): it cannot be cancelled. Ask "
                              "head office to send the goods back",
                              outbound_number_text(t->number), t->to_name),
                  "id");
  }
  stock::check_location_scope(actor, t->from_location_id);
  auto before = outbound_to_json(*t);
  t->status = "cancelled";
  t->cancelled_at = now().micros;
  t->cancelled_by = actor.user;
  t->cancel_reason = reason;
  t->cancel_id = new_uuid_v7();
  std::vector<stock::Movement> moves;
  bj::array lines;
  for (const auto& l : t->lines) {
    // The goods never left after all: back in where they were shipped from.
    moves.push_back(stock::Movement{l.item_id, t->from_location_id, l.shipped, stock::MovementReason::transfer_cancelled,
                                    outbound_cancel_document_type, *t->cancel_id, l.id});
    lines.push_back(bj::object{{"id", l.id}, {"item_id", l.item_id}, {"quantity", json::quantity_value(l.shipped)}});
  }
  stock::post_movements(db, moves, stock::PostContext{actor.user, actor.origin, stock::NegativeStock::allow});
  store::update_outbound_cancel(db, *t);
  auto after = outbound_to_json(*t);
  append_audit(db, actor, AuditEntry{"outbound_transfer.cancel", "outbound_transfer", t->id, bj::serialize(before),
                                     bj::serialize(after)});
  append_event(db, outbound_cancelled_event, *t->cancel_id,
               bj::serialize(bj::object{{"id", *t->cancel_id},
                                        {"transfer_id", t->id},
                                        {"number", outbound_number_text(t->number)},
                                        {"reason", reason},
                                        {"cancelled_at", format_rfc3339(Timestamp{*t->cancelled_at})},
                                        {"cancelled_by", actor.user},
                                        {"from_location_id", t->from_location_id},
                                        {"lines", std::move(lines)}}));
  return *t;
}

std::optional<PushedCancel> pushed_cancel_of(const std::string& payload) {
  boost::system::error_code ec;
  auto json = bj::parse(payload, ec);
  if (ec || !json.is_object()) return std::nullopt;
  const auto& o = json.get_object();
  auto text = [&o](const char* key) -> std::optional<std::string> {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::optional(std::string(v->get_string())) : std::nullopt;
  };
  auto id = text("transfer_id");
  auto transfer_id = id ? normalize_uuid(*id) : std::nullopt;
  auto at = parse_rfc3339(text("cancelled_at").value_or(""));
  if (!transfer_id || !at) return std::nullopt;
  return PushedCancel{*transfer_id, text("number").value_or(""), text("reason").value_or(""), at->micros};
}

std::vector<PushedMovement> split_cancel_movements(const std::vector<PushedMovement>& moved,
                                                   const std::map<std::string, std::int64_t>& outstanding) {
  std::vector<PushedMovement> out;
  std::map<std::string, std::int64_t> left = outstanding;
  for (const auto& m : moved) {
    auto line = m.document_line_id ? left.find(*m.document_line_id) : left.end();
    if (line == left.end() || m.quantity <= 0) {
      out.push_back(m);
      continue;
    }
    std::int64_t linked = std::min(m.quantity, std::max<std::int64_t>(line->second, 0));
    line->second -= linked;
    if (linked > 0) {
      out.push_back(m);
      out.back().quantity = linked;
    }
    if (m.quantity > linked) {
      out.push_back(m);
      out.back().quantity = m.quantity - linked;
      out.back().document_line_id.reset();
    }
  }
  return out;
}

void apply_outbound_transfer(db::Db& db, const bj::value& data) {
  if (!data.is_object()) throw invalid_field("transfer", "a transfer is an object");
  const auto& o = data.get_object();
  auto text = [](const bj::object& from, const char* key) {
    const auto* v = from.if_contains(key);
    if (!v || !v->is_string()) throw invalid_field(fmt::format("transfer.{}", key), fmt::format("the feed's transfer has no {}", key));
    return std::string(v->get_string());
  };
  auto id = normalize_uuid(text(o, "id"));
  if (!id) throw invalid_field("transfer.id", "a transfer's id is a UUID");
  auto t = store::load_outbound(db, *id);
  if (!t) return;  // not one this node holds (shipped from the store before it was a node)
  auto status = text(o, "status");
  // The node's own cancel stands until head office has taken it (cancelled) or says the goods
  // arrived first (received): head office's in transit or refusal is from before the cancel.
  if (t->status == "cancelled" && status != "received" && status != "cancelled") return;
  if (status == "refused") {  // head office could not put it in transit (yet)
    t->status = "refused";
    t->received_at.reset();
    store::update_outbound_receipt(db, *t);
    return;
  }
  t->status = status == "received" ? "received" : status == "cancelled" ? "cancelled" : "shipped";
  t->received_at.reset();
  if (const auto* at = o.if_contains("received_at"); at && at->is_string()) {
    auto parsed = parse_rfc3339(std::string(at->get_string()));
    if (!parsed) throw invalid_field("transfer.received_at", "received_at is a time");
    if (t->status == "received" || t->status == "cancelled") t->received_at = parsed->micros;
  }
  // Head office may have put it in transit to another destination (a refused shipment retried).
  auto to = normalize_uuid(text(o, "to_location_id"));
  if (!to) throw invalid_field("transfer.to_location_id", "to_location_id is a UUID");
  if (*to != t->to_id) {
    t->to_id = *to;
    const auto* named = o.if_contains("to");
    t->to_name = named && named->is_object() ? text(named->get_object(), "name") : std::string();
  }
  const auto* lines = o.if_contains("lines");
  if (!lines || !lines->is_array()) throw invalid_field("transfer.lines", "a transfer has lines");
  for (const auto& l : lines->get_array()) {
    if (!l.is_object()) throw invalid_field("transfer.lines", "a line is an object");
    const auto& line = l.get_object();
    auto line_id = text(line, "id");
    auto mine = std::find_if(t->lines.begin(), t->lines.end(), [&](const OutboundLine& x) { return x.id == line_id; });
    if (mine == t->lines.end()) continue;
    auto figure = [&line](const char* key) {
      const auto* v = line.if_contains(key);
      auto q = v ? json::as_quantity(*v) : std::nullopt;
      if (!q || q->milli < 0) throw invalid_field(fmt::format("transfer.lines.{}", key), fmt::format("{} is a quantity", key));
      return *q;
    };
    mine->received = figure("received");
    mine->damaged = figure("damaged");
    mine->short_ = figure("short");
  }
  store::update_outbound_receipt(db, *t);
}

void install_outbound_shipping() { stock::set_remote_shipper(ship_outbound); }

std::optional<stock::NodeShipment> pushed_shipment_of(const std::string& payload, const std::string& entity_id) {
  bj::value json;
  try {
    json = json::parse_exact(payload);  // quantities stay exact decimals (as a request body)
  } catch (const Problem&) {
    return std::nullopt;
  }
  if (!json.is_object()) return std::nullopt;
  const auto& o = json.get_object();
  auto text = [&o](const char* key) -> std::optional<std::string> {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::optional(std::string(v->get_string())) : std::nullopt;
  };
  stock::NodeShipment s;
  auto id = normalize_uuid(entity_id);
  auto to = text("to_location_id");
  auto to_id = to ? normalize_uuid(*to) : std::nullopt;
  if (!id || !to_id) return std::nullopt;
  s.id = *id;
  s.to_location_id = *to_id;
  s.node_number = text("number").value_or("");
  s.note = text("note").value_or("");
  s.shipped_by = text("shipped_by").value_or("");
  auto at = parse_rfc3339(text("shipped_at").value_or(""));
  if (!at) return std::nullopt;
  s.shipped_at = at->micros;
  const auto* lines = o.if_contains("lines");
  if (!lines || !lines->is_array()) return std::nullopt;
  for (const auto& l : lines->get_array()) {
    if (!l.is_object()) return std::nullopt;
    const auto& line = l.get_object();
    const auto* line_id = line.if_contains("id");
    const auto* item = line.if_contains("item_id");
    const auto* quantity = line.if_contains("quantity");
    if (!line_id || !line_id->is_string() || !item || !item->is_string() || !quantity) return std::nullopt;
    auto lid = normalize_uuid(line_id->get_string());
    auto iid = normalize_uuid(item->get_string());
    auto q = json::as_quantity(*quantity);
    if (!lid || !iid || !q) return std::nullopt;
    s.lines.push_back(stock::NodeShipmentLine{*lid, *iid, *q});
  }
  return s;
}

}  // namespace backroom::sync
