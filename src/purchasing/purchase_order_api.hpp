// HTTP routes of purchase orders and receiving against them (docs/openapi.yaml, section
// "Purchasing").
#pragma once

#include "platform/app.hpp"

namespace backroom::purchasing {

void register_purchase_order_routes(App& app);

}  // namespace backroom::purchasing
