#include "cli/stock_cli.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/shop.hpp"

namespace backroom::stock_cli {

void add_commands(CLI::App& app, std::string& db_path) {
  auto* check = app.add_subcommand("check", "Verify the books: balances = movements, documents have their movements");
  check->add_option("--db", db_path, "SQLite database file of the shop")->envname("BACKROOM_DB")->capture_default_str();
  check->callback([&db_path] {
    auto db = cli::open_shop(db_path);
    auto problems = cli::check_shop(*db);
    for (const auto& p : problems) std::cout << p << "\n";
    if (!problems.empty()) {
      std::cout << fmt::format("the books do NOT hold: {} problem{}", problems.size(), problems.size() == 1 ? "" : "s")
                << std::endl;
      throw CLI::RuntimeError(1);
    }
    std::cout << "the books hold" << std::endl;
  });
}

}  // namespace backroom::stock_cli
