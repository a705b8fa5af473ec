#include "orders/availability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

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

// A quantity as the JSON number json::serialize writes for it (7, 1.25, -0.5).
void append_quantity(std::string& out, Quantity q) {
  if (q.milli % Quantity::scale == 0) {
    fmt::format_int digits(q.milli / Quantity::scale);
    out.append(digits.data(), digits.size());
  } else {
    out += format_quantity(q);
  }
}

// Ids and dates go into the line as they are; anything JSON would escape takes the slow path.
// (Without branches: it runs over two ids a line, a million lines a snapshot.)
bool plain(std::string_view text) {
  bool escape = false;
  for (char c : text) escape |= (c == '"') | (c == '\\') | (static_cast<unsigned char>(c) < 0x20);
  return !escape;
}

// One snapshot line written straight into `out`: the members of availability_json(), in its
// order, as json::serialize writes them. A snapshot is a million lines at chain size; building
// and serializing a JSON object for each took ten times longer (docs/performance.md).
void append_snapshot_line(std::string& out, const stock::StockLevelView& level, const std::string* date,
                          const FeedContext& context) {
  if (!plain(level.item_id) || !plain(level.location_id) || (date && !plain(*date))) {
    stock::StockLevel copy{std::string(level.item_id), std::string(level.location_id), level.on_hand, level.reserved};
    out += json::serialize(availability_json(copy, context));
    out += '\n';
    return;
  }
  Quantity free = available(level.on_hand, level.reserved, context.settings.safety_buffer);
  auto status = availability_status(free, context.settings.low_stock_threshold, date != nullptr);
  out += R"({"item_id":")";
  out += level.item_id;
  out += R"(","location_id":")";
  out += level.location_id;
  out += R"(","on_hand":)";
  append_quantity(out, level.on_hand);
  out += R"(,"held":)";
  append_quantity(out, level.reserved);
  out += R"(,"available":)";
  append_quantity(out, free);
  out += R"(,"status":")";
  out += word(status);
  out += R"(","low_stock":)";
  out += status == AvailabilityStatus::low_stock ? "true" : "false";
  out += R"(,"low_stock_threshold":)";
  append_quantity(out, context.settings.low_stock_threshold);
  out += R"(,"backorder_date":)";
  if (date) {
    out += '"';
    out += *date;
    out += '"';
  } else {
    out += "null";
  }
  out += "}\n";
}

}  // namespace

SnapshotWriter::SnapshotWriter(db::Db& db, std::vector<std::string> scope)
    : context_(feed_context(db)), scope_(std::move(scope)), rows_(db) {}

bool SnapshotWriter::next(std::string& part, std::size_t bytes) {
  stock::StockLevelView level;
  while (part.size() < bytes) {
    if (!rows_.next(level)) return false;
    if (!scope_.empty() && std::find(scope_.begin(), scope_.end(), level.location_id) == scope_.end()) continue;
    const std::string* date = nullptr;
    if (!context_.backorder_dates.empty()) {
      key_.first.assign(level.item_id);
      key_.second.assign(level.location_id);
      auto found = context_.backorder_dates.find(key_);
      if (found != context_.backorder_dates.end()) date = &found->second;
    }
    append_snapshot_line(part, level, date, context_);
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
