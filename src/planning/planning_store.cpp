#include "planning/planning_store.hpp"

#include <boost/json.hpp>

#include "platform/assert.hpp"

namespace backroom::planning::store {

namespace bj = boost::json;

void replace_ledger_days(db::Db& db, const std::string& from_day, const std::vector<DemandRow>& rows) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM demand_history WHERE source = 'ledger' AND day >= ?").bind(1, from_day).run();
  for (const auto& r : rows)
    db.query(
          "INSERT INTO demand_history (location_id, item_id, day, source, units, censored, promo) "
          "VALUES (?, ?, ?, 'ledger', ?, ?, ?)")
        .bind(1, r.location_id)
        .bind(2, r.item_id)
        .bind(3, r.day)
        .bind(4, r.units)
        .bind(5, r.censored)
        .bind(6, r.promo)
        .run();
}

void put_import_days(db::Db& db, const std::vector<DemandRow>& rows) {
  db::assert_in_transaction(db);
  for (const auto& r : rows) {
    db.query("DELETE FROM demand_history WHERE location_id = ? AND item_id = ? AND day = ? AND source = 'import'")
        .bind(1, r.location_id)
        .bind(2, r.item_id)
        .bind(3, r.day)
        .run();
    db.query(
          "INSERT INTO demand_history (location_id, item_id, day, source, units, censored, promo) "
          "VALUES (?, ?, ?, 'import', ?, ?, ?)")
        .bind(1, r.location_id)
        .bind(2, r.item_id)
        .bind(3, r.day)
        .bind(4, r.units)
        .bind(5, r.censored)
        .bind(6, r.promo)
        .run();
  }
}

void each_demand_at(db::Db& db, const std::string& location_id, const std::vector<std::string>& item_ids,
                    const std::string& from_day, const DemandEach& each) {
  // A day can have a ledger row and an imported row; they are merged here as the rows arrive
  // in key order, not by GROUP BY: SQLite's grouping cost ten times the reading of the rows
  // (12 million rows: 11.6 s against 1.8 s, docs/performance.md "Replenishment").
  auto read = [&](db::Query& q) {
    std::string item, day;
    std::int64_t units = 0;
    bool censored = false, promo = false, open = false;
    while (q.step()) {
      auto row_item = q.text_view(0), row_day = q.text_view(1);
      if (open && row_item == item && row_day == day) {
        units += q.int64(2);
        censored = censored || q.int64(3) != 0;
        promo = promo || q.int64(4) != 0;
        continue;
      }
      if (open) each(item, day, units, censored, promo);
      item.assign(row_item);
      day.assign(row_day);
      units = q.int64(2);
      censored = q.int64(3) != 0;
      promo = q.int64(4) != 0;
      open = true;
    }
    if (open) each(item, day, units, censored, promo);
  };
  if (item_ids.empty()) {
    auto q = db.query(
        "SELECT item_id, day, units, censored, promo FROM demand_history "
        "WHERE location_id = ? AND day >= ? ORDER BY item_id, day");
    q.bind(1, location_id).bind(2, from_day);
    read(q);
  } else {
    bj::array wanted(item_ids.begin(), item_ids.end());
    auto q = db.query(
        "SELECT item_id, day, units, censored, promo FROM demand_history "
        "WHERE location_id = ? AND day >= ? AND item_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY item_id, day");
    q.bind(1, location_id).bind(2, from_day).bind(3, bj::serialize(wanted));
    read(q);
  }
}

std::vector<DemandRow> demand_at(db::Db& db, const std::string& location_id, const std::vector<std::string>& item_ids,
                                 const std::string& from_day) {
  std::vector<DemandRow> out;
  each_demand_at(db, location_id, item_ids, from_day,
                 [&](std::string_view item, std::string_view day, std::int64_t units, bool censored, bool promo) {
                   out.push_back(DemandRow{location_id, std::string(item), std::string(day), units, censored, promo});
                 });
  return out;
}

std::vector<ServiceLevel> service_levels(db::Db& db) {
  std::vector<ServiceLevel> out;
  auto q = db.query("SELECT scope, key, service_level_bp FROM planning_service_levels ORDER BY scope, key");
  while (q.step()) out.push_back({q.text(0), q.text(1), q.int64(2)});
  return out;
}

void put_service_level(db::Db& db, const std::string& scope, const std::string& key,
                       std::optional<std::int64_t> service_level_bp, std::int64_t at, const std::string& by) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM planning_service_levels WHERE scope = ? AND key = ?").bind(1, scope).bind(2, key).run();
  if (!service_level_bp) return;
  db.query(
        "INSERT INTO planning_service_levels (scope, key, service_level_bp, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?)")
      .bind(1, scope)
      .bind(2, key)
      .bind(3, *service_level_bp)
      .bind(4, at)
      .bind(5, by)
      .run();
}

std::vector<ReorderPoint> reorder_points(db::Db& db, const std::string& location_id) {
  std::vector<ReorderPoint> out;
  auto q = db.query(
      "SELECT item_id, location_id, reorder_point FROM planning_reorder_points "
      "WHERE location_id = ? OR ? = '' ORDER BY location_id, item_id");
  q.bind(1, location_id).bind(2, location_id);
  while (q.step()) out.push_back({q.text(0), q.text(1), q.int64(2)});
  return out;
}

void put_reorder_point(db::Db& db, const std::string& item_id, const std::string& location_id,
                       std::optional<std::int64_t> reorder_point, std::int64_t at, const std::string& by) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM planning_reorder_points WHERE item_id = ? AND location_id = ?")
      .bind(1, item_id)
      .bind(2, location_id)
      .run();
  if (!reorder_point) return;
  db.query(
        "INSERT INTO planning_reorder_points (item_id, location_id, reorder_point, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?)")
      .bind(1, item_id)
      .bind(2, location_id)
      .bind(3, *reorder_point)
      .bind(4, at)
      .bind(5, by)
      .run();
}

void replace_prepared(db::Db& db, const std::string& location_id, const std::string& supplier_id,
                      const std::vector<PreparedRow>& rows, std::int64_t at) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM prepared_suggestions WHERE location_id = ? AND supplier_id = ?")
      .bind(1, location_id)
      .bind(2, supplier_id)
      .run();
  for (const auto& r : rows)
    db.query(
          "INSERT INTO prepared_suggestions (location_id, supplier_id, item_id, quantity, suggestion, prepared_at) "
          "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, location_id)
        .bind(2, supplier_id)
        .bind(3, r.item_id)
        .bind(4, r.quantity)
        .bind(5, r.suggestion)
        .bind(6, at)
        .run();
}

std::optional<std::int64_t> prepared_at(db::Db& db, const std::string& location_id, const std::string& supplier_id) {
  auto q = db.query("SELECT MAX(prepared_at) FROM prepared_suggestions WHERE location_id = ? AND supplier_id = ?");
  q.bind(1, location_id).bind(2, supplier_id);
  if (!q.step()) return std::nullopt;
  return q.opt_int64(0);
}

void put_snapshot(db::Db& db, const Snapshot& s, std::int64_t at) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM forecast_snapshots WHERE location_id = ? AND item_id = ? AND week_start = ?")
      .bind(1, s.location_id)
      .bind(2, s.item_id)
      .bind(3, s.week_start)
      .run();
  db.query(
        "INSERT INTO forecast_snapshots (location_id, item_id, week_start, category, forecast, made_at) "
        "VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, s.location_id)
      .bind(2, s.item_id)
      .bind(3, s.week_start)
      .bind(4, s.category)
      .bind(5, s.forecast)
      .bind(6, at)
      .run();
}

std::vector<Snapshot> snapshots(db::Db& db, const std::string& from_week, const std::string& to_week) {
  std::vector<Snapshot> out;
  auto q = db.query(
      "SELECT location_id, item_id, week_start, category, forecast FROM forecast_snapshots "
      "WHERE week_start >= ? AND week_start <= ? ORDER BY week_start, category, location_id, item_id");
  q.bind(1, from_week).bind(2, to_week);
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.int64(4)});
  return out;
}

}  // namespace backroom::planning::store
