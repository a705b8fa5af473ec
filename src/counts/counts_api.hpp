// HTTP routes of cycle counts (docs/openapi.yaml, section "Counts"; docs/counts.md).
#pragma once

#include "platform/app.hpp"

namespace backroom::counts {
void register_count_routes(App& app);
}  // namespace backroom::counts
