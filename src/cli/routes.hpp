// The whole HTTP route table: every capability's routes plus /healthz, in one place so the
// server, `backroom routes` and the route tests all see the same table.
#pragma once

#include "platform/app.hpp"

namespace backroom::cli {

void add_routes(App& app);

}  // namespace backroom::cli
