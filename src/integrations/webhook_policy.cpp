#include "integrations/webhook_policy.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>

namespace backroom::integrations::webhooks {

namespace {

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool is_retryable_status(int status) { return status == 408 || status == 409 || status == 429 || status >= 500; }

}  // namespace

std::string new_secret() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
  unsigned char bytes[secret_bytes];
  randombytes_buf(bytes, sizeof bytes);
  return std::string(secret_prefix) + base64(bytes, sizeof bytes);
}

std::optional<std::string> secret_key(std::string_view secret) {
  if (secret.starts_with(secret_prefix)) secret.remove_prefix(secret_prefix.size());
  if (secret.empty()) return std::nullopt;
  std::string key(secret.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), secret.data(), secret.size(),
                        nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  key.resize(length);
  return key;
}

std::string signature(std::string_view secret, std::string_view msg_id, std::int64_t timestamp_seconds,
                      std::string_view payload) {
  auto key = secret_key(secret);
  if (!key) throw std::invalid_argument("a webhook secret is whsec_ followed by base64");
  std::string content = fmt::format("{}.{}.", msg_id, timestamp_seconds);
  content.append(payload);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key->data()), key->size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(content.data()), content.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return "v1," + base64(mac, sizeof mac);
}

std::string signature_header(const std::vector<std::string>& secrets, std::string_view msg_id,
                             std::int64_t timestamp_seconds, std::string_view payload) {
  std::string out;
  for (const auto& s : secrets) {
    if (!out.empty()) out += ' ';
    out += signature(s, msg_id, timestamp_seconds, payload);
  }
  return out;
}

std::string message_id(std::string_view uuid) {
  std::string out = "msg_";
  for (char c : uuid)
    if (c != '-') out += c;
  return out;
}

const std::vector<std::chrono::seconds>& retry_schedule() {
  using namespace std::chrono_literals;
  static const std::vector<std::chrono::seconds> steps{5s, 5min, 30min, 2h, 5h, 10h, 10h};
  return steps;
}

bool claim_now(double writer_busy_share, std::chrono::milliseconds since_last_claim, std::chrono::milliseconds pause) {
  return writer_busy_share < rush_busy_share || since_last_claim >= pause;
}

Decision decide(const Attempt& attempt, int tries, double uniform01) {
  Decision d;
  if (attempt.http_status >= 200 && attempt.http_status < 300) return d;
  bool retryable;
  if (attempt.http_status == 0) {
    d.error_tag = attempt.transport_error.empty() ? std::string(tag_connection) : attempt.transport_error;
    retryable = d.error_tag != tag_invalid_payload;
  } else if (attempt.http_status < 400) {
    d.error_tag = tag_http_3xx;  // 1xx/3xx as a final answer: the URL is wrong, not busy
    retryable = false;
  } else {
    d.error_tag = attempt.http_status >= 500 ? tag_http_5xx : tag_http_4xx;
    retryable = is_retryable_status(attempt.http_status);
    d.disable_endpoint = attempt.http_status == 410;
  }
  const auto& steps = retry_schedule();
  if (!retryable || tries < 1 || tries > static_cast<int>(steps.size())) {
    d.verdict = Verdict::dead;
    return d;
  }
  d.verdict = Verdict::retry;
  // Full jitter (uniform in (0, step]): receivers that failed together do not come back together.
  double step = static_cast<double>(steps[static_cast<std::size_t>(tries - 1)].count());
  double u = std::clamp(uniform01, 0.0, 1.0);
  auto wait = std::chrono::seconds(static_cast<std::int64_t>(std::ceil(step * (1.0 - u))));
  wait = std::max(wait, std::chrono::seconds(1));
  if (attempt.retry_after && *attempt.retry_after > wait.count()) wait = std::chrono::seconds(*attempt.retry_after);
  d.wait = std::min(wait, std::chrono::seconds(std::chrono::hours(24)));
  return d;
}

const std::vector<std::string>& event_catalog() {
  static const std::vector<std::string> types{
      "item.created",       "item.updated",           "price.changed",          "stock.changed",
      "sale.completed",     "sale.voided",            "return.completed",       "exchange.completed",
      "transfer.shipped",   "transfer.received",      "transfer.cancelled",     "purchase_order.created",
      "purchase_order.updated",
      "purchase_order.sent", "purchase_order.received", "purchase_order.closed", "purchase_order.cancelled",
      "receipt.posted",     "count.approved",         "supplier.updated",
      // Click-and-collect (docs/orders.md): the customer's messages (order.ready, the
      // substitution offer) reach the shop's SMS/email integration this way.
      "order.created", "order.paid", "order.short", "order.substitution_offered", "order.substitution_accepted",
      "order.substitution_declined", "order.ready", "order.collected", "order.refund_due", "order.refunded",
      "order.cancelled", "order.expired",
      // Online availability, coalesced per item x store (docs/orders.md "Availability feed").
      "availability.changed",
      // What head office found posting a store node's documents, and its resolution (docs/sync.md).
      "sync.conflict", "sync.conflict_resolved"};
  return types;
}

bool valid_subscription(std::string_view pattern) {
  if (pattern == "*") return true;
  const auto& types = event_catalog();
  if (pattern.size() > 2 && pattern.ends_with(".*")) {
    auto family = pattern.substr(0, pattern.size() - 1);  // "transfer."
    return std::any_of(types.begin(), types.end(), [&](const std::string& t) { return t.starts_with(family); });
  }
  return std::find(types.begin(), types.end(), pattern) != types.end();
}

bool subscribed(const std::vector<std::string>& patterns, std::string_view type) {
  for (const auto& p : patterns) {
    if (p == "*" || p == type) return true;
    if (p.ends_with(".*") && type.starts_with(std::string_view(p).substr(0, p.size() - 1))) return true;
  }
  return false;
}

std::optional<std::string> published_type(std::string_view outbox_type) {
  if (outbox_type == "price_change.applied") return std::string("price.changed");
  if (outbox_type == "stock.changed") return std::nullopt;  // made from the ledger, coalesced
  const auto& types = event_catalog();
  if (std::find(types.begin(), types.end(), outbox_type) != types.end()) return std::string(outbox_type);
  return std::nullopt;
}

}  // namespace backroom::integrations::webhooks
