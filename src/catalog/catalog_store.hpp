// The item master's SQL. Every function takes the connection it runs on: a reader's for
// queries, the writer's (inside its transaction) for changes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/barcode.hpp"
#include "catalog/item.hpp"
#include "platform/db.hpp"
#include "platform/settings.hpp"

namespace backroom::catalog::store {

std::optional<Item> load_item(db::Db& db, const std::string& id);
std::optional<std::string> item_id_by_sku(db::Db& db, const std::string& sku);

// What other rooms read of an item without loading all of it (load_item also reads its
// barcodes, prices and components).
std::optional<ItemKind> item_kind(db::Db& db, const std::string& id);
// Of `ids`, those that exist, each with its regular price (nullopt: no price). One statement.
std::map<std::string, std::optional<std::int64_t>> regular_prices(db::Db& db, const std::vector<std::string>& ids);
// What one unit is worth to the books: its cost, else its price; nullopt when it has
// neither or does not exist.
std::optional<std::int64_t> unit_cost(db::Db& db, const std::string& id);
// An item as a document line names it.
struct ItemHead {
  std::string sku;
  std::string name;
  std::optional<std::int64_t> price;
  std::string category;  // where a counter finds it
};
// The heads of the items of `ids` that exist, by id, in one query.
std::map<std::string, ItemHead> item_heads(db::Db& db, const std::vector<std::string>& ids);
// What planning reads of an item: its head, category and whether it is still sold.
struct PlanningFacts {
  std::string sku;
  std::string name;
  std::string category;
  std::optional<std::int64_t> price;  // the regular retail price
  bool discontinued = false;
};
// The facts of the items of `ids` that exist, by id, in one query.
std::map<std::string, PlanningFacts> planning_facts(db::Db& db, const std::vector<std::string>& ids);
// Items that hold stock of their own: active, not a variant parent, not a kit that
// consumes its components; by id (demo opening stock, counts' ABC classes).
struct StockedItem {
  std::string id;
  bool sold_by_weight = false;
  std::optional<std::int64_t> unit_cost;  // as unit_cost() says
};
std::vector<StockedItem> stocked_items(db::Db& db);

struct BarcodeOwner {
  std::string item_id;
  std::string sku;
  Quantity pack_quantity;
};
std::optional<BarcodeOwner> barcode_owner(db::Db& db, const std::string& key);
// The item a barcode key belongs to, with the barcode's pack quantity (the scan path).
std::optional<std::pair<Item, Quantity>> item_by_barcode(db::Db& db, const std::string& key);
// The scan path in one statement: the item of barcode `key` as item_by_barcode gives it, and
// the embedded layouts as that statement saw them (`layouts`: JSON text, to compare with the
// text a cache was made from; layouts_from_json reads it).
struct ScanLookup {
  std::string layouts;
  std::optional<std::pair<Item, Quantity>> found;
};
ScanLookup scan_lookup(db::Db& db, const std::string& key);
std::vector<EmbeddedLayout> layouts_from_json(std::string_view text);

void insert_item(db::Db& db, const Item& item);
// Rewrites the item row and replaces its prices, components and barcodes.
void update_item(db::Db& db, const Item& item);

struct ItemFilter {
  std::string q;         // name words, sku prefix or exact barcode
  std::string category;
  std::string status;    // "" = any
  std::string kind;      // "" = any
  std::string parent_id;
  std::string after_id;  // cursor: ids are time-ordered, so paging is stable under inserts
  int limit = 50;
};
// Returns up to limit + 1 items so the caller knows whether there is a next page.
std::vector<Item> list_items(db::Db& db, const ItemFilter& filter);

// Groups of active items sharing a duplicate key, largest first.
std::vector<std::vector<Item>> duplicate_groups(db::Db& db, int limit);
std::vector<std::string> items_with_duplicate_key(db::Db& db, const std::string& key, const std::string& except_id);

std::vector<EmbeddedLayout> load_layouts(db::Db& db);
std::vector<std::string> load_internal_prefixes(db::Db& db);
void replace_barcode_settings(db::Db& db, const std::vector<std::string>& internal_prefixes,
                              const std::vector<EmbeddedLayout>& layouts);
// Takes the next never-used sequence number of `prefix` (the counter only grows).
std::uint64_t take_internal_sequence(db::Db& db, const std::string& prefix);

// Tax categories: the rates (settings `tax_rates`, basis points, shared with sales), their
// names, and the shop's default: the category of items that have none of their own.
struct TaxCategory {
  std::string code;
  std::string name;
  std::int64_t rate_bp = 0;
};
std::vector<TaxCategory> tax_categories(db::Db& db);
std::optional<TaxCategory> tax_category(db::Db& db, const std::string& code);
std::string default_tax_category(db::Db& db);
// Writes one category (a new code is added); `make_default` also makes it the default.
void put_tax_category(db::Db& db, const TaxCategory& category, bool make_default);

std::int64_t count_items(db::Db& db);
bool item_has_children(db::Db& db, const std::string& id);
// Kits that list `id` as a component.
std::vector<std::string> kits_using(db::Db& db, const std::string& id);

// Every item as the KPI report (src/reports/) groups and values it, in one query: name,
// SKU, category, cost (nullopt when unset), whether it is active and holds stock of its own
// (the rule of stocked_items). The report itself reads ReportItemCursor below; this whole
// list is the reference reader of its tests and benchmark.
struct ReportItem {
  std::string id;
  std::string sku;
  std::string name;
  std::string category;
  std::optional<std::int64_t> cost;
  bool stocked = false;
};
std::vector<ReportItem> report_items(db::Db& db);

// The same items as a cursor in id order (bytewise on both backends), those whose id is in
// [from, to) (no upper bound when `to` is empty), and of those only the ones `only` lists when
// it is not empty (a JSON array of ids): the report reads them beside its streams, item by item, on the connection
// of its part, instead of copying the whole catalog first (100,000 items took 140-230 ms on
// one thread before any part began).
class ReportItemCursor {
 public:
  ReportItemCursor(db::Db& db, const std::string& from, const std::string& to, const std::string& only = {});
  bool valid() const { return valid_; }
  void next();
  std::string_view id() const { return id_; }
  std::string_view category() const { return q_.text_view(1); }
  std::optional<std::int64_t> cost() const { return q_.opt_int64(2); }
  bool stocked() const { return q_.int64(3) != 0; }

 private:
  db::Query q_;
  bool valid_ = false;
  std::string_view id_;
};
// The ids that cut the items, in id order, into `parts` runs of nearly equal size (parts - 1
// ids, fewer when there are fewer items): where the report's parts begin.
std::vector<std::string> report_item_cuts(db::Db& db, std::size_t parts);

}  // namespace backroom::catalog::store
