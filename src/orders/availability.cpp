#include "orders/availability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <cstring>
#include <iterator>

#include "platform/assert.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/settings.hpp"
#include "purchasing/purchase_orders.hpp"

namespace backroom::orders {

namespace bj = boost::json;

namespace {

constexpr const char* event_cursor_key = "availability.event_cursor";
constexpr int announce_page_max = 5000;

bool in_scope(const std::vector<std::string>& scope, const std::string& location_id) {
  return scope.empty() || std::find(scope.begin(), scope.end(), location_id) != scope.end();
}

stock::StockLevel level_of(const stock::AvailabilityChange& c) {
  return stock::StockLevel{c.item_id, c.location_id, c.on_hand, c.reserved};
}

}  // namespace

FeedContext feed_context(db::Db& db) { return FeedContext{feed_settings(db), purchasing::expected_dates(db)}; }

bj::object availability_json(const stock::StockLevel& level, const FeedContext& context) {
  auto date = context.backorder_dates.find({level.item_id, level.location_id});
  bool on_order = date != context.backorder_dates.end();
  Quantity free = available(level.on_hand, level.reserved, context.settings.safety_buffer);
  auto status = availability_status(free, context.settings.low_stock_threshold, on_order);
  return bj::object{{"item_id", level.item_id},
                    {"location_id", level.location_id},
                    {"on_hand", json::quantity_value(level.on_hand)},
                    {"held", json::quantity_value(level.reserved)},
                    {"available", json::quantity_value(free)},
                    {"status", word(status)},
                    {"low_stock", status == AvailabilityStatus::low_stock},
                    {"low_stock_threshold", json::quantity_value(context.settings.low_stock_threshold)},
                    {"backorder_date", on_order ? bj::value(date->second) : bj::value(nullptr)}};
}

ChangesPage availability_changes(db::Db& db, std::int64_t cursor, int limit, const std::vector<std::string>& scope) {
  ChangesPage page;
  page.next_cursor = cursor;
  auto changes = stock::availability_changes_after(db, cursor, limit + 1);
  page.more = static_cast<int>(changes.size()) > limit;
  if (page.more) changes.pop_back();
  if (changes.empty()) return page;
  auto context = feed_context(db);
  for (const auto& c : changes) {
    page.next_cursor = c.seq;
    if (in_scope(scope, c.location_id)) page.changes.push_back(availability_json(level_of(c), context));
  }
  return page;
}

namespace {

// The fast path writes a line into a buffer of line_bytes_max on the stack: the ids and the
// date take at most line_ids_bytes_max of it, a status tail at most status_tail_bytes_max,
// and the rest is the line's names and three quantities (quantity_chars_max each, and
// "-9223372036854775.808" is 21).
constexpr std::size_t line_ids_bytes_max = 256;
constexpr std::size_t status_tail_bytes_max = 128;
constexpr std::size_t quantity_chars_max = 24;
constexpr std::size_t line_bytes_max = 128 + 3 * quantity_chars_max + status_tail_bytes_max + line_ids_bytes_max;

char* put(char* at, std::string_view text) {
  std::memcpy(at, text.data(), text.size());
  return at + text.size();
}

// A quantity as the JSON number json::serialize writes for it (7, 1.25, -0.5).
char* put_quantity(char* at, Quantity q) {
  if (q.milli % Quantity::scale == 0) {
    fmt::format_int digits(q.milli / Quantity::scale);
    return put(at, {digits.data(), digits.size()});
  }
  return put(at, format_quantity(q));
}

// Ids and dates go into the line as they are; anything JSON would escape takes the slow path.
// Eight bytes at a time (it runs over two ids a line, a million lines a snapshot; a byte at a
// time it was a tenth of the snapshot): a word has a byte below 0x20, or equal to '"' or '\\',
// exactly when the bit tricks below set that byte's top bit.
bool plain(std::string_view text) {
  constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
  auto zero_byte = [](std::uint64_t word) { return (word - ones) & ~word & highs; };
  std::uint64_t escape = 0;
  std::size_t at = 0;
  for (; at + 8 <= text.size(); at += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + at, 8);
    escape |= zero_byte(word ^ (ones * '"')) | zero_byte(word ^ (ones * '\\')) | ((word - ones * 0x20) & ~word & highs);
  }
  for (; at < text.size(); ++at) {
    char c = text[at];
    escape |= static_cast<std::uint64_t>((c == '"') | (c == '\\') | (static_cast<unsigned char>(c) < 0x20));
  }
  return escape == 0;
}

// One snapshot line appended to `out`: the members of availability_json(), in its order, as
// json::serialize writes them. A snapshot is a million lines at chain size; building and
// serializing a JSON object for each took ten times longer (docs/performance.md), and
// appending its dozen pieces to `out` one by one a quarter of the snapshot: the line is put
// together on the stack and appended once.
void append_snapshot_line(std::string& out, const stock::StockLevelView& level, const std::string* date,
                          const FeedContext& context, const std::array<std::string, 4>& status_tails) {
  std::size_t ids_bytes = level.item_id.size() + level.location_id.size() + (date ? date->size() : 0);
  if (ids_bytes > line_ids_bytes_max || !plain(level.item_id) || !plain(level.location_id) || (date && !plain(*date))) {
    stock::StockLevel copy{std::string(level.item_id), std::string(level.location_id), level.on_hand, level.reserved};
    out += json::serialize(availability_json(copy, context));
    out += '\n';
    return;
  }
  Quantity free = available(level.on_hand, level.reserved, context.settings.safety_buffer);
  auto status = availability_status(free, context.settings.low_stock_threshold, date != nullptr);
  char line[line_bytes_max];
  char* at = put(line, R"({"item_id":")");
  at = put(at, level.item_id);
  at = put(at, R"(","location_id":")");
  at = put(at, level.location_id);
  at = put(at, R"(","on_hand":)");
  at = put_quantity(at, level.on_hand);
  at = put(at, R"(,"held":)");
  at = put_quantity(at, level.reserved);
  at = put(at, R"(,"available":)");
  at = put_quantity(at, free);
  at = put(at, status_tails[static_cast<std::size_t>(status)]);
  if (date) {
    *at++ = '"';
    at = put(at, *date);
    *at++ = '"';
  } else {
    at = put(at, "null");
  }
  at = put(at, "}\n");
  out.append(line, static_cast<std::size_t>(at - line));
}

// The key of a pair in SnapshotWriter::dates_: the item id's length, then both ids (no id can
// run into the other).
void pair_key(std::string& key, std::string_view item_id, std::string_view location_id) {
  std::size_t item_bytes = item_id.size();
  key.assign(reinterpret_cast<const char*>(&item_bytes), sizeof item_bytes);
  key += item_id;
  key += location_id;
}

}  // namespace

struct SnapshotWriter::Helper {
  explicit Helper(db::Db& db) : producer{db, std::nullopt, {}} {}
  Producer producer;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> ready;   // parts in range order; an empty one ends a range
  std::vector<std::string> spare;  // parts handed back by next(), to be filled again
  std::size_t ready_bytes = 0;
  bool stop = false;
  bool finished = false;  // no range is left for it
  std::exception_ptr error;
  std::thread thread;
};

SnapshotWriter::SnapshotWriter(db::Db& db, std::vector<std::string> scope, const std::vector<db::Db*>& helpers,
                               int items_a_range)
    : context_(feed_context(db)), scope_(std::move(scope)), items_a_range_(items_a_range), own_{db, std::nullopt, {}} {
  std::string key;
  for (const auto& [pair, date] : context_.backorder_dates) {
    pair_key(key, pair.first, pair.second);
    dates_.emplace(key, &date);
  }
  std::string threshold = json::serialize(json::quantity_value(context_.settings.low_stock_threshold));
  for (auto status : {AvailabilityStatus::in_stock, AvailabilityStatus::low_stock, AvailabilityStatus::out_of_stock,
                      AvailabilityStatus::backorder}) {
    auto& tail = status_tails_[static_cast<std::size_t>(status)];
    tail = fmt::format(R"(,"status":"{}","low_stock":{},"low_stock_threshold":{},"backorder_date":)", word(status),
                       status == AvailabilityStatus::low_stock ? "true" : "false", threshold);
    BR_ASSERT(tail.size() <= status_tail_bytes_max, "a status tail fits the line buffer");
  }
  if (helpers.empty()) return;
  starts_complete_ = false;
  for (db::Db* helper : helpers) helpers_.push_back(std::make_unique<Helper>(*helper));
  try {
    for (std::size_t i = 0; i < helpers_.size(); ++i)
      helpers_[i]->thread = std::thread([this, i] { run_helper(*helpers_[i], i + 1); });
  } catch (...) {
    stop_helpers();
    throw;
  }
}

SnapshotWriter::~SnapshotWriter() { stop_helpers(); }

void SnapshotWriter::stop_helpers() {
  for (auto& helper : helpers_) {
    std::lock_guard lock(helper->mutex);
    helper->stop = true;
    helper->changed.notify_all();
  }
  for (auto& helper : helpers_)
    if (helper->thread.joinable()) helper->thread.join();
}

const std::string* SnapshotWriter::backorder_date(std::string& key, std::string_view item_id,
                                                  std::string_view location_id) const {
  if (dates_.empty()) return nullptr;
  pair_key(key, item_id, location_id);
  auto found = dates_.find(std::string_view(key));
  return found == dates_.end() ? nullptr : found->second;
}

bool SnapshotWriter::start_range(Producer& producer, std::size_t range) {
  std::string from, until;
  {
    std::lock_guard lock(starts_mutex_);
    while (!starts_complete_ && range_starts_.size() < range + 2) {
      auto start = stock::next_item_range_start(producer.db, range_starts_.back(), items_a_range_);
      if (start)
        range_starts_.push_back(std::move(*start));
      else
        starts_complete_ = true;
    }
    if (range >= range_starts_.size()) return false;
    from = range_starts_[range];
    if (range + 1 < range_starts_.size()) until = range_starts_[range + 1];
  }
  producer.rows.reset();  // the statements are the same ones: the last range's use ends first
  producer.rows.emplace(producer.db, stock::StockLevelCursor::page_rows, std::move(from), std::move(until));
  return true;
}

bool SnapshotWriter::fill(Producer& producer, std::string& part, std::size_t bytes) const {
  stock::StockLevelView level;
  while (part.size() < bytes) {
    if (!producer.rows->next(level)) return false;
    if (!scope_.empty() && std::find(scope_.begin(), scope_.end(), level.location_id) == scope_.end()) continue;
    append_snapshot_line(part, level, backorder_date(producer.key, level.item_id, level.location_id), context_,
                         status_tails_);
  }
  return true;
}

// A helper's ranges are first_range, then every (1 + helpers) after it.
void SnapshotWriter::run_helper(Helper& helper, std::size_t first_range) {
  try {
    for (std::size_t range = first_range; start_range(helper.producer, range); range += 1 + helpers_.size()) {
      for (bool more = true; more;) {
        std::string part;
        {
          std::lock_guard lock(helper.mutex);
          if (!helper.spare.empty()) {
            part = std::move(helper.spare.back());
            helper.spare.pop_back();
          }
        }
        part.reserve(part_bytes + line_bytes_max);
        more = fill(helper.producer, part, part_bytes);
        std::unique_lock lock(helper.mutex);
        helper.changed.wait(lock, [&helper] { return helper.stop || helper.ready_bytes < helper_ahead_bytes; });
        if (helper.stop) return;
        if (!part.empty()) {
          helper.ready_bytes += part.size();
          helper.ready.push_back(std::move(part));
        }
        if (!more) helper.ready.emplace_back();
        helper.changed.notify_all();
      }
    }
    std::lock_guard lock(helper.mutex);
    helper.finished = true;
    helper.changed.notify_all();
  } catch (...) {
    std::lock_guard lock(helper.mutex);
    helper.error = std::current_exception();
    helper.changed.notify_all();
  }
}

bool SnapshotWriter::next(std::string& part, std::size_t bytes) {
  while (part.size() < bytes) {
    std::size_t producer = range_ % (1 + helpers_.size());
    if (producer == 0) {
      if (!own_started_) {
        if (!start_range(own_, range_)) return false;
        own_started_ = true;
      }
      if (fill(own_, part, bytes)) return true;
      own_started_ = false;
      ++range_;
      continue;
    }
    Helper& helper = *helpers_[producer - 1];
    std::unique_lock lock(helper.mutex);
    helper.changed.wait(lock, [&helper] { return !helper.ready.empty() || helper.error || helper.finished; });
    if (helper.ready.empty()) {
      if (helper.error) std::rethrow_exception(helper.error);
      return false;  // the helper has no range from this one on: there is none
    }
    if (helper.ready.front().empty()) {  // the end of its range
      helper.ready.pop_front();
      ++range_;
      continue;
    }
    if (!part.empty()) return true;  // a helper's part goes out as it was made, without a copy
    helper.ready_bytes -= helper.ready.front().size();
    part.swap(helper.ready.front());
    helper.spare.push_back(std::move(helper.ready.front()));
    helper.spare.back().clear();
    helper.ready.pop_front();
    helper.changed.notify_all();
    return true;
  }
  return true;
}

int announce_availability(db::Db& db) {
  std::int64_t cursor = settings::get_int64(db, event_cursor_key).value_or(0);
  auto context = feed_context(db);
  int announced = 0;
  for (;;) {
    auto changes = stock::availability_changes_after(db, cursor, announce_page_max);
    if (changes.empty()) break;
    for (const auto& c : changes)
      append_event(db, "availability.changed", c.item_id, json::serialize(availability_json(level_of(c), context)));
    announced += static_cast<int>(changes.size());
    cursor = changes.back().seq;
  }
  if (announced > 0) settings::put(db, event_cursor_key, std::to_string(cursor));
  return announced;
}

}  // namespace backroom::orders
