// Customers from a spreadsheet (issue 22, rollout; docs/operations.md "Importing customers"):
// the shop's customer list checked row by row before anything is written.
//
// Contract: CSV with a header naming `name` and any of number (C-000123), phone, email, note,
// marketing_consent (yes/no, true/false, 1/0; empty: no). A row is matched to a customer by
// its number, else its phone, else its email (a phone of one customer and an email of
// another is an error); a matched row updates the columns it fills ("update", or "unchanged"
// when they hold what the customer has), an unmatched row creates a customer ("create").
// Phones are normalised to E.164 with the shop's default calling code, emails checked
// (customer.hpp). A number, phone or email twice in the file is an error on the second row.
// All rows or none, and a dry run writes nothing (platform/csv_import.hpp); the report holds
// names and numbers, never contact data.
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/actor.hpp"
#include "platform/csv_import.hpp"
#include "platform/db.hpp"

namespace backroom::customers {

inline constexpr std::size_t customer_import_rows_max = 20'000;
inline constexpr std::size_t customer_import_bytes_max = 4 * 1024 * 1024;

enum class ImportAction { create, update, unchanged };

struct CustomerImportLine {
  std::size_t line = 0;
  std::string name;
  std::int64_t number = 0;  // the customer's number (a dry run's new numbers are the ones a real run would give)
  ImportAction action = ImportAction::create;
};
struct CustomerImportReport {
  std::size_t rows = 0;
  std::vector<CustomerImportLine> lines;  // every row read without a problem
  std::vector<platform::ImportError> errors;
  bool applied = false;
};

const std::vector<std::string>& customer_import_columns();
// Pure: "yes", "Y", "true", "1" -> true; "no", "n", "false", "0", "" -> false; else nullopt.
std::optional<bool> parse_consent(std::string_view text);
CustomerImportReport import_customers(db::Db& db, const Actor& actor, std::string_view csv, bool dry_run);
// {rows, creating, updating, unchanged, applied, lines: [{line, number, name, action}], errors}
boost::json::object customer_import_to_json(const CustomerImportReport& report);

}  // namespace backroom::customers
