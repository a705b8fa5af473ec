#include "cli/planning_import.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/input_file.hpp"
#include "cli/shop.hpp"
#include "planning/history_import.hpp"

namespace backroom::planning_import {

namespace {
constexpr std::size_t history_file_bytes_max = std::size_t{2} << 30;
}

void add_command(CLI::App& planning, std::string& db_path) {
  auto* cmd = planning.add_subcommand(
      "import-history", "Load past daily sales (date,location,item,units[,price][,promo][,category]) as demand history");
  cmd->add_option("--db", db_path, "SQLite database file of the shop")->envname("BACKROOM_DB")->capture_default_str();
  auto file = std::make_shared<std::string>();
  cmd->add_option("--history", *file, "History CSV; location = a store's name, item = a SKU")->required();
  cmd->callback([&db_path, file] {
    auto text = cli::read_input_file(*file, history_file_bytes_max);
    auto db = cli::open_shop(db_path);
    db::Transaction tx(*db);
    auto result = planning::import_history(*db, text);
    if (auto* e = std::get_if<planning::HistoryError>(&result)) {
      std::cerr << fmt::format("{}:{}: {}{}; nothing loaded", *file, e->line, e->field.empty() ? "" : e->field + ": ",
                               e->reason)
                << std::endl;
      throw CLI::RuntimeError(1);
    }
    tx.commit();
    const auto& s = std::get<planning::ImportSummary>(result);
    std::cout << fmt::format("loaded {} rows: {} series, {} days of demand history", s.rows, s.series, s.days)
              << std::endl;
  });
}

}  // namespace backroom::planning_import
