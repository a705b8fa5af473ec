// HTTP routes of customers (docs/openapi.yaml, tag customers): the list and look-up at the
// till (customers.read: names, numbers, contact data masked), contact data in the clear
// (customers.contact_read), create, change and import (customers.manage), and the shop's
// default calling code that national phone numbers take (settings.write).
#pragma once

#include "platform/app.hpp"

namespace backroom::customers {

void register_customer_routes(App& app);

}  // namespace backroom::customers
