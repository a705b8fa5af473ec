// The cutover checklist's SQL (reports/cutover.hpp): its rows, and the facts its evidence reads.
#include "platform/settings.hpp"
#include "reports/cutover.hpp"

namespace backroom::reports::store {

namespace {
CutoverTask read_task(db::Query& q) {
  return CutoverTask{q.text(0), q.int64(1), q.opt_text(2), q.opt_text(3), q.opt_int64(4), q.opt_text(5), q.text(6), q.int64(7)};
}
constexpr const char* task_columns =
    "SELECT key, position, owner_id, due_on, done_at, done_by, note, updated_at FROM cutover_tasks";

std::int64_t count(db::Db& db, const char* sql) {
  auto q = db.query(sql);
  return q.step() ? q.int64(0) : 0;
}
std::int64_t setting_number(db::Db& db, const char* key) {
  auto v = settings::get_int64(db, key);
  return v.value_or(0);
}
}  // namespace

std::vector<CutoverTask> cutover_tasks(db::Db& db) {
  std::vector<CutoverTask> out;
  auto q = db.query(std::string(task_columns) + " ORDER BY position");
  while (q.step()) out.push_back(read_task(q));
  return out;
}

std::optional<CutoverTask> cutover_task(db::Db& db, const std::string& key) {
  auto q = db.query(std::string(task_columns) + " WHERE key = ?");
  q.bind(1, key);
  if (!q.step()) return std::nullopt;
  return read_task(q);
}

void save_cutover_task(db::Db& db, const CutoverTask& t) {
  db.query("UPDATE cutover_tasks SET owner_id = ?, due_on = ?, done_at = ?, done_by = ?, note = ?, updated_at = ? WHERE key = ?")
      .bind(1, t.owner_id)
      .bind(2, t.due_on)
      .bind(3, t.done_at)
      .bind(4, t.done_by)
      .bind(5, t.note)
      .bind(6, t.updated_at)
      .bind(7, t.key)
      .run_changing(1, "a cutover task is saved onto its one row");
}

CutoverFacts cutover_facts(db::Db& db) {
  db::ReadSnapshot snapshot(db);
  CutoverFacts f;
  f.items_active = count(db, "SELECT COUNT(*) FROM items WHERE status = 'active' AND kind <> 'parent'");
  f.items_without_price =
      count(db, "SELECT COUNT(*) FROM items WHERE status = 'active' AND kind <> 'parent' AND price IS NULL");
  f.items_without_barcode = count(db,
                                  "SELECT COUNT(*) FROM items i WHERE i.status = 'active' AND i.kind <> 'parent' AND "
                                  "NOT EXISTS (SELECT 1 FROM barcodes b WHERE b.item_id = i.id)");
  f.labels_printed = count(db, "SELECT COUNT(*) FROM label_queue WHERE printed_at IS NOT NULL");
  f.labels_waiting = count(db, "SELECT COUNT(*) FROM label_queue WHERE printed_at IS NULL");
  f.registers = count(db, "SELECT COUNT(*) FROM registers");
  f.registers_with_closed_session =
      count(db, "SELECT COUNT(DISTINCT register_id) FROM register_sessions WHERE status = 'closed'");
  f.counts_approved = count(db, "SELECT COUNT(*) FROM counts WHERE status = 'approved'");
  f.backup_last_at = setting_number(db, "backup.last_at");
  f.backup_every_seconds = setting_number(db, "backup.every_seconds");
  return f;
}

}  // namespace backroom::reports::store
