// The availability feed's reads (docs/orders.md, "Availability feed"): per item x store,
// available = on hand − held − the safety buffer, its status and backorder date (the
// earliest expected date of a sent purchase order still bringing it), as JSON rows; the
// changes after a cursor; the NDJSON snapshot; and availability.changed events.
#pragma once

#include <boost/json.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "orders/orders.hpp"
#include "platform/db.hpp"
#include "stock/holds.hpp"

namespace backroom::orders {

// What every row of one answer is computed with (read once per answer).
struct FeedContext {
  FeedSettings settings;
  std::map<std::pair<std::string, std::string>, std::string> backorder_dates;  // (item, location) -> date
};
FeedContext feed_context(db::Db& db);
boost::json::object availability_json(const stock::StockLevel& level, const FeedContext& context);

// `scope`: the locations a caller may see (empty: all).
struct ChangesPage {
  boost::json::array changes;
  std::int64_t next_cursor = 0;
  bool more = false;
};
ChangesPage availability_changes(db::Db& db, std::int64_t cursor, int limit, const std::vector<std::string>& scope);
// The NDJSON snapshot: every item at every store (within scope), one JSON object a line, each
// byte for byte the feed's row (availability_json). Read from `db` a part at a time while the
// answer is sent, so a snapshot is never whole in memory (docs/performance.md): the caller
// holds `db` and a ReadSnapshot on it for as long as the writer.
class SnapshotWriter {
 public:
  static constexpr std::size_t part_bytes = 64 * 1024;
  SnapshotWriter(db::Db& db, std::vector<std::string> scope);
  // Appends the next whole lines to `part`, about `bytes` of them; false once the last line
  // is in (`part` may then hold the last lines, or nothing).
  bool next(std::string& part, std::size_t bytes = part_bytes);

 private:
  struct KeyHash {  // looks a date up by the reused key_, without a copy
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  const std::string* backorder_date(std::string_view item_id, std::string_view location_id);
  FeedContext context_;
  std::vector<std::string> scope_;
  stock::StockLevelCursor rows_;
  // context_.backorder_dates by one string per pair (see backorder_date): a hash lookup instead
  // of a search of the map by two strings, for each of a million lines.
  std::unordered_map<std::string, const std::string*, KeyHash, std::equal_to<>> dates_;
  std::string key_;  // reused: looking a backorder date up allocates nothing
  // The line from "status" to "backorder_date": the same for every line of one status.
  std::array<std::string, 4> status_tails_;
};
// Appends one availability.changed event per item x store changed since the last call
// (writer); returns how many.
int announce_availability(db::Db& db);

}  // namespace backroom::orders
