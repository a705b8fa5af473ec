// What an item really cost: the moving-average cost a receipt leaves on the item, pure.
//
//   new = (on_hand⁺ x average + received x unit_cost) / (on_hand⁺ + received),
//   on_hand⁺ = max(on_hand, 0)
//
// on_hand is the item's stock before the receipt (every location); stock below zero
// (sold before it was booked in) carries no cost, so it does not dilute the new one. An item
// without a cost yet takes the receipt's unit cost. Rounding: the quotient is rounded half
// away from zero to a minor unit, once per receipt line (money stays int64 minor units).
// Ten units at 1.00 then ten at 2.00 gives 1.50.
#pragma once

#include <cstdint>
#include <optional>

#include "platform/types.hpp"

namespace backroom::purchasing {

// The average after `received` units at `unit_cost` arrive on top of `on_hand` at `average`.
// Nothing received (received <= 0): the average unchanged (or the unit cost when none).
std::int64_t moving_average_cost(Quantity on_hand, std::optional<std::int64_t> average, Quantity received,
                                 std::int64_t unit_cost);

}  // namespace backroom::purchasing
