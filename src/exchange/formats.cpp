#include "exchange/formats.hpp"

#include <fmt/format.h>

#include <map>

#include "catalog/barcode.hpp"
#include "platform/csv.hpp"
#include "platform/money.hpp"
#include "platform/text.hpp"

namespace backroom::exchange {

namespace {

using Header = platform::CsvHeader;

struct Row {
  const Header& header;
  const platform::CsvRow& csv;
  std::string_view get(const std::string& name) const {
    auto i = header.index(name);
    if (!i || *i >= csv.fields.size()) return {};
    return text::trim(csv.fields[*i]);
  }
};

class Collector {
 public:
  explicit Collector(Parsed& out) : out_(out) {}
  void add(std::size_t line, std::string column, std::string code, std::string message) {
    if (out_.errors.size() < exchange_errors_max)
      out_.errors.push_back({line, std::move(column), std::move(code), std::move(message)});
  }

 private:
  Parsed& out_;
};

// Reads the header; nullopt (with the problem reported) when the file has none.
std::optional<Header> read_header(platform::CsvReader& reader, Collector& errors) {
  std::vector<platform::CsvHeaderProblem> problems;
  auto header = platform::read_csv_header(reader, platform::CsvHeaderNames::as_written, problems,
                                          "its first line names the columns");
  for (auto& p : problems) errors.add(p.line, p.column, p.code, p.reason);
  return header;
}

bool require_columns(const Header& header, std::initializer_list<const char*> names, Collector& errors) {
  bool ok = true;
  for (const char* name : names)
    if (!header.has(name)) {
      errors.add(header.line, name, "missing_column", fmt::format("the header has no '{}' column", name));
      ok = false;
    }
  return ok;
}

std::optional<std::int64_t> money_cell(const Row& row, const std::string& column, int decimals, Collector& errors) {
  auto text = row.get(column);
  if (text.empty()) return std::nullopt;
  auto minor = parse_money(text, decimals);
  if (!minor)
    errors.add(row.csv.line, column, "invalid_price",
               fmt::format("'{}' is not an amount with at most {} decimals", std::string(text.substr(0, 40)), decimals));
  return minor;
}

std::optional<Quantity> quantity_cell(const Row& row, const std::string& column, Collector& errors) {
  auto text = row.get(column);
  if (text.empty()) return std::nullopt;
  auto q = parse_quantity(text);
  if (!q) errors.add(row.csv.line, column, "invalid_quantity", fmt::format("'{}' is not a quantity", std::string(text.substr(0, 40))));
  return q;
}

void barcode_cell(const Row& row, const std::string& column, Variant& v, Collector& errors) {
  auto text = row.get(column);
  if (!text.empty() && text.front() == '\'') text.remove_prefix(1);  // spreadsheets' "keep the zeros" mark
  if (text.empty()) return;
  std::string error;
  if (auto gtin = gtin_of(text, error))
    v.barcode = *gtin;
  else
    errors.add(row.csv.line, column, error, fmt::format("'{}' is not a GTIN: {}", std::string(text.substr(0, 40)),
                                                        error == "bad_check_digit" ? "its check digit is wrong"
                                                                                   : "a GTIN has 8, 12, 13 or 14 digits"));
}

// A variant without a SKU gets one from its product's handle and option values.
std::string derived_sku(const Product& p, const Variant& v) {
  std::string sku = p.handle;
  for (const auto& value : v.option_values) sku += "-" + slug(value);
  for (char& c : sku) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return sku;
}

std::string yes_no(bool b) { return b ? "TRUE" : "FALSE"; }

}  // namespace

std::optional<Format> parse_format(std::string_view text) {
  if (text == "shopify") return Format::shopify;
  if (text == "square") return Format::square;
  return std::nullopt;
}

std::string_view format_name(Format f) { return f == Format::shopify ? "shopify" : "square"; }

std::optional<std::string> gtin_of(std::string_view text, std::string& error) {
  std::string digits(text::trim(text));
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
      (digits.size() != 8 && digits.size() != 12 && digits.size() != 13 && digits.size() != 14)) {
    error = "invalid_barcode";
    return std::nullopt;
  }
  if (!catalog::gs1_check_digit_valid(digits)) {
    error = "bad_check_digit";
    return std::nullopt;
  }
  return digits;
}

std::string slug(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) && c < 0x80)
      out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::vector<std::string> shopify_columns() {
  return {"Handle",          "Title",           "Body (HTML)",     "Vendor",
          "Product Category", "Type",           "Tags",            "Published",
          "Option1 Name",    "Option1 Value",   "Option2 Name",    "Option2 Value",
          "Option3 Name",    "Option3 Value",   "Variant SKU",     "Variant Grams",
          "Variant Inventory Tracker", "Variant Inventory Qty", "Variant Inventory Policy",
          "Variant Fulfillment Service", "Variant Price", "Variant Compare At Price",
          "Variant Requires Shipping", "Variant Taxable", "Variant Barcode", "Image Src",
          "Image Position",  "Image Alt Text",  "Gift Card",       "SEO Title",
          "SEO Description", "Variant Image",   "Variant Weight Unit", "Variant Tax Code",
          "Cost per item",   "Status"};
}

std::vector<std::string> square_columns(const std::vector<std::string>& locations) {
  std::vector<std::string> out{"Token",         "Item Name",     "Variation Name", "SKU",
                               "Description",   "Category",      "GTIN",           "Price",
                               "Default Unit Cost", "Default Vendor Name", "Option Name 1", "Option Value 1", "Option Name 2",
                               "Option Value 2", "Option Name 3", "Option Value 3"};
  for (const auto& l : locations) {
    out.push_back(fmt::format("Current Quantity [{}]", l));
    out.push_back(fmt::format("New Quantity [{}]", l));
    out.push_back(fmt::format("Stock Alert Enabled [{}]", l));
    out.push_back(fmt::format("Stock Alert Count [{}]", l));
  }
  return out;
}

Parsed parse_shopify(std::string_view csv, int decimals) {
  Parsed out;
  Collector errors(out);
  platform::CsvReader reader(csv);
  auto read = read_header(reader, errors);
  if (!read) return out;
  const Header& header = *read;
  if (!require_columns(header, {"Handle", "Title"}, errors)) return out;
  platform::CsvRow csv_row;
  std::map<std::string, std::size_t> product_at;  // handle -> index in out.products
  while (reader.next(csv_row)) {
    if (++out.rows > exchange_rows_max) {
      errors.add(csv_row.line, "", "too_many_rows", fmt::format("a file holds at most {} rows", exchange_rows_max));
      return out;
    }
    Row row{header, csv_row};
    std::string handle(row.get("Handle"));
    if (handle.empty()) {
      errors.add(csv_row.line, "Handle", "missing_handle", "every row names its product's Handle");
      continue;
    }
    auto found = product_at.find(handle);
    if (found == product_at.end()) {
      Product p;
      p.line = csv_row.line;
      p.handle = handle;
      p.title = std::string(row.get("Title"));
      if (p.title.empty()) errors.add(csv_row.line, "Title", "missing_title", "a product's first row has its Title");
      p.description = std::string(row.get("Body (HTML)"));
      p.vendor = std::string(row.get("Vendor"));
      p.category = std::string(row.get("Type"));
      for (std::size_t n = 1; n <= product_options_max; ++n) {
        std::string name(row.get(fmt::format("Option{} Name", n)));
        if (name.empty()) break;
        p.option_names.push_back(name);
      }
      if (p.option_names.size() == 1 && p.option_names[0] == "Title" && row.get("Option1 Value") == "Default Title")
        p.option_names.clear();
      found = product_at.emplace(handle, out.products.size()).first;
      out.products.push_back(std::move(p));
    }
    Product& p = out.products[found->second];
    bool has_variant = !row.get("Variant SKU").empty() || !row.get("Option1 Value").empty() ||
                       !row.get("Variant Price").empty() || !row.get("Variant Barcode").empty();
    if (!has_variant) continue;  // an image-only continuation row
    Variant v;
    v.line = csv_row.line;
    for (std::size_t n = 1; n <= p.option_names.size(); ++n) {
      std::string column = fmt::format("Option{} Value", n);
      std::string value(row.get(column));
      if (value.empty())
        errors.add(csv_row.line, column, "missing_option_value",
                   fmt::format("the product's option '{}' needs a value on every variant", p.option_names[n - 1]));
      v.option_values.push_back(value);
    }
    v.sku = std::string(row.get("Variant SKU"));
    if (v.sku.empty()) v.sku = derived_sku(p, v);
    v.price = money_cell(row, "Variant Price", decimals, errors);
    v.cost = money_cell(row, "Cost per item", decimals, errors);
    v.taxable = std::string(row.get("Variant Taxable"));
    barcode_cell(row, "Variant Barcode", v, errors);
    if (auto q = quantity_cell(row, "Variant Inventory Qty", errors)) v.quantities.emplace_back("", *q);
    for (const auto& other : p.variants)
      if (!p.option_names.empty() && other.option_values == v.option_values)
        errors.add(csv_row.line, "Option1 Value", "duplicate_variant",
                   fmt::format("line {} has the same option values", other.line));
    p.variants.push_back(std::move(v));
  }
  if (reader.error()) errors.add(reader.error()->line, "", "malformed_csv", reader.error()->reason);
  for (const auto& p : out.products)
    if (p.variants.empty()) errors.add(p.line, "Variant SKU", "no_variant", fmt::format("product {} has no variant row", p.handle));
  return out;
}

Parsed parse_square(std::string_view csv, int decimals) {
  Parsed out;
  Collector errors(out);
  platform::CsvReader reader(csv);
  auto read = read_header(reader, errors);
  if (!read) return out;
  const Header& header = *read;
  if (!require_columns(header, {"Item Name", "Variation Name", "SKU", "Price"}, errors)) return out;
  const std::string current = "Current Quantity [", fresh = "New Quantity [";
  for (const auto& name : header.names)
    if (name.starts_with(current) && name.ends_with("]"))
      out.locations.push_back(name.substr(current.size(), name.size() - current.size() - 1));
  platform::CsvRow csv_row;
  std::map<std::string, std::size_t> product_at;  // item name -> index
  std::vector<std::string> variation_names;       // per variant, in file order, for products without options
  while (reader.next(csv_row)) {
    if (++out.rows > exchange_rows_max) {
      errors.add(csv_row.line, "", "too_many_rows", fmt::format("a file holds at most {} rows", exchange_rows_max));
      return out;
    }
    Row row{header, csv_row};
    std::string name(row.get("Item Name"));
    if (name.empty()) {
      errors.add(csv_row.line, "Item Name", "missing_item_name", "every row names its item");
      continue;
    }
    auto found = product_at.find(name);
    if (found == product_at.end()) {
      Product p;
      p.line = csv_row.line;
      p.title = name;
      p.handle = slug(name);
      p.description = std::string(row.get("Description"));
      p.category = std::string(row.get("Category"));
      p.vendor = std::string(row.get("Default Vendor Name"));
      for (std::size_t n = 1; n <= product_options_max; ++n) {
        std::string option(row.get(fmt::format("Option Name {}", n)));
        if (option.empty()) break;
        p.option_names.push_back(option);
      }
      found = product_at.emplace(name, out.products.size()).first;
      out.products.push_back(std::move(p));
    }
    Product& p = out.products[found->second];
    Variant v;
    v.line = csv_row.line;
    for (std::size_t n = 1; n <= p.option_names.size(); ++n)
      v.option_values.emplace_back(row.get(fmt::format("Option Value {}", n)));
    if (p.option_names.empty()) v.option_values.emplace_back(row.get("Variation Name"));  // settled below
    v.sku = std::string(row.get("SKU"));
    v.price = money_cell(row, "Price", decimals, errors);
    v.cost = money_cell(row, "Default Unit Cost", decimals, errors);
    barcode_cell(row, "GTIN", v, errors);
    for (const auto& location : out.locations) {
      auto set = quantity_cell(row, fresh + location + "]", errors);
      auto now = quantity_cell(row, current + location + "]", errors);
      if (set)
        v.quantities.emplace_back(location, *set);
      else if (now)
        v.quantities.emplace_back(location, *now);
    }
    p.variants.push_back(std::move(v));
  }
  if (reader.error()) errors.add(reader.error()->line, "", "malformed_csv", reader.error()->reason);
  // An item of one "Regular" variation has no options; several variations vary by "Variation".
  for (auto& p : out.products) {
    if (!p.option_names.empty()) continue;
    bool single = p.variants.size() == 1 &&
                  (p.variants[0].option_values[0].empty() || p.variants[0].option_values[0] == "Regular");
    if (single)
      p.variants[0].option_values.clear();
    else
      p.option_names.push_back("Variation");
    for (auto& v : p.variants) {
      if (!single && v.option_values[0].empty())
        errors.add(v.line, "Variation Name", "missing_option_value", "each variation of an item has its name");
    }
  }
  for (auto& p : out.products)
    for (auto& v : p.variants)
      if (v.sku.empty()) v.sku = derived_sku(p, v);
  return out;
}

Parsed parse(Format format, std::string_view csv, int decimals) {
  return format == Format::shopify ? parse_shopify(csv, decimals) : parse_square(csv, decimals);
}

std::string write_shopify(const std::vector<Product>& products, int decimals) {
  auto columns = shopify_columns();
  std::string out = platform::csv_line(columns);
  auto money = [&](const std::optional<std::int64_t>& m) { return m ? format_money(*m, decimals) : std::string(); };
  for (const auto& p : products) {
    bool first = true;
    for (const auto& v : p.variants) {
      std::map<std::string, std::string> cell;
      cell["Handle"] = p.handle;
      if (first) {
        cell["Title"] = p.title;
        cell["Body (HTML)"] = p.description;
        cell["Vendor"] = p.vendor;
        cell["Type"] = p.category;
        cell["Published"] = "TRUE";
        cell["Status"] = "active";
        cell["Gift Card"] = "FALSE";
        if (p.option_names.empty()) {
          cell["Option1 Name"] = "Title";
        } else {
          for (std::size_t n = 0; n < p.option_names.size(); ++n) cell[fmt::format("Option{} Name", n + 1)] = p.option_names[n];
        }
      }
      if (p.option_names.empty()) cell["Option1 Value"] = "Default Title";
      for (std::size_t n = 0; n < v.option_values.size(); ++n) cell[fmt::format("Option{} Value", n + 1)] = v.option_values[n];
      cell["Variant SKU"] = v.sku;
      cell["Variant Grams"] = "0";
      cell["Variant Inventory Tracker"] = "shopify";
      for (const auto& [location, q] : v.quantities)
        if (location.empty()) cell["Variant Inventory Qty"] = format_quantity(q);
      cell["Variant Inventory Policy"] = "deny";
      cell["Variant Fulfillment Service"] = "manual";
      cell["Variant Price"] = money(v.price);
      cell["Variant Requires Shipping"] = "TRUE";
      cell["Variant Taxable"] = v.taxable.empty() ? yes_no(true) : v.taxable;
      cell["Variant Barcode"] = v.barcode;
      cell["Variant Weight Unit"] = "kg";
      cell["Cost per item"] = money(v.cost);
      std::vector<std::string> fields;
      fields.reserve(columns.size());
      for (const auto& c : columns) fields.push_back(platform::csv_export_safe(cell[c]));
      out += platform::csv_line(fields);
      first = false;
    }
  }
  return out;
}

std::string write_square(const std::vector<Product>& products, const std::vector<std::string>& locations,
                         int decimals) {
  auto columns = square_columns(locations);
  std::string out = platform::csv_line(columns);
  auto money = [&](const std::optional<std::int64_t>& m) { return m ? format_money(*m, decimals) : std::string(); };
  for (const auto& p : products) {
    for (const auto& v : p.variants) {
      std::map<std::string, std::string> cell;
      cell["Item Name"] = p.title;
      std::string variation;
      for (const auto& value : v.option_values) variation += (variation.empty() ? "" : " / ") + value;
      cell["Variation Name"] = variation.empty() ? "Regular" : variation;
      cell["SKU"] = v.sku;
      cell["Description"] = p.description;
      cell["Category"] = p.category;
      cell["GTIN"] = v.barcode;
      cell["Price"] = money(v.price);
      cell["Default Unit Cost"] = money(v.cost);
      cell["Default Vendor Name"] = p.vendor;
      for (std::size_t n = 0; n < p.option_names.size(); ++n) {
        cell[fmt::format("Option Name {}", n + 1)] = p.option_names[n];
        cell[fmt::format("Option Value {}", n + 1)] = v.option_values[n];
      }
      for (const auto& [location, q] : v.quantities) cell[fmt::format("Current Quantity [{}]", location)] = format_quantity(q);
      for (const auto& location : locations) cell[fmt::format("Stock Alert Enabled [{}]", location)] = "N";
      std::vector<std::string> fields;
      fields.reserve(columns.size());
      for (const auto& c : columns) fields.push_back(platform::csv_export_safe(cell[c]));
      out += platform::csv_line(fields);
    }
  }
  return out;
}

}  // namespace backroom::exchange
