#include "catalog/item_csv.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/csv.hpp"
#include "platform/json.hpp"
#include "platform/money.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "platform/text.hpp"

namespace backroom::catalog {

namespace bj = boost::json;

const std::vector<std::string>& item_csv_columns() {
  static const std::vector<std::string> columns = {
      "sku",         "name",        "kind",           "parent_sku", "options",  "description", "category",
      "brand",       "unit",        "sold_by_weight", "price",      "cost",     "prices",      "tax_category",
      "case_pack",   "status",      "barcodes",       "kit_consumes", "kit_components", "id"};
  return columns;
}

namespace {

// Splits "a; b;c" on ';' and trims; empty parts dropped.
std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(';', start);
    if (end == std::string_view::npos) end = s.size();
    auto part = text::trim(s.substr(start, end - start));
    if (!part.empty()) out.emplace_back(part);
    start = end + 1;
  }
  return out;
}

// "code*12" -> (code, 12)
std::pair<std::string, std::string> split_star(std::string_view s) {
  auto star = s.rfind('*');
  if (star == std::string_view::npos) return {std::string(text::trim(s)), ""};
  return {std::string(text::trim(s.substr(0, star))), std::string(text::trim(s.substr(star + 1)))};
}

struct RowError {
  std::string column;
  std::string code;
  std::string reason;
};

bool parse_bool(std::string_view v, bool& out) {
  std::string f = text::fold(v);
  if (f.empty() || f == "false" || f == "no" || f == "0" || f == "n") {
    out = false;
    return true;
  }
  if (f == "true" || f == "yes" || f == "1" || f == "y") {
    out = true;
    return true;
  }
  return false;
}

// Row -> Item, resolving parent and component SKUs through `sku_to_id`.
Item item_from_row(const std::map<std::string, std::string>& row, int decimals,
                   const std::function<std::optional<std::string>(const std::string&)>& sku_to_id) {
  auto get = [&row](const std::string& c) -> std::string {
    auto it = row.find(c);
    return it == row.end() ? std::string() : it->second;
  };
  auto fail = [](const std::string& column, std::string reason, std::string code = "invalid_field") {
    return Problem(422, std::move(code), std::move(reason), column);
  };
  Item it;
  auto sku = normalize_sku(get("sku"));
  if (!sku) throw fail("sku", fmt::format("sku must be 1 to {} characters of A-Z, 0-9, - _ . /", sku_length_max));
  it.sku = *sku;
  for (const auto& column : {"name", "description", "category", "brand", "tax_category"}) {
    if (auto problem = text::free_text_problem(get(column)))
      throw fail(column, *problem == "card number" ? "looks like a payment card number; card data is never stored"
                                                   : fmt::format("{} {}", column, *problem),
                 *problem == "card number" ? "card_number_not_allowed" : "invalid_field");
  }
  it.name = std::string(text::trim(get("name")));
  if (it.name.empty()) throw fail("name", "name is required", "missing_field");
  if (it.name.size() > item_name_length_max) throw fail("name", "name is too long");
  it.description = get("description");
  it.category = std::string(text::trim(get("category")));
  it.brand = std::string(text::trim(get("brand")));
  // kind now (options read by it); unit, status and kit_consumes at the end.
  if (auto kind = std::string(text::trim(get("kind"))); !kind.empty()) it.kind = require_item_kind(kind);
  if (!parse_bool(get("sold_by_weight"), it.sold_by_weight)) throw fail("sold_by_weight", "sold_by_weight is true or false");
  if (auto price = get("price"); !text::trim(price).empty()) {
    it.price = parse_money(price, decimals);
    if (!it.price) throw fail("price", fmt::format("price '{}' is not an amount like 19.99", price));
  }
  if (auto cost = get("cost"); !text::trim(cost).empty()) {
    it.cost = parse_money(cost, decimals);
    if (!it.cost) throw fail("cost", fmt::format("cost '{}' is not an amount like 4.50", cost));
  }
  for (const auto& part : split_list(get("prices"))) {
    auto eq = part.find('=');
    auto amount = eq == std::string::npos ? std::nullopt : parse_money(part.substr(eq + 1), decimals);
    if (!amount) throw fail("prices", fmt::format("'{}' is not tier=amount, e.g. member=17.99", part));
    it.prices[text::fold(part.substr(0, eq))] = *amount;
  }
  if (auto tax = std::string(text::trim(get("tax_category"))); !tax.empty()) it.tax_category = tax;
  if (auto pack = std::string(text::trim(get("case_pack"))); !pack.empty()) {
    auto q = parse_quantity(pack);
    if (!q || q->milli <= 0) throw fail("case_pack", fmt::format("case_pack '{}' is not a positive quantity", pack));
    it.case_pack = *q;
  }
  for (const auto& part : split_list(get("options"))) {
    auto eq = part.find('=');
    if (eq == std::string::npos) throw fail("options", fmt::format("'{}' is not name=value", part));
    std::string name(text::trim(std::string_view(part).substr(0, eq)));
    std::string value(text::trim(std::string_view(part).substr(eq + 1)));
    if (it.kind == ItemKind::parent) {
      bj::array values;
      std::size_t start = 0;
      while (start <= value.size()) {
        std::size_t end = value.find('|', start);
        if (end == std::string::npos) end = value.size();
        auto v = text::trim(std::string_view(value).substr(start, end - start));
        if (!v.empty()) values.emplace_back(v);
        start = end + 1;
      }
      it.options[name] = std::move(values);
    } else {
      it.options[name] = value;
    }
  }
  if (auto parent_sku = std::string(text::trim(get("parent_sku"))); !parent_sku.empty()) {
    auto normalized = normalize_sku(parent_sku).value_or(parent_sku);
    auto id = sku_to_id(normalized);
    if (!id) throw fail("parent_sku", fmt::format("parent {} is neither in the catalog nor in an earlier row", parent_sku));
    it.parent_id = *id;
  }
  for (const auto& part : split_list(get("barcodes"))) {
    auto [code, pack] = split_star(part);
    ItemBarcode b{code, "", Quantity::units(1), ""};
    if (!pack.empty()) {
      auto q = parse_quantity(pack);
      if (!q || q->milli <= 0) throw fail("barcodes", fmt::format("pack quantity in '{}' is not positive", part));
      b.pack_quantity = *q;
    }
    it.barcodes.push_back(std::move(b));
  }
  for (const auto& part : split_list(get("kit_components"))) {
    auto [component_sku, qty] = split_star(part);
    auto id = sku_to_id(normalize_sku(component_sku).value_or(component_sku));
    if (!id) throw fail("kit_components", fmt::format("component {} is neither in the catalog nor in an earlier row", component_sku));
    KitComponent c{*id, Quantity::units(1)};
    if (!qty.empty()) {
      auto q = parse_quantity(qty);
      if (!q || q->milli <= 0) throw fail("kit_components", fmt::format("quantity in '{}' is not positive", part));
      c.quantity = *q;
    }
    it.components.push_back(c);
  }
  if (auto unit = std::string(text::trim(get("unit"))); !unit.empty()) it.unit = require_unit(unit);
  if (auto status = std::string(text::trim(get("status"))); !status.empty()) it.status = require_item_status(status);
  if (auto consumes = std::string(text::trim(get("kit_consumes"))); !consumes.empty())
    it.kit_consumes = require_kit_consumes(consumes);
  if (it.kind == ItemKind::kit && !it.kit_consumes) it.kit_consumes = KitConsumes::components;
  return it;
}

// The column a problem's field belongs to ("barcodes[1].code" -> "barcodes").
std::string column_of(const std::string& field) {
  if (field.starts_with("barcodes")) return "barcodes";
  if (field.starts_with("kit.components")) return "kit_components";
  if (field.starts_with("kit")) return "kit_consumes";
  if (field.starts_with("options")) return "options";
  if (field.starts_with("prices")) return "prices";
  if (field == "parent_id") return "parent_sku";
  return field;
}

bool same_content(const Item& a, const Item& b) {
  return bj::serialize(item_to_json(a)) == bj::serialize(item_to_json(b));
}

}  // namespace

ImportReport import_items_csv(db::Db& db, const Actor& actor, std::string_view csv, bool dry_run,
                              const std::function<void(std::size_t, std::size_t)>& progress) {
  ImportReport report;
  auto add_error = [&report](ImportError e) {
    if (report.errors.size() < import_errors_max) report.errors.push_back(std::move(e));
  };
  const int decimals = settings::currency_decimals(db);

  platform::CsvReader reader(csv);
  platform::CsvRow row;
  std::vector<platform::CsvHeaderProblem> header_problems;
  auto read = platform::read_csv_header(reader, platform::CsvHeaderNames::snake_case, header_problems,
                                        "the first line names the columns (see docs/csv.md)");
  for (auto& p : header_problems) add_error({p.line, p.column, p.code, p.reason});
  if (!read) return report;
  const auto& header = read->names;
  std::set<std::string> known(item_csv_columns().begin(), item_csv_columns().end());
  for (std::size_t i = 0; i < header.size(); ++i)
    if (!known.count(header[i]))
      add_error({read->line, read->written[i], "unknown_column",
                 fmt::format("column '{}' is not one of docs/csv.md", read->written[i])});
  for (const auto& required : {"sku", "name"})
    if (std::find(header.begin(), header.end(), required) == header.end())
      add_error({read->line, required, "missing_column", fmt::format("the header has no '{}' column", required)});
  if (!report.errors.empty()) return report;

  db.exec("SAVEPOINT item_import");
  std::map<std::string, std::string> file_skus;  // sku -> id, rows seen so far
  auto sku_to_id = [&](const std::string& sku) -> std::optional<std::string> {
    if (auto it = file_skus.find(sku); it != file_skus.end()) return it->second;
    return store::item_id_by_sku(db, sku);
  };
  std::size_t last_progress = 0;
  while (reader.next(row)) {
    if (++report.rows > import_rows_max) {
      add_error({row.line, "", "too_many_rows", fmt::format("an import holds at most {} rows", import_rows_max)});
      break;
    }
    if (progress && reader.bytes_consumed() - last_progress > 256 * 1024) {
      last_progress = reader.bytes_consumed();
      progress(last_progress, csv.size());
    }
    if (row.fields.size() != header.size()) {
      add_error({row.line, "", "wrong_field_count",
                 fmt::format("row has {} fields, the header has {}", row.fields.size(), header.size())});
      continue;
    }
    std::map<std::string, std::string> values;
    for (std::size_t i = 0; i < header.size(); ++i) values[header[i]] = row.fields[i];
    db.exec("SAVEPOINT item_row");
    try {
      Item item = item_from_row(values, decimals, sku_to_id);
      if (file_skus.count(item.sku)) throw Problem(409, "duplicate_sku", fmt::format("sku {} appears twice in the file", item.sku), "sku");
      if (auto id = store::item_id_by_sku(db, item.sku)) {
        auto before = store::load_item(db, *id);
        Item after = item;
        after.id = before->id;
        after.sku = before->sku;
        after.created_at = before->created_at;
        after.version = before->version;
        after.updated_at = before->updated_at;
        // Barcodes resolve to keys before comparing, so "0036000291452" equals "036000291452".
        resolve_barcodes(db, after, store::load_layouts(db));
        for (std::size_t i = 0; i < after.barcodes.size(); ++i) {
          auto match = std::find_if(before->barcodes.begin(), before->barcodes.end(),
                                    [&](const ItemBarcode& b) { return b.key == after.barcodes[i].key; });
          if (match != before->barcodes.end()) after.barcodes[i].code = match->code;
        }
        if (same_content(*before, after)) {
          ++report.unchanged;
        } else {
          replace_item(db, actor, *before, std::move(item));
          ++report.updated;
        }
        file_skus[before->sku] = before->id;
      } else {
        auto created = create_item(db, actor, std::move(item));
        file_skus[created.item.sku] = created.item.id;
        ++report.created;
      }
      db.exec("RELEASE item_row");
    } catch (const Problem& p) {
      db.exec("ROLLBACK TO item_row");
      db.exec("RELEASE item_row");
      add_error({row.line, column_of(p.field), p.code, p.detail});
    }
  }
  if (reader.error()) add_error({reader.error()->line, "", "malformed_csv", reader.error()->reason});
  if (progress) progress(csv.size(), csv.size());
  report.applied = !dry_run && report.errors.empty();
  if (!report.applied) db.exec("ROLLBACK TO item_import");
  db.exec("RELEASE item_import");
  return report;
}

void export_items_csv(db::Db& db, const std::function<void(std::string_view)>& write) {
  const int decimals = settings::currency_decimals(db);
  write(platform::csv_line(item_csv_columns()));
  std::map<std::string, std::string> id_to_sku;
  std::vector<Item> all;
  store::ItemFilter filter;
  filter.limit = 1000;
  for (;;) {
    auto page = store::list_items(db, filter);
    bool more = static_cast<int>(page.size()) > filter.limit;
    if (more) page.pop_back();
    for (auto& it : page) {
      id_to_sku[it.id] = it.sku;
      all.push_back(std::move(it));
    }
    if (!more) break;
    filter.after_id = all.back().id;
  }
  // Parents and plain items first, then variants, then kits, so a re-import resolves references.
  auto rank = [](const Item& it) { return it.kind == ItemKind::variant ? 1 : it.kind == ItemKind::kit ? 2 : 0; };
  std::stable_sort(all.begin(), all.end(), [&](const Item& a, const Item& b) { return rank(a) < rank(b); });
  for (const auto& it : all) {
    std::string options, prices, barcodes, components;
    for (const auto& o : it.options) {
      if (!options.empty()) options += "; ";
      options += std::string(o.key()) + "=";
      if (o.value().is_array()) {
        std::string joined;
        for (const auto& v : o.value().get_array())
          if (v.is_string()) joined += (joined.empty() ? "" : "|") + std::string(v.get_string());
        options += joined;
      } else if (o.value().is_string()) {
        options += std::string(o.value().get_string());
      }
    }
    for (const auto& [tier, amount] : it.prices)
      prices += (prices.empty() ? "" : "; ") + tier + "=" + format_money(amount, decimals);
    for (const auto& b : it.barcodes) {
      barcodes += (barcodes.empty() ? "" : "; ") + b.code;
      if (b.pack_quantity != Quantity::units(1)) barcodes += "*" + format_quantity(b.pack_quantity);
    }
    for (const auto& c : it.components) {
      components += (components.empty() ? "" : "; ") + id_to_sku[c.item_id];
      if (c.quantity != Quantity::units(1)) components += "*" + format_quantity(c.quantity);
    }
    std::vector<std::string> fields = {
        it.sku,
        it.name,
        std::string(word(it.kind)),
        it.parent_id ? id_to_sku[*it.parent_id] : "",
        options,
        it.description,
        it.category,
        it.brand,
        std::string(word(it.unit)),
        it.sold_by_weight ? "true" : "false",
        it.price ? format_money(*it.price, decimals) : "",
        it.cost ? format_money(*it.cost, decimals) : "",
        prices,
        it.tax_category_inherited ? std::string() : it.tax_category,
        format_quantity(it.case_pack),
        std::string(word(it.status)),
        barcodes,
        it.kit_consumes ? std::string(word(*it.kit_consumes)) : std::string(),
        components,
        it.id};
    for (auto& f : fields) f = platform::csv_export_safe(f);
    write(platform::csv_line(fields));
  }
}

}  // namespace backroom::catalog
