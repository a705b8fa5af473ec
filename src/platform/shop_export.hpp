// "Export everything" (issue 22): the whole shop as one CSV file per table, in a ZIP archive,
// at any time, so leaving is always possible. The store layer's second piece (with
// db_copy) that walks every table of either dialect.
//
// Contract: one read snapshot; every table of table_names() but the ones that hold only
// credentials or replayable answers (exported_table); every column but credentials
// (exported_column): password and PIN hashes, API key and session secrets, webhook and
// channel secrets, substitution link tokens. Values sealed under the shop key (customer
// contacts, supplier bank details) are written in clear: the export is the shop's own data,
// for the shop's owner (permission shop.export). A NULL is an empty field; a text that a
// spreadsheet would run as a formula is prefixed with ' (csv_export_safe). The archive also
// holds README.txt: when, which schema version, each file's rows, and what was left out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"

namespace backroom::shop_export {

// Pure: what is never exported, and why (README.txt lists these).
bool exported_table(std::string_view table);
bool exported_column(std::string_view table, std::string_view column);
struct LeftOut {
  std::string what;  // "users.password_hash", "sessions"
  std::string why;
};
const std::vector<LeftOut>& left_out();

struct ExportedFile {
  std::string name;  // "items.csv"
  std::int64_t rows = 0;
};
struct Export {
  std::string zip;  // the archive's bytes
  std::vector<ExportedFile> files;
};
// `db_location` opens sealed values (platform/secret_box.hpp).
Export export_shop(db::Db& db, std::string_view db_location);

}  // namespace backroom::shop_export
