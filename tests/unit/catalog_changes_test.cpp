// The change feed's pages (catalog/changes.hpp) over a real migrated SQLite database: a reader
// that reads on while `more` gets every change meant for it once, in order, whatever the page
// size and however long the runs of changes meant for others; one page never looks at more
// than changes_scan_pages × limit rows.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "catalog/changes.hpp"
#include "platform/db.hpp"
#include "platform/schema.hpp"

namespace {

using namespace backroom;
namespace bj = boost::json;

// A feed of transfer changes T0..T(n-1) (entity `transfer`, another capability's: given to
// `other`), of which those whose `mine` bit is set are the reader's.
std::unique_ptr<db::Db> feed_of(const std::vector<bool>& mine) {
  auto db = db::Db::open(":memory:", db::Mode::read_write);
  schema::migrate(*db);
  db->exec("DELETE FROM catalog_changes");
  db::Transaction tx(*db);
  for (std::size_t i = 0; i < mine.size(); ++i) catalog::store::note_change(*db, "transfer", "T" + std::to_string(i));
  tx.commit();
  return db;
}

struct Reading {
  std::vector<std::string> keys;  // in the order read
  int pages = 0;
  int most_looked_at = 0;  // rows given to `other` by one page, at most
};

Reading read_all(db::Db& db, const std::vector<bool>& mine, int limit) {
  Reading r;
  std::int64_t cursor = 0;
  for (bool more = true; more;) {
    int looked = 0;
    auto page = catalog::changes_after(db, cursor, limit, [&](const catalog::store::CatalogChange& c) -> std::optional<bj::value> {
      ++looked;
      if (!mine.at(std::stoul(c.key.substr(1)))) return std::nullopt;
      return bj::value(c.key);
    });
    EXPECT_LE(static_cast<int>(page.changes.size()), limit);
    EXPECT_TRUE(page.next_cursor > cursor || !page.more) << "a page that says more moves the cursor";
    for (const auto& c : page.changes) r.keys.emplace_back(c.as_object().at("key").as_string());
    r.most_looked_at = std::max(r.most_looked_at, looked);
    cursor = page.next_cursor;
    more = page.more;
    if (++r.pages > 100000) break;
  }
  return r;
}

std::vector<std::string> expected(const std::vector<bool>& mine) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < mine.size(); ++i)
    if (mine[i]) out.push_back("T" + std::to_string(i));
  return out;
}

TEST(ChangeFeed, AReaderGetsEveryChangeMeantForItOnceInOrderWhateverThePageSize) {
  std::mt19937 rng(7);
  for (int round = 0; round < 4; ++round) {
    // Runs of the reader's and of others' changes, some far longer than a page.
    std::vector<bool> mine;
    while (mine.size() < 600) {
      bool m = rng() % 2;
      int run = static_cast<int>(rng() % (m ? 8 : 200)) + 1;
      mine.insert(mine.end(), run, m);
    }
    auto db = feed_of(mine);
    for (int limit : {1, 2, 3, 7, 50, 1000}) {
      auto r = read_all(*db, mine, limit);
      EXPECT_EQ(r.keys, expected(mine)) << "round " << round << ", limit " << limit;
      EXPECT_LE(r.most_looked_at, catalog::changes_scan_pages * limit + 1) << "limit " << limit;
    }
  }
}

TEST(ChangeFeed, APageIsFullWhenTheFeedHasEnoughNearby) {
  // 5 of the reader's, 30 of others', 5 of the reader's: a page of 10 reads past the 30.
  std::vector<bool> mine(40, false);
  for (int i = 0; i < 5; ++i) mine[i] = mine[35 + i] = true;
  auto db = feed_of(mine);
  auto page = catalog::changes_after(*db, 0, 10, [&](const catalog::store::CatalogChange& c) -> std::optional<bj::value> {
    if (!mine.at(std::stoul(c.key.substr(1)))) return std::nullopt;
    return bj::value(c.key);
  });
  ASSERT_EQ(page.changes.size(), 10u);
  EXPECT_FALSE(page.more);
  const auto t4 = std::stoll(std::string(page.changes[4].as_object().at("seq").as_string()));
  // After T4, a page of 2 in front of a run of 30 that are not the reader's stops after
  // looking at 20 rows, empty, with the cursor moved on.
  auto others = catalog::changes_after(*db, t4, 2, [&](const catalog::store::CatalogChange& c) -> std::optional<bj::value> {
    if (!mine.at(std::stoul(c.key.substr(1)))) return std::nullopt;
    return bj::value(c.key);
  });
  EXPECT_TRUE(others.changes.empty());
  EXPECT_TRUE(others.more);
  EXPECT_EQ(others.next_cursor, t4 + 20);
}

}  // namespace
