// Every SQL statement of outbound webhooks (webhooks.hpp). Tables: webhook_endpoints (with
// each endpoint's cursors into the outbox and the ledger), webhook_messages (only what waits,
// gave up or was put back), webhook_attempts, alerts (migration 16).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <map>

#include "access/audit.hpp"
#include "integrations/events.hpp"
#include "integrations/mappings.hpp"
#include "integrations/webhook_mapping.hpp"
#include "integrations/webhooks.hpp"
#include "platform/documents.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/secret_box.hpp"
#include "platform/settings.hpp"
#include "stock/stock.hpp"

namespace backroom::integrations::webhooks {

namespace bj = boost::json;

namespace {

constexpr int stream_events_read_max = 2000;    // outbox events looked at per round
constexpr int stream_movements_read_max = 20000; // ledger movements looked at per round
constexpr std::int64_t micros_per_second = 1'000'000;

// What the API shows, with the queue counted (an index range each).
constexpr const char* endpoint_columns =
    "SELECT e.id, e.url, e.description, e.owner, e.event_types, e.status, e.disabled_reason, e.failing_since, "
    "e.previous_until, e.created_at, e.updated_at, e.version, e.last_delivered_at, "
    "(SELECT COUNT(*) FROM webhook_messages m WHERE m.endpoint_id = e.id AND m.status = 'pending'), "
    "(SELECT COUNT(*) FROM webhook_messages m WHERE m.endpoint_id = e.id AND m.status = 'dead'), "
    "(SELECT COUNT(*) FROM events v WHERE v.seq > e.event_cursor), e.event_cursor, e.stock_cursor, e.mapping "
    "FROM webhook_endpoints e ";
// What the delivery worker needs, on the writer, many times a second: no counting.
constexpr const char* lean_endpoint_columns =
    "SELECT e.id, e.url, e.description, e.owner, e.event_types, e.status, e.disabled_reason, e.failing_since, "
    "e.previous_until, e.created_at, e.updated_at, e.version, e.last_delivered_at, 0, 0, 0, e.event_cursor, "
    "e.stock_cursor, e.mapping FROM webhook_endpoints e ";

std::vector<std::string> strings_of(const std::string& json_array) {
  std::vector<std::string> out;
  auto parsed = bj::parse(json_array);
  for (const auto& v : parsed.as_array()) out.emplace_back(v.as_string());
  return out;
}

std::string json_of(const std::vector<std::string>& list) {
  bj::array a;
  for (const auto& s : list) a.push_back(bj::value(s));
  return bj::serialize(a);
}

Endpoint read_endpoint(const db::Query& q) {
  Endpoint e;
  e.id = q.text(0);
  e.url = q.text(1);
  e.description = q.text(2);
  e.owner = q.text(3);
  e.event_types = strings_of(q.text(4));
  e.status = q.text(5);
  e.disabled_reason = q.opt_text(6);
  e.failing_since = q.opt_int64(7);
  e.previous_until = q.opt_int64(8);
  e.created_at = q.int64(9);
  e.updated_at = q.int64(10);
  e.version = q.int64(11);
  e.last_delivered_at = q.opt_int64(12);
  e.pending = q.int64(13);
  e.dead = q.int64(14);
  e.behind = q.int64(15);
  e.mapping = q.opt_text(18);
  return e;
}

constexpr const char* message_columns =
    "SELECT seq, id, endpoint_id, event_type, payload, status, tries, next_attempt_at, created_at, last_error_tag, "
    "dead_at FROM webhook_messages ";

Message read_message(const db::Query& q) {
  Message m;
  m.seq = q.int64(0);
  m.id = q.text(1);
  m.endpoint_id = q.text(2);
  m.event_type = q.text(3);
  m.payload = q.text(4);
  m.status = q.text(5);
  m.tries = static_cast<int>(q.int64(6));
  m.next_attempt_at = q.int64(7);
  m.created_at = q.int64(8);
  m.last_error_tag = q.opt_text(9);
  m.dead_at = q.opt_int64(10);
  return m;
}

constexpr const char* alert_columns =
    "SELECT a.id, a.endpoint_id, e.url, a.owner, a.error_tag, a.count, a.first_at, a.last_at, a.last_detail, "
    "a.status, a.acknowledged_by, a.acknowledged_at, a.resolved_by, a.resolved_at, a.note "
    "FROM alerts a JOIN webhook_endpoints e ON e.id = a.endpoint_id ";

Alert read_alert(const db::Query& q) {
  Alert a;
  a.id = q.text(0);
  a.endpoint_id = q.text(1);
  a.endpoint_url = q.text(2);
  a.owner = q.text(3);
  a.error_tag = q.text(4);
  a.count = q.int64(5);
  a.first_at = q.int64(6);
  a.last_at = q.int64(7);
  a.last_detail = q.text(8);
  a.status = q.text(9);
  a.acknowledged_by = q.opt_text(10);
  a.acknowledged_at = q.opt_int64(11);
  a.resolved_by = q.opt_text(12);
  a.resolved_at = q.opt_int64(13);
  a.note = q.opt_text(14);
  return a;
}

Endpoint require_endpoint(db::Db& db, const std::string& id) {
  auto e = load_endpoint(db, id);
  if (!e) throw not_found("webhook endpoint", id);
  return e.value();
}

// An endpoint's mapping must name a mapping table that exists (422 on the field otherwise).
void require_mapping(db::Db& db, const std::string& name) {
  if (!latest_mapping(db, name))
    throw invalid_field("mapping", fmt::format("no mapping named '{}'; PUT /api/v1/mappings/{} makes one", name, name));
}

std::optional<Endpoint> lean_endpoint(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(lean_endpoint_columns) + "WHERE e.id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_endpoint(q);
}

std::vector<Endpoint> active_endpoints(db::Db& db) {
  std::vector<Endpoint> out;
  auto q = db.query(std::string(lean_endpoint_columns) + "WHERE e.status = 'active' ORDER BY e.id");
  while (q.step()) out.push_back(read_endpoint(q));
  return out;
}

struct Cursors {
  std::int64_t events = 0, stock = 0;
};
Cursors cursors_of(db::Db& db, const std::string& endpoint_id) {
  auto q = db.query("SELECT event_cursor, stock_cursor FROM webhook_endpoints WHERE id = ?");
  q.bind(1, endpoint_id);
  if (!q.step()) return {};
  return {q.int64(0), q.int64(1)};
}

// When the oldest pending message of an endpoint is due (an index seek), or nullopt.
std::optional<std::int64_t> head_due_at(db::Db& db, const std::string& endpoint_id) {
  auto q = db.query(
      "SELECT next_attempt_at FROM webhook_messages WHERE endpoint_id = ? AND status = 'pending' ORDER BY seq LIMIT 1");
  q.bind(1, endpoint_id);
  if (!q.step()) return std::nullopt;
  return q.int64(0);
}

std::string audited(const Endpoint& e) { return bj::serialize(endpoint_to_json(e)); }

std::int64_t max_event_seq(db::Db& db) {
  auto q = db.query("SELECT COALESCE(MAX(seq), 0) FROM events");
  q.step();
  return q.int64(0);
}


// An endpoint starts (and starts again, enabled) at the present, not the shop's past.
void cursors_to_present(db::Db& db, const std::string& endpoint_id) {
  db.query("UPDATE webhook_endpoints SET event_cursor = ?, stock_cursor = ? WHERE id = ?")
      .bind(1, max_event_seq(db))
      .bind(2, stock::last_seq(db))
      .bind(3, endpoint_id)
      .run();
}

std::string sealed_secret(const std::string& db_location, const std::string& secret) {
  return secret_box::seal(db_location, secret);
}

// A stream message that must wait or gave up gets its row (status pending or dead).
void store_message(db::Db& db, const std::string& endpoint_id, const Message& m, const std::string& status, int tries,
                   std::int64_t next_attempt_at, const std::optional<std::string>& tag, std::int64_t at) {
  db.query(
        "INSERT OR IGNORE INTO webhook_messages (id, endpoint_id, event_type, payload, status, tries, next_attempt_at, "
        "created_at, updated_at, last_error_tag, dead_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, m.id)
      .bind(2, endpoint_id)
      .bind(3, m.event_type)
      .bind(4, m.payload)
      .bind(5, status)
      .bind(6, tries)
      .bind(7, next_attempt_at)
      .bind(8, m.created_at)
      .bind(9, at)
      .bind(10, tag)
      .bind(11, status == "dead" ? std::optional<std::int64_t>(at) : std::nullopt)
      .run();
}

// The Standard Webhooks payload: {type, timestamp, data}. Stored payloads keep decimals
// (a weighed quantity) in the exact parser's internal form; json::serialize writes them
// as the bare numbers they are, so no receiver ever sees that form.
std::string envelope(const std::string& type, std::int64_t at, const std::string& data_json) {
  bj::error_code ec;
  auto data = bj::parse(data_json, ec);
  return json::serialize(bj::object{{"type", type},
                                  {"timestamp", format_rfc3339(Timestamp{at})},
                                  {"data", ec ? bj::value(bj::object{{"text", data_json}}) : std::move(data)}});
}

void raise_alert(db::Db& db, const Endpoint& e, const std::string& tag, const std::string& detail, std::int64_t at) {
  auto q = db.query("SELECT id FROM alerts WHERE endpoint_id = ? AND error_tag = ? AND status <> 'resolved'");
  q.bind(1, e.id).bind(2, tag);
  if (q.step()) {
    auto id = q.text(0);
    db.query("UPDATE alerts SET count = count + 1, last_at = ?, last_detail = ?, owner = ? WHERE id = ?")
        .bind(1, at)
        .bind(2, detail)
        .bind(3, e.owner)
        .bind(4, id)
        .run();
    return;
  }
  db.query(
        "INSERT INTO alerts (id, endpoint_id, owner, error_tag, count, first_at, last_at, last_detail, status) "
        "VALUES (?, ?, ?, ?, 1, ?, ?, ?, 'open')")
      .bind(1, new_uuid_v7())
      .bind(2, e.id)
      .bind(3, e.owner)
      .bind(4, tag)
      .bind(5, at)
      .bind(6, at)
      .bind(7, detail)
      .run();
}

void disable(db::Db& db, const Endpoint& e, const std::string& reason, std::int64_t at) {
  db.query(
        "UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = ?, updated_at = ?, version = version + 1 "
        "WHERE id = ?")
      .bind(1, reason)
      .bind(2, at)
      .bind(3, e.id)
      .run();
  raise_alert(db, e, std::string(tag_disabled), reason, at);
  auto after = require_endpoint(db, e.id);
  append_audit(db, Actor::of("system", "webhooks"),
               AuditEntry{"webhook_endpoint.disable", "webhook_endpoint", e.id, audited(e), audited(after)});
  spdlog::warn("webhook endpoint {} disabled: {}", e.url, reason);
}

}  // namespace

// --- endpoints --------------------------------------------------------------------------

std::optional<Endpoint> load_endpoint(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(endpoint_columns) + "WHERE e.id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_endpoint(q);
}

std::vector<Endpoint> list_endpoints(db::Db& db, const std::string& after_id, int limit) {
  auto q = db.query(std::string(endpoint_columns) + "WHERE e.id > ? ORDER BY e.id LIMIT ?");
  q.bind(1, after_id).bind(2, limit + 1);
  std::vector<Endpoint> out;
  while (q.step()) out.push_back(read_endpoint(q));
  return out;
}

WithSecret create_endpoint(db::Db& db, const std::string& db_location, const Actor& actor, const EndpointInput& in) {
  if (in.mapping) require_mapping(db, *in.mapping);
  {
    auto q = db.query("SELECT COUNT(*) FROM webhook_endpoints");
    q.step();
    if (q.int64(0) >= static_cast<std::int64_t>(endpoints_max))
      throw Problem(409, "too_many_endpoints",
                    fmt::format("a shop has at most {} webhook endpoints; delete one first", endpoints_max));
  }
  auto id = new_uuid_v7();
  auto secret = new_secret();
  auto at = now().micros;
  db.query(
        "INSERT INTO webhook_endpoints (id, url, description, owner, event_types, secret, status, created_at, "
        "updated_at, event_cursor, stock_cursor, mapping) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, 0, 0, ?)")
      .bind(1, id)
      .bind(2, in.url)
      .bind(3, in.description)
      .bind(4, in.owner)
      .bind(5, json_of(in.event_types))
      .bind(6, sealed_secret(db_location, secret))
      .bind(7, at)
      .bind(8, at)
      .bind(9, in.mapping)
      .run();
  cursors_to_present(db, id);
  auto e = require_endpoint(db, id);
  append_audit(db, actor, AuditEntry{"webhook_endpoint.create", "webhook_endpoint", id, std::nullopt, audited(e)});
  return {e, secret};
}

Endpoint update_endpoint(db::Db& db, const Actor& actor, const std::string& id, std::int64_t expected_version,
                         const EndpointPatch& p) {
  auto before = require_endpoint(db, id);
  if (before.version != expected_version)
    throw Problem(412, "version_mismatch",
                  fmt::format("the endpoint is at version {}, not {}; read it again", before.version, expected_version));
  if (p.mapping && *p.mapping) require_mapping(db, **p.mapping);
  bool enabling = p.enabled && *p.enabled && before.status == "disabled";
  if (enabling) cursors_to_present(db, id);
  std::string status = p.enabled ? (*p.enabled ? "active" : "disabled") : before.status;
  std::optional<std::string> reason = before.disabled_reason;
  if (status == "active") reason.reset();
  else if (p.enabled && !*p.enabled) reason = fmt::format("disabled by {}", actor.user);
  db.query(
        "UPDATE webhook_endpoints SET url = ?, event_types = ?, description = ?, owner = ?, status = ?, "
        "disabled_reason = ?, failing_since = ?, mapping = ?, updated_at = ?, version = version + 1 WHERE id = ?")
      .bind(1, p.url.value_or(before.url))
      .bind(2, json_of(p.event_types.value_or(before.event_types)))
      .bind(3, p.description.value_or(before.description))
      .bind(4, p.owner.value_or(before.owner))
      .bind(5, status)
      .bind(6, reason)
      .bind(7, enabling ? std::optional<std::int64_t>{} : before.failing_since)
      .bind(8, p.mapping ? *p.mapping : before.mapping)
      .bind(9, now().micros)
      .bind(10, id)
      .run();
  if (enabling)  // a re-enabled endpoint is tried again at once
    db.query("UPDATE webhook_messages SET next_attempt_at = ? WHERE endpoint_id = ? AND status = 'pending'")
        .bind(1, now().micros)
        .bind(2, id)
        .run();
  auto after = require_endpoint(db, id);
  append_audit(db, actor, AuditEntry{"webhook_endpoint.update", "webhook_endpoint", id, audited(before), audited(after)});
  return after;
}

void delete_endpoint(db::Db& db, const Actor& actor, const std::string& id) {
  auto before = require_endpoint(db, id);
  db.query("DELETE FROM alerts WHERE endpoint_id = ?").bind(1, id).run();
  db.query("DELETE FROM webhook_attempts WHERE endpoint_id = ?").bind(1, id).run();
  db.query("DELETE FROM webhook_messages WHERE endpoint_id = ?").bind(1, id).run();
  db.query("DELETE FROM webhook_endpoints WHERE id = ?").bind(1, id).run();
  append_audit(db, actor, AuditEntry{"webhook_endpoint.delete", "webhook_endpoint", id, audited(before), std::nullopt});
}

WithSecret rotate_secret(db::Db& db, const std::string& db_location, const Actor& actor, const std::string& id) {
  auto before = require_endpoint(db, id);
  auto q = db.query("SELECT secret FROM webhook_endpoints WHERE id = ?");
  q.bind(1, id);
  q.step();
  auto old_sealed = q.text(0);
  auto secret = new_secret();
  auto at = now().micros;
  auto until = at + std::chrono::duration_cast<std::chrono::microseconds>(previous_secret_valid).count();
  db.query(
        "UPDATE webhook_endpoints SET secret = ?, previous_secret = ?, previous_until = ?, updated_at = ?, "
        "version = version + 1 WHERE id = ?")
      .bind(1, sealed_secret(db_location, secret))
      .bind(2, old_sealed)
      .bind(3, until)
      .bind(4, at)
      .bind(5, id)
      .run();
  auto after = require_endpoint(db, id);
  append_audit(db, actor,
               AuditEntry{"webhook_endpoint.rotate_secret", "webhook_endpoint", id, audited(before), audited(after)});
  return {after, secret};
}

// --- the delivery log, dead letters, alerts -----------------------------------------------

std::vector<AttemptRecord> list_attempts(db::Db& db, const std::string& endpoint_id, std::int64_t before, int limit) {
  auto q = db.query(
      "SELECT a.seq, a.message_id, a.event_type, a.attempt, a.at, a.http_status, a.latency_ms, a.error_tag, "
      "a.outcome, a.response_excerpt, a.mapping_name, a.mapping_version, a.mapping_unmapped "
      "FROM webhook_attempts a WHERE a.endpoint_id = ? AND a.seq < ? "
      "ORDER BY a.seq DESC LIMIT ?");
  q.bind(1, endpoint_id).bind(2, before > 0 ? before : std::numeric_limits<std::int64_t>::max()).bind(3, limit + 1);
  std::vector<AttemptRecord> out;
  while (q.step()) {
    AttemptRecord a;
    a.seq = q.int64(0);
    a.message_id = q.text(1);
    a.event_type = q.text(2);
    a.attempt = static_cast<int>(q.int64(3));
    a.at = q.int64(4);
    if (auto s = q.opt_int64(5)) a.http_status = static_cast<int>(*s);
    a.latency_ms = q.int64(6);
    a.error_tag = q.opt_text(7);
    a.outcome = q.text(8);
    a.response_excerpt = q.text(9);
    a.mapping_name = q.opt_text(10);
    a.mapping_version = q.opt_int64(11);
    a.mapping_unmapped = q.opt_int64(12).value_or(0);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<Message> list_dead_letters(db::Db& db, const std::string& endpoint_id, std::int64_t before, int limit) {
  auto q = db.query(std::string(message_columns) +
                    "WHERE status = 'dead' AND (? = '' OR endpoint_id = ?) AND seq < ? ORDER BY seq DESC LIMIT ?");
  q.bind(1, endpoint_id)
      .bind(2, endpoint_id)
      .bind(3, before > 0 ? before : std::numeric_limits<std::int64_t>::max())
      .bind(4, limit + 1);
  std::vector<Message> out;
  while (q.step()) out.push_back(read_message(q));
  return out;
}

std::optional<Message> load_message(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(message_columns) + "WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_message(q);
}

Message replay_dead_letter(db::Db& db, const Actor& actor, const std::string& message_id) {
  auto m = load_message(db, message_id);
  if (!m) throw not_found("dead letter", message_id);
  if (m->status != "dead")
    throw Problem(409, "not_dead_letter", fmt::format("message {} is {}, not in the dead-letter queue", m->id, m->status));
  auto at = now().micros;
  db.query(
        "UPDATE webhook_messages SET status = 'pending', tries = 0, next_attempt_at = ?, dead_at = NULL, "
        "updated_at = ? WHERE id = ?")
      .bind(1, at)
      .bind(2, at)
      .bind(3, m->id)
      .run();
  append_audit(db, actor, AuditEntry{"webhook_message.replay", "webhook_message", m->id, std::nullopt, std::nullopt});
  return load_message(db, m->id).value();
}

int replay_dead_letters(db::Db& db, const Actor& actor, const std::string& endpoint_id, std::int64_t since) {
  require_endpoint(db, endpoint_id);
  auto at = now().micros;
  db.query(
        "UPDATE webhook_messages SET status = 'pending', tries = 0, next_attempt_at = ?, dead_at = NULL, "
        "updated_at = ? WHERE endpoint_id = ? AND status = 'dead' AND created_at >= ?")
      .bind(1, at)
      .bind(2, at)
      .bind(3, endpoint_id)
      .bind(4, since)
      .run();
  auto n = static_cast<int>(db.changes());
  append_audit(db, actor,
               AuditEntry{"webhook_message.replay_many", "webhook_endpoint", endpoint_id, std::nullopt,
                          bj::serialize(bj::object{{"since", format_rfc3339(Timestamp{since})}, {"replayed", n}})});
  return n;
}

std::vector<Alert> list_alerts(db::Db& db, const std::string& status, const std::string& after_id, int limit) {
  // Newest activity first; the cursor is the last row's id, whose (last_at, id) the next page starts after.
  std::int64_t after_at = std::numeric_limits<std::int64_t>::max();
  std::string after = "";
  if (!after_id.empty()) {
    auto c = db.query("SELECT last_at FROM alerts WHERE id = ?");
    c.bind(1, after_id);
    if (!c.step()) throw invalid_field("cursor", "cursor must be a next_cursor of this list");
    after_at = c.int64(0);
    after = after_id;
  }
  auto q = db.query(std::string(alert_columns) +
                    "WHERE (? = '' OR a.status = ?) AND (a.last_at < ? OR (a.last_at = ? AND a.id < ?) OR ? = '') "
                    "ORDER BY a.last_at DESC, a.id DESC LIMIT ?");
  q.bind(1, status)
      .bind(2, status)
      .bind(3, after_at)
      .bind(4, after_at)
      .bind(5, after)
      .bind(6, after)
      .bind(7, limit + 1);
  std::vector<Alert> out;
  while (q.step()) out.push_back(read_alert(q));
  return out;
}

std::optional<Alert> load_alert(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(alert_columns) + "WHERE a.id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_alert(q);
}

Alert acknowledge_alert(db::Db& db, const Actor& actor, const std::string& id, const std::optional<std::string>& note) {
  auto before = load_alert(db, id);
  if (!before) throw not_found("alert", id);
  if (before->status == "resolved") throw Problem(409, "alert_resolved", "the alert is resolved already");
  db.query("UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ?, note = ? WHERE id = ?")
      .bind(1, actor.user)
      .bind(2, now().micros)
      .bind(3, note ? note : before->note)
      .bind(4, id)
      .run();
  auto after = load_alert(db, id).value();
  append_audit(db, actor,
               AuditEntry{"alert.acknowledge", "alert", id, bj::serialize(alert_to_json(*before)),
                          bj::serialize(alert_to_json(after))});
  return after;
}

Alert resolve_alert(db::Db& db, const Actor& actor, const std::string& id, const std::string& note) {
  auto before = load_alert(db, id);
  if (!before) throw not_found("alert", id);
  if (before->status == "resolved") throw Problem(409, "alert_resolved", "the alert is resolved already");
  db.query("UPDATE alerts SET status = 'resolved', resolved_by = ?, resolved_at = ?, note = ? WHERE id = ?")
      .bind(1, actor.user)
      .bind(2, now().micros)
      .bind(3, note)
      .bind(4, id)
      .run();
  auto after = load_alert(db, id).value();
  append_audit(db, actor,
               AuditEntry{"alert.resolve", "alert", id, bj::serialize(alert_to_json(*before)),
                          bj::serialize(alert_to_json(after))});
  return after;
}

// --- delivery ----------------------------------------------------------------------------

namespace {

// An event's webhook-id at one endpoint: the same on every try, unique across endpoints.
std::string stream_message_id(const std::string& endpoint_id, const std::string& event_id) {
  return "msg_" + documents::request_hash(endpoint_id + "/" + event_id);
}

// The stream of an endpoint after its cursors: up to `batch` messages, and where the cursors
// go once they are all delivered (past events it did not subscribe to as well).
void stream_of(db::Db& db, Due& due, const Cursors& c, int batch, EventWindow& window) {
  const auto& e = due.endpoint;
  due.stream = true;
  due.event_cursor_to = c.events;
  due.stock_cursor_to = c.stock;
  auto events = window.after(db, c.events, stream_events_read_max);
  std::size_t looked_at = 0;
  for (const auto& ev : events) {
    if (static_cast<int>(due.messages.size()) >= batch) break;
    ++looked_at;
    due.event_cursor_to = ev.seq;
    if (!ev.body || !subscribed(e.event_types, ev.type)) continue;
    Message m;
    m.id = stream_message_id(e.id, ev.id);
    m.endpoint_id = e.id;
    m.event_type = ev.type;
    m.payload = *ev.body;
    m.status = "pending";
    m.created_at = ev.at;
    m.next_attempt_at = ev.at;
    m.stored = false;
    m.event_seq = ev.seq;
    due.messages.push_back(std::move(m));
  }
  bool events_done = looked_at == events.size();
  if (!events_done || !subscribed(e.event_types, "stock.changed")) {
    if (events_done) due.stock_cursor_to = stock::last_seq(db);  // nothing to say about stock
    return;
  }
  // stock.changed after the events: one per item x location, the balance as it is now.
  auto moved = stock::movements_from(db, c.stock + 1);
  if (moved.size() > static_cast<std::size_t>(stream_movements_read_max)) moved.resize(stream_movements_read_max);
  std::map<std::pair<std::string, std::string>, std::int64_t> changed;  // -> when it last moved
  for (const auto& [seq, mv] : moved) {
    changed[{mv.item_id, mv.location_id}] = mv.at.micros;
    due.stock_cursor_to = seq;
  }
  for (const auto& [key, at] : changed) {
    Message m;
    m.id = message_id(new_uuid_v7());
    m.endpoint_id = e.id;
    m.event_type = "stock.changed";
    m.payload = envelope("stock.changed", at, bj::serialize(stock::balance_to_json(stock::balance(db, key.first, key.second))));
    m.status = "pending";
    m.created_at = at;
    m.next_attempt_at = at;
    m.stored = false;
    due.messages.push_back(std::move(m));
  }
}

std::vector<Message> stored_pending(db::Db& db, const std::string& endpoint_id, int batch) {
  auto q = db.query(std::string(message_columns) + "WHERE endpoint_id = ? AND status = 'pending' ORDER BY seq LIMIT ?");
  q.bind(1, endpoint_id).bind(2, batch);
  std::vector<Message> out;
  while (q.step()) out.push_back(read_message(q));
  return out;
}

bool stream_waiting(db::Db& db, const Endpoint& e, const Cursors& c) {
  if (max_event_seq(db) > c.events) return true;
  return subscribed(e.event_types, "stock.changed") && stock::last_seq(db) > c.stock;
}

}  // namespace

bool delivery_due(db::Db& db, const std::set<std::string>& busy) {
  auto at = now().micros;
  for (const auto& e : active_endpoints(db)) {
    if (busy.contains(e.id)) continue;
    if (auto due = head_due_at(db, e.id)) {
      if (*due <= at) return true;
      continue;  // the stream waits behind a message waiting for its retry
    }
    if (stream_waiting(db, e, cursors_of(db, e.id))) return true;
  }
  return false;
}

std::vector<Due> claim_due(db::Db& db, const std::string& owner, const std::set<std::string>& busy, int lease_seconds) {
  auto at = now().micros;
  std::vector<Due> out;
  for (const auto& e : active_endpoints(db)) {
    if (busy.contains(e.id)) continue;
    auto lease = db.query("SELECT lease_owner, lease_until FROM webhook_endpoints WHERE id = ?");
    lease.bind(1, e.id);
    lease.step();
    auto holder = lease.opt_text(0);
    auto until = lease.opt_int64(1);
    if (holder && *holder != owner && until && *until >= at) continue;  // another process delivers it
    Due due;
    auto c = cursors_of(db, e.id);
    if (auto head = head_due_at(db, e.id)) {
      if (*head > at) continue;
    } else {
      if (!stream_waiting(db, e, c)) continue;
      due.stream = true;
    }
    due.endpoint = e;
    due.event_cursor = due.event_cursor_to = c.events;
    due.stock_cursor = due.stock_cursor_to = c.stock;
    db.query("UPDATE webhook_endpoints SET lease_owner = ?, lease_until = ? WHERE id = ?")
        .bind(1, owner)
        .bind(2, at + lease_seconds * micros_per_second)
        .bind(3, e.id)
        .run();
    out.push_back(std::move(due));
  }
  return out;
}

std::vector<StreamEvent> EventWindow::after(db::Db& db, std::int64_t cursor, int max) {
  auto made = [](const Event& ev) {
    StreamEvent s{ev.seq, ev.id, "", ev.at, nullptr};
    if (auto type = published_type(ev.type)) {
      s.type = *type;
      s.body = std::make_shared<const std::string>(envelope(*type, ev.at, ev.payload));
    }
    return s;
  };
  std::vector<StreamEvent> out;
  std::lock_guard lock(mutex_);
  if (from_ >= 0 && cursor < from_) {  // older than the window: straight from the database,
    auto events = events_after(db, cursor, max, "");
    // only up to the window's end, so a late endpoint catches up into it, not past it
    bool inside = !events.empty() && events.front().seq <= to_;
    for (const auto& ev : events)
      if (!inside || ev.seq <= to_) out.push_back(made(ev));
    return out;
  }
  if (from_ < 0 || cursor > to_) {  // a new start (the first read, or events the window never saw)
    events_.clear();
    from_ = to_ = cursor;
  }
  auto first = std::upper_bound(events_.begin(), events_.end(), cursor,
                                [](std::int64_t c, const StreamEvent& ev) { return c < ev.seq; });
  auto cached = static_cast<int>(events_.end() - first);
  if (cached < max) {  // read what is new since the window's end
    for (const auto& ev : events_after(db, to_, max - cached, "")) {
      events_.push_back(made(ev));
      to_ = ev.seq;
    }
    first = std::upper_bound(events_.begin(), events_.end(), cursor,
                             [](std::int64_t c, const StreamEvent& ev) { return c < ev.seq; });
  }
  for (auto it = first; it != events_.end() && static_cast<int>(out.size()) < max; ++it) out.push_back(*it);
  while (events_.size() > capacity_) {
    from_ = events_.front().seq;
    events_.pop_front();
  }
  return out;
}

void fill_due(db::Db& db, const std::string& db_location, Due& due, int batch, EventWindow& window) {
  db::ReadSnapshot snapshot(db);
  const auto& e = due.endpoint;
  auto at = now().micros;
  if (e.mapping)  // the newest version now: a PUT takes effect for the deliveries after it
    if (auto table = latest_mapping(db, *e.mapping)) due.mapping = outbound_mapping(*table);
  auto s = db.query("SELECT secret, previous_secret, previous_until FROM webhook_endpoints WHERE id = ?");
  s.bind(1, e.id);
  if (!s.step()) return;  // deleted since the claim: nothing to send
  due.secrets.push_back(secret_box::open(db_location, s.text(0)));
  if (auto prev = s.opt_text(1); prev && s.opt_int64(2).value_or(0) > at)
    due.secrets.push_back(secret_box::open(db_location, *prev));
  if (!due.stream) {
    due.messages = stored_pending(db, e.id, batch);
    return;
  }
  stream_of(db, due, Cursors{due.event_cursor, due.stock_cursor}, batch, window);
}

void record_outcomes(db::Db& db, const std::string& owner, const Due& due, const std::vector<Outcome>& outcomes) {
  const auto& endpoint_id = due.endpoint.id;
  auto endpoint = lean_endpoint(db, endpoint_id);
  if (!endpoint) return;  // deleted while its messages were on the way
  auto cursors = cursors_of(db, endpoint_id);
  std::optional<std::int64_t> delivered_at;
  bool stopped = false;            // a message failed: nothing after it was sent
  std::int64_t events_to = cursors.events, stock_to = cursors.stock;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const auto& o = outcomes[i];
    const Message* m = &o.message;
    int tries = m->tries + 1;
    auto d = decide(o.attempt, tries, o.jitter);
    const char* outcome = d.verdict == Verdict::delivered ? "delivered" : d.verdict == Verdict::retry ? "retry" : "dead";
    std::optional<std::string> tag;
    if (!d.error_tag.empty()) tag = d.error_tag;
    db.query(
          "INSERT INTO webhook_attempts (message_id, endpoint_id, event_type, attempt, at, http_status, latency_ms, "
          "error_tag, outcome, response_excerpt, mapping_name, mapping_version, mapping_unmapped) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, m->id)
        .bind(2, endpoint_id)
        .bind(3, m->event_type)
        .bind(4, tries)
        .bind(5, o.at)
        .bind(6, o.attempt.http_status ? std::optional<std::int64_t>(o.attempt.http_status) : std::nullopt)
        .bind(7, o.latency_ms)
        .bind(8, tag)
        .bind(9, outcome)
        .bind(10, o.response_excerpt)
        .bind(11, due.mapping ? std::optional<std::string>(due.mapping->name) : std::nullopt)
        .bind(12, due.mapping ? std::optional<std::int64_t>(due.mapping->version) : std::nullopt)
        .bind(13, due.mapping ? std::optional<std::int64_t>(o.unmapped) : std::nullopt)
        .run();
    if (m->event_seq) events_to = m->event_seq;
    if (d.verdict == Verdict::delivered) {
      if (m->stored)  // guarded by its state at the claim: a message changed since is left alone
        db.query("UPDATE webhook_messages SET status = 'delivered', tries = ?, updated_at = ?, last_error_tag = NULL "
                 "WHERE endpoint_id = ? AND id = ? AND status = 'pending' AND tries = ?")
            .bind(1, tries)
            .bind(2, o.at)
            .bind(3, endpoint_id)
            .bind(4, m->id)
            .bind(5, m->tries)
            .run();
      delivered_at = o.at;
      if (endpoint->failing_since) {
        db.query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ?").bind(1, endpoint_id).run();
        endpoint->failing_since.reset();
      }
      continue;
    }
    auto next = o.at + d.wait.count() * micros_per_second;
    const char* status = d.verdict == Verdict::retry ? "pending" : "dead";
    if (m->stored) {
      db.query("UPDATE webhook_messages SET status = ?, tries = ?, next_attempt_at = ?, updated_at = ?, "
               "last_error_tag = ?, dead_at = ? WHERE endpoint_id = ? AND id = ? AND status = 'pending' AND tries = ?")
          .bind(1, status)
          .bind(2, tries)
          .bind(3, next)
          .bind(4, o.at)
          .bind(5, d.error_tag)
          .bind(6, d.verdict == Verdict::dead ? std::optional<std::int64_t>(o.at) : std::nullopt)
          .bind(7, endpoint_id)
          .bind(8, m->id)
          .bind(9, m->tries)
          .run();
    } else {
      store_message(db, endpoint_id, *m, status, tries, next, tag, o.at);
      // The stock messages not sent after it wait behind it, in their rows.
      if (!m->event_seq)
        for (std::size_t k = i + 1; k < due.messages.size(); ++k)
          store_message(db, endpoint_id, due.messages[k], "pending", 0, o.at, std::nullopt, o.at);
    }
    auto detail = o.attempt.http_status
                      ? fmt::format("HTTP {} for {} ({}, try {})", o.attempt.http_status, m->event_type, m->id, tries)
                      : fmt::format("{} for {} ({}, try {})", d.error_tag, m->event_type, m->id, tries);
    if (d.verdict == Verdict::dead) detail += "; moved to the dead-letter queue";
    raise_alert(db, *endpoint, d.error_tag, detail, o.at);
    if (!endpoint->failing_since) {
      db.query("UPDATE webhook_endpoints SET failing_since = ? WHERE id = ?").bind(1, o.at).bind(2, endpoint_id).run();
      endpoint->failing_since = o.at;
    }
    if (due.stream && !m->event_seq) stock_to = due.stock_cursor_to;  // the rest of the stock batch is stored
    stopped = true;
    auto day = std::chrono::duration_cast<std::chrono::microseconds>(disable_after).count();
    if (d.disable_endpoint)
      disable(db, *endpoint, fmt::format("the receiver answered 410 Gone to {}", m->id), o.at);
    else if (o.at - *endpoint->failing_since >= day)
      disable(db, *endpoint,
              fmt::format("every delivery failed since {}", format_rfc3339(Timestamp{*endpoint->failing_since})), o.at);
    break;  // in order: nothing after a failed message goes before it
  }
  if (due.stream && !stopped && outcomes.size() == due.messages.size()) {
    events_to = due.event_cursor_to;  // everything sent: past the events it did not ask for too
    stock_to = due.stock_cursor_to;
  }
  if (due.stream && (events_to != cursors.events || stock_to != cursors.stock))
    db.query("UPDATE webhook_endpoints SET event_cursor = ?, stock_cursor = ? WHERE id = ?")
        .bind(1, std::max(events_to, cursors.events))
        .bind(2, std::max(stock_to, cursors.stock))
        .bind(3, endpoint_id)
        .run();
  if (delivered_at)
    db.query("UPDATE webhook_endpoints SET last_delivered_at = ? WHERE id = ?").bind(1, *delivered_at).bind(2, endpoint_id).run();
  db.query("UPDATE webhook_endpoints SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")
      .bind(1, endpoint_id)
      .bind(2, owner)
      .run();
}

int forget_delivered(db::Db& db, std::int64_t before) {
  db.query("DELETE FROM webhook_attempts WHERE at < ?").bind(1, before).run();
  db.query("DELETE FROM webhook_messages WHERE status = 'delivered' AND updated_at < ?").bind(1, before).run();
  return static_cast<int>(db.changes());
}

int rewrite_message_payloads(db::Db& db, const std::string& type_prefix, const PayloadRewrite& rewrite) {
  std::vector<std::pair<std::int64_t, std::string>> changed;
  {
    auto q = db.query("SELECT seq, payload FROM webhook_messages WHERE substr(event_type, 1, length(?)) = ? ORDER BY seq");
    q.bind(1, type_prefix).bind(2, type_prefix);
    while (q.step())
      if (auto text = rewrite(q.text(1))) changed.emplace_back(q.int64(0), std::move(*text));
  }
  for (const auto& [seq, payload] : changed)
    db.query("UPDATE webhook_messages SET payload = ? WHERE seq = ?").bind(1, payload).bind(2, seq).run();
  return static_cast<int>(changed.size());
}

}  // namespace backroom::integrations::webhooks
