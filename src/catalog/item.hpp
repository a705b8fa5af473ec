// The item master's record and its rules: what an item is (standard, variant parent,
// variant, kit), how SKUs are normalised, when two items look like duplicates, and the
// JSON shape integrators see. Pure: no database here (that is catalog_store).
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/vocabulary.hpp"
#include "platform/types.hpp"

namespace backroom::catalog {

inline constexpr std::size_t sku_length_max = 64;
inline constexpr std::size_t item_name_length_max = 200;
inline constexpr std::size_t item_description_length_max = 4000;
inline constexpr std::size_t barcodes_per_item_max = 32;
inline constexpr std::size_t kit_components_max = 50;
inline constexpr std::size_t price_tiers_max = 16;
inline constexpr std::size_t item_options_max = 8;
inline constexpr std::size_t item_attributes_bytes_max = 8 * 1024;
inline constexpr std::int64_t tax_category_rate_bp_max = 10'000;  // 100 %
inline constexpr std::size_t tax_category_name_length_max = 100;
inline constexpr std::size_t tax_categories_max = 32;

struct ItemBarcode {
  std::string code;  // as printed / scanned, e.g. "4006381333931"
  std::string key;   // normalised: GTIN-14, "E:<prefix><item code>", "T:<text>"
  Quantity pack_quantity = Quantity::units(1);
  std::string kind;  // "gtin", "embedded", "text"
};

struct KitComponent {
  std::string item_id;
  Quantity quantity = Quantity::units(1);
};

struct Item {
  std::string id;
  std::string sku;
  std::string name;
  std::string description;
  std::string category;
  std::string brand;
  Unit unit = Unit::each;
  bool sold_by_weight = false;
  std::optional<std::int64_t> cost;   // minor units
  std::optional<std::int64_t> price;  // retail, minor units; parents may have none
  std::map<std::string, std::int64_t> prices;  // further tiers: member, wholesale, ...
  // The category the item sells at. An item may have none (tax_category_inherited): it
  // then sells at the shop's default category, filled in here when the item is loaded.
  std::string tax_category = "standard";
  bool tax_category_inherited = false;
  Quantity case_pack = Quantity::units(1);
  ItemStatus status = ItemStatus::active;
  ItemKind kind = ItemKind::standard;
  std::optional<std::string> parent_id;
  boost::json::object options;      // parent: {"size": ["S","M"]}; variant: {"size": "M"}
  boost::json::object attributes;   // free-form shop attributes
  std::optional<KitConsumes> kit_consumes;  // kits only
  std::vector<KitComponent> components;
  std::vector<ItemBarcode> barcodes;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;

  bool sellable() const { return status == ItemStatus::active && kind != ItemKind::parent; }
};

// Uppercases and trims; nullopt when empty, too long, or containing characters other than
// A-Z 0-9 and - _ . /
std::optional<std::string> normalize_sku(std::string_view sku);

// The key two items share when they look like the same product: folded name plus the
// variant's option values in key order ("red t shirt|color=red|size=m").
std::string duplicate_key(const Item& item);

// Checks an item's own fields (not uniqueness, not references). Throws Problem 422 naming
// the field. `parent` is the variant's parent when kind is variant.
void validate_item(const Item& item, const Item* parent);

// The JSON integrators see (docs/openapi.yaml, schema Item).
boost::json::object item_to_json(const Item& item);

// Applies a JSON create (`base` default-constructed) or patch body to `item`; only fields
// present are changed. Barcodes given here replace the item's barcodes, with keys still
// unset (the command resolves them). Throws Problem 422 on a bad field.
void apply_item_json(const boost::json::object& body, Item& item, bool creating);

}  // namespace backroom::catalog
