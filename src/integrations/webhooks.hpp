// Outbound webhooks (issue 19, docs/webhooks.md): endpoints a shop registers, the messages
// the outbox fans out to them, every delivery attempt, the dead-letter queue and the alerts
// that group failures by endpoint and error tag. The rules (signing, retries, the catalog)
// are pure, in webhook_policy.hpp; the sending is webhook_delivery.hpp; SQL is
// webhooks_store.cpp. Commands run on the writer; reads on any connection.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "integrations/webhook_mapping.hpp"
#include "platform/outbox.hpp"
#include "integrations/webhook_policy.hpp"
#include "platform/actor.hpp"
#include "platform/app.hpp"
#include "platform/db.hpp"
#include "platform/types.hpp"

namespace backroom::integrations::webhooks {

inline constexpr std::size_t url_length_max = 2000;
inline constexpr std::size_t description_length_max = 500;
inline constexpr std::size_t owner_length_max = 200;
inline constexpr std::size_t event_types_max = 50;
inline constexpr std::size_t response_excerpt_max = 256;
inline constexpr std::size_t endpoints_max = 100;

struct Endpoint {
  std::string id;
  std::string url;
  std::string description;
  std::string owner;
  std::vector<std::string> event_types;
  std::optional<std::string> mapping;  // a mapping table's name (docs/webhooks.md, "Mapped payloads")
  std::string status;  // active | disabled
  std::optional<std::string> disabled_reason;
  std::optional<std::int64_t> failing_since;
  std::optional<std::int64_t> previous_until;  // the rotated-out secret signs until then
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t version = 1;
  // Counted on read:
  std::int64_t pending = 0;
  std::int64_t dead = 0;
  std::optional<std::int64_t> last_delivered_at;
  std::int64_t behind = 0;  // events after its cursor, not yet looked at (any type)
};

struct EndpointInput {
  std::string url;
  std::vector<std::string> event_types;
  std::string description;
  std::string owner;
  std::optional<std::string> mapping;  // must exist (checked by the command)
};
struct EndpointPatch {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> event_types;
  std::optional<std::string> description;
  std::optional<std::string> owner;
  std::optional<bool> enabled;  // true re-enables a disabled endpoint
  std::optional<std::optional<std::string>> mapping;  // another mapping, or none (JSON null)
};

// The HTTP edge (422 naming the field): an http(s) URL with a host, known event types...
EndpointInput endpoint_input_from_json(const boost::json::object& body);
EndpointPatch endpoint_patch_from_json(const boost::json::object& body);
boost::json::object endpoint_to_json(const Endpoint& e);

struct WithSecret {
  Endpoint endpoint;
  std::string secret;  // shown once
};

// Commands (writer). `db_location` names the shop whose key seals the secret.
WithSecret create_endpoint(db::Db& db, const std::string& db_location, const Actor& actor, const EndpointInput& in);
Endpoint update_endpoint(db::Db& db, const Actor& actor, const std::string& id, std::int64_t expected_version,
                         const EndpointPatch& patch);
void delete_endpoint(db::Db& db, const Actor& actor, const std::string& id);
// A new secret; the old one keeps signing for previous_secret_valid.
WithSecret rotate_secret(db::Db& db, const std::string& db_location, const Actor& actor, const std::string& id);

std::optional<Endpoint> load_endpoint(db::Db& db, const std::string& id);
// Endpoints by id, `limit` + 1 rows after `after_id` (list_page).
std::vector<Endpoint> list_endpoints(db::Db& db, const std::string& after_id, int limit);

// --- the delivery log, the dead-letter queue, alerts ------------------------------------
struct AttemptRecord {
  std::int64_t seq = 0;
  std::string message_id;  // webhook-id
  std::string event_type;
  int attempt = 0;
  std::int64_t at = 0;
  std::optional<int> http_status;
  std::int64_t latency_ms = 0;
  std::optional<std::string> error_tag;
  std::string outcome;  // delivered | retry | dead
  std::string response_excerpt;
  std::optional<std::string> mapping_name;  // the mapping table version the body was rewritten with
  std::optional<std::int64_t> mapping_version;
  std::int64_t mapping_unmapped = 0;
};
boost::json::object attempt_to_json(const AttemptRecord& a);
// Newest first, seq < before (0: from the newest).
std::vector<AttemptRecord> list_attempts(db::Db& db, const std::string& endpoint_id, std::int64_t before, int limit);

struct Message {
  std::int64_t seq = 0;
  std::string id;  // webhook-id (msg_...)
  std::string endpoint_id;
  std::string event_type;
  std::string payload;
  std::string status;  // pending | delivered | dead
  int tries = 0;
  std::int64_t next_attempt_at = 0;
  std::int64_t created_at = 0;
  std::optional<std::string> last_error_tag;
  std::optional<std::int64_t> dead_at;
  bool stored = true;           // false: read from the stream, no row yet
  std::int64_t event_seq = 0;   // the outbox event it came from (stream messages)
};
boost::json::object message_to_json(const Message& m);
// Dead letters, newest first (seq < before), of one endpoint or all.
std::vector<Message> list_dead_letters(db::Db& db, const std::string& endpoint_id, std::int64_t before, int limit);
std::optional<Message> load_message(db::Db& db, const std::string& id);
// Puts a dead letter back in its endpoint's queue (tries start again); 409 when not dead.
Message replay_dead_letter(db::Db& db, const Actor& actor, const std::string& message_id);
// Every dead letter of the endpoint made at or after `since`; how many.
int replay_dead_letters(db::Db& db, const Actor& actor, const std::string& endpoint_id, std::int64_t since);

struct Alert {
  std::string id;
  std::string endpoint_id;
  std::string endpoint_url;
  std::string owner;
  std::string error_tag;
  std::int64_t count = 0;
  std::int64_t first_at = 0;
  std::int64_t last_at = 0;
  std::string last_detail;
  std::string status;  // open | acknowledged | resolved
  std::optional<std::string> acknowledged_by;
  std::optional<std::int64_t> acknowledged_at;
  std::optional<std::string> resolved_by;
  std::optional<std::int64_t> resolved_at;
  std::optional<std::string> note;
};
boost::json::object alert_to_json(const Alert& a);
// Newest activity first; `status` empty = every status; paged by id after `after_id` in
// (last_at desc, id) order, so `after_id` names the last row of the previous page.
std::vector<Alert> list_alerts(db::Db& db, const std::string& status, const std::string& after_id, int limit);
std::optional<Alert> load_alert(db::Db& db, const std::string& id);
Alert acknowledge_alert(db::Db& db, const Actor& actor, const std::string& id, const std::optional<std::string>& note);
Alert resolve_alert(db::Db& db, const Actor& actor, const std::string& id, const std::string& note);

// --- what the delivery worker does (webhook_delivery.cpp) --------------------------------
// An endpoint delivers, in order, first its stored messages waiting for a retry (oldest first;
// nothing newer goes before them), then the stream: the outbox events after its event cursor
// that it subscribed to, then one stock.changed per item x location that moved in the ledger
// after its stock cursor — coalesced: however many movements, one message with the balance as
// it is when sent. A stream message gets a row only when it fails; the cursors move past it.
struct Due {
  Endpoint endpoint;
  std::vector<std::string> secrets;  // in the clear: the current one, then the previous one while valid
  std::vector<Message> messages;     // in order
  bool stream = false;               // messages from the cursors (else stored rows)
  std::int64_t event_cursor_to = 0;  // where the cursors go when every message is delivered
  std::int64_t stock_cursor_to = 0;
  std::int64_t event_cursor = 0;     // the cursors as leased
  std::int64_t stock_cursor = 0;
  std::optional<OutboundMapping> mapping;  // the endpoint's mapping, newest version at the claim
};
// Whether an active endpoint other than `busy` has something to send now (reads only).
bool delivery_due(db::Db& db, const std::set<std::string>& busy);
// Leases (for `lease_seconds`, to `owner`) the active endpoints not in `busy` that have
// something to send: a short writer command that only decides and leases. Each Due names the
// endpoint, whether it sends stored rows or the stream, and the cursors as they were leased;
// fill_due reads its messages outside the writer.
std::vector<Due> claim_due(db::Db& db, const std::string& owner, const std::set<std::string>& busy, int lease_seconds);

// Outbox events as the endpoints read them: each event's Standard Webhooks body is made once
// and shared by every endpoint that receives it (each still signs it with its own secret).
// Holds the newest events read, `capacity` at most; a read after a cursor older than the window
// goes to the database. Safe from several threads.
struct StreamEvent {
  std::int64_t seq = 0;
  std::string id;
  std::string type;  // the published type; empty: not published to webhooks
  std::int64_t at = 0;
  std::shared_ptr<const std::string> body;  // {type, timestamp, data}; null when not published
};
class EventWindow {
 public:
  explicit EventWindow(std::size_t capacity = 8192) : capacity_(capacity) {}
  // Up to `max` events after `cursor`, in order (what events_after would answer, or answered
  // a moment ago).
  std::vector<StreamEvent> after(db::Db& db, std::int64_t cursor, int max);

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::int64_t from_ = -1;  // the window holds every event with seq in (from_, to_], as read
  std::int64_t to_ = -1;
  std::deque<StreamEvent> events_;
};

// Reads a leased endpoint's messages on the calling thread's connection (a reader: the lease
// keeps its cursors still): its secrets, its mapping's newest version, then up to `batch`
// stored messages or stream messages after its cursors (events from `window`).
void fill_due(db::Db& db, const std::string& db_location, Due& due, int batch, EventWindow& window);

struct Outcome {
  Message message;  // as it was claimed
  Attempt attempt;
  std::int64_t at = 0;
  std::int64_t latency_ms = 0;
  std::string response_excerpt;
  double jitter = 0.5;  // uniform01 for decide()
  int unmapped = 0;     // values the mapping did not name (sent unchanged)
};
// Records one endpoint's attempts in order (delivered, retry or dead, alerts, disabling an
// endpoint failing for a day or answering 410), stores a failed stream message, moves the
// cursors and ends the lease.
void record_outcomes(db::Db& db, const std::string& owner, const Due& due, const std::vector<Outcome>& outcomes);

// Forgets delivered messages (and their attempts) last touched before `before`; dead letters
// and failures stay. How many messages.
int forget_delivered(db::Db& db, std::int64_t before);
inline constexpr int delivered_keep_days = 7;

// Rewrites the payload of each kept message (waiting, dead or delivered) whose event type
// starts with `type_prefix`, as platform's rewrite_event_payloads does for the events.
int rewrite_message_payloads(db::Db& db, const std::string& type_prefix, const PayloadRewrite& rewrite);

void register_webhook_routes(App& app);

}  // namespace backroom::integrations::webhooks
