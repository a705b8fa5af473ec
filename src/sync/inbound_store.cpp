// SQL of the transfers a store node receives from head office (sync/inbound.hpp, migration 40).
#include <fmt/format.h>

#include "sync/inbound.hpp"

namespace backroom::sync::store {

namespace {
std::vector<InboundLine> lines_of(db::Db& db, const std::string& transfer_id) {
  std::vector<InboundLine> out;
  auto q = db.query(
      "SELECT id, line_no, item_id, sku, name, shipped, received, damaged, short FROM sync_inbound_transfer_lines "
      "WHERE transfer_id = ? ORDER BY line_no");
  q.bind(1, transfer_id);
  while (q.step())
    out.push_back(InboundLine{q.text(0), q.int64(1), q.text(2), q.text(3), q.text(4), Quantity{q.int64(5)},
                              Quantity{q.int64(6)}, Quantity{q.int64(7)}, Quantity{q.int64(8)}});
  return out;
}

constexpr const char* columns =
    "SELECT id, number, from_name, note, shipped_at, arrived_at, status, location_id, received_at, received_by, "
    "cancelled_at, cancel_reason FROM sync_inbound_transfers ";

InboundTransfer row(db::Query& q) {
  InboundTransfer t;
  t.id = q.text(0);
  t.number = q.text(1);
  t.from_name = q.text(2);
  t.note = q.text(3);
  t.shipped_at = q.int64(4);
  t.arrived_at = q.int64(5);
  t.status = q.text(6);
  if (!q.is_null(7)) t.location_id = q.text(7);
  if (!q.is_null(8)) t.received_at = q.int64(8);
  if (!q.is_null(9)) t.received_by = q.text(9);
  if (!q.is_null(10)) t.cancelled_at = q.int64(10);
  if (!q.is_null(11)) t.cancel_reason = q.text(11);
  return t;
}
}  // namespace

void insert_inbound(db::Db& db, const InboundTransfer& t) {
  db.query(
        "INSERT INTO sync_inbound_transfers (id, number, from_name, note, shipped_at, arrived_at, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, t.id)
      .bind(2, t.number)
      .bind(3, t.from_name)
      .bind(4, t.note)
      .bind(5, t.shipped_at)
      .bind(6, t.arrived_at)
      .bind(7, t.status)
      .run();
  for (const auto& l : t.lines)
    db.query(
          "INSERT INTO sync_inbound_transfer_lines (id, transfer_id, line_no, item_id, sku, name, shipped) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .bind(1, l.id)
        .bind(2, t.id)
        .bind(3, l.line_no)
        .bind(4, l.item_id)
        .bind(5, l.sku)
        .bind(6, l.name)
        .bind(7, l.shipped.milli)
        .run();
}

bool mark_inbound_cancelled(db::Db& db, const std::string& id, std::int64_t at, const std::string& reason) {
  auto q = db.query(
      "UPDATE sync_inbound_transfers SET status = 'cancelled', cancelled_at = ?, cancel_reason = ? "
      "WHERE id = ? AND status = 'in_transit'");
  q.bind(1, at).bind(2, reason).bind(3, id).run();
  return db.changes() > 0;
}

std::optional<InboundTransfer> load_inbound(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(columns) + "WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  auto t = row(q);
  t.lines = lines_of(db, t.id);
  return t;
}

std::vector<InboundTransfer> list_inbound(db::Db& db, const std::string& status, const std::optional<std::string>& before,
                                          int limit) {
  auto q = db.query(std::string(columns) +
                    "WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR id < ?2) ORDER BY id DESC LIMIT ?3");
  q.bind(1, status).bind(2, before.value_or(std::string())).bind(3, static_cast<std::int64_t>(limit));
  std::vector<InboundTransfer> out;
  while (q.step()) out.push_back(row(q));
  for (auto& t : out) t.lines = lines_of(db, t.id);
  return out;
}

void mark_inbound_received(db::Db& db, const InboundTransfer& t) {
  db.query(
        "UPDATE sync_inbound_transfers SET status = ?, location_id = ?, received_at = ?, received_by = ? WHERE id = ?")
      .bind(1, t.status)
      .bind(2, t.location_id)
      .bind(3, t.received_at)
      .bind(4, t.received_by)
      .bind(5, t.id)
      .run();
  for (const auto& l : t.lines)
    db.query("UPDATE sync_inbound_transfer_lines SET received = ?, damaged = ?, short = ? WHERE id = ?")
        .bind(1, l.received.milli)
        .bind(2, l.damaged.milli)
        .bind(3, l.short_.milli)
        .bind(4, l.id)
        .run();
}

std::vector<std::string> check_inbound(db::Db& db) {
  std::vector<std::string> problems;
  {
    auto q = db.query(
        "SELECT DISTINCT m.document_id FROM stock_movements m WHERE m.document_type = 'inbound_transfer' AND NOT EXISTS "
        "(SELECT 1 FROM sync_inbound_transfers t WHERE t.id = m.document_id AND t.status = 'received') LIMIT 1000");
    while (q.step())
      problems.push_back(fmt::format("movement: inbound transfer {} is not a received transfer from head office", q.text(0)));
  }
  {
    auto q = db.query(
        "SELECT l.id, l.shipped, l.received, l.damaged, l.short, t.status, "
        "COALESCE((SELECT SUM(m.quantity) FROM stock_movements m WHERE m.document_type = 'inbound_transfer' "
        "AND m.document_line_id = l.id), 0) FROM sync_inbound_transfer_lines l "
        "JOIN sync_inbound_transfers t ON t.id = l.transfer_id");
    while (q.step()) {
      std::int64_t shipped = q.int64(1), got = q.int64(2), damaged = q.int64(3), lost = q.int64(4), moved = q.int64(6);
      bool received = q.text(5) == "received";
      if (moved != got + damaged)
        problems.push_back(fmt::format("inbound transfer line {}: {} received and {} damaged, but its movements add to {}",
                                       q.text(0), format_quantity(Quantity{got}), format_quantity(Quantity{damaged}),
                                       format_quantity(Quantity{moved})));
      if (received ? got + damaged + lost != shipped : got + damaged + lost != 0)
        problems.push_back(fmt::format("inbound transfer line {}: status {}, shipped {}, received/damaged/short {}/{}/{}",
                                       q.text(0), q.text(5), format_quantity(Quantity{shipped}),
                                       format_quantity(Quantity{got}), format_quantity(Quantity{damaged}),
                                       format_quantity(Quantity{lost})));
    }
  }
  return problems;
}

}  // namespace backroom::sync::store
