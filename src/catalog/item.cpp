#include "catalog/item.hpp"

#include <fmt/format.h>

#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/text.hpp"

namespace backroom::catalog {

namespace bj = boost::json;

namespace {

// "a, b, c": every word of a vocabulary, in table order.
template <class Enum, std::size_t N>
std::string listed(const Vocabulary<Enum, N>& vocabulary) {
  std::string out;
  for (const auto& w : vocabulary.words) out += (out.empty() ? "" : ", ") + std::string(w.text);
  return out;
}

bool valid_tier_name(std::string_view t) {
  if (t.empty() || t.size() > 32) return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

Problem require_kit_consumes_problem() {
  return invalid_field("kit.consumes", fmt::format("a kit says whether a sale consumes '{}' or '{}' kit stock",
                                                   word(KitConsumes::components), word(KitConsumes::assembled)));
}

}  // namespace

ItemKind require_item_kind(std::string_view text) {
  if (auto kind = item_kinds.parse(text)) return *kind;
  throw invalid_field("kind", fmt::format("kind '{}' is not one of {}", text, listed(item_kinds)));
}

ItemStatus require_item_status(std::string_view text) {
  if (auto status = item_statuses.parse(text)) return *status;
  throw invalid_field("status", fmt::format("status must be '{}' or '{}'", word(ItemStatus::active),
                                            word(ItemStatus::discontinued)));
}

Unit require_unit(std::string_view text) {
  if (auto unit = units.parse(text)) return *unit;
  throw invalid_field("unit", fmt::format("unit '{}' is not one of {}", text, listed(units)));
}

KitConsumes require_kit_consumes(std::string_view text) {
  if (auto consumes = kit_consumes_words.parse(text)) return *consumes;
  throw require_kit_consumes_problem();
}

std::optional<std::string> normalize_sku(std::string_view raw) {
  auto s = text::trim(raw);
  if (s.empty() || s.size() > sku_length_max) return std::nullopt;
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return std::nullopt;
    out.push_back(c);
  }
  return out;
}

std::string duplicate_key(const Item& item) {
  std::string key = text::fold(item.name);
  if (item.kind == ItemKind::variant) {
    std::map<std::string, std::string> sorted;
    for (const auto& o : item.options)
      sorted[text::fold(o.key())] = o.value().is_string() ? text::fold(o.value().get_string()) : "";
    for (const auto& [k, v] : sorted) key += "|" + k + "=" + v;
  }
  return key;
}

void validate_item(const Item& item, const Item* parent) {
  if (item.name.empty()) throw missing_field("name");
  if (item.sold_by_weight && item.unit != Unit::g && item.unit != Unit::kg)
    throw invalid_field("sold_by_weight", "an item sold by weight must have unit 'kg' or 'g'");
  if (item.case_pack.milli <= 0) throw invalid_field("case_pack", "case_pack must be greater than 0");
  if (item.kind != ItemKind::parent && !item.price)
    throw Problem(422, "missing_field", "field 'price' is required for a sellable item", "price");
  if (item.prices.size() > price_tiers_max)
    throw invalid_field("prices", fmt::format("at most {} price tiers", price_tiers_max));
  for (const auto& [tier, amount] : item.prices) {
    if (!valid_tier_name(tier))
      throw invalid_field("prices", fmt::format("price tier '{}' must be lowercase letters, digits or _", tier));
    if (tier == "retail") throw invalid_field("prices.retail", "the retail tier is the item's 'price'");
  }
  if (item.barcodes.size() > barcodes_per_item_max)
    throw invalid_field("barcodes", fmt::format("at most {} barcodes per item", barcodes_per_item_max));
  for (std::size_t i = 0; i < item.barcodes.size(); ++i)
    if (item.barcodes[i].pack_quantity.milli <= 0)
      throw invalid_field(fmt::format("barcodes[{}].pack_quantity", i), "pack_quantity must be greater than 0");
  if (item.kind == ItemKind::parent) {
    if (!item.barcodes.empty())
      throw invalid_field("barcodes", "a variant parent is not sellable and carries no barcodes; put them on its variants");
    if (item.options.empty() || item.options.size() > item_options_max)
      throw invalid_field("options", fmt::format("a parent names 1 to {} options, e.g. {{\"size\": [\"S\", \"M\"]}}", item_options_max));
    for (const auto& o : item.options)
      if (!o.value().is_array())
        throw invalid_field("options." + std::string(o.key()), "a parent's option lists its values, e.g. [\"S\", \"M\"]");
  }
  if (item.kind == ItemKind::variant) {
    if (!item.parent_id) throw Problem(422, "missing_field", "a variant needs 'parent_id'", "parent_id");
    if (!parent || parent->kind != ItemKind::parent)
      throw invalid_field("parent_id", fmt::format("'{}' is not a variant parent", *item.parent_id));
    if (item.options.size() != parent->options.size())
      throw invalid_field("options", "a variant gives one value for each of its parent's options");
    for (const auto& o : item.options) {
      auto it = parent->options.find(o.key());
      if (it == parent->options.end())
        throw invalid_field("options." + std::string(o.key()), fmt::format("the parent has no option '{}'", std::string(o.key())));
      if (!o.value().is_string())
        throw invalid_field("options." + std::string(o.key()), "a variant's option value is a string");
      const auto& allowed = it->value().as_array();
      bool listed = allowed.empty();
      for (const auto& a : allowed) listed = listed || (a.is_string() && a.get_string() == o.value().get_string());
      if (!listed)
        throw invalid_field("options." + std::string(o.key()),
                            fmt::format("'{}' is not a value the parent lists for '{}'", std::string(o.value().get_string()),
                                        std::string(o.key())));
    }
  } else if (item.parent_id) {
    throw invalid_field("parent_id", "only a variant has a parent");
  }
  if (item.kind == ItemKind::kit) {
    if (!item.kit_consumes) throw require_kit_consumes_problem();
    if (item.components.empty() || item.components.size() > kit_components_max)
      throw invalid_field("kit.components", fmt::format("a kit lists 1 to {} components", kit_components_max));
    for (std::size_t i = 0; i < item.components.size(); ++i) {
      if (item.components[i].quantity.milli <= 0)
        throw invalid_field(fmt::format("kit.components[{}].quantity", i), "component quantity must be greater than 0");
      for (std::size_t j = 0; j < i; ++j)
        if (item.components[j].item_id == item.components[i].item_id)
          throw invalid_field(fmt::format("kit.components[{}].item_id", i), "a component is listed twice");
      if (item.components[i].item_id == item.id && !item.id.empty())
        throw invalid_field(fmt::format("kit.components[{}].item_id", i), "a kit cannot contain itself");
    }
  } else if (!item.components.empty() || item.kit_consumes) {
    throw invalid_field("kit", "only an item of kind 'kit' has components");
  }
  if (bj::serialize(item.attributes).size() > item_attributes_bytes_max)
    throw invalid_field("attributes", fmt::format("attributes are larger than {} bytes", item_attributes_bytes_max));
}

bj::object item_to_json(const Item& item) {
  bj::object o;
  o["id"] = item.id;
  o["sku"] = item.sku;
  o["name"] = item.name;
  o["description"] = item.description;
  o["category"] = item.category;
  o["brand"] = item.brand;
  o["kind"] = word(item.kind);
  o["status"] = word(item.status);
  o["sellable"] = item.sellable();
  o["unit"] = word(item.unit);
  o["sold_by_weight"] = item.sold_by_weight;
  o["price"] = item.price ? bj::value(*item.price) : bj::value(nullptr);
  o["cost"] = item.cost ? bj::value(*item.cost) : bj::value(nullptr);
  bj::object prices;
  for (const auto& [tier, amount] : item.prices) prices[tier] = amount;
  o["prices"] = std::move(prices);
  o["tax_category"] = item.tax_category_inherited ? bj::value(nullptr) : bj::value(item.tax_category);
  o["effective_tax_category"] = item.tax_category.empty() ? bj::value(nullptr) : bj::value(item.tax_category);
  o["tax_category_source"] = item.tax_category_inherited ? "shop_default" : "item";
  o["case_pack"] = json::quantity_value(item.case_pack);
  o["parent_id"] = item.parent_id ? bj::value(*item.parent_id) : bj::value(nullptr);
  o["options"] = item.options;
  o["attributes"] = item.attributes;
  if (item.kind == ItemKind::kit) {
    bj::array components;
    for (const auto& c : item.components)
      components.push_back(bj::object{{"item_id", c.item_id}, {"quantity", json::quantity_value(c.quantity)}});
    o["kit"] = bj::object{{"consumes", word(item.kit_consumes.value_or(KitConsumes::components))}, {"components", std::move(components)}};
  }
  bj::array barcodes;
  for (const auto& b : item.barcodes)
    barcodes.push_back(bj::object{{"code", b.code}, {"pack_quantity", json::quantity_value(b.pack_quantity)}, {"kind", b.kind}});
  o["barcodes"] = std::move(barcodes);
  o["version"] = item.version;
  o["created_at"] = format_rfc3339(Timestamp{item.created_at});
  o["updated_at"] = format_rfc3339(Timestamp{item.updated_at});
  return o;
}

namespace {

std::vector<ItemBarcode> read_barcodes(const bj::array& list) {
  std::vector<ItemBarcode> out;
  if (list.size() > barcodes_per_item_max)
    throw invalid_field("barcodes", fmt::format("at most {} barcodes per item", barcodes_per_item_max));
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string path = fmt::format("barcodes[{}]", i);
    ItemBarcode b;
    if (list[i].is_string()) {
      b.code = std::string(list[i].get_string());
    } else if (list[i].is_object()) {
      json::Fields f{list[i].get_object(), path};
      f.only({"code", "pack_quantity", "kind"});
      auto code = f.opt_identifier("code", 200);
      if (!code) throw missing_field(f.name("code"));
      b.code = *code;
      if (auto q = f.opt_quantity("pack_quantity")) b.pack_quantity = *q;
    } else {
      throw invalid_field(path, fmt::format("'{}' must be a code string or an object with 'code'", path));
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

void apply_item_json(const bj::object& body, Item& item, bool creating) {
  json::Fields f{body, ""};
  f.only({"id", "sku", "name", "description", "category", "brand", "unit", "sold_by_weight", "cost", "price", "prices",
          "tax_category", "case_pack", "status", "kind", "parent_id", "options", "attributes", "kit", "barcodes",
          "version"});
  // Words (kind, unit, status, kit.consumes) are read as text where they stand and looked
  // up at the end, so a type error in a later field is still answered first.
  std::optional<std::string> kind, unit, status, kit_consumes;
  if (creating) {
    auto sku = f.opt_identifier("sku", 200);
    if (!sku) throw missing_field("sku");
    auto normalized = normalize_sku(*sku);
    if (!normalized)
      throw invalid_field("sku", fmt::format("sku must be 1 to {} characters of A-Z, 0-9, - _ . /", sku_length_max));
    item.sku = *normalized;
    kind = f.opt_text("kind", 20);
    if (auto parent = f.opt_identifier("parent_id", 64)) item.parent_id = *parent;
  } else {
    for (auto key : {"sku", "kind", "parent_id", "id"})
      if (f.has(key))
        throw invalid_field(key, fmt::format("'{}' cannot be changed once the item exists", key));
  }
  if (auto v = f.opt_text("name", item_name_length_max)) {
    item.name = std::string(text::trim(*v));
    if (item.name.empty()) throw invalid_field("name", "name must not be blank");
  }
  if (auto v = f.opt_text("description", item_description_length_max)) item.description = *v;
  if (auto v = f.opt_text("category", 100)) item.category = std::string(text::trim(*v));
  if (auto v = f.opt_text("brand", 100)) item.brand = std::string(text::trim(*v));
  unit = f.opt_text("unit", 10);
  if (auto v = f.opt_boolean("sold_by_weight")) item.sold_by_weight = *v;
  if (body.contains("cost")) item.cost = f.opt_money("cost");
  if (body.contains("price")) item.price = f.opt_money("price");
  if (auto prices = f.opt_object("prices")) {
    item.prices.clear();
    json::Fields pf{*prices, "prices"};
    for (const auto& p : *prices) {
      if (p.value().is_null()) continue;
      item.prices[std::string(p.key())] = pf.money(p.key());
    }
  }
  if (body.contains("tax_category")) {
    // null or "" = no category of its own: the item sells at the shop's default.
    auto v = f.opt_text("tax_category", 40);
    item.tax_category_inherited = !v || v->empty();
    item.tax_category = item.tax_category_inherited ? "" : *v;
  }
  if (auto v = f.opt_quantity("case_pack")) item.case_pack = *v;
  status = f.opt_text("status", 20);
  if (auto options = f.opt_object("options")) {
    for (const auto& o : *options) json::check_free_text("options." + std::string(o.key()), o.key());
    item.options = *options;
  }
  if (auto attributes = f.opt_object("attributes")) {
    json::check_free_text("attributes", bj::serialize(*attributes));
    item.attributes = *attributes;
  }
  if (auto kit = f.opt_object("kit")) {
    json::Fields kf{*kit, "kit"};
    kf.only({"consumes", "components"});
    if (auto consumes = kf.opt_text("consumes", 20)) kit_consumes = *consumes;
    else if (!item.kit_consumes) item.kit_consumes = KitConsumes::components;
    if (auto components = kf.opt_array("components")) {
      item.components.clear();
      if (components->size() > kit_components_max)
        throw invalid_field("kit.components", fmt::format("a kit lists at most {} components", kit_components_max));
      for (std::size_t i = 0; i < components->size(); ++i) {
        std::string path = fmt::format("kit.components[{}]", i);
        if (!(*components)[i].is_object()) throw invalid_field(path, "a component is an object with item_id and quantity");
        json::Fields cf{(*components)[i].get_object(), path};
        cf.only({"item_id", "quantity"});
        auto id = cf.opt_identifier("item_id", 64);
        if (!id) throw missing_field(cf.name("item_id"));
        item.components.push_back(KitComponent{*id, cf.opt_quantity("quantity").value_or(Quantity::units(1))});
      }
    }
  }
  if (auto barcodes = f.opt_array("barcodes")) item.barcodes = read_barcodes(*barcodes);
  // The words last, in the order validate_item checked them when they were strings.
  if (unit) item.unit = require_unit(*unit);
  if (kind) item.kind = require_item_kind(*kind);
  if (status) item.status = require_item_status(*status);
  if (kit_consumes) item.kit_consumes = require_kit_consumes(*kit_consumes);
}

}  // namespace backroom::catalog
