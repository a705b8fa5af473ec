#include "purchasing/supplier_demo.hpp"

#include <fmt/format.h>

#include "catalog/catalog_store.hpp"
#include "purchasing/supplier_commands.hpp"

namespace backroom::purchasing {

namespace {

struct DemoSupplier {
  const char* name;
  const char* email;
  const char* phone;
  int lead_time_days;
  std::initializer_list<OrderDay> order_days;
  std::int64_t min_order_value;
  std::int64_t free_freight_value;
  const char* iban;  // published example IBANs, never real accounts
  const char* bic;
  bool approved;
  const char* sku_format;  // our SKUs this supplier sells: fmt pattern over 1..items
  int items;
  const char* supplier_sku_prefix;
};

void add_items(db::Db& db, const Actor& actor, const std::string& supplier_id, const DemoSupplier& d) {
  for (int i = 1; i <= d.items; ++i) {
    auto id = catalog::store::item_id_by_sku(db, fmt::format(fmt::runtime(d.sku_format), i));
    if (!id) continue;
    auto item = catalog::store::load_item(db, *id);
    SupplierItemInput in;
    in.item_id = *id;
    in.supplier_sku = fmt::format("{}{:04}", d.supplier_sku_prefix, i * 7);
    in.cost = item->cost.value_or(100);
    in.case_pack = item->case_pack;
    for (const auto& b : item->barcodes)
      if (b.pack_quantity > Quantity::units(1)) in.case_gtin = std::optional<std::string>(b.code);
    in.min_order_units = item->case_pack;
    put_supplier_item(db, actor, supplier_id, in);
  }
}

}  // namespace

void seed_demo_suppliers(db::Db& db, const Actor& actor) {
  const DemoSupplier suppliers[] = {
      {"Brightfield Wholesale", "orders@brightfield.example", "+31 20 555 0142", 2, {OrderDay::mon, OrderDay::thu},
       25000, 50000, "NL91 ABNA 0417 1643 00", "ABNANL2A", true, "GRC-{:05}", 40, "BF-"},
      {"Meeple Works Distribution", "trade@meeple.example", "+44 20 7946 0018", 7, {OrderDay::wed}, 40000, 100000,
       "GB82 WEST 1234 5698 7654 32", "NWBKGB2L", false, "TOY-{:04}", 30, "MW-"},
  };
  // The second person of the demo: approves what the demo buyer filed.
  Actor approver = Actor::of("demo-manager", actor.origin);
  for (const auto& d : suppliers) {
    SupplierPatch patch;
    patch.name = d.name;
    patch.email = d.email;
    patch.phone = d.phone;
    patch.lead_time_days = d.lead_time_days;
    patch.lead_time_sd_days = Quantity::units(1);
    OrderDays days;
    for (auto day : d.order_days) days.add(day);
    patch.order_days = days;
    patch.min_order_value = d.min_order_value;
    patch.free_freight_value = d.free_freight_value;
    patch.payment = Payment{*normalize_iban(d.iban), d.bic, d.name};
    patch.payment_reason = "new supplier";
    auto created = create_supplier(db, actor, patch);
    if (d.approved) approve_change(db, approver, created.filed->id);
    add_items(db, actor, created.supplier.id, d);
  }
}

}  // namespace backroom::purchasing
