// Holds, the last-unit rule and the availability change feed: their SQL (stock/holds.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "platform/assert.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "stock/holds.hpp"

namespace backroom::stock {

namespace bj = boost::json;

std::vector<Quantity> fit_holds(const std::vector<Quantity>& held_oldest_paid_first, Quantity room) {
  std::vector<Quantity> out = held_oldest_paid_first;
  Quantity total;
  for (const auto& h : out) total = total + h;
  if (room.milli < 0) room = Quantity{};
  Quantity excess = total - room;
  for (auto it = out.rbegin(); it != out.rend() && excess.milli > 0; ++it) {
    Quantity cut{std::min(it->milli, excess.milli)};
    *it = *it - cut;
    excess = excess - cut;
  }
  return out;
}

namespace {

constexpr const char* hold_columns =
    "SELECT id, order_id, item_id, location_id, quantity, held, status, paid_at FROM stock_holds";

Hold read_hold(db::Query& q) {
  return Hold{q.text(0),
              q.text(1),
              q.text(2),
              q.text(3),
              Quantity{q.int64(4)},
              Quantity{q.int64(5)},
              hold_statuses.stored(q.text(6)),
              Timestamp{q.int64(7)}};
}

std::optional<Hold> load_hold(db::Db& db, const std::string& line_id) {
  auto q = db.query(std::string(hold_columns) + " WHERE id = ?");
  q.bind(1, line_id);
  if (!q.step()) return std::nullopt;
  return read_hold(q);
}

void add_reserved(db::Db& db, const std::string& item_id, const std::string& location_id, Quantity delta) {
  if (delta.milli == 0) return;
  db.query("UPDATE stock_balances SET reserved = reserved + ? WHERE item_id = ? AND location_id = ?")
      .bind(1, delta.milli)
      .bind(2, item_id)
      .bind(3, location_id)
      .run_changing(1, "a hold is kept on exactly one balance row");
}

void set_hold(db::Db& db, const std::string& line_id, Quantity held, HoldStatus status) {
  db.query("UPDATE stock_holds SET held = ?, status = ?, updated_at = ? WHERE id = ?")
      .bind(1, held.milli)
      .bind(2, std::string(word(status)))
      .bind(3, now().micros)
      .bind(4, line_id)
      .run_changing(1, "a hold changes on its one row");
}

// order.short: the line keeps `held` of `quantity`; `cause` says why (register_sale when the
// last unit went to the customer at the register, not_available when it was paid without stock).
void append_short(db::Db& db, const Hold& h, Quantity held, std::string_view cause) {
  append_event(db, "order.short", h.order_id,
               bj::serialize(bj::object{{"order_id", h.order_id},
                                        {"line_id", h.line_id},
                                        {"item_id", h.item_id},
                                        {"location_id", h.location_id},
                                        {"quantity", json::quantity_value(h.quantity)},
                                        {"held", json::quantity_value(held)},
                                        {"cause", cause}}));
}

std::pair<Quantity, Quantity> on_hand_and_reserved(db::Db& db, const std::string& item_id,
                                                   const std::string& location_id) {
  auto q = db.query("SELECT on_hand, reserved FROM stock_balances WHERE item_id = ? AND location_id = ?");
  q.bind(1, item_id).bind(2, location_id);
  if (!q.step()) return {Quantity{}, Quantity{}};
  return {Quantity{q.int64(0)}, Quantity{q.int64(1)}};
}

}  // namespace

std::vector<Hold> place_holds(db::Db& db, const std::string& order_id, const std::string& location_id,
                              const std::vector<HoldRequest>& lines, Timestamp paid_at) {
  db::assert_in_transaction(db);
  std::vector<Hold> out;
  for (const auto& line : lines) {
    BR_ASSERT(line.quantity.milli > 0, "a hold is for a positive quantity");
    auto [on_hand, reserved] = on_hand_and_reserved(db, line.item_id, location_id);
    Quantity available{std::max<std::int64_t>(0, on_hand.milli - reserved.milli)};
    Quantity held{std::min(available.milli, line.quantity.milli)};
    Hold h{line.line_id, order_id, line.item_id, location_id, line.quantity, held,
           held == line.quantity ? HoldStatus::active : HoldStatus::short_, paid_at};
    db.query(
          "INSERT INTO stock_holds (id, order_id, item_id, location_id, quantity, held, status, paid_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, h.line_id)
        .bind(2, h.order_id)
        .bind(3, h.item_id)
        .bind(4, h.location_id)
        .bind(5, h.quantity.milli)
        .bind(6, h.held.milli)
        .bind(7, std::string(word(h.status)))
        .bind(8, paid_at.micros)
        .bind(9, now().micros)
        .run();
    add_reserved(db, h.item_id, location_id, held);
    if (h.status == HoldStatus::short_) append_short(db, h, held, "not_available");
    if (held.milli > 0) note_availability_change(db, h.item_id, location_id);
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<Hold> holds_of(db::Db& db, const std::string& order_id) {
  std::vector<Hold> out;
  auto q = db.query(std::string(hold_columns) + " WHERE order_id = ? ORDER BY id");
  q.bind(1, order_id);
  while (q.step()) out.push_back(read_hold(q));
  return out;
}

void lower_hold(db::Db& db, const std::string& line_id, Quantity held) {
  auto h = load_hold(db, line_id);
  if (!h || h->held <= held) return;
  set_hold(db, line_id, held, held == h->quantity ? h->status : HoldStatus::short_);
  add_reserved(db, h->item_id, h->location_id, held - h->held);
  note_availability_change(db, h->item_id, h->location_id);
}

void end_holds(db::Db& db, const std::string& order_id, HoldStatus to) {
  BR_ASSERT(to == HoldStatus::released || to == HoldStatus::collected, "a hold ends released or collected");
  for (const auto& h : holds_of(db, order_id)) {
    if (h.status == HoldStatus::released || h.status == HoldStatus::collected) continue;
    set_hold(db, h.line_id, Quantity{}, to);
    add_reserved(db, h.item_id, h.location_id, -h.held);
    if (h.held.milli > 0) note_availability_change(db, h.item_id, h.location_id);
  }
}

Quantity apply_last_unit_rule(db::Db& db, const std::string& item_id, const std::string& location_id, Quantity on_hand,
                              Quantity reserved) {
  // Nothing reserved means nothing held (reserved counts every hold's held): no hold to cut.
  if (on_hand >= reserved || reserved.milli <= 0) return Quantity{0};
  std::vector<Hold> holds;
  {
    auto q = db.query(std::string(hold_columns) +
                      " WHERE item_id = ? AND location_id = ? AND held > 0 ORDER BY paid_at, id");
    q.bind(1, item_id).bind(2, location_id);
    while (q.step()) holds.push_back(read_hold(q));
  }
  Quantity held_total;
  std::vector<Quantity> held;
  for (const auto& h : holds) {
    held.push_back(h.held);
    held_total = held_total + h.held;
  }
  // Reservations made by hand are not the rule's to cut: what they keep stays kept.
  Quantity room = on_hand - (reserved - held_total);
  auto kept = fit_holds(held, room);
  Quantity freed;
  for (std::size_t i = 0; i < holds.size(); ++i) {
    if (kept[i] == holds[i].held) continue;
    set_hold(db, holds[i].line_id, kept[i], HoldStatus::short_);
    freed = freed + (holds[i].held - kept[i]);
    append_short(db, holds[i], kept[i], "register_sale");
  }
  add_reserved(db, item_id, location_id, -freed);
  return freed;
}

namespace {
void unnote_availability_change(db::Db& db, const std::string& item_id, const std::string& location_id) {
  db.query("DELETE FROM availability_changes WHERE item_id = ? AND location_id = ?")
      .bind(1, item_id)
      .bind(2, location_id)
      .run();
}
}  // namespace

// The pair's older change row goes and a new one is numbered after every other; it keeps the
// balance's numbers, so the delta reads one range of change rows and no balance
// (docs/performance.md, "The delta without the balances").
void note_availability_change(db::Db& db, const std::string& item_id, const std::string& location_id) {
  unnote_availability_change(db, item_id, location_id);
  // The numbers are read by the INSERT itself (one seek into a page this transaction just
  // wrote; no round trip of its own on PostgreSQL); MAX makes it one row when no balance exists.
  db.query(
        "INSERT INTO availability_changes (item_id, location_id, changed_at, on_hand, reserved) "
        "SELECT ?, ?, ?, COALESCE(MAX(on_hand), 0), COALESCE(MAX(reserved), 0) FROM stock_balances "
        "WHERE item_id = ? AND location_id = ?")
      .bind(1, item_id)
      .bind(2, location_id)
      .bind(3, now().micros)
      .bind(4, item_id)
      .bind(5, location_id)
      .run();
}

void note_availability_change(db::Db& db, const std::string& item_id, const std::string& location_id, Quantity on_hand,
                              Quantity reserved) {
  unnote_availability_change(db, item_id, location_id);
  db.query("INSERT INTO availability_changes (item_id, location_id, changed_at, on_hand, reserved) VALUES (?, ?, ?, ?, ?)")
      .bind(1, item_id)
      .bind(2, location_id)
      .bind(3, now().micros)
      .bind(4, on_hand.milli)
      .bind(5, reserved.milli)
      .run();
}

std::vector<AvailabilityChange> availability_changes_after(db::Db& db, std::int64_t cursor, int limit) {
  std::vector<AvailabilityChange> out;
  out.reserve(static_cast<std::size_t>(std::max(0, std::min(limit, 5000))));
  auto q = db.query(
      "SELECT seq, item_id, location_id, on_hand, reserved FROM availability_changes WHERE seq > ? ORDER BY seq LIMIT ?");
  q.bind(1, cursor).bind(2, limit);
  while (q.step()) out.push_back(AvailabilityChange{q.int64(0), q.text(1), q.text(2), Quantity{q.int64(3)}, Quantity{q.int64(4)}});
  return out;
}

std::int64_t availability_cursor(db::Db& db) {
  auto q = db.query("SELECT COALESCE(MAX(seq), 0) FROM availability_changes");
  q.step();
  return q.int64(0);
}

std::vector<StockLevel> stock_levels(db::Db& db, const std::vector<std::string>& item_ids,
                                     const std::vector<std::string>& location_ids) {
  std::vector<StockLevel> out;
  auto add = [&](const std::string& item_id, const std::string& location_id) {
    auto [on_hand, reserved] = on_hand_and_reserved(db, item_id, location_id);
    out.push_back(StockLevel{item_id, location_id, on_hand, reserved});
  };
  for (const auto& item : item_ids)
    for (const auto& location : location_ids) add(item, location);
  return out;
}

std::vector<LowStockRow> low_stock_levels(db::Db& db, Quantity at_most, const std::string& location_id,
                                          std::int64_t offset, int limit) {
  auto q = db.query(
      "SELECT b.item_id, b.location_id, b.on_hand, b.reserved, i.sku, i.name FROM stock_balances b "
      "JOIN locations l ON l.id = b.location_id JOIN items i ON i.id = b.item_id "
      "WHERE l.sellable = 1 AND i.status = 'active' AND (? = '' OR b.location_id = ?) "
      "AND b.on_hand - b.reserved <= ? "
      "ORDER BY b.on_hand - b.reserved, i.name, b.item_id, b.location_id LIMIT ? OFFSET ?");
  q.bind(1, location_id).bind(2, location_id).bind(3, at_most.milli).bind(4, std::int64_t{limit} + 1).bind(5, offset);
  std::vector<LowStockRow> out;
  while (q.step())
    out.push_back(LowStockRow{StockLevel{q.text(0), q.text(1), Quantity{q.int64(2)}, Quantity{q.int64(3)}}, q.text(4),
                              q.text(5)});
  return out;
}

// The balances in key order without a join: the few locations are read first and the rows of
// those not sold from skipped here, instead of a lookup in locations for each of a million rows
// (docs/performance.md, "The snapshot streamed"). A page starts after the last key of the one
// before ('' sorts before every id), so no statement's result is larger than a page.
StockLevelCursor::StockLevelCursor(db::Db& db, int rows_a_page, std::string from, std::string until)
    : db_(db), rows_a_page_(rows_a_page), after_item_(std::move(from)), until_(std::move(until)) {
  BR_ASSERT(rows_a_page_ > 0, "a page has rows");
  auto q = db.query("SELECT id, sellable FROM locations ORDER BY id");
  while (q.step()) locations_.push_back(Location{q.text(0), q.int64(1) == 1});
  read_page();
}

// Each item's rows come with the same locations in the same (key) order, so the location after
// the last row's is almost always the next row's: one comparison a row instead of a search
// through every location (which was 10 % of the snapshot: docs/performance.md).
bool StockLevelCursor::sellable(std::string_view location_id) {
  std::size_t count = locations_.size();
  for (std::size_t tried = 0; tried < count; ++tried) {
    std::size_t at = location_next_ + tried;
    if (at >= count) at -= count;
    if (locations_[at].id == location_id) {
      location_next_ = at + 1 == count ? 0 : at + 1;
      return locations_[at].sellable;
    }
  }
  return false;  // no such location (a foreign key makes this unreachable)
}

// A page is read in two statements: the rest of the item the last page ended in, then the
// items after it. Both are plain seeks in the primary key; one statement with the row value
// `(item_id, location_id) > (?, ?)` compared every row's ids with the key in SQLite's loop.
// PostgreSQL does the same work either way (docs/performance.md, "The snapshot on two cores").
void StockLevelCursor::read_page() {
  query_.reset();  // the statement is the same one: its last use ends first
  query_.emplace(db_.query(
      "SELECT item_id, location_id, on_hand, reserved FROM stock_balances WHERE item_id = ? AND location_id > ? "
      "ORDER BY location_id"));
  query_->bind(1, after_item_).bind(2, after_location_);
  reading_rest_of_item_ = true;
}

void StockLevelCursor::read_items_after() {
  query_.reset();
  if (until_.empty()) {
    query_.emplace(db_.query(
        "SELECT item_id, location_id, on_hand, reserved FROM stock_balances WHERE item_id > ? "
        "ORDER BY item_id, location_id LIMIT ?"));
    query_->bind(1, after_item_).bind(2, rows_a_page_);
  } else {
    query_.emplace(db_.query(
        "SELECT item_id, location_id, on_hand, reserved FROM stock_balances WHERE item_id > ? AND item_id < ? "
        "ORDER BY item_id, location_id LIMIT ?"));
    query_->bind(1, after_item_).bind(2, until_).bind(3, rows_a_page_);
  }
  reading_rest_of_item_ = false;
  rows_read_ = 0;
}

bool StockLevelCursor::next(StockLevelView& row) {
  for (;;) {
    while (query_->step()) {
      if (!reading_rest_of_item_ && ++rows_read_ == rows_a_page_) {  // the page's last row: the next page starts after it
        after_item_.assign(query_->text_view(0));
        after_location_.assign(query_->text_view(1));
      }
      row.location_id = query_->text_view(1);
      if (!sellable(row.location_id)) continue;
      row.item_id = query_->text_view(0);
      row.on_hand = Quantity{query_->int64(2)};
      row.reserved = Quantity{query_->int64(3)};
      return true;
    }
    if (reading_rest_of_item_) {
      read_items_after();
      continue;
    }
    if (rows_read_ < rows_a_page_) return false;  // a short page is the last
    read_page();
  }
}

// A seek and a count in the items' key index (OFFSET reads no column).
std::optional<std::string> next_item_range_start(db::Db& db, const std::string& start, int items_a_range) {
  BR_ASSERT(items_a_range > 0, "a range has items");
  auto q = db.query("SELECT id FROM items WHERE id >= ? ORDER BY id LIMIT 1 OFFSET ?");
  q.bind(1, start).bind(2, items_a_range);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::vector<std::string> check_holds(db::Db& db) {
  std::vector<std::string> problems;
  auto q = db.query(
      "SELECT id, order_id, status, quantity, held FROM stock_holds WHERE "
      "(status IN ('released','collected') AND held <> 0) OR (status = 'active' AND held <> quantity) OR "
      "(status = 'short' AND held >= quantity) LIMIT 1000");
  while (q.step())
    problems.push_back(fmt::format("hold {} of order {}: status {} holds {} of {}", q.text(0), q.text(1), q.text(2),
                                   format_quantity(Quantity{q.int64(4)}), format_quantity(Quantity{q.int64(3)})));
  // The delta answers from the change rows: each must carry its balance as it is now.
  auto c = db.query(
      "SELECT c.item_id, c.location_id, c.on_hand, c.reserved, COALESCE(b.on_hand, 0), COALESCE(b.reserved, 0) "
      "FROM availability_changes c LEFT JOIN stock_balances b ON b.item_id = c.item_id AND b.location_id = c.location_id "
      "WHERE c.on_hand <> COALESCE(b.on_hand, 0) OR c.reserved <> COALESCE(b.reserved, 0) LIMIT 1000");
  while (c.step())
    problems.push_back(fmt::format("availability: the change row of item {} at {} says on hand {} reserved {}, but the balance is {} reserved {}",
                                   c.text(0), c.text(1), format_quantity(Quantity{c.int64(2)}),
                                   format_quantity(Quantity{c.int64(3)}), format_quantity(Quantity{c.int64(4)}),
                                   format_quantity(Quantity{c.int64(5)})));
  return problems;
}

}  // namespace backroom::stock
