// HTTP routes of click-and-collect (online orders, the pick queue, pickup, their settings)
// and of the availability feed a web shop polls.
#pragma once

#include <boost/json.hpp>

#include "orders/order.hpp"
#include "platform/app.hpp"

namespace backroom::orders {

void register_order_routes(App& app);
void register_availability_routes(App& app);
// Inbound order webhooks from Shopify and WooCommerce, and their settings.
void register_channel_routes(App& app);
// An order's body as POST /api/v1/online-orders takes it (422 naming the field at fault).
OrderInput parse_order(const http::Request& req, const boost::json::object& body);

}  // namespace backroom::orders
