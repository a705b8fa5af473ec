// HTTP routes of suppliers: suppliers, their items and price lists, and the pending
// bank-detail changes another person approves (docs/openapi.yaml, section "Purchasing").
#pragma once

#include "platform/app.hpp"

namespace backroom::purchasing {

void register_supplier_routes(App& app);

}  // namespace backroom::purchasing
