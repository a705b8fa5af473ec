// A store node's puller (`backroom serve --upstream URL --node-key KEY`, or BACKROOM_UPSTREAM
// and BACKROOM_NODE_KEY): as it starts and then every BACKROOM_SYNC_PULL_SECONDS (default 5) it
// reads head office's change feed (GET /api/v1/sync/changes) after its cursor, page by page to
// the end, and applies the changes in order in one transaction of the writer together with the new cursor
// (setting `sync_upstream_cursor`), so a restart or a kill -9 resumes where the last commit
// left off and applies nothing twice. While head office cannot be reached it waits a random
// time up to min(BACKROOM_SYNC_BACKOFF_MAX_SECONDS (default 60) s, 1 s x 2^failures) between
// tries (full jitter). docs/sync.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/json.hpp>

#include "platform/periodic.hpp"
#include "platform/writer.hpp"

namespace backroom::sync {

inline constexpr const char* upstream_cursor_setting = "sync_upstream_cursor";
// The version of head office's people (access/people_feed.hpp) this node applied last.
inline constexpr const char* upstream_people_setting = "sync_upstream_people";
// The version of head office's shop settings the node holds (sync/shop_settings.hpp).
inline constexpr const char* upstream_settings_setting = "sync_upstream_settings";
inline constexpr const char* push_cursor_setting = "sync_push_cursor";

// What GET /api/v1/sync/status tells: this server's link to head office.
struct LinkStatus {
  bool node = false;  // started with --upstream
  bool online = false;
  std::optional<std::int64_t> offline_since;  // micros; first failure since the last success
  std::optional<std::int64_t> last_sync_at;   // micros; last complete pull
  std::optional<std::string> last_error;
  std::int64_t failures = 0;
  std::int64_t queue_length = 0;  // documents waiting to be pushed, as of the last try
};
LinkStatus link_status();
// The documents of this server's event feed after its push cursor: what waits to go to head
// office (sales, voids, returns, exchanges).
std::int64_t waiting_documents(db::Db& db);
// Of those, the sales (what a cashier's banner counts).
std::int64_t waiting_sales(db::Db& db);
boost::json::object link_status_to_json(const LinkStatus& status, std::int64_t cursor);

class Puller {
 public:
  Puller(Writer& writer, std::string upstream, std::string node_key);
  ~Puller();
  // One pull to the end of the feed; returns how many changes it applied. Throws when head
  // office cannot be reached or refuses.
  int pull_once();
  // Pushes the documents this node's event feed holds after its push cursor (setting
  // `sync_push_cursor`) to head office in batches; the cursor moves only after head office
  // answered 200, so a document is pushed at least once and kept there once (by its id).
  // Returns how many it pushed; `waiting` is what is left. Throws like pull_once.
  int push_once();
  // Sends the change requests head office has not acknowledged (each once by its id) and asks
  // for the decisions on those still pending here; records both. Returns how many it sent.
  int push_change_requests();

 private:
  void tick();
  Writer& writer_;
  std::string upstream_;
  std::string node_key_;
  std::int64_t backoff_cap_micros_;
  std::int64_t next_try_at_ = 0;  // micros; backoff after a failure
  std::unique_ptr<PeriodicJob> job_;  // last: started once everything above is in place
};

}  // namespace backroom::sync
