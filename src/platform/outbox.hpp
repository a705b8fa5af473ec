// The outbox: every command writes its event in the same transaction as its rows
// (GET /api/v1/events, webhooks). The audit entry that goes with it is the access room's
// (access/audit.hpp).
#pragma once

#include <string>

#include "platform/actor.hpp"
#include "platform/db.hpp"

namespace backroom {

// Appends an event to the outbox (GET /api/v1/events, webhooks). Writer thread only.
void append_event(db::Db& db, const std::string& type, const std::string& entity_id,
                  const std::string& payload_json);

}  // namespace backroom
