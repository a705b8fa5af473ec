// Holds: an online order line's claim on stock at its store, made the moment the order is
// paid (docs/orders.md). A hold keeps `held` of its line's `quantity` out of what is
// available; stock_balances.reserved is every active reservation plus every hold's held,
// and `backroom check` proves it. The last-unit rule lives here, on the sale path's own
// transaction: when stock moves out and leaves fewer units on hand than are held, the most
// recently paid holds give up units (status `short`, an `order.short` event) until on hand
// covers what is held. Stock never refuses a movement because of a hold.
//
// Availability changes: every movement and every hold change renumbers its item x location
// in the change feed, so a reader after a cursor sees each changed pair once.
// Commands run on the writer's connection inside its transaction; reads on any.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "platform/types.hpp"
#include "platform/vocabulary.hpp"

namespace backroom::stock {

enum class HoldStatus { active, short_, released, collected };
inline constexpr Vocabulary<HoldStatus, 4> hold_statuses{{{{HoldStatus::active, "active"},
                                                            {HoldStatus::short_, "short"},
                                                            {HoldStatus::released, "released"},
                                                            {HoldStatus::collected, "collected"}}}};
inline std::string_view word(HoldStatus s) { return hold_statuses.text(s); }

struct Hold {
  std::string line_id;  // the order line it belongs to (also the hold's id)
  std::string order_id;
  std::string item_id;
  std::string location_id;
  Quantity quantity;  // what the line wants
  Quantity held;      // what is kept for it (less than quantity: short)
  HoldStatus status = HoldStatus::active;
  Timestamp paid_at;
};

struct HoldRequest {
  std::string line_id;
  std::string item_id;
  Quantity quantity;
};

// Pure: the last-unit rule's arithmetic. `held_oldest_paid_first` are the units each hold at
// one item x location keeps, in the order they were paid; `room` is what may be held there
// (on hand less reservations, never below 0). The most recently paid give up units first until
// the total fits; returns each hold's new held, same order.
std::vector<Quantity> fit_holds(const std::vector<Quantity>& held_oldest_paid_first, Quantity room);

// Holds an order's lines at `location_id` as paid at `paid_at`: each line keeps what is
// available (on hand less reserved) up to its quantity; a line that cannot be held whole is
// `short` and gets an order.short event (an online payment is never oversold, never refused).
std::vector<Hold> place_holds(db::Db& db, const std::string& order_id, const std::string& location_id,
                              const std::vector<HoldRequest>& lines, Timestamp paid_at);
// The holds of an order, in line order of creation.
std::vector<Hold> holds_of(db::Db& db, const std::string& order_id);
// Lowers a line's hold to `held` (a short pick keeps what was picked); never raises it.
void lower_hold(db::Db& db, const std::string& line_id, Quantity held);
// Ends every hold of an order: `released` (cancelled, expired) or `collected` (picked up,
// just before the sale moves the units out), giving their units back to the balance.
void end_holds(db::Db& db, const std::string& order_id, HoldStatus to);

// The last-unit rule at one item x location whose on hand just went down to `on_hand`
// (post_movements calls it; `reserved` is the balance's reserved before the rule). Returns
// the units the holds gave up (0 when none had to).
Quantity apply_last_unit_rule(db::Db& db, const std::string& item_id, const std::string& location_id, Quantity on_hand,
                          Quantity reserved);

// The availability change feed. Called after the balance of item x location changed, in the
// same transaction (every write of stock_balances.on_hand or .reserved notes its pair): the
// pair is renumbered and its change row keeps the balance's on hand and reserved as they are
// now, so the latest row of a pair always equals its balance (`backroom check` proves it).
void note_availability_change(db::Db& db, const std::string& item_id, const std::string& location_id);
// The same with the numbers the caller has just written to the balance (post_movements, the
// sale's path: no read of the balance). They must be the balance's as it now is.
void note_availability_change(db::Db& db, const std::string& item_id, const std::string& location_id, Quantity on_hand,
                              Quantity reserved);
struct AvailabilityChange {
  std::int64_t seq = 0;
  std::string item_id;
  std::string location_id;
  Quantity on_hand;
  Quantity reserved;
};
// Up to `limit` pairs changed after `cursor`, oldest change first, with their balances now
// (read from the change rows alone: no balance is looked up).
std::vector<AvailabilityChange> availability_changes_after(db::Db& db, std::int64_t cursor, int limit);
// The newest change's number (0 when none).
std::int64_t availability_cursor(db::Db& db);

// On hand and reserved of items at locations (empty list = all of that kind), for the feed.
struct StockLevel {
  std::string item_id;
  std::string location_id;
  Quantity on_hand;
  Quantity reserved;
};
std::vector<StockLevel> stock_levels(db::Db& db, const std::vector<std::string>& item_ids,
                                     const std::vector<std::string>& location_ids);
// Balances of active items at sellable locations whose on hand − held is at most `at_most`,
// fewest first, then by item name; `location_id` empty: every sellable location. Reads up to
// limit + 1 rows from `offset` (the caller's list page tells "more" from the extra row).
struct LowStockRow {
  StockLevel level;
  std::string sku;
  std::string name;
};
std::vector<LowStockRow> low_stock_levels(db::Db& db, Quantity at_most, const std::string& location_id,
                                          std::int64_t offset, int limit);
// Every balance at sellable locations, item then location order, read one row at a time on
// `db` (the snapshot, which reads it a part at a time as it sends it). The ids are views into
// the row: valid until the next next(). The connection must outlive the cursor, and a read
// snapshot on it the whole walk: the balances are read in pages of `page_rows` by key, after
// the last key read (PostgreSQL's libpq holds a statement's whole result: one statement over a
// million rows held them all, 469 MB). `from`, `until`: only the items from `from` (its id
// or the first after it) to before `until` (empty: to the end): one range of a walk split
// across connections (item_range_starts).
struct StockLevelView {
  std::string_view item_id;
  std::string_view location_id;
  Quantity on_hand;
  Quantity reserved;
};
class StockLevelCursor {
 public:
  static constexpr int page_rows = 10'000;
  explicit StockLevelCursor(db::Db& db, int rows_a_page = page_rows, std::string from = {}, std::string until = {});
  bool next(StockLevelView& row);

 private:
  void read_page();
  void read_items_after();
  bool sellable(std::string_view location_id);
  db::Db& db_;
  int rows_a_page_;
  struct Location {
    std::string id;
    bool sellable;
  };
  std::vector<Location> locations_;
  std::size_t location_next_ = 0;  // where the next row's location is looked for first
  std::optional<db::Query> query_;
  bool reading_rest_of_item_ = false;  // of the item the last page ended in (not counted in the page)
  int rows_read_ = 0;                  // of the page being read
  std::string after_item_, after_location_;  // the key the next page starts after
  std::string until_;
};
// Where the range of items after the one of `items_a_range` items from `start` begins (an
// item id), for StockLevelCursor's `from` and `until`; nullopt: that range is the last.
std::optional<std::string> next_item_range_start(db::Db& db, const std::string& start, int items_a_range);

// The holds half of `backroom check`, and the change rows against their balances: one line
// per problem.
std::vector<std::string> check_holds(db::Db& db);

}  // namespace backroom::stock
