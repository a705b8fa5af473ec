// db::IdFilter and the store reads that take a list of item ids: past IdFilter::whole_read_at
// ids they read without the list and keep the wanted rows themselves. Whichever way a read
// goes, it answers the rows of the ids asked for, no other (a real SQLite file).
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <set>

#include "catalog/catalog_store.hpp"
#include "catalog/price_changes.hpp"
#include "platform/id_filter.hpp"
#include "platform/ids.hpp"
#include "platform/schema.hpp"

namespace backroom {
namespace {

TEST(IdFilter, AShortListGoesIntoTheStatement) {
  std::vector<std::string> ids{"a", "b\"c"};
  db::IdFilter f(ids);
  EXPECT_FALSE(f.whole());
  EXPECT_EQ(boost::json::parse(f.json()), boost::json::parse(R"(["a","b\"c"])"));
  EXPECT_TRUE(f.wants("a"));
  EXPECT_TRUE(f.wants("z")) << "the statement filters: every row it answers is wanted";
}

TEST(IdFilter, ALongListReadsWholeAndKeepsTheWantedRows) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i <= db::IdFilter::whole_read_at; ++i) ids.push_back(fmt::format("id-{}", i));
  db::IdFilter f(ids);
  EXPECT_TRUE(f.whole());
  EXPECT_TRUE(f.json().empty());
  EXPECT_TRUE(f.wants("id-0"));
  EXPECT_TRUE(f.wants(fmt::format("id-{}", db::IdFilter::whole_read_at)));
  EXPECT_FALSE(f.wants("id-x"));
  ids.pop_back();
  EXPECT_FALSE(db::IdFilter(ids).whole()) << "exactly whole_read_at ids still go into the statement";
}

struct Shop {
  std::filesystem::path path = std::filesystem::temp_directory_path() / fmt::format("id_filter_test_{}.db", ::getpid());
  std::unique_ptr<db::Db> db;
  std::vector<std::string> items;  // in insertion order
  std::int64_t at = now().micros;

  explicit Shop(int count) {
    std::filesystem::remove(path);
    db = db::Db::open(path.string(), db::Mode::read_write);
    schema::migrate(*db);
    db::Transaction tx(*db);
    for (int i = 0; i < count; ++i) {
      catalog::Item it;
      it.id = new_uuid_v7();
      it.sku = fmt::format("IDF-{:05}", i);
      it.name = fmt::format("Item {}", i);
      it.category = i % 2 ? "odd" : "even";
      it.price = 100 + i;
      it.created_at = it.updated_at = at;
      catalog::store::insert_item(*db, it);
      items.push_back(it.id);
      // Every third item has a price change waiting and a promotion running.
      if (i % 3 == 0) {
        catalog::PriceChange waiting;
        waiting.id = new_uuid_v7();
        waiting.item_id = it.id;
        waiting.price = 90;
        waiting.effective_at = at + 86'400'000'000;
        waiting.status = "approved";
        waiting.requested_by = "test";
        waiting.requested_at = at;
        catalog::store::insert_price_change(*db, waiting);
        auto running = waiting;
        running.id = new_uuid_v7();
        running.status = "applied";
        running.promotion = true;
        running.old_price = it.price;
        running.effective_at = at - 86'400'000'000;
        running.applied_at = at - 86'400'000'000;
        catalog::store::insert_price_change(*db, running);
        catalog::store::update_price_change(*db, running);  // the insert leaves applied_at for the update
      }
    }
    tx.commit();
  }
  ~Shop() {
    db.reset();
    std::filesystem::remove(path);
  }
};

// The rows each read answers, as "what:item" strings.
std::set<std::string> read_all(db::Db& db, const std::vector<std::string>& ids, std::int64_t at) {
  std::set<std::string> out;
  for (const auto& [id, f] : catalog::store::planning_facts(db, ids)) out.insert(fmt::format("facts:{}:{}", id, f.name));
  for (const auto& [id, h] : catalog::store::item_heads(db, ids)) out.insert(fmt::format("head:{}:{}", id, h.sku));
  for (const auto& [id, p] : catalog::store::regular_prices(db, ids)) out.insert(fmt::format("price:{}:{}", id, p.value_or(-1)));
  for (const auto& c : catalog::store::scheduled_price_changes(db, ids)) out.insert("scheduled:" + c.item_id);
  for (const auto& c : catalog::store::promotions_in_force(db, ids, at, at + 1)) out.insert("promotion:" + c.item_id);
  for (const auto& c : catalog::store::applied_price_changes_after(db, ids, at - 2 * 86'400'000'000))
    out.insert("applied:" + c.item_id);
  return out;
}

TEST(IdFilter, TheStoreReadsAnswerTheSameRowsEitherWay) {
  const int count = static_cast<int>(db::IdFilter::whole_read_at) + 600;
  Shop shop(count);
  // Long: all but the last 500 items, and an id no item has.
  std::vector<std::string> many(shop.items.begin(), shop.items.end() - 500);
  many.push_back("no-such-item");
  ASSERT_TRUE(db::IdFilter(many).whole());
  auto whole = read_all(*shop.db, many, shop.at);
  // The same ids asked in short lists go into the statements; their answers together are the
  // long list's answer.
  std::set<std::string> listed;
  for (std::size_t at = 0; at < many.size(); at += 700) {
    std::vector<std::string> part(many.begin() + at, many.begin() + std::min(many.size(), at + 700));
    ASSERT_FALSE(db::IdFilter(part).whole());
    listed.merge(read_all(*shop.db, part, shop.at));
  }
  EXPECT_EQ(whole, listed);
  // And it is what the shop holds for those ids: 6 rows a third item, 3 for the others.
  std::size_t expected = 0;
  for (int i = 0; i < count - 500; ++i) expected += i % 3 == 0 ? 6 : 3;
  EXPECT_EQ(whole.size(), expected);
  std::set<std::string> outside;
  for (const auto& row : whole)
    for (auto it = shop.items.end() - 500; it != shop.items.end(); ++it)
      if (row.find(*it) != std::string::npos) outside.insert(row);
  EXPECT_TRUE(outside.empty()) << "a row of an item not asked for: " << *outside.begin();
}

}  // namespace
}  // namespace backroom
