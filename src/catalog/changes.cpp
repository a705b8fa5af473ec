// The catalog change feed as JSON (catalog/changes.hpp).
#include "catalog/changes.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "catalog/catalog.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/item.hpp"
#include "catalog/price_changes.hpp"
#include "platform/types.hpp"

namespace backroom::catalog {

namespace bj = boost::json;

bj::object tax_categories_to_json(db::Db& db) {
  bj::array list;
  auto fallback = store::default_tax_category(db);
  for (const auto& c : store::tax_categories(db))
    list.push_back(bj::object{{"code", c.code}, {"name", c.name}, {"rate", c.rate_bp}, {"default", c.code == fallback}});
  return bj::object{{"tax_categories", std::move(list)}, {"default_tax_category", fallback}};
}

namespace {
bj::value change_data(db::Db& db, const store::CatalogChange& c) {
  if (c.entity == change_item) {
    if (auto item = store::load_item(db, c.key)) return item_to_json(*item);
  } else if (c.entity == change_price_change) {
    if (auto change = store::load_price_change(db, c.key)) return price_change_to_json(*change);
  } else if (c.entity == change_tax) {
    return tax_categories_to_json(db);
  }
  return nullptr;  // gone (never happens today: items and price changes are not deleted)
}
}  // namespace

CatalogChangesPage changes_after(db::Db& db, std::int64_t cursor, int limit) { return changes_after(db, cursor, limit, {}); }

CatalogChangesPage changes_after(db::Db& db, std::int64_t cursor, int limit, const OtherChange& other) {
  CatalogChangesPage page;
  page.next_cursor = cursor;
  limit = std::max(limit, 1);
  // Changes left out (another reader's) do not count: the page reads on past them, a page's
  // worth of rows at a time, until it holds `limit` changes or the feed ends, so a run of
  // them does not answer a short page. It looks at no more than `scan_max` rows, though:
  // past a long run of others' changes it answers what it has (even nothing) with the cursor
  // moved on and `more`, and the reader asks again from there.
  const int scan_max = changes_scan_pages * limit;
  int scanned = 0;
  for (;;) {
    auto rows = store::changes_after(db, page.next_cursor, limit + 1);
    const bool beyond = static_cast<int>(rows.size()) > limit;
    if (beyond) rows.pop_back();
    for (const auto& c : rows) {
      if (static_cast<int>(page.changes.size()) == limit) {  // full, with rows still to read
        page.more = true;
        return page;
      }
      page.next_cursor = c.seq;
      ++scanned;
      bj::value data;
      if (c.entity == change_item || c.entity == change_price_change || c.entity == change_tax) {
        data = change_data(db, c);
      } else {
        auto given = other ? other(c) : std::nullopt;
        if (!given) continue;
        data = std::move(*given);
      }
      page.changes.push_back(bj::object{{"seq", std::to_string(c.seq)},
                                        {"entity", c.entity},
                                        {"key", c.key},
                                        {"changed_at", format_rfc3339(Timestamp{c.changed_at})},
                                        {"data", std::move(data)}});
    }
    page.more = beyond;
    if (!beyond || static_cast<int>(page.changes.size()) == limit || scanned >= scan_max) return page;
  }
}

namespace {
std::int64_t time_of(const bj::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || !v->is_string()) throw invalid_field(key, fmt::format("{} is a time", key));
  auto t = parse_rfc3339(v->get_string());
  if (!t) throw invalid_field(key, fmt::format("{} is a time", key));
  return t->micros;
}
std::optional<std::int64_t> opt_time_of(const bj::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  return time_of(o, key);
}
std::optional<std::string> opt_text_of(const bj::object& o, const char* key) {
  auto v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}
std::string text_of(const bj::object& o, const char* key) {
  auto v = opt_text_of(o, key);
  if (!v) throw invalid_field(key, fmt::format("{} is text", key));
  return *v;
}

void apply_item(db::Db& db, const bj::object& data, const std::vector<EmbeddedLayout>& layouts,
                const std::string& default_tax) {
  auto id = text_of(data, "id");
  bj::object body = data;
  // What item_to_json adds that an item body does not carry.
  for (auto key : {"sellable", "effective_tax_category", "tax_category_source", "created_at", "updated_at", "version"})
    body.erase(key);
  Item item;
  apply_item_json(body, item, true);
  item.id = id;
  auto version = data.if_contains("version");
  item.version = version && version->is_int64() ? version->as_int64() : 1;
  item.created_at = time_of(data, "created_at");
  item.updated_at = time_of(data, "updated_at");
  if (item.tax_category.empty()) {  // no category of its own: the shop's default, as head office sends it
    item.tax_category_inherited = true;
    item.tax_category = default_tax;
  }
  resolve_barcodes(db, item, layouts);
  if (store::item_kind(db, id))
    store::update_item(db, item);
  else
    store::insert_item(db, item);
}

void apply_price_change(db::Db& db, const bj::object& data) {
  PriceChange c;
  c.id = text_of(data, "id");
  c.item_id = text_of(data, "item_id");
  c.tier = opt_text_of(data, "tier");
  auto price = data.if_contains("price");
  if (!price || !price->is_int64()) throw invalid_field("price", "price is an amount");
  c.price = price->as_int64();
  if (auto old = data.if_contains("old_price"); old && old->is_int64()) c.old_price = old->as_int64();
  c.effective_at = time_of(data, "effective_at");
  c.reason = text_of(data, "reason");
  c.status = text_of(data, "status");
  c.requested_by = text_of(data, "requested_by");
  c.requested_at = time_of(data, "requested_at");
  c.decided_by = opt_text_of(data, "decided_by");
  c.decided_at = opt_time_of(data, "decided_at");
  c.decision_note = opt_text_of(data, "decision_note");
  c.applied_at = opt_time_of(data, "applied_at");
  // A promotion (migration 38): its flag and end; "ended" is an applied change that went back.
  if (auto p = data.if_contains("promotion"); p && p->is_bool()) c.promotion = p->as_bool();
  c.ends_at = opt_time_of(data, "ends_at");
  c.ended_at = opt_time_of(data, "ended_at");
  if (c.status == "ended") c.status = "applied";
  if (store::load_price_change(db, c.id))
    store::update_price_change(db, c);
  else
    store::insert_price_change(db, c);
}

void apply_tax(db::Db& db, const bj::object& data) {
  auto list = data.if_contains("tax_categories");
  if (!list || !list->is_array()) throw invalid_field("tax_categories", "tax_categories is a list");
  auto fallback = opt_text_of(data, "default_tax_category");
  for (const auto& v : list->get_array()) {
    if (!v.is_object()) throw invalid_field("tax_categories", "a tax category is an object");
    const auto& o = v.get_object();
    auto rate = o.if_contains("rate");
    if (!rate || !rate->is_int64()) throw invalid_field("rate", "rate is basis points");
    store::TaxCategory c{text_of(o, "code"), text_of(o, "name"), rate->as_int64()};
    store::put_tax_category(db, c, fallback && *fallback == c.code);
  }
}
}  // namespace

void FeedApplier::apply(const std::string& entity, const bj::value& data) {
  if (data.is_null()) return;  // gone at head office
  if (!data.is_object()) throw invalid_field("data", "a change's data is an object");
  if (entity == change_item) {
    if (!layouts_) layouts_ = store::load_layouts(db_);
    if (!default_tax_) default_tax_ = store::default_tax_category(db_);
    apply_item(db_, data.get_object(), *layouts_, *default_tax_);
  } else if (entity == change_price_change) {
    apply_price_change(db_, data.get_object());
  } else if (entity == change_tax) {
    apply_tax(db_, data.get_object());
    default_tax_.reset();  // the shop's default may have moved with it
  } else {
    throw invalid_field("entity", fmt::format("unknown entity '{}'", entity.substr(0, 40)));
  }
}

}  // namespace backroom::catalog
