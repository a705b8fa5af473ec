// SQL of a store node's destinations and its shipments to head office's side (sync/outbound.hpp,
// migration 42).
#include <fmt/format.h>

#include "sync/outbound.hpp"

namespace backroom::sync::store {

namespace {
Destination destination_row(db::Query& q) {
  return Destination{q.text(0), q.text(1), q.text(2), q.int64(3) != 0, q.int64(4)};
}

std::vector<OutboundLine> outbound_lines(db::Db& db, const std::string& transfer_id) {
  std::vector<OutboundLine> out;
  auto q = db.query(
      "SELECT l.id, l.line_no, l.item_id, COALESCE(i.sku, ''), COALESCE(i.name, ''), l.shipped, l.received, l.damaged, "
      "l.short "
      "FROM sync_outbound_transfer_lines l LEFT JOIN items i ON i.id = l.item_id WHERE l.transfer_id = ? ORDER BY l.line_no");
  q.bind(1, transfer_id);
  while (q.step())
    out.push_back(OutboundLine{q.text(0), q.int64(1), q.text(2), q.text(3), q.text(4), Quantity{q.int64(5)},
                               Quantity{q.int64(6)}, Quantity{q.int64(7)}, Quantity{q.int64(8)}});
  return out;
}

constexpr const char* outbound_columns =
    "SELECT t.id, t.number, t.from_location_id, COALESCE(l.name, ''), t.to_id, t.to_name, t.note, t.shipped_at, "
    "t.shipped_by, t.request_hash, t.status, t.received_at, t.cancelled_at, t.cancelled_by, t.cancel_reason, t.cancel_id "
    "FROM sync_outbound_transfers t LEFT JOIN locations l ON l.id = t.from_location_id ";

OutboundTransfer outbound_row(db::Query& q) {
  OutboundTransfer t;
  t.id = q.text(0);
  t.number = q.int64(1);
  t.from_location_id = q.text(2);
  t.from_name = q.text(3);
  t.to_id = q.text(4);
  t.to_name = q.text(5);
  t.note = q.text(6);
  t.shipped_at = q.int64(7);
  t.shipped_by = q.text(8);
  t.request_hash = q.text(9);
  t.status = q.text(10);
  if (!q.is_null(11)) t.received_at = q.int64(11);
  if (!q.is_null(12)) t.cancelled_at = q.int64(12);
  if (!q.is_null(13)) t.cancelled_by = q.text(13);
  if (!q.is_null(14)) t.cancel_reason = q.text(14);
  if (!q.is_null(15)) t.cancel_id = q.text(15);
  return t;
}
}  // namespace

void upsert_destination(db::Db& db, const Destination& d) {
  db.query(
        "INSERT INTO sync_destinations (id, name, kind, allowed, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, allowed = excluded.allowed, "
        "updated_at = excluded.updated_at")
      .bind(1, d.id)
      .bind(2, d.name)
      .bind(3, d.kind)
      .bind(4, static_cast<std::int64_t>(d.allowed ? 1 : 0))
      .bind(5, d.updated_at)
      .run();
}

std::optional<Destination> load_destination(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT id, name, kind, allowed, updated_at FROM sync_destinations WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return destination_row(q);
}

std::vector<Destination> list_destinations(db::Db& db, const std::optional<std::string>& after, int limit) {
  auto q = db.query(
      "SELECT id, name, kind, allowed, updated_at FROM sync_destinations WHERE allowed = 1 AND id > ? ORDER BY id LIMIT ?");
  q.bind(1, after.value_or(std::string())).bind(2, static_cast<std::int64_t>(limit));
  std::vector<Destination> out;
  while (q.step()) out.push_back(destination_row(q));
  return out;
}

void insert_outbound(db::Db& db, const OutboundTransfer& t) {
  db.query(
        "INSERT INTO sync_outbound_transfers (id, number, from_location_id, to_id, to_name, note, request_hash, "
        "shipped_at, shipped_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, t.id)
      .bind(2, t.number)
      .bind(3, t.from_location_id)
      .bind(4, t.to_id)
      .bind(5, t.to_name)
      .bind(6, t.note)
      .bind(7, t.request_hash)
      .bind(8, t.shipped_at)
      .bind(9, t.shipped_by)
      .run();
  for (const auto& l : t.lines)
    db.query(
          "INSERT INTO sync_outbound_transfer_lines (id, transfer_id, line_no, item_id, shipped) VALUES (?, ?, ?, ?, ?)")
        .bind(1, l.id)
        .bind(2, t.id)
        .bind(3, l.line_no)
        .bind(4, l.item_id)
        .bind(5, l.shipped.milli)
        .run();
}

std::optional<OutboundTransfer> load_outbound(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(outbound_columns) + "WHERE t.id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  auto t = outbound_row(q);
  t.lines = outbound_lines(db, t.id);
  return t;
}

std::vector<OutboundTransfer> list_outbound(db::Db& db, const std::optional<std::string>& before, int limit) {
  auto q = db.query(std::string(outbound_columns) + "WHERE (? = '' OR t.id < ?) ORDER BY t.id DESC LIMIT ?");
  q.bind(1, before.value_or(std::string())).bind(2, before.value_or(std::string())).bind(3, static_cast<std::int64_t>(limit));
  std::vector<OutboundTransfer> out;
  while (q.step()) out.push_back(outbound_row(q));
  for (auto& t : out) t.lines = outbound_lines(db, t.id);
  return out;
}

std::int64_t next_outbound_number(db::Db& db) {
  auto q = db.query("SELECT COALESCE(MAX(number), 0) + 1 FROM sync_outbound_transfers");
  q.step();
  return q.int64(0);
}

void update_outbound_receipt(db::Db& db, const OutboundTransfer& t) {
  db.query("UPDATE sync_outbound_transfers SET to_id = ?, to_name = ?, status = ?, received_at = ? WHERE id = ?")
      .bind(1, t.to_id)
      .bind(2, t.to_name)
      .bind(3, t.status)
      .bind(4, t.received_at)
      .bind(5, t.id)
      .run();
  for (const auto& l : t.lines)
    db.query("UPDATE sync_outbound_transfer_lines SET received = ?, damaged = ?, short = ? WHERE id = ? AND transfer_id = ?")
        .bind(1, l.received.milli)
        .bind(2, l.damaged.milli)
        .bind(3, l.short_.milli)
        .bind(4, l.id)
        .bind(5, t.id)
        .run();
}

void update_outbound_cancel(db::Db& db, const OutboundTransfer& t) {
  db.query(
        "UPDATE sync_outbound_transfers SET status = ?, cancelled_at = ?, cancelled_by = ?, cancel_reason = ?, cancel_id = ? "
        "WHERE id = ?")
      .bind(1, t.status)
      .bind(2, t.cancelled_at)
      .bind(3, t.cancelled_by)
      .bind(4, t.cancel_reason)
      .bind(5, t.cancel_id)
      .bind(6, t.id)
      .run();
}

std::vector<std::string> check_outbound(db::Db& db) {
  std::vector<std::string> problems;
  {
    auto q = db.query(
        "SELECT DISTINCT m.document_id FROM stock_movements m WHERE m.document_type = 'outbound_transfer' AND NOT EXISTS "
        "(SELECT 1 FROM sync_outbound_transfer_lines l WHERE l.transfer_id = m.document_id AND l.id = m.document_line_id) "
        "LIMIT 1000");
    while (q.step())
      problems.push_back(fmt::format("movement: outbound transfer {} is not a line of a shipment to head office", q.text(0)));
  }
  {
    auto q = db.query(
        "SELECT l.id, l.shipped, COALESCE((SELECT SUM(m.quantity) FROM stock_movements m WHERE m.document_type = "
        "'outbound_transfer' AND m.document_line_id = l.id AND m.location_id = t.from_location_id), 0), "
        "(SELECT COUNT(*) FROM stock_movements m WHERE m.document_type = 'outbound_transfer' AND m.document_line_id = l.id) "
        "FROM sync_outbound_transfer_lines l JOIN sync_outbound_transfers t ON t.id = l.transfer_id");
    while (q.step())
      if (q.int64(2) != -q.int64(1) || q.int64(3) != 1)
        problems.push_back(fmt::format("outbound transfer line {}: shipped {}, but its movements take {} from its source",
                                       q.text(0), format_quantity(Quantity{q.int64(1)}),
                                       format_quantity(Quantity{-q.int64(2)})));
  }
  {
    // A cancel's movements (migration 48): under its shipment's cancel id, on its lines only.
    auto q = db.query(
        "SELECT DISTINCT m.document_id FROM stock_movements m WHERE m.document_type = 'outbound_transfer_cancel' AND NOT "
        "EXISTS (SELECT 1 FROM sync_outbound_transfers t JOIN sync_outbound_transfer_lines l ON l.transfer_id = t.id "
        "WHERE t.cancel_id = m.document_id AND l.id = m.document_line_id) LIMIT 1000");
    while (q.step())
      problems.push_back(fmt::format("movement: outbound transfer cancel {} is not the cancel of a shipment's line", q.text(0)));
  }
  {
    // A cancelled shipment gave each line back to its source exactly what it shipped, once.
    auto q = db.query(
        "SELECT l.id, l.shipped, COALESCE((SELECT SUM(m.quantity) FROM stock_movements m WHERE m.document_type = "
        "'outbound_transfer_cancel' AND m.document_id = t.cancel_id AND m.document_line_id = l.id AND m.location_id = "
        "t.from_location_id), 0), (SELECT COUNT(*) FROM stock_movements m WHERE m.document_type = "
        "'outbound_transfer_cancel' AND m.document_line_id = l.id) "
        "FROM sync_outbound_transfer_lines l JOIN sync_outbound_transfers t ON t.id = l.transfer_id "
        "WHERE t.cancel_id IS NOT NULL");
    while (q.step())
      if (q.int64(2) != q.int64(1) || q.int64(3) != 1)
        problems.push_back(fmt::format("outbound transfer line {}: shipped {} and cancelled, but its cancel gives back {}",
                                       q.text(0), format_quantity(Quantity{q.int64(1)}),
                                       format_quantity(Quantity{q.int64(2)})));
  }
  {
    auto q = db.query(
        "SELECT id FROM sync_outbound_transfers WHERE (cancel_id IS NULL) <> (cancelled_at IS NULL) OR (status = "
        "'cancelled' AND cancel_id IS NULL)");
    while (q.step())
      problems.push_back(fmt::format("outbound transfer {}: cancelled without its cancel's record", q.text(0)));
  }
  {
    auto q = db.query("SELECT COALESCE(MIN(number), 1), COALESCE(MAX(number), 0), COUNT(*) FROM sync_outbound_transfers");
    q.step();
    if (q.int64(0) != 1 || q.int64(1) != q.int64(2))
      problems.push_back(fmt::format("outbound transfer numbers: {} shipments numbered {} to {}; they run from 1 without gaps",
                                     q.int64(2), q.int64(0), q.int64(1)));
  }
  return problems;
}

}  // namespace backroom::sync::store
