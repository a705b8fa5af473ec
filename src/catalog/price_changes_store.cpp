#include <algorithm>
#include <tuple>

#include "catalog/changes.hpp"
#include "catalog/price_changes.hpp"
#include "platform/assert.hpp"
#include "platform/id_filter.hpp"

namespace backroom::catalog::store {

namespace {
constexpr const char* columns =
    "SELECT id, item_id, tier, price, old_price, effective_at, reason, status, requested_by, requested_by_id, "
    "requested_at, decided_by, decided_by_id, decided_at, decision_note, applied_at, promotion, ends_at, ended_at "
    "FROM price_changes ";

PriceChange read(const db::Query& q) {
  return PriceChange{q.text(0),       q.text(1),      q.opt_text(2),  q.int64(3),      q.opt_int64(4), q.int64(5),
                     q.text(6),       q.text(7),      q.text(8),      q.text(9),       q.int64(10),    q.opt_text(11),
                     q.opt_text(12),  q.opt_int64(13), q.opt_text(14), q.opt_int64(15), q.int64(16) != 0,
                     q.opt_int64(17), q.opt_int64(18)};
}
}  // namespace

void insert_price_change(db::Db& db, const PriceChange& c) {
  db::assert_in_transaction(db);
  db.query(
        "INSERT INTO price_changes (id, item_id, tier, price, old_price, effective_at, reason, status, requested_by, "
        "requested_by_id, requested_at, promotion, ends_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, c.id)
      .bind(2, c.item_id)
      .bind(3, c.tier)
      .bind(4, c.price)
      .bind(5, c.old_price)
      .bind(6, c.effective_at)
      .bind(7, c.reason)
      .bind(8, c.status)
      .bind(9, c.requested_by)
      .bind(10, c.requested_by_id)
      .bind(11, c.requested_at)
      .bind(12, static_cast<std::int64_t>(c.promotion ? 1 : 0))
      .bind(13, c.ends_at)
      .run();
  note_change(db, change_price_change, c.id);
}

void update_price_change(db::Db& db, const PriceChange& c) {
  db::assert_in_transaction(db);
  db.query(
        "UPDATE price_changes SET status = ?, old_price = ?, decided_by = ?, decided_by_id = ?, decided_at = ?, "
        "decision_note = ?, applied_at = ?, ended_at = ? WHERE id = ?")
      .bind(1, c.status)
      .bind(2, c.old_price)
      .bind(3, c.decided_by)
      .bind(4, c.decided_by_id)
      .bind(5, c.decided_at)
      .bind(6, c.decision_note)
      .bind(7, c.applied_at)
      .bind(8, c.ended_at)
      .bind(9, c.id)
      .run();
  note_change(db, change_price_change, c.id);
}

std::optional<PriceChange> load_price_change(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(columns) + "WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read(q);
}

std::vector<PriceChange> list_price_changes(db::Db& db, const std::string& status, const std::string& item_id,
                                            const std::string& before_id, int limit) {
  auto q = db.query(std::string(columns) +
                    "WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR item_id = ?2) AND (?3 = '' OR id < ?3) "
                    "ORDER BY id DESC LIMIT ?4");
  q.bind(1, status).bind(2, item_id).bind(3, before_id).bind(4, limit + 1);
  std::vector<PriceChange> out;
  while (q.step()) out.push_back(read(q));
  return out;
}

std::vector<PriceChange> due_price_changes(db::Db& db, std::int64_t at) {
  auto q = db.query(std::string(columns) + "WHERE status = 'approved' AND effective_at <= ? ORDER BY effective_at, id");
  q.bind(1, at);
  std::vector<PriceChange> out;
  while (q.step()) out.push_back(read(q));
  return out;
}

std::vector<PriceChange> ending_price_changes(db::Db& db, std::int64_t at) {
  auto q = db.query(std::string(columns) +
                    "WHERE ends_at IS NOT NULL AND ended_at IS NULL AND status = 'applied' AND ends_at <= ? "
                    "ORDER BY ends_at, id");
  q.bind(1, at);
  std::vector<PriceChange> out;
  while (q.step()) out.push_back(read(q));
  return out;
}

namespace {
// The statement `columns WHERE <the items> AND <condition>`, with the items' list in it as its
// first parameter, or without it for a long list (db::IdFilter); `condition`'s own
// parameters follow. The caller keeps the rows `ids.wants`.
db::Query items_query(db::Db& db, const db::IdFilter& ids, const std::string& condition) {
  if (ids.whole()) return db.query(std::string(columns) + "WHERE " + condition);
  auto q = db.query(std::string(columns) + "WHERE item_id IN (SELECT value FROM json_each(?)) AND " + condition);
  q.bind(1, ids.json());
  return q;
}
}  // namespace

std::vector<PriceChange> applied_price_changes_after(db::Db& db, const std::vector<std::string>& item_ids,
                                                     std::int64_t after_micros) {
  std::vector<PriceChange> out;
  if (item_ids.empty()) return out;
  // One read for both moves of the price: a change applied after the moment, and a
  // promotion's return after it (from the promotion's price back to old_price).
  db::IdFilter wanted(item_ids);
  int p = wanted.whole() ? 1 : 2;
  auto q = items_query(db, wanted, "tier IS NULL AND status = 'applied' AND (applied_at > ? OR ended_at > ?)");
  q.bind(p, after_micros).bind(p + 1, after_micros);
  while (q.step()) {
    auto c = read(q);
    if (!wanted.wants(c.item_id)) continue;
    if (c.ended_at && *c.ended_at > after_micros) {
      auto back = c;
      back.old_price = c.price;
      if (c.old_price) back.price = *c.old_price;
      back.applied_at = c.ended_at;
      out.push_back(std::move(back));
    }
    if (*c.applied_at > after_micros) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const PriceChange& a, const PriceChange& b) {
    return std::tie(*a.applied_at, a.id) < std::tie(*b.applied_at, b.id);
  });
  return out;
}

std::vector<PriceChange> scheduled_price_changes(db::Db& db, const std::vector<std::string>& item_ids) {
  std::vector<PriceChange> out;
  if (item_ids.empty()) return out;
  db::IdFilter wanted(item_ids);
  auto q = items_query(db, wanted, "tier IS NULL AND status = 'approved' ORDER BY item_id, effective_at, id");
  while (q.step()) {
    auto c = read(q);
    if (wanted.wants(c.item_id)) out.push_back(std::move(c));
  }
  return out;
}

std::vector<PriceChange> open_price_changes(db::Db& db, const std::string& item_id, const std::optional<std::string>& tier) {
  auto q = db.query(std::string(columns) +
                    "WHERE item_id = ? AND COALESCE(tier, '') = ? AND status IN ('pending', 'approved', 'applied') "
                    "AND ended_at IS NULL ORDER BY effective_at, id");
  q.bind(1, item_id).bind(2, tier.value_or(""));
  std::vector<PriceChange> out;
  while (q.step()) out.push_back(read(q));
  return out;
}

std::vector<PriceChange> promotions_in_force(db::Db& db, const std::vector<std::string>& item_ids,
                                             std::int64_t from_micros, std::int64_t to_micros) {
  std::vector<PriceChange> out;
  if (item_ids.empty()) return out;
  db::IdFilter wanted(item_ids);
  int p = wanted.whole() ? 1 : 2;
  auto q = items_query(db, wanted,
                       "tier IS NULL AND promotion = 1 AND status = 'applied' AND applied_at < ? "
                       "AND (ended_at IS NULL OR ended_at > ?) ORDER BY item_id, applied_at, id");
  q.bind(p, to_micros).bind(p + 1, from_micros);
  while (q.step()) {
    auto c = read(q);
    if (wanted.wants(c.item_id)) out.push_back(std::move(c));
  }
  return out;
}

std::vector<PromotionEntry> list_promotions(db::Db& db, std::int64_t from_micros, std::int64_t to_micros,
                                            const std::string& status, const std::string& after_id, int limit) {
  auto q = db.query(
      "SELECT c.id, c.item_id, c.tier, c.price, c.old_price, c.effective_at, c.reason, c.status, c.requested_by, "
      "c.requested_by_id, c.requested_at, c.decided_by, c.decided_by_id, c.decided_at, c.decision_note, c.applied_at, "
      "c.promotion, c.ends_at, c.ended_at, i.sku, i.name, "
      "CASE WHEN c.tier IS NULL THEN i.price ELSE (SELECT p.price FROM item_prices p WHERE p.item_id = c.item_id AND p.tier = c.tier) END "
      "FROM price_changes c JOIN items i ON i.id = c.item_id "
      "WHERE c.promotion = 1 AND c.status <> 'rejected' AND c.effective_at < ?1 "
      "AND (c.ends_at IS NULL OR c.ends_at > ?2) "
      "AND (?3 = '' OR c.effective_at > (SELECT effective_at FROM price_changes WHERE id = ?3) "
      "OR (c.effective_at = (SELECT effective_at FROM price_changes WHERE id = ?3) AND c.id > ?3)) "
      "AND (?5 = '' OR (?5 = 'ended' AND c.ended_at IS NOT NULL) OR (c.ended_at IS NULL AND c.status = ?5)) "
      "ORDER BY c.effective_at, c.id LIMIT ?4");
  q.bind(1, to_micros).bind(2, from_micros).bind(3, after_id).bind(4, limit + 1).bind(5, status);
  std::vector<PromotionEntry> out;
  while (q.step()) out.push_back({read(q), q.text(19), q.text(20), q.opt_int64(21)});
  return out;
}

}  // namespace backroom::catalog::store
