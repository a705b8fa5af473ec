// The NDJSON snapshot read a part at a time (orders::SnapshotWriter), as the server streams it:
// whatever the part size, the parts joined are the same answer, every part ends at the end of
// a line, and each line is the feed's row (availability_json) byte for byte; the balances
// under it are read in pages by key (stock::StockLevelCursor), any page size the same rows.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "orders/availability.hpp"
#include "platform/db_shared_snapshot.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/schema.hpp"
#include "stock/holds.hpp"
#include "stock/stock.hpp"

namespace backroom::orders {
namespace {

// `helpers`: read with them too (SnapshotWriter's ranges of `items_a_range` on threads of their own).
std::string read_all(db::Db& db, std::size_t bytes, const std::vector<std::string>& scope, std::size_t* parts = nullptr,
                     const std::vector<db::Db*>& helpers = {}, int items_a_range = SnapshotWriter::range_items) {
  db::SharedReadSnapshot snapshot(db, helpers);
  EXPECT_EQ(snapshot.shared(), !helpers.empty()) << "nothing writes: the snapshots are shared at once";
  SnapshotWriter writer(db, scope, helpers, items_a_range);
  std::string all;
  for (bool more = true; more;) {
    std::string part;
    more = writer.next(part, bytes);
    EXPECT_TRUE(part.empty() || part.back() == '\n') << "a part ends with a whole line";
    if (parts && !part.empty()) ++*parts;
    all += part;
  }
  return all;
}

TEST(AvailabilitySnapshot, PartsJoinToTheSameAnswerOfWholeLines) {
  auto path = std::filesystem::temp_directory_path() / fmt::format("availability_snapshot_test_{}.db", ::getpid());
  std::filesystem::remove(path);
  {
    auto db = db::Db::open(path.string(), db::Mode::read_write);
    schema::migrate(*db);
    std::vector<std::string> stores, stores_and_back;
    {
      db::Transaction tx(*db);
      stock::ensure_default_locations(*db);
      for (const auto& l : stock::list_locations(*db))
        if (l.sellable) stores.push_back(l.id);
      ASSERT_FALSE(stores.empty());
      // A location that is not sold from: its balances lie between the stores' in key order and
      // are skipped (also when one ends a page of the cursor, below).
      std::string back = new_uuid_v7();
      db->query("INSERT INTO locations (id, name, kind, sellable, created_at) VALUES (?, 'Snapshot warehouse', 'warehouse', 0, 0)")
          .bind(1, back)
          .run();
      stores_and_back = stores;
      stores_and_back.push_back(back);
      for (int i = 0; i < 40; ++i) {
        auto id = new_uuid_v7();
        db->query("INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES (?, ?, ?, ?, 100, 0, 0)")
            .bind(1, id)
            .bind(2, fmt::format("SN-{}", i))
            .bind(3, fmt::format("Snapshot item {}", i))
            .bind(4, fmt::format("snapshot item {}", i))
            .run();
        for (const auto& store : stores_and_back)
          db->query("INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq) VALUES (?, ?, ?, ?, 0)")
              .bind(1, id)
              .bind(2, store)
              .bind(3, std::int64_t{i} * 750)  // whole and fractional quantities
              .bind(4, std::int64_t{i % 3} * 1000)
              .run();
      }
      // Ids JSON must escape, the character at each place of an eight-byte word and in the
      // tail after the last whole word (the line writer checks ids a word at a time), and one
      // with UTF-8 that needs no escape.
      std::vector<std::string> odd_ids;
      for (std::size_t at : {0, 3, 7, 8, 13, 37})  // 38 bytes: four words and a tail of six
        for (char c : {'"', '\\', '\x01', '\x1f'}) {
          std::string id = fmt::format("odd-item-{:02}-{:02x}-{:023}", at, static_cast<int>(c), 0);
          id[at] = c;
          odd_ids.push_back(id);
        }
      odd_ids.push_back(fmt::format("odd-item-caf\xc3\xa9-{:023}", 0));
      for (std::size_t i = 0; i < odd_ids.size(); ++i) {
        db->query("INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES (?, ?, ?, ?, 100, 0, 0)")
            .bind(1, odd_ids[i])
            .bind(2, fmt::format("SN-ODD-{}", i))
            .bind(3, fmt::format("Odd snapshot item {}", i))
            .bind(4, fmt::format("odd snapshot item {}", i))
            .run();
        db->query("INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq) VALUES (?, ?, 1000, 0, 0)")
            .bind(1, odd_ids[i])
            .bind(2, stores.front())
            .run();
      }
      // Backorder dates (a purchase order sent to the first store for every item with an even
      // on hand), and thresholds that are not the defaults.
      db->exec(
          "INSERT INTO suppliers (id, name, name_key, created_at, updated_at) VALUES ('snapshot-supplier', 'S', 's', 0, 0)");
      db->query("INSERT INTO purchase_orders (id, number, supplier_id, location_id, status, expected_on, request_hash, "
                "created_at, created_by) VALUES ('snapshot-po', 1, 'snapshot-supplier', ?, 'sent', '2026-12-24', 'x', 0, 'test')")
          .bind(1, stores.front())
          .run();
      db->exec(
          "INSERT INTO purchase_order_lines (id, order_id, line_no, item_id, requested, quantity, case_pack, unit_cost) "
          "SELECT 'line-' || b.item_id, 'snapshot-po', row_number() OVER (), b.item_id, 1000, 1000, 1000, 100 "
          "FROM stock_balances b JOIN locations l ON l.id = b.location_id AND l.sellable = 1 "
          "GROUP BY b.item_id HAVING MIN(b.on_hand) % 2000 = 0");
      db->exec("INSERT OR REPLACE INTO settings (key, value) VALUES ('availability.safety_buffer', '500'), "
               "('availability.low_stock_threshold', '3500')");
      tx.commit();
    }
    auto whole = read_all(*db, std::size_t{1} << 30, {});
    std::size_t lines = static_cast<std::size_t>(std::count(whole.begin(), whole.end(), '\n'));
    EXPECT_EQ(lines, 40 * stores.size() + 25);
    EXPECT_NE(whole.find(R"("backorder_date":"2026-12-24")"), std::string::npos);
    EXPECT_NE(whole.find(R"("status":"low_stock")"), std::string::npos);
    EXPECT_NE(whole.find(R"({"item_id":"\"dd-item-00-22-)"), std::string::npos) << "an escaped id";
    // The cursor reads the balances in pages by key: any page size walks the same rows in the
    // same order.
    auto walk = [&db](int rows_a_page) {
      db::ReadSnapshot snapshot(*db);
      stock::StockLevelCursor cursor(*db, rows_a_page);
      std::vector<std::string> out;
      stock::StockLevelView v;
      while (cursor.next(v)) out.push_back(fmt::format("{} {} {} {}", v.item_id, v.location_id, v.on_hand.milli, v.reserved.milli));
      return out;
    };
    auto rows = walk(stock::StockLevelCursor::page_rows);
    EXPECT_EQ(rows.size(), 40 * stores.size() + 25);
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
    for (int n : {1, 2, 3, 7, static_cast<int>(stores_and_back.size()), 40}) EXPECT_EQ(walk(n), rows) << n;
    for (std::size_t bytes : {std::size_t{1}, std::size_t{100}, std::size_t{1000}, SnapshotWriter::part_bytes}) {
      std::size_t parts = 0;
      EXPECT_EQ(read_all(*db, bytes, {}, &parts), whole) << bytes;
      if (bytes == 1) {
        EXPECT_EQ(parts, lines) << "one line a part when a part is one byte";
      }
    }
    // Read on two and three threads, in ranges of a few items (and of more than there are):
    // the same answer.
    auto helper_a = db::Db::open(path.string(), db::Mode::read_only);
    auto helper_b = db::Db::open(path.string(), db::Mode::read_only);
    for (int items : {1, 3, 7, SnapshotWriter::range_items})
      for (std::size_t bytes : {std::size_t{1}, std::size_t{1000}, SnapshotWriter::part_bytes}) {
        EXPECT_EQ(read_all(*db, bytes, {}, nullptr, {helper_a.get()}, items), whole) << items << " " << bytes;
        EXPECT_EQ(read_all(*db, bytes, {}, nullptr, {helper_a.get(), helper_b.get()}, items), whole) << items << " " << bytes;
      }
    // A caller limited to one store: the same lines from two threads.
    EXPECT_EQ(read_all(*db, 1000, {stores.front()}, nullptr, {helper_a.get()}, 3), read_all(*db, 1000, {stores.front()}));
    // Each line is the feed's row, member for member and byte for byte.
    db::ReadSnapshot snapshot(*db);
    auto context = feed_context(*db);
    std::size_t start = 0, checked = 0;
    while (start < whole.size()) {
      auto end = whole.find('\n', start);
      auto line = whole.substr(start, end - start);
      auto doc = boost::json::parse(line).as_object();
      stock::StockLevel level{std::string(doc.at("item_id").as_string()), std::string(doc.at("location_id").as_string()), {}, {}};
      auto row = stock::stock_levels(*db, {level.item_id}, {level.location_id}).at(0);
      EXPECT_EQ(line, json::serialize(availability_json(row, context)));
      ++checked;
      start = end + 1;
    }
    EXPECT_EQ(checked, lines);
    // A caller limited to one store sees only that store's lines.
    auto one = read_all(*db, 1000, {stores.front()});
    EXPECT_EQ(static_cast<std::size_t>(std::count(one.begin(), one.end(), '\n')), 40u + 25);  // the odd items are there

  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

// The on hand of every line of `answer` (each line's "on_hand":N).
std::set<std::string> on_hands(const std::string& answer) {
  std::set<std::string> out;
  for (std::size_t at = answer.find(R"("on_hand":)"); at != std::string::npos; at = answer.find(R"("on_hand":)", at + 1)) {
    auto start = at + std::string_view(R"("on_hand":)").size();
    out.insert(answer.substr(start, answer.find(',', start) - start));
  }
  return out;
}

// A snapshot read on several connections reads one state: a write committed after the first
// connection's snapshot began and before a helper's must not show in the helper's ranges
// only. Every write here adds to every balance, so an answer mixing two states shows two
// different on hands.
TEST(AvailabilitySnapshot, EveryThreadReadsTheSameState) {
  auto path = std::filesystem::temp_directory_path() / fmt::format("availability_snapshot_state_test_{}.db", ::getpid());
  std::filesystem::remove(path);
  {
    auto db = db::Db::open(path.string(), db::Mode::read_write);
    schema::migrate(*db);
    std::size_t stores = 0;
    {
      db::Transaction tx(*db);
      stock::ensure_default_locations(*db);
      for (const auto& l : stock::list_locations(*db)) stores += l.sellable;
      for (int i = 0; i < 30; ++i) {
        auto id = new_uuid_v7();
        db->query("INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES (?, ?, ?, ?, 100, 0, 0)")
            .bind(1, id)
            .bind(2, fmt::format("ST-{}", i))
            .bind(3, fmt::format("State item {}", i))
            .bind(4, fmt::format("state item {}", i))
            .run();
        db->query("INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq) "
                  "SELECT ?, id, 1000, 0, 0 FROM locations")
            .bind(1, id)
            .run();
      }
      tx.commit();
    }
    int writes = 0;
    auto write = [&db, &writes] {
      ++writes;
      db::Transaction tx(*db);
      db->exec("UPDATE stock_balances SET on_hand = on_hand + 1000");
      tx.commit();
    };
    auto first = db::Db::open(path.string(), db::Mode::read_only);
    auto helper = db::Db::open(path.string(), db::Mode::read_only);
    auto read = [&](db::SharedReadSnapshot& snapshot) {
      SnapshotWriter writer(*first, {}, snapshot.shared() ? std::vector<db::Db*>{helper.get()} : std::vector<db::Db*>{}, 2);
      std::string all, part;
      for (bool more = true; more; part.clear()) {
        more = writer.next(part, 100);
        all += part;
      }
      EXPECT_EQ(static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n')), 30 * stores);
      return all;
    };
    {  // a write between the starts on the first try only: both begin again, after it
      db::SharedReadSnapshot snapshot(*first, {helper.get()}, [&] {
        if (writes == 0) write();
      });
      EXPECT_TRUE(snapshot.shared());
      EXPECT_EQ(on_hands(read(snapshot)), std::set<std::string>{"2"});
    }
    {  // a write between the starts at every try: read on the first connection alone
      db::SharedReadSnapshot snapshot(*first, {helper.get()}, write);
      EXPECT_FALSE(snapshot.shared());
      EXPECT_EQ(writes, 1 + db::SharedReadSnapshot::tries_max);
      EXPECT_EQ(on_hands(read(snapshot)), std::set<std::string>{std::to_string(writes)}) << "the first's state: before the last write";
    }
    {  // nothing written: shared at once, the last state
      db::SharedReadSnapshot snapshot(*first, {helper.get()});
      EXPECT_TRUE(snapshot.shared());
      EXPECT_EQ(on_hands(read(snapshot)), std::set<std::string>{std::to_string(writes + 1)});
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace
}  // namespace backroom::orders
