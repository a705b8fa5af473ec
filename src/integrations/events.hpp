// The event feed: every committed change appends an event to the outbox in the same
// transaction; integrators page through it with a cursor (GET /api/v1/events?after=).
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/app.hpp"
#include "platform/db.hpp"

namespace backroom::integrations {

struct Event {
  std::int64_t seq;
  std::string id;
  std::int64_t at;
  std::string type;
  std::string entity_id;
  std::string payload;  // JSON
  std::optional<std::int64_t> hlc;  // a store node's hybrid logical clock (sync/hlc.hpp), packed
};

std::vector<Event> events_after(db::Db& db, std::int64_t after_seq, int limit, const std::string& type_prefix);
// How many events after `after_seq` have one of `types` (counted in the statement: no payload
// is read out).
std::int64_t count_events_after(db::Db& db, std::int64_t after_seq, const std::vector<std::string>& types);
// The newest payload of an event of one of `types` about `entity_id` before event
// `before_seq` (what an entity looked like before a change).
std::optional<std::string> payload_before(db::Db& db, const std::string& entity_id, std::int64_t before_seq,
                                          const std::vector<std::string>& types);
boost::json::object event_to_json(const Event& e);

void register_event_routes(App& app);

}  // namespace backroom::integrations
