// Daily demand packed by month (migration 29, planning/planning_store.cpp) on a real SQLite
// file: what is written by day comes back by day. A day's imported and ledger figures are
// summed and their flags or-ed; an import replaces imported days only; a refresh replaces the
// ledger's days from its first day on, across months, and keeps the days before it; rows
// written before migration 29 come out of it unchanged. The integration suite runs the same
// paths on PostgreSQL (tests/integration/planning.test.mjs).
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "planning/history_csv.hpp"
#include "planning/planning_store.hpp"
#include "platform/schema.hpp"

namespace backroom::planning {
namespace {

using store::DemandRow;

struct Shop {
  std::string path = (std::filesystem::temp_directory_path() / fmt::format("demand_months_test_{}.db", ::getpid())).string();
  std::unique_ptr<db::Db> db;
  explicit Shop(int version = 0) {
    remove();
    db = db::Db::open(path, db::Mode::read_write);
    version ? schema::migrate(*db, version) : schema::migrate(*db);
    db->exec(
        "INSERT INTO locations (id, name, kind, sellable, created_at) VALUES ('L1', 'Shop', 'store', 1, 0), "
        "('L2', 'Other', 'store', 1, 0);"
        "INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES "
        "('I1', 'A', 'Apple', 'apple', 100, 0, 0), ('I2', 'B', 'Bread', 'bread', 250, 0, 0), "
        "('I3', 'C', 'Cheese', 'cheese', 900, 0, 0)");
  }
  ~Shop() {
    db.reset();
    remove();
  }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  void import(const std::vector<DemandRow>& rows) {
    db::Transaction tx(*db);
    store::put_import_days(*db, rows);
    tx.commit();
  }
  void refresh(const std::string& from, const std::vector<DemandRow>& rows) {
    db::Transaction tx(*db);
    store::replace_ledger_days(*db, from, rows);
    tx.commit();
  }
  // "item day units[c][p[share]]" per day, as each_item_demand_at yields them.
  std::vector<std::string> days(const std::string& location, const std::vector<std::string>& items,
                                const std::string& from = "2000-01-01") {
    std::vector<std::string> out;
    store::each_item_demand_at(*db, location, items, *parse_date(from),
                               [&](std::string_view item, std::span<const store::DemandDay> days) {
                                 EXPECT_FALSE(days.empty());
                                 for (const auto& d : days)
                                   out.push_back(fmt::format("{} {} {}{}{}{}", item, format_date(d.day), d.units,
                                                             d.censored ? "c" : "", d.promo ? "p" : "",
                                                             d.price_permille ? std::to_string(*d.price_permille) : ""));
                               });
    return out;
  }
  std::int64_t count(const std::string& sql) {
    auto q = db->query(sql);
    EXPECT_TRUE(q.step());
    return q.int64(0);
  }
};

DemandRow row(std::string item, std::string day, std::int64_t units, bool censored = false, bool promo = false,
              std::string location = "L1", std::optional<std::int64_t> price_permille = std::nullopt) {
  return DemandRow{std::move(location), std::move(item), std::move(day), units, censored, promo, price_permille};
}

using Days = std::vector<std::string>;

TEST(DemandMonths, ImportedAndLedgerFiguresOfADayAreSummedAndTheirFlagsEither) {
  Shop shop;
  shop.import({row("I2", "2026-03-31", 2000), row("I1", "2026-04-02", 1000, false, true),
               row("I1", "2026-03-30", 500), row("I1", "2026-04-01", 3000, true)});
  shop.refresh("2026-03-31", {row("I1", "2026-04-01", -1000, false, true), row("I1", "2026-03-31", 250, true),
                              row("I1", "2026-04-03", 4000), row("I2", "2026-03-31", 1000, false, false, "L2")});
  EXPECT_EQ(shop.days("L1", {}), (Days{"I1 2026-03-30 500", "I1 2026-03-31 250c", "I1 2026-04-01 2000cp",
                                       "I1 2026-04-02 1000p", "I1 2026-04-03 4000", "I2 2026-03-31 2000"}));
  EXPECT_EQ(shop.days("L1", {"I2", "I3"}), (Days{"I2 2026-03-31 2000"}));
  EXPECT_EQ(shop.days("L2", {}), (Days{"I2 2026-03-31 1000"}));
  // From a day within a month: the month's earlier days are left out.
  EXPECT_EQ(shop.days("L1", {"I1"}, "2026-04-02"), (Days{"I1 2026-04-02 1000p", "I1 2026-04-03 4000"}));
  // The same through demand_at, as rows.
  auto rows = store::demand_at(*shop.db, "L1", {"I1"}, "2026-04-01");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].day, "2026-04-01");
  EXPECT_EQ(rows[0].units, 2000);
  EXPECT_TRUE(rows[0].censored && rows[0].promo);
  // One row per location, item, month and source.
  EXPECT_EQ(shop.count("SELECT COUNT(*) FROM demand_months"), 6);
}

// A promotion day keeps the share of the regular price it sold at ("p750": 25 % off), packed
// after its flag, censored or not; a day without one reads as before. Of a day's two sources
// the one that knows the share gives it.
TEST(DemandMonths, APromotionDayKeepsItsPriceShare) {
  Shop shop;
  shop.import({row("I1", "2026-06-01", 1000, false, true, "L1", 750), row("I1", "2026-06-02", 2000, true, true, "L1", 900),
               row("I1", "2026-06-03", 500, false, true)});
  shop.refresh("2026-06-03", {row("I1", "2026-06-03", 500, false, true, "L1", 1000 - 375),
                              row("I1", "2026-06-04", 3000, true, true, "L1", 12)});
  EXPECT_EQ(shop.days("L1", {"I1"}), (Days{"I1 2026-06-01 1000p750", "I1 2026-06-02 2000cp900",
                                          "I1 2026-06-03 1000p625", "I1 2026-06-04 3000cp12"}));
  EXPECT_EQ(shop.count("SELECT COUNT(*) FROM demand_months WHERE days LIKE '%1:1000:p750;2:2000:cp900;3:500:p%'"), 1);
}

TEST(DemandMonths, AnImportReplacesImportedDaysAndLeavesTheLedgersAlone) {
  Shop shop;
  shop.import({row("I1", "2026-05-01", 1000), row("I1", "2026-05-02", 2000)});
  shop.refresh("2026-05-01", {row("I1", "2026-05-02", 500)});
  // Of two rows for one day the later wins, as two imports one after the other.
  shop.import({row("I1", "2026-05-02", 7000, true), row("I1", "2026-05-03", 1000), row("I1", "2026-05-03", 3000)});
  EXPECT_EQ(shop.days("L1", {"I1"}), (Days{"I1 2026-05-01 1000", "I1 2026-05-02 7500c", "I1 2026-05-03 3000"}));
}

TEST(DemandMonths, ARefreshReplacesTheLedgersDaysFromItsFirstDayOnAndKeepsTheDaysBefore) {
  Shop shop;
  shop.import({row("I1", "2026-07-20", 9000)});
  shop.refresh("2026-06-01", {row("I1", "2026-06-10", 1000), row("I1", "2026-07-05", 2000), row("I1", "2026-07-20", 3000),
                              row("I1", "2026-08-02", 4000), row("I2", "2026-07-21", 5000)});
  // From 15 July: June and 5 July stay, the rest is what the refresh says now.
  shop.refresh("2026-07-15", {row("I1", "2026-07-15", 100, true), row("I1", "2026-09-01", 200)});
  EXPECT_EQ(shop.days("L1", {}), (Days{"I1 2026-06-10 1000", "I1 2026-07-05 2000", "I1 2026-07-15 100c",
                                       "I1 2026-07-20 9000", "I1 2026-09-01 200"}));
  // I2's July and I1's August are gone, not left empty.
  EXPECT_EQ(shop.count("SELECT COUNT(*) FROM demand_months WHERE source = 'ledger'"), 3);
  // A refresh that changes nothing writes nothing back.
  auto before = shop.count("SELECT total_changes()");
  shop.refresh("2026-09-01", {row("I1", "2026-09-01", 200)});
  EXPECT_EQ(shop.count("SELECT total_changes()"), before);
  EXPECT_EQ(shop.days("L1", {"I1"}, "2026-09-01"), (Days{"I1 2026-09-01 200"}));
}

TEST(DemandMonths, ManyItemsAskedInAnyOrderComeBackOnceEachInItemOrder) {
  Shop shop;
  std::vector<std::string> ids;
  std::vector<DemandRow> rows;
  {
    db::Transaction tx(*shop.db);
    for (int i = 0; i < 2500; ++i) {  // more than one query's share of ids
      ids.push_back(fmt::format("M{:04}", i));
      shop.db->query("INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, 100, 0, 0)")
          .bind(1, ids.back())
          .bind(2, ids.back())
          .bind(3, ids.back())
          .bind(4, ids.back())
          .run();
      if (i % 3 != 0) rows.push_back(row(ids.back(), "2026-10-0" + std::to_string(1 + i % 9), i));
    }
    tx.commit();
  }
  shop.import(rows);
  std::vector<std::string> asked(ids.rbegin(), ids.rend());
  asked.push_back(ids[1]);
  std::vector<std::string> expected;
  for (const auto& r : rows) expected.push_back(fmt::format("{} {} {}", r.item_id, r.day, r.units));
  EXPECT_EQ(shop.days("L1", asked), expected);
}

TEST(DemandMonths, MigrationTwentyNinePacksTheDayRowsItFinds) {
  Shop shop(28);  // the version before
  shop.db->exec(
      "INSERT INTO demand_history (location_id, item_id, day, source, units, censored, promo) VALUES "
      "('L1', 'I1', '2026-01-31', 'import', 2000, 0, 0), ('L1', 'I1', '2026-02-01', 'import', 1000, 1, 0), "
      "('L1', 'I1', '2026-02-01', 'ledger', -500, 0, 1), ('L1', 'I1', '2026-02-28', 'ledger', 3000, 1, 1), "
      "('L1', 'I1', '2026-02-09', 'ledger', 0, 1, 0), ('L1', 'I2', '2026-02-10', 'import', 1500, 0, 0), "
      "('L2', 'I1', '2026-02-10', 'ledger', 7000, 0, 0)");
  schema::migrate(*shop.db);
  EXPECT_EQ(shop.days("L1", {}), (Days{"I1 2026-01-31 2000", "I1 2026-02-01 500cp", "I1 2026-02-09 0c",
                                       "I1 2026-02-28 3000cp", "I2 2026-02-10 1500"}));
  EXPECT_EQ(shop.days("L2", {}), (Days{"I1 2026-02-10 7000"}));
  EXPECT_EQ(shop.count("SELECT COUNT(*) FROM demand_months"), 5);
  EXPECT_EQ(shop.count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'demand_history'"), 0);
  // The converted rows take later writes as any other.
  shop.refresh("2026-02-10", {});
  EXPECT_EQ(shop.days("L1", {"I1"}, "2026-02-01"), (Days{"I1 2026-02-01 500cp", "I1 2026-02-09 0c"}));
}

}  // namespace
}  // namespace backroom::planning
