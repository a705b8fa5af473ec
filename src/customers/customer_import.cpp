#include "customers/customer_import.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>

#include "customers/customers.hpp"
#include "customers/customers_store.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/text.hpp"

namespace backroom::customers {

namespace bj = boost::json;

namespace {

const char* action_text(ImportAction a) {
  switch (a) {
    case ImportAction::create: return "create";
    case ImportAction::update: return "update";
    case ImportAction::unchanged: return "unchanged";
  }
  return "create";
}

Problem duplicate(const char* column, std::size_t first_line) {
  return Problem(422, "duplicate_row", fmt::format("the same {} is on line {} already", column, first_line), column);
}

}  // namespace

const std::vector<std::string>& customer_import_columns() {
  static const std::vector<std::string> columns{"number", "name", "phone", "email", "note", "marketing_consent"};
  return columns;
}

std::optional<bool> parse_consent(std::string_view text) {
  auto folded = text::fold(text);
  if (folded.empty() || folded == "no" || folded == "n" || folded == "false" || folded == "0") return false;
  if (folded == "yes" || folded == "y" || folded == "true" || folded == "1") return true;
  return std::nullopt;
}

CustomerImportReport import_customers(db::Db& db, const Actor& actor, std::string_view csv, bool dry_run) {
  CustomerImportReport report;
  const platform::CsvImportSpec spec{customer_import_columns(),
                                     {{"name"}},
                                     "the first line names the columns: number, name, phone, email, note, marketing_consent",
                                     customer_import_rows_max,
                                     200};
  const std::string calling_code = default_calling_code(db);
  std::map<std::string, std::size_t> seen_numbers, seen_phones, seen_emails;
  auto run = platform::run_csv_import(db, csv, spec, dry_run, [&](const platform::CsvValues& values, std::size_t line) {
    auto get = [&values](const char* c) { return std::string(text::trim(values.at(c))); };
    // The row as the body of POST /api/v1/customers: the same checks and limits.
    bj::object body{{"name", get("name")}};
    for (const char* c : {"phone", "email", "note"})
      if (auto v = get(c); !v.empty()) body[c] = v;
    std::optional<bool> consent;
    if (auto v = get("marketing_consent"); !v.empty()) {
      consent = parse_consent(v);
      if (!consent)
        throw invalid_field("marketing_consent", fmt::format("marketing_consent '{}' is not yes or no", v.substr(0, 20)));
      body["marketing_consent"] = *consent;
    }
    auto patch = customer_patch_from_json(body, true, calling_code);
    std::optional<std::int64_t> number;
    if (auto v = get("number"); !v.empty()) {
      number = parse_customer_number(v);
      if (!number) throw invalid_field("number", fmt::format("number '{}' is not a customer number like C-000123", v.substr(0, 20)));
      if (auto [it, fresh] = seen_numbers.emplace(std::to_string(*number), line); !fresh) throw duplicate("number", it->second);
    }
    if (patch.phone && *patch.phone)
      if (auto [it, fresh] = seen_phones.emplace(**patch.phone, line); !fresh) throw duplicate("phone", it->second);
    if (patch.email && *patch.email)
      if (auto [it, fresh] = seen_emails.emplace(**patch.email, line); !fresh) throw duplicate("email", it->second);

    std::optional<Customer> match;
    if (number) {
      match = customer_by_number(db, *number);
      if (!match)
        throw Problem(422, "unknown_customer",
                      fmt::format("no customer has number {}; leave number empty to create one", customer_number_text(*number)),
                      "number");
    }
    if (!match && patch.phone && *patch.phone) match = customer_by_phone(db, **patch.phone);
    if (!match && patch.email && *patch.email) match = customer_by_email(db, **patch.email);
    CustomerImportLine out{line, *patch.name, 0, ImportAction::create};
    if (match) {
      // Empty cells leave what the customer has (a spreadsheet without a note column keeps notes).
      if (!consent) patch.marketing_consent.reset();
      auto after = update_customer(db, actor, match->id, match->version, patch);
      out.number = after.number;
      out.action = after.version == match->version ? ImportAction::unchanged : ImportAction::update;
    } else {
      out.number = create_customer(db, actor, patch).number;
    }
    report.lines.push_back(std::move(out));
  });
  report.rows = run.rows;
  report.errors = std::move(run.errors);
  report.applied = run.applied;
  return report;
}

bj::object customer_import_to_json(const CustomerImportReport& report) {
  bj::array lines;
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& l : report.lines) {
    ++counts[static_cast<int>(l.action)];
    lines.push_back(bj::object{{"line", l.line},
                               {"number", customer_number_text(l.number)},
                               {"name", l.name},
                               {"action", action_text(l.action)}});
  }
  return bj::object{{"rows", report.rows},
                    {"creating", counts[0]},
                    {"updating", counts[1]},
                    {"unchanged", counts[2]},
                    {"applied", report.applied},
                    {"lines", std::move(lines)},
                    {"errors", platform::import_errors_json(report.errors)}};
}

}  // namespace backroom::customers
