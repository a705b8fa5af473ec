#include "platform/csv_import.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "platform/csv.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"

namespace backroom::platform {

CsvImportRun run_csv_import(db::Db& db, std::string_view csv, const CsvImportSpec& spec, bool dry_run,
                            const std::function<void(const CsvValues& values, std::size_t line)>& row) {
  CsvImportRun run;
  auto add_error = [&run, &spec](ImportError e) {
    if (run.errors.size() < spec.errors_max) run.errors.push_back(std::move(e));
  };
  CsvReader reader(csv);
  std::vector<CsvHeaderProblem> header_problems;
  auto read = read_csv_header(reader, CsvHeaderNames::snake_case, header_problems, spec.header_hint);
  for (auto& p : header_problems) add_error({p.line, p.column, p.code, p.reason});
  if (!read) return run;
  const auto& header = read->names;
  for (std::size_t i = 0; i < header.size(); ++i)
    if (std::find(spec.columns.begin(), spec.columns.end(), header[i]) == spec.columns.end())
      add_error({read->line, read->written[i].substr(0, 64), "unknown_column",
                 fmt::format("column '{}' is not one of {}", read->written[i].substr(0, 64), fmt::join(spec.columns, ", "))});
  for (const auto& names : spec.required) {
    bool found = std::any_of(names.begin(), names.end(), [&read](const std::string& n) { return read->has(n); });
    if (!found)
      add_error({read->line, names.front(), "missing_column",
                 names.size() == 1 ? fmt::format("the header has no '{}' column", names.front())
                                   : fmt::format("the header needs one of the columns {}", fmt::join(names, ", "))});
  }
  if (!run.errors.empty()) return run;

  db.exec("SAVEPOINT csv_import");
  CsvRow record;
  CsvValues values;
  for (const auto& c : spec.columns) values[c];
  while (reader.next(record)) {
    if (++run.rows > spec.rows_max) {
      add_error({record.line, "", "too_many_rows", fmt::format("a file holds at most {} rows", spec.rows_max)});
      break;
    }
    if (record.fields.size() != header.size()) {
      add_error({record.line, "", "wrong_field_count",
                 fmt::format("row has {} fields, the header has {}", record.fields.size(), header.size())});
      continue;
    }
    for (std::size_t i = 0; i < header.size(); ++i) values[header[i]] = record.fields[i];
    db.exec("SAVEPOINT csv_import_row");
    try {
      row(values, record.line);
      db.exec("RELEASE csv_import_row");
    } catch (const Problem& p) {
      db.exec("ROLLBACK TO csv_import_row");
      db.exec("RELEASE csv_import_row");
      add_error({record.line, p.field, p.code, p.detail});
    }
  }
  if (reader.error()) add_error({reader.error()->line, "", "malformed_csv", reader.error()->reason});
  if (run.rows == 0 && run.errors.empty()) add_error({read->line, "", "empty_file", "the file has no rows under its header"});
  run.applied = !dry_run && run.errors.empty();
  if (!run.applied) db.exec("ROLLBACK TO csv_import");
  db.exec("RELEASE csv_import");
  return run;
}

boost::json::array import_errors_json(const std::vector<ImportError>& errors) {
  boost::json::array out;
  for (const auto& e : errors)
    out.push_back(boost::json::object{{"line", e.line}, {"column", e.column}, {"code", e.code}, {"reason", e.reason}});
  return out;
}

bool csv_import_request(const http::Request& req, std::size_t max_bytes, std::string_view what) {
  auto type = req.header("content-type").value_or("");
  if (!type.starts_with("text/csv") && !type.starts_with("text/plain"))
    throw Problem(415, "unsupported_media_type", fmt::format("send {} as text/csv", what));
  if (req.body.size() > max_bytes)
    throw Problem(413, "body_too_large", fmt::format("{} is at most {} bytes", what, max_bytes));
  auto dry = req.query_param("dry_run").value_or("false");
  if (dry != "true" && dry != "false") throw invalid_field("dry_run", "dry_run is true or false");
  return dry == "true";
}

http::Response csv_import_response(const boost::json::object& report, std::size_t errors, const std::string& code) {
  if (errors == 0) return http::json_response(200, report);
  Problem p(422, code, fmt::format("{} of the file's rows cannot be imported; nothing was written", errors));
  p.extra_json = json::serialize(report);
  return http::problem_response(p);
}

}  // namespace backroom::platform
