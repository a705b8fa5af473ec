// The label on a staged click-and-collect bag (issue 20, docs/orders.md): the order number,
// the customer's first name and the staging spot in big type, and the pickup code as a
// Code 128 symbol that the register's scanner reads into its Pickup box. Pure: the layout
// only; the route renders it with labels' cairo renderer on a 100 x 50 mm roll label.
#pragma once

#include <string>
#include <string_view>

#include "labels/layout.hpp"

namespace backroom::orders {

inline constexpr std::string_view staging_label_template = "roll-100x50";

// The first word of the customer's name ("Anna" of "Anna Berg"); "customer" when there is none.
std::string first_name(std::string_view name);

labels::LabelLayout staging_label_layout(std::string_view number, std::string_view customer_name,
                                         std::string_view spot, std::string_view pickup_code);

}  // namespace backroom::orders
