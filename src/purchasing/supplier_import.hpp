// Suppliers from a spreadsheet (issue 22, rollout): the shop's supplier list, checked row by
// row before anything is written (docs/csv.md "Suppliers").
//
// Contract: CSV with a header naming `name` and any of email, phone, lead_time_days,
// lead_time_sd_days, order_days ("mon thu" or "mon,thu"), min_order_value and
// free_freight_value (amounts like 150.00), status, iban, bic, account_name. A row is read
// exactly as the JSON of POST /api/v1/suppliers would be (same checks, same limits) and
// creates that supplier, audited with an event. Bank details in a row are never put in force
// by the import: like any bank details they file a pending change that another person
// approves. A row whose name a supplier already has (any case) is left as it is and said so,
// so the file can be run again; a name twice in the file is an error. All rows or none, and a
// dry run writes nothing (platform/csv_import.hpp).
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "platform/actor.hpp"
#include "platform/csv_import.hpp"
#include "platform/db.hpp"

namespace backroom::purchasing {

inline constexpr std::size_t supplier_import_rows_max = 5'000;
inline constexpr std::size_t supplier_import_bytes_max = 2 * 1024 * 1024;

struct SupplierImportLine {
  std::size_t line = 0;
  std::string name;
  bool exists = false;        // a supplier has this name already: left as it is
  bool bank_details = false;  // bank details filed for approval (never in force by the import)
};
struct SupplierImportReport {
  std::size_t rows = 0;
  std::vector<SupplierImportLine> lines;  // every row read without a problem
  std::vector<platform::ImportError> errors;
  bool applied = false;
};

const std::vector<std::string>& supplier_import_columns();
SupplierImportReport import_suppliers(db::Db& db, const Actor& actor, std::string_view csv, bool dry_run);
boost::json::object supplier_import_to_json(const SupplierImportReport& report);

}  // namespace backroom::purchasing
