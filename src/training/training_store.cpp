#include "training/training_store.hpp"

namespace backroom::training::store {

namespace {

std::string join(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : " ") + id;
  return out;
}

}  // namespace

void insert_attempt(db::Db& db, const Attempt& a) {
  db.query("INSERT INTO training_attempts (id, user_id, module, score, total, passed, steps_done, at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, a.id)
      .bind(2, a.user_id)
      .bind(3, a.module)
      .bind(4, static_cast<std::int64_t>(a.score))
      .bind(5, static_cast<std::int64_t>(a.total))
      .bind(6, static_cast<std::int64_t>(a.passed ? 1 : 0))
      .bind(7, join(a.steps_done))
      .bind(8, a.at)
      .run();
}

std::vector<Standing> standings(db::Db& db, const std::string& user_id) {
  auto q = db.query(
      "SELECT t.user_id, u.username, u.display_name, u.role, t.module, MAX(t.score), MAX(t.total), COUNT(*), "
      "MIN(CASE WHEN t.passed = 1 THEN t.at END), MAX(t.at) "
      "FROM training_attempts t JOIN users u ON u.id = t.user_id "
      "WHERE (?1 = '' OR t.user_id = ?1) "
      "GROUP BY t.user_id, u.username, u.display_name, u.role, t.module ORDER BY u.username, t.module");
  q.bind(1, user_id);
  std::vector<Standing> out;
  while (q.step()) {
    Standing s;
    s.user_id = q.text(0);
    s.username = q.text(1);
    s.display_name = q.text(2);
    s.role = q.text(3);
    s.module = q.text(4);
    s.best_score = static_cast<int>(q.int64(5));
    s.total = static_cast<int>(q.int64(6));
    s.attempts = q.int64(7);
    if (!q.is_null(8)) s.passed_at = q.int64(8);
    s.last_at = q.int64(9);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace backroom::training::store
