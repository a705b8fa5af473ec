#include "purchasing/supplier_commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "access/audit.hpp"
#include "catalog/barcode.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/item.hpp"
#include "platform/csv.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/money.hpp"
#include "platform/outbox.hpp"
#include "platform/settings.hpp"
#include "platform/text.hpp"
#include "purchasing/supplier_store.hpp"

namespace backroom::purchasing {

namespace bj = boost::json;

namespace {

std::string masked(const Supplier& s) { return json::serialize(supplier_to_json(s, false, std::nullopt)); }

void audit_and_event(db::Db& db, const Actor& actor, std::string_view action, std::string_view event,
                     const std::optional<Supplier>& before, const Supplier& after) {
  append_audit(db, actor,
               AuditEntry{std::string(action), "supplier", after.id,
                          before ? std::optional(masked(*before)) : std::nullopt, masked(after)});
  append_event(db, std::string(event), after.id, masked(after));
}

// Files `payment` as the supplier's pending change (superseding an older pending one).
SupplierChange file_payment_change(db::Db& db, const Actor& actor, const Supplier& supplier, const Payment& payment,
                                   const std::string& reason, std::int64_t at) {
  SupplierChange c;
  c.id = new_uuid_v7();
  c.supplier_id = supplier.id;
  c.payment = payment;
  c.requested_by = actor.user;
  c.requested_by_id = actor.user_id;
  c.requested_at = at;
  c.reason = reason;
  insert_change(db, c);
  append_audit(db, actor,
               AuditEntry{"supplier.payment_change.request", "supplier", supplier.id,
                          supplier.payment ? std::optional(json::serialize(payment_to_json(*supplier.payment, false)))
                                           : std::nullopt,
                          json::serialize(change_to_json(c, false))});
  return c;
}

void apply_plain_fields(const SupplierPatch& p, Supplier& s) {
  if (p.name) s.name = *p.name;
  if (p.email) s.email = *p.email;
  if (p.phone) s.phone = *p.phone;
  if (p.lead_time_days) s.lead_time_days = *p.lead_time_days;
  if (p.lead_time_sd_days) s.lead_time_sd_days = *p.lead_time_sd_days;
  if (p.order_days) s.order_days = *p.order_days;
  if (p.min_order_value) s.min_order_value = *p.min_order_value;
  if (p.free_freight_value) s.free_freight_value = *p.free_freight_value;
  if (p.status) s.status = *p.status;
}

bool same_plain_fields(const Supplier& a, const Supplier& b) {
  return a.name == b.name && a.email == b.email && a.phone == b.phone && a.lead_time_days == b.lead_time_days &&
         a.lead_time_sd_days == b.lead_time_sd_days && a.order_days == b.order_days &&
         a.min_order_value == b.min_order_value && a.free_freight_value == b.free_freight_value &&
         a.status == b.status;
}

Supplier require_supplier(db::Db& db, const std::string& id) {
  auto s = load_supplier(db, id);
  if (!s) throw not_found("supplier", id);
  return *s;
}

// The case GTIN as the catalog keys it (GTIN-14), or a 422 naming case_gtin.
std::string case_gtin_key(const std::string& code) {
  auto trimmed = std::string(text::trim(code));
  bool digits = !trimmed.empty() && trimmed.find_first_not_of("0123456789") == std::string::npos;
  bool gtin_length = trimmed.size() == 8 || trimmed.size() == 12 || trimmed.size() == 13 || trimmed.size() == 14;
  if (!digits || !gtin_length)
    throw Problem(422, "invalid_gtin",
                  fmt::format("case_gtin '{}' is not a GTIN-14 (14 digits, the last a GS1 check digit)",
                              trimmed.substr(0, 40)),
                  "case_gtin");
  auto key = catalog::to_gtin14(trimmed);
  if (key.empty())
    throw Problem(422, "barcode_check_digit",
                  fmt::format("case_gtin {}: the check digit should be {}", trimmed,
                              catalog::gs1_check_digit(std::string_view(trimmed).substr(0, trimmed.size() - 1))),
                  "case_gtin");
  return key;
}

// Makes `gtin` scan to `pack` units of the item (registered through the catalog).
void register_case_barcode(db::Db& db, const Actor& actor, const catalog::Item& item, const std::string& gtin,
                           Quantity pack) {
  if (auto owner = catalog::store::barcode_owner(db, gtin)) {
    if (owner->item_id != item.id) {
      Problem p(409, "case_gtin_taken",
                fmt::format("case_gtin {} is already a barcode of item {}", gtin, owner->sku),
                "case_gtin");
      p.extra_json = json::serialize(bj::object{{"item_id", owner->item_id}, {"sku", owner->sku}});
      throw p;
    }
    if (owner->pack_quantity != pack)
      throw Problem(409, "case_gtin_pack_mismatch",
                    fmt::format("barcode {} of {} scans as {} units, but the case pack is {}; a case with another "
                                "count has another GTIN",
                                gtin, item.sku, format_quantity(owner->pack_quantity), format_quantity(pack)),
                    "case_gtin");
    return;
  }
  try {
    catalog::add_barcode(db, actor, item.id, gtin, pack);
  } catch (Problem& p) {
    p.field = "case_gtin";
    throw;
  }
}

bool same_item(const SupplierItem& a, const SupplierItem& b) {
  return a.supplier_sku == b.supplier_sku && a.cost == b.cost && a.case_pack == b.case_pack &&
         a.case_gtin == b.case_gtin && a.min_order_units == b.min_order_units && a.preferred == b.preferred;
}

std::string supplier_item_key(const SupplierItem& i) { return i.supplier_id + ":" + i.item_id; }

}  // namespace

SupplierResult create_supplier(db::Db& db, const Actor& actor, const SupplierPatch& patch) {
  Supplier s;
  s.id = new_uuid_v7();
  apply_plain_fields(patch, s);
  s.created_at = s.updated_at = now().micros;
  insert_supplier(db, s);
  audit_and_event(db, actor, "supplier.create", "supplier.created", std::nullopt, s);
  std::optional<SupplierChange> filed;
  if (patch.payment) filed = file_payment_change(db, actor, s, *patch.payment, patch.payment_reason, s.created_at);
  return SupplierResult{std::move(s), std::move(filed)};
}

SupplierResult update_supplier(db::Db& db, const Actor& actor, const std::string& id, std::int64_t expected_version,
                               const SupplierPatch& patch) {
  auto before = require_supplier(db, id);
  if (before.version != expected_version)
    throw Problem(412, "version_mismatch",
                  fmt::format("supplier {} is at version {}, not {}: read it again", id, before.version,
                              expected_version));
  Supplier after = before;
  apply_plain_fields(patch, after);
  std::int64_t at = now().micros;
  if (!same_plain_fields(before, after)) {
    after.version = before.version + 1;
    after.updated_at = at;
    update_supplier(db, after);
    audit_and_event(db, actor, "supplier.update", "supplier.updated", before, after);
  }
  std::optional<SupplierChange> filed;
  if (patch.payment && !(after.payment && *after.payment == *patch.payment))
    filed = file_payment_change(db, actor, after, *patch.payment, patch.payment_reason, at);
  return SupplierResult{std::move(after), std::move(filed)};
}

SupplierItemResult put_supplier_item(db::Db& db, const Actor& actor, const std::string& supplier_id,
                                     const SupplierItemInput& in) {
  require_supplier(db, supplier_id);
  auto item_id = normalize_uuid(in.item_id);
  auto item = item_id ? catalog::store::load_item(db, *item_id) : std::nullopt;
  if (!item)
    throw Problem(422, "unknown_item", fmt::format("item '{}' does not exist", in.item_id.substr(0, 64)), "item_id");
  auto existing = supplier_item(db, supplier_id, item->id);
  if (!existing && !in.cost) throw missing_field("cost");
  std::int64_t at = now().micros;
  SupplierItem after;
  if (existing) {
    after = *existing;
  } else {
    after.supplier_id = supplier_id;
    after.item_id = item->id;
    after.case_pack = item->case_pack;
    after.created_at = at;
    // An item's first supplier is its preferred one until someone says otherwise.
    after.preferred = !preferred_supplier_item(db, item->id);
  }
  if (in.supplier_sku) after.supplier_sku = *in.supplier_sku;
  if (in.cost) after.cost = *in.cost;
  if (in.case_pack) after.case_pack = *in.case_pack;
  if (in.min_order_units) after.min_order_units = *in.min_order_units;
  if (in.preferred) after.preferred = *in.preferred;
  if (in.case_gtin) after.case_gtin = *in.case_gtin ? std::optional(case_gtin_key(**in.case_gtin)) : std::nullopt;
  if (!after.supplier_sku.empty()) {
    if (auto other = supplier_item_by_sku(db, supplier_id, after.supplier_sku); other && other->item_id != item->id) {
      // The message is shown to people: the other item by its SKU; its id is in the extra member.
      auto other_item = catalog::store::load_item(db, other->item_id);
      Problem p(409, "duplicate_supplier_sku",
                fmt::format("supplier_sku {} already names item {} at this supplier", after.supplier_sku,
                            other_item ? other_item->sku : std::string("(removed)")),
                "supplier_sku");
      p.extra_json = json::serialize(bj::object{{"item_id", other->item_id}});
      throw p;
    }
  }
  if (existing && same_item(*existing, after)) return SupplierItemResult{*existing, false, false};
  if (after.case_gtin) register_case_barcode(db, actor, *item, *after.case_gtin, after.case_pack);
  after.updated_at = at;
  put_supplier_item(db, after);
  auto json = json::serialize(supplier_item_to_json(after));
  append_audit(db, actor,
               AuditEntry{existing ? "supplier_item.update" : "supplier_item.create", "supplier_item",
                          supplier_item_key(after),
                          existing ? std::optional(json::serialize(supplier_item_to_json(*existing))) : std::nullopt,
                          json});
  append_event(db, "supplier_item.changed", supplier_item_key(after), json);
  return SupplierItemResult{std::move(after), !existing, true};
}

namespace {

SupplierChange require_pending(db::Db& db, const Actor& actor, const std::string& change_id) {
  auto c = load_change(db, change_id);
  if (!c) throw not_found("supplier change", change_id);
  if (c->status != ChangeStatus::pending)
    throw Problem(409, "change_not_pending",
                  fmt::format("change {} is {} already", change_id, change_statuses.text(c->status)));
  if (same_person(*c, actor.user, actor.user_id))
    throw Problem(403, "same_user",
                  "bank details are approved or rejected by someone other than the person who filed them");
  return *c;
}

}  // namespace

SupplierChange approve_change(db::Db& db, const Actor& actor, const std::string& change_id) {
  auto c = require_pending(db, actor, change_id);
  auto before = require_supplier(db, c.supplier_id);
  std::int64_t at = now().micros;
  apply_payment(db, c.supplier_id, c.payment, at);
  c.status = ChangeStatus::approved;
  c.decided_by = actor.user;
  c.decided_by_id = actor.user_id;
  c.decided_at = at;
  decide_change(db, c);
  auto after = require_supplier(db, c.supplier_id);
  append_audit(db, actor,
               AuditEntry{"supplier.payment_change.approve", "supplier", c.supplier_id,
                          before.payment ? std::optional(json::serialize(payment_to_json(*before.payment, false)))
                                         : std::nullopt,
                          json::serialize(change_to_json(c, false))});
  append_event(db, "supplier.updated", after.id, masked(after));
  return c;
}

SupplierChange reject_change(db::Db& db, const Actor& actor, const std::string& change_id, const std::string& note) {
  auto c = require_pending(db, actor, change_id);
  c.status = ChangeStatus::rejected;
  c.decided_by = actor.user;
  c.decided_by_id = actor.user_id;
  c.decided_at = now().micros;
  c.decision_note = note;
  decide_change(db, c);
  append_audit(db, actor,
               AuditEntry{"supplier.payment_change.reject", "supplier", c.supplier_id, std::nullopt,
                          json::serialize(change_to_json(c, false))});
  return c;
}

const std::vector<std::string>& price_list_columns() {
  static const std::vector<std::string> columns = {"supplier_sku", "gtin",           "sku",      "cost",
                                                   "case_pack",    "case_gtin",      "min_order_units",
                                                   "preferred"};
  return columns;
}

namespace {

Problem row_problem(std::string column, std::string reason, std::string code = "invalid_field") {
  return Problem(422, std::move(code), std::move(reason), std::move(column));
}

// The item a price-list row names: by gtin, by sku, else by a supplier_sku already known.
std::string row_item_id(db::Db& db, const std::string& supplier_id, const std::map<std::string, std::string>& row) {
  auto get = [&row](const char* c) {
    auto it = row.find(c);
    return it == row.end() ? std::string() : std::string(text::trim(it->second));
  };
  std::optional<std::string> by_gtin, by_sku;
  if (auto gtin = get("gtin"); !gtin.empty()) {
    auto key = catalog::to_gtin14(gtin);
    if (key.empty()) throw row_problem("gtin", fmt::format("gtin '{}' is not a GTIN with a valid check digit", gtin.substr(0, 40)), "invalid_gtin");
    auto owner = catalog::store::barcode_owner(db, key);
    if (!owner) throw row_problem("gtin", fmt::format("no item has barcode {}", gtin), "unknown_item");
    by_gtin = owner->item_id;
  }
  if (auto sku = get("sku"); !sku.empty()) {
    auto normalized = catalog::normalize_sku(sku);
    auto id = normalized ? catalog::store::item_id_by_sku(db, *normalized) : std::nullopt;
    if (!id) throw row_problem("sku", fmt::format("no item has sku {}", sku.substr(0, 64)), "unknown_item");
    by_sku = *id;
  }
  if (by_gtin && by_sku && *by_gtin != *by_sku)
    throw row_problem("sku", "gtin and sku name two different items", "item_mismatch");
  if (by_gtin) return *by_gtin;
  if (by_sku) return *by_sku;
  if (auto supplier_sku = get("supplier_sku"); !supplier_sku.empty())
    if (auto known = supplier_item_by_sku(db, supplier_id, supplier_sku)) return known->item_id;
  throw row_problem("gtin", "name the item by gtin or sku (or a supplier_sku this supplier already has)",
                    "missing_field");
}

SupplierItemInput row_input(const std::map<std::string, std::string>& row, const std::string& item_id, int decimals) {
  auto get = [&row](const char* c) -> std::optional<std::string> {
    auto it = row.find(c);
    if (it == row.end()) return std::nullopt;
    auto v = std::string(text::trim(it->second));
    if (v.empty()) return std::nullopt;
    return v;
  };
  SupplierItemInput in;
  in.item_id = item_id;
  if (auto sku = get("supplier_sku")) {
    if (sku->size() > supplier_sku_length_max)
      throw row_problem("supplier_sku", fmt::format("supplier_sku is longer than {} bytes", supplier_sku_length_max));
    if (auto why = text::free_text_problem(*sku)) throw row_problem("supplier_sku", "supplier_sku " + *why);
    in.supplier_sku = *sku;
  }
  if (auto cost = get("cost")) {
    in.cost = parse_money(*cost, decimals);
    if (!in.cost) throw row_problem("cost", fmt::format("cost '{}' is not an amount like 4.50", cost->substr(0, 40)));
  }
  if (auto pack = get("case_pack")) {
    auto q = parse_quantity(*pack);
    if (!q || q->milli <= 0 || *q > Quantity::units(quantity_units_max))
      throw row_problem("case_pack", fmt::format("case_pack '{}' is not a positive quantity", pack->substr(0, 40)));
    in.case_pack = *q;
  }
  if (auto gtin = get("case_gtin")) in.case_gtin = *gtin;
  if (auto min = get("min_order_units")) {
    auto q = parse_quantity(*min);
    if (!q || q->milli < 0 || *q > Quantity::units(quantity_units_max))
      throw row_problem("min_order_units",
                        fmt::format("min_order_units '{}' is not a quantity of 0 or more", min->substr(0, 40)));
    in.min_order_units = *q;
  }
  if (auto preferred = get("preferred")) {
    std::string f = text::fold(*preferred);
    if (f == "true" || f == "yes" || f == "1" || f == "y")
      in.preferred = true;
    else if (f == "false" || f == "no" || f == "0" || f == "n")
      in.preferred = false;
    else
      throw row_problem("preferred", "preferred is true or false");
  }
  return in;
}

}  // namespace

PriceListReport import_price_list(db::Db& db, const Actor& actor, const std::string& supplier_id,
                                  std::string_view csv, bool dry_run) {
  require_supplier(db, supplier_id);
  PriceListReport report;
  const platform::CsvImportSpec spec{price_list_columns(),
                                     {{"cost"}, {"gtin", "sku", "supplier_sku"}},
                                     "the first line names the columns (see docs/csv.md)",
                                     price_list_rows_max,
                                     price_list_errors_max};
  const int decimals = settings::currency_decimals(db);
  std::set<std::string> seen_items;
  auto run = platform::run_csv_import(db, csv, spec, dry_run, [&](const platform::CsvValues& values, std::size_t) {
    auto item_id = row_item_id(db, supplier_id, values);
    if (!seen_items.insert(item_id).second) throw row_problem("", "this item appears twice in the file", "duplicate_row");
    auto result = put_supplier_item(db, actor, supplier_id, row_input(values, item_id, decimals));
    if (result.created)
      ++report.created;
    else if (result.changed)
      ++report.updated;
    else
      ++report.unchanged;
  });
  report.rows = run.rows;
  report.errors = std::move(run.errors);
  report.applied = run.applied;
  return report;
}

}  // namespace backroom::purchasing
