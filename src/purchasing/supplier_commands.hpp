// Supplier commands: each runs on the writer's connection inside its transaction and
// writes its rows, its audit entry and its outbox event together; every failure is a
// Problem naming the field.
//
// Bank details are never typed straight into force. Any payment given (on create or in a
// PATCH) files a pending change; it applies only when a DIFFERENT person holding
// suppliers.payment_approve approves it (the same person gets 403 same_user). A new
// supplier therefore starts without bank details in force, which is what a careful shop
// wants: the first details are the easiest place for a fraudster to slip in their own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/actor.hpp"
#include "platform/csv_import.hpp"
#include "platform/db.hpp"
#include "purchasing/supplier.hpp"
#include "purchasing/supplier_json.hpp"

namespace backroom::purchasing {

struct SupplierResult {
  Supplier supplier;
  std::optional<SupplierChange> filed;  // the payment change this command filed, if any
};

SupplierResult create_supplier(db::Db& db, const Actor& actor, const SupplierPatch& patch);
// Applies the patch's plain fields when the supplier is at `expected_version` (412
// otherwise) and files its payment, if any, as a pending change.
SupplierResult update_supplier(db::Db& db, const Actor& actor, const std::string& id,
                               std::int64_t expected_version, const SupplierPatch& patch);

struct SupplierItemResult {
  SupplierItem item;
  bool created = false;
  bool changed = false;  // false when the input matched what was there (nothing written)
};
// Adds or changes what a supplier sells us. A case_gtin (any GTIN, kept as GTIN-14) is
// registered as a case barcode of the item with the case pack as its pack quantity unless
// the item has it already; another item's barcode is 409 case_gtin_taken, the item's own
// barcode with another pack quantity 409 case_gtin_pack_mismatch. preferred: true unsets
// the item's other preferred supplier.
SupplierItemResult put_supplier_item(db::Db& db, const Actor& actor, const std::string& supplier_id,
                                     const SupplierItemInput& input);

// Approves a pending change (applies its bank details) or rejects it. 404 when unknown,
// 409 change_not_pending when decided already, 403 same_user when `actor` filed it.
SupplierChange approve_change(db::Db& db, const Actor& actor, const std::string& change_id);
SupplierChange reject_change(db::Db& db, const Actor& actor, const std::string& change_id,
                             const std::string& note);

// A supplier's price list as CSV (docs/csv.md, "Supplier price list"): one row per item
// with columns supplier_sku, gtin, sku, cost, case_pack, case_gtin, min_order_units,
// preferred (gtin or sku names the item; a known supplier_sku does too). All rows or none.
inline constexpr std::size_t price_list_rows_max = 100'000;
inline constexpr std::size_t price_list_errors_max = 1000;
using PriceListError = platform::ImportError;
struct PriceListReport {
  std::size_t rows = 0;
  std::size_t created = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  std::vector<PriceListError> errors;  // at most price_list_errors_max
  bool applied = false;                // false on dry runs and whenever there was an error
};
const std::vector<std::string>& price_list_columns();
PriceListReport import_price_list(db::Db& db, const Actor& actor, const std::string& supplier_id,
                                  std::string_view csv, bool dry_run);

}  // namespace backroom::purchasing
