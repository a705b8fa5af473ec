// `backroom user add|list|disable`, `backroom apikey create|list|revoke|rotate` and the
// hidden `backroom routes --json` (the route table with permissions and the role table,
// which the permission matrix test walks). Each runs from its CLI11 callback and throws
// CLI::RuntimeError(code) for a non-zero exit.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "platform/app.hpp"

namespace backroom::cli::auth_cli {

// `db_path` is the shared --db value; `add_routes` registers every route on an App.
void add_commands(CLI::App& app, std::string& db_path, std::function<void(App&)> add_routes);

}  // namespace backroom::cli::auth_cli
