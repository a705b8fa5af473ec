#include "cli/customers_cli.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "access/audit.hpp"
#include "cli/input_file.hpp"
#include "cli/shop.hpp"
#include "customers/customer.hpp"
#include "customers/customer_import.hpp"
#include "customers/customers_store.hpp"
#include "orders/orders.hpp"
#include "platform/actor.hpp"
#include "platform/settings.hpp"

namespace backroom::customers_cli {

void add_commands(CLI::App& app, std::string& db_path) {
  auto* group = app.add_subcommand("customers", "The customer master: import from a spreadsheet");
  group->require_subcommand(1);

  auto* import_cmd = group->add_subcommand("import", "Import customers from CSV: all rows or none");
  import_cmd->add_option("--db", db_path, "Shop database (path or postgresql:// URI)")->envname("BACKROOM_DB")->capture_default_str();
  auto file = std::make_shared<std::string>();
  auto dry_run = std::make_shared<bool>(false);
  import_cmd->add_option("--file", *file, "CSV: number, name, phone, email, note, marketing_consent")->required();
  import_cmd->add_flag("--dry-run", *dry_run, "Check and report per row, write nothing");
  import_cmd->callback([&db_path, file, dry_run] {
    auto text = cli::read_input_file(*file, customers::customer_import_bytes_max);
    auto db = cli::open_shop(db_path);
    db::Transaction tx(*db);
    auto report = customers::import_customers(*db, Actor::of("cli", "cli"), text, *dry_run);
    tx.commit();
    std::size_t counts[3] = {0, 0, 0};
    for (const auto& l : report.lines) {
      ++counts[static_cast<int>(l.action)];
      if (l.action != customers::ImportAction::unchanged)
        std::cout << fmt::format("{}: {} {} {}", l.line,
                                 l.action == customers::ImportAction::create ? "create" : "update",
                                 customers::customer_number_text(l.number), l.name)
                  << "\n";
    }
    for (const auto& e : report.errors)
      std::cerr << fmt::format("{}:{}{}: {} [{}]", *file, e.line, e.column.empty() ? "" : " column " + e.column,
                               e.reason, e.code)
                << "\n";
    std::cout << fmt::format("{} rows: {} to create, {} to update, {} unchanged, {} errors — {}", report.rows,
                             counts[0], counts[1], counts[2], report.errors.size(),
                             report.applied ? "imported"
                             : *dry_run     ? "dry run, nothing written"
                                            : "nothing written (an import is all or nothing)")
              << std::endl;
    if (!report.errors.empty()) throw CLI::RuntimeError(1);
  });

  auto* link_cmd = group->add_subcommand(
      "link-orders", "Link online orders placed before migration 35 to their customers (by phone, else e-mail, or a new one)");
  link_cmd->add_option("--db", db_path, "Shop database (path or postgresql:// URI)")->envname("BACKROOM_DB")->capture_default_str();
  link_cmd->callback([&db_path] {
    auto db = cli::open_shop(db_path);
    db::Transaction tx(*db);
    auto links = orders::link_customers(*db, Actor::of("cli", "cli"));
    tx.commit();
    std::cout << fmt::format("linked {} online orders to their customers; {} without a usable phone or e-mail name none",
                             links.linked, links.without_contact)
              << std::endl;
  });

  auto* redact_cmd = app.get_subcommand("audit")->add_subcommand(
      "redact-contacts",
      "Remove customers' contact details that releases before migration 35 wrote into online orders' audit entries and "
      "events (the chain still verifies; run `customers link-orders` first)");
  redact_cmd->add_option("--db", db_path, "Shop database (path or postgresql:// URI)")->envname("BACKROOM_DB")->capture_default_str();
  redact_cmd->callback([&db_path] {
    auto db = cli::open_shop(db_path);
    if (auto broken = verify_audit(*db)) {
      std::cerr << fmt::format("error: the audit log is broken at entry {}: nothing redacted (a redaction is only "
                               "recorded over a chain that verifies)",
                               *broken)
                << std::endl;
      throw CLI::RuntimeError(1);
    }
    db::Transaction tx(*db);
    auto r = orders::redact_contacts(*db, Actor::of("cli", "cli"));
    tx.commit();
    std::cout << fmt::format("redacted the customer contact from {} audit entries, {} events and {} webhook messages "
                             "of online orders; sealed {} stored answers of online-order requests",
                             r.audit_entries, r.events, r.webhook_messages, r.idempotency_answers)
              << std::endl;
  });

  auto* code_cmd = group->add_subcommand("calling-code", "Set the country calling code national phone numbers take");
  code_cmd->add_option("--db", db_path, "Shop database (path or postgresql:// URI)")->envname("BACKROOM_DB")->capture_default_str();
  auto code = std::make_shared<std::string>();
  code_cmd->add_option("code", *code, "1-3 digits (46 for Sweden, 1 for NANP); empty: numbers need their +")->required();
  code_cmd->callback([&db_path, code] {
    std::string c = *code;
    if (!c.empty() && c[0] == '+') c.erase(0, 1);
    if (!c.empty() && !customers::valid_calling_code(c)) {
      std::cerr << fmt::format("error: '{}' is not a country calling code (1-3 digits, not starting with 0)", *code)
                << std::endl;
      throw CLI::RuntimeError(2);
    }
    auto db = cli::open_shop(db_path);
    db::Transaction tx(*db);
    auto before = customers::default_calling_code(*db);
    settings::put(*db, customers::calling_code_setting, c);
    append_audit(*db, Actor::of("cli", "cli"),
                 AuditEntry{"settings.customers", "settings", "customers",
                            fmt::format("{{\"default_calling_code\":\"{}\"}}", before),
                            fmt::format("{{\"default_calling_code\":\"{}\"}}", c)});
    tx.commit();
    std::cout << (c.empty() ? std::string("phone numbers now need their country code (+...)")
                            : fmt::format("national phone numbers now take +{}", c))
              << std::endl;
  });
}

}  // namespace backroom::customers_cli
