// The catalog change feed: what a store node or an offline register needs to keep its copy
// of the item master current. Every write of an item (its barcodes and prices travel with
// it), of a scheduled price change and of the tax table notes a change in the same
// transaction (migration 21, `catalog_changes`); a change renumbers the entity, so reading
// after a cursor gives each changed entity once, in order, as it is now (coalesced).
// Resumable: the cursor is the last `seq` read; a reader that stops mid-page asks again
// from its cursor and loses nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "catalog/barcode.hpp"
#include "platform/db.hpp"

namespace backroom::catalog {

inline constexpr const char* change_item = "item";
inline constexpr const char* change_price_change = "price_change";
inline constexpr const char* change_tax = "tax";

namespace store {
struct CatalogChange {
  std::int64_t seq = 0;
  std::string entity;
  std::string key;
  std::int64_t changed_at = 0;
};
// Notes that `entity` `key` changed (inside the writer's transaction).
void note_change(db::Db& db, const std::string& entity, const std::string& key);
std::vector<CatalogChange> changes_after(db::Db& db, std::int64_t cursor, int limit);
// The newest seq (0 when the feed is empty).
std::int64_t changes_cursor(db::Db& db);
}  // namespace store

struct CatalogChangesPage {
  boost::json::array changes;  // {seq, entity, key, changed_at, data}
  std::int64_t next_cursor = 0;
  bool more = false;
};
// Up to `limit` changes after `cursor`, each with the entity as it is now (`data`): an item
// as GET /items/{id} answers it, a price change as GET /price-changes/{id}, the tax table
// as GET /tax-categories.
CatalogChangesPage changes_after(db::Db& db, std::int64_t cursor, int limit);
// The same, and a change of an entity the catalog does not own (a `transfer` shipped to a
// store node's store, stock/stock.hpp) is given to `other`: its data, or nullopt to leave the
// change out of the page (the cursor still moves past it; the page reads on so that it still
// holds `limit` changes when the feed has them, looking at no more than `changes_scan_pages`
// × `limit` rows: past a longer run of left-out changes the page is short, even empty, with
// the cursor moved on and `more`). Without `other` such a change is left out (a register's
// feed).
inline constexpr int changes_scan_pages = 10;
using OtherChange = std::function<std::optional<boost::json::value>(const store::CatalogChange&)>;
CatalogChangesPage changes_after(db::Db& db, std::int64_t cursor, int limit, const OtherChange& other);

// The tax table as GET /api/v1/tax-categories answers it.
boost::json::object tax_categories_to_json(db::Db& db);

}  // namespace backroom::catalog

namespace backroom::catalog {
// On a store node: applies changes of head office's feed (`entity`, and `data` as
// changes_after gives it) to this database, as head office has them: the item row with its
// barcodes and prices (inserted or replaced, same id and version), the price change row, the
// tax categories. A replica's write: no audit entry (head office audited the change), but
// the node's own feed notes it for its registers. Throws Problem 422 on data it cannot read.
// One applier for a run of changes in one transaction (a pull): the barcode layouts and the
// shop's default tax category are read once for the run (again after a tax change in it),
// not once an item — a new node's first pull is the whole catalog.
class FeedApplier {
 public:
  explicit FeedApplier(db::Db& db) : db_(db) {}
  void apply(const std::string& entity, const boost::json::value& data);

 private:
  db::Db& db_;
  std::optional<std::vector<EmbeddedLayout>> layouts_;
  std::optional<std::string> default_tax_;
};
}  // namespace backroom::catalog
