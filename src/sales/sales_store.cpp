// Sales' SQL (sales_store.hpp): settings rows, registers, sales, voids, returns,
// exchanges, parked sales, register sessions. Typed documents in and out; no rules here.
#include "sales/sales_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "access/auth_store.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/assert.hpp"
#include "platform/db_rows.hpp"
#include "platform/ids.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "sales/sales_store_batch.hpp"
#include "sales/sold_days.hpp"

namespace backroom::sales::store {

namespace {

TenderType tender_type(const std::string& word) { return tender_types.stored(word); }

}  // namespace

// ------------------------------------------------------------------------------ settings

std::map<std::string, std::string> settings_rows(db::Db& db) {
  return settings::get_many(db, std::vector<std::string>(sale_setting_keys.begin(), sale_setting_keys.end()));
}

void put_setting(db::Db& db, const std::string& key, const std::string& value) { settings::put(db, key, value); }

// ----------------------------------------------------------------------------- registers

std::optional<std::string> register_location(db::Db& db, const std::string& register_id) {
  auto q = db.query("SELECT location_id FROM registers WHERE id = ?");
  q.bind(1, register_id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void insert_register(db::Db& db, const std::string& register_id, const std::string& location_id) {
  db::assert_in_transaction(db);
  db.query("INSERT INTO registers (id, location_id, created_at) VALUES (?, ?, ?)")
      .bind(1, register_id)
      .bind(2, location_id)
      .bind(3, now().micros)
      .run();
}

void name_register_if_unnamed(db::Db& db, const std::string& register_id, const std::string& name) {
  db::assert_in_transaction(db);
  db.query("UPDATE registers SET name = ? WHERE id = ? AND name IS NULL").bind(1, name).bind(2, register_id).run();
}

std::optional<std::string> open_session_of(db::Db& db, const std::string& register_id) {
  auto q = db.query("SELECT id FROM register_sessions WHERE register_id = ? AND status = 'open'");
  q.bind(1, register_id);
  if (q.step()) return q.text(0);
  return std::nullopt;
}

std::int64_t take_receipt_number(db::Db& db, const std::string& register_id, bool training) {
  db::assert_in_transaction(db);
  // UPDATE then SELECT, not UPDATE ... RETURNING: SQLite runs RETURNING as a trigger, and a
  // statement with a trigger copies every page it touches into a statement journal.
  const char* column = training ? "next_training" : "next_receipt";
  db.query(training ? "UPDATE registers SET next_training = next_training + 1 WHERE id = ?"
                    : "UPDATE registers SET next_receipt = next_receipt + 1 WHERE id = ?")
      .bind(1, register_id)
      .run();
  auto q = db.query(training ? "SELECT next_training - 1 FROM registers WHERE id = ?"
                             : "SELECT next_receipt - 1 FROM registers WHERE id = ?");
  q.bind(1, register_id);
  if (!q.step()) throw Problem(500, "register_missing", fmt::format("register {} has no {}", register_id, column));
  return q.int64(0);
}

std::string register_name(db::Db& db, const std::string& register_id) {
  auto q = db.query("SELECT COALESCE(NULLIF(name, ''), id) FROM registers WHERE id = ?");
  q.bind(1, register_id);
  return q.step() ? q.text(0) : register_id;
}

std::string location_name(db::Db& db, const std::string& location_id) {
  auto location = stock::load_location(db, location_id);
  return location ? location->name : location_id;
}

Person person(db::Db& db, const std::optional<std::string>& user_id, const std::string& user) {
  auto row = user_id ? auth::store::user_by_id(db, *user_id) : auth::store::user_by_name(db, user);
  if (row) return Person{row->id, row->display_name.empty() ? row->username : row->display_name};
  return Person{user_id, user};
}

// --------------------------------------------------------------------------------- sales

std::optional<std::string> sale_request_hash(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT request_hash FROM sales WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::vector<LinePrice> line_prices(db::Db& db, const std::vector<std::string>& sale_ids) {
  std::vector<LinePrice> out;
  if (sale_ids.empty()) return out;
  boost::json::array wanted(sale_ids.begin(), sale_ids.end());
  auto q = db.query(
      "SELECT l.sale_id, l.item_id, MIN(l.unit_price), SUM(l.gross), SUM(l.line_discount), "
      "MAX(l.line_discount + l.receipt_discount) FROM sale_lines l "
      "JOIN sales s ON s.id = l.sale_id WHERE l.sale_id IN (SELECT value FROM json_each(?)) AND s.training = 0 "
      "GROUP BY l.sale_id, l.item_id ORDER BY l.sale_id, l.item_id");
  q.bind(1, boost::json::serialize(wanted));
  while (q.step()) out.push_back({q.text(0), q.text(1), q.int64(2), q.int64(3), q.int64(4), q.int64(5) > 0});
  return out;
}

void insert_sale(db::Db& db, const Sale& s, const std::string& request_hash) {
  db::assert_in_transaction(db);
  db.query(
        "INSERT INTO sales (id, receipt_number, location_id, register_id, session_id, exchange_id, status, training, "
        "price_tier, subtotal, discount_total, tax_total, total, tendered, change_due, receipt_discount, tax_mode, "
        "request_hash, created_at, user, approver, channel, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, s.id)
      .bind(2, s.receipt_number)
      .bind(3, s.location_id)
      .bind(4, s.register_id)
      .bind(5, s.session_id)
      .bind(6, s.exchange_id)
      .bind(7, std::string(word(s.status)))
      .bind(8, s.training)
      .bind(9, s.price_tier)
      .bind(10, s.subtotal)
      .bind(11, s.discount_total)
      .bind(12, s.tax_total)
      .bind(13, s.total)
      .bind(14, s.tendered)
      .bind(15, s.change_due)
      .bind(16, s.receipt_discount)
      .bind(17, word(s.tax_mode))
      .bind(18, request_hash)
      .bind(19, s.created_at)
      .bind(20, s.user)
      .bind(21, s.approver)
      .bind(22, s.channel)
      .bind(23, s.user_id)
      .run();
  for (const auto& l : s.lines)
    db.query(
          "INSERT INTO sale_lines (id, sale_id, line_no, item_id, sku, name, code, quantity, unit_price, gross, "
          "line_discount, receipt_discount, discount_reason, tax_rate_bp, tax, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?)")
        .bind(1, l.id)
        .bind(2, s.id)
        .bind(3, l.line_no)
        .bind(4, l.item_id)
        .bind(5, l.sku)
        .bind(6, l.name)
        .bind(7, l.code)
        .bind(8, l.quantity.milli)
        .bind(9, l.unit_price)
        .bind(10, l.gross)
        .bind(11, l.line_discount)
        .bind(12, l.receipt_discount)
        .bind(13, l.discount_reason)
        .bind(14, l.tax_rate_bp)
        .bind(15, l.tax)
        .bind(16, l.total)
        .run();
  // The KPI summary (sold_days.hpp): a completed real sale counts on its day.
  if (s.status == SaleStatus::completed && !s.training) {
    std::vector<SoldDelta> sold;
    for (const auto& l : s.lines)
      sold.push_back(SoldDelta{s.location_id, l.item_id,
                               stock::SoldDay{s.created_at / 86400000000, l.quantity.milli, l.total - l.tax, 1}});
    add_sold_days(db, sold);
  }
  for (std::size_t i = 0; i < s.tenders.size(); ++i)
    db.query("INSERT INTO sale_tenders (sale_id, seq, type, amount, reference) VALUES (?, ?, ?, ?, ?)")
        .bind(1, s.id)
        .bind(2, static_cast<std::int64_t>(i + 1))
        .bind(3, std::string(word(s.tenders[i].type)))
        .bind(4, s.tenders[i].amount)
        .bind(5, s.tenders[i].reference)
        .run();
}

// The set-based insert_sale (sales_store_batch.hpp): the same values, each table's rows in one
// db::insert_rows (PostgreSQL's COPY; 100 rows a statement on SQLite).
void insert_sales(db::Db& db, std::span<const JournalSale> sales) {
  db::assert_in_transaction(db);
  {
    static constexpr std::string_view columns[] = {
        "id", "receipt_number", "location_id", "register_id", "session_id", "exchange_id", "status", "training",
        "price_tier", "subtotal", "discount_total", "tax_total", "total", "tendered", "change_due",
        "receipt_discount", "tax_mode", "request_hash", "created_at", "user", "approver", "channel", "user_id"};
    db::Rows rows(std::size(columns));
    for (const auto& j : sales) {
      const Sale& s = *j.sale;
      rows.add(s.id)
          .add(s.receipt_number)
          .add(s.location_id)
          .add(s.register_id)
          .add(s.session_id)
          .add(s.exchange_id)
          .add(word(s.status))
          .add(s.training)
          .add(s.price_tier)
          .add(s.subtotal)
          .add(s.discount_total)
          .add(s.tax_total)
          .add(s.total)
          .add(s.tendered)
          .add(s.change_due)
          .add(s.receipt_discount)
          .add(word(s.tax_mode))
          .add(j.request_hash)
          .add(s.created_at)
          .add(s.user)
          .add(s.approver)
          .add(s.channel)
          .add(s.user_id);
    }
    db::insert_rows(db, "sales", columns, rows);
  }
  {
    static constexpr std::string_view columns[] = {
        "id", "sale_id", "line_no", "item_id", "sku", "name", "code", "quantity", "unit_price", "gross",
        "line_discount", "receipt_discount", "discount_reason", "tax_rate_bp", "tax", "total"};
    db::Rows rows(std::size(columns));
    for (const auto& j : sales)
      for (const auto& l : j.sale->lines)
        rows.add(l.id)
            .add(j.sale->id)
            .add(l.line_no)
            .add(l.item_id)
            .add(l.sku)
            .add(l.name)
            .add(l.code)
            .add(l.quantity.milli)
            .add(l.unit_price)
            .add(l.gross)
            .add(l.line_discount)
            .add(l.receipt_discount)
            .add(l.discount_reason)
            .add(l.tax_rate_bp)
            .add(l.tax)
            .add(l.total);
    db::insert_rows(db, "sale_lines", columns, rows);
  }
  {
    // The KPI summary (sold_days.hpp), as insert_sale keeps it, for all the sales in one call.
    std::vector<SoldDelta> sold;
    for (const auto& j : sales) {
      const Sale& s = *j.sale;
      if (s.status != SaleStatus::completed || s.training) continue;
      for (const auto& l : s.lines)
        sold.push_back(SoldDelta{s.location_id, l.item_id,
                                 stock::SoldDay{s.created_at / 86400000000, l.quantity.milli, l.total - l.tax, 1}});
    }
    if (!sold.empty()) add_sold_days(db, sold);
  }
  {
    static constexpr std::string_view columns[] = {"sale_id", "seq", "type", "amount", "reference"};
    db::Rows rows(std::size(columns));
    for (const auto& j : sales)
      for (std::size_t i = 0; i < j.sale->tenders.size(); ++i) {
        const Tender& t = j.sale->tenders[i];
        rows.add(j.sale->id).add(static_cast<std::int64_t>(i + 1)).add(word(t.type)).add(t.amount).add(t.reference);
      }
    db::insert_rows(db, "sale_tenders", columns, rows);
  }
}

namespace {
// The values of `ids` that `sql` (one `?`: a JSON array of them) answers in its first column.
std::set<std::string> present(db::Db& db, const char* sql, const std::vector<std::string>& ids) {
  std::set<std::string> out;
  if (ids.empty()) return out;
  boost::json::array list(ids.begin(), ids.end());
  auto q = db.query(sql);
  q.bind(1, boost::json::serialize(list));
  while (q.step()) out.insert(q.text(0));
  return out;
}
}  // namespace

std::set<std::string> sale_ids_in(db::Db& db, const std::vector<std::string>& ids) {
  return present(db, "SELECT id FROM sales WHERE id IN (SELECT value FROM json_each(?))", ids);
}
std::set<std::string> item_ids_in(db::Db& db, const std::vector<std::string>& ids) {
  std::set<std::string> out;
  for (auto& [id, price] : catalog::store::regular_prices(db, ids)) out.insert(id);
  return out;
}

std::optional<Sale> load_sale(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, receipt_number, location_id, register_id, session_id, exchange_id, status, training, price_tier, "
      "subtotal, discount_total, tax_total, total, tendered, change_due, receipt_discount, tax_mode, created_at, user, "
      "approver, channel, user_id FROM sales WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  Sale s;
  s.channel = q.text(20);
  s.user_id = q.opt_text(21);
  s.id = q.text(0);
  s.receipt_number = q.text(1);
  s.location_id = q.text(2);
  s.register_id = q.text(3);
  s.session_id = q.opt_text(4);
  s.exchange_id = q.opt_text(5);
  s.status = sale_statuses.stored(q.text(6));
  s.training = q.int64(7) != 0;
  s.price_tier = q.opt_text(8);
  s.subtotal = q.int64(9);
  s.discount_total = q.int64(10);
  s.tax_total = q.int64(11);
  s.total = q.int64(12);
  s.tendered = q.int64(13);
  s.change_due = q.int64(14);
  s.receipt_discount = q.opt_text(15);
  s.tax_mode = tax_modes.stored(q.text(16));
  s.created_at = q.int64(17);
  s.user = q.text(18);
  s.approver = q.opt_text(19);
  auto l = db.query(
      "SELECT id, line_no, item_id, sku, name, code, quantity, unit_price, gross, line_discount, receipt_discount, "
      "discount_reason, tax_rate_bp, tax, total, returned_quantity FROM sale_lines WHERE sale_id = ? ORDER BY line_no");
  l.bind(1, id);
  while (l.step())
    s.lines.push_back(SaleLine{l.text(0), l.int64(1), l.text(2), l.text(3), l.text(4), l.opt_text(5),
                               Quantity{l.int64(6)}, l.int64(7), l.int64(8), l.int64(9), l.int64(10),
                               l.opt_text(11), l.int64(12), l.int64(13), l.int64(14), Quantity{l.int64(15)}});
  s.tenders = sale_tenders(db, id);
  auto v = db.query("SELECT id, reason, at, user, approver FROM sale_voids WHERE sale_id = ?");
  v.bind(1, id);
  if (v.step()) s.voided = SaleVoid{v.text(0), v.text(1), v.int64(2), v.text(3), v.opt_text(4)};
  auto o = db.query("SELECT receipt_number FROM sale_offline_receipts WHERE sale_id = ?");
  o.bind(1, id);
  if (o.step()) s.offline_receipt_number = o.text(0);
  return s;
}

void insert_offline_receipt(db::Db& db, const std::string& sale_id, const std::string& receipt_number,
                            std::int64_t at, const std::string& by) {
  db::assert_in_transaction(db);
  db.query("INSERT INTO sale_offline_receipts (sale_id, receipt_number, created_at, created_by) VALUES (?, ?, ?, ?)")
      .bind(1, sale_id)
      .bind(2, receipt_number)
      .bind(3, at)
      .bind(4, by)
      .run();
}

std::vector<std::string> find_sale_ids(db::Db& db, const SalesFilter& f) {
  std::vector<std::string> ids;
  auto q = db.query(
      "SELECT s.id FROM sales s WHERE (s.created_at >= ?1 OR ?1 IS NULL) AND (s.created_at < ?2 OR ?2 IS NULL) "
      "AND (?3 = '' OR s.register_id = ?3) AND (?4 = '' OR s.user_id = ?4) "
      // A store node's receipt is "<the store's number>@<node>" here (sync/money.hpp): the
      // store's number alone finds it too.
      "AND (?5 = '' OR s.receipt_number = ?5 OR (s.register_id LIKE 'node:%' AND "
      "substr(s.receipt_number, 1, length(?5) + 1) = ?5 || '@') "
      // ... and a sale caught by the cut by the number the register printed for it offline.
      "OR s.id = (SELECT o.sale_id FROM sale_offline_receipts o WHERE o.receipt_number = ?5)) "
      "AND (?6 = '' OR EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id AND l.item_id = ?6)) "
      "AND (?7 = '' OR s.location_id = ?7) AND (?8 = '' OR s.channel = ?8) AND (?9 = '' OR s.id < ?9) "
      "ORDER BY s.id DESC LIMIT ?10");
  q.bind(1, f.from ? std::optional(f.from->micros) : std::nullopt)
      .bind(2, f.to ? std::optional(f.to->micros) : std::nullopt)
      .bind(3, f.register_id)
      .bind(4, f.cashier_id)
      .bind(5, f.receipt)
      .bind(6, f.item_id)
      .bind(7, f.location_id)
      .bind(8, f.channel)
      .bind(9, f.before_id)
      .bind(10, f.limit + 1);
  while (q.step()) ids.push_back(q.text(0));
  return ids;
}

std::vector<ChannelTotal> channel_totals(db::Db& db, const std::optional<Timestamp>& from,
                                         const std::optional<Timestamp>& to, const std::string& location_id) {
  auto q = db.query(
      "SELECT channel, COUNT(*), COALESCE(SUM(total), 0) FROM sales WHERE status = 'completed' AND training = 0 "
      "AND (created_at >= ?1 OR ?1 IS NULL) AND (created_at < ?2 OR ?2 IS NULL) AND (?3 = '' OR location_id = ?3) "
      "GROUP BY channel ORDER BY channel");
  q.bind(1, from ? std::optional(from->micros) : std::nullopt)
      .bind(2, to ? std::optional(to->micros) : std::nullopt)
      .bind(3, location_id);
  std::vector<ChannelTotal> out;
  while (q.step()) out.push_back(ChannelTotal{q.text(0), q.int64(1), q.int64(2)});
  return out;
}

void insert_void(db::Db& db, const std::string& sale_id, const SaleVoid& v) {
  db::assert_in_transaction(db);
  db.query("INSERT INTO sale_voids (sale_id, id, reason, at, user, approver) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, sale_id)
      .bind(2, v.id)
      .bind(3, v.reason)
      .bind(4, v.at)
      .bind(5, v.user)
      .bind(6, v.approver)
      .run();
  {
    // The KPI summary (sold_days.hpp): a voided sale's lines come off the SALE's day, if they
    // were counted (completed, not training).
    std::vector<SoldDelta> unsold;
    auto q = db.query(
        "SELECT s.location_id, s.created_at / 86400000000, l.item_id, l.quantity, l.total - l.tax FROM sales s "
        "JOIN sale_lines l ON l.sale_id = s.id WHERE s.id = ? AND s.status = 'completed' AND s.training = 0");
    q.bind(1, sale_id);
    while (q.step())
      unsold.push_back(SoldDelta{q.text(0), q.text(2), stock::SoldDay{q.int64(1), -q.int64(3), -q.int64(4), -1}});
    add_sold_days(db, unsold);
  }
  db.query("UPDATE sales SET status = 'voided' WHERE id = ?").bind(1, sale_id).run();
}

// ------------------------------------------------------------------------------- returns

std::optional<SoldLine> sold_line(db::Db& db, const std::string& sale_line_id, const std::string& sale_id) {
  auto q = db.query(
      "SELECT id, item_id, quantity, returned_quantity, total, tax, tax_rate_bp FROM sale_lines WHERE id = ? AND "
      "sale_id = ?");
  q.bind(1, sale_line_id).bind(2, sale_id);
  if (!q.step()) return std::nullopt;
  return SoldLine{q.text(0), q.text(1), Quantity{q.int64(2)}, Quantity{q.int64(3)}, q.int64(4), q.int64(5), q.int64(6)};
}

std::vector<std::pair<std::string, Quantity>> line_takings(db::Db& db, const std::string& sale_id,
                                                           const std::string& sale_line_id) {
  auto out = stock::line_net_by_item(db, sale_id, sale_line_id);
  for (auto& [item_id, quantity] : out) quantity = -quantity;
  return out;
}

std::vector<Tender> sale_tenders(db::Db& db, const std::string& sale_id) {
  std::vector<Tender> out;
  auto q = db.query("SELECT type, amount, reference FROM sale_tenders WHERE sale_id = ? ORDER BY seq");
  q.bind(1, sale_id);
  while (q.step()) out.push_back(Tender{tender_type(q.text(0)), q.int64(1), q.opt_text(2)});
  return out;
}

std::vector<Refunded> refunded_before(db::Db& db, const std::string& sale_id) {
  std::vector<Refunded> out;
  auto q = db.query(
      "SELECT t.type, t.reference, SUM(t.amount) FROM return_tenders t JOIN returns r ON r.id = t.return_id "
      "WHERE r.sale_id = ? AND r.training = 0 AND t.type <> 'exchange_credit' GROUP BY t.type, t.reference");
  q.bind(1, sale_id);
  while (q.step()) out.push_back(Refunded{tender_type(q.text(0)), q.opt_text(1), q.int64(2)});
  return out;
}

std::optional<std::string> return_request_hash(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT request_hash FROM returns WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void insert_return(db::Db& db, const Return& r, const std::string& request_hash, bool touch_sale) {
  db::assert_in_transaction(db);
  db.query(
        "INSERT INTO returns (id, sale_id, location_id, register_id, session_id, exchange_id, refund_total, tax_total, "
        "request_hash, created_at, user, approver, training) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, r.id)
      .bind(2, r.sale_id)
      .bind(3, r.location_id)
      .bind(4, r.register_id)
      .bind(5, r.session_id)
      .bind(6, r.exchange_id)
      .bind(7, r.refund_total)
      .bind(8, r.tax_total)
      .bind(9, request_hash)
      .bind(10, r.created_at)
      .bind(11, r.user)
      .bind(12, r.approver)
      .bind(13, r.training)
      .run();
  for (const auto& l : r.lines) {
    db.query(
          "INSERT INTO return_lines (id, return_id, line_no, sale_line_id, item_id, quantity, refund, tax, reason, "
          "condition, disposition, location_id, tax_rate_bp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, l.id)
        .bind(2, r.id)
        .bind(3, l.line_no)
        .bind(4, l.sale_line_id)
        .bind(5, l.item_id)
        .bind(6, l.quantity.milli)
        .bind(7, l.refund)
        .bind(8, l.tax)
        .bind(9, word(l.reason))
        .bind(10, word(l.condition))
        .bind(11, word(l.disposition))
        .bind(12, l.location_id)
        .bind(13, l.tax_rate_bp)
        .run();
    if (l.sale_line_id && touch_sale)
      db.query("UPDATE sale_lines SET returned_quantity = returned_quantity + ? WHERE id = ?")
          .bind(1, l.quantity.milli)
          .bind(2, *l.sale_line_id)
          .run();
  }
  // The KPI summary (sold_days.hpp): a real return takes its lines off the return's day.
  if (!r.training) {
    std::vector<SoldDelta> back;
    for (const auto& l : r.lines)
      back.push_back(SoldDelta{r.location_id, l.item_id,
                               stock::SoldDay{r.created_at / 86400000000, -l.quantity.milli, -(l.refund - l.tax), 1}});
    add_sold_days(db, back);
  }
  for (std::size_t i = 0; i < r.tenders.size(); ++i)
    db.query("INSERT INTO return_tenders (return_id, seq, type, amount, reference) VALUES (?, ?, ?, ?, ?)")
        .bind(1, r.id)
        .bind(2, static_cast<std::int64_t>(i + 1))
        .bind(3, word(r.tenders[i].type))
        .bind(4, r.tenders[i].amount)
        .bind(5, r.tenders[i].reference)
        .run();
}

std::optional<Return> load_return(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, sale_id, location_id, register_id, session_id, exchange_id, refund_total, tax_total, created_at, "
      "user, approver, training FROM returns WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  Return r;
  r.id = q.text(0);
  r.sale_id = q.opt_text(1);
  r.location_id = q.text(2);
  r.register_id = q.opt_text(3);
  r.session_id = q.opt_text(4);
  r.exchange_id = q.opt_text(5);
  r.refund_total = q.int64(6);
  r.tax_total = q.int64(7);
  r.created_at = q.int64(8);
  r.user = q.text(9);
  r.approver = q.opt_text(10);
  r.training = q.int64(11) != 0;
  auto l = db.query(
      "SELECT id, line_no, sale_line_id, item_id, quantity, refund, tax, reason, condition, disposition, location_id, "
      "tax_rate_bp FROM return_lines WHERE return_id = ? ORDER BY line_no");
  l.bind(1, id);
  while (l.step())
    r.lines.push_back(ReturnLine{l.text(0), l.int64(1), l.opt_text(2), l.text(3), "", "", Quantity{l.int64(4)}, l.int64(5),
                                 l.int64(6), l.int64(11), return_reasons.stored(l.text(7)),
                                 return_conditions.stored(l.text(8)), stock::dispositions.stored(l.text(9)), l.text(10)});
  // The lines name their items as the catalog does now (sku and name are not copied).
  std::vector<std::string> item_ids;
  for (const auto& line : r.lines) item_ids.push_back(line.item_id);
  auto heads = catalog::store::item_heads(db, item_ids);
  for (auto& line : r.lines) {
    auto head = heads.find(line.item_id);
    BR_ASSERT(head != heads.end(), "a return line's item exists");
    line.sku = head->second.sku;
    line.name = head->second.name;
  }
  auto t = db.query("SELECT type, amount, reference FROM return_tenders WHERE return_id = ? ORDER BY seq");
  t.bind(1, id);
  while (t.step()) r.tenders.push_back(Tender{tender_type(t.text(0)), t.int64(1), t.opt_text(2)});
  return r;
}

// ----------------------------------------------------------------------------- exchanges

std::optional<std::string> exchange_request_hash(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT request_hash FROM exchanges WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void insert_exchange(db::Db& db, const std::string& id, const std::string& return_id, const std::string& sale_id,
                     const std::string& request_hash, const std::string& user, std::optional<std::int64_t> created_at) {
  db::assert_in_transaction(db);
  db.query("INSERT INTO exchanges (id, return_id, sale_id, request_hash, created_at, user) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, id)
      .bind(2, return_id)
      .bind(3, sale_id)
      .bind(4, request_hash)
      .bind(5, created_at.value_or(now().micros))
      .bind(6, user)
      .run();
}

std::optional<ExchangeRow> load_exchange_row(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT id, return_id, sale_id, created_at, user FROM exchanges WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return ExchangeRow{q.text(0), q.text(1), q.text(2), q.int64(3), q.text(4)};
}

// -------------------------------------------------------------------------- parked sales

std::optional<ParkedSale> load_parked(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, location_id, register_id, note, body, status, parked_at, parked_by FROM parked_sales WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return ParkedSale{q.text(0), q.text(1),        q.opt_text(2), q.text(3),
                    q.text(4), parked_statuses.stored(q.text(5)), q.int64(6), q.text(7)};
}

void insert_parked(db::Db& db, const ParkedSale& p) {
  db::assert_in_transaction(db);
  db.query(
        "INSERT INTO parked_sales (id, location_id, register_id, note, body, status, parked_at, parked_by) "
        "VALUES (?, ?, ?, ?, ?, 'parked', ?, ?)")
      .bind(1, p.id)
      .bind(2, p.location_id)
      .bind(3, p.register_id)
      .bind(4, p.note)
      .bind(5, p.body)
      .bind(6, p.parked_at)
      .bind(7, p.parked_by)
      .run();
}

std::vector<std::string> parked_ids(db::Db& db, const std::string& location_id, const std::string& register_id) {
  std::vector<std::string> ids;
  auto q = db.query(
      "SELECT id FROM parked_sales WHERE status = 'parked' AND (?1 = '' OR location_id = ?1) AND "
      "(?2 = '' OR register_id = ?2) ORDER BY parked_at LIMIT 500");
  q.bind(1, location_id).bind(2, register_id);
  while (q.step()) ids.push_back(q.text(0));
  return ids;
}

void set_parked_status(db::Db& db, const std::string& id, ParkedStatus status) {
  db::assert_in_transaction(db);
  db.query("UPDATE parked_sales SET status = ?, closed_at = ? WHERE id = ?")
      .bind(1, word(status))
      .bind(2, now().micros)
      .bind(3, id)
      .run();
}

// --------------------------------------------------------------------- register sessions

std::optional<Session> load_session(db::Db& db, const std::string& register_id, const std::string& session_id) {
  auto q = db.query(
      "SELECT id, register_id, status, opening_float, number, opened_at, opened_by, closed_at, closed_by, z_report, counted "
      "FROM register_sessions WHERE id = ? AND register_id = ?");
  q.bind(1, session_id).bind(2, register_id);
  if (!q.step()) return std::nullopt;
  Session s;
  s.id = q.text(0);
  s.register_id = q.text(1);
  s.status = session_statuses.stored(q.text(2));
  s.opening_float = q.int64(3);
  s.number = q.int64(4);
  s.opened_at = q.int64(5);
  s.opened_by = q.text(6);
  s.closed_at = q.opt_int64(7);
  s.closed_by = q.opt_text(8);
  s.z_report = q.opt_text(9);
  s.counted = q.opt_text(10);
  return s;
}

std::vector<std::string> session_ids(db::Db& db, const std::string& register_id, const std::string& before_id, int limit) {
  std::vector<std::string> ids;
  auto q = db.query(
      "SELECT id FROM register_sessions WHERE register_id = ?1 AND (?2 = '' OR number < (SELECT number FROM "
      "register_sessions WHERE id = ?2)) ORDER BY number DESC LIMIT ?3");
  q.bind(1, register_id).bind(2, before_id).bind(3, limit + 1);
  while (q.step()) ids.push_back(q.text(0));
  return ids;
}

void insert_session(db::Db& db, const std::string& id, const std::string& register_id, std::int64_t opening_float,
                    const std::string& user) {
  db::assert_in_transaction(db);
  db.query(
        "INSERT INTO register_sessions (id, register_id, status, opening_float, opened_at, opened_by, number) "
        "VALUES (?1, ?2, 'open', ?3, ?4, ?5, (SELECT COALESCE(MAX(number), 0) + 1 FROM register_sessions WHERE "
        "register_id = ?2))")
      .bind(1, id)
      .bind(2, register_id)
      .bind(3, opening_float)
      .bind(4, now().micros)
      .bind(5, user)
      .run();
}

void insert_cash_movement(db::Db& db, const std::string& session_id, CashMovementKind kind, std::int64_t amount,
                          const std::string& reason, const std::string& user) {
  db::assert_in_transaction(db);
  db.query("INSERT INTO register_cash_movements (id, session_id, kind, amount, reason, at, user) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, new_uuid_v7())
      .bind(2, session_id)
      .bind(3, word(kind))
      .bind(4, amount)
      .bind(5, reason)
      .bind(6, now().micros)
      .bind(7, user)
      .run();
}

void close_session(db::Db& db, const std::string& session_id, std::int64_t counted_cash, const std::string& counted_json,
                   const std::string& user, const std::string& z_report_json) {
  db::assert_in_transaction(db);
  db.query(
        "UPDATE register_sessions SET status = 'closed', counted_cash = ?, counted = ?, closed_at = ?, closed_by = ?, "
        "z_report = ? WHERE id = ?")
      .bind(1, counted_cash)
      .bind(2, counted_json)
      .bind(3, now().micros)
      .bind(4, user)
      .bind(5, z_report_json)
      .bind(6, session_id)
      .run();
}

SessionTotals session_totals(db::Db& db, const std::string& session_id) {
  SessionTotals t;
  {
    auto q = db.query(
        "SELECT status, COUNT(*), COALESCE(SUM(subtotal), 0), COALESCE(SUM(discount_total), 0), COALESCE(SUM(total), 0), "
        "COALESCE(SUM(change_due), 0) FROM sales WHERE session_id = ? AND training = 0 GROUP BY status");
    q.bind(1, session_id);
    while (q.step()) {
      if (sale_statuses.stored(q.text(0)) == SaleStatus::completed) {
        t.sales_count = q.int64(1);
        t.gross = q.int64(2);
        t.discounts = q.int64(3);
        t.sales_total = q.int64(4);
        t.change = q.int64(5);
      } else {
        t.voids = q.int64(1);
      }
    }
  }
  {
    auto q = db.query(
        "SELECT t.type, SUM(t.amount) FROM sale_tenders t JOIN sales s ON s.id = t.sale_id WHERE s.session_id = ? "
        "AND s.training = 0 AND s.status = 'completed' AND t.type <> 'exchange_credit' GROUP BY t.type");
    q.bind(1, session_id);
    while (q.step()) t.taken[tender_type(q.text(0))] = q.int64(1);
  }
  {
    auto q = db.query(
        "SELECT COUNT(*), COALESCE(SUM(refund_total), 0) FROM returns WHERE session_id = ? AND training = 0");
    q.bind(1, session_id);
    q.step();
    t.returns_count = q.int64(0);
    t.returns_total = q.int64(1);
    auto r = db.query(
        "SELECT t.type, SUM(t.amount) FROM return_tenders t JOIN returns r ON r.id = t.return_id WHERE r.session_id = ? "
        "AND r.training = 0 AND t.type <> 'exchange_credit' GROUP BY t.type");
    r.bind(1, session_id);
    while (r.step()) t.refunded[tender_type(r.text(0))] = r.int64(1);
  }
  {
    auto q = db.query("SELECT kind, SUM(amount) FROM register_cash_movements WHERE session_id = ? GROUP BY kind");
    q.bind(1, session_id);
    while (q.step())
      if (auto kind = cash_movement_kinds.parse(q.text(0))) t.cash_moves[*kind] = q.int64(1);
  }
  {
    auto q = db.query(
        "SELECT COUNT(*) FROM exchanges e JOIN sales s ON s.id = e.sale_id WHERE s.session_id = ? AND s.training = 0");
    q.bind(1, session_id);
    q.step();
    t.exchanges = q.int64(0);
  }
  {
    auto q = db.query(
        "SELECT l.tax_rate_bp, SUM(l.total - l.tax), SUM(l.tax) FROM sale_lines l JOIN sales s ON s.id = l.sale_id "
        "WHERE s.session_id = ? AND s.training = 0 AND s.status = 'completed' GROUP BY l.tax_rate_bp");
    q.bind(1, session_id);
    while (q.step()) t.by_rate[q.int64(0)] = {q.int64(1), q.int64(2)};
    auto r = db.query(
        "SELECT l.tax_rate_bp, SUM(l.refund - l.tax), SUM(l.tax) FROM return_lines l JOIN returns r ON r.id = l.return_id "
        "WHERE r.session_id = ? AND r.training = 0 GROUP BY l.tax_rate_bp");
    r.bind(1, session_id);
    while (r.step()) {
      t.by_rate[r.int64(0)].first -= r.int64(1);
      t.by_rate[r.int64(0)].second -= r.int64(2);
    }
  }
  {
    auto q = db.query(
        "SELECT user_id, user, COUNT(*), SUM(total) FROM sales WHERE session_id = ? AND training = 0 AND "
        "status = 'completed' GROUP BY user_id, user ORDER BY user");
    q.bind(1, session_id);
    while (q.step()) t.by_cashier.push_back(CashierTotal{q.opt_text(0), q.text(1), q.int64(2), q.int64(3)});
  }
  return t;
}

}  // namespace backroom::sales::store

namespace backroom::sales {

std::vector<DailySales> daily_item_sales(db::Db& db, Timestamp from, Timestamp to) {
  std::vector<DailySales> out;
  auto q = db.query(
      "SELECT item_id, location_id, day, SUM(units), SUM(net_value) FROM ("
      " SELECT l.item_id AS item_id, s.location_id AS location_id, s.created_at / 86400000000 AS day,"
      " l.quantity AS units, l.total - l.tax AS net_value"
      " FROM sales s JOIN sale_lines l ON l.sale_id = s.id"
      " WHERE s.created_at >= ? AND s.created_at < ? AND s.status = 'completed' AND s.training = 0"
      " UNION ALL"
      " SELECT rl.item_id, r.location_id, r.created_at / 86400000000, -rl.quantity, -(rl.refund - rl.tax)"
      " FROM returns r JOIN return_lines rl ON rl.return_id = r.id"
      " WHERE r.created_at >= ? AND r.created_at < ? AND r.training = 0"
      ") t GROUP BY item_id, location_id, day ORDER BY 1, 2, 3");
  q.bind(1, from.micros).bind(2, to.micros).bind(3, from.micros).bind(4, to.micros);
  while (q.step()) out.push_back(DailySales{q.text(0), q.text(1), q.int64(2), Quantity{q.int64(3)}, q.int64(4)});
  return out;
}

}  // namespace backroom::sales
