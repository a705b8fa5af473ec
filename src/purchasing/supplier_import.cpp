#include "purchasing/supplier_import.hpp"

#include <fmt/format.h>

#include <charconv>
#include <set>

#include "platform/json.hpp"
#include "platform/money.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "platform/text.hpp"
#include "platform/types.hpp"
#include "purchasing/supplier_commands.hpp"
#include "purchasing/supplier_json.hpp"
#include "purchasing/supplier_store.hpp"

namespace backroom::purchasing {

namespace bj = boost::json;

namespace {

Problem column_problem(const std::string& column, std::string reason) {
  return Problem(422, "invalid_field", std::move(reason), column);
}

// The JSON body POST /api/v1/suppliers would get for this row; numbers are parsed here so a
// wrong one names its column.
bj::object row_body(const platform::CsvValues& values, int decimals) {
  auto get = [&values](const char* c) { return std::string(text::trim(values.at(c))); };
  bj::object body;
  body["name"] = get("name");
  bj::object contact;
  if (auto v = get("email"); !v.empty()) contact["email"] = v;
  if (auto v = get("phone"); !v.empty()) contact["phone"] = v;
  if (!contact.empty()) body["contact"] = std::move(contact);
  if (auto v = get("lead_time_days"); !v.empty()) {
    std::int64_t days = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), days);
    if (ec != std::errc() || end != v.data() + v.size())
      throw column_problem("lead_time_days", fmt::format("lead_time_days '{}' is not a whole number of days", v.substr(0, 20)));
    body["lead_time_days"] = days;
  }
  if (auto v = get("lead_time_sd_days"); !v.empty()) {
    auto q = parse_quantity(v);
    if (!q) throw column_problem("lead_time_sd_days", fmt::format("lead_time_sd_days '{}' is not a number of days", v.substr(0, 20)));
    body["lead_time_sd_days"] = json::quantity_value(*q);
  }
  if (auto v = get("order_days"); !v.empty()) {
    bj::array days;
    std::size_t start = 0;
    while (start < v.size()) {
      auto end = v.find_first_of(" ,;", start);
      if (end == std::string::npos) end = v.size();
      if (end > start) days.push_back(bj::string(text::fold(v.substr(start, end - start))));
      start = end + 1;
    }
    body["order_days"] = std::move(days);
  }
  for (const char* c : {"min_order_value", "free_freight_value"}) {
    auto v = get(c);
    if (v.empty()) continue;
    auto minor = parse_money(v, decimals);
    if (!minor) throw column_problem(c, fmt::format("{} '{}' is not an amount like 150.00", c, v.substr(0, 20)));
    body[c] = *minor;
  }
  if (auto v = get("status"); !v.empty()) body["status"] = text::fold(v);
  bj::object payment;
  for (const char* c : {"iban", "bic", "account_name"})
    if (auto v = get(c); !v.empty()) payment[c] = v;
  if (!payment.empty()) {
    payment["reason"] = "supplier import";
    body["payment"] = std::move(payment);
  }
  return body;
}

// contact.email -> email, payment.iban -> iban, order_days[1] -> order_days: the file's column.
std::string column_of(std::string field) {
  for (std::string_view prefix : {"contact.", "payment."})
    if (field.rfind(prefix, 0) == 0) field.erase(0, prefix.size());
  if (auto bracket = field.find('['); bracket != std::string::npos) field.erase(bracket);
  return field;
}

}  // namespace

const std::vector<std::string>& supplier_import_columns() {
  static const std::vector<std::string> columns{"name",       "email",          "phone",
                                                "lead_time_days", "lead_time_sd_days", "order_days",
                                                "min_order_value", "free_freight_value", "status",
                                                "iban",       "bic",            "account_name"};
  return columns;
}

SupplierImportReport import_suppliers(db::Db& db, const Actor& actor, std::string_view csv, bool dry_run) {
  SupplierImportReport report;
  const platform::CsvImportSpec spec{supplier_import_columns(),
                                     {{"name"}},
                                     "the first line names the columns: name, email, phone, iban, ...",
                                     supplier_import_rows_max,
                                     200};
  const int decimals = settings::currency_decimals(db);
  std::set<std::string> seen;  // folded names
  auto run = platform::run_csv_import(db, csv, spec, dry_run, [&](const platform::CsvValues& values, std::size_t line) {
    SupplierPatch patch;
    try {
      patch = supplier_patch_from_json(row_body(values, decimals), true);
    } catch (Problem& p) {
      p.field = column_of(p.field);
      throw;
    }
    if (!seen.insert(text::fold(*patch.name)).second)
      throw Problem(422, "duplicate_row", fmt::format("'{}' appears twice in the file", patch.name->substr(0, 80)), "name");
    SupplierImportLine out{line, *patch.name};
    if (supplier_id_by_name(db, *patch.name)) {
      out.exists = true;
    } else {
      auto result = create_supplier(db, actor, patch);
      out.bank_details = result.filed.has_value();
    }
    report.lines.push_back(std::move(out));
  });
  report.rows = run.rows;
  report.errors = std::move(run.errors);
  report.applied = run.applied;
  return report;
}

bj::object supplier_import_to_json(const SupplierImportReport& report) {
  bj::array lines;
  std::size_t creating = 0, bank = 0;
  for (const auto& l : report.lines) {
    if (!l.exists) ++creating;
    if (l.bank_details) ++bank;
    lines.push_back(bj::object{{"line", l.line},
                               {"name", l.name},
                               {"action", l.exists ? "exists" : "create"},
                               {"bank_details_pending", l.bank_details}});
  }
  return bj::object{{"rows", report.rows},
                    {"creating", creating},
                    {"existing", report.lines.size() - creating},
                    {"bank_details_pending", bank},
                    {"applied", report.applied},
                    {"lines", std::move(lines)},
                    {"errors", platform::import_errors_json(report.errors)}};
}

}  // namespace backroom::purchasing
