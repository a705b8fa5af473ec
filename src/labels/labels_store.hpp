// The label queue's SQL. Functions take the connection they run on: the writer's (inside
// its transaction) for changes, a reader's for queries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"

namespace backroom::labels::store {

struct QueueEntry {
  std::string id;
  std::string store_id;
  std::string item_id;
  std::string sku;
  std::string name;
  std::optional<std::int64_t> price;
  std::string kind;
  std::string reason;
  int copies = 1;
  std::optional<std::int64_t> event_seq;
  std::int64_t queued_at = 0;
};

// Inserts a pending entry, or when one is pending for the same store, item and kind,
// records the newer reason on it (the queue holds one label per item, not one per cause).
void upsert_pending(db::Db& db, const std::string& id, const std::string& store_id, const std::string& item_id,
                    std::string_view kind, std::string_view reason, int copies, std::optional<std::int64_t> event_seq,
                    std::int64_t at);

// Pending entries of a store in queue order, after the entry id `after_id` ("" = from the
// start); up to `limit`.
std::vector<QueueEntry> pending(db::Db& db, const std::string& store_id, const std::string& after_id, int limit);
std::int64_t pending_count(db::Db& db, const std::string& store_id);

// Marks the given entries printed by `job_id`; entries printed already are left alone.
// Returns the number marked.
std::int64_t mark_printed(db::Db& db, const std::vector<std::string>& ids, const std::string& job_id,
                          const std::string& user, std::int64_t at);

struct Location {
  std::string id;
  std::string name;
  std::string kind;
  std::optional<std::string> parent_id;
};
std::optional<Location> location(db::Db& db, const std::string& id);
std::optional<Location> location_by_name(db::Db& db, const std::string& name);
std::vector<std::string> store_ids(db::Db& db);

// The newest item.created / item.updated payload of `item_id` before event `seq`.
std::optional<std::string> previous_item_payload(db::Db& db, const std::string& item_id, std::int64_t seq);
// When a label of `kind` was last printed for the item at the store (nullopt: never).
std::optional<std::int64_t> last_printed_at(db::Db& db, const std::string& store_id, const std::string& item_id,
                                            std::string_view kind);
// The newest item.created / item.updated payload of `item_id` at or before time `at`.
std::optional<std::string> item_payload_at(db::Db& db, const std::string& item_id, std::int64_t at);

}  // namespace backroom::labels::store
