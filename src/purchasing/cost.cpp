#include "purchasing/cost.hpp"

namespace backroom::purchasing {

std::int64_t moving_average_cost(Quantity on_hand, std::optional<std::int64_t> average, Quantity received,
                                 std::int64_t unit_cost) {
  if (!average) return unit_cost;
  if (received.milli <= 0) return *average;
  __int128 held = on_hand.milli > 0 ? on_hand.milli : 0;
  __int128 value = held * *average + static_cast<__int128>(received.milli) * unit_cost;
  __int128 units = held + received.milli;
  __int128 quotient = (2 * value + units) / (2 * units);  // value >= 0, units > 0: half up
  return static_cast<std::int64_t>(quotient);
}

}  // namespace backroom::purchasing
