#include "integrations/webhook_delivery.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string_view>

#include "platform/db.hpp"
#include "platform/ids.hpp"
#include "platform/periodic.hpp"
#include "platform/types.hpp"

namespace backroom::integrations::webhooks {

namespace {

struct Received {
  std::string excerpt;
  std::optional<std::int64_t> retry_after;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* r = static_cast<Received*>(user);
  std::size_t n = size * count;
  if (r->excerpt.size() < response_excerpt_max)
    r->excerpt.append(data, std::min(n, response_excerpt_max - r->excerpt.size()));
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* r = static_cast<Received*>(user);
  std::string_view line(data, size * count);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size()) {
    std::string lower(line.substr(0, name.size()));
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == name) {
      std::string value(line.substr(name.size()));
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t\r\n") + 1);
      std::int64_t seconds = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
      if (ec == std::errc() && end == value.data() + value.size() && seconds >= 0) {
        r->retry_after = seconds;
      } else if (auto when = curl_getdate(value.c_str(), nullptr); when > 0) {  // an HTTP-date
        r->retry_after = std::max<std::int64_t>(0, when - now().micros / 1'000'000);
      }
    }
  }
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* stopping = static_cast<const std::atomic<bool>*>(user);
  return stopping && stopping->load() ? 1 : 0;
}

std::string transport_tag(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return std::string(tag_timeout);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return std::string(tag_dns);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
      return std::string(tag_tls);
    default:
      return std::string(tag_connection);
  }
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

DeliveryOptions DeliveryOptions::from_environment() {
  DeliveryOptions o;
  o.poll = std::chrono::milliseconds(env_positive("BACKROOM_WEBHOOK_POLL_MS", o.poll.count(), "number of milliseconds"));
  o.total_timeout = std::chrono::milliseconds(env_positive("BACKROOM_WEBHOOK_TIMEOUT_MS", o.total_timeout.count(), "number of milliseconds"));
  o.connect_timeout = std::min(o.connect_timeout, o.total_timeout);
  o.threads = static_cast<int>(std::min<std::int64_t>(32, env_positive("BACKROOM_WEBHOOK_THREADS", o.threads, "number of threads")));
  o.rush_pause = std::chrono::milliseconds(
      env_positive("BACKROOM_WEBHOOK_RUSH_PAUSE_MS", o.rush_pause.count(), "number of milliseconds"));
  if (const char* priority = std::getenv("BACKROOM_WEBHOOK_PRIORITY"); priority && *priority) {
    std::string_view text(priority);
    int nice = -2;
    if (text == "idle") {
      nice = -1;
    } else {
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), nice);
      if (ec != std::errc() || end != text.data() + text.size() || nice < 0 || nice > 19) nice = -2;
    }
    if (nice == -2)
      spdlog::warn("BACKROOM_WEBHOOK_PRIORITY={} is neither a nice value 0..19 nor \"idle\"; using {}", text, o.nice);
    else
      o.nice = nice;
  }
  return o;
}

Outcome send_message(const Endpoint& endpoint, const std::vector<std::string>& secrets, const Message& message,
                     const DeliveryOptions& options, const std::atomic<bool>* stopping, const OutboundMapping* mapping) {
  init_curl_once();
  // One handle per thread, reset between requests: its connection cache keeps the
  // receiver's connection open from one message to the next (HTTP keep-alive).
  thread_local std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  Outcome out;
  out.message = message;
  out.at = now().micros;
  auto timestamp = out.at / 1'000'000;
  Received received;
  if (!curl) {
    out.attempt.transport_error = std::string(tag_connection);
    return out;
  }
  curl_easy_reset(curl.get());
  // The body in the receiver's words when the endpoint names a mapping; signed as sent.
  std::string mapped_body;
  if (mapping) {
    auto mapped = map_payload(*mapping, message.payload);
    mapped_body = std::move(mapped.body);
    out.unmapped = mapped.unmapped;
  }
  const std::string& body = mapping ? mapped_body : message.payload;
  std::string signature;
  try {
    signature = signature_header(secrets, message.id, timestamp, body);
  } catch (const std::exception& e) {
    out.attempt.transport_error = std::string(tag_invalid_payload);
    out.response_excerpt = e.what();
    return out;
  }
  struct curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "content-type: application/json");
  headers = curl_slist_append(headers, ("webhook-id: " + message.id).c_str());
  headers = curl_slist_append(headers, fmt::format("webhook-timestamp: {}", timestamp).c_str());
  headers = curl_slist_append(headers, ("webhook-signature: " + signature).c_str());
  headers = curl_slist_append(headers, "user-agent: Backroom-Webhooks/" BACKROOM_VERSION);
  if (mapping)
    headers = curl_slist_append(headers, fmt::format("backroom-mapping: {}; version={}", mapping->name, mapping->version).c_str());
  headers = curl_slist_append(headers, "expect:");  // no 100-continue round trip
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, &curl_slist_free_all);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, endpoint.url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &received);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, stopping);
  auto started = std::chrono::steady_clock::now();
  CURLcode code = curl_easy_perform(c);
  out.latency_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    out.attempt.http_status = static_cast<int>(status);
    out.attempt.retry_after = received.retry_after;
    out.response_excerpt = received.excerpt;
  } else {
    out.attempt.transport_error = transport_tag(code);
    out.response_excerpt = curl_easy_strerror(code);
  }
  return out;
}

DeliveryWorker::DeliveryWorker(Writer& writer, std::string db_location, DeliveryOptions options)
    : writer_(writer), db_location_(std::move(db_location)), options_(options), owner_(new_uuid_v7()) {
  init_curl_once();
  for (int i = 0; i < options_.threads; ++i) senders_.emplace_back([this] { deliver_loop(); });
  thread_ = std::thread([this] { loop(); });
}

DeliveryWorker::~DeliveryWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  work_ready_.notify_all();
  thread_.join();
  for (auto& t : senders_) t.join();
}

void DeliveryWorker::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.poll, [this] { return stopping_.load() || kicked_; });
    kicked_ = false;
    if (stopping_) return;
    auto busy = busy_;
    lock.unlock();
    try {
      auto& db = db::reader(db_location_);
      if (auto at = std::chrono::steady_clock::now(); at >= next_cleanup_) {
        next_cleanup_ = at + std::chrono::hours(1);
        auto before = now().micros - std::int64_t{delivered_keep_days} * 86400 * 1'000'000;
        writer_.run([before](db::Db& w) { forget_delivered(w, before); });
      }
      // Sampled at most every 100 ms: a delivery that just ended wakes the loop at once.
      if (auto at = std::chrono::steady_clock::now(); at - writer_sampled_at_ >= std::chrono::milliseconds(100)) {
        auto busy_micros = writer_.busy_micros();
        auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(at - writer_sampled_at_).count();
        writer_busy_share_ = static_cast<double>(busy_micros - writer_busy_sampled_) / static_cast<double>(elapsed);
        writer_busy_sampled_ = busy_micros;
        writer_sampled_at_ = at;
      }
      auto since_claim = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - last_claim_);
      bool yields = options_.rush_pause > options_.poll;  // else off: claim after every delivery
      if ((!yields || claim_now(writer_busy_share_, since_claim, options_.rush_pause)) && delivery_due(db, busy)) {
        last_claim_ = std::chrono::steady_clock::now();
        std::vector<Due> claimed;
        writer_.run([&](db::Db& w) { claimed = claim_due(w, owner_, busy, options_.lease_seconds); });
        lock.lock();
        for (auto& due : claimed) {
          busy_.insert(due.endpoint.id);
          queue_.push_back(std::move(due));
        }
        lock.unlock();
        work_ready_.notify_all();
      }
    } catch (const std::exception& e) {
      spdlog::warn("webhook delivery: {}", e.what());
    }
    lock.lock();
  }
}

void DeliveryWorker::deliver_loop() {
  // Below the register's threads: on a busy machine deliveries wait, a sale does not.
  if (options_.nice < 0) {
    sched_param idle{};
    if (sched_setscheduler(0, SCHED_IDLE, &idle) != 0) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19);
  } else {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), options_.nice);
  }
  std::random_device seed;
  std::mt19937_64 random(seed());
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Due due = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    // The messages are read here, on this thread's reader connection, not in the claim: the
    // writer (and every sale behind it) only waits for the lease.
    bool read = true;
    try {
      fill_due(db::reader(db_location_), db_location_, due, options_.batch, window_);
    } catch (const std::exception& e) {
      read = false;
      spdlog::warn("webhook delivery to {}: reading its messages failed: {}", due.endpoint.url, e.what());
      due.messages.clear();  // recorded as nothing sent: the lease ends, the cursors stay
      due.event_cursor_to = due.event_cursor;
      due.stock_cursor_to = due.stock_cursor;
    }
    std::vector<Outcome> outcomes;
    for (const auto& m : due.messages) {
      auto o = send_message(due.endpoint, due.secrets, m, options_, &stopping_, due.mapping ? &*due.mapping : nullptr);
      if (stopping_) break;  // abandoned: the message stays pending, its lease runs out
      o.jitter = uniform(random);
      bool delivered = o.attempt.http_status >= 200 && o.attempt.http_status < 300;
      outcomes.push_back(std::move(o));
      if (!delivered) break;  // in order: the rest waits behind it
    }
    if (!stopping_) {  // also with nothing sent: the cursors pass what it did not ask for, the lease ends
      try {
        writer_.run([&](db::Db& w) { record_outcomes(w, owner_, due, outcomes); });
      } catch (const std::exception& e) {
        spdlog::warn("webhook delivery to {}: recording failed: {}", due.endpoint.url, e.what());
      }
    }
    lock.lock();
    busy_.erase(due.endpoint.id);
    if (read) {  // (a failed read waits for the next poll)
      kicked_ = true;
      wake_.notify_all();  // look again at once: more may be due
    }
  }
}

}  // namespace backroom::integrations::webhooks
