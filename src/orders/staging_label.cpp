#include "orders/staging_label.hpp"

#include <fmt/format.h>

namespace backroom::orders {

std::string first_name(std::string_view name) {
  auto start = name.find_first_not_of(" \t");
  if (start == std::string_view::npos) return "customer";
  auto end = name.find_first_of(" \t", start);
  return std::string(name.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

labels::LabelLayout staging_label_layout(std::string_view number, std::string_view customer_name,
                                         std::string_view spot, std::string_view pickup_code) {
  labels::LabelLayout l;
  l.width_mm = 100;
  l.height_mm = 50;
  l.texts.push_back(labels::TextBox{4, 3, 60, 7, true, labels::Align::left, std::string(number)});
  l.texts.push_back(labels::TextBox{64, 4, 32, 5, true, labels::Align::right, std::string(spot)});
  l.texts.push_back(labels::TextBox{4, 12, 92, 4.5, false, labels::Align::left,
                                    fmt::format("for {} - pickup code below", first_name(customer_name))});
  l.barcode = labels::BarcodeBox{8, 20, 84, 27, labels::BarcodeSpec{labels::Symbology::code128, std::string(pickup_code)}, true};
  return l;
}

}  // namespace backroom::orders
