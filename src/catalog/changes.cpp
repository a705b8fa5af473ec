// The catalog change feed as JSON (catalog/changes.hpp).
#include "catalog/changes.hpp"

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

CatalogChangesPage changes_after(db::Db& db, std::int64_t cursor, int limit) {
  CatalogChangesPage page;
  page.next_cursor = cursor;
  auto rows = store::changes_after(db, cursor, limit + 1);
  page.more = static_cast<int>(rows.size()) > limit;
  if (page.more) rows.pop_back();
  for (const auto& c : rows) {
    page.next_cursor = c.seq;
    page.changes.push_back(bj::object{{"seq", std::to_string(c.seq)},
                                      {"entity", c.entity},
                                      {"key", c.key},
                                      {"changed_at", format_rfc3339(Timestamp{c.changed_at})},
                                      {"data", change_data(db, c)}});
  }
  return page;
}

}  // namespace backroom::catalog
