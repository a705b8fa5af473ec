// Audit trail and outbox: every command writes its audit entry and its event in the
// same transaction as its rows. The audit log is hash-chained so tampering shows.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"

namespace backroom {

// Who does something, and from where; carried into every audit entry.
struct Actor {
  std::string user = "system";   // user name or "apikey:<name>" or "system"/"cli"
  std::string origin = "local";  // remote address, "cli", ...
  std::string user_id;           // users.id or api_keys.id; empty for system/cli
  std::string role;              // role name; empty for system/cli (which may do anything)
  std::vector<std::string> permissions;   // granted by the role (sorted)
  std::vector<std::string> location_ids;  // API keys scoped to locations; empty = all

  // A system actor (CLI, demo seeding, scheduled jobs) that may do anything.
  static Actor of(std::string user, std::string origin) {
    Actor a;
    a.user = std::move(user);
    a.origin = std::move(origin);
    return a;
  }

  bool can(std::string_view permission) const {
    return role.empty() || std::binary_search(permissions.begin(), permissions.end(), permission);
  }
};

struct AuditEntry {
  std::string action;     // "item.create", "item.update", ...
  std::string entity;     // "item"
  std::string entity_id;
  std::optional<std::string> before;  // JSON
  std::optional<std::string> after;   // JSON
};

// Appends an audit entry chained to the previous one's hash. Writer thread only.
void append_audit(db::Db& db, const Actor& actor, const AuditEntry& entry);

// Appends an event to the outbox (GET /api/v1/events, webhooks). Writer thread only.
void append_event(db::Db& db, const std::string& type, const std::string& entity_id,
                  const std::string& payload_json);

// Recomputes the chain; returns the seq of the first broken entry, or nullopt when intact.
std::optional<std::int64_t> verify_audit(db::Db& db);

// A stored audit entry, as GET /api/v1/audit and `backroom audit verify` show it.
struct AuditRecord {
  std::int64_t seq = 0;
  std::int64_t at = 0;
  std::string actor;
  std::string origin;
  std::string action;
  std::string entity;
  std::string entity_id;
  std::optional<std::string> before;
  std::optional<std::string> after;
  std::string hash;
};
struct AuditFilter {
  std::string entity, entity_id, actor, action;  // "" = any
  std::optional<std::int64_t> from, to;          // micros, inclusive from, exclusive to
  std::optional<std::int64_t> before_seq;        // cursor: entries older than this
  int limit = 50;
};
// Newest first; up to limit + 1 entries so the caller knows whether there is a next page.
std::vector<AuditRecord> list_audit(db::Db& db, const AuditFilter& filter);
std::optional<AuditRecord> audit_entry(db::Db& db, std::int64_t seq);

}  // namespace backroom
