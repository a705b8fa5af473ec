// The outbox: every command writes its event in the same transaction as its rows
// (GET /api/v1/events, webhooks). The audit entry that goes with it is the access room's
// (access/audit.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "platform/actor.hpp"
#include "platform/db.hpp"

namespace backroom {

// Appends an event to the outbox (GET /api/v1/events, webhooks). Writer thread only.
void append_event(db::Db& db, const std::string& type, const std::string& entity_id,
                  const std::string& payload_json);

// Rewrites the payload of each event whose type starts with `type_prefix`, where `rewrite`
// returns a new payload (nullopt leaves it): for redacting personal data that an older release
// put into events. Returns the events changed. Writer thread (or a CLI transaction).
using PayloadRewrite = std::function<std::optional<std::string>(const std::string& payload)>;
int rewrite_event_payloads(db::Db& db, const std::string& type_prefix, const PayloadRewrite& rewrite);

// What stamps an event's `hlc` column as it is appended (in its transaction), or nullopt for
// none. A store node installs its hybrid logical clock here (sync/node_clock.hpp) for the
// documents it queues for head office; unset, events carry no stamp. Set before serving.
using EventStamper = std::function<std::optional<std::int64_t>(db::Db&, const std::string& type)>;
void set_event_stamper(EventStamper stamper);

}  // namespace backroom
