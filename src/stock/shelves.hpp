// Where an item sits in a store: a shelf name per item × location ("A3-2", "Cold room, top"),
// set by whoever keeps the store's layout and shown where people fetch things — the pick
// page sorts an order's lines by it, so a picker walks the shop once (issue 20). Text the
// shop chooses, no layout model behind it; not a stock location (a location's sub-locations,
// such as its damaged bin, hold stock; a shelf only says where to look).
//
// Contract: a shelf is 1..shelf_length_max characters after trimming, without control
// characters (422 invalid_field on `shelf`); null or "" removes it. put_shelf needs an item
// (404) that holds stock (a variant parent: 422 on item_id), a site — store, backroom or
// warehouse, not one of their bins (422 on location_id) — within the actor's store scope (403). Writer thread; audited as item.shelf with the old
// and the new name when it changes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/actor.hpp"
#include "platform/db.hpp"

namespace backroom::stock {

inline constexpr std::size_t shelf_length_max = 40;

struct ItemShelf {
  std::string location_id;
  std::string location_name;
  std::optional<std::string> shelf;
};

// The shelf's name as stored: trimmed, nullopt when empty. 422 on `shelf` when too long or
// with a control character.
std::optional<std::string> normalize_shelf(const std::optional<std::string>& text);

ItemShelf put_shelf(db::Db& db, const Actor& actor, const std::string& item_id, const std::string& location_id,
                const std::optional<std::string>& shelf);
// Every site (stores, backrooms, warehouses, by name), with the item's shelf there or null.
std::vector<ItemShelf> shelves_of_item(db::Db& db, const std::string& item_id);
// The shelves of those items at one location (items without one are left out).
std::map<std::string, std::string> shelves_at(db::Db& db, const std::string& location_id,
                                           const std::vector<std::string>& item_ids);

}  // namespace backroom::stock
