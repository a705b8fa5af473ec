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
// A redacted entry (below) is not recomputed: its stored hash must be the one its redaction
// recorded, and its content must digest to what the redaction left.
std::optional<std::int64_t> verify_audit(db::Db& db);

// Redaction: personal data that an older release wrote into entries (a customer's contact in
// an online order's document before migration 35) is replaced in place. The entry keeps its
// hash, so the chain holds; one chained `audit.redact` entry (entity `audit_log`) lists each
// entry redacted — `{seq, hash, content}`, `content` the digest of the before/after left — and
// the reason. A redaction can remove what an entry said, never make it say something else:
// changing a redacted entry afterwards breaks `verify_audit` at that entry. The entries must
// exist; nothing is written when the list is empty. Writer thread (or a CLI transaction).
struct AuditRedaction {
  std::int64_t seq = 0;
  std::optional<std::string> before;  // JSON, the content left
  std::optional<std::string> after;
};
void redact_audit(db::Db& db, const Actor& actor, const std::vector<AuditRedaction>& redactions,
                  const std::string& reason);

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
// Every entry of one entity, oldest first, `limit` at a time after `after_seq`.
std::vector<AuditRecord> audit_entries_of(db::Db& db, const std::string& entity, std::int64_t after_seq, int limit);

}  // namespace backroom
