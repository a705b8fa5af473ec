#include <sodium.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "access/audit.hpp"
#include "platform/types.hpp"

namespace backroom {

namespace {
constexpr const char* genesis_hash = "0000000000000000000000000000000000000000000000000000000000000000";

std::string entry_hash(const std::string& prev, std::int64_t at, const std::string& actor, const std::string& origin,
                       const std::string& action, const std::string& entity, const std::string& entity_id,
                       const std::optional<std::string>& before, const std::optional<std::string>& after) {
  // Length-prefixed fields so that no two different entries hash the same text.
  std::string text;
  auto field = [&text](std::string_view f) { text += fmt::format("{}:{};", f.size(), f); };
  field(prev);
  field(std::to_string(at));
  field(actor);
  field(origin);
  field(action);
  field(entity);
  field(entity_id);
  field(before ? *before : "\x01null");
  field(after ? *after : "\x01null");
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     nullptr, 0);
  char hex[crypto_generichash_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}
}  // namespace

void append_audit(db::Db& db, const Actor& actor, const AuditEntry& e) {
  std::string prev = genesis_hash;
  {
    auto q = db.query("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (q.step()) prev = q.text(0);
  }
  std::int64_t at = now().micros;
  std::string hash = entry_hash(prev, at, actor.user, actor.origin, e.action, e.entity, e.entity_id, e.before, e.after);
  db.query(
        "INSERT INTO audit_log (at, actor, origin, action, entity, entity_id, before, after, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, at)
      .bind(2, actor.user)
      .bind(3, actor.origin)
      .bind(4, e.action)
      .bind(5, e.entity)
      .bind(6, e.entity_id)
      .bind(7, e.before)
      .bind(8, e.after)
      .bind(9, prev)
      .bind(10, hash)
      .run();
}

namespace {
constexpr const char* redact_action = "audit.redact";

// What a redaction recorded of one entry: its hash, and the digest of the content it left.
struct Redacted {
  std::string hash;
  std::string content;
};

// The redactions the log itself records, by seq (a later redaction of the same entry wins).
// An audit.redact entry that cannot be read records nothing: its entries then fail verify.
std::map<std::int64_t, Redacted> recorded_redactions(db::Db& db) {
  std::map<std::int64_t, Redacted> out;
  auto q = db.query("SELECT after FROM audit_log WHERE action = ? ORDER BY seq");
  q.bind(1, redact_action);
  while (q.step()) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(q.opt_text(0).value_or(""), ec);
    if (ec || !doc.is_object()) continue;
    const auto* entries = doc.as_object().if_contains("entries");
    if (entries == nullptr || !entries->is_array()) continue;
    for (const auto& e : entries->as_array()) {
      const auto* o = e.if_object();
      if (o == nullptr) continue;
      const auto* seq = o->if_contains("seq");
      const auto* hash = o->if_contains("hash");
      const auto* content = o->if_contains("content");
      if (seq == nullptr || !seq->is_int64() || hash == nullptr || !hash->is_string() || content == nullptr ||
          !content->is_string())
        continue;
      out[seq->as_int64()] = Redacted{std::string(hash->as_string()), std::string(content->as_string())};
    }
  }
  return out;
}

std::string content_digest(const std::optional<std::string>& before, const std::optional<std::string>& after) {
  return entry_hash("", 0, "", "", "", "", "", before, after);
}
}  // namespace

std::optional<std::int64_t> verify_audit(db::Db& db) {
  auto redacted = recorded_redactions(db);
  std::string prev = genesis_hash;
  auto q = db.query(
      "SELECT seq, at, actor, origin, action, entity, entity_id, before, after, prev_hash, hash FROM audit_log "
      "ORDER BY seq");
  while (q.step()) {
    if (q.text(9) != prev) return q.int64(0);
    if (auto r = redacted.find(q.int64(0)); r != redacted.end()) {
      if (q.text(10) != r->second.hash || content_digest(q.opt_text(7), q.opt_text(8)) != r->second.content)
        return q.int64(0);
    } else {
      std::string expected = entry_hash(prev, q.int64(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6),
                                        q.opt_text(7), q.opt_text(8));
      if (q.text(10) != expected) return q.int64(0);
    }
    prev = q.text(10);
  }
  return std::nullopt;
}

void redact_audit(db::Db& db, const Actor& actor, const std::vector<AuditRedaction>& redactions,
                  const std::string& reason) {
  if (redactions.empty()) return;
  boost::json::array entries;
  for (const auto& r : redactions) {
    auto q = db.query("SELECT hash FROM audit_log WHERE seq = ?");
    q.bind(1, r.seq);
    if (!q.step()) throw std::logic_error(fmt::format("redact_audit: no audit entry {}", r.seq));
    std::string hash = q.text(0);
    db.query("UPDATE audit_log SET before = ?, after = ? WHERE seq = ?").bind(1, r.before).bind(2, r.after).bind(3, r.seq).run();
    entries.push_back(boost::json::object{{"seq", r.seq}, {"hash", hash}, {"content", content_digest(r.before, r.after)}});
  }
  append_audit(db, actor,
               AuditEntry{redact_action, "audit_log", std::to_string(redactions.front().seq), std::nullopt,
                          boost::json::serialize(boost::json::object{{"reason", reason}, {"entries", std::move(entries)}})});
}

namespace {
constexpr const char* audit_columns =
    "SELECT seq, at, actor, origin, action, entity, entity_id, before, after, hash FROM audit_log ";
AuditRecord read_audit(const db::Query& q) {
  return AuditRecord{q.int64(0), q.int64(1), q.text(2),     q.text(3),     q.text(4),
                     q.text(5),  q.text(6),  q.opt_text(7), q.opt_text(8), q.text(9)};
}
}  // namespace

std::vector<AuditRecord> list_audit(db::Db& db, const AuditFilter& f) {
  auto q = db.query(std::string(audit_columns) +
                    "WHERE (?1 = '' OR entity = ?1) AND (?2 = '' OR entity_id = ?2) AND (?3 = '' OR actor = ?3) "
                    "AND (?4 = '' OR action = ?4) AND (at >= ?5 OR ?5 IS NULL) AND (at < ?6 OR ?6 IS NULL) "
                    "AND (seq < ?7 OR ?7 IS NULL) ORDER BY seq DESC LIMIT ?8");
  q.bind(1, f.entity).bind(2, f.entity_id).bind(3, f.actor).bind(4, f.action);
  q.bind(5, f.from).bind(6, f.to).bind(7, f.before_seq).bind(8, f.limit + 1);
  std::vector<AuditRecord> out;
  while (q.step()) out.push_back(read_audit(q));
  return out;
}

std::vector<AuditRecord> audit_entries_of(db::Db& db, const std::string& entity, std::int64_t after_seq, int limit) {
  auto q = db.query(std::string(audit_columns) + "WHERE entity = ? AND seq > ? ORDER BY seq LIMIT ?");
  q.bind(1, entity).bind(2, after_seq).bind(3, limit);
  std::vector<AuditRecord> out;
  while (q.step()) out.push_back(read_audit(q));
  return out;
}

std::optional<AuditRecord> audit_entry(db::Db& db, std::int64_t seq) {
  auto q = db.query(std::string(audit_columns) + "WHERE seq = ?");
  q.bind(1, seq);
  if (!q.step()) return std::nullopt;
  return read_audit(q);
}

}  // namespace backroom
