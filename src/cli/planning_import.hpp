// `backroom planning import-history --db … --history FILE.csv`: a shop moving from another
// system loads its past daily (or weekly) sales as demand history (planning/history_import.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace backroom::planning_import {

// Adds `import-history` under the `planning` subcommand.
void add_command(CLI::App& planning, std::string& db_path);

}  // namespace backroom::planning_import
