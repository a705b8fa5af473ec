// The audit trail: every command writes its audit entry in the same transaction as its
// rows. The log is hash-chained so tampering shows (`backroom audit verify`). SQL in
// audit_store.cpp; GET /api/v1/audit in auth_api.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/actor.hpp"
#include "platform/db.hpp"

namespace backroom {

struct AuditEntry {
  std::string action;     // "item.create", "item.update", ...
  std::string entity;     // "item"
  std::string entity_id;
  std::optional<std::string> before;  // JSON
  std::optional<std::string> after;   // JSON
};

// Appends an audit entry chained to the previous one's hash. Writer thread only.
void append_audit(db::Db& db, const Actor& actor, const AuditEntry& entry);

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
