// `backroom customers import --db … --file F.csv [--dry-run]`: the customer import of
// POST /api/v1/customers/import from a shell, the same report and all-or-nothing rule
// (customers/customer_import.hpp); `backroom customers calling-code --db … 46` sets the
// country code national phone numbers take; `backroom customers link-orders --db …` links
// online orders placed before migration 35 to their customers (docs/orders.md).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace backroom::customers_cli {

void add_commands(CLI::App& app, std::string& db_path);

}  // namespace backroom::customers_cli
