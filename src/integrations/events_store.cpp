#include "integrations/events.hpp"

namespace backroom::integrations {

std::vector<Event> events_after(db::Db& db, std::int64_t after_seq, int limit, const std::string& type_prefix) {
  std::vector<Event> out;
  auto q = db.query(
      "SELECT seq, id, at, type, entity_id, payload, hlc FROM events WHERE seq > ? AND type LIKE ? ORDER BY seq LIMIT ?");
  q.bind(1, after_seq).bind(2, type_prefix + "%").bind(3, limit);
  while (q.step()) out.push_back(Event{q.int64(0), q.text(1), q.int64(2), q.text(3), q.text(4), q.text(5), q.opt_int64(6)});
  return out;
}

std::int64_t count_events_after(db::Db& db, std::int64_t after_seq, const std::vector<std::string>& types) {
  boost::json::array wanted(types.begin(), types.end());
  auto q = db.query("SELECT COUNT(*) FROM events WHERE seq > ? AND type IN (SELECT value FROM json_each(?))");
  q.bind(1, after_seq).bind(2, boost::json::serialize(wanted));
  q.step();
  return q.int64(0);
}

std::optional<std::string> payload_before(db::Db& db, const std::string& entity_id, std::int64_t before_seq,
                                          const std::vector<std::string>& types) {
  boost::json::array wanted(types.begin(), types.end());
  auto q = db.query(
      "SELECT payload FROM events WHERE entity_id = ? AND seq < ? AND type IN (SELECT value FROM json_each(?)) "
      "ORDER BY seq DESC LIMIT 1");
  q.bind(1, entity_id).bind(2, before_seq).bind(3, boost::json::serialize(wanted));
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

}  // namespace backroom::integrations
