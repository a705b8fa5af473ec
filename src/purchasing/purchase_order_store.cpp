// Purchase orders' SQL and commands (purchase_orders.hpp): orders, their lines, receipts
// and the item cost history (tables of migration 11).
#include <fmt/format.h>

#include <algorithm>

#include "access/audit.hpp"
#include "access/auth.hpp"
#include "access/permissions.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/changes.hpp"
#include "platform/assert.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "purchasing/cost.hpp"
#include "purchasing/purchase_order_document.hpp"
#include "purchasing/purchase_orders.hpp"
#include "purchasing/supplier_store.hpp"
#include "stock/stock.hpp"

namespace backroom::purchasing {

namespace bj = boost::json;

namespace {

constexpr std::string_view tolerance_key = "purchasing.over_receive_tolerance_bp";

struct OrderRow {
  std::string id;
  std::int64_t number = 0;
  std::string supplier_id;
  std::string location_id;
  OrderStatus status = OrderStatus::draft;
  std::optional<std::string> expected_on;
  bool exact_cases = false;
  std::string note;
  std::string warnings;  // JSON array
  std::optional<std::string> close_reason;
  std::string request_hash;
  std::int64_t created_at = 0;
  std::string created_by;
  std::optional<std::int64_t> sent_at, received_at, closed_at, cancelled_at;
  std::optional<std::string> closed_by, cancelled_by, sent_by;
};

std::optional<OrderRow> order_row(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, number, supplier_id, location_id, status, expected_on, exact_cases, note, warnings, close_reason, "
      "request_hash, created_at, created_by, sent_at, sent_by, received_at, closed_at, closed_by, cancelled_at, "
      "cancelled_by FROM purchase_orders WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  OrderRow r;
  r.id = q.text(0);
  r.number = q.int64(1);
  r.supplier_id = q.text(2);
  r.location_id = q.text(3);
  auto status = order_statuses.parse(q.text(4));
  BR_ASSERT(status.has_value(), "a stored order status is a word of order_statuses");
  r.status = *status;
  r.expected_on = q.opt_text(5);
  r.exact_cases = q.int64(6) != 0;
  r.note = q.text(7);
  r.warnings = q.text(8);
  r.close_reason = q.opt_text(9);
  r.request_hash = q.text(10);
  r.created_at = q.int64(11);
  r.created_by = q.text(12);
  r.sent_at = q.opt_int64(13);
  r.sent_by = q.opt_text(14);
  r.received_at = q.opt_int64(15);
  r.closed_at = q.opt_int64(16);
  r.closed_by = q.opt_text(17);
  r.cancelled_at = q.opt_int64(18);
  r.cancelled_by = q.opt_text(19);
  return r;
}

struct LineRow {
  OrderLine line;
  std::int64_t line_no = 0;
  std::string supplier_sku;
};

std::vector<LineRow> line_rows(db::Db& db, const std::string& order_id) {
  std::vector<LineRow> out;
  auto q = db.query(
      "SELECT id, item_id, requested, quantity, case_pack, unit_cost, received, damaged, cancelled, line_no, supplier_sku "
      "FROM purchase_order_lines WHERE order_id = ? ORDER BY line_no");
  q.bind(1, order_id);
  while (q.step()) {
    LineRow r;
    r.line = OrderLine{q.text(0),           q.text(1),           Quantity{q.int64(2)}, Quantity{q.int64(3)},
                       Quantity{q.int64(4)}, q.int64(5),          Quantity{q.int64(6)}, Quantity{q.int64(7)},
                       Quantity{q.int64(8)}};
    r.line_no = q.int64(9);
    r.supplier_sku = q.text(10);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<OrderLine> lines_of(const std::vector<LineRow>& rows) {
  std::vector<OrderLine> out;
  for (const auto& r : rows) out.push_back(r.line);
  return out;
}

bj::value opt_time(const std::optional<std::int64_t>& t) {
  return t ? bj::value(format_rfc3339(Timestamp{*t})) : bj::value(nullptr);
}
bj::value opt_text(const std::optional<std::string>& t) { return t ? bj::value(*t) : bj::value(nullptr); }

bj::array parse_array(const std::string& text) {
  bj::error_code ec;
  auto v = bj::parse(text, ec);
  return !ec && v.is_array() ? v.as_array() : bj::array{};
}

bj::array receipts_json(db::Db& db, const std::string& order_id) {
  bj::array out;
  auto q = db.query("SELECT id, number, at, user, approved_by FROM po_receipts WHERE order_id = ? ORDER BY number");
  q.bind(1, order_id);
  while (q.step()) {
    bj::array lines;
    auto l = db.query(
        "SELECT r.line_id, p.item_id, r.received, r.damaged FROM po_receipt_lines r "
        "JOIN purchase_order_lines p ON p.id = r.line_id WHERE r.receipt_id = ? ORDER BY p.line_no");
    l.bind(1, q.text(0));
    while (l.step())
      lines.push_back(bj::object{{"po_line_id", l.text(0)},
                                 {"item_id", l.text(1)},
                                 {"received", json::quantity_value(Quantity{l.int64(2)})},
                                 {"damaged", json::quantity_value(Quantity{l.int64(3)})}});
    out.push_back(bj::object{{"id", q.text(0)},
                             {"number", q.int64(1)},
                             {"at", format_rfc3339(Timestamp{q.int64(2)})},
                             {"by", q.text(3)},
                             {"approved_by", opt_text(q.opt_text(4))},
                             {"lines", std::move(lines)}});
  }
  return out;
}

bj::object line_json(db::Db& db, const LineRow& r) {
  const auto& l = r.line;
  auto item = catalog::store::load_item(db, l.item_id);
  std::int64_t cases = l.case_pack.milli > 0 ? l.quantity.milli / l.case_pack.milli : 0;
  bj::object o{{"id", l.id},
               {"line_no", r.line_no},
               {"item_id", l.item_id},
               {"sku", item ? bj::value(item->sku) : bj::value(nullptr)},
               {"name", item ? bj::value(item->name) : bj::value(nullptr)},
               {"supplier_sku", r.supplier_sku},
               {"requested", json::quantity_value(l.requested)},
               {"quantity", json::quantity_value(l.quantity)},
               {"case_pack", json::quantity_value(l.case_pack)},
               {"cases", cases},
               {"unit_cost", l.unit_cost},
               {"total", line_total(l.unit_cost, l.quantity)},
               {"received", json::quantity_value(l.received)},
               {"damaged", json::quantity_value(l.damaged)},
               {"short", json::quantity_value(l.short_())},
               {"over", json::quantity_value(l.over())},
               {"cancelled", json::quantity_value(l.cancelled)},
               {"outstanding", json::quantity_value(l.outstanding())}};
  o["note"] = l.quantity != l.requested
                  ? bj::value(fmt::format("rounded up from {} to {} ({} cases of {})", format_quantity(l.requested),
                                          format_quantity(l.quantity), cases, format_quantity(l.case_pack)))
                  : bj::value(nullptr);
  return o;
}

// The order; with its receipts (each with its lines) when `with_receipts`.
bj::object order_json(db::Db& db, const OrderRow& r, bool with_receipts = true) {
  auto rows = line_rows(db, r.id);
  auto supplier = load_supplier(db, r.supplier_id);
  auto location = stock::load_location(db, r.location_id);
  bj::array lines;
  std::int64_t total = 0;
  for (const auto& row : rows) {
    total += line_total(row.line.unit_cost, row.line.quantity);
    lines.push_back(line_json(db, row));
  }
  bj::object o{{"id", r.id},
               {"number", order_number_text(r.number)},
               {"status", word(r.status)},
               {"supplier_id", r.supplier_id},
               {"supplier", bj::object{{"id", r.supplier_id}, {"name", supplier ? bj::value(supplier->name) : bj::value(nullptr)}}},
               {"location_id", r.location_id},
               {"location", bj::object{{"id", r.location_id}, {"name", location ? bj::value(location->name) : bj::value(nullptr)}}},
               {"expected_on", opt_text(r.expected_on)},
               {"exact_cases", r.exact_cases},
               {"note", r.note},
               {"currency", settings::currency(db)},
               {"total", total},
               {"lines_count", lines.size()},
               {"lines", std::move(lines)},
               {"warnings", parse_array(r.warnings)},
               {"close_reason", opt_text(r.close_reason)},
               {"created_at", format_rfc3339(Timestamp{r.created_at})},
               {"created_by", r.created_by},
               {"sent_at", opt_time(r.sent_at)},
               {"sent_by", opt_text(r.sent_by)},
               {"received_at", opt_time(r.received_at)},
               {"closed_at", opt_time(r.closed_at)},
               {"closed_by", opt_text(r.closed_by)},
               {"cancelled_at", opt_time(r.cancelled_at)},
               {"cancelled_by", opt_text(r.cancelled_by)}};
  if (with_receipts) o["receipts"] = receipts_json(db, r.id);
  return o;
}

OrderRow require_order(db::Db& db, const std::string& id) {
  auto r = order_row(db, id);
  if (!r) throw not_found("purchase order", id);
  return *r;
}

// A receipt as its command answered it: what it booked per line, the line's short and over
// after it, the scans it could not place, and the order as it stands now (without its
// receipts).
std::optional<bj::object> receipt_json(db::Db& db, const std::string& receipt_id) {
  auto q = db.query("SELECT order_id, number, at, user, approved_by, not_on_order FROM po_receipts WHERE id = ?");
  q.bind(1, receipt_id);
  if (!q.step()) return std::nullopt;
  std::string order_id = q.text(0);
  bj::array lines;
  auto l = db.query(
      "SELECT r.line_id, p.item_id, r.received, r.damaged, r.short_by, r.over_by FROM po_receipt_lines r "
      "JOIN purchase_order_lines p ON p.id = r.line_id WHERE r.receipt_id = ? ORDER BY p.line_no");
  l.bind(1, receipt_id);
  while (l.step())
    lines.push_back(bj::object{{"po_line_id", l.text(0)},
                               {"item_id", l.text(1)},
                               {"received", json::quantity_value(Quantity{l.int64(2)})},
                               {"damaged", json::quantity_value(Quantity{l.int64(3)})},
                               {"short", json::quantity_value(Quantity{l.int64(4)})},
                               {"over", json::quantity_value(Quantity{l.int64(5)})}});
  bj::object o{{"id", receipt_id},
               {"number", q.int64(1)},
               {"purchase_order_id", order_id},
               {"at", format_rfc3339(Timestamp{q.int64(2)})},
               {"by", q.text(3)},
               {"approved_by", opt_text(q.opt_text(4))},
               {"lines", std::move(lines)},
               {"not_on_order", parse_array(q.text(5))}};
  auto order = order_row(db, order_id);
  BR_ASSERT(order.has_value(), "a receipt's order exists");
  o["purchase_order"] = order_json(db, *order, false);
  return o;
}

// The supplier, or 422 naming supplier_id.
Supplier require_supplier(db::Db& db, const std::string& id) {
  auto s = load_supplier(db, id);
  if (!s) throw invalid_field("supplier_id", fmt::format("supplier '{}' does not exist", id.substr(0, 64)));
  if (s->status != SupplierStatus::active)
    throw invalid_field("supplier_id", fmt::format("supplier {} is inactive: orders go to active suppliers", s->name));
  return *s;
}

// A site the goods arrive at (store, backroom, warehouse), or 422 naming location_id.
stock::Location require_site(db::Db& db, const std::string& id) {
  auto l = stock::require_location(db, id, "location_id");
  auto kind = stock::location_kinds.parse(l.kind);
  if (!kind || !stock::is_site(*kind))
    throw invalid_field("location_id", "an order is delivered to a store, backroom or warehouse, not a bin");
  return l;
}

// The lines as ordered: item checked, rounded to the supplier's cases, costed. Replaces the
// order's lines and stores the warnings. Returns nothing; the caller re-reads the order.
void write_lines(db::Db& db, const std::string& order_id, const Supplier& supplier, bool exact_cases,
                 const std::vector<OrderLineInput>& lines) {
  db.query("DELETE FROM purchase_order_lines WHERE order_id = ?").bind(1, order_id).run();
  std::vector<RoundedLine> rounded;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& in = lines[i];
    std::string path = fmt::format("lines[{}]", i);
    auto item = catalog::store::load_item(db, in.item_id);
    if (!item) throw invalid_field(path + ".item_id", fmt::format("item '{}' does not exist", in.item_id));
    if (item->kind == catalog::ItemKind::parent)
      throw invalid_field(path + ".item_id", fmt::format("item {} is a variant parent: order its variants", item->sku));
    auto si = supplier_item(db, supplier.id, in.item_id);
    Quantity pack = si ? si->case_pack : item->case_pack;
    auto unit_cost = in.unit_cost ? in.unit_cost : si ? std::optional(si->cost) : item->cost;
    if (!unit_cost)
      throw invalid_field(path + ".unit_cost",
                          fmt::format("item {} has no cost and is not a supplier item of {}: give unit_cost", item->sku,
                                      supplier.name));
    auto cases = to_cases(in.quantity, pack, exact_cases, path + ".quantity");
    if (cases.quantity > Quantity::units(line_quantity_units_max))
      throw invalid_field(path + ".quantity", fmt::format("quantity must be at most {}", line_quantity_units_max));
    db.query(
          "INSERT INTO purchase_order_lines (id, order_id, line_no, item_id, supplier_sku, requested, quantity, case_pack, "
          "unit_cost, received, damaged, cancelled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0)")
        .bind(1, new_uuid_v7())
        .bind(2, order_id)
        .bind(3, static_cast<std::int64_t>(i + 1))
        .bind(4, in.item_id)
        .bind(5, si ? si->supplier_sku : std::string())
        .bind(6, in.quantity.milli)
        .bind(7, cases.quantity.milli)
        .bind(8, pack.milli)
        .bind(9, *unit_cost)
        .run();
    total += line_total(*unit_cost, cases.quantity);
    rounded.push_back(RoundedLine{item->sku, in.quantity, cases.quantity, cases.cases, pack});
  }
  SupplierTerms terms;
  if (supplier.min_order_value > 0) terms.min_order_value = supplier.min_order_value;
  terms.free_freight_value = supplier.free_freight_value;
  for (auto d : supplier.order_days.days()) terms.order_days.emplace_back(order_days.text(d));
  bj::array warnings;
  for (const auto& w : order_warnings(rounded, total, terms, weekday_of(now()), settings::currency_decimals(db)))
    warnings.push_back(bj::object{{"code", w.code}, {"message", w.message}});
  db.query("UPDATE purchase_orders SET warnings = ? WHERE id = ?").bind(1, bj::serialize(warnings)).bind(2, order_id).run();
}

void set_status(db::Db& db, const std::string& id, OrderStatus status) {
  db.query("UPDATE purchase_orders SET status = ? WHERE id = ?").bind(1, word(status)).bind(2, id).run();
  BR_ASSERT(db.changes() == 1, "a status change lands on exactly one order");
}

// A sent order for a store node's store: noted in the feed for its node (order_change).
void note_for_node(db::Db& db, const std::string& id, const bj::object& order) {
  if (order.at("status").as_string() == word(OrderStatus::draft)) return;
  if (!stock::is_node_store(db, std::string(order.at("location_id").as_string()))) return;
  catalog::store::note_change(db, std::string(order_change), id);
}

// Audit and event of a change to an order; returns the order after it.
bj::object record(db::Db& db, const Actor& actor, const std::string& id, const std::string& action,
                  const std::optional<bj::object>& before, const std::string& event) {
  auto after = order_json(db, require_order(db, id));
  auto text = bj::serialize(after);
  append_audit(db, actor,
               AuditEntry{action, "purchase_order", id,
                          before ? std::optional<std::string>(bj::serialize(*before)) : std::nullopt, text});
  append_event(db, event, id, text);
  note_for_node(db, id, after);
  return after;
}

}  // namespace

std::string order_number_text(std::int64_t number) { return fmt::format("PO-{:06}", number); }

Posted create_order(db::Db& db, const Actor& actor, const OrderInput& in) {
  auto claim = documents::claim(db, in.key, "purchase_order", "purchase order", [&](const std::string& id) {
    auto r = order_row(db, id);
    return documents::prior_of(r ? std::optional(r->request_hash) : std::nullopt, in.key);
  });
  if (claim.replay) return Posted{order_json(db, require_order(db, claim.id)), true};
  const std::string& id = claim.id;
  auto supplier = require_supplier(db, in.supplier_id);
  require_site(db, in.location_id);
  stock::check_location_scope(actor, in.location_id);
  // Gap-free: the single writer numbers orders one at a time, and a failing command's
  // savepoint takes its number back with it (as transfers are numbered).
  std::int64_t number = 1;
  {
    auto q = db.query("SELECT COALESCE(MAX(number), 0) + 1 FROM purchase_orders");
    q.step();
    number = q.int64(0);
  }
  db.query(
        "INSERT INTO purchase_orders (id, number, supplier_id, location_id, status, expected_on, exact_cases, note, "
        "warnings, request_hash, created_at, created_by) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, '[]', ?, ?, ?)")
      .bind(1, id)
      .bind(2, number)
      .bind(3, supplier.id)
      .bind(4, in.location_id)
      .bind(5, in.expected_on)
      .bind(6, in.exact_cases)
      .bind(7, in.note)
      .bind(8, in.key.request_hash)
      .bind(9, now().micros)
      .bind(10, actor.user)
      .run();
  write_lines(db, id, supplier, in.exact_cases, in.lines);
  documents::remember(db, in.key, "purchase_order", id);
  return Posted{record(db, actor, id, "purchase_order.create", std::nullopt, "purchase_order.created"), false};
}

bj::object update_order(db::Db& db, const Actor& actor, const std::string& id, const OrderPatch& patch) {
  auto row = require_order(db, id);
  stock::check_location_scope(actor, row.location_id);
  check_act(row.status, OrderAct::edit);
  auto before = order_json(db, row);
  if (patch.set_expected_on) row.expected_on = patch.expected_on;
  if (patch.exact_cases) row.exact_cases = *patch.exact_cases;
  if (patch.note) row.note = *patch.note;
  db.query("UPDATE purchase_orders SET expected_on = ?, exact_cases = ?, note = ? WHERE id = ?")
      .bind(1, row.expected_on)
      .bind(2, row.exact_cases)
      .bind(3, row.note)
      .bind(4, id)
      .run();
  if (patch.lines) {
    write_lines(db, id, require_supplier(db, row.supplier_id), row.exact_cases, *patch.lines);
  } else if (patch.exact_cases) {
    // The same lines, checked again against the new rule.
    std::vector<OrderLineInput> lines;
    for (const auto& r : line_rows(db, id)) lines.push_back(OrderLineInput{r.line.item_id, r.line.requested, r.line.unit_cost});
    write_lines(db, id, require_supplier(db, row.supplier_id), row.exact_cases, lines);
  }
  return record(db, actor, id, "purchase_order.update", before, "purchase_order.updated");
}

bj::object send_order(db::Db& db, const Actor& actor, const std::string& id) {
  auto row = require_order(db, id);
  stock::check_location_scope(actor, row.location_id);
  check_act(row.status, OrderAct::send);
  require_supplier(db, row.supplier_id);
  auto before = order_json(db, row);
  db.query("UPDATE purchase_orders SET status = 'sent', sent_at = ?, sent_by = ? WHERE id = ?")
      .bind(1, now().micros)
      .bind(2, actor.user)
      .bind(3, id)
      .run();
  return record(db, actor, id, "purchase_order.send", before, "purchase_order.sent");
}

bj::object close_order(db::Db& db, const Actor& actor, const std::string& id, const std::string& reason) {
  auto row = require_order(db, id);
  stock::check_location_scope(actor, row.location_id);
  check_act(row.status, OrderAct::close);
  auto before = order_json(db, row);
  for (const auto& r : line_rows(db, id)) {
    if (r.line.outstanding().milli == 0) continue;
    db.query("UPDATE purchase_order_lines SET cancelled = ? WHERE id = ?")
        .bind(1, (r.line.cancelled + r.line.outstanding()).milli)
        .bind(2, r.line.id)
        .run();
  }
  db.query("UPDATE purchase_orders SET status = 'closed', close_reason = ?, closed_at = ?, closed_by = ? WHERE id = ?")
      .bind(1, reason)
      .bind(2, now().micros)
      .bind(3, actor.user)
      .bind(4, id)
      .run();
  return record(db, actor, id, "purchase_order.close", before, "purchase_order.closed");
}

bj::object cancel_order(db::Db& db, const Actor& actor, const std::string& id) {
  auto row = require_order(db, id);
  stock::check_location_scope(actor, row.location_id);
  check_act(row.status, OrderAct::cancel);
  auto before = order_json(db, row);
  db.query("UPDATE purchase_orders SET status = 'cancelled', cancelled_at = ?, cancelled_by = ? WHERE id = ?")
      .bind(1, now().micros)
      .bind(2, actor.user)
      .bind(3, id)
      .run();
  return record(db, actor, id, "purchase_order.cancel", before, "purchase_order.cancelled");
}

std::int64_t over_receive_tolerance_bp(db::Db& db) {
  auto v = settings::get_int64(db, std::string(tolerance_key));
  return v && *v >= 0 && *v <= over_receive_tolerance_bp_max ? *v : over_receive_tolerance_bp_default;
}

void set_over_receive_tolerance_bp(db::Db& db, const Actor& actor, std::int64_t bp) {
  auto before = bj::serialize(bj::object{{"over_receive_tolerance_bp", over_receive_tolerance_bp(db)}});
  settings::put(db, std::string(tolerance_key), std::to_string(bp));
  auto after = bj::serialize(bj::object{{"over_receive_tolerance_bp", bp}});
  append_audit(db, actor, AuditEntry{"settings.purchasing", "settings", "purchasing", before, after});
  append_event(db, "settings.changed", "purchasing", after);
}

namespace {

// What scanning adds to the order's lines: per line, the units scanned; codes that found no
// line are reported, never added.
struct ScanTally {
  std::vector<ReceiptLineInput> lines;
  bj::array not_on_order;
};

ScanTally tally_scans(db::Db& db, const OrderRow& order, const std::vector<OrderLine>& lines,
                      const std::vector<std::string>& scans) {
  ScanTally t;
  std::vector<Quantity> added(lines.size());
  for (std::size_t i = 0; i < scans.size(); ++i) {
    const auto& code = scans[i];
    std::optional<std::string> item_id;
    Quantity units;
    std::string why = "not_on_order";
    try {
      auto found = catalog::scan(db, code);
      item_id = found.item.id;
      units = found.embedded_weight ? *found.embedded_weight : found.pack_quantity;
    } catch (const Problem& p) {
      if (p.status >= 500) throw;
      // A supplier's case the catalog does not know as a barcode of the item.
      if (auto si = supplier_item_by_case_gtin(db, order.supplier_id, code)) {
        item_id = si->item_id;
        units = si->case_pack;
      } else {
        why = p.code;  // unknown_barcode, invalid_barcode, barcode_check_digit
      }
    }
    std::optional<std::size_t> line = item_id ? line_for_item(lines, *item_id) : std::nullopt;
    if (!line) {
      bj::object o{{"scan", i}, {"code", code.substr(0, 64)}, {"reason", why}};
      o["item_id"] = item_id ? bj::value(*item_id) : bj::value(nullptr);
      t.not_on_order.push_back(std::move(o));
      continue;
    }
    added[*line] = added[*line] + units;
  }
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (added[i].milli > 0) t.lines.push_back(ReceiptLineInput{lines[i].id, added[i], {}});
  return t;
}

}  // namespace

// Over-receipt beyond the tolerance: the actor may (purchasing.over_receive), or a manager's
// override token for it; the approver, or 403 over_receipt naming the lines.
std::optional<Actor> approve_over_receipt(db::Db& db, const Actor& actor, const std::vector<OrderLine>& lines,
                                          const ReceiptPlan& plan, std::int64_t tolerance_bp,
                                          const std::optional<std::string>& token) {
  if (plan.over_tolerance.empty() || actor.can(permission::purchasing_over_receive)) return std::nullopt;
  if (token) {
    auto approver = auth::consume_override(db, *token, permission::purchasing_over_receive, actor);
    if (approver && approver->can(permission::purchasing_over_receive)) return approver;
  }
  bj::array over;
  for (auto i : plan.over_tolerance) {
    Quantity after = lines[i].received;
    for (const auto& b : plan.lines)
      if (b.line == i) after = after + b.received;
    over.push_back(bj::object{{"po_line_id", lines[i].id},
                              {"item_id", lines[i].item_id},
                              {"ordered", json::quantity_value(lines[i].quantity)},
                              {"received", json::quantity_value(after)}});
  }
  Problem p(403, "over_receipt",
            fmt::format("receiving more than {}.{:02} % over the order needs a manager ({} or a manager's override_token)",
                        tolerance_bp / 100, tolerance_bp % 100, permission::purchasing_over_receive),
            "override_token");
  p.extra_json = bj::serialize(bj::object{{"tolerance_bp", tolerance_bp}, {"lines", std::move(over)}});
  throw p;
}

namespace {

Quantity on_hand_everywhere(db::Db& db, const std::string& item_id) {
  Quantity sum;
  for (const auto& b : stock::balances_of_item(db, item_id, std::nullopt)) sum = sum + b.on_hand;
  return sum;
}

// Moves the item's moving-average cost for `received` units at `unit_cost` (before their
// stock is posted) and keeps the step in item_cost_history.
// `posted_already`: units of the item the ledger holds already that this receipt brought (a
// store node's receipt, whose movements head office booked before recording it on the order).
void book_cost(db::Db& db, const Actor& actor, const std::string& item_id, Quantity received, std::int64_t unit_cost,
               const std::string& receipt_id, const std::string& order_id, Quantity posted_already = {}) {
  auto item = catalog::store::load_item(db, item_id);
  BR_ASSERT(item.has_value(), "an order line's item exists");
  Quantity on_hand = on_hand_everywhere(db, item_id) - posted_already;
  std::int64_t after = moving_average_cost(on_hand, item->cost, received, unit_cost);
  db.query(
        "INSERT INTO item_cost_history (id, item_id, at, cost_before, cost_after, received, unit_cost, on_hand_before, "
        "document_type, document_id, order_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'po_receipt', ?, ?)")
      .bind(1, new_uuid_v7())
      .bind(2, item_id)
      .bind(3, now().micros)
      .bind(4, item->cost)
      .bind(5, after)
      .bind(6, received.milli)
      .bind(7, unit_cost)
      .bind(8, on_hand.milli)
      .bind(9, receipt_id)
      .bind(10, order_id)
      .run();
  if (item->cost == after) return;
  catalog::Item changed = *item;
  changed.cost = after;
  catalog::replace_item(db, actor, *item, std::move(changed));
}

// What a receipt writes once planned (receive_order's and a store node's, receive_from_node):
// the receipt and its lines, each line's received and damaged, the cost, the order's status,
// audit and events. `book_stock`: post the receipt's movements (head office's own receipt);
// a node's are booked already (its pushed document), so the cost is taken as before them.
bj::object record_receipt(db::Db& db, const Actor& actor, const OrderRow& order, std::vector<OrderLine> lines,
                          const ReceiptPlan& plan, const std::string& receipt_id, const std::string& request_hash,
                          const std::optional<Actor>& approver, const bj::array& not_on_order, std::int64_t at,
                          bool book_stock, std::map<std::string, Quantity> posted_ahead = {},
                          const std::optional<std::string>& by = std::nullopt) {
  const std::string& id = order.id;
  std::int64_t number = 1;
  {
    auto q = db.query("SELECT COALESCE(MAX(number), 0) + 1 FROM po_receipts WHERE order_id = ?");
    q.bind(1, id);
    q.step();
    number = q.int64(0);
  }
  db.query(
        "INSERT INTO po_receipts (id, order_id, number, request_hash, at, user, approved_by, not_on_order) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, receipt_id)
      .bind(2, id)
      .bind(3, number)
      .bind(4, request_hash)
      .bind(5, at)
      .bind(6, by.value_or(actor.user))  // a node's receipt: its store, for people (not its key)
      .bind(7, approver ? std::optional<std::string>(approver->user) : std::nullopt)
      .bind(8, bj::serialize(not_on_order))
      .run();
  std::string damaged_bin = stock::bin_of(db, order.location_id, std::string(stock::word(stock::LocationKind::damaged)));
  stock::PostContext ctx{actor.user, actor.origin, stock::NegativeStock::allow};
  bj::array event_lines;
  for (const auto& b : plan.lines) {
    auto& l = lines[b.line];
    book_cost(db, actor, l.item_id, b.received, l.unit_cost, receipt_id, id, posted_ahead[l.item_id]);
    if (book_stock) {
      std::vector<stock::Movement> moves;
      if (auto good = b.received - b.damaged; good.milli > 0)
        moves.push_back(stock::Movement{l.item_id, order.location_id, good, "receipt", "po_receipt", receipt_id, l.id});
      if (b.damaged.milli > 0)
        moves.push_back(stock::Movement{l.item_id, damaged_bin, b.damaged, "receipt_damaged", "po_receipt", receipt_id, l.id});
      stock::post_movements(db, moves, ctx);
    } else {
      posted_ahead[l.item_id] = posted_ahead[l.item_id] - b.received;
    }
    l.received = l.received + b.received;
    l.damaged = l.damaged + b.damaged;
    db.query("UPDATE purchase_order_lines SET received = ?, damaged = ? WHERE id = ?")
        .bind(1, l.received.milli)
        .bind(2, l.damaged.milli)
        .bind(3, l.id)
        .run();
    db.query(
          "INSERT INTO po_receipt_lines (receipt_id, line_id, received, damaged, short_by, over_by) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, receipt_id)
        .bind(2, l.id)
        .bind(3, b.received.milli)
        .bind(4, b.damaged.milli)
        .bind(5, l.short_().milli)
        .bind(6, l.over().milli)
        .run();
    event_lines.push_back(bj::object{{"po_line_id", l.id},
                                     {"item_id", l.item_id},
                                     {"received", json::quantity_value(b.received)},
                                     {"damaged", json::quantity_value(b.damaged)},
                                     {"unit_cost", l.unit_cost}});
  }
  auto status = status_after_receipt(lines);
  if (status == OrderStatus::received)
    db.query("UPDATE purchase_orders SET status = 'received', received_at = ? WHERE id = ?").bind(1, at).bind(2, id).run();
  else
    set_status(db, id, status);
  auto doc = *receipt_json(db, receipt_id);
  auto text = bj::serialize(doc);
  append_audit(db, actor, AuditEntry{"purchase_order.receive", "purchase_order", id, std::nullopt, text});
  append_event(db, "receipt.posted", receipt_id,
               bj::serialize(bj::object{{"id", receipt_id},
                                        {"number", number},
                                        {"purchase_order_id", id},
                                        {"purchase_order_number", order_number_text(order.number)},
                                        {"supplier_id", order.supplier_id},
                                        {"location_id", order.location_id},
                                        {"approved_by", approver ? bj::value(approver->user) : bj::value(nullptr)},
                                        {"lines", std::move(event_lines)}}));
  if (status == OrderStatus::received)
    append_event(db, "purchase_order.received", id, bj::serialize(doc.at("purchase_order")));
  return doc;
}

}  // namespace

Posted receive_order(db::Db& db, const Actor& actor, const std::string& id, const ReceiveInput& in) {
  auto order = require_order(db, id);
  stock::check_location_scope(actor, order.location_id);
  auto claim = documents::claim(db, in.key, "po_receipt", "receipt", [&](const std::string& receipt_id) {
    auto q = db.query("SELECT order_id, request_hash FROM po_receipts WHERE id = ?");
    q.bind(1, receipt_id);
    if (!q.step()) return documents::Prior::none;
    return q.text(0) == id && q.text(1) == in.key.request_hash ? documents::Prior::same_request
                                                               : documents::Prior::other_request;
  });
  if (claim.replay) return Posted{*receipt_json(db, claim.id), true};
  stock::require_not_kept_by_node(db, stock::require_location(db, order.location_id, "location_id"), "location_id");
  check_act(order.status, OrderAct::receive);
  auto rows = line_rows(db, id);
  auto lines = lines_of(rows);
  std::vector<ReceiptLineInput> asked = in.lines;
  bj::array not_on_order;
  if (!in.scans.empty()) {
    auto t = tally_scans(db, order, lines, in.scans);
    asked.insert(asked.end(), t.lines.begin(), t.lines.end());
    not_on_order = std::move(t.not_on_order);
  }
  auto tolerance = over_receive_tolerance_bp(db);
  auto plan = plan_receipt(lines, asked, tolerance);
  if (plan.lines.empty()) {
    Problem p(422, "nothing_received",
              not_on_order.empty() ? "a receipt books at least one unit received"
                                   : "none of the scanned codes is on this order (see not_on_order)",
              in.scans.empty() ? "lines" : "scans");
    p.extra_json = bj::serialize(bj::object{{"not_on_order", not_on_order}});
    throw p;
  }
  auto approver = approve_over_receipt(db, actor, lines, plan, tolerance, in.override_token);
  const std::string& receipt_id = claim.id;
  auto doc = record_receipt(db, actor, order, std::move(lines), plan, receipt_id, in.key.request_hash, approver,
                            not_on_order, now().micros, true);
  documents::remember(db, in.key, "po_receipt", receipt_id);
  return Posted{std::move(doc), false};
}

std::optional<std::string> receive_from_node(db::Db& db, const Actor& actor, const std::string& order_id,
                                             const std::string& node_location_id, const std::string& receipt_id,
                                             const std::vector<ReceiptLineInput>& asked, std::int64_t at,
                                             std::map<std::string, Quantity> posted_ahead,
                                             const std::optional<std::string>& approved_by,
                                             const std::optional<std::string>& by) {
  auto order = order_row(db, order_id);
  if (!order) return "not_found";
  if (order->location_id != node_location_id) return "other_store";
  if (order->status != OrderStatus::sent && order->status != OrderStatus::partially_received)
    return fmt::format("po_{}", word(order->status));
  auto lines = lines_of(line_rows(db, order_id));
  ReceiptPlan plan;
  try {
    plan = plan_receipt(lines, asked, over_receive_tolerance_bp(db));
  } catch (const Problem& p) {
    if (p.status >= 500) throw;
    return "unknown_line";
  }
  if (plan.lines.empty()) return "nothing_received";
  std::optional<Actor> approver;
  if (approved_by) approver = Actor::of(*approved_by, actor.origin);
  record_receipt(db, actor, *order, std::move(lines), plan, receipt_id, std::string(), approver, bj::array{}, at, false,
                 std::move(posted_ahead), by);
  catalog::store::note_change(db, std::string(order_change), order_id);
  return std::nullopt;
}

std::optional<bj::object> order_for_node(db::Db& db, const std::string& id) {
  auto r = order_row(db, id);
  if (!r || r->status == OrderStatus::draft) return std::nullopt;
  auto supplier = load_supplier(db, r->supplier_id);
  bj::array lines;
  for (const auto& row : line_rows(db, id)) {
    const auto& l = row.line;
    auto item = catalog::store::load_item(db, l.item_id);
    lines.push_back(bj::object{{"id", l.id},
                               {"line_no", row.line_no},
                               {"item_id", l.item_id},
                               {"sku", item ? item->sku : std::string()},
                               {"name", item ? item->name : std::string()},
                               {"quantity", json::quantity_value(l.quantity)},
                               {"case_pack", json::quantity_value(l.case_pack)},
                               {"cases", l.case_pack.milli > 0 ? l.quantity.milli / l.case_pack.milli : 0},
                               {"received", json::quantity_value(l.received)},
                               {"damaged", json::quantity_value(l.damaged)},
                               {"cancelled", json::quantity_value(l.cancelled)},
                               {"outstanding", json::quantity_value(l.outstanding())}});
  }
  return bj::object{{"id", r->id},
                    {"number", order_number_text(r->number)},
                    {"status", word(r->status)},
                    {"supplier", bj::object{{"name", supplier ? supplier->name : std::string()}}},
                    {"location_id", r->location_id},
                    {"expected_on", opt_text(r->expected_on)},
                    {"note", r->note},
                    {"sent_at", opt_time(r->sent_at)},
                    {"lines", std::move(lines)}};
}

void note_open_orders_to(db::Db& db, const std::string& location_id) {
  std::vector<std::string> ids;
  auto q = db.query(
      "SELECT id FROM purchase_orders WHERE location_id = ? AND status IN ('sent', 'partially_received') ORDER BY number");
  q.bind(1, location_id);
  while (q.step()) ids.push_back(q.text(0));
  for (const auto& id : ids) catalog::store::note_change(db, std::string(order_change), id);
}

std::optional<bj::object> load_order(db::Db& db, const std::string& id) {
  auto r = order_row(db, id);
  if (!r) return std::nullopt;
  return order_json(db, *r);
}

std::optional<OrderStatus> order_status(db::Db& db, const std::string& id) {
  auto r = order_row(db, id);
  if (!r) return std::nullopt;
  return r->status;
}

std::vector<ListedOrder> list_orders(db::Db& db, const OrderFilter& f) {
  auto q = db.query(
      "SELECT id, number FROM purchase_orders WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR supplier_id = ?2) "
      "AND (?3 = '' OR location_id = ?3) AND (?4 = 0 OR number < ?4) ORDER BY number DESC LIMIT ?5");
  q.bind(1, f.status).bind(2, f.supplier_id).bind(3, f.location_id).bind(4, f.before_number).bind(5, static_cast<std::int64_t>(f.limit) + 1);
  std::vector<std::pair<std::string, std::int64_t>> found;
  while (q.step()) found.emplace_back(q.text(0), q.int64(1));
  std::vector<ListedOrder> out;
  for (const auto& [id, number] : found)
    if (auto o = load_order(db, id)) out.push_back(ListedOrder{number, std::move(*o)});
  return out;
}

namespace {
OrderSheet sheet_of(db::Db& db, const std::string& id) {
  auto row = require_order(db, id);
  OrderSheet s;
  s.order = order_json(db, row);
  s.currency_decimals = settings::currency_decimals(db);
  if (auto l = stock::load_location(db, row.location_id)) {
    s.shop_name = l->receipt.shop_name.empty() ? l->name : l->receipt.shop_name;
    s.shop_address = l->receipt.address;
    s.shop_tax_number = l->receipt.tax_number;
  }
  if (auto sup = load_supplier(db, row.supplier_id)) {
    s.supplier_email = sup->email;
    s.supplier_phone = sup->phone;
  }
  return s;
}
}  // namespace

std::string order_document_csv(db::Db& db, const std::string& id) { return render_order_csv(sheet_of(db, id)); }
std::string order_document_pdf(db::Db& db, const std::string& id) { return render_order_pdf(sheet_of(db, id)); }

std::vector<bj::object> cost_history(db::Db& db, const std::string& item_id, const std::string& before_id, int limit) {
  auto q = db.query(
      "SELECT h.id, h.at, h.cost_before, h.cost_after, h.received, h.unit_cost, h.on_hand_before, h.document_type, "
      "h.document_id, h.order_id, o.number FROM item_cost_history h LEFT JOIN purchase_orders o ON o.id = h.order_id "
      "WHERE h.item_id = ?1 AND (?2 = '' OR h.id < ?2) ORDER BY h.id DESC LIMIT ?3");
  q.bind(1, item_id).bind(2, before_id).bind(3, static_cast<std::int64_t>(limit) + 1);
  std::vector<bj::object> out;
  while (q.step()) {
    bj::object o{{"id", q.text(0)},
                 {"at", format_rfc3339(Timestamp{q.int64(1)})},
                 {"cost_after", q.int64(3)},
                 {"received", json::quantity_value(Quantity{q.int64(4)})},
                 {"unit_cost", q.int64(5)},
                 {"on_hand_before", json::quantity_value(Quantity{q.int64(6)})},
                 {"document_type", q.text(7)},
                 {"document_id", q.text(8)},
                 {"purchase_order_id", q.text(9)}};
    o["cost_before"] = q.is_null(2) ? bj::value(nullptr) : bj::value(q.int64(2));
    o["purchase_order_number"] = q.is_null(10) ? bj::value(nullptr) : bj::value(order_number_text(q.int64(10)));
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<std::pair<std::string, Quantity>> on_order_at(db::Db& db, const std::string& location_id) {
  std::vector<std::pair<std::string, Quantity>> out;
  auto q = db.query(
      "SELECT l.item_id, SUM(l.quantity - l.received - l.cancelled) FROM purchase_order_lines l "
      "JOIN purchase_orders o ON o.id = l.order_id WHERE o.location_id = ? AND o.status IN ('sent','partially_received') "
      "AND l.quantity > l.received + l.cancelled GROUP BY l.item_id ORDER BY l.item_id");
  q.bind(1, location_id);
  while (q.step()) out.emplace_back(q.text(0), Quantity{q.int64(1)});
  return out;
}

std::map<std::pair<std::string, std::string>, std::string> expected_dates(db::Db& db) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  auto q = db.query(
      "SELECT l.item_id, o.location_id, MIN(o.expected_on) FROM purchase_order_lines l "
      "JOIN purchase_orders o ON o.id = l.order_id WHERE o.status IN ('sent','partially_received') "
      "AND o.expected_on IS NOT NULL AND l.quantity > l.received + l.cancelled GROUP BY l.item_id, o.location_id");
  while (q.step()) out.emplace(std::pair{q.text(0), q.text(1)}, q.text(2));
  return out;
}

}  // namespace backroom::purchasing
