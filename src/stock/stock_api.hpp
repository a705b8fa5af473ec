// HTTP routes of stock (docs/openapi.yaml, section "Stock").
#pragma once

#include "platform/app.hpp"
#include "stock/stock.hpp"

namespace backroom::stock {

void register_stock_routes(App& app);

}  // namespace backroom::stock
