// The SQL of suppliers, supplier items and pending supplier changes (tables of migration
// 10). Every function takes the connection it runs on: a reader's for queries, the
// writer's (inside its transaction) for changes. Other rooms and the purchase orders read
// suppliers through these functions, never the tables.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "purchasing/supplier.hpp"

namespace backroom::purchasing {

std::optional<Supplier> load_supplier(db::Db& db, const std::string& id);

struct SupplierFilter {
  std::string q;         // words of the name (folded), or "" for all
  std::string status;    // "active", "inactive" or "" for any
  std::string after_id;  // cursor: ids are time-ordered, so paging is stable under inserts
  int limit = 50;
};
// Oldest first; up to limit + 1 suppliers so the caller knows whether there is a next page.
std::vector<Supplier> list_suppliers(db::Db& db, const SupplierFilter& filter);

// The oldest supplier whose name folds to the same words as `name` ("ACME  Ltd." = "acme ltd").
std::optional<std::string> supplier_id_by_name(db::Db& db, const std::string& name);

void insert_supplier(db::Db& db, const Supplier& supplier);
// Rewrites every column but payment (which only apply_payment changes) and created_at.
void update_supplier(db::Db& db, const Supplier& supplier);
// Puts approved bank details in force and bumps the version.
void apply_payment(db::Db& db, const std::string& supplier_id, const Payment& payment, std::int64_t at);

std::optional<SupplierItem> supplier_item(db::Db& db, const std::string& supplier_id, const std::string& item_id);
// The supplier item whose case GTIN is `code` (any GTIN length; compared as GTIN-14). When
// several suppliers ship the same case, the preferred one, else the one listed first.
std::optional<SupplierItem> supplier_item_by_case_gtin(db::Db& db, const std::string& code);
// The same, for one supplier (receiving against that supplier's order).
std::optional<SupplierItem> supplier_item_by_case_gtin(db::Db& db, const std::string& supplier_id,
                                                       const std::string& code);
std::optional<SupplierItem> supplier_item_by_sku(db::Db& db, const std::string& supplier_id,
                                                 const std::string& supplier_sku);
// The preferred supplier item of an item, if it has one.
std::optional<SupplierItem> preferred_supplier_item(db::Db& db, const std::string& item_id);
// A supplier's items in item id order, from after `after_item_id`; up to limit + 1.
std::vector<SupplierItem> supplier_items(db::Db& db, const std::string& supplier_id,
                                         const std::string& after_item_id, int limit);
// Every supplier of an item, the preferred first.
std::vector<SupplierItem> suppliers_of_item(db::Db& db, const std::string& item_id);

// Inserts or rewrites the (supplier, item) row. When it is preferred, first unsets the
// item's other preferred row, so an item has at most one preferred supplier.
void put_supplier_item(db::Db& db, const SupplierItem& item);

std::optional<SupplierChange> load_change(db::Db& db, const std::string& id);
std::optional<SupplierChange> pending_change_of(db::Db& db, const std::string& supplier_id);
struct ChangeFilter {
  std::string status;       // "" for any
  std::string supplier_id;  // "" for any
  std::string after_id;
  int limit = 50;
};
std::vector<SupplierChange> list_changes(db::Db& db, const ChangeFilter& filter);
// Files a pending change; a pending change of the same supplier before it becomes superseded.
void insert_change(db::Db& db, const SupplierChange& change);
void decide_change(db::Db& db, const SupplierChange& change);

}  // namespace backroom::purchasing
