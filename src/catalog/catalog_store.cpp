#include "catalog/catalog_store.hpp"
#include "catalog/changes.hpp"
#include "catalog/scan_prefetch.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "platform/assert.hpp"
#include "platform/db_prefetch.hpp"
#include "platform/id_filter.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"

namespace backroom::catalog::store {

namespace bj = boost::json;

namespace {

constexpr const char* item_columns =
    "id, sku, name, description, category, brand, unit, sold_by_weight, cost, price, tax_category, case_pack, "
    "status, kind, parent_id, options, attributes, kit_consumes, version, created_at, updated_at";

std::string stored_tax_category(const Item& it) { return it.tax_category_inherited ? "" : it.tax_category; }
std::optional<std::string_view> stored_kit_consumes(const Item& it) {
  if (!it.kit_consumes) return std::nullopt;
  return word(*it.kit_consumes);
}

Item read_item_row(db::Query& q) {
  Item it;
  it.id = q.text(0);
  it.sku = q.text(1);
  it.name = q.text(2);
  it.description = q.text(3);
  it.category = q.text(4);
  it.brand = q.text(5);
  it.unit = units.stored(q.text(6));
  it.sold_by_weight = q.int64(7) != 0;
  it.cost = q.opt_int64(8);
  it.price = q.opt_int64(9);
  it.tax_category = q.text(10);
  it.tax_category_inherited = it.tax_category.empty();
  it.case_pack = Quantity{q.int64(11)};
  it.status = item_statuses.stored(q.text(12));
  it.kind = item_kinds.stored(q.text(13));
  it.parent_id = q.opt_text(14);
  bj::error_code ec;
  auto options = bj::parse(q.text(15), ec);
  if (!ec && options.is_object()) it.options = options.as_object();
  auto attributes = bj::parse(q.text(16), ec);
  if (!ec && attributes.is_object()) it.attributes = attributes.as_object();
  if (auto consumes = q.opt_text(17)) it.kit_consumes = kit_consumes_words.stored(*consumes);
  it.version = q.int64(18);
  it.created_at = q.int64(19);
  it.updated_at = q.int64(20);
  return it;
}

void load_components(db::Db& db, Item& it) {
  auto q = db.query("SELECT component_id, quantity FROM kit_components WHERE kit_id = ? ORDER BY position");
  q.bind(1, it.id);
  while (q.step()) it.components.push_back(KitComponent{q.text(0), Quantity{q.int64(1)}});
}

void load_details(db::Db& db, Item& it) {
  if (it.tax_category_inherited) it.tax_category = default_tax_category(db);
  {
    auto q = db.query("SELECT display, code, pack_quantity, kind FROM barcodes WHERE item_id = ? ORDER BY created_at, code");
    q.bind(1, it.id);
    while (q.step()) it.barcodes.push_back(ItemBarcode{q.text(0), q.text(1), Quantity{q.int64(2)}, q.text(3)});
  }
  {
    auto q = db.query("SELECT tier, price FROM item_prices WHERE item_id = ? ORDER BY tier");
    q.bind(1, it.id);
    while (q.step()) it.prices[q.text(0)] = q.int64(1);
  }
  if (it.kind == ItemKind::kit) load_components(db, it);
}

// The item columns as "i.id, i.sku, ...".
std::string prefixed_item_columns() {
  std::string columns;
  std::string_view list = item_columns;
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t end = list.find(", ", start);
    if (end == std::string_view::npos) end = list.size();
    columns += columns.empty() ? "i." : ", i.";
    columns += list.substr(start, end - start);
    start = end + 2;
  }
  return columns;
}

// One statement for an item and its details (on PostgreSQL every statement is a network
// round trip): the item's columns (0-20), its barcodes (21) and prices (22) as JSON arrays,
// the shop's default tax category when the item has none of its own (23), then `extra`
// (from 24). `from` names the item `i`. An empty group is '[]' on SQLite, NULL on PostgreSQL.
constexpr int item_extra_column = 24;
std::string item_with_details_sql(std::string_view extra, std::string_view from) {
  return fmt::format(
      "SELECT {}, "
      "(SELECT json_group_array(json_array(display, code, pack_quantity, kind, created_at)) FROM barcodes "
      "WHERE item_id = i.id), "
      "(SELECT json_group_array(json_array(tier, price)) FROM item_prices WHERE item_id = i.id), "
      "CASE WHEN i.tax_category = '' THEN (SELECT value FROM settings WHERE key = 'default_tax_category') END"
      "{}{} {}",
      prefixed_item_columns(), extra.empty() ? "" : ", ", extra, from);
}

std::int64_t json_int(const bj::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) return static_cast<std::int64_t>(v.get_double());
  return 0;
}

std::string json_text(const bj::value& v) { return v.is_string() ? std::string(v.get_string()) : std::string(); }

bj::array json_rows(const db::Query& q, int column) {
  if (q.is_null(column)) return {};
  bj::error_code ec;
  auto v = bj::parse(q.text(column), ec);
  return !ec && v.is_array() ? std::move(v.as_array()) : bj::array{};
}

// Reads what item_with_details_sql selects (the kit's components take one more statement).
Item read_item_with_details(db::Db& db, db::Query& q) {
  Item it = read_item_row(q);
  if (it.tax_category_inherited) it.tax_category = q.is_null(23) ? "standard" : q.text(23);
  // Barcodes in the order load_details gives them: by created_at, then code.
  std::vector<std::pair<std::pair<std::int64_t, std::string>, ItemBarcode>> barcodes;
  for (const auto& row : json_rows(q, 21)) {
    const auto& a = row.as_array();
    if (a.size() != 5) continue;
    ItemBarcode b{json_text(a[0]), json_text(a[1]), Quantity{json_int(a[2])}, json_text(a[3])};
    barcodes.push_back({{json_int(a[4]), b.key}, std::move(b)});
  }
  std::sort(barcodes.begin(), barcodes.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [order, b] : barcodes) it.barcodes.push_back(std::move(b));
  for (const auto& row : json_rows(q, 22)) {
    const auto& a = row.as_array();
    if (a.size() == 2) it.prices[json_text(a[0])] = json_int(a[1]);
  }
  if (it.kind == ItemKind::kit) load_components(db, it);
  return it;
}

// An item's barcodes, prices and kit components as `it` has them: replaced, or for a new item
// (`replacing` false) only written: three deletes of nothing per item were a good part of a
// new store node's first pull of 100,000 items (docs/performance.md, "Store nodes").
void write_details(db::Db& db, const Item& it, bool replacing) {
  db::assert_in_transaction(db);
  if (replacing) {
    db.query("DELETE FROM barcodes WHERE item_id = ?").bind(1, it.id).run();
    db.query("DELETE FROM item_prices WHERE item_id = ?").bind(1, it.id).run();
    db.query("DELETE FROM kit_components WHERE kit_id = ?").bind(1, it.id).run();
  }
  for (const auto& b : it.barcodes)
    db.query("INSERT INTO barcodes (code, item_id, pack_quantity, kind, display, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, b.key)
        .bind(2, it.id)
        .bind(3, b.pack_quantity.milli)
        .bind(4, b.kind)
        .bind(5, b.code)
        .bind(6, it.updated_at)
        .run();
  for (const auto& [tier, price] : it.prices)
    db.query("INSERT INTO item_prices (item_id, tier, price) VALUES (?, ?, ?)").bind(1, it.id).bind(2, tier).bind(3, price).run();
  int position = 0;
  for (const auto& c : it.components)
    db.query("INSERT INTO kit_components (kit_id, component_id, quantity, position) VALUES (?, ?, ?, ?)")
        .bind(1, it.id)
        .bind(2, c.item_id)
        .bind(3, c.quantity.milli)
        .bind(4, position++)
        .run();
}

}  // namespace

std::optional<Item> load_item(db::Db& db, const std::string& id) {
  static const std::string sql = item_with_details_sql("", "FROM items i WHERE i.id = ?");
  auto q = db.query(sql);
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_item_with_details(db, q);
}

std::optional<std::string> item_id_by_sku(db::Db& db, const std::string& sku) {
  auto q = db.query("SELECT id FROM items WHERE sku = ?");
  q.bind(1, sku);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::optional<ItemKind> item_kind(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT kind FROM items WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return item_kinds.stored(q.text(0));
}

std::map<std::string, std::optional<std::int64_t>> regular_prices(db::Db& db, const std::vector<std::string>& ids) {
  std::map<std::string, std::optional<std::int64_t>> out;
  if (ids.empty()) return out;
  db::IdFilter wanted(ids);
  auto q = wanted.whole() ? db.query("SELECT id, price FROM items")
                          : db.query("SELECT id, price FROM items WHERE id IN (SELECT value FROM json_each(?))");
  if (!wanted.whole()) q.bind(1, wanted.json());
  while (q.step())
    if (wanted.wants(q.text_view(0))) out.emplace(q.text(0), q.opt_int64(1));
  return out;
}

std::optional<std::int64_t> unit_cost(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT COALESCE(cost, price) FROM items WHERE id = ?");
  q.bind(1, id);
  if (!q.step() || q.is_null(0)) return std::nullopt;
  return q.int64(0);
}

std::map<std::string, ItemHead> item_heads(db::Db& db, const std::vector<std::string>& ids) {
  std::map<std::string, ItemHead> out;
  if (ids.empty()) return out;
  db::IdFilter wanted(ids);
  auto q = wanted.whole()
               ? db.query("SELECT id, sku, name, price, category FROM items")
               : db.query("SELECT id, sku, name, price, category FROM items WHERE id IN (SELECT value FROM json_each(?))");
  if (!wanted.whole()) q.bind(1, wanted.json());
  while (q.step())
    if (wanted.wants(q.text_view(0))) out[q.text(0)] = ItemHead{q.text(1), q.text(2), q.opt_int64(3), q.text(4)};
  return out;
}

std::map<std::string, PlanningFacts> planning_facts(db::Db& db, const std::vector<std::string>& ids) {
  std::map<std::string, PlanningFacts> out;
  if (ids.empty()) return out;
  db::IdFilter wanted(ids);
  auto q = wanted.whole() ? db.query("SELECT id, sku, name, category, price, status FROM items")
                          : db.query("SELECT id, sku, name, category, price, status FROM items "
                                     "WHERE id IN (SELECT value FROM json_each(?))");
  if (!wanted.whole()) q.bind(1, wanted.json());
  while (q.step())
    if (wanted.wants(q.text_view(0)))
      out[q.text(0)] = PlanningFacts{q.text(1), q.text(2), q.text(3), q.opt_int64(4), q.text(5) == "discontinued"};
  return out;
}

std::vector<StockedItem> stocked_items(db::Db& db) {
  std::vector<StockedItem> out;
  // Kits that consume components hold no stock of their own.
  auto q = db.query(
      "SELECT id, sold_by_weight, COALESCE(cost, price) FROM items WHERE status = 'active' AND kind <> 'parent' AND "
      "NOT (kind = 'kit' AND COALESCE(kit_consumes, 'components') = 'components') ORDER BY id");
  while (q.step()) out.push_back(StockedItem{q.text(0), q.int64(1) != 0, q.opt_int64(2)});
  return out;
}

namespace {
// Whether an item holds stock of its own and is sold (the rule of stocked_items), as SQL.
constexpr const char* report_stocked =
    "CASE WHEN status = 'active' AND kind <> 'parent' AND "
    "NOT (kind = 'kit' AND COALESCE(kit_consumes, 'components') = 'components') THEN 1 ELSE 0 END";

db::Query report_item_query(db::Db& db, const std::string& from, const std::string& to, const std::string& only) {
  auto q = db.stream(fmt::format("SELECT id, category, cost, {} FROM items WHERE id >= ?{}{} ORDER BY id", report_stocked,
                                to.empty() ? "" : " AND id < ?",
                                only.empty() ? "" : " AND id IN (SELECT value FROM json_each(?))"));
  int at = 1;
  q.bind(at++, from);
  if (!to.empty()) q.bind(at++, to);
  if (!only.empty()) q.bind(at, only);
  return q;
}
}  // namespace

std::vector<ReportItem> report_items(db::Db& db) {
  std::vector<ReportItem> out;
  auto q = db.query(fmt::format("SELECT id, sku, name, category, cost, {} FROM items ORDER BY id", report_stocked));
  while (q.step())
    out.push_back(ReportItem{q.text(0), q.text(1), q.text(2), q.text(3),
                             q.is_null(4) ? std::nullopt : std::optional<std::int64_t>(q.int64(4)), q.int64(5) != 0});
  return out;
}

ReportItemCursor::ReportItemCursor(db::Db& db, const std::string& from, const std::string& to,
                                   const std::string& only)
    : q_(report_item_query(db, from, to, only)) {
  next();
}

void ReportItemCursor::next() {
  valid_ = q_.step();
  id_ = valid_ ? q_.text_view(0) : std::string_view();
}

std::vector<std::string> report_item_cuts(db::Db& db, std::size_t parts) {
  std::vector<std::string> cuts;
  if (parts < 2) return cuts;
  const auto count = static_cast<std::size_t>(count_items(db));
  for (std::size_t i = 1; i < parts && i < count; ++i) {
    auto q = db.query("SELECT id FROM items ORDER BY id LIMIT 1 OFFSET ?");
    q.bind(1, static_cast<std::int64_t>(count * i / parts));
    if (q.step()) cuts.push_back(q.text(0));
  }
  return cuts;
}

std::optional<std::pair<Item, Quantity>> item_by_barcode(db::Db& db, const std::string& key) {
  static const std::string sql =
      item_with_details_sql("b.pack_quantity", "FROM barcodes b JOIN items i ON i.id = b.item_id WHERE b.code = ?");
  auto q = db.query(sql);
  q.bind(1, key);
  if (!q.step()) return std::nullopt;
  return std::pair{read_item_with_details(db, q), Quantity{q.int64(item_extra_column)}};
}

namespace {
// From a one-row source, so that the layouts come back when no barcode matches. The
// layouts are read with the item (no second statement to see whether they changed).
const std::string& scan_lookup_sql() {
  static const std::string sql = item_with_details_sql(
      "b.pack_quantity, (SELECT json_group_array(json_array(prefix, item_digits, value_kind, value_digits, decimals, "
      "verifier)) FROM embedded_layouts)",
      "FROM (SELECT 1 AS one) o LEFT JOIN barcodes b ON b.code = ? LEFT JOIN items i ON i.id = b.item_id");
  return sql;
}
}  // namespace

void prefetch_scan_lookup(db::Db& db, const std::string& key) {
  db::prefetch(db, scan_lookup_sql(), [&key](db::Query& q) { q.bind(1, key); });
}

ScanLookup scan_lookup(db::Db& db, const std::string& key) {
  auto q = db.query(scan_lookup_sql());
  q.bind(1, key);
  ScanLookup out;
  if (!q.step()) return out;
  out.layouts = q.is_null(item_extra_column + 1) ? "[]" : q.text(item_extra_column + 1);
  if (!q.is_null(0)) out.found.emplace(read_item_with_details(db, q), Quantity{q.int64(item_extra_column)});
  return out;
}

std::vector<EmbeddedLayout> layouts_from_json(std::string_view text) {
  std::vector<EmbeddedLayout> out;
  bj::error_code ec;
  auto v = bj::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& row : v.as_array()) {
    const auto& a = row.as_array();
    if (a.size() != 6) continue;
    EmbeddedLayout l;
    l.prefix = json_text(a[0]);
    l.item_digits = static_cast<int>(json_int(a[1]));
    l.value = json_text(a[2]) == "weight" ? EmbeddedValue::weight : EmbeddedValue::price;
    l.value_digits = static_cast<int>(json_int(a[3]));
    l.decimals = static_cast<int>(json_int(a[4]));
    l.verifier = json_int(a[5]) != 0;
    out.push_back(l);
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.prefix < y.prefix; });
  return out;
}

std::optional<BarcodeOwner> barcode_owner(db::Db& db, const std::string& key) {
  auto q = db.query("SELECT b.item_id, i.sku, b.pack_quantity FROM barcodes b JOIN items i ON i.id = b.item_id WHERE b.code = ?");
  q.bind(1, key);
  if (!q.step()) return std::nullopt;
  return BarcodeOwner{q.text(0), q.text(1), Quantity{q.int64(2)}};
}

void insert_item(db::Db& db, const Item& it) {
  db::assert_in_transaction(db);
  db.query(
        "INSERT INTO items (id, sku, name, duplicate_key, description, category, brand, unit, sold_by_weight, cost, "
        "price, tax_category, case_pack, status, kind, parent_id, options, attributes, kit_consumes, version, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, it.id)
      .bind(2, it.sku)
      .bind(3, it.name)
      .bind(4, duplicate_key(it))
      .bind(5, it.description)
      .bind(6, it.category)
      .bind(7, it.brand)
      .bind(8, word(it.unit))
      .bind(9, it.sold_by_weight)
      .bind(10, it.cost)
      .bind(11, it.price)
      .bind(12, stored_tax_category(it))
      .bind(13, it.case_pack.milli)
      .bind(14, word(it.status))
      .bind(15, word(it.kind))
      .bind(16, it.parent_id)
      .bind(17, bj::serialize(it.options))
      .bind(18, bj::serialize(it.attributes))
      .bind(19, stored_kit_consumes(it))
      .bind(20, it.version)
      .bind(21, it.created_at)
      .bind(22, it.updated_at)
      .run();
  write_details(db, it, false);
  note_change(db, change_item, it.id);
}

void update_item(db::Db& db, const Item& it) {
  db::assert_in_transaction(db);
  db.query(
        "UPDATE items SET name = ?, duplicate_key = ?, description = ?, category = ?, brand = ?, unit = ?, "
        "sold_by_weight = ?, cost = ?, price = ?, tax_category = ?, case_pack = ?, status = ?, options = ?, "
        "attributes = ?, kit_consumes = ?, version = ?, updated_at = ? WHERE id = ?")
      .bind(1, it.name)
      .bind(2, duplicate_key(it))
      .bind(3, it.description)
      .bind(4, it.category)
      .bind(5, it.brand)
      .bind(6, word(it.unit))
      .bind(7, it.sold_by_weight)
      .bind(8, it.cost)
      .bind(9, it.price)
      .bind(10, stored_tax_category(it))
      .bind(11, it.case_pack.milli)
      .bind(12, word(it.status))
      .bind(13, bj::serialize(it.options))
      .bind(14, bj::serialize(it.attributes))
      .bind(15, stored_kit_consumes(it))
      .bind(16, it.version)
      .bind(17, it.updated_at)
      .bind(18, it.id)
      .run();
  write_details(db, it, true);
  note_change(db, change_item, it.id);
}

std::vector<Item> list_items(db::Db& db, const ItemFilter& f) {
  std::string sql = fmt::format("SELECT {} FROM items WHERE id > ?", item_columns);
  std::vector<std::string> binds{f.after_id};
  if (!f.category.empty()) {
    sql += " AND category = ?";
    binds.push_back(f.category);
  }
  if (!f.status.empty()) {
    sql += " AND status = ?";
    binds.push_back(f.status);
  }
  if (!f.kind.empty()) {
    sql += " AND kind = ?";
    binds.push_back(f.kind);
  }
  if (!f.parent_id.empty()) {
    sql += " AND parent_id = ?";
    binds.push_back(f.parent_id);
  }
  if (!f.q.empty()) {
    // Name words (every word must appear), SKU prefix, or an exact barcode as printed.
    sql += " AND (sku LIKE ? ESCAPE '\\' OR id IN (SELECT item_id FROM barcodes WHERE display = ? OR code = ?)";
    std::string escaped;
    for (char c : f.q) {
      if (c == '%' || c == '_' || c == '\\') escaped.push_back('\\');
      escaped.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
    }
    binds.push_back(escaped + "%");
    binds.push_back(f.q);
    binds.push_back(f.q);
    std::string words_clause;
    std::string folded;
    for (char c : f.q) folded.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    std::size_t start = 0;
    std::vector<std::string> words;
    while (start < folded.size()) {
      std::size_t end = folded.find(' ', start);
      if (end == std::string::npos) end = folded.size();
      if (end > start) words.push_back(folded.substr(start, end - start));
      start = end + 1;
    }
    if (!words.empty()) {
      sql += " OR (1 = 1";
      for (const auto& w : words) {
        std::string we;
        for (char c : w) {
          if (c == '%' || c == '_' || c == '\\') we.push_back('\\');
          we.push_back(c);
        }
        sql += " AND duplicate_key LIKE ? ESCAPE '\\'";
        binds.push_back("%" + we + "%");
      }
      sql += ")";
    }
    sql += ")";
  }
  sql += " ORDER BY id LIMIT ?";
  std::vector<Item> out;
  {
    auto q = db.query(sql);
    int i = 1;
    for (const auto& b : binds) q.bind(i++, b);
    q.bind(i, f.limit + 1);
    while (q.step()) out.push_back(read_item_row(q));
  }
  for (auto& it : out) load_details(db, it);
  return out;
}

std::vector<std::vector<Item>> duplicate_groups(db::Db& db, int limit) {
  std::vector<std::string> keys;
  {
    auto q = db.query(
        "SELECT duplicate_key FROM items WHERE status = 'active' AND kind != 'parent' GROUP BY duplicate_key "
        "HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, duplicate_key LIMIT ?");
    q.bind(1, limit);
    while (q.step()) keys.push_back(q.text(0));
  }
  std::vector<std::vector<Item>> groups;
  for (const auto& key : keys) {
    std::vector<std::string> ids;
    {
      auto q = db.query("SELECT id FROM items WHERE duplicate_key = ? AND status = 'active' AND kind != 'parent' ORDER BY id");
      q.bind(1, key);
      while (q.step()) ids.push_back(q.text(0));
    }
    std::vector<Item> group;
    for (const auto& id : ids)
      if (auto it = load_item(db, id)) group.push_back(std::move(*it));
    groups.push_back(std::move(group));
  }
  return groups;
}

std::vector<std::string> items_with_duplicate_key(db::Db& db, const std::string& key, const std::string& except_id) {
  std::vector<std::string> ids;
  auto q = db.query(
      "SELECT id FROM items WHERE duplicate_key = ? AND id != ? AND status = 'active' AND kind != 'parent' ORDER BY id LIMIT 10");
  q.bind(1, key).bind(2, except_id);
  while (q.step()) ids.push_back(q.text(0));
  return ids;
}

std::vector<EmbeddedLayout> load_layouts(db::Db& db) {
  std::vector<EmbeddedLayout> out;
  auto q = db.query("SELECT prefix, item_digits, value_kind, value_digits, decimals, verifier FROM embedded_layouts ORDER BY prefix");
  while (q.step()) {
    EmbeddedLayout l;
    l.prefix = q.text(0);
    l.item_digits = static_cast<int>(q.int64(1));
    l.value = q.text(2) == "weight" ? EmbeddedValue::weight : EmbeddedValue::price;
    l.value_digits = static_cast<int>(q.int64(3));
    l.decimals = static_cast<int>(q.int64(4));
    l.verifier = q.int64(5) != 0;
    out.push_back(l);
  }
  return out;
}

std::vector<std::string> load_internal_prefixes(db::Db& db) {
  std::vector<std::string> out;
  auto q = db.query("SELECT prefix FROM internal_prefixes ORDER BY prefix");
  while (q.step()) out.push_back(q.text(0));
  return out;
}

void replace_barcode_settings(db::Db& db, const std::vector<std::string>& internal_prefixes,
                              const std::vector<EmbeddedLayout>& layouts) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM embedded_layouts").run();
  for (const auto& l : layouts)
    db.query("INSERT INTO embedded_layouts (prefix, item_digits, value_kind, value_digits, decimals, verifier) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, l.prefix)
        .bind(2, l.item_digits)
        .bind(3, l.value == EmbeddedValue::weight ? "weight" : "price")
        .bind(4, l.value_digits)
        .bind(5, l.decimals)
        .bind(6, l.verifier)
        .run();
  // Sequences of prefixes that stay keep counting; a prefix removed and re-added later
  // keeps its row (it is only hidden), so its numbers are never handed out twice.
  db.query("UPDATE internal_prefixes SET prefix = 'retired:' || prefix WHERE prefix NOT LIKE 'retired:%'").run();
  for (const auto& p : internal_prefixes) {
    auto revived = db.query("UPDATE internal_prefixes SET prefix = ? WHERE prefix = ?");
    revived.bind(1, p).bind(2, "retired:" + p).run();
    if (db.changes() == 0) db.query("INSERT INTO internal_prefixes (prefix, next_sequence) VALUES (?, 1)").bind(1, p).run();
  }
}

std::uint64_t take_internal_sequence(db::Db& db, const std::string& prefix) {
  db::assert_in_transaction(db);
  std::int64_t seq = 0;
  {
    auto q = db.query("SELECT next_sequence FROM internal_prefixes WHERE prefix = ?");
    q.bind(1, prefix);
    if (!q.step()) return 0;
    seq = q.int64(0);
  }
  db.query("UPDATE internal_prefixes SET next_sequence = ? WHERE prefix = ?").bind(1, seq + 1).bind(2, prefix).run();
  return static_cast<std::uint64_t>(seq);
}

std::vector<TaxCategory> tax_categories(db::Db& db) {
  auto rates = settings::get_object(db, "tax_rates");
  auto names = settings::get_object(db, "tax_category_names");
  std::vector<TaxCategory> out;
  for (const auto& r : rates) {
    if (!r.value().is_int64()) continue;
    std::string code(r.key());
    auto name = names.if_contains(code);
    out.push_back(TaxCategory{code, name && name->is_string() ? std::string(name->as_string()) : code, r.value().as_int64()});
  }
  std::sort(out.begin(), out.end(), [](const TaxCategory& a, const TaxCategory& b) { return a.code < b.code; });
  return out;
}

std::optional<TaxCategory> tax_category(db::Db& db, const std::string& code) {
  for (auto& c : tax_categories(db))
    if (c.code == code) return c;
  return std::nullopt;
}

std::string default_tax_category(db::Db& db) { return settings::get(db, "default_tax_category").value_or("standard"); }

void put_tax_category(db::Db& db, const TaxCategory& category, bool make_default) {
  db::assert_in_transaction(db);
  auto rates = settings::get_object(db, "tax_rates");
  auto names = settings::get_object(db, "tax_category_names");
  if (!rates.contains(category.code) && rates.size() >= tax_categories_max)
    throw invalid_field("code", fmt::format("a shop has at most {} tax categories", tax_categories_max));
  rates[category.code] = category.rate_bp;
  names[category.code] = category.name;
  settings::put(db, "tax_rates", bj::serialize(rates));
  settings::put(db, "tax_category_names", bj::serialize(names));
  if (make_default) settings::put(db, "default_tax_category", category.code);
  note_change(db, change_tax, change_tax);
}

std::int64_t count_items(db::Db& db) {
  auto q = db.query("SELECT COUNT(*) FROM items");
  q.step();
  return q.int64(0);
}

bool item_has_children(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT 1 FROM items WHERE parent_id = ? LIMIT 1");
  q.bind(1, id);
  return q.step();
}

std::vector<std::string> kits_using(db::Db& db, const std::string& id) {
  std::vector<std::string> out;
  auto q = db.query("SELECT kit_id FROM kit_components WHERE component_id = ?");
  q.bind(1, id);
  while (q.step()) out.push_back(q.text(0));
  return out;
}

}  // namespace backroom::catalog::store
