// HTTP routes of sales, returns, exchanges, parked sales and register sessions
// (docs/openapi.yaml, sections "Sales" and "Registers").
#pragma once

#include "platform/app.hpp"

namespace backroom::sales {

void register_sales_routes(App& app);

}  // namespace backroom::sales
