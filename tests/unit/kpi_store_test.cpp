// The KPI report's reader (reports_store.cpp: the packed months streamed site by site in
// item order, the items cut into ranges read on threads) against the reader it replaced,
// kept here as the oracle: one pass over each half in key order, series looked up by text in
// a hash map, day vectors sorted and merged at the end. Both fold the same pure maths
// (kpi.cpp), so on random shops every total of every group must be equal: sites with bins
// (a damaged bin's losses, sales rung up at a bin), a warehouse, the transit location, items
// sold with no stock account (kits), an item no longer in the catalog, months before the
// window and days after it, with one reading connection and with several.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "catalog/catalog_store.hpp"
#include "platform/db.hpp"
#include "platform/db_copy.hpp"
#include "platform/db_shared_snapshot.hpp"
#include "platform/ids.hpp"
#include "platform/schema.hpp"
#include "reports/kpi.hpp"
#include "reports/reports.hpp"
#include "sales/sold_days.hpp"
#include "stock/kpi_days.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"
#include "pg_cluster.hpp"

namespace {

using namespace backroom;
using namespace backroom::reports;

struct TempFile {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("backroom-kpi-store-test-" + std::to_string(::getpid()) + ".db"))
                         .string();
  TempFile() { remove(); }
  ~TempFile() { remove(); }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
};

// ----- the oracle: the reader as it was (git history: src/reports/reports_store.cpp before
// the streaming reader), unchanged but for its name.

struct Ledger {
  std::map<std::string, catalog::store::ReportItem> items;
  std::map<std::string, stock::Location> locations;
  std::vector<Series> series;  // one per (item, site), in no particular order
};

// The site a location's stock belongs to: a site itself, or a bin's parent; none for transit.
std::optional<std::string> site_of(const std::map<std::string, stock::Location>& locations, const std::string& id) {
  auto it = locations.find(id);
  if (it == locations.end()) return std::nullopt;
  auto kind = stock::location_kinds.parse(it->second.kind);
  if (!kind) return std::nullopt;
  if (stock::is_site(*kind)) return id;
  if (stock::is_bin(*kind) && it->second.parent_id) return *it->second.parent_id;
  return std::nullopt;
}

// Reads the KPI summary (stock/kpi_days.hpp, sales/sold_days.hpp; migration 39) for the days
// [load_from, to] (to's end included), and every account's balance once: the opening on hand
// of a series is its balance now less the changes the summary holds from load_from on, and
// it was active before the window when the summary holds a day of it before load_from. The
// same figures the raw ledger's GROUP BY gave (the integration tests' fixtures prove it).
Ledger oracle_ledger(db::Db& db, Day load_from, Day to, const std::optional<std::string>& only_site) {
  Ledger l;
  for (auto& item : catalog::store::report_items(db)) {
    auto id = item.id;
    l.items.emplace(std::move(id), std::move(item));
  }
  for (auto& loc : stock::list_locations(db)) {
    auto id = loc.id;
    l.locations.emplace(std::move(id), std::move(loc));
  }
  std::map<std::string, std::optional<std::string>> sites;  // location -> its site, once each
  auto site_for = [&](const std::string& location_id) -> const std::optional<std::string>& {
    auto it = sites.find(location_id);
    if (it == sites.end()) it = sites.emplace(location_id, site_of(l.locations, location_id)).first;
    return it->second;
  };
  // The series by item and site, looked up once per account and once per run of sales rows
  // of one item and location (the rows come in key order); -1: no series (not in the
  // catalog, or another site than the one asked for).
  std::unordered_map<std::string, std::ptrdiff_t> index;
  std::string key;
  auto series = [&](const std::string& item_id, const std::string& site_id) -> std::ptrdiff_t {
    if (only_site && *only_site != site_id) return -1;
    key.assign(item_id).append(1, '\n').append(site_id);
    auto found = index.find(key);
    if (found != index.end()) return found->second;
    auto item = l.items.find(item_id);
    if (item == l.items.end()) return -1;
    Series s;
    s.item_id = item_id;
    s.site_id = site_id;
    s.category = item->second.category;
    s.stocked = item->second.stocked;
    s.cost = item->second.cost;
    l.series.push_back(std::move(s));
    auto at = static_cast<std::ptrdiff_t>(l.series.size() - 1);
    index.emplace(key, at);
    return at;
  };
  // A series' day figures as read (each source in day order); sorted and merged at the end.
  std::vector<std::vector<DayFigures>> days;
  auto figures = [&](std::ptrdiff_t s) -> std::vector<DayFigures>& {
    if (days.size() < l.series.size()) days.resize(l.series.size());
    auto& v = days[static_cast<std::size_t>(s)];
    if (v.capacity() == 0) v.reserve(64);
    return v;
  };

  const int from_month = stock::month_of_day(load_from);
  auto balances = stock::account_balances(db, from_month);  // by account
  std::vector<std::int64_t> changed_since(balances.size(), 0);
  std::vector<char> moved_before(balances.size(), 0);
  std::vector<std::ptrdiff_t> series_of(balances.size(), -2);  // -2: not looked up yet
  for (std::size_t i = 0; i < balances.size(); ++i) moved_before[i] = balances[i].months_before ? 1 : 0;
  std::size_t at = 0;
  stock::each_stock_month(db, from_month, [&](std::int64_t account, int, std::string_view packed) {
    while (at < balances.size() && balances[at].account < account) ++at;
    if (at == balances.size() || balances[at].account != account) return;  // no balance: `backroom check` says so
    const auto& b = balances[at];
    const auto& site = site_for(b.location_id);
    for (const auto& d : stock::unpack_stock_days(packed)) {
      if (d.day < load_from) {
        moved_before[at] = 1;
        continue;
      }
      changed_since[at] += d.change_milli;
      if (d.day > to || !site) continue;
      if (series_of[at] == -2) series_of[at] = series(b.item_id, *site);
      auto s = series_of[at];
      if (s < 0) continue;
      if (*site == b.location_id) figures(s).push_back(DayFigures{d.day, d.change_milli, 0, 0});
      for (const auto& [reason, lost] : d.lost_milli)
        l.series[static_cast<std::size_t>(s)].shrink.push_back(ShrinkEntry{d.day, reason, lost});
    }
  });
  for (std::size_t i = 0; i < balances.size(); ++i) {
    if (!moved_before[i]) continue;
    const auto& b = balances[i];
    // Only a site's own stock is on hand for sale; bins (damaged, review...) are not.
    auto loc = l.locations.find(b.location_id);
    auto kind = loc != l.locations.end() ? stock::location_kinds.parse(loc->second.kind) : std::nullopt;
    if (!kind || !stock::is_site(*kind)) continue;
    auto s = series_of[i] == -2 ? series(b.item_id, b.location_id) : series_of[i];
    if (s < 0) continue;
    l.series[static_cast<std::size_t>(s)].active_before = true;
    l.series[static_cast<std::size_t>(s)].opening_milli = b.on_hand_milli - changed_since[i];
  }
  std::string location_id, item_id;
  std::ptrdiff_t run = -1;  // the series of the current run of rows (location_id, item_id)
  sales::each_sold_month(db, from_month, [&](std::string_view location, std::string_view item, int, std::string_view packed) {
    const bool same = location == location_id && item == item_id;
    if (!same) {
      location_id.assign(location);
      item_id.assign(item);
      run = -2;
    }
    const auto& site = site_for(location_id);
    if (!site) return;
    for (const auto& d : stock::unpack_sold_days(packed)) {
      if (d.day < load_from || d.day > to) continue;
      if (run == -2) run = series(item_id, *site);
      if (run < 0) return;
      figures(run).push_back(DayFigures{d.day, 0, d.sold_milli, d.net_sales});
    }
  });
  days.resize(l.series.size());
  for (std::size_t i = 0; i < l.series.size(); ++i) {
    auto& in = days[i];
    std::stable_sort(in.begin(), in.end(), [](const DayFigures& a, const DayFigures& b) { return a.day < b.day; });
    auto& out = l.series[i].days;
    out.reserve(in.size());
    for (const auto& f : in) {
      if (!out.empty() && out.back().day == f.day) {
        out.back().change_milli += f.change_milli;
        out.back().sold_milli += f.sold_milli;
        out.back().net_sales += f.net_sales;
      } else {
        out.push_back(f);
      }
    }
  }
  return l;
}

Totals oracle_totals(db::Db& db, Grouping grouping, Period period, const std::optional<std::string>& site,
                     std::map<std::string, Totals>* groups) {
  auto l = oracle_ledger(db, std::min(period.from, period.to - (days_of_supply_window_days - 1)), period.to, site);
  KpiAccumulator acc(grouping, period);
  for (const auto& s : l.series) acc.add(s);
  if (groups) *groups = acc.groups();
  return acc.total();
}

std::string describe(const Totals& t) {
  std::string reasons;
  for (const auto& [r, v] : t.shrink_by_reason) reasons += fmt::format("{}={} ", r, v);
  return fmt::format(
      "items {} (no cost {}) item_days {} oos {} sold {} end {} window {} net {} cogs {} inv {} days {} shrink {} [{}]",
      t.items, t.items_without_cost, t.item_days, t.out_of_stock_item_days, t.sold_milli, t.end_on_hand_milli,
      t.sold_window_milli, t.net_sales, t.cost_of_goods_sold, t.inventory_cost_days, t.period_days, t.shrink_cost,
      reasons);
}

// A random shop written straight to the summary's tables (as migration 39 leaves them).
struct RandomShop {
  TempFile file;
  std::unique_ptr<db::Db> db;
  std::vector<std::string> sites;
  Day today = 0;

  explicit RandomShop(std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto chance = [&rng](int in) { return rng() % static_cast<std::uint64_t>(in) == 0; };
    db = db::Db::open(file.path, db::Mode::read_write);
    schema::migrate(*db);
    db->exec("PRAGMA foreign_keys = OFF");
    today = day_of(now());
    db::Transaction tx(*db);
    auto location = [&](const std::string& kind, const std::optional<std::string>& parent) {
      auto id = new_uuid_v7();
      db->query("INSERT INTO locations (id, name, kind, parent_id, sellable, created_at) VALUES (?, ?, ?, ?, 1, 0)")
          .bind(1, id)
          .bind(2, kind + " " + id.substr(30))
          .bind(3, kind)
          .bind(4, parent)
          .run();
      return id;
    };
    std::string store1 = location("store", std::nullopt), store2 = location("store", std::nullopt);
    std::string warehouse = location("warehouse", std::nullopt);
    sites = {store1, store2, warehouse};
    const std::string transit = location("transit", std::nullopt);
    // A bin under the transit location (not a site): its losses and sales count for its parent,
    // as a bin's do; the parent's own stock and sales count nowhere.
    std::vector<std::string> places = {store1, store2, warehouse, location("damaged", store1),
                                       location("review", store2), location("markdown", store1),
                                       transit, location("damaged", transit)};
    std::vector<std::string> items;
    const int n = 25 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      items.push_back(new_uuid_v7());
      const char* status = chance(8) ? "discontinued" : "active";
      const char* kind = chance(9) ? "kit" : "standard";
      db->query(
             "INSERT INTO items (id, sku, name, duplicate_key, category, cost, price, created_at, updated_at, status, kind) "
             "VALUES (?, ?, ?, ?, ?, ?, 100, 0, 0, ?, ?)")
          .bind(1, items.back())
          .bind(2, fmt::format("R-{}", i))
          .bind(3, fmt::format("Random {}", i))
          .bind(4, fmt::format("random {}", i))
          .bind(5, fmt::format("category {}", i % 4))
          .bind(6, chance(6) ? std::optional<std::int64_t>() : std::optional<std::int64_t>(10 + rng() % 500))
          .bind(7, status)
          .bind(8, kind)
          .run();
    }
    const std::string gone = new_uuid_v7();  // sold once, no longer in the catalog
    const Day first = today - 420;
    auto day_in = [&](int month) {  // the days of `month` between first and today + 40
      std::vector<Day> out;
      for (Day d = first; d <= today + 40; ++d)
        if (stock::month_of_day(d) == month) out.push_back(d);
      return out;
    };
    std::set<int> month_set;
    for (Day d = first; d <= today + 40; ++d) month_set.insert(stock::month_of_day(d));
    std::vector<int> months(month_set.begin(), month_set.end());
    std::int64_t account = 0;
    const char* reasons[] = {"theft", "damage", "shrink", "count"};
    for (const auto& item : items)
      for (const auto& place : places) {
        if (!chance(2)) continue;
        std::int64_t on_hand = 0;
        ++account;
        const std::int64_t drift = chance(2) ? 3000 : 6000;  // half the accounts mostly hold stock
        std::optional<std::int64_t> first_month;  // the balance notes it (migration 53)
        for (int month : months) {
          if (!chance(3)) continue;
          std::vector<stock::StockDay> days;
          auto candidates = day_in(month);
          for (Day d : candidates) {
            if (!chance(6)) continue;
            stock::StockDay sd{d, static_cast<std::int64_t>(rng() % 9000) - drift, {}};
            if (chance(5)) sd.lost_milli[reasons[rng() % 4]] = 1 + static_cast<std::int64_t>(rng() % 3000);
            on_hand += sd.change_milli;
            days.push_back(std::move(sd));
          }
          if (days.empty()) continue;
          if (!first_month) first_month = month;
          // Most rows keep their totals (migration 52); some, as before it, do not.
          const bool totals = !chance(6);
          const auto t = stock::stock_month_totals(days);
          db->query(
                "INSERT INTO stock_day_months (account, month, days, net_change, low_change, day_weighted, losses) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)")
              .bind(1, account)
              .bind(2, month)
              .bind(3, stock::pack_stock_days(days))
              .bind(4, totals ? std::optional<std::int64_t>(t.change_milli) : std::nullopt)
              .bind(5, totals ? std::optional<std::int64_t>(t.low_milli) : std::nullopt)
              .bind(6, totals ? std::optional<std::int64_t>(t.day_weighted) : std::nullopt)
              .bind(7, totals ? std::optional<std::string>(stock::pack_losses(t.lost_milli)) : std::nullopt)
              .run();
        }
        db->query(
               "INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq, account, first_month) "
               "VALUES (?, ?, ?, 0, 0, ?, ?)")
            .bind(1, item)
            .bind(2, place)
            .bind(3, on_hand + (chance(4) ? static_cast<std::int64_t>(rng() % 5000) : 0))
            .bind(4, account)
            .bind(5, first_month)
            .run();
      }
    auto sold_rows = [&](const std::string& item, const std::string& place) {
      for (int month : months) {
        if (!chance(3)) continue;
        std::vector<stock::SoldDay> days;
        for (Day d : day_in(month))
          if (chance(5))
            days.push_back(stock::SoldDay{d, static_cast<std::int64_t>(rng() % 4000) - 500,
                                          static_cast<std::int64_t>(rng() % 9000) - 500, 1 + static_cast<std::int64_t>(rng() % 3)});
        if (days.empty()) continue;
        const bool totals = !chance(6);
        const auto t = stock::sold_month_totals(days);
        db->query("INSERT INTO sales_day_months (location_id, item_id, month, days, sold, net_sales) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(1, place)
            .bind(2, item)
            .bind(3, month)
            .bind(4, stock::pack_sold_days(days))
            .bind(5, totals ? std::optional<std::int64_t>(t.sold_milli) : std::nullopt)
            .bind(6, totals ? std::optional<std::int64_t>(t.net_sales) : std::nullopt)
            .run();
      }
    };
    for (const auto& item : items)
      for (const auto& place : places)
        if (chance(2)) sold_rows(item, place);
    sold_rows(gone, store1);
    // The totals rows (migration 57) as the writers keep them: one per account and per item
    // at a location, every month row's totals.
    stock::rebuild_stock_month_totals(*db);
    sales::rebuild_sold_month_totals(*db);
    tx.commit();
  }
};

void expect_equal(const Totals& got, const Totals& want, const std::string& what) {
  EXPECT_EQ(describe(got), describe(want)) << what;
}

// The report's total and every group of it against the oracle's.
void expect_report_equal(const KpiReport& got, const Totals& want, const std::map<std::string, Totals>& want_groups,
                         const std::string& what) {
  expect_equal(got.total, want, what + " total");
  EXPECT_EQ(got.rows.size(), want_groups.size()) << what;
  for (const auto& row : got.rows) {
    auto it = want_groups.find(row.key);
    if (it == want_groups.end()) {
      ADD_FAILURE() << what << ": a group the oracle does not have: " << row.key;
      continue;
    }
    expect_equal(row.totals, it->second, what + " group " + row.key);
  }
}

TEST(KpiStore, StreamedReaderEqualsTheOracleOnRandomShops) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    RandomShop shop(seed);
    std::vector<std::unique_ptr<db::Db>> owned;
    std::vector<db::Db*> helpers;
    for (int i = 0; i < 2; ++i) {
      owned.push_back(db::Db::open(shop.file.path, db::Mode::read_only));
      helpers.push_back(owned.back().get());
    }
    const std::vector<Period> periods = {{shop.today - 363, shop.today}, {shop.today - 6, shop.today},
                                         {shop.today - 60, shop.today - 31}, {shop.today - 400, shop.today - 390},
                                         {shop.today - 150, shop.today - 40}};
    std::vector<std::optional<std::string>> sites = {std::nullopt};
    sites.insert(sites.end(), shop.sites.begin(), shop.sites.end());
    for (const auto& period : periods)
      for (const auto& site : sites)
        for (auto grouping : {Grouping::category, Grouping::item, Grouping::location})
          for (std::size_t threads : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{4}}) {
            // The fourth: one connection, every month day by day (MonthReading::days_only); the
            // fifth: two, the items that need a month looked up set aside and read again
            // (MonthReading::totals_items_aside, PostgreSQL's way).
            const auto reading = threads == 3   ? MonthReading::days_only
                                 : threads == 4 ? MonthReading::totals_items_aside
                                                : MonthReading::totals_where_whole;
            const std::size_t n = threads % 3;
            std::string what = fmt::format("seed {} period {}..{} site {} group {} helpers {}{}", seed,
                                           format_day(period.from), format_day(period.to), site.value_or("all"),
                                           groupings.text(grouping), n,
                                           threads == 3 ? " days only" : threads == 4 ? " items aside" : "");
            std::map<std::string, Totals> want_groups;
            auto want = oracle_totals(*shop.db, grouping, period, site, &want_groups);
            auto got = kpi_report(*shop.db, KpiQuery{period, site, grouping, std::nullopt, std::nullopt},
                                  std::vector<db::Db*>(helpers.begin(), helpers.begin() + static_cast<std::ptrdiff_t>(n)),
                                  reading);
            expect_report_equal(got, want, want_groups, what);
            if (::testing::Test::HasFailure()) return;  // one case's failures, not a flood
          }
    // The weekly series: the series of the twelve weeks' window, each folded into every week
    // (as weekly_kpis always did: a series of week 12 counts, inactive, in week 1 too).
    const Period whole{shop.today - 83, shop.today};
    auto oracle = oracle_ledger(*shop.db, whole.from, whole.to, std::nullopt);  // 84 days hold the 28 days of supply
    for (std::size_t threads : {std::size_t{0}, std::size_t{2}}) {
      auto weeks = weekly_kpis(*shop.db, shop.today, 12, std::nullopt,
                               std::vector<db::Db*>(helpers.begin(), helpers.begin() + static_cast<std::ptrdiff_t>(threads)));
      ASSERT_EQ(weeks.size(), 12u);
      for (const auto& w : weeks) {
        Totals want;
        want.period_days = w.period.days();
        for (const auto& series : oracle.series) add_series(want, series, w.period);
        expect_equal(w.totals, want, fmt::format("seed {} week ending {} helpers {}", seed, format_day(w.period.to), threads));
      }
    }

    // The totals are what the year's report reads for its whole months: one figure of them
    // off, and only the report that reads them differs from the oracle.
    const Period year{shop.today - 363, shop.today};
    const auto want = oracle_totals(*shop.db, Grouping::category, year, std::nullopt, nullptr);
    auto year_report = [&](MonthReading reading) {
      return kpi_report(*shop.db, KpiQuery{year, std::nullopt, Grouping::category, std::nullopt, std::nullopt}, {}, reading)
          .total;
    };
    // (The totals rows made again from the month rows each time, as a writer would.)
    auto alter = [&](const std::string& sql) {
      db::Transaction tx(*shop.db);
      shop.db->exec(sql);
      stock::rebuild_stock_month_totals(*shop.db);
      sales::rebuild_sold_month_totals(*shop.db);
      tx.commit();
    };
    alter("UPDATE sales_day_months SET sold = sold + 1000 WHERE sold IS NOT NULL");
    EXPECT_NE(describe(year_report(MonthReading::totals_where_whole)), describe(want)) << "seed " << seed << ": sales totals unread";
    expect_equal(year_report(MonthReading::days_only), want, fmt::format("seed {} days only, sales totals off", seed));
    alter("UPDATE sales_day_months SET sold = sold - 1000 WHERE sold IS NOT NULL");
    alter("UPDATE stock_day_months SET day_weighted = day_weighted + 1000000 WHERE day_weighted IS NOT NULL");
    EXPECT_NE(describe(year_report(MonthReading::totals_where_whole)), describe(want)) << "seed " << seed << ": stock totals unread";
    expect_equal(year_report(MonthReading::days_only), want, fmt::format("seed {} days only, stock totals off", seed));
    alter("UPDATE stock_day_months SET day_weighted = day_weighted - 1000000 WHERE day_weighted IS NOT NULL");
    expect_equal(year_report(MonthReading::totals_where_whole), want, fmt::format("seed {} totals restored", seed));
  }
}

// The same random shops copied into a real PostgreSQL (ctest's unit_tests.pg, which names the
// cluster and fails when there is none; the plain unit run skips): the report's own way there
// sets the items that need a month looked up aside and reads them again through cursors that
// name them (an id list in each statement, = ANY), so every total must still be the oracle's.
TEST(KpiStoreOnPostgres, ItemsSetAsideEqualTheOracle) {
  BACKROOM_NEED_PG_CLUSTER(base);
  for (std::uint64_t seed = 1; seed <= 2; ++seed) {
    RandomShop shop(seed);
    test::PgScratchDb scratch(base, fmt::format("kpi_aside_{}", seed));
    {
      auto pg = db::Db::open(scratch.uri(), db::Mode::read_write);
      db::copy_database(*shop.db, *pg);
      const std::vector<Period> periods = {{shop.today - 363, shop.today},
                                           {shop.today - 150, shop.today - 40}};
      [&] {  // returns at a case's failures; the database is dropped after it all the same
        for (const auto& period : periods)
          for (auto grouping : {Grouping::category, Grouping::item})
            for (auto reading : {MonthReading::totals_where_whole, MonthReading::days_only}) {
              std::string what = fmt::format(
                  "seed {} period {}..{} group {}{} on PostgreSQL", seed, format_day(period.from),
                  format_day(period.to), groupings.text(grouping),
                  reading == MonthReading::days_only ? " days only" : "");
              std::map<std::string, Totals> want_groups;
              auto want = oracle_totals(*shop.db, grouping, period, std::nullopt, &want_groups);
              for (unsigned connections : {1u, 2u}) {  // two: the first's snapshot exported to the second
                db::SharedReaders readers(*pg, scratch.uri(), connections, true);
                ASSERT_EQ(readers.helpers().size(), connections - 1);
                auto got = kpi_report(
                    *pg, KpiQuery{period, std::nullopt, grouping, std::nullopt, std::nullopt}, readers.helpers(),
                    reading);
                expect_report_equal(got, want, want_groups, fmt::format("{}, {} connections", what, connections));
                if (::testing::Test::HasFailure()) return;
              }
            }
      }();
    }
  }
}

}  // namespace
