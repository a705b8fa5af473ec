// Online orders' SQL (orders/orders_store.hpp).
#include "orders/orders_store.hpp"

#include "platform/assert.hpp"
#include "platform/secret_box.hpp"

namespace backroom::orders::store {

namespace {

constexpr const char* order_columns =
    "SELECT id, number, channel, external_id, location_id, status, promised_at, customer_name, customer_phone, "
    "customer_email, pickup_code, total, paid_at, staging_spot, sale_id, refund_due, refunded_at, refunded_by, "
    "created_at, updated_at, customer_id FROM online_orders";

std::optional<Timestamp> opt_time(db::Query& q, int column) {
  auto v = q.opt_int64(column);
  if (!v) return std::nullopt;
  return Timestamp{*v};
}

// Customer contact data is sealed under the shop key (platform/secret_box.hpp).
std::string seal(db::Db& db, const std::string& plaintext) { return secret_box::seal(db.path(), plaintext); }
std::string reveal(db::Db& db, const std::string& stored) { return secret_box::reveal(db.path(), stored); }

Order read_order(db::Db& db, db::Query& q) {
  Order o;
  o.id = q.text(0);
  o.number = q.int64(1);
  o.channel = q.text(2);
  o.external_id = q.opt_text(3);
  o.location_id = q.text(4);
  o.status = order_statuses.stored(q.text(5));
  o.promised_at = Timestamp{q.int64(6)};
  o.customer = Customer{reveal(db, q.text(7)), reveal(db, q.text(8)), reveal(db, q.text(9))};
  o.pickup_code = q.text(10);
  o.total = q.int64(11);
  o.paid_at = opt_time(q, 12);
  o.staging_spot = q.opt_text(13);
  o.sale_id = q.opt_text(14);
  o.refund_due = q.int64(15);
  o.refunded_at = opt_time(q, 16);
  o.refunded_by = q.opt_text(17);
  o.created_at = Timestamp{q.int64(18)};
  o.updated_at = Timestamp{q.int64(19)};
  o.customer_id = q.opt_text(20);
  return o;
}

void load_lines(db::Db& db, Order& o) {
  auto q = db.query(
      "SELECT id, item_id, quantity, unit_price, picked, short, substitute_for, credit FROM online_order_lines "
      "WHERE order_id = ? ORDER BY position");
  q.bind(1, o.id);
  while (q.step())
    o.lines.push_back(OrderLine{q.text(0), q.text(1), Quantity{q.int64(2)}, q.int64(3), Quantity{q.int64(4)},
                                Quantity{q.int64(5)}, q.opt_text(6), q.int64(7)});
}

constexpr const char* substitution_columns =
    "SELECT id, order_id, line_id, item_id, quantity, unit_price, credit, status, offered_at, offered_by, decided_at, "
    "new_line_id FROM online_order_substitutions";

Substitution read_substitution(db::Query& q) {
  return Substitution{q.text(0),
                      q.text(1),
                      q.text(2),
                      q.text(3),
                      Quantity{q.int64(4)},
                      q.int64(5),
                      q.int64(6),
                      substitution_statuses.stored(q.text(7)),
                      Timestamp{q.int64(8)},
                      q.text(9),
                      opt_time(q, 10),
                      q.opt_text(11)};
}

std::vector<Order> orders_of(db::Db& db, db::Query& q) {
  std::vector<Order> out;
  while (q.step()) out.push_back(read_order(db, q));
  for (auto& o : out) load_lines(db, o);
  return out;
}

std::optional<std::string> one_id(db::Query& q) {
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

}  // namespace

std::int64_t next_number(db::Db& db) {
  auto q = db.query("SELECT COALESCE(MAX(number), 0) + 1 FROM online_orders");
  q.step();
  return q.int64(0);
}

bool pickup_code_taken(db::Db& db, const std::string& code) {
  auto q = db.query("SELECT 1 FROM online_orders WHERE pickup_code = ?");
  q.bind(1, code);
  return q.step();
}

void insert_order(db::Db& db, const Order& o, const std::string& request_hash, const std::string& created_by) {
  db.query(
        "INSERT INTO online_orders (id, number, channel, external_id, location_id, status, promised_at, customer_name, "
        "customer_phone, customer_email, pickup_code, total, paid_at, request_hash, created_by, created_at, updated_at, "
        "customer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, o.id)
      .bind(2, o.number)
      .bind(3, o.channel)
      .bind(4, o.external_id)
      .bind(5, o.location_id)
      .bind(6, std::string(word(o.status)))
      .bind(7, o.promised_at.micros)
      .bind(8, seal(db, o.customer.name))
      .bind(9, seal(db, o.customer.phone))
      .bind(10, seal(db, o.customer.email))
      .bind(11, o.pickup_code)
      .bind(12, o.total)
      .bind(13, o.paid_at ? std::optional<std::int64_t>(o.paid_at->micros) : std::nullopt)
      .bind(14, request_hash)
      .bind(15, created_by)
      .bind(16, o.created_at.micros)
      .bind(17, o.updated_at.micros)
      .bind(18, o.customer_id)
      .run();
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    const auto& l = o.lines[i];
    db.query(
          "INSERT INTO online_order_lines (id, order_id, position, item_id, quantity, unit_price, picked, short) "
          "VALUES (?, ?, ?, ?, ?, ?, 0, 0)")
        .bind(1, l.id)
        .bind(2, o.id)
        .bind(3, static_cast<std::int64_t>(i + 1))
        .bind(4, l.item_id)
        .bind(5, l.quantity.milli)
        .bind(6, l.unit_price)
        .run();
  }
}

std::optional<Order> load_order(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(order_columns) + " WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  Order o = read_order(db, q);
  load_lines(db, o);
  return o;
}

std::optional<std::string> request_hash(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT request_hash FROM online_orders WHERE id = ?");
  q.bind(1, id);
  return one_id(q);
}

std::optional<std::string> order_by_external_id(db::Db& db, const std::string& channel, const std::string& external_id) {
  auto q = db.query("SELECT id FROM online_orders WHERE channel = ? AND external_id = ?");
  q.bind(1, channel).bind(2, external_id);
  return one_id(q);
}

std::optional<std::string> order_by_pickup_code(db::Db& db, const std::string& code) {
  auto q = db.query("SELECT id FROM online_orders WHERE pickup_code = ?");
  q.bind(1, code);
  return one_id(q);
}

std::vector<std::string> without_customer(db::Db& db) {
  std::vector<std::string> out;
  auto q = db.query("SELECT id FROM online_orders WHERE customer_id IS NULL ORDER BY number");
  while (q.step()) out.push_back(q.text(0));
  return out;
}

void set_customer(db::Db& db, const std::string& id, const std::string& customer_id) {
  db.query("UPDATE online_orders SET customer_id = ? WHERE id = ?")
      .bind(1, customer_id)
      .bind(2, id)
      .run_changing(1, "an order is linked on its one row");
}

void save_order(db::Db& db, const Order& o) {
  db.query(
        "UPDATE online_orders SET status = ?, paid_at = ?, staging_spot = ?, sale_id = ?, refund_due = ?, "
        "refunded_at = ?, refunded_by = ?, updated_at = ?, total = ? WHERE id = ?")
      .bind(1, std::string(word(o.status)))
      .bind(2, o.paid_at ? std::optional<std::int64_t>(o.paid_at->micros) : std::nullopt)
      .bind(3, o.staging_spot)
      .bind(4, o.sale_id)
      .bind(5, o.refund_due)
      .bind(6, o.refunded_at ? std::optional<std::int64_t>(o.refunded_at->micros) : std::nullopt)
      .bind(7, o.refunded_by)
      .bind(8, o.updated_at.micros)
      .bind(9, o.total)
      .bind(10, o.id)
      .run_changing(1, "an order is saved onto its one row");
  for (const auto& l : o.lines)
    db.query("UPDATE online_order_lines SET picked = ?, short = ? WHERE id = ?")
        .bind(1, l.picked.milli)
        .bind(2, l.short_.milli)
        .bind(3, l.id)
        .run_changing(1, "an order line is saved onto its one row");
}

std::vector<Order> list_orders(db::Db& db, const ListFilter& f) {
  auto q = db.query(std::string(order_columns) +
                    " WHERE (? = '' OR status = ?) AND (? = '' OR location_id = ?) AND (? = 0 OR number < ?) "
                    "ORDER BY number DESC LIMIT ?");
  q.bind(1, f.status).bind(2, f.status).bind(3, f.location_id).bind(4, f.location_id);
  q.bind(5, f.before_number).bind(6, f.before_number).bind(7, f.limit + 1);
  return orders_of(db, q);
}

std::vector<Order> queue(db::Db& db, const std::string& location_id, std::size_t limit) {
  // Unpaid orders after paid ones promised at the same time; then by paid time, then number.
  auto q = db.query(std::string(order_columns) +
                    " WHERE location_id = ? AND status IN ('open','picking') "
                    "ORDER BY promised_at, CASE WHEN paid_at IS NULL THEN 1 ELSE 0 END, paid_at, number LIMIT ?");
  q.bind(1, location_id).bind(2, static_cast<std::int64_t>(limit));
  return orders_of(db, q);
}

std::vector<Order> refunds_due(db::Db& db) {
  auto q = db.query(std::string(order_columns) +
                    " WHERE status = 'collected' AND refund_due > 0 AND refunded_at IS NULL ORDER BY number");
  return orders_of(db, q);
}

std::vector<std::string> expiring(db::Db& db, Timestamp promised_before) {
  std::vector<std::string> out;
  auto q = db.query(
      "SELECT id FROM online_orders WHERE status IN ('open','picking','ready') AND promised_at <= ? ORDER BY number");
  q.bind(1, promised_before.micros);
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::vector<Order> collected(db::Db& db) {
  auto q = db.query(std::string(order_columns) + " WHERE status = 'collected' ORDER BY number");
  return orders_of(db, q);
}

void insert_line(db::Db& db, const std::string& order_id, const OrderLine& l) {
  db.query(
        "INSERT INTO online_order_lines (id, order_id, position, item_id, quantity, unit_price, picked, short, "
        "substitute_for, credit) SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ?, ?, ?, ?, ?, ?, ? "
        "FROM online_order_lines WHERE order_id = ?")
      .bind(1, l.id)
      .bind(2, order_id)
      .bind(3, l.item_id)
      .bind(4, l.quantity.milli)
      .bind(5, l.unit_price)
      .bind(6, l.picked.milli)
      .bind(7, l.short_.milli)
      .bind(8, l.substitute_for)
      .bind(9, l.credit)
      .bind(10, order_id)
      .run_changing(1, "a line is added to its order");
}

void insert_substitution(db::Db& db, const Substitution& s, const std::string& token_hash) {
  db.query(
        "INSERT INTO online_order_substitutions (id, order_id, line_id, item_id, quantity, unit_price, credit, token_hash, "
        "status, offered_at, offered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, s.id)
      .bind(2, s.order_id)
      .bind(3, s.line_id)
      .bind(4, s.item_id)
      .bind(5, s.quantity.milli)
      .bind(6, s.unit_price)
      .bind(7, s.credit)
      .bind(8, token_hash)
      .bind(9, std::string(word(s.status)))
      .bind(10, s.offered_at.micros)
      .bind(11, s.offered_by)
      .run();
}

std::optional<Substitution> substitution_by_token(db::Db& db, const std::string& token_hash) {
  auto q = db.query(std::string(substitution_columns) + " WHERE token_hash = ?");
  q.bind(1, token_hash);
  if (!q.step()) return std::nullopt;
  return read_substitution(q);
}

std::vector<Substitution> substitutions_of(db::Db& db, const std::string& order_id) {
  auto q = db.query(std::string(substitution_columns) + " WHERE order_id = ? ORDER BY offered_at, id");
  q.bind(1, order_id);
  std::vector<Substitution> out;
  while (q.step()) out.push_back(read_substitution(q));
  return out;
}

void save_substitution(db::Db& db, const Substitution& s) {
  db.query("UPDATE online_order_substitutions SET status = ?, decided_at = ?, new_line_id = ? WHERE id = ?")
      .bind(1, std::string(word(s.status)))
      .bind(2, s.decided_at ? std::optional<std::int64_t>(s.decided_at->micros) : std::nullopt)
      .bind(3, s.new_line_id)
      .bind(4, s.id)
      .run_changing(1, "a substitution is saved onto its one row");
}

std::vector<Candidate> substitute_candidates(db::Db& db, const std::string& location_id, const std::string& category,
                                             const std::string& except_item_id, std::int64_t near_price, int limit) {
  auto q = db.query(
      "SELECT i.id, i.sku, i.name, i.price, b.on_hand - b.reserved FROM items i "
      "JOIN stock_balances b ON b.item_id = i.id AND b.location_id = ? "
      "WHERE i.category = ? AND i.id <> ? AND i.status = 'active' AND i.kind IN ('standard', 'variant') "
      "AND b.on_hand - b.reserved > 0 ORDER BY ABS(COALESCE(i.price, 0) - ?), i.name, i.id LIMIT ?");
  q.bind(1, location_id).bind(2, category).bind(3, except_item_id).bind(4, near_price).bind(5, limit);
  std::vector<Candidate> out;
  while (q.step()) out.push_back(Candidate{q.text(0), q.text(1), q.text(2), q.opt_int64(3), Quantity{q.int64(4)}});
  return out;
}

}  // namespace backroom::orders::store
