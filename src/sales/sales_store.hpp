// Sales' SQL (sales_store.cpp), on typed documents: settings rows, registers and their
// receipt numbers, sales, voids, returns, exchanges, parked sales and register sessions.
// Writes run on the writer inside the command's transaction (they assert it). Nothing here
// decides anything: the commands do.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/db.hpp"
#include "sales/sale.hpp"
#include "sales/sales.hpp"

namespace backroom::sales::store {

// Settings: the raw rows of sales' keys in `settings` (sales_json reads and writes them).
std::map<std::string, std::string> settings_rows(db::Db& db);
void put_setting(db::Db& db, const std::string& key, const std::string& value);

// Registers.
std::optional<std::string> register_location(db::Db& db, const std::string& register_id);
void insert_register(db::Db& db, const std::string& register_id, const std::string& location_id);
void name_register_if_unnamed(db::Db& db, const std::string& register_id, const std::string& name);
std::optional<std::string> open_session_of(db::Db& db, const std::string& register_id);
// Takes the register's next receipt (or training) number.
std::int64_t take_receipt_number(db::Db& db, const std::string& register_id, bool training);
// Names for documents: the register's name (its id when unnamed), a location's, a user's.
std::string register_name(db::Db& db, const std::string& register_id);
std::string location_name(db::Db& db, const std::string& location_id);
Person person(db::Db& db, const std::optional<std::string>& user_id, const std::string& user);

// Sales.
std::optional<std::string> sale_request_hash(db::Db& db, const std::string& id);
void insert_sale(db::Db& db, const Sale& s, const std::string& request_hash);
std::optional<Sale> load_sale(db::Db& db, const std::string& id);
// Records the number a register printed offline for a sale posted online (migration 51).
void insert_offline_receipt(db::Db& db, const std::string& sale_id, const std::string& receipt_number,
                            std::int64_t at, const std::string& by);
std::vector<std::string> find_sale_ids(db::Db& db, const SalesFilter& f);
std::vector<ChannelTotal> channel_totals(db::Db& db, const std::optional<Timestamp>& from,
                                         const std::optional<Timestamp>& to, const std::string& location_id);
void insert_void(db::Db& db, const std::string& sale_id, const SaleVoid& v);
// What planning reads of sales: per sale of `sale_ids` and item, the lowest unit price it
// sold at, its lines' gross and their own line discounts summed (a line discount's depth:
// the receipt's discount is not in it), and whether any of its lines was discounted, by line
// or receipt (promotion days). Training sales are left out (they never move stock either).
struct LinePrice {
  std::string sale_id;
  std::string item_id;
  std::int64_t unit_price = 0;
  std::int64_t gross = 0;
  std::int64_t line_discount = 0;
  bool discounted = false;
};
std::vector<LinePrice> line_prices(db::Db& db, const std::vector<std::string>& sale_ids);

// Returns.
struct SoldLine {
  std::string id, item_id;
  Quantity quantity, returned;
  std::int64_t total = 0, tax = 0, tax_rate_bp = 0;
};
std::optional<SoldLine> sold_line(db::Db& db, const std::string& sale_line_id, const std::string& sale_id);
// What a sale line took from the ledger, per item (a kit line takes its components).
std::vector<std::pair<std::string, Quantity>> line_takings(db::Db& db, const std::string& sale_id,
                                                           const std::string& sale_line_id);
std::vector<Tender> sale_tenders(db::Db& db, const std::string& sale_id);
std::vector<Refunded> refunded_before(db::Db& db, const std::string& sale_id);
std::optional<std::string> return_request_hash(db::Db& db, const std::string& id);
// The return's row, lines (adding returned quantities to the sale's lines when
// `touch_sale`) and tenders.
void insert_return(db::Db& db, const Return& r, const std::string& request_hash, bool touch_sale);
std::optional<Return> load_return(db::Db& db, const std::string& id);

// Exchanges.
std::optional<std::string> exchange_request_hash(db::Db& db, const std::string& id);
// `created_at` (microseconds) is now unless given (a store node's exchange: the store's time).
void insert_exchange(db::Db& db, const std::string& id, const std::string& return_id, const std::string& sale_id,
                     const std::string& request_hash, const std::string& user,
                     std::optional<std::int64_t> created_at = std::nullopt);
struct ExchangeRow {
  std::string id, return_id, sale_id;
  std::int64_t created_at = 0;
  std::string user;
};
std::optional<ExchangeRow> load_exchange_row(db::Db& db, const std::string& id);

// Parked sales.
std::optional<ParkedSale> load_parked(db::Db& db, const std::string& id);
void insert_parked(db::Db& db, const ParkedSale& p);
std::vector<std::string> parked_ids(db::Db& db, const std::string& location_id, const std::string& register_id);
void set_parked_status(db::Db& db, const std::string& id, ParkedStatus status);

// Register sessions.
std::optional<Session> load_session(db::Db& db, const std::string& register_id, const std::string& session_id);
std::vector<std::string> session_ids(db::Db& db, const std::string& register_id, const std::string& before_id, int limit);
void insert_session(db::Db& db, const std::string& id, const std::string& register_id, std::int64_t opening_float,
                    const std::string& user);
void insert_cash_movement(db::Db& db, const std::string& session_id, CashMovementKind kind, std::int64_t amount,
                          const std::string& reason, const std::string& user);
void close_session(db::Db& db, const std::string& session_id, std::int64_t counted_cash, const std::string& counted_json,
                   const std::string& user, const std::string& z_report_json);
// Everything a session's X or Z report sums (training documents never count).
SessionTotals session_totals(db::Db& db, const std::string& session_id);

}  // namespace backroom::sales::store
