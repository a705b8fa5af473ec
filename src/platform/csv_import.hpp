// One skeleton for the spreadsheets a shop brings at cutover (opening stock, suppliers): the
// header checked against the columns the import knows, every row run in a savepoint of its
// own, a row's Problem recorded against its line and column, and all rows or none.
//
// Contract: `row` is called once per record with its values keyed by the header's snake_case
// names (every known column present, "" when the file leaves it out) and may write through
// `db`; a Problem it throws undoes that row's writes and becomes an error naming the line and
// the Problem's field as the column. After the last row, any error or `dry_run` rolls back
// every row: the database is as it was, and the caller's report says what would have been done.
// A header naming a column outside `columns`, or missing one of `required`, stops before any
// row is read. Runs inside the caller's transaction (savepoints only).
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"
#include "platform/http.hpp"

namespace backroom::platform {

struct ImportError {
  std::size_t line = 0;
  std::string column;  // empty for the whole row
  std::string code;
  std::string reason;
};

struct CsvImportSpec {
  std::vector<std::string> columns;
  // Each entry is satisfied by any one of its names ({"sku", "barcode"}: the item by either).
  std::vector<std::vector<std::string>> required;
  std::string header_hint;  // said when the file has no header: "the first line names the columns: ..."
  std::size_t rows_max = 20'000;
  std::size_t errors_max = 200;
};

struct CsvImportRun {
  std::size_t rows = 0;
  std::vector<ImportError> errors;  // at most spec.errors_max
  bool applied = false;             // false on a dry run and whenever there was an error
};

using CsvValues = std::map<std::string, std::string>;

CsvImportRun run_csv_import(db::Db& db, std::string_view csv, const CsvImportSpec& spec, bool dry_run,
                            const std::function<void(const CsvValues& values, std::size_t line)>& row);

// [{line, column, code, reason}], the errors part of every import report.
boost::json::array import_errors_json(const std::vector<ImportError>& errors);

// The request side of every CSV import route: a text/csv (or text/plain) body of at most
// `max_bytes` and ?dry_run=true|false. Throws 415 unsupported_media_type, 413 body_too_large
// or 422 naming dry_run; returns whether it is a dry run. `what` names the file ("a price list").
bool csv_import_request(const http::Request& req, std::size_t max_bytes, std::string_view what);
// 200 with the report when no row has a problem; otherwise 422 `code` ("nothing was written")
// carrying the same report, so a person sees every row's problem at once.
http::Response csv_import_response(const boost::json::object& report, std::size_t errors, const std::string& code);

}  // namespace backroom::platform
