#include "catalog/catalog.hpp"

#include <fmt/format.h>

#include <set>

#include "access/audit.hpp"
#include "access/permissions.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/scan_prefetch.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/text.hpp"

namespace backroom::catalog {

namespace bj = boost::json;

namespace {

Problem duplicate_barcode(const std::string& field, const std::string& code, const store::BarcodeOwner& owner) {
  Problem p(409, "duplicate_barcode",
            fmt::format("barcode {} already belongs to item {} ({})", code, owner.sku, owner.item_id), field);
  p.extra_json = bj::serialize(bj::object{{"item_id", owner.item_id}, {"sku", owner.sku}});
  return p;
}

void check_references(db::Db& db, const Item& item, std::optional<Item>& parent) {
  if (item.kind == ItemKind::variant && item.parent_id) {
    parent = store::load_item(db, *item.parent_id);
    if (!parent) throw invalid_field("parent_id", fmt::format("parent item '{}' does not exist", *item.parent_id));
  }
  for (std::size_t i = 0; i < item.components.size(); ++i) {
    std::string field = fmt::format("kit.components[{}].item_id", i);
    auto component = store::load_item(db, item.components[i].item_id);
    if (!component)
      throw invalid_field(field, fmt::format("component item '{}' does not exist", item.components[i].item_id));
    if (component->kind == ItemKind::parent || component->kind == ItemKind::kit)
      throw invalid_field(field, fmt::format("component {} is a {}; a kit lists sellable single items", component->sku,
                                             word(component->kind)));
  }
}

// An item sells at a category the shop has a rate for; one without a category sells at
// the shop's default (filled in so the answer and the event say which).
void resolve_tax_category(db::Db& db, Item& item) {
  if (item.tax_category_inherited) {
    item.tax_category = store::default_tax_category(db);
    return;
  }
  if (store::tax_category(db, item.tax_category)) return;
  std::string known;
  for (const auto& c : store::tax_categories(db)) known += (known.empty() ? "" : ", ") + c.code;
  throw invalid_field("tax_category", fmt::format("tax category '{}' does not exist (the shop has: {}); "
                                                  "null sells the item at the shop's default",
                                                  item.tax_category, known));
}

void audit_and_event(db::Db& db, const Actor& actor, const std::string& action, const std::optional<Item>& before,
                     const Item& after) {
  std::string after_json = bj::serialize(item_to_json(after));
  append_audit(db, actor,
               AuditEntry{action, "item", after.id,
                          before ? std::optional<std::string>(bj::serialize(item_to_json(*before))) : std::nullopt,
                          after_json});
  append_event(db, action == "item.create" ? "item.created" : "item.updated", after.id, after_json);
}

}  // namespace

// Cost, prices, tax category and barcodes are locked: changing them needs
// items.locked_fields (prices otherwise go through price change requests).
void check_locked_fields(const Actor& actor, const Item& before, const Item& after) {
  if (actor.can(permission::items_locked)) return;
  auto codes = [](const Item& i) {
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (const auto& b : i.barcodes) out.emplace_back(b.code, b.pack_quantity.milli);
    return out;
  };
  const char* field = before.cost != after.cost                 ? "cost"
                      : before.price != after.price             ? "price"
                      : before.prices != after.prices           ? "prices"
                      : before.tax_category != after.tax_category ||
                              before.tax_category_inherited != after.tax_category_inherited
                          ? "tax_category"
                      : codes(before) != codes(after)           ? "barcodes"
                                                                : nullptr;
  if (!field) return;
  Problem p(403, "forbidden",
            fmt::format("'{}' is a locked field: changing it needs the permission '{}'{}", field, permission::items_locked,
                        std::string_view(field).starts_with("price") ? " (or a price change request)" : ""),
            field);
  p.extra_json = bj::serialize(bj::object{{"permission", permission::items_locked}});
  throw p;
}

void resolve_barcodes(db::Db& db, Item& item, const std::vector<EmbeddedLayout>& layouts) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < item.barcodes.size(); ++i) {
    auto& b = item.barcodes[i];
    std::string field = fmt::format("barcodes[{}].code", i);
    ScanCode c = classify_code(b.code, layouts);
    switch (c.kind) {
      case ScanCode::Kind::invalid_check_digit:
        throw Problem(422, "barcode_check_digit", fmt::format("barcode {}: {}", b.code, c.error), field);
      case ScanCode::Kind::invalid:
        throw Problem(422, "invalid_barcode", fmt::format("barcode '{}' is not usable: {}", b.code, c.error), field);
      case ScanCode::Kind::gtin:
        b.kind = "gtin";
        b.code = std::string(text::trim(b.code));
        break;
      case ScanCode::Kind::element_string:
        b.kind = "gtin";
        b.code = c.element && c.element->gtin ? *c.element->gtin : c.key;
        break;
      case ScanCode::Kind::embedded:
        b.kind = "embedded";
        b.code = std::string(text::trim(b.code));
        break;
      case ScanCode::Kind::text:
        b.kind = "text";
        b.code = std::string(text::trim(b.code));
        break;
    }
    b.key = c.key;
    if (!seen.insert(b.key).second)
      throw Problem(409, "duplicate_barcode", fmt::format("barcode {} is listed twice on this item", b.code), field);
    if (auto owner = store::barcode_owner(db, b.key); owner && owner->item_id != item.id)
      throw duplicate_barcode(field, b.code, *owner);
  }
}

CreateResult create_item(db::Db& db, const Actor& actor, const bj::object& body) {
  Item item;
  apply_item_json(body, item, true);
  json::Fields f{body, ""};
  if (auto id = f.opt_identifier("id", 64)) {
    auto normalized = normalize_uuid(*id);
    if (!normalized) throw invalid_field("id", "id must be a UUID (UUIDv7 recommended), or omitted");
    item.id = *normalized;
  }
  return create_item(db, actor, std::move(item));
}

CreateResult create_item(db::Db& db, const Actor& actor, Item item) {
  auto sku = normalize_sku(item.sku);
  if (!sku) throw invalid_field("sku", fmt::format("sku must be 1 to {} characters of A-Z, 0-9, - _ . /", sku_length_max));
  item.sku = *sku;
  if (!item.id.empty()) {
    if (auto existing = store::load_item(db, item.id)) {
      if (existing->sku != item.sku)
        throw Problem(409, "duplicate_id", fmt::format("id {} belongs to another item ({})", item.id, existing->sku), "id");
      return CreateResult{std::move(*existing), {}, true};
    }
  } else {
    item.id = new_uuid_v7();
  }
  if (auto owner = store::item_id_by_sku(db, item.sku)) {
    Problem p(409, "duplicate_sku", fmt::format("sku {} already belongs to item {}", item.sku, *owner), "sku");
    p.extra_json = bj::serialize(bj::object{{"item_id", *owner}});
    throw p;
  }
  std::optional<Item> parent;
  check_references(db, item, parent);
  validate_item(item, parent ? &*parent : nullptr);
  resolve_tax_category(db, item);
  resolve_barcodes(db, item, store::load_layouts(db));
  item.version = 1;
  item.created_at = item.updated_at = now().micros;
  store::insert_item(db, item);
  audit_and_event(db, actor, "item.create", std::nullopt, item);
  auto duplicates = store::items_with_duplicate_key(db, duplicate_key(item), item.id);
  return CreateResult{std::move(item), std::move(duplicates), false};
}

Item replace_item(db::Db& db, const Actor& actor, const Item& before, Item after) {
  after.id = before.id;
  after.sku = before.sku;
  after.created_at = before.created_at;
  if (after.kind != before.kind)
    throw invalid_field("kind", fmt::format("kind of {} cannot change from {} to {}", before.sku, word(before.kind),
                                            word(after.kind)));
  std::optional<Item> parent;
  check_references(db, after, parent);
  validate_item(after, parent ? &*parent : nullptr);
  resolve_tax_category(db, after);
  resolve_barcodes(db, after, store::load_layouts(db));
  after.version = before.version + 1;
  after.updated_at = now().micros;
  store::update_item(db, after);
  audit_and_event(db, actor, "item.update", before, after);
  return after;
}

Item update_item(db::Db& db, const Actor& actor, const std::string& id, std::int64_t expected_version,
                 const bj::object& body) {
  auto before = store::load_item(db, id);
  if (!before) throw not_found("item", id);
  if (before->version != expected_version) {
    Problem p(412, "version_mismatch",
              fmt::format("item {} is at version {}, not {}; reload it and apply your change again", before->sku,
                          before->version, expected_version));
    p.extra_json = bj::serialize(bj::object{{"current_version", before->version}});
    throw p;
  }
  Item after = *before;
  apply_item_json(body, after, false);
  check_locked_fields(actor, *before, after);
  return replace_item(db, actor, *before, std::move(after));
}

Item add_barcode(db::Db& db, const Actor& actor, const std::string& id, const std::string& code, Quantity pack) {
  auto before = store::load_item(db, id);
  if (!before) throw not_found("item", id);
  Item after = *before;
  after.barcodes.push_back(ItemBarcode{code, "", pack, ""});
  try {
    return replace_item(db, actor, *before, std::move(after));
  } catch (Problem& p) {
    if (p.field.starts_with("barcodes[")) p.field = "code";
    throw;
  }
}

Item remove_barcode(db::Db& db, const Actor& actor, const std::string& id, const std::string& code) {
  auto before = store::load_item(db, id);
  if (!before) throw not_found("item", id);
  ScanCode c = classify_code(code, store::load_layouts(db));
  Item after = *before;
  std::erase_if(after.barcodes, [&](const ItemBarcode& b) { return b.code == code || b.key == c.key; });
  if (after.barcodes.size() == before->barcodes.size())
    throw Problem(404, "not_found", fmt::format("item {} has no barcode {}", before->sku, code));
  return replace_item(db, actor, *before, std::move(after));
}

Item add_internal_barcode(db::Db& db, const Actor& actor, const std::string& id, const std::string& requested_prefix,
                          Quantity pack) {
  auto prefixes = store::load_internal_prefixes(db);
  if (prefixes.empty())
    throw Problem(409, "no_internal_prefix", "no internal barcode prefix is configured (settings: internal_prefixes)");
  std::string prefix = requested_prefix.empty() ? prefixes.front() : requested_prefix;
  if (std::find(prefixes.begin(), prefixes.end(), prefix) == prefixes.end())
    throw invalid_field("prefix", fmt::format("'{}' is not a configured internal prefix", prefix));
  // Skip numbers someone registered by hand, so an issued code is always new.
  for (int attempt = 0; attempt < 1000; ++attempt) {
    auto sequence = store::take_internal_sequence(db, prefix);
    auto code = make_internal_barcode(prefix, sequence);
    if (!code) throw Problem(409, "internal_barcodes_exhausted", fmt::format("prefix {} has no numbers left", prefix));
    if (store::barcode_owner(db, to_gtin14(*code))) continue;
    return add_barcode(db, actor, id, *code, pack);
  }
  throw Problem(409, "internal_barcodes_exhausted", "could not find an unused internal number");
}

BarcodeSettings barcode_settings(db::Db& db) {
  return BarcodeSettings{store::load_internal_prefixes(db), store::load_layouts(db)};
}

void set_barcode_settings(db::Db& db, const Actor& actor, const BarcodeSettings& s) {
  for (std::size_t i = 0; i < s.layouts.size(); ++i)
    if (auto why = validate_layout(s.layouts[i]); !why.empty())
      throw invalid_field(fmt::format("embedded_layouts[{}]", i), why);
  for (std::size_t i = 0; i < s.internal_prefixes.size(); ++i) {
    const auto& p = s.internal_prefixes[i];
    bool digits = !p.empty() && p.size() <= 3 && p.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) throw invalid_field(fmt::format("internal_prefixes[{}]", i), "an internal prefix is 1 to 3 digits, e.g. \"20\"");
  }
  if (auto why = validate_prefixes(s.internal_prefixes, s.layouts); !why.empty())
    throw Problem(422, "prefix_overlap", why, "internal_prefixes");
  auto before = barcode_settings(db);
  store::replace_barcode_settings(db, s.internal_prefixes, s.layouts);
  append_audit(db, actor,
               AuditEntry{"settings.barcodes", "settings", "barcodes", bj::serialize(barcode_settings_to_json(before)),
                          bj::serialize(barcode_settings_to_json(s))});
}

bj::object barcode_settings_to_json(const BarcodeSettings& s) {
  bj::array prefixes;
  for (const auto& p : s.internal_prefixes) prefixes.push_back(bj::value(p));
  bj::array layouts;
  for (const auto& l : s.layouts)
    layouts.push_back(bj::object{{"prefix", l.prefix},
                                 {"item_digits", l.item_digits},
                                 {"value", l.value == EmbeddedValue::weight ? "weight" : "price"},
                                 {"value_digits", l.value_digits},
                                 {"decimals", l.decimals},
                                 {"verifier", l.verifier}});
  return bj::object{{"internal_prefixes", std::move(prefixes)}, {"embedded_layouts", std::move(layouts)}};
}

BarcodeSettings barcode_settings_from_json(const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"internal_prefixes", "embedded_layouts"});
  BarcodeSettings s;
  if (auto prefixes = f.opt_array("internal_prefixes")) {
    for (std::size_t i = 0; i < prefixes->size(); ++i) {
      if (!(*prefixes)[i].is_string())
        throw invalid_field(fmt::format("internal_prefixes[{}]", i), "an internal prefix is a string of digits");
      s.internal_prefixes.emplace_back((*prefixes)[i].get_string());
    }
  }
  if (auto layouts = f.opt_array("embedded_layouts")) {
    for (std::size_t i = 0; i < layouts->size(); ++i) {
      std::string path = fmt::format("embedded_layouts[{}]", i);
      if (!(*layouts)[i].is_object()) throw invalid_field(path, "a layout is an object");
      json::Fields lf{(*layouts)[i].get_object(), path};
      lf.only({"prefix", "item_digits", "value", "value_digits", "decimals", "verifier"});
      EmbeddedLayout l;
      l.prefix = lf.text("prefix", 3);
      l.item_digits = static_cast<int>(lf.integer("item_digits", 1, 10));
      auto value = lf.text("value", 10);
      if (value != "price" && value != "weight") throw invalid_field(lf.name("value"), "value is 'price' or 'weight'");
      l.value = value == "weight" ? EmbeddedValue::weight : EmbeddedValue::price;
      l.value_digits = static_cast<int>(lf.integer("value_digits", 1, 6));
      l.decimals = static_cast<int>(lf.integer("decimals", 0, 3));
      l.verifier = lf.opt_boolean("verifier").value_or(false);
      s.layouts.push_back(l);
    }
  }
  return s;
}

namespace {
// Layouts change rarely and are needed before the scan's lookup (they say which digits are
// the item). The lookup's statement reads them again (store::scan_lookup): when they differ
// from what this thread classified with, the code is classified again.
struct SeenLayouts {
  std::string text;
  std::vector<EmbeddedLayout> layouts;
};
thread_local SeenLayouts seen;

std::string lookup_key(const ScanCode& sc) {
  return sc.kind == ScanCode::Kind::invalid || sc.kind == ScanCode::Kind::invalid_check_digit ? std::string() : sc.key;
}
}  // namespace

void prefetch_scan(db::Db& db, std::string_view code) {
  store::prefetch_scan_lookup(db, lookup_key(classify_code(code, seen.layouts)));
}

ScanResult scan(db::Db& db, std::string_view code) {
  ScanCode c = classify_code(code, seen.layouts);
  auto lookup = store::scan_lookup(db, lookup_key(c));
  if (lookup.layouts != seen.text) {
    seen.layouts = store::layouts_from_json(lookup.layouts);
    seen.text = std::move(lookup.layouts);
    ScanCode again = classify_code(code, seen.layouts);
    bool same_key = lookup_key(again) == lookup_key(c);
    c = std::move(again);
    if (!same_key) lookup = store::scan_lookup(db, lookup_key(c));
  }
  if (c.kind == ScanCode::Kind::invalid_check_digit)
    throw Problem(422, "barcode_check_digit", fmt::format("barcode {}: {}", text::trim(code), c.error), "code");
  if (c.kind == ScanCode::Kind::invalid)
    throw Problem(422, "invalid_barcode", fmt::format("'{}' is not a barcode: {}", code.substr(0, 64), c.error), "code");
  auto found = std::move(lookup.found);
  if (!found && c.alt_key) found = store::item_by_barcode(db, *c.alt_key);
  if (!found && c.kind == ScanCode::Kind::text) {
    // Shops print their SKU as Code 128 on their own stickers.
    if (auto sku = normalize_sku(code)) {
      if (auto id = store::item_id_by_sku(db, *sku)) {
        if (auto item = store::load_item(db, *id)) found.emplace(std::move(*item), Quantity::units(1));
      }
    }
  }
  if (!found)
    throw Problem(404, "unknown_barcode", fmt::format("no item has the barcode {}", text::trim(code).substr(0, 64)), "code");
  ScanResult r{std::move(found->first), c.key, found->second, {}, {}, {}, {}};
  if (c.kind == ScanCode::Kind::embedded && c.layout && c.embedded_value) {
    if (c.layout->value == EmbeddedValue::price)
      r.embedded_price = *c.embedded_value;
    else
      r.embedded_weight = Quantity{*c.embedded_value};
  }
  if (c.element) {
    if (c.element->net_weight_g) r.embedded_weight = Quantity{*c.element->net_weight_g};
    if (c.element->price_minor) r.embedded_price = *c.element->price_minor;
    r.batch = c.element->batch;
    r.expiry = c.element->expiry;
  }
  return r;
}

bj::object scan_to_json(const ScanResult& r) {
  bj::object o{{"item", item_to_json(r.item)}, {"code", r.code}, {"pack_quantity", json::quantity_value(r.pack_quantity)}};
  if (r.embedded_price) o["embedded_price"] = *r.embedded_price;
  if (r.embedded_weight) o["embedded_weight"] = json::quantity_value(*r.embedded_weight);
  if (r.batch) o["batch"] = *r.batch;
  if (r.expiry) o["expiry"] = *r.expiry;
  return o;
}

}  // namespace backroom::catalog
