#include "exchange/exchange.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "access/permissions.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "integrations/mappings.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "stock/stock.hpp"

namespace backroom::exchange {

namespace bj = boost::json;
using catalog::Item;
using catalog::ItemKind;

namespace {

constexpr const char* location_map = "location";
constexpr const char* tax_map = "tax_category";
constexpr const char* default_location_key = "default";  // Shopify's one location

// The file's column a catalog problem's field belongs to.
std::string column_of(Format f, const std::string& field) {
  bool shopify = f == Format::shopify;
  if (field.starts_with("barcodes")) return shopify ? "Variant Barcode" : "GTIN";
  if (field == "sku") return shopify ? "Variant SKU" : "SKU";
  if (field == "price" || field.starts_with("prices")) return shopify ? "Variant Price" : "Price";
  if (field == "cost") return shopify ? "Cost per item" : "Default Unit Cost";
  if (field == "name") return shopify ? "Title" : "Item Name";
  if (field == "description") return shopify ? "Body (HTML)" : "Description";
  if (field == "category") return shopify ? "Type" : "Category";
  if (field.starts_with("options")) return shopify ? "Option1 Value" : "Variation Name";
  return field;
}

std::string joined(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : std::string(separator)) + v;
  return out;
}

// Where the file's location names put stock: the mapping first, then a location of that
// name; Shopify's one location is the mapping's "default", else the first store.
std::optional<std::string> resolve_location(db::Db& db, const std::optional<integrations::Mapping>& mapping,
                                            const std::string& name) {
  std::string key = name.empty() ? default_location_key : name;
  if (mapping)
    if (auto id = mapping->value(location_map, key)) {
      if (stock::load_location(db, *id)) return *id;
      return std::nullopt;
    }
  if (name.empty()) {
    for (const auto& l : stock::list_locations(db))
      if (l.kind == "store") return l.id;
    return std::nullopt;
  }
  if (auto l = stock::location_by_name(db, name)) return l->id;
  return std::nullopt;
}

// The items one product becomes: a standard item, or a parent and its variants.
std::vector<std::pair<Item, const Variant*>> items_of(const Product& p, const std::optional<integrations::Mapping>& mapping) {
  std::vector<std::pair<Item, const Variant*>> out;
  auto base = [&](Item& it) {
    it.tax_category.clear();
    it.tax_category_inherited = true;
    it.description = p.description;
    it.brand = p.vendor;
    it.category = p.category;
  };
  auto priced = [&](Item& it, const Variant& v) {
    it.sku = v.sku;
    it.price = v.price;
    it.cost = v.cost;
    if (!v.barcode.empty()) it.barcodes.push_back(catalog::ItemBarcode{v.barcode, "", Quantity::units(1), ""});
    // Unmapped, an item sells at the shop's default category.
    it.tax_category.clear();
    it.tax_category_inherited = true;
    if (mapping && !v.taxable.empty())
      if (auto category = mapping->value(tax_map, v.taxable)) {
        it.tax_category = *category;
        it.tax_category_inherited = false;
      }
  };
  if (p.option_names.empty()) {
    Item it;
    base(it);
    it.name = p.title;
    priced(it, p.variants.front());
    out.emplace_back(std::move(it), &p.variants.front());
    return out;
  }
  Item parent;
  base(parent);
  parent.kind = ItemKind::parent;
  parent.name = p.title;
  std::string sku = p.handle;
  for (char& c : sku) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  parent.sku = sku;
  for (std::size_t n = 0; n < p.option_names.size(); ++n) {
    bj::array values;
    std::set<std::string> seen;
    for (const auto& v : p.variants)
      if (n < v.option_values.size() && seen.insert(v.option_values[n]).second) values.push_back(bj::string(v.option_values[n]));
    parent.options[p.option_names[n]] = std::move(values);
  }
  out.emplace_back(std::move(parent), nullptr);
  for (const auto& v : p.variants) {
    Item it;
    base(it);
    it.kind = ItemKind::variant;
    it.name = p.title + " - " + joined(v.option_values, " / ");
    for (std::size_t n = 0; n < p.option_names.size() && n < v.option_values.size(); ++n)
      it.options[p.option_names[n]] = v.option_values[n];
    priced(it, v);
    out.emplace_back(std::move(it), &v);
  }
  return out;
}

bool same_item(const Item& a, const Item& b) {
  return bj::serialize(catalog::item_to_json(a)) == bj::serialize(catalog::item_to_json(b));
}

}  // namespace

ImportReport import_file(db::Db& db, const Actor& actor, Format format, std::string_view csv, bool dry_run) {
  ImportReport report;
  report.format = format;
  report.dry_run = dry_run;
  const int decimals = settings::currency_decimals(db);
  auto mapping = integrations::latest_mapping(db, std::string(format_name(format)));
  if (mapping) {
    report.mapping_name = mapping->name;
    report.mapping_version = mapping->version;
  }
  auto parsed = parse(format, csv, decimals);
  report.rows = parsed.rows;
  report.products = parsed.products.size();
  report.errors = std::move(parsed.errors);
  auto add_error = [&report](RowError e) {
    if (report.errors.size() < exchange_errors_max) report.errors.push_back(std::move(e));
  };

  // Locations before any row is written: a name nobody mapped stops the file.
  std::map<std::string, std::string> location_ids;  // file's name -> location id
  bool has_quantities = false;
  for (const auto& p : parsed.products)
    for (const auto& v : p.variants)
      for (const auto& [name, q] : v.quantities) {
        has_quantities = true;
        if (location_ids.count(name)) continue;
        if (auto id = resolve_location(db, mapping, name))
          location_ids[name] = *id;
        else {
          location_ids[name] = "";
          add_error({v.line, name.empty() ? "Variant Inventory Qty" : fmt::format("Current Quantity [{}]", name),
                     "unknown_location",
                     fmt::format("no location '{}': map it in PUT /api/v1/mappings/{} values.location",
                                 name.empty() ? default_location_key : name, format_name(format))});
        }
      }
  if (has_quantities && !actor.can(permission::stock_adjust)) {
    Problem p(403, "forbidden",
              fmt::format("the file carries stock quantities: importing them needs the permission '{}'",
                          permission::stock_adjust));
    p.extra_json = bj::serialize(bj::object{{"permission", permission::stock_adjust}});
    throw p;
  }
  if (!report.errors.empty()) return report;

  db.exec("SAVEPOINT exchange_import");
  try {
    for (const auto& p : parsed.products) {
      if (p.option_names.empty() && p.variants.size() > 1) {
        add_error({p.variants[1].line, "Option1 Name", "missing_option",
                   "a product with several variants names its options (Option1 Name)"});
        continue;
      }
      std::string parent_id;
      for (auto& [item, variant] : items_of(p, mapping)) {
        std::size_t line = variant ? variant->line : p.line;
        db.exec("SAVEPOINT exchange_row");
        try {
          if (item.kind == ItemKind::variant) item.parent_id = parent_id;
          std::string id;
          if (auto existing = catalog::store::item_id_by_sku(db, catalog::normalize_sku(item.sku).value_or(item.sku))) {
            auto before = catalog::store::load_item(db, *existing);
            Item after = item;
            after.id = before->id;
            after.sku = before->sku;
            after.kind = before->kind;
            after.created_at = before->created_at;
            after.version = before->version;
            after.updated_at = before->updated_at;
            after.attributes = before->attributes;
            after.prices = before->prices;
            if (!variant || variant->cost == std::nullopt) after.cost = before->cost;
            catalog::resolve_barcodes(db, after, catalog::store::load_layouts(db));
            bool tax_mapped = mapping && variant && !variant->taxable.empty() && mapping->value(tax_map, variant->taxable);
            if (!tax_mapped) {
              after.tax_category = before->tax_category;
              after.tax_category_inherited = before->tax_category_inherited;
            }
            if (same_item(*before, after)) {
              ++report.unchanged;
            } else {
              catalog::check_locked_fields(actor, *before, after);
              catalog::replace_item(db, actor, *before, after);
              ++report.updated;
            }
            id = before->id;
          } else {
            id = catalog::create_item(db, actor, item).item.id;
            ++report.created;
          }
          if (item.kind == ItemKind::parent) parent_id = id;
          if (variant)
            for (const auto& [name, target] : variant->quantities) {
              const auto& location = location_ids.at(name);
              auto delta = target - stock::balance(db, id, location).on_hand;
              if (delta.milli == 0) continue;
              stock::AdjustmentInput in{stock::DocumentKey{std::nullopt, std::nullopt, "import"},
                                        id,
                                        location,
                                        delta,
                                        stock::AdjustmentReason::opening,
                                        fmt::format("{} import, line {}", format_name(format), line),
                                        false,
                                        false,
                                        std::nullopt};
              stock::create_adjustment(db, actor, in);
              ++report.stock_movements;
            }
          db.exec("RELEASE SAVEPOINT exchange_row");
        } catch (const Problem& e) {
          db.exec("ROLLBACK TO SAVEPOINT exchange_row");
          db.exec("RELEASE SAVEPOINT exchange_row");
          add_error({line, column_of(format, e.field), e.code, e.detail});
          if (item.kind == ItemKind::parent) break;  // its variants cannot follow
        }
      }
    }
  } catch (...) {
    db.exec("ROLLBACK TO SAVEPOINT exchange_import");
    db.exec("RELEASE SAVEPOINT exchange_import");
    throw;
  }
  if (!report.errors.empty() || dry_run) {
    db.exec("ROLLBACK TO SAVEPOINT exchange_import");
  } else {
    report.applied = true;
  }
  db.exec("RELEASE SAVEPOINT exchange_import");
  return report;
}

std::string export_file(db::Db& db, Format format) {
  const int decimals = settings::currency_decimals(db);
  auto mapping = integrations::latest_mapping(db, std::string(format_name(format)));
  // Locations: Shopify has one (""), Square a column pair per mapped or store location.
  std::vector<std::pair<std::string, std::string>> locations;  // file name -> id
  if (format == Format::shopify) {
    if (auto id = resolve_location(db, mapping, "")) locations.emplace_back("", *id);
  } else {
    std::set<std::string> ids;
    if (mapping)
      if (auto it = mapping->values.find(location_map); it != mapping->values.end())
        for (const auto& [name, id] : it->second)
          if (name != default_location_key && stock::load_location(db, id) && ids.insert(id).second)
            locations.emplace_back(name, id);
    for (const auto& l : stock::list_locations(db))
      if (l.kind == "store" && ids.insert(l.id).second) locations.emplace_back(l.name, l.id);
  }
  auto taxable_of = [&](const Item& it) -> std::string {
    if (format != Format::shopify || it.tax_category_inherited || !mapping) return "";
    if (auto m = mapping->values.find(tax_map); m != mapping->values.end())
      for (const auto& [theirs, ours] : m->second)
        if (ours == it.tax_category) return theirs;
    return "";
  };

  std::vector<Item> items;
  catalog::store::ItemFilter filter;
  filter.limit = 500;
  for (;;) {
    auto page = catalog::store::list_items(db, filter);
    bool more = static_cast<int>(page.size()) > filter.limit;
    if (more) page.pop_back();
    for (auto& it : page) items.push_back(std::move(it));
    if (!more || items.empty()) break;
    filter.after_id = items.back().id;
  }
  std::map<std::string, std::vector<const Item*>> variants_of;
  for (const auto& it : items)
    if (it.kind == ItemKind::variant && it.parent_id) variants_of[*it.parent_id].push_back(&it);

  auto variant_of = [&](const Item& it, std::vector<std::string> option_values) {
    Variant v;
    v.option_values = std::move(option_values);
    v.sku = it.sku;
    v.price = it.price;
    v.cost = it.cost;
    v.taxable = taxable_of(it);
    for (const auto& b : it.barcodes)
      if (b.kind == "gtin" && b.pack_quantity == Quantity::units(1)) {
        v.barcode = b.code;
        break;
      }
    for (const auto& [name, id] : locations) v.quantities.emplace_back(name, stock::balance(db, it.id, id).on_hand);
    return v;
  };
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::vector<Product> products;
  for (const auto& it : items) {
    if (it.kind == ItemKind::kit || it.kind == ItemKind::variant) continue;
    Product p;
    p.handle = lower(it.sku);
    p.title = it.name;
    p.description = it.description;
    p.vendor = it.brand;
    p.category = it.category;
    if (it.kind == ItemKind::standard) {
      p.variants.push_back(variant_of(it, {}));
    } else {
      for (const auto& [name, values] : it.options) p.option_names.emplace_back(name);
      for (const Item* v : variants_of[it.id]) {
        std::vector<std::string> values;
        for (const auto& name : p.option_names) {
          auto found = v->options.find(name);
          values.emplace_back(found != v->options.end() && found->value().is_string() ? found->value().get_string()
                                                                                        : "");
        }
        p.variants.push_back(variant_of(*v, std::move(values)));
      }
      if (p.variants.empty()) continue;  // a parent without variants is nothing to sell
    }
    products.push_back(std::move(p));
  }
  if (format == Format::shopify) return write_shopify(products, decimals);
  std::vector<std::string> names;
  for (const auto& [name, id] : locations) names.push_back(name);
  return write_square(products, names, decimals);
}

bj::object report_to_json(const ImportReport& r) {
  bj::array errors;
  for (const auto& e : r.errors)
    errors.push_back(bj::object{{"row", e.line}, {"column", e.column}, {"code", e.code}, {"message", e.message}});
  return bj::object{{"format", format_name(r.format)},
                    {"dry_run", r.dry_run},
                    {"applied", r.applied},
                    {"rows", r.rows},
                    {"products", r.products},
                    {"created", r.created},
                    {"updated", r.updated},
                    {"unchanged", r.unchanged},
                    {"stock_movements", r.stock_movements},
                    {"mapping", r.mapping_name ? bj::value(bj::object{{"name", *r.mapping_name}, {"version", *r.mapping_version}})
                                               : bj::value(nullptr)},
                    {"errors", std::move(errors)}};
}

}  // namespace backroom::exchange
