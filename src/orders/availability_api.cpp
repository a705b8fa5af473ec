// HTTP routes of the availability feed a web shop polls (orders/availability.hpp):
// ETag/If-None-Match → 304 on the change cursor, and the job that turns changes into
// `availability.changed` events at most once per BACKROOM_AVAILABILITY_EVENT_SECONDS
// (default 60) per item x store.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

#include "access/permissions.hpp"
#include "orders/availability.hpp"
#include "orders/orders_api.hpp"
#include "platform/db_shared_snapshot.hpp"
#include "platform/ids.hpp"
#include "platform/periodic.hpp"
#include "stock/stock.hpp"

namespace backroom::orders {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr std::int64_t event_seconds_default = 60;
// Threads reading one snapshot answer (each a connection of its own): BACKROOM_SNAPSHOT_THREADS,
// 2 unless set (db::read_threads). On two quiet cores two threads answer 100,000 items x 10
// stores in 120-145 ms against 210-240 ms for one, for about the same CPU; on a machine
// already busy the second finds no free core and costs 25-35 % more CPU (docs/performance.md,
// "A quiet quarter of an hour" and "The snapshot on two cores").
unsigned snapshot_producers() {
  static const unsigned n = db::read_threads("BACKROOM_SNAPSHOT_THREADS", 2);
  return n;
}

// Every value of a query parameter given repeated or comma-separated, as UUIDs (422 otherwise).
std::vector<std::string> uuid_list(const Request& req, std::string_view name, std::size_t max) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& [key, value] : req.query) {
    if (key != name) continue;
    std::size_t start = 0;
    while (start <= value.size()) {
      auto end = std::min(value.find(',', start), value.size());
      auto part = std::string_view(value).substr(start, end - start);
      start = end + 1;
      if (part.empty()) continue;
      auto id = normalize_uuid(part);
      if (!id) throw invalid_field(std::string(name), fmt::format("{} must be UUIDs (repeated or comma-separated)", name));
      if (seen.insert(*id).second) out.push_back(*id);
      if (out.size() > max) throw invalid_field(std::string(name), fmt::format("at most {} {} per call", max, name));
    }
  }
  return out;
}

std::string feed_etag(std::int64_t cursor) { return fmt::format("\"av{}\"", cursor); }

bool not_modified(const Request& req, const std::string& tag) {
  auto match = req.header("if-none-match");
  return match && (*match == tag || *match == "W/" + tag);
}

http::Response with_etag(http::Response r, const std::string& tag) {
  r.header("ETag", tag);
  r.header("Cache-Control", "no-cache");
  return r;
}

http::Response not_modified_response(const std::string& tag) {
  http::Response r;
  r.status = 304;
  r.content_type.clear();
  return with_etag(std::move(r), tag);
}

}  // namespace

void register_availability_routes(App& app) {
  auto announcer = std::make_shared<PeriodicWriterJob>(
      app.writer, "availability events",
      std::chrono::seconds(env_seconds("BACKROOM_AVAILABILITY_EVENT_SECONDS", event_seconds_default)),
      [](db::Db& db) { announce_availability(db); });
  auto& r = app.router;
  r.add("GET", "/api/v1/availability", std::string(permission::stock_read),
        "Availability of many items at stores (available, status, low stock, backorder date); ETag",
        [&app](Request& req, Reply reply) {
          auto items = uuid_list(req, "item_id", availability_items_max);
          if (items.empty()) throw missing_field("item_id");
          auto locations = uuid_list(req, "location_id", availability_locations_max);
          for (const auto& l : locations) stock::check_location_scope(req.actor, l);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          const auto& scope = req.actor.location_ids;
          if (locations.empty())
            for (const auto& l : stock::list_locations(db))
              if (l.sellable && (scope.empty() || std::find(scope.begin(), scope.end(), l.id) != scope.end()))
                locations.push_back(l.id);
          auto tag = feed_etag(stock::availability_cursor(db));
          if (not_modified(req, tag)) return reply(not_modified_response(tag));
          auto context = feed_context(db);
          bj::array rows;
          for (const auto& level : stock::stock_levels(db, items, locations)) rows.push_back(availability_json(level, context));
          reply(with_etag(http::json_response(200, bj::object{{"availability", std::move(rows)}}), tag));
        });
  r.add("GET", "/api/v1/availability/low-stock", std::string(permission::stock_read),
        "Items at or below the low-stock threshold (out of stock included), fewest available first; paged",
        [&app](Request& req, Reply reply) {
          auto locations = uuid_list(req, "location_id", 1);
          std::string location = locations.empty() ? std::string() : locations.front();
          if (!location.empty()) stock::check_location_scope(req.actor, location);
          // A caller limited to some stores names one: the list is never wider than its scope.
          else if (!req.actor.location_ids.empty()) throw missing_field("location_id");
          int limit = page_limit(req);
          auto offset = number_cursor(req, 0, 1);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto context = feed_context(db);
          Quantity at_most{context.settings.low_stock_threshold.milli + context.settings.safety_buffer.milli};
          // The cursor is the position after this page (the list is ordered, not keyed).
          reply(list_page(
              "items", stock::low_stock_levels(db, at_most, location, offset, limit), limit,
              [&context](const stock::LowStockRow& row) {
                auto doc = availability_json(row.level, context);
                doc["sku"] = row.sku;
                doc["name"] = row.name;
                return doc;
              },
              [next = offset + limit](const stock::LowStockRow&) { return std::to_string(next); }));
        });
  r.add("GET", "/api/v1/availability/changes", std::string(permission::stock_read),
        "Items whose availability changed after a cursor, each once (coalesced); ETag, 304 when nothing changed",
        [&app](Request& req, Reply reply) {
          auto cursor = number_cursor(req, 0, 0);
          int limit = page_limit(req);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto tag = feed_etag(stock::availability_cursor(db));
          if (not_modified(req, tag)) return reply(not_modified_response(tag));
          auto page = availability_changes(db, cursor, limit, req.actor.location_ids);
          reply(with_etag(http::json_response(200, bj::object{{"changes", std::move(page.changes)},
                                                              {"next_cursor", std::to_string(page.next_cursor)},
                                                              {"more", page.more}}),
                          tag));
        });
  r.add("GET", "/api/v1/availability/snapshot", std::string(permission::stock_read),
        "Every item at every store as NDJSON, one line each; X-Cursor is where to follow the changes from",
        [&app](Request& req, Reply reply) {
          // Its own connection and read snapshot, held while the answer is read and sent a part
          // at a time (this thread's reader serves other requests in between). On SQLite, one
          // more connection per further core, in a snapshot of the same state, reads every
          // other range of items on a thread of its own (SnapshotWriter); PostgreSQL reads on
          // one (docs/performance.md, "The snapshot on two cores").
          struct Stream {
            std::unique_ptr<db::Db> db;
            std::optional<db::SharedReaders> readers;
            std::optional<SnapshotWriter> writer;
          };
          auto s = std::make_shared<Stream>();
          s->db = db::Db::open(app.db_path, db::Mode::read_only);
          s->readers.emplace(*s->db, app.db_path, snapshot_producers());
          auto cursor = stock::availability_cursor(*s->db);
          s->writer.emplace(*s->db, req.actor.location_ids, s->readers->helpers());
          http::Response resp;
          resp.status = 200;
          resp.content_type = "application/x-ndjson";
          resp.stream = [s](std::string& part) { return s->writer->next(part); };
          resp.header("X-Cursor", std::to_string(cursor));
          reply(with_etag(std::move(resp), feed_etag(cursor)));
        });
  // Holds the announcer: it lives as long as the routes.
  r.add("POST", "/api/v1/availability/announce", std::string(permission::orders_manage),
        "Append availability.changed events now for what changed since the last announcement",
        [&app, announcer](Request& req, Reply reply) {
          app.command(req, std::move(reply), [](db::Db& db) {
            return http::json_response(200, bj::object{{"announced", announce_availability(db)}});
          });
        });
}

}  // namespace backroom::orders
