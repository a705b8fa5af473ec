#include "platform/ids.hpp"
#include "platform/outbox.hpp"
#include "platform/types.hpp"

#include <utility>
#include <vector>

namespace backroom {

namespace {
EventStamper& stamper() {
  static EventStamper installed;
  return installed;
}
}  // namespace

void set_event_stamper(EventStamper s) { stamper() = std::move(s); }

void append_event(db::Db& db, const std::string& type, const std::string& entity_id, const std::string& payload) {
  std::optional<std::int64_t> hlc;
  if (const auto& s = stamper()) hlc = s(db, type);
  // Unstamped events leave the column out (NULL): the statement every older schema has too.
  auto q = db.query(hlc ? "INSERT INTO events (id, at, type, entity_id, payload, hlc) VALUES (?, ?, ?, ?, ?, ?)"
                        : "INSERT INTO events (id, at, type, entity_id, payload) VALUES (?, ?, ?, ?, ?)");
  q.bind(1, new_uuid_v7()).bind(2, now().micros).bind(3, type).bind(4, entity_id).bind(5, payload);
  if (hlc) q.bind(6, *hlc);
  q.run();
}

int rewrite_event_payloads(db::Db& db, const std::string& type_prefix, const PayloadRewrite& rewrite) {
  std::vector<std::pair<std::int64_t, std::string>> changed;
  {
    auto q = db.query("SELECT seq, payload FROM events WHERE substr(type, 1, length(?)) = ? ORDER BY seq");
    q.bind(1, type_prefix).bind(2, type_prefix);
    while (q.step())
      if (auto text = rewrite(q.text(1))) changed.emplace_back(q.int64(0), std::move(*text));
  }
  for (const auto& [seq, payload] : changed)
    db.query("UPDATE events SET payload = ? WHERE seq = ?").bind(1, payload).bind(2, seq).run();
  return static_cast<int>(changed.size());
}

}  // namespace backroom
