// The order as the supplier gets it: a PDF page (or pages) and a CSV of its lines, drawn
// from the order's JSON (purchase_orders.hpp) and the shop's header. Pure: values in, file
// bytes out.
#pragma once

#include <boost/json.hpp>

#include <string>

namespace backroom::purchasing {

struct OrderSheet {
  boost::json::object order;  // load_order's document
  std::string shop_name, shop_address, shop_tax_number;
  std::string supplier_email, supplier_phone;
  int currency_decimals = 2;
};

// One row per line: order number, supplier SKU, our SKU, name, cases, case pack, quantity,
// unit cost, line total (money as decimals of the shop's currency); a last row with the total.
std::string render_order_csv(const OrderSheet& sheet);
// A4 portrait: shop header, supplier, order number and dates, the lines with supplier SKU,
// cases and costs, the total.
std::string render_order_pdf(const OrderSheet& sheet);

}  // namespace backroom::purchasing
