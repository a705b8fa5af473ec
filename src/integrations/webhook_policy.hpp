// Outbound webhooks, the pure rules (no I/O): how a delivery is signed (Standard Webhooks
// 1.0, https://www.standardwebhooks.com/ and github.com/standard-webhooks/standard-webhooks
// spec/standard-webhooks.md), what a delivery's outcome means (delivered, retry later, or
// the dead-letter queue), how long to wait before the next try, and which event types an
// endpoint may ask for. docs/webhooks.md explains them to integrators; webhooks_store.cpp
// and webhook_delivery.cpp apply them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace backroom::integrations::webhooks {

// --- signing -------------------------------------------------------------------------
inline constexpr std::string_view secret_prefix = "whsec_";
inline constexpr std::size_t secret_bytes = 24;  // 192 bits, as the reference libraries make them

// "whsec_" + base64 of secret_bytes random bytes.
std::string new_secret();
// The key bytes of a "whsec_<base64>" secret (the prefix is optional, as in the libraries);
// nullopt when the rest is not base64.
std::optional<std::string> secret_key(std::string_view secret);
// "v1," + base64(HMAC-SHA256(key, "<msg_id>.<timestamp>.<payload>")): the spec's signature
// scheme. `secret` is a "whsec_..." secret.
std::string signature(std::string_view secret, std::string_view msg_id, std::int64_t timestamp_seconds,
                      std::string_view payload);
// The webhook-signature header: one signature per secret, space-separated (during a
// rotation the old secret signs too, so a receiver that still has it keeps verifying).
std::string signature_header(const std::vector<std::string>& secrets, std::string_view msg_id,
                             std::int64_t timestamp_seconds, std::string_view payload);
// "msg_" + the message's UUID without dashes: the webhook-id, the same on every retry.
std::string message_id(std::string_view uuid);

// --- outcomes and retries ------------------------------------------------------------
// Why a delivery failed, as alerts group failures (the list in issue 19).
inline constexpr std::string_view tag_timeout = "timeout";
inline constexpr std::string_view tag_connection = "connection";
inline constexpr std::string_view tag_dns = "dns";
inline constexpr std::string_view tag_tls = "tls";
inline constexpr std::string_view tag_http_3xx = "http_3xx";  // redirects are not followed
inline constexpr std::string_view tag_http_4xx = "http_4xx";
inline constexpr std::string_view tag_http_5xx = "http_5xx";
inline constexpr std::string_view tag_invalid_payload = "invalid_payload";
inline constexpr std::string_view tag_disabled = "endpoint_disabled";

// What one HTTP attempt came back with: an HTTP status, or a transport failure's tag.
struct Attempt {
  int http_status = 0;                     // 0 when no answer came
  std::string transport_error;             // a tag_* above when http_status == 0
  std::optional<std::int64_t> retry_after; // seconds, from Retry-After on 429/503
};

enum class Verdict { delivered, retry, dead };

struct Decision {
  Verdict verdict = Verdict::delivered;
  std::string error_tag;                  // empty when delivered
  std::chrono::seconds wait{0};           // until the next try (retry only)
  bool disable_endpoint = false;          // 410 Gone: the receiver says it is gone for good
};

// The waits between tries (issue 19: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). A
// message is tried once plus once after each wait, so 8 times over about a day at most.
const std::vector<std::chrono::seconds>& retry_schedule();

// The decision after failed or successful try number `tries` (1 = the first try).
// 2xx: delivered. 408, 409, 429, 5xx and transport failures: retry after the schedule's
// wait for this try with full jitter — uniform in (0, step], at least 1 s, drawn from
// `uniform01` in [0, 1) — or after Retry-After when that is longer; dead when the schedule
// is used up. 3xx and every other 4xx: dead at once (retrying cannot help); 410 also
// disables the endpoint.
Decision decide(const Attempt& attempt, int tries, double uniform01);

// An endpoint that has failed without a single success for this long is disabled.
inline constexpr std::chrono::hours disable_after{24};
// A rotated-out secret keeps signing for this long.
inline constexpr std::chrono::hours previous_secret_valid{24};

// --- yielding to a rush ---------------------------------------------------------------
// A sale never waits for a webhook, and on a busy server it should not share its cores with
// deliveries either. The writer's busy share is the part of a moment it spent running
// commands (Writer::busy_micros read twice, divided by the time between). At or above
// rush_busy_share the server is writing as fast as it can (a rush of sales, an import):
// deliveries then claim messages at most once per `pause` (each claim sends up to a batch
// per endpoint), and send the backlog when the rush is over. A shop's ordinary day, a few
// sales a second, keeps the writer busy well under one per cent of the time.
inline constexpr double rush_busy_share = 0.5;
// Whether the delivery worker claims messages now: the writer is not in a rush, or the last
// claim is at least `pause` ago.
bool claim_now(double writer_busy_share, std::chrono::milliseconds since_last_claim, std::chrono::milliseconds pause);

// --- the event catalog ----------------------------------------------------------------
// The event types an endpoint may subscribe to (docs/events.md has a schema for each).
const std::vector<std::string>& event_catalog();
// "sale.completed", "transfer.*" (a family), or "*" (everything): known to the catalog?
bool valid_subscription(std::string_view pattern);
bool subscribed(const std::vector<std::string>& patterns, std::string_view type);
// The webhook type of an outbox event type ("price_change.applied" -> "price.changed"), or
// nullopt when the event is not published to webhooks (settings changes, label queues...).
std::optional<std::string> published_type(std::string_view outbox_type);

}  // namespace backroom::integrations::webhooks
