// Planning's HTTP routes: replenishment suggestions and turning them into a draft purchase
// order, the "why this number" series, forecast accuracy, the weekly preparation (also run
// on each supplier's order day by a scheduler thread this starts), service levels and
// reorder points. docs/planning-api.md describes them for operators and integrators.
#pragma once

#include "platform/app.hpp"

namespace backroom::planning {

void register_planning_routes(App& app);

}  // namespace backroom::planning
