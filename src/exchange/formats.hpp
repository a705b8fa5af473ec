// The files shop owners already have (docs/formats.md): Shopify's product CSV and Square's
// item library export, read into one neutral shape (products with variants) and written
// back from it. Pure: no database; exchange.cpp maps products onto the catalog and stock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/types.hpp"

namespace backroom::exchange {

inline constexpr std::size_t exchange_rows_max = 200'000;
inline constexpr std::size_t exchange_errors_max = 1000;
inline constexpr std::size_t product_options_max = 3;  // Shopify's Option1..Option3

enum class Format { shopify, square };
std::optional<Format> parse_format(std::string_view text);  // "shopify" | "square"
std::string_view format_name(Format f);

struct RowError {
  std::size_t line = 0;  // physical line of the file, 1 = the header
  std::string column;    // the file's column name, empty for the whole row
  std::string code;
  std::string message;
};

struct Variant {
  std::size_t line = 0;
  std::vector<std::string> option_values;  // one per Product::option_names
  std::string sku;                          // as written (the catalog normalises it)
  std::string barcode;                      // digits of a GTIN with a valid check digit
  std::optional<std::int64_t> price;        // minor units
  std::optional<std::int64_t> cost;         // minor units
  std::string taxable;                      // Shopify "Variant Taxable" as written
  // Stock per location name ("" = the file's only location, Shopify).
  std::vector<std::pair<std::string, Quantity>> quantities;
};

struct Product {
  std::size_t line = 0;
  std::string handle;  // Shopify's handle; for Square the item name's slug
  std::string title;
  std::string description;
  std::string vendor;
  std::string category;
  std::vector<std::string> option_names;  // empty: a product without options (one variant)
  std::vector<Variant> variants;
};

struct Parsed {
  std::vector<Product> products;
  std::vector<RowError> errors;        // at most exchange_errors_max
  std::vector<std::string> locations;  // location names the file's quantity columns name
  std::size_t rows = 0;
};

// A barcode as a GTIN: 8, 12, 13 or 14 digits with a valid GS1 check digit (UPC-A, EAN-13
// ...); the result is the code as written, digits only. nullopt with `error` set otherwise.
std::optional<std::string> gtin_of(std::string_view text, std::string& error);

// "Classic Tee!" -> "classic-tee": lowercase letters, digits and single dashes.
std::string slug(std::string_view text);

// Reads the whole file; every bad row is reported, none is skipped silently. `decimals`
// is the shop currency's.
Parsed parse_shopify(std::string_view csv, int decimals);
Parsed parse_square(std::string_view csv, int decimals);
Parsed parse(Format format, std::string_view csv, int decimals);

// Writes the published column sets. Shopify: one location, "Variant Inventory Qty" from the
// quantities named "". Square: a Current/New Quantity pair per name in `locations`.
std::string write_shopify(const std::vector<Product>& products, int decimals);
std::string write_square(const std::vector<Product>& products, const std::vector<std::string>& locations,
                         int decimals);

// The columns each writer puts in its header.
std::vector<std::string> shopify_columns();
std::vector<std::string> square_columns(const std::vector<std::string>& locations);

}  // namespace backroom::exchange
