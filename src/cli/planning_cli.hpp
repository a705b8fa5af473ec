// `backroom planning ...`: the planning subcommand group. `planning backtest` replays the
// replenishment policy on a sales-history CSV (src/planning/backtest.hpp) and prints fill
// rate, weeks of supply, orders and forecast accuracy; it needs no shop database.
// Other planning subcommands (import-history) add themselves to planning_group().
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace backroom::planning_cli {

// The `planning` subcommand of `app`, created on first use.
CLI::App* planning_group(CLI::App& app);

void add_commands(CLI::App& app, std::string& db_path);

}  // namespace backroom::planning_cli
