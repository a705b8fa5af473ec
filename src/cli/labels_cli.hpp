// `backroom labels ...`: print labels of items or a store's queue to PDF, SVG, PNG or ZPL,
// list templates, print a calibration sheet. Each subcommand runs from its CLI11 callback
// and throws CLI::RuntimeError(exit status) when it fails (after printing why).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace backroom::cli::labels_cli {

// `db_path` must outlive parsing (it is main's --db variable).
void add_commands(CLI::App& app, std::string& db_path);

}  // namespace backroom::cli::labels_cli
