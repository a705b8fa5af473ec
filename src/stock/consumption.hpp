// What other rooms read of the ledger in bulk: units that left a location by sale over a
// period (counts' ABC classes), the items a location holds below zero (ad-hoc counts).
// Reads, on any connection.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "platform/db.hpp"
#include "platform/types.hpp"

namespace backroom::stock {

// Per item, the units sold at `location_id` with from <= at < to: sales less voids and
// returns (milli-units, positive = sold). Items that did not move by sale are left out.
std::vector<std::pair<std::string, Quantity>> units_sold_by_item(db::Db& db, const std::string& location_id,
                                                                 Timestamp from, Timestamp to);
// The items whose on-hand at `location_id` is below zero, by item id.
std::vector<std::string> negative_items(db::Db& db, const std::string& location_id);

}  // namespace backroom::stock
