// Demo demand history for `backroom demo`: 16 weeks of generated daily sales (a steady rate
// per item, busier weekends, a few promotion days, some slow sellers that sell on few days)
// for the items the demo suppliers sell, at every store, loaded as imported history, so the
// Reorder page has sensible suggestions on the first day. Deterministic for a seed.
#pragma once

#include <cstdint>

#include "platform/db.hpp"

namespace backroom::planning {

inline constexpr int demo_history_days = 112;

// Runs inside the caller's transaction, after the demo suppliers exist. Returns days written.
std::size_t seed_demo_history(db::Db& db, std::uint32_t seed = 17);

}  // namespace backroom::planning
