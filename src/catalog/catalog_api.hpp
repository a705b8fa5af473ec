// Registers the item master's HTTP routes on the app.
#pragma once

#include "platform/app.hpp"

namespace backroom::catalog {
void register_catalog_routes(App& app);
}
