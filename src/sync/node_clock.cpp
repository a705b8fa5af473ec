// A server's durable hybrid logical clock (sync/node_clock.hpp).
#include "sync/node_clock.hpp"

#include <algorithm>
#include <mutex>

#include "platform/outbox.hpp"
#include "platform/settings.hpp"
#include "platform/types.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {

namespace {
// The process's last stamp too: on PostgreSQL a concurrent transaction's may not be visible
// yet; this keeps one process's stamps increasing whatever it reads.
std::mutex clock_mutex;
hlc::Stamp process_last;

hlc::Stamp stored_stamp(db::Db& db) {
  auto packed = settings::get_int64(db, clock_setting);
  auto stamp = packed ? hlc::unpack(*packed) : std::nullopt;
  return std::max(stamp.value_or(hlc::Stamp{}), process_last);
}
}  // namespace

hlc::Stamp clock_update(db::Db& db, const std::function<void(hlc::Clock&, std::int64_t physical_ms)>& events) {
  std::lock_guard lock(clock_mutex);
  hlc::Clock clock(stored_stamp(db));
  events(clock, now().micros / 1000);
  process_last = clock.last();
  settings::put(db, clock_setting, std::to_string(hlc::pack(clock.last())));
  return clock.last();
}

hlc::Stamp clock_tick(db::Db& db) {
  return clock_update(db, [](hlc::Clock& c, std::int64_t pt) { c.tick(pt); });
}

hlc::Stamp clock_receive(db::Db& db, hlc::Stamp message) {
  return clock_update(db, [message](hlc::Clock& c, std::int64_t pt) {
    if (believable(message, pt)) c.receive(message, pt);
  });
}

hlc::Stamp clock_last(db::Db& db) {
  std::lock_guard lock(clock_mutex);
  return stored_stamp(db);
}

void stamp_queued_documents() {
  set_event_stamper([](db::Db& db, const std::string& type) -> std::optional<std::int64_t> {
    if (std::find(pushed_types.begin(), pushed_types.end(), type) == pushed_types.end()) return std::nullopt;
    return hlc::pack(clock_tick(db));
  });
}

}  // namespace backroom::sync
