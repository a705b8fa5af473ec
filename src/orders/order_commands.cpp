// The click-and-collect commands (orders/orders.hpp): place, pay, cancel, pick, short pick,
// offer a substitute and the customer's answer, stage, pick up as a sale, settle a short-pick
// refund, expire; and the room's reads.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <random>

#include "access/audit.hpp"
#include "access/auth.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/photo.hpp"
#include "customers/customer.hpp"
#include "customers/customers.hpp"
#include "customers/customers_store.hpp"
#include "integrations/webhooks.hpp"
#include "orders/orders.hpp"
#include "orders/orders_store.hpp"
#include "platform/idempotency.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/money.hpp"
#include "platform/outbox.hpp"
#include "platform/settings.hpp"
#include "sales/sales.hpp"
#include "stock/holds.hpp"
#include "stock/shelves.hpp"
#include "stock/stock.hpp"

namespace backroom::orders {

namespace bj = boost::json;

namespace {

constexpr const char* hold_expiry_key = "orders.hold_expiry_hours";
constexpr const char* safety_buffer_key = "availability.safety_buffer";  // milli-units
constexpr const char* low_stock_key = "availability.low_stock_threshold";  // milli-units
// No 0/O, 1/I, 2/Z, 5/S, 8/B: a code read aloud or typed from a phone is not mistaken.
constexpr std::string_view pickup_alphabet = "ACDEFGHJKLMNPQRTUVWXY34679";

std::string new_pickup_code(db::Db& db) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  for (;;) {
    std::string code;
    std::uniform_int_distribution<std::size_t> pick(0, pickup_alphabet.size() - 1);
    for (std::size_t i = 0; i < pickup_code_length; ++i) code += pickup_alphabet[pick(random)];
    if (!store::pickup_code_taken(db, code)) return code;
  }
}

std::string label_of(const catalog::Item& item) { return fmt::format("{} ({})", item.sku, item.name); }

bj::value time_or_null(const std::optional<Timestamp>& t) {
  return t ? bj::value(format_rfc3339(*t)) : bj::value(nullptr);
}
bj::value text_or_null(const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); }

// `heads` holds the substituted item's SKU and name (read with the order's other items).
bj::object substitution_json(const Substitution& sub, const std::map<std::string, catalog::store::ItemHead>& heads) {
  auto head = heads.find(sub.item_id);
  auto none = heads.end();
  return bj::object{{"id", sub.id},
                    {"line_id", sub.line_id},
                    {"item_id", sub.item_id},
                    {"sku", head != none ? head->second.sku : ""},
                    {"name", head != none ? head->second.name : ""},
                    {"quantity", json::quantity_value(sub.quantity)},
                    {"unit_price", sub.unit_price},
                    {"credit", sub.credit},
                    {"price_difference", price_difference(sub)},
                    {"status", word(sub.status)},
                    {"offered_at", format_rfc3339(sub.offered_at)},
                    {"offered_by", sub.offered_by},
                    {"decided_at", time_or_null(sub.decided_at)},
                    {"new_line_id", text_or_null(sub.new_line_id)}};
}

// The URL of an item's photo, with its ETag in the query so a new photo is a new URL; null
// when the item has none.
bj::value photo_url(const std::map<std::string, std::string>& etags, const std::string& item_id) {
  auto found = etags.find(item_id);
  if (found == etags.end()) return nullptr;
  std::string version = found->second;
  std::erase(version, '"');
  return bj::value(fmt::format("/api/v1/items/{}/photo?v={}", item_id, version));
}

// The customer master's id and number, never the contact: this is what the audit trail
// (hash-chained, not sealed) and the events (webhooks) carry of the customer.
bj::object customer_ref(db::Db& db, const Order& o) {
  auto number = o.customer_id ? customers::customer_number(db, *o.customer_id) : std::nullopt;
  return bj::object{{"id", text_or_null(o.customer_id)},
                    {"number", number ? bj::value(customers::customer_number_text(*number)) : bj::value(nullptr)}};
}

// The order's document as the audit trail and the events hold it (no contact data).
bj::object order_json(db::Db& db, const Order& o) {
  auto subs = store::substitutions_of(db, o.id);
  std::vector<std::string> ids;
  for (const auto& l : o.lines) ids.push_back(l.item_id);
  for (const auto& sub : subs) ids.push_back(sub.item_id);
  auto heads = catalog::store::item_heads(db, ids);
  auto shelves = stock::shelves_at(db, o.location_id, ids);
  auto photos = catalog::store::photo_etags(db, ids);
  std::map<std::string, stock::Hold> holds;
  for (auto& h : stock::holds_of(db, o.id)) holds.emplace(h.line_id, std::move(h));
  bj::array lines;
  bool any_short = false;
  for (const auto& l : o.lines) {
    auto head = heads.find(l.item_id);
    auto hold = holds.find(l.id);
    bool short_line = l.short_.milli > 0 || (hold != holds.end() && hold->second.status == stock::HoldStatus::short_);
    any_short = any_short || short_line;
    lines.push_back(bj::object{
        {"id", l.id},
        {"item_id", l.item_id},
        {"sku", head != heads.end() ? head->second.sku : ""},
        {"name", head != heads.end() ? head->second.name : ""},
        {"where", head != heads.end() ? head->second.category : ""},
        {"shelf", shelves.contains(l.item_id) ? bj::value(shelves.at(l.item_id)) : bj::value(nullptr)},
        {"photo_url", photo_url(photos, l.item_id)},
        {"quantity", json::quantity_value(l.quantity)},
        {"unit_price", l.unit_price},
        {"held", json::quantity_value(hold != holds.end() ? hold->second.held : Quantity{})},
        {"hold_status", hold != holds.end() ? bj::value(std::string(stock::word(hold->second.status))) : bj::value(nullptr)},
        {"picked", json::quantity_value(l.picked)},
        {"short", json::quantity_value(l.short_)},
        {"outstanding", json::quantity_value(l.outstanding())},
        {"substitute_for", text_or_null(l.substitute_for)},
        {"credit", l.credit},
    });
  }
  bj::array substitutions;
  for (const auto& sub : subs) substitutions.push_back(substitution_json(sub, heads));
  return bj::object{{"id", o.id},
                    {"number", order_number_text(o.number)},
                    {"status", word(o.status)},
                    {"channel", o.channel},
                    {"external_id", text_or_null(o.external_id)},
                    {"location_id", o.location_id},
                    {"promised_at", format_rfc3339(o.promised_at)},
                    {"expires_at", format_rfc3339(expires_at(o.promised_at, hold_expiry_hours(db)))},
                    {"customer", customer_ref(db, o)},
                    {"pickup_code", o.pickup_code},
                    {"paid", o.paid_at.has_value()},
                    {"paid_at", time_or_null(o.paid_at)},
                    {"total", o.total},
                    {"short", any_short},
                    {"staging_spot", text_or_null(o.staging_spot)},
                    {"sale_id", text_or_null(o.sale_id)},
                    {"refund_due", o.refund_due},
                    {"refunded_at", time_or_null(o.refunded_at)},
                    {"due_at_pickup", due_at_pickup(o)},
                    {"created_at", format_rfc3339(o.created_at)},
                    {"updated_at", format_rfc3339(o.updated_at)},
                    {"lines", std::move(lines)},
                    {"substitutions", std::move(substitutions)}};
}

// What the order's API answers show (orders.read): the document with the contact the order
// was placed with, opened from its sealed columns. Never written to the audit trail or an event.
bj::object with_contact(const Order& o, bj::object doc) {
  auto& customer = doc["customer"].as_object();
  customer["name"] = o.customer.name;
  customer["phone"] = o.customer.phone;
  customer["email"] = o.customer.email;
  return doc;
}
bj::object answer(db::Db& db, const Order& o) { return with_contact(o, order_json(db, o)); }

// What the customer's link shows: no ids, no contact details; the order's number, the store,
// what is short, what is offered, and the money.
bj::object public_offer_json(db::Db& db, const Substitution& sub) {
  auto o = store::load_order(db, sub.order_id);
  std::string original_name, original_quantity;
  std::int64_t original_price = 0;
  if (o) {
    for (const auto& l : o->lines) {
      if (l.id != sub.line_id) continue;
      auto heads = catalog::store::item_heads(db, {l.item_id});
      if (auto h = heads.find(l.item_id); h != heads.end()) original_name = h->second.name;
      original_quantity = format_quantity(l.short_);
      original_price = l.unit_price;
    }
  }
  auto heads = catalog::store::item_heads(db, {sub.item_id});
  auto head = heads.find(sub.item_id);
  auto location = o ? stock::load_location(db, o->location_id) : std::nullopt;
  auto first_name = o ? o->customer.name.substr(0, o->customer.name.find(' ')) : std::string();
  return bj::object{{"number", o ? order_number_text(o->number) : ""},
                    {"store", location ? location->name : ""},
                    {"customer_first_name", first_name},
                    {"short", bj::object{{"name", original_name}, {"quantity", original_quantity}, {"unit_price", original_price}}},
                    {"offered", bj::object{{"name", head != heads.end() ? head->second.name : ""},
                                           {"quantity", json::quantity_value(sub.quantity)},
                                           {"unit_price", sub.unit_price},
                                           {"has_photo", !catalog::store::photo_etags(db, {sub.item_id}).empty()}}},
                    {"credit", sub.credit},
                    {"price_difference", price_difference(sub)},
                    {"currency_decimals", settings::currency_decimals(db)},
                    {"paid", o && o->paid_at.has_value()},
                    {"status", word(sub.status)}};
}

// Offers still waiting when the order is staged, cancelled or expires no longer stand.
void withdraw_offers(db::Db& db, const std::string& order_id) {
  for (auto& sub : store::substitutions_of(db, order_id)) {
    if (sub.status != SubstitutionStatus::offered) continue;
    sub.status = SubstitutionStatus::withdrawn;
    sub.decided_at = now();
    store::save_substitution(db, sub);
  }
}

Order require_order(db::Db& db, const Actor& actor, const std::string& id) {
  auto o = store::load_order(db, id);
  if (!o) throw not_found("online order", id);
  stock::check_location_scope(actor, o->location_id);
  return std::move(*o);
}

void require_active(const Order& o, std::string_view doing) {
  if (!is_active(o.status))
    throw Problem(409, "order_closed",
                  fmt::format("order {} is {}: it cannot be {}", order_number_text(o.number), word(o.status), doing));
}

void require_pickable(const Order& o) {
  if (o.status != OrderStatus::open && o.status != OrderStatus::picking)
    throw Problem(409, "not_pickable",
                  fmt::format("order {} is {}: only open orders are picked", order_number_text(o.number), word(o.status)));
}

// Writes the order, its audit entry and its event; answers its document (no contact data:
// an answer to a caller adds it, with_contact).
bj::object commit(db::Db& db, const Actor& actor, Order& o, const std::string& action, const bj::object& before,
                  const std::optional<std::string>& event) {
  o.updated_at = now();
  store::save_order(db, o);
  auto doc = order_json(db, o);
  auto text = bj::serialize(doc);
  append_audit(db, actor, AuditEntry{action, "online_order", o.id, bj::serialize(before), text});
  if (event) append_event(db, *event, o.id, text);
  return doc;
}

void hold(db::Db& db, const Order& o) {
  std::vector<stock::HoldRequest> lines;
  for (const auto& l : o.lines)
    if (l.outstanding().milli > 0 || l.picked.milli > 0)
      lines.push_back(stock::HoldRequest{l.id, l.item_id, l.quantity - l.short_});
  stock::place_holds(db, o.id, o.location_id, lines, *o.paid_at);
}

catalog::Item resolve_item(db::Db& db, const LineInput& in, const std::string& path) {
  std::optional<catalog::Item> item;
  if (in.item_id) {
    item = catalog::store::load_item(db, *in.item_id);
    if (!item) throw invalid_field(path + ".item_id", fmt::format("item '{}' does not exist", *in.item_id));
  } else if (in.sku) {
    auto id = catalog::store::item_id_by_sku(db, *in.sku);
    if (!id) throw invalid_field(path + ".sku", fmt::format("no item has SKU '{}'", *in.sku));
    item = catalog::store::load_item(db, *id);
  } else {
    try {
      item = catalog::scan(db, *in.gtin).item;
    } catch (Problem& p) {
      p.field = path + ".gtin";
      throw;
    }
  }
  if (!item->sellable())
    throw Problem(422, "not_sellable", fmt::format("{} cannot be sold ({})", label_of(*item), catalog::word(item->status)),
                  path);
  if (item->kind == catalog::ItemKind::kit)
    throw Problem(422, "kit_not_orderable", fmt::format("{} is a kit: order its items", label_of(*item)), path);
  return std::move(*item);
}

}  // namespace

std::int64_t hold_expiry_hours(db::Db& db) {
  auto v = settings::get_int64(db, hold_expiry_key);
  return v && *v > 0 ? *v : hold_expiry_hours_default;
}

void set_hold_expiry_hours(db::Db& db, const Actor& actor, std::int64_t hours) {
  auto before = hold_expiry_hours(db);
  settings::put(db, hold_expiry_key, std::to_string(hours));
  append_audit(db, actor,
               AuditEntry{"settings.orders", "settings", "orders",
                          bj::serialize(bj::object{{"hold_expiry_hours", before}}),
                          bj::serialize(bj::object{{"hold_expiry_hours", hours}})});
}

FeedSettings feed_settings(db::Db& db) {
  FeedSettings out;
  auto rows = settings::get_many(db, {safety_buffer_key, low_stock_key});
  if (auto it = rows.find(safety_buffer_key); it != rows.end())
    out.safety_buffer = Quantity{settings::parse_int64(it->second).value_or(0)};
  if (auto it = rows.find(low_stock_key); it != rows.end())
    out.low_stock_threshold = Quantity{settings::parse_int64(it->second).value_or(out.low_stock_threshold.milli)};
  return out;
}

void set_feed_settings(db::Db& db, const Actor& actor, const FeedSettings& feed) {
  auto before = feed_settings(db);
  settings::put(db, safety_buffer_key, std::to_string(feed.safety_buffer.milli));
  settings::put(db, low_stock_key, std::to_string(feed.low_stock_threshold.milli));
  auto text = [](const FeedSettings& f) {
    return bj::serialize(bj::object{{"safety_buffer", json::quantity_value(f.safety_buffer)},
                                    {"low_stock_threshold", json::quantity_value(f.low_stock_threshold)}});
  };
  append_audit(db, actor, AuditEntry{"settings.availability", "settings", "availability", text(before), text(feed)});
}

Posted create_order(db::Db& db, const Actor& actor, const OrderInput& in) {
  stock::check_location_scope(actor, in.location_id);
  if (in.external_id) {
    if (auto prior = store::order_by_external_id(db, in.channel, *in.external_id)) {
      if (store::request_hash(db, *prior) != in.key.request_hash)
        throw Problem(409, "duplicate_order",
                      fmt::format("channel {} already placed order {} with other contents", in.channel, *in.external_id),
                      "external_id");
      return Posted{*load_order_document(db, *prior), true};
    }
  }
  auto claim = documents::claim(db, in.key, "online_order", "online order", [&](const std::string& id) {
    return documents::prior_of(store::request_hash(db, id), in.key);
  });
  if (claim.replay) return Posted{*load_order_document(db, claim.id), true};
  auto location = stock::require_location(db, in.location_id, "location_id");
  if (!location.sellable) throw invalid_field("location_id", fmt::format("{} is not a store", location.name));

  Order o;
  o.id = claim.id;
  o.number = store::next_number(db);
  o.channel = in.channel;
  o.external_id = in.external_id;
  o.location_id = location.id;
  o.promised_at = in.promised_at;
  o.customer = in.customer;
  if (auto customer = customers::customer_for_order(
          db, actor, customers::OrderContact{in.customer.name, in.customer.phone, in.customer.email}))
    o.customer_id = customer->id;
  o.pickup_code = new_pickup_code(db);
  o.created_at = o.updated_at = now();
  if (in.paid) o.paid_at = o.created_at;
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    auto item = resolve_item(db, in.lines[i], fmt::format("lines[{}]", i));
    o.lines.push_back(OrderLine{new_uuid_v7(), item.id, in.lines[i].quantity, in.lines[i].unit_price, {}, {}, {}, 0});
  }
  o.total = order_total(o.lines);
  store::insert_order(db, o, in.key.request_hash, actor.user);
  documents::remember(db, in.key, "online_order", o.id);
  if (o.paid_at) hold(db, o);
  auto doc = order_json(db, o);
  auto text = bj::serialize(doc);
  append_audit(db, actor, AuditEntry{"order.create", "online_order", o.id, std::nullopt, text});
  append_event(db, "order.created", o.id, text);
  if (o.paid_at) append_event(db, "order.paid", o.id, text);
  return Posted{with_contact(o, std::move(doc)), false};
}

boost::json::object mark_paid(db::Db& db, const Actor& actor, const std::string& id) {
  auto o = require_order(db, actor, id);
  if (o.paid_at) return answer(db, o);
  require_active(o, "paid");
  auto before = order_json(db, o);
  o.paid_at = now();
  store::save_order(db, o);
  hold(db, o);
  return with_contact(o, commit(db, actor, o, "order.pay", before, "order.paid"));
}

boost::json::object cancel_order(db::Db& db, const Actor& actor, const std::string& id, const std::string& reason) {
  auto o = require_order(db, actor, id);
  if (o.status == OrderStatus::cancelled) return answer(db, o);
  require_active(o, "cancelled");
  auto before = order_json(db, o);
  o.status = OrderStatus::cancelled;
  stock::end_holds(db, o.id, stock::HoldStatus::released);
  withdraw_offers(db, o.id);
  auto doc = commit(db, actor, o, "order.cancel", before, std::nullopt);
  doc["reason"] = reason;
  append_event(db, "order.cancelled", o.id, bj::serialize(doc));
  return with_contact(o, std::move(doc));
}

boost::json::object pick(db::Db& db, const Actor& actor, const std::string& id, const PickInput& in) {
  auto o = require_order(db, actor, id);
  require_pickable(o);
  catalog::Item item;
  Quantity quantity = in.quantity.value_or(Quantity::units(1));
  if (in.code) {
    auto scanned = catalog::scan(db, *in.code);
    item = std::move(scanned.item);
    quantity = Quantity{quantity.milli * scanned.pack_quantity.milli / Quantity::scale};
  } else {
    auto loaded = catalog::store::load_item(db, *in.item_id);
    if (!loaded) throw invalid_field("item_id", fmt::format("item '{}' does not exist", *in.item_id));
    item = std::move(*loaded);
  }
  if (quantity.milli <= 0) throw invalid_field("quantity", "quantity must be greater than 0");
  auto before = order_json(db, o);
  auto i = line_to_pick(o.lines, item.id, label_of(item), quantity, order_number_text(o.number));
  o.lines[i].picked = o.lines[i].picked + quantity;
  o.status = OrderStatus::picking;
  return with_contact(o, commit(db, actor, o, "order.pick", before, std::nullopt));
}

boost::json::object short_pick(db::Db& db, const Actor& actor, const std::string& id, const std::string& line_id) {
  auto o = require_order(db, actor, id);
  require_pickable(o);
  auto line = std::find_if(o.lines.begin(), o.lines.end(), [&](const OrderLine& l) { return l.id == line_id; });
  if (line == o.lines.end())
    throw invalid_field("line_id", fmt::format("order {} has no line '{}'", order_number_text(o.number), line_id));
  if (line->outstanding().milli <= 0)
    throw Problem(409, "nothing_outstanding", "every unit of that line is picked or already short", "line_id");
  auto before = order_json(db, o);
  line->short_ = line->short_ + line->outstanding();
  o.status = OrderStatus::picking;
  stock::lower_hold(db, line->id, line->picked);
  auto doc = commit(db, actor, o, "order.short_pick", before, std::nullopt);
  append_event(db, "order.short", o.id,
               bj::serialize(bj::object{{"order_id", o.id},
                                        {"line_id", line->id},
                                        {"item_id", line->item_id},
                                        {"location_id", o.location_id},
                                        {"quantity", json::quantity_value(line->quantity)},
                                        {"held", json::quantity_value(line->picked)},
                                        {"cause", "short_pick"}}));
  return with_contact(o, std::move(doc));
}

boost::json::object stage(db::Db& db, const Actor& actor, const std::string& id, const std::string& spot) {
  auto o = require_order(db, actor, id);
  if (o.status == OrderStatus::ready && o.staging_spot == spot) return answer(db, o);
  require_pickable(o);
  check_stageable(o);
  auto before = order_json(db, o);
  o.staging_spot = spot;
  o.status = OrderStatus::ready;
  withdraw_offers(db, o.id);
  auto doc = commit(db, actor, o, "order.stage", before, std::nullopt);
  auto location = stock::load_location(db, o.location_id);
  // The "ready for pickup" message, for the shop's SMS/email integration to send.
  bj::object event = doc;
  event["message"] = bj::object{
      {"to", doc.at("customer")},
      {"text", fmt::format("Your order {} is ready for pickup at {}. Show code {} at the till.",
                           order_number_text(o.number), location ? location->name : "the store", o.pickup_code)},
      {"backup_contact", location ? location->receipt.address : ""}};
  append_event(db, "order.ready", o.id, bj::serialize(event));
  return with_contact(o, std::move(doc));
}

boost::json::object pickup(db::Db& db, const Actor& actor, const PickupInput& in) {
  auto id = store::order_by_pickup_code(db, in.pickup_code);
  if (!id) throw Problem(404, "unknown_pickup_code", fmt::format("no order has pickup code '{}'", in.pickup_code), "pickup_code");
  auto o = require_order(db, actor, *id);
  if (o.status == OrderStatus::collected) return answer(db, o);
  if (o.status != OrderStatus::ready)
    throw Problem(409, "not_ready",
                  fmt::format("order {} is {}: it is handed over once it is staged (ready)", order_number_text(o.number),
                              word(o.status)),
                  "pickup_code");
  auto before = order_json(db, o);
  sales::SaleRequest request;
  request.key.id = new_uuid_v7();
  request.key.request_hash = "online_order:" + o.id;
  request.location_id = o.location_id;
  request.register_id = in.register_id;
  request.channel = "online";
  for (const auto& l : o.lines)
    if (l.picked.milli > 0) request.lines.push_back(sales::SaleLineRequest{l.item_id, std::nullopt, l.picked, std::nullopt, l.unit_price, std::nullopt});
  // The holds end first: the sale then moves out units nobody holds, so the last-unit rule
  // does not take them from another order, and each unit leaves the shelf exactly once.
  stock::end_holds(db, o.id, stock::HoldStatus::collected);
  auto draft = sales::draft_sale(db, std::move(request));
  if (o.paid_at) {
    // Paid online, less what a dearer substitute adds: that is paid here, at the till.
    auto due = due_at_pickup(o);
    if (due > 0 && in.tenders.empty()) {
      Problem p(422, "payment_due",
                fmt::format("order {} has {} to pay for its substitute: take it at the till", order_number_text(o.number),
                            format_money(due, settings::currency_decimals(db))),
                "tenders");
      p.extra_json = bj::serialize(bj::object{{"due", due}});
      throw p;
    }
    draft.request.tenders = {sales::Tender{sales::TenderType::card, draft.priced.total - due,
                                           "online " + order_number_text(o.number)}};
    if (due > 0)
      for (const auto& t : in.tenders) draft.request.tenders.push_back(t);
  } else {
    draft.request.tenders = in.tenders;
  }
  auto sale = sales::post_sale(db, actor, draft);
  o.sale_id = sale.id;
  o.status = OrderStatus::collected;
  o.refund_due = short_refund(o);
  auto doc = commit(db, actor, o, "order.collect", before, "order.collected");
  doc["sale"] = sale.document;
  if (o.refund_due > 0) append_event(db, "order.refund_due", o.id, bj::serialize(doc));
  return with_contact(o, std::move(doc));
}

OfferedSubstitute offer_substitute(db::Db& db, const Actor& actor, const std::string& id, const OfferInput& in) {
  auto o = require_order(db, actor, id);
  require_pickable(o);
  auto line = std::find_if(o.lines.begin(), o.lines.end(), [&](const OrderLine& l) { return l.id == in.line_id; });
  if (line == o.lines.end())
    throw invalid_field("line_id", fmt::format("order {} has no line '{}'", order_number_text(o.number), in.line_id));
  if (auto why = substitution_refused(o.lines, in.line_id)) throw Problem(409, "not_substitutable", *why, "line_id");
  auto item = catalog::store::load_item(db, in.item_id);
  if (!item) throw invalid_field("item_id", fmt::format("item '{}' does not exist", in.item_id));
  if (item->id == line->item_id) throw invalid_field("item_id", "a substitute is another item than the one that is short");
  if (!item->sellable() || item->kind == catalog::ItemKind::kit)
    throw Problem(422, "not_sellable", fmt::format("{} cannot be offered: it is not sold on its own", label_of(*item)),
                  "item_id");
  auto original = catalog::store::item_heads(db, {line->item_id});
  auto before = order_json(db, o);
  // A newer offer for the line replaces one still waiting for an answer.
  for (auto& earlier : store::substitutions_of(db, o.id)) {
    if (earlier.line_id != line->id || earlier.status != SubstitutionStatus::offered) continue;
    earlier.status = SubstitutionStatus::withdrawn;
    earlier.decided_at = now();
    store::save_substitution(db, earlier);
  }
  Substitution sub{new_uuid_v7(),
                   o.id,
                   line->id,
                   item->id,
                   in.quantity.value_or(line->short_),
                   in.unit_price.value_or(item->price.value_or(line->unit_price)),
                   substitution_credit(*line),
                   SubstitutionStatus::offered,
                   now(),
                   actor.user,
                   std::nullopt,
                   std::nullopt};
  auto token = auth::random_hex(24);
  store::insert_substitution(db, sub, auth::secret_hash(token));
  auto doc = substitution_json(sub, catalog::store::item_heads(db, {sub.item_id}));
  append_audit(db, actor, AuditEntry{"order.substitution_offer", "online_order", o.id, bj::serialize(before),
                                     bj::serialize(doc)});
  // The message for the shop's SMS/email integration: the choice and the link to answer it.
  auto decimals = settings::currency_decimals(db);
  auto difference = price_difference(sub);
  auto original_name = original.count(line->item_id) ? original.at(line->item_id).name : std::string("an item");
  auto link = substitution_link_path(token);
  bj::object event{{"order_id", o.id}, {"number", order_number_text(o.number)}, {"substitution", doc}};
  event["message"] = bj::object{
      {"to", customer_ref(db, o)},
      {"link_path", link},
      {"text", fmt::format("{} is out of stock for your order {}. We can give you {} x {} instead{}. "
                           "Accept or decline: {}",
                           original_name, order_number_text(o.number), format_quantity(sub.quantity), item->name,
                           difference == 0   ? std::string()
                           : difference > 0 ? fmt::format(" ({} more)", format_money(difference, decimals))
                                             : fmt::format(" ({} back to you)", format_money(-difference, decimals)),
                           link)}};
  append_event(db, "order.substitution_offered", o.id, bj::serialize(event));
  return OfferedSubstitute{std::move(doc), std::move(token)};
}

std::string substitution_link_path(const std::string& token) { return "/substitute/" + token; }

boost::json::object answer_substitution(db::Db& db, const std::string& token, bool accept) {
  auto sub = store::substitution_by_token(db, auth::secret_hash(token));
  if (!sub) throw Problem(404, "unknown_offer", "this link is not valid: ask the shop");
  auto o = *store::load_order(db, sub->order_id);
  auto wanted = accept ? SubstitutionStatus::accepted : SubstitutionStatus::declined;
  if (sub->status == wanted) return public_offer_json(db, *sub);  // the same answer again
  if (sub->status != SubstitutionStatus::offered)
    throw Problem(409, "offer_closed",
                  sub->status == SubstitutionStatus::withdrawn
                      ? std::string("the shop withdrew this offer: it may have sent you another")
                      : fmt::format("you already {} this offer", word(sub->status)));
  if (o.status != OrderStatus::open && o.status != OrderStatus::picking)
    throw Problem(409, "offer_closed", fmt::format("order {} is {}: the offer no longer stands",
                                                  order_number_text(o.number), word(o.status)));
  Actor customer = Actor::of("customer", "substitution link");
  auto before = order_json(db, o);
  sub->status = wanted;
  sub->decided_at = now();
  if (accept) {
    if (auto why = substitution_refused(o.lines, sub->line_id)) throw Problem(409, "offer_closed", *why);
    OrderLine added{new_uuid_v7(), sub->item_id, sub->quantity, sub->unit_price, {}, {}, sub->line_id, sub->credit};
    store::insert_line(db, o.id, added);
    o.lines.push_back(added);
    o.total = order_total(o.lines);
    o.status = OrderStatus::picking;
    sub->new_line_id = added.id;
    if (o.paid_at)
      stock::place_holds(db, o.id, o.location_id, {stock::HoldRequest{added.id, added.item_id, added.quantity}},
                         *sub->decided_at);
  }
  store::save_substitution(db, *sub);
  auto doc = commit(db, customer, o, accept ? "order.substitution_accept" : "order.substitution_decline", before,
                    std::nullopt);
  bj::object event{{"order_id", o.id}, {"number", order_number_text(o.number)},
                   {"substitution", substitution_json(*sub, catalog::store::item_heads(db, {sub->item_id}))},
                   {"order", doc}};
  append_event(db, accept ? "order.substitution_accepted" : "order.substitution_declined", o.id,
               bj::serialize(event));
  return public_offer_json(db, *sub);
}

std::optional<boost::json::object> substitution_offer(db::Db& db, const std::string& token) {
  auto sub = store::substitution_by_token(db, auth::secret_hash(token));
  if (!sub) return std::nullopt;
  return public_offer_json(db, *sub);
}

std::optional<catalog::Photo> substitution_offer_photo(db::Db& db, const std::string& token) {
  auto sub = store::substitution_by_token(db, auth::secret_hash(token));
  if (!sub) return std::nullopt;
  return catalog::store::load_photo(db, sub->item_id);
}

boost::json::array substitute_candidates(db::Db& db, const Actor& actor, const std::string& id, const std::string& line_id) {
  auto o = require_order(db, actor, id);
  auto line = std::find_if(o.lines.begin(), o.lines.end(), [&](const OrderLine& l) { return l.id == line_id; });
  if (line == o.lines.end())
    throw invalid_field("line_id", fmt::format("order {} has no line '{}'", order_number_text(o.number), line_id));
  auto item = catalog::store::load_item(db, line->item_id);
  bj::array out;
  if (!item) return out;
  auto candidates = store::substitute_candidates(db, o.location_id, item->category, item->id, line->unit_price,
                                                 substitute_candidates_max);
  std::vector<std::string> ids;
  for (const auto& c : candidates) ids.push_back(c.item_id);
  auto shelves = stock::shelves_at(db, o.location_id, ids);
  auto photos = catalog::store::photo_etags(db, ids);
  for (const auto& c : candidates)
    out.push_back(bj::object{{"item_id", c.item_id},
                             {"sku", c.sku},
                             {"name", c.name},
                             {"price", c.price ? bj::value(*c.price) : bj::value(nullptr)},
                             {"available", json::quantity_value(c.available)},
                             {"shelf", shelves.contains(c.item_id) ? bj::value(shelves.at(c.item_id)) : bj::value(nullptr)},
                             {"photo_url", photo_url(photos, c.item_id)}});
  return out;
}

CustomerLinks link_customers(db::Db& db, const Actor& actor) {
  CustomerLinks out;
  for (const auto& id : store::without_customer(db)) {
    auto o = *store::load_order(db, id);
    auto customer = customers::customer_for_order(
        db, actor, customers::OrderContact{o.customer.name, o.customer.phone, o.customer.email});
    if (!customer) {
      ++out.without_contact;
      continue;
    }
    auto before = bj::serialize(order_json(db, o));
    o.customer_id = customer->id;
    store::set_customer(db, o.id, customer->id);
    append_audit(db, actor, AuditEntry{"order.link_customer", "online_order", o.id, before, bj::serialize(order_json(db, o))});
    ++out.linked;
  }
  return out;
}

ContactRedactions redact_contacts(db::Db& db, const Actor& actor) {
  auto ref = [&db](const std::string& order_id) {
    auto o = store::load_order(db, order_id);
    return o ? customer_ref(db, *o) : bj::object{{"id", nullptr}, {"number", nullptr}};
  };
  auto redacted = [&ref](const std::string& text) -> std::optional<std::string> {
    boost::system::error_code ec;
    auto doc = bj::parse(text, ec);
    if (ec || !redact_order_contact(doc, ref)) return std::nullopt;
    return bj::serialize(doc);
  };
  ContactRedactions out;
  std::vector<AuditRedaction> entries;
  for (std::int64_t after = 0;;) {
    auto page = audit_entries_of(db, "online_order", after, 500);
    if (page.empty()) break;
    for (const auto& e : page) {
      auto before = e.before ? redacted(*e.before) : std::nullopt;
      auto later = e.after ? redacted(*e.after) : std::nullopt;
      if (before || later) entries.push_back(AuditRedaction{e.seq, before ? before : e.before, later ? later : e.after});
    }
    after = page.back().seq;
  }
  redact_audit(db, actor, entries, "an online order's customer contact, written by a release before migration 35");
  out.audit_entries = static_cast<int>(entries.size());
  out.events = rewrite_event_payloads(db, "order.", redacted);
  out.webhook_messages = integrations::webhooks::rewrite_message_payloads(db, "order.", redacted);
  // Stored Idempotency-Key answers hold the order as it was answered, contact and all; those
  // of releases before migration 35 were kept in the clear (later ones are sealed).
  out.idempotency_answers = idempotency::seal_stored(db, "/api/v1/online-orders");
  return out;
}

boost::json::object settle_refund(db::Db& db, const Actor& actor, const std::string& id) {
  auto o = require_order(db, actor, id);
  if (o.refunded_at) return answer(db, o);
  if (o.status != OrderStatus::collected || o.refund_due == 0)
    throw Problem(409, "no_refund_due",
                  fmt::format("order {} owes no short-pick refund", order_number_text(o.number)));
  auto before = order_json(db, o);
  o.refunded_at = now();
  o.refunded_by = actor.user;
  return with_contact(o, commit(db, actor, o, "order.refund", before, "order.refunded"));
}

int expire_orders(db::Db& db, Timestamp at) {
  auto hours = hold_expiry_hours(db);
  auto ids = store::expiring(db, Timestamp{at.micros - (expires_at(Timestamp{0}, hours).micros)});
  Actor system = Actor::of("system", "hold expiry");
  for (const auto& id : ids) {
    auto o = *store::load_order(db, id);
    auto before = order_json(db, o);
    o.status = OrderStatus::expired;
    stock::end_holds(db, o.id, stock::HoldStatus::released);
    withdraw_offers(db, o.id);
    commit(db, system, o, "order.expire", before, "order.expired");
  }
  return static_cast<int>(ids.size());
}

std::optional<boost::json::object> load_order_document(db::Db& db, const std::string& id) {
  auto o = store::load_order(db, id);
  if (!o) return std::nullopt;
  return answer(db, *o);
}

std::vector<ListedOrder> list_orders(db::Db& db, const OrderFilter& f) {
  std::vector<ListedOrder> out;
  for (const auto& o : store::list_orders(db, store::ListFilter{f.status, f.location_id, f.before_number, f.limit}))
    out.push_back(ListedOrder{o.number, answer(db, o)});
  return out;
}

boost::json::array pick_queue(db::Db& db, const std::string& location_id) {
  bj::array out;
  for (const auto& o : store::queue(db, location_id, pick_queue_orders_max)) out.push_back(answer(db, o));
  return out;
}

boost::json::array refunds_due(db::Db& db) {
  bj::array out;
  for (const auto& o : store::refunds_due(db)) out.push_back(answer(db, o));
  return out;
}

std::vector<std::string> check_orders(db::Db& db) {
  std::vector<std::string> problems;
  for (const auto& o : store::collected(db)) {
    auto label = order_number_text(o.number);
    std::map<std::string, Quantity> picked;
    for (const auto& l : o.lines) {
      if (l.outstanding().milli != 0)
        problems.push_back(fmt::format("order {}: collected with {} of a line neither picked nor short", label,
                                       format_quantity(l.outstanding())));
      picked[l.item_id] = picked[l.item_id] + l.picked;
    }
    std::map<std::string, Quantity> moved;
    if (!o.sale_id || !sales::load_sale(db, *o.sale_id)) {
      problems.push_back(fmt::format("order {}: collected without its sale", label));
    } else {
      for (const auto& [item, q] : stock::document_net_by_item(db, *o.sale_id)) moved[item] = -q;
    }
    for (const auto& [item, q] : picked)
      if (o.sale_id && moved[item] != q)
        problems.push_back(fmt::format("order {}: {} of item {} picked, its sale moved out {}", label,
                                       format_quantity(q), item, format_quantity(moved[item])));
    for (const auto& h : stock::holds_of(db, o.id))
      if (h.status != stock::HoldStatus::collected)
        problems.push_back(fmt::format("order {}: collected but its hold {} is {}", label, h.line_id, stock::word(h.status)));
    if (o.refund_due != short_refund(o))
      problems.push_back(fmt::format("order {}: refund due {} but its short lines were paid {}", label, o.refund_due,
                                     short_refund(o)));
  }
  return problems;
}

}  // namespace backroom::orders
