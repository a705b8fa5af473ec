// HTTP routes of price change requests (docs/openapi.yaml tag price-changes), and the
// scheduler that applies approved changes when their time comes: a thread that wakes
// every BACKROOM_PRICE_CHANGE_POLL_SECONDS (default 30) and lives as long as the router.
#pragma once

#include "platform/app.hpp"

namespace backroom::catalog {
void register_price_change_routes(App& app);
}
