#include "platform/ids.hpp"
#include "platform/outbox.hpp"
#include "platform/types.hpp"

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

}  // namespace backroom
