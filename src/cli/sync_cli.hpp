// `backroom node add|list`: store node keys at head office (src/sync/, docs/sync.md).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace backroom::cli::sync_cli {

void add_commands(CLI::App& app, std::string& db_path);

}  // namespace backroom::cli::sync_cli
