// `backroom node add --store <store>` issues a store node's key (printed once);
// `backroom node list` lists the nodes (docs/sync.md).
#include "cli/sync_cli.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/shop.hpp"
#include "platform/ids.hpp"
#include "platform/problem.hpp"
#include "stock/stock.hpp"
#include "sync/sync.hpp"

namespace backroom::cli::sync_cli {

void add_commands(CLI::App& app, std::string& db_path) {
  auto add_db = [&db_path](CLI::App* sub) {
    sub->add_option("--db", db_path, "SQLite database file of the shop")->envname("BACKROOM_DB")->capture_default_str();
  };
  auto* node = app.add_subcommand("node", "Store nodes that sync with this head office: add, list");
  node->require_subcommand(1);
  auto store_name = std::make_shared<std::string>();
  auto* add = node->add_subcommand("add", "Add a store node for a store; prints its key once");
  add_db(add);
  add->add_option("--store", *store_name, "The store: its name or location id")->required();
  add->callback([&db_path, store_name] {
    auto db = open_shop(db_path);
    db::Transaction tx(*db);
    std::optional<stock::Location> location;
    if (auto id = normalize_uuid(*store_name)) location = stock::load_location(*db, *id);
    if (!location) location = stock::location_by_name(*db, *store_name);
    if (!location) throw Problem(404, "not_found", fmt::format("no location is named '{}'", *store_name));
    auto issued = sync::add_node(*db, Actor::of("cli", "cli"), location->id);
    tx.commit();
    std::cout << issued.key << std::endl;
    std::cerr << fmt::format("store node {} for '{}' added; the key above is shown only once", issued.node.id,
                             location->name)
              << std::endl;
  });
  auto* list = node->add_subcommand("list", "List store nodes with their last sync and reported queue");
  add_db(list);
  list->callback([&db_path] {
    auto db = open_shop(db_path);
    for (const auto& n : sync::store::list_nodes(*db)) {
      auto j = sync::node_to_json(*db, n);
      std::cout << fmt::format("{}  {:<24} last sync {:<27} queue {}", n.id, std::string(j.at("location_name").as_string()),
                               n.last_sync_at ? std::string(j.at("last_sync_at").as_string()) : "-", n.queue_length)
                << std::endl;
    }
  });
}

}  // namespace backroom::cli::sync_cli
