// The days the KPI report needs, kept packed by calendar month beside the ledger (migration 39;
// docs/reports.md, "Where the figures come from"). Two halves, each written by the writer of
// its ledger in the same transaction and proved against it by `backroom check`:
//
// - stock: one row per stock account and UTC calendar month (year * 100 + month) in
//   `stock_day_months`, the month's days as `day:change[:reason=lost,reason=lost]` entries
//   joined by ';' (day = UTC days since 1970-01-01, change = the day's net movement of the
//   account in milli-units, lost = milli-units taken off by negative adjustments and counts
//   by reason). A day has an entry when any movement was posted to the account that day.
// - sales: one row per location, item and month in `sales_day_months` (sales/sold_days.hpp),
//   entries `day:sold:net:lines` (units sold less returned, net value without tax less
//   refunds, and how many sale and return lines made them; training sales left out, a voided
//   sale taken off its own day). An entry with no lines left is dropped.
// - each row also keeps its month's totals (migration 52: StockMonthTotals, SoldMonthTotals
//   below), written with the days, so the report can take a month wholly inside its period
//   without reading the days; NULL (a row the migration found no ledger for) means unknown.
//
// This file is pure (packing, unpacking, merging); kpi_days_store.cpp does the I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/db.hpp"

namespace backroom::stock {

struct StockDay {
  std::int64_t day = 0;
  std::int64_t change_milli = 0;
  std::map<std::string, std::int64_t> lost_milli;  // by movement reason, each > 0
  bool operator==(const StockDay&) const = default;
};

struct SoldDay {
  std::int64_t day = 0;
  std::int64_t sold_milli = 0;
  std::int64_t net_sales = 0;
  std::int64_t lines = 0;
  bool operator==(const SoldDay&) const = default;
};

// The UTC calendar month (year * 100 + month) of a day number.
int month_of_day(std::int64_t day);

// Entries sorted by day; unpacking accepts them in any order (the migration's aggregate does
// not promise one) and throws std::invalid_argument on text that is not the format above.
std::string pack_stock_days(const std::vector<StockDay>& days);
std::vector<StockDay> unpack_stock_days(std::string_view text);
// As above, appended to `out` (the report reuses one vector for millions of rows); sorted
// and checked from `out`'s former end.
void append_stock_days(std::string_view text, std::vector<StockDay>& out);
std::string pack_sold_days(const std::vector<SoldDay>& days);
std::vector<SoldDay> unpack_sold_days(std::string_view text);
void append_sold_days(std::string_view text, std::vector<SoldDay>& out);

// A packed month's totals, kept beside its days (migration 52) so that the report can take a
// month wholly inside its period from them without reading the days (reports_store.cpp). A
// month written before the migration has none where the ledger made no such month; readers
// then read the days.
struct StockMonthTotals {
  std::int64_t change_milli = 0;  // the month's net change
  // The lowest running change at the end of any day of the month, or 0 if higher (the days
  // before the month's first entry end where the month began): a month that opens with more
  // than -low_milli on hand ends every day of it with stock.
  std::int64_t low_milli = 0;
  // The sum of change x day over the entries: the month's on hand summed over its days is
  // opening x days + (last day + 1) x change_milli - day_weighted.
  std::int64_t day_weighted = 0;
  std::map<std::string, std::int64_t> lost_milli;  // by reason, each > 0
  bool operator==(const StockMonthTotals&) const = default;
};
StockMonthTotals stock_month_totals(const std::vector<StockDay>& days);
// The losses as `reason=lost,...` (reasons in order; "" for none) and back; unpacking
// throws std::invalid_argument on anything else.
std::string pack_losses(const std::map<std::string, std::int64_t>& lost);
std::map<std::string, std::int64_t> unpack_losses(std::string_view text);

struct SoldMonthTotals {
  std::int64_t sold_milli = 0;
  std::int64_t net_sales = 0;
  bool operator==(const SoldMonthTotals&) const = default;
};
SoldMonthTotals sold_month_totals(const std::vector<SoldDay>& days);

// Every month's totals of one stock account in one row (`stock_month_totals`, migration 57),
// and of one location and item (`sales_month_totals`): the report reads a year of whole months
// from one row instead of a row a month (stepping rows was two thirds of its time). Entries
// `month:change:low:weighted:losses` (stock; losses as pack_losses, '' for none) or
// `month:sold:net` (sales), joined by ';', one for every month row; `month:?` for a month row
// that keeps no totals (NULL, above), whose days must be read. Kept by the writers beside the
// month rows in the same transaction, proved against them by `backroom check`.
struct StockMonthEntry {
  int month = 0;
  bool known = false;  // false: `month:?`
  std::int64_t change_milli = 0, low_milli = 0, day_weighted = 0;
  std::string_view losses;  // pack_losses' text, a view into the packed text
};
struct SoldMonthEntry {
  int month = 0;
  bool known = false;
  std::int64_t sold_milli = 0, net_sales = 0;
};
std::string stock_month_entry(int month, const std::optional<StockMonthTotals>& totals);
std::string sold_month_entry(int month, const std::optional<SoldMonthTotals>& totals);
// The entries of months from `from_month` on into `out` (cleared), ascending by month (the
// migration's aggregate does not promise an order); throws std::invalid_argument on text that
// is not the format above or names a month twice.
void unpack_stock_month_entries(std::string_view text, int from_month, std::vector<StockMonthEntry>& out);
void unpack_sold_month_entries(std::string_view text, int from_month, std::vector<SoldMonthEntry>& out);
// `packed` with the entries of the months in `changed` replaced by theirs (an empty string
// removes the month), in month order; either half's entries (each begins `month:`).
std::string replace_month_entries(std::string_view packed, const std::map<int, std::string>& changed);

// The first and last day of a month (year * 100 + month).
std::int64_t first_day_of_month(int month);
std::int64_t last_day_of_month(int month);
// The month after and before a month (year * 100 + month): 202412 -> 202501 -> 202412.
constexpr int next_month(int month) { return month % 100 == 12 ? month + 89 : month + 1; }
constexpr int previous_month(int month) { return month % 100 == 1 ? month - 89 : month - 1; }

// Adds `delta` into `days` (kept sorted): the day's entry is created if missing.
void merge_stock_day(std::vector<StockDay>& days, const StockDay& delta);
// As above; an entry whose lines fall to 0 is removed.
void merge_sold_day(std::vector<SoldDay>& days, const SoldDay& delta);

// ----- store (kpi_days_store.cpp); callers hold the write transaction for the writes.

// Adds each account's deltas into its month rows: the rows are read in one statement, merged
// and written back a hundred to a statement (a sale or a pushed batch pays two round trips).
void add_stock_days(db::Db& db, const std::map<std::int64_t, std::vector<StockDay>>& deltas);

// Every account's balance row, by account number, and whether the summary has a month of it
// before `month` (so movements before that month), found from the month rows themselves (not
// the balance's first_month, which the report reads: tests compare the two readers).
struct AccountBalance {
  std::int64_t account = 0;
  std::string item_id;
  std::string location_id;
  std::int64_t on_hand_milli = 0;
  bool months_before = false;
};
std::vector<AccountBalance> account_balances(db::Db& db, int month);

// The packed rows from `from_month` on, in (account, month) order; the text is valid only
// during the call.
void each_stock_month(db::Db& db, int from_month,
                      const std::function<void(std::int64_t account, int month, std::string_view days)>& f);

// The KPI report's read of the accounts in item order (reports_store.cpp merges it with the
// sales half, item by item, without maps): the items whose id is in [from, to), no upper
// bound when `to` is empty; of those only the ones `only` lists when it is not empty (a JSON
// array of their ids, made once for all the cursors: the items the report set aside to read
// again, an id list in each statement, a probe an id). Both cursors are open together on one
// connection.
struct ItemRange {
  std::string from;
  std::string to;
  std::string only;
  // The condition on `column` (a placeholder each for from, to and the list) and its values.
  std::string condition(std::string_view column) const;
  int bind(db::Query& q, int at) const;  // returns the next placeholder
};

// A query's rows in item order, the item id (column 0) read once a row: the merge compares
// it many times. ItemBalances below and sales' LocationSoldMonths are these.
class ItemCursor {
 public:
  bool valid() const { return valid_; }
  void next() {
    valid_ = q_.step();
    item_id_ = valid_ ? q_.text_view(0) : std::string_view();
  }
  std::string_view item_id() const { return item_id_; }

 protected:
  explicit ItemCursor(db::Query q) : q_(std::move(q)) {}
  db::Query q_;

 private:
  bool valid_ = false;
  std::string_view item_id_;
};

// Every account of the items in the range, in (item, location) order: its balance, its
// number, and whether the summary holds a month of it before `month`.
class ItemBalances : public ItemCursor {
 public:
  ItemBalances(db::Db& db, int month, const ItemRange& items);
  std::string_view location_id() const { return q_.text_view(1); }
  std::int64_t on_hand_milli() const { return q_.int64(2); }
  bool months_before() const { return q_.int64(3) != 0; }
  std::int64_t account() const { return q_.int64(4); }
};

// The accounts' totals rows (`stock_month_totals`, migration 57: every month's totals of an
// account, StockMonthEntry) in the balances' order, for the items in the range: read beside
// ItemBalances in one pass (a row per account with a month row; keyed as the balances are, so
// no seek per account).
class ItemStockTotals : public ItemCursor {
 public:
  ItemStockTotals(db::Db& db, const ItemRange& items);
  std::string_view location_id() const { return q_.text_view(1); }
  std::string_view months() const { return q_.text_view(2); }
  // The account's latest month row (migration 58) and its days; 0 and "" where not kept.
  int latest_month() const { return q_.is_null(3) ? 0 : static_cast<int>(q_.int64(3)); }
  std::string_view latest_days() const { return q_.is_null(4) ? std::string_view() : q_.text_view(4); }
};

// The packed days of those accounts' months in [from_month, to_month], in the balances' order
// (item, then location), an account's months in no given order: the report reads the months
// it cannot take from their totals (the first and last of its window, usually) through one of
// these per run of such months, told apart by `slot` (0, 1, ...: each its own statement). A
// row names its account only (ItemBalances gave its item and location): the report steps
// millions of these, and two text ids a row cost a tenth of it.
class ItemStockMonths {
 public:
  ItemStockMonths(db::Db& db, int slot, int from_month, int to_month, const ItemRange& items);
  bool valid() const { return valid_; }
  void next() { valid_ = q_.step(); }
  std::int64_t account() const { return q_.int64(0); }
  std::string_view days() const { return q_.text_view(1); }
  int month() const { return static_cast<int>(q_.int64(2)); }

 private:
  db::Query q_;
  bool valid_ = false;
};

// One month's packed days (a month the report meant to take whole but cannot: its stock ran
// out, or the series began in it); none if the account has no row that month.
std::optional<std::string> stock_month_days(db::Db& db, std::int64_t account, int month);
// The packed days of each (account, month) of `keys` that has a row, in one statement a month
// (the accounts a list in it): the lookups the KPI report's first pass would have made, read
// together for its second (reports_store.cpp, "items set aside").
std::map<std::pair<std::int64_t, int>, std::string> stock_months_days(db::Db& db,
                                                                      const std::set<std::pair<std::int64_t, int>>& keys);

// Rebuilds every totals row from the month rows (tests that write month rows directly).
void rebuild_stock_month_totals(db::Db& db);

// `backroom check`: each packed month against the ledger's GROUP BY of the same account and
// month; one line a difference.
std::vector<std::string> check_stock_days(db::Db& db);

}  // namespace backroom::stock
