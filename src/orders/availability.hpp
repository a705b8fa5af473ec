// The availability feed's reads (docs/orders.md, "Availability feed"): per item x store,
// available = on hand − held − the safety buffer, its status and backorder date (the
// earliest expected date of a sent purchase order still bringing it), as JSON rows; the
// changes after a cursor; the NDJSON snapshot; and availability.changed events.
#pragma once

#include <boost/json.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
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
//
// With `helpers` (more connections to the same database, each in a read snapshot of the same
// state as `db`'s: db::SharedReadSnapshot) the items are read in ranges of `items_a_range`,
// range k on `db` by the caller of next() when k is a multiple of 1 + helpers.size(), else on
// helper k mod (1 + helpers.size()) by a thread of its own, and the parts are handed out in
// range order: the same bytes, produced on several cores. Where a range begins is read by the
// first thread to need it, on its connection (the same state on each). A helper thread keeps at most
// helper_ahead_bytes of parts not yet handed out. The helpers must outlive the writer.
class SnapshotWriter {
 public:
  static constexpr std::size_t part_bytes = 64 * 1024;
  static constexpr int range_items = 500;  // about 5,000 lines at 10 stores, 1.1 MB
  static constexpr std::size_t helper_ahead_bytes = 4 * 1024 * 1024;
  SnapshotWriter(db::Db& db, std::vector<std::string> scope, const std::vector<db::Db*>& helpers = {},
                 int items_a_range = range_items);
  ~SnapshotWriter();  // stops and joins the helper threads
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;
  // Appends the next whole lines to `part`, about `bytes` of them (a helper's part goes out as
  // it was made, part_bytes); false once the last line is in (`part` may then hold the last
  // lines, or nothing). Throws what a helper's read threw.
  bool next(std::string& part, std::size_t bytes = part_bytes);

 private:
  struct KeyHash {  // looks a date up by a reused key, without a copy
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  // The lines of one range of items, read on one connection by one thread at a time.
  struct Producer {
    db::Db& db;
    std::optional<stock::StockLevelCursor> rows;
    std::string key;  // reused: looking a backorder date up allocates nothing
  };
  struct Helper;
  // Points the producer at range `range`; false when there is no such range (nor any after it).
  bool start_range(Producer& producer, std::size_t range);
  // Appends lines of the producer's range to `part` until it holds `bytes`; false once the range is done.
  bool fill(Producer& producer, std::string& part, std::size_t bytes) const;
  const std::string* backorder_date(std::string& key, std::string_view item_id, std::string_view location_id) const;
  void run_helper(Helper& helper, std::size_t first_range);
  void stop_helpers();
  FeedContext context_;
  std::vector<std::string> scope_;
  // context_.backorder_dates by one string per pair (see backorder_date): a hash lookup instead
  // of a search of the map by two strings, for each of a million lines.
  std::unordered_map<std::string, const std::string*, KeyHash, std::equal_to<>> dates_;
  // The line from "status" to "backorder_date": the same for every line of one status.
  std::array<std::string, 4> status_tails_;
  int items_a_range_;
  // Where the ranges begin, found as they are first needed (one range, from '', without helpers).
  std::mutex starts_mutex_;
  std::vector<std::string> range_starts_{""};
  bool starts_complete_ = true;
  Producer own_;
  std::size_t range_ = 0;  // the range whose lines go out next
  bool own_started_ = false;
  std::vector<std::unique_ptr<Helper>> helpers_;
};
// Appends one availability.changed event per item x store changed since the last call
// (writer); returns how many.
int announce_availability(db::Db& db);

}  // namespace backroom::orders
