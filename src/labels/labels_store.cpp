#include "labels/labels_store.hpp"

namespace backroom::labels::store {

void upsert_pending(db::Db& db, const std::string& id, const std::string& store_id, const std::string& item_id,
                    std::string_view kind, std::string_view reason, int copies, std::optional<std::int64_t> event_seq,
                    std::int64_t at) {
  db.query(
        "INSERT INTO label_queue (id, store_id, item_id, kind, reason, copies, event_seq, queued_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (store_id, item_id, kind) WHERE printed_at IS NULL DO UPDATE SET "
        "reason = excluded.reason, event_seq = COALESCE(excluded.event_seq, label_queue.event_seq), "
        "copies = MAX(label_queue.copies, excluded.copies)")
      .bind(1, id)
      .bind(2, store_id)
      .bind(3, item_id)
      .bind(4, kind)
      .bind(5, reason)
      .bind(6, copies)
      .bind(7, event_seq)
      .bind(8, at)
      .run();
}

namespace {
QueueEntry read_entry(db::Query& q) {
  QueueEntry e;
  e.id = q.text(0);
  e.store_id = q.text(1);
  e.item_id = q.text(2);
  e.sku = q.text(3);
  e.name = q.text(4);
  e.price = q.opt_int64(5);
  e.kind = q.text(6);
  e.reason = q.text(7);
  e.copies = static_cast<int>(q.int64(8));
  e.event_seq = q.opt_int64(9);
  e.queued_at = q.int64(10);
  return e;
}
}  // namespace

std::vector<QueueEntry> pending(db::Db& db, const std::string& store_id, const std::string& after_id, int limit) {
  auto q = db.query(
      "SELECT q.id, q.store_id, q.item_id, i.sku, i.name, i.price, q.kind, q.reason, q.copies, q.event_seq, q.queued_at "
      "FROM label_queue q JOIN items i ON i.id = q.item_id "
      "WHERE q.store_id = ? AND q.printed_at IS NULL AND q.id > ? ORDER BY q.id LIMIT ?");
  q.bind(1, store_id).bind(2, after_id).bind(3, limit);
  std::vector<QueueEntry> out;
  while (q.step()) out.push_back(read_entry(q));
  return out;
}

std::int64_t pending_count(db::Db& db, const std::string& store_id) {
  auto q = db.query("SELECT COUNT(*) FROM label_queue WHERE store_id = ? AND printed_at IS NULL");
  q.bind(1, store_id);
  q.step();
  return q.int64(0);
}

std::int64_t mark_printed(db::Db& db, const std::vector<std::string>& ids, const std::string& job_id,
                          const std::string& user, std::int64_t at) {
  std::int64_t marked = 0;
  for (const auto& id : ids) {
    db.query("UPDATE label_queue SET printed_at = ?, printed_by = ?, print_job = ? WHERE id = ? AND printed_at IS NULL")
        .bind(1, at)
        .bind(2, user)
        .bind(3, job_id)
        .bind(4, id)
        .run();
    marked += db.changes();
  }
  return marked;
}

namespace {
Location read_location(db::Query& q) { return Location{q.text(0), q.text(1), q.text(2), q.opt_text(3)}; }
}  // namespace

std::optional<Location> location(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT id, name, kind, parent_id FROM locations WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_location(q);
}

std::optional<Location> location_by_name(db::Db& db, const std::string& name) {
  auto q = db.query("SELECT id, name, kind, parent_id FROM locations WHERE lower(name) = lower(?)");
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  return read_location(q);
}

std::vector<std::string> store_ids(db::Db& db) {
  auto q = db.query("SELECT id FROM locations WHERE kind = 'store' ORDER BY id");
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

std::optional<std::string> previous_item_payload(db::Db& db, const std::string& item_id, std::int64_t seq) {
  auto q = db.query(
      "SELECT payload FROM events WHERE entity_id = ? AND seq < ? AND type IN ('item.created', 'item.updated') "
      "ORDER BY seq DESC LIMIT 1");
  q.bind(1, item_id).bind(2, seq);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::optional<std::int64_t> last_printed_at(db::Db& db, const std::string& store_id, const std::string& item_id,
                                            std::string_view kind) {
  auto q = db.query(
      "SELECT MAX(printed_at) FROM label_queue WHERE store_id = ? AND item_id = ? AND kind = ? AND printed_at IS NOT NULL");
  q.bind(1, store_id).bind(2, item_id).bind(3, std::string(kind));
  if (!q.step() || q.is_null(0)) return std::nullopt;
  return q.int64(0);
}

std::optional<std::string> item_payload_at(db::Db& db, const std::string& item_id, std::int64_t at) {
  auto q = db.query(
      "SELECT payload FROM events WHERE entity_id = ? AND at <= ? AND type IN ('item.created', 'item.updated') "
      "ORDER BY seq DESC LIMIT 1");
  q.bind(1, item_id).bind(2, at);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

}  // namespace backroom::labels::store
