// The webhook delivery worker: outside every sale's transaction, it leases the endpoints that
// have something to send (a short writer command), reads their messages on the sending thread
// from the outbox and the ledger after their cursors (or their stored retries; each event's
// body is made once for all endpoints, EventWindow), and POSTs them in order with libcurl
// on a small pool of threads at a lower CPU priority than the server's own — one endpoint on
// one thread at a time, so a slow receiver delays only itself. Each endpoint's attempts are
// recorded in one writer command (webhooks.hpp record_outcomes). A sale never waits for a
// receiver: the register's path only appends its event.
//
// Timing: it looks for work every `poll` (and at once after a delivery), compares due times
// with now() (platform/types.hpp, so a test moves the clock with BACKROOM_TEST_CLOCK_FILE),
// and gives a receiver `connect_timeout` to accept and `total_timeout` to answer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "integrations/webhooks.hpp"
#include "platform/writer.hpp"

namespace backroom::integrations::webhooks {

struct DeliveryOptions {
  std::chrono::milliseconds poll{250};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{15000};
  int threads = 4;
  int batch = 200;           // messages of one endpoint sent per lease
  int lease_seconds = 120;   // another process may take the endpoint over after this
  // The senders' CPU priority: a nice value 0..19 (default 10), or -1 for SCHED_IDLE (they
  // run only when nothing else wants the core, and catch up after a rush).
  int nice = 10;
  // While the writer is in a rush (webhook_policy.hpp claim_now), messages are claimed at
  // most once per this long; at or below `poll` this is off (a claim after every delivery).
  std::chrono::milliseconds rush_pause{1000};
  // From BACKROOM_WEBHOOK_POLL_MS, BACKROOM_WEBHOOK_TIMEOUT_MS, BACKROOM_WEBHOOK_THREADS,
  // BACKROOM_WEBHOOK_PRIORITY (0..19 or "idle"), BACKROOM_WEBHOOK_RUSH_PAUSE_MS.
  static DeliveryOptions from_environment();
};

// One POST of a message to an endpoint: the signed request and what came back. With a
// mapping, the body is rewritten into the receiver's words (webhook_mapping.hpp), signed as
// sent and named in the backroom-mapping header.
Outcome send_message(const Endpoint& endpoint, const std::vector<std::string>& secrets, const Message& message,
                     const DeliveryOptions& options, const std::atomic<bool>* stopping = nullptr,
                     const OutboundMapping* mapping = nullptr);

class DeliveryWorker {
 public:
  DeliveryWorker(Writer& writer, std::string db_location, DeliveryOptions options);
  ~DeliveryWorker();  // stops: in-flight requests are abandoned (their messages stay pending)
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

 private:
  void loop();
  void deliver_loop();
  void deliver(const Due& due);

  Writer& writer_;
  std::string db_location_;
  DeliveryOptions options_;
  std::string owner_;  // this process's lease name
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable work_ready_;
  std::deque<Due> queue_;
  std::set<std::string> busy_;  // endpoints queued or being delivered
  EventWindow window_;          // each event's body made once for every endpoint
  std::atomic<bool> stopping_{false};
  bool kicked_ = false;
  std::chrono::steady_clock::time_point next_cleanup_ = std::chrono::steady_clock::now() + std::chrono::minutes(1);  // a delivery ended: look again without waiting for the poll
  // The loop thread's view of the writer: its busy time when last sampled, and the busy share
  // since the sample before (a rush when at or above rush_busy_share); when it last claimed.
  std::int64_t writer_busy_sampled_ = 0;
  std::chrono::steady_clock::time_point writer_sampled_at_ = std::chrono::steady_clock::now();
  double writer_busy_share_ = 0;
  std::chrono::steady_clock::time_point last_claim_{};
  std::vector<std::thread> senders_;
  std::thread thread_;  // last: started once everything above is in place
};

}  // namespace backroom::integrations::webhooks
