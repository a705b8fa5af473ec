// `backroom check`: proves the books hold (balances = movements, every document has its
// movements, nothing returned beyond what was sold). Exit status 1 when they do not.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace backroom::stock_cli {

void add_commands(CLI::App& app, std::string& db_path);

}  // namespace backroom::stock_cli
