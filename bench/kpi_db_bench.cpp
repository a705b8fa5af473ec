// The KPI report through the store at chain size (issue 18: "KPIs for 100,000 items x 52 weeks
// x 3 locations < 2 s"): kpi_bench.cpp times the pure maths over series already in memory;
// this one times what a request does — read the packed days (migration 39) and every
// balance from a SQLite file and fold them — beside the report as it was before the summary
// (the raw ledger's GROUP BY reads), whose totals it must equal.
//
// The shop: BACKROOM_KPI_ITEMS items (30,000 unless set) at 3 stores, 52 weeks plus the 27
// days that days of supply looks back. Each series sells on a day with probability 1/7
// (about one sale day a week, 1 to 3 units), is received 24 units every four weeks and loses
// a unit by adjustment on about one day in 97. A sale carries up to 20 lines of the same
// store and day. The ledger is written straight to the schema of version 38 (as
// counts_bench.cpp does) in one transaction, foreign keys off, the balances the sums of the
// movements; then migration 39 packs it, as it does for an upgraded shop (the writers keep
// it from then on; their cost is measured by ledger_bench / scripts/bench-sales.sh).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>
#include <algorithm>

#include "catalog/catalog_store.hpp"
#include "platform/db.hpp"
#include "platform/db_shared_snapshot.hpp"
#include "platform/ids.hpp"
#include "platform/schema.hpp"
#include "platform/types.hpp"
#include "reports/kpi.hpp"
#include "reports/reports.hpp"
#include "sales/sales.hpp"
#include "sales/sold_days.hpp"
#include "stock/kpi_days.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"

namespace {

using namespace backroom;

constexpr int sites_count = 3;
constexpr int weeks_count = 52;
constexpr std::int64_t day_us = 86'400'000'000;
constexpr int schema_before_summary = 38;  // the bench writes the raw ledger, then migration 39 packs it

int items_count() {
  const char* v = std::getenv("BACKROOM_KPI_ITEMS");
  return v ? std::atoi(v) : 30'000;  // 100,000 (the goal) seeds in about 7 minutes: keep it (BACKROOM_KPI_DB)
}

struct Shop {
  std::string path;
  std::unique_ptr<db::Db> db;
  std::vector<std::string> sites;
  reports::Day today = 0;
};

// BACKROOM_KPI_DB=<file> keeps the seeded shop in that file and uses it again on the next run
// (seeding 100,000 items takes many minutes); without it the file is a temporary one.
const char* kept_file() { return std::getenv("BACKROOM_KPI_DB"); }

Shop make_shop() {
  Shop s;
  const int n = items_count();
  const char* kept = kept_file();
  // A postgresql:// URI: a seeded shop copied there (`backroom copy`, which leaves the
  // bench's own table behind: the reports end today).
  const bool postgres = kept && std::string_view(kept).starts_with("postgres");
  if (kept && (postgres || std::filesystem::exists(kept))) {
    s.path = kept;
    s.db = db::Db::open(s.path, db::Mode::read_write);
    if (!postgres) s.db->exec("PRAGMA cache_size = -4000000");  // a migration of the kept shop (as seeding)
    schema::migrate(*s.db);
    if (!postgres) s.db->exec("PRAGMA cache_size = -16000");  // the product's (sqlite_db.cpp)
    s.today = reports::day_of(now());
    if (!postgres) {
      auto q = s.db->query("SELECT today FROM kpi_bench_shop");
      if (!q.step()) throw std::runtime_error("BACKROOM_KPI_DB names a file this bench did not seed");
      s.today = q.int64(0);
    }
    fmt::print(stderr, "using the shop seeded in {} (today = {})\n", s.path, reports::format_day(s.today));
    return s;
  }
  s.path = kept_file() ? std::string(kept_file()) : fmt::format("/tmp/backroom-kpi-db-bench-{}.db", ::getpid());
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(s.path + suffix);
  s.db = db::Db::open(s.path, db::Mode::read_write);
  schema::migrate(*s.db, schema_before_summary);
  s.db->exec("PRAGMA foreign_keys = OFF");
  // The ledger's indexes take random inserts (UUIDs); a cache that holds them saves most of
  // the seeding time. Only the seeding's connection; the reports run with the product's.
  s.db->exec("PRAGMA cache_size = -4000000");
  auto started = std::chrono::steady_clock::now();
  s.today = reports::day_of(now());
  const reports::Day first = s.today - 7 * weeks_count + 1 - 27;
  db::Transaction tx(*s.db);
  for (int i = 0; i < sites_count; ++i) {
    s.sites.push_back(new_uuid_v7());
    s.db->query("INSERT INTO locations (id, name, kind, sellable, created_at) VALUES (?, ?, 'store', 1, 0)")
        .bind(1, s.sites.back())
        .bind(2, fmt::format("Store {}", i + 1))
        .run();
  }
  // The register the sales name ('bench'): seeding runs with the foreign keys off, but
  // `backroom copy` into PostgreSQL checks them (the PostgreSQL figures copy this shop).
  s.db->query("INSERT INTO registers (id, location_id, created_at) VALUES ('bench', ?, 0)").bind(1, s.sites.front()).run();
  std::vector<std::string> items;
  std::vector<std::int64_t> on_hand(static_cast<std::size_t>(n) * sites_count, 0);
  for (int i = 0; i < n; ++i) {
    items.push_back(new_uuid_v7());
    s.db->query(
           "INSERT INTO items (id, sku, name, duplicate_key, category, cost, price, created_at, updated_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)")
        .bind(1, items.back())
        .bind(2, fmt::format("K-{}", i))
        .bind(3, fmt::format("KPI item {}", i))
        .bind(4, fmt::format("kpi item {}", i))
        .bind(5, fmt::format("category {}", i % 40))
        .bind(6, 50 + i % 2000)
        .bind(7, 75 + i % 2000 * 3 / 2)
        .run();
    for (int site = 0; site < sites_count; ++site)
      s.db->query(
             "INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq, account) VALUES (?, ?, 0, 0, 0, ?)")
          .bind(1, items.back())
          .bind(2, s.sites[static_cast<std::size_t>(site)])
          .bind(3, static_cast<std::int64_t>(i) * sites_count + site + 1)
          .run();
  }
  std::mt19937_64 rng(42);
  std::int64_t lines = 0, movements = 0, sales = 0;
  auto move = [&](std::int64_t account, int item, int site, std::int64_t quantity, const char* reason,
                  const char* document_type, const std::string& document_id, std::int64_t at) {
    s.db->query(
           "INSERT INTO stock_movements (account, item_id, location_id, quantity, reason, document_type, document_id, at, "
           "user, device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'bench', 'bench')")
        .bind(1, account)
        .bind(2, items[static_cast<std::size_t>(item)])
        .bind(3, s.sites[static_cast<std::size_t>(site)])
        .bind(4, quantity)
        .bind(5, reason)
        .bind(6, document_type)
        .bind(7, document_id)
        .bind(8, at)
        .run();
    on_hand[static_cast<std::size_t>(account - 1)] += quantity;
    ++movements;
  };
  for (reports::Day d = first; d <= s.today; ++d) {
    const std::int64_t at = reports::start_of(d).micros + 10LL * 3'600'000'000;
    for (int site = 0; site < sites_count; ++site) {
      std::string sale_id;
      int in_sale = 20;
      for (int i = 0; i < n; ++i) {
        const std::int64_t account = static_cast<std::int64_t>(i) * sites_count + site + 1;
        if ((d - first + i) % 28 == 0) move(account, i, site, 24'000, "receipt", "po_receipt", "bench-receipt", at);
        if (rng() % 97 == 0) move(account, i, site, -1000, "adjustment", "adjustment", "bench-adjustment", at);
        if (rng() % 7 != 0) continue;
        if (in_sale == 20) {
          sale_id = new_uuid_v7();
          s.db->query(
                 "INSERT INTO sales (id, receipt_number, location_id, register_id, status, training, subtotal, "
                 "discount_total, tax_total, total, tendered, change_due, tax_mode, request_hash, created_at, user) "
                 "VALUES (?, ?, ?, 'bench', 'completed', 0, 0, 0, 0, 0, 0, 0, 'exclusive', 'bench', ?, 'bench')")
              .bind(1, sale_id)
              .bind(2, sale_id)
              .bind(3, s.sites[static_cast<std::size_t>(site)])
              .bind(4, at)
              .run();
          in_sale = 0;
          ++sales;
        }
        const std::int64_t units = 1 + static_cast<std::int64_t>(rng() % 3);
        const std::int64_t price = 75 + i % 2000 * 3 / 2;
        s.db->query(
               "INSERT INTO sale_lines (id, sale_id, line_no, item_id, sku, name, quantity, unit_price, gross, "
               "line_discount, receipt_discount, tax_rate_bp, tax, total) VALUES (?, ?, ?, ?, '', '', ?, ?, ?, 0, 0, 0, 0, ?)")
            .bind(1, new_uuid_v7())
            .bind(2, sale_id)
            .bind(3, in_sale + 1)
            .bind(4, items[static_cast<std::size_t>(i)])
            .bind(5, units * 1000)
            .bind(6, price)
            .bind(7, units * price)
            .bind(8, units * price)
            .run();
        ++in_sale;
        ++lines;
        move(account, i, site, -units * 1000, "sale", "sale", sale_id, at);
      }
    }
  }
  for (std::size_t a = 0; a < on_hand.size(); ++a)
    s.db->query("UPDATE stock_balances SET on_hand = ? WHERE account = ?")
        .bind(1, on_hand[a])
        .bind(2, static_cast<std::int64_t>(a + 1))
        .run();
  s.db->exec("CREATE TABLE kpi_bench_shop (today INTEGER NOT NULL)");
  s.db->query("INSERT INTO kpi_bench_shop (today) VALUES (?)").bind(1, s.today).run();
  tx.commit();
  s.db->exec("PRAGMA foreign_keys = ON");
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  fmt::print(stderr, "seeded {} items x {} stores: {} movements, {} sales, {} sale lines in {:.0f} s\n", n, sites_count,
             movements, sales, lines, took.count());
  // The summary as an upgraded shop gets it: migration 39 packs the ledger just written.
  started = std::chrono::steady_clock::now();
  schema::migrate(*s.db);
  s.db->exec("ANALYZE");
  s.db->exec("PRAGMA cache_size = -16000");
  took = std::chrono::steady_clock::now() - started;
  auto count = [&](const char* sql) {
    auto q = s.db->query(sql);
    q.step();
    return q.int64(0);
  };
  fmt::print(stderr, "migration 39 packed {} stock months and {} sales months in {:.0f} s\n",
             count("SELECT COUNT(*) FROM stock_day_months"), count("SELECT COUNT(*) FROM sales_day_months"), took.count());
  return s;
}

std::unique_ptr<Shop>& the_shop() {
  static std::unique_ptr<Shop> s;
  return s;
}

Shop& shop() {
  auto& s = the_shop();
  if (!s) s = std::make_unique<Shop>(make_shop());
  return *s;
}

// What a prototype must reproduce of the report's totals.
void total_counters(benchmark::State& state, const reports::Totals& t) {
  state.counters["series"] = static_cast<double>(t.items);
  state.counters["sold"] = static_cast<double>(t.sold_milli / 1000);
  state.counters["oos_days"] = static_cast<double>(t.out_of_stock_item_days);
  state.counters["inv_cost_days"] = static_cast<double>(t.inventory_cost_days);
}

void report(benchmark::State& state, reports::Grouping grouping, std::optional<reports::MonthReading> reading_asked = {}) {
  auto& s = shop();
  reports::KpiQuery q{reports::Period{s.today - 7 * weeks_count + 1, s.today}, std::nullopt, grouping, std::nullopt,
                      std::nullopt};
  const auto reading = reading_asked ? *reading_asked
                       : state.range(1) ? reports::MonthReading::days_only
                                        : reports::MonthReading::totals_where_whole;
  for (auto _ : state) {
    db::SharedReaders readers(*s.db, s.path, static_cast<unsigned>(state.range(0)), true);  // as the API opens them
    auto r = reports::kpi_report(*s.db, q, readers.helpers(), reading);
    benchmark::DoNotOptimize(r);
    state.counters["rows"] = static_cast<double>(r.rows.size());
    total_counters(state, r.total);
    state.counters["net_sales"] = static_cast<double>(r.total.net_sales);
    state.counters["shrink_cost"] = static_cast<double>(r.total.shrink_cost);
  }
}

// Args: connections (threads), and 1 to read every month day by day (MonthReading::days_only,
// the reader before migration 52) instead of whole months from their totals.
void BM_KpiYearByCategoryDb(benchmark::State& state) { report(state, reports::Grouping::category); }
BENCHMARK(BM_KpiYearByCategoryDb)
    ->ArgsProduct({{1, 2}, {0, 1}})
    ->ArgNames({"threads", "days_only"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

// The items that need a month looked up set aside and read again (MonthReading::
// totals_items_aside): PostgreSQL's way (its default there), on either backend.
void BM_KpiYearByCategoryItemsAsideDb(benchmark::State& state) {
  report(state, reports::Grouping::category, reports::MonthReading::totals_items_aside);
}
BENCHMARK(BM_KpiYearByCategoryItemsAsideDb)
    ->ArgsProduct({{1, 2}})
    ->ArgNames({"threads"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_KpiYearByLocationDb(benchmark::State& state) { report(state, reports::Grouping::location); }
BENCHMARK(BM_KpiYearByLocationDb)
    ->ArgsProduct({{1, 2}, {0, 1}})
    ->ArgNames({"threads", "days_only"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

void BM_WeeklyKpisTwelveWeeksDb(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state) {
    db::SharedReaders readers(*s.db, s.path, static_cast<unsigned>(state.range(0)));
    auto weeks = reports::weekly_kpis(*s.db, s.today, 12, std::nullopt, readers.helpers());
    benchmark::DoNotOptimize(weeks);
  }
}
BENCHMARK(BM_WeeklyKpisTwelveWeeksDb)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

// Where the year's time goes: the three ledger reads alone, rows handed over, no folding.
reports::Day year_start(const Shop& s) { return s.today - 7 * weeks_count + 1 - 27; }

void BM_ReadBalancesBeforeDb(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state) state.counters["rows"] = static_cast<double>(stock::balances_before(*s.db, reports::start_of(year_start(s))).size());
}
BENCHMARK(BM_ReadBalancesBeforeDb)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ReadDailyMovementsDb(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state)
    state.counters["rows"] = static_cast<double>(
        stock::daily_movements(*s.db, reports::start_of(year_start(s)), reports::start_of(s.today + 1)).size());
}
BENCHMARK(BM_ReadDailyMovementsDb)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ReadDailyItemSalesDb(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state)
    state.counters["rows"] = static_cast<double>(
        sales::daily_item_sales(*s.db, reports::start_of(year_start(s)), reports::start_of(s.today + 1)).size());
}
BENCHMARK(BM_ReadDailyItemSalesDb)->Unit(benchmark::kMillisecond)->Iterations(1);

// The report as it was before the summary (the raw ledger's GROUP BY reads, text-keyed maps),
// kept here to time it beside the product and to prove at size that the summary gives the
// same totals (the counters of this and BM_KpiYearByCategoryDb must be equal).
std::optional<std::string> site_of(const std::map<std::string, stock::Location>& locations, const std::string& id) {
  auto it = locations.find(id);
  if (it == locations.end()) return std::nullopt;
  auto kind = stock::location_kinds.parse(it->second.kind);
  if (!kind) return std::nullopt;
  if (stock::is_site(*kind)) return id;
  if (stock::is_bin(*kind) && it->second.parent_id) return *it->second.parent_id;
  return std::nullopt;
}

reports::Totals ledger_report_before(db::Db& db, reports::Period period) {
  const reports::Day load_from = std::min(period.from, period.to - (reports::days_of_supply_window_days - 1));
  std::map<std::string, catalog::store::ReportItem> items;
  for (auto& item : catalog::store::report_items(db)) items.emplace(item.id, item);
  std::map<std::string, stock::Location> locations;
  for (auto& loc : stock::list_locations(db)) locations.emplace(loc.id, loc);
  std::map<std::pair<std::string, std::string>, reports::Series> series;
  std::map<std::pair<std::string, std::string>, std::map<reports::Day, reports::DayFigures>> days;
  auto get = [&](const std::string& item_id, const std::string& site_id) -> reports::Series* {
    auto item = items.find(item_id);
    if (item == items.end()) return nullptr;
    auto [it, fresh] = series.try_emplace({item_id, site_id});
    if (fresh) {
      it->second.item_id = item_id;
      it->second.site_id = site_id;
      it->second.category = item->second.category;
      it->second.stocked = item->second.stocked;
      it->second.cost = item->second.cost;
    }
    return &it->second;
  };
  auto figures = [&](const std::string& item_id, const std::string& site_id, reports::Day day) {
    auto& d = days[{item_id, site_id}][day];
    d.day = day;
    return &d;
  };
  for (const auto& b : stock::balances_before(db, reports::start_of(load_from))) {
    auto kind = locations.count(b.location_id) ? stock::location_kinds.parse(locations[b.location_id].kind) : std::nullopt;
    if (!kind || !stock::is_site(*kind)) continue;
    if (auto* s = get(b.item_id, b.location_id)) {
      s->active_before = true;
      s->opening_milli = b.on_hand.milli;
    }
  }
  for (const auto& m : stock::daily_movements(db, reports::start_of(load_from), reports::start_of(period.to + 1))) {
    auto site = site_of(locations, m.location_id);
    if (!site) continue;
    auto* s = get(m.item_id, *site);
    if (!s) continue;
    if (*site == m.location_id) figures(m.item_id, *site, m.day)->change_milli += m.decrease.milli + m.increase.milli;
    if ((m.document_type == "adjustment" || m.document_type == "count") && m.decrease.milli < 0)
      s->shrink.push_back(reports::ShrinkEntry{m.day, m.reason, -m.decrease.milli});
  }
  for (const auto& d : sales::daily_item_sales(db, reports::start_of(load_from), reports::start_of(period.to + 1))) {
    auto site = site_of(locations, d.location_id);
    if (!site || !get(d.item_id, *site)) continue;
    auto* f = figures(d.item_id, *site, d.day);
    f->sold_milli += d.units.milli;
    f->net_sales += d.net_value;
  }
  for (auto& [key, by_day] : days)
    for (auto& [day, f] : by_day) series.at(key).days.push_back(f);
  reports::KpiAccumulator acc(reports::Grouping::category, period);
  for (const auto& [key, s] : series) acc.add(s);
  return acc.total();
}

void BM_LedgerReportBeforeSummary(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state) {
    auto t = ledger_report_before(*s.db, reports::Period{s.today - 7 * weeks_count + 1, s.today});
    total_counters(state, t);
    state.counters["net_sales"] = static_cast<double>(t.net_sales);
    state.counters["shrink_cost"] = static_cast<double>(t.shrink_cost);
  }
}
BENCHMARK(BM_LedgerReportBeforeSummary)->Unit(benchmark::kMillisecond)->Iterations(1);

// Where the product's report time goes: each read it makes, rows handed over, no folding.
void BM_ReadCatalogItemsDb(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state) state.counters["rows"] = static_cast<double>(catalog::store::report_items(*s.db).size());
}
BENCHMARK(BM_ReadCatalogItemsDb)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ReadAccountBalancesDb(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state)
    state.counters["rows"] =
        static_cast<double>(stock::account_balances(*s.db, stock::month_of_day(year_start(s))).size());
}
BENCHMARK(BM_ReadAccountBalancesDb)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ReadStockMonthsDb(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state) {
    std::int64_t rows = 0, days = 0;
    const bool decode = state.range(0) != 0;
    stock::each_stock_month(*s.db, stock::month_of_day(year_start(s)), [&](std::int64_t, int, std::string_view text) {
      ++rows;
      if (decode) days += static_cast<std::int64_t>(stock::unpack_stock_days(text).size());
    });
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["days"] = static_cast<double>(days);
  }
}
BENCHMARK(BM_ReadStockMonthsDb)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ReadSoldMonthsDb(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state) {
    std::int64_t rows = 0, days = 0;
    const bool decode = state.range(0) != 0;
    sales::each_sold_month(*s.db, stock::month_of_day(year_start(s)),
                           [&](std::string_view, std::string_view, int, std::string_view text) {
                             ++rows;
                             if (decode) days += static_cast<std::int64_t>(stock::unpack_sold_days(text).size());
                           });
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["days"] = static_cast<double>(days);
  }
}
BENCHMARK(BM_ReadSoldMonthsDb)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

// The report's streams, each alone, rows stepped and not decoded (range(0): 0 the balances
// and their stock totals rows, 1 the stock months, 2 the sales months of the three stores
// (month by month), 3 their sales totals rows).
void BM_ReadReportStreamsDb(benchmark::State& state) {
  auto& s = shop();
  const int month = stock::month_of_day(year_start(s));
  std::vector<std::string> sites;
  for (const auto& l : stock::list_locations(*s.db))
    if (l.kind == "store") sites.push_back(l.id);
  for (auto _ : state) {
    std::int64_t rows = 0;
    if (state.range(0) == 0) {
      for (stock::ItemBalances c(*s.db, month, {}); c.valid(); c.next()) ++rows;
      for (stock::ItemStockTotals c(*s.db, {}); c.valid(); c.next()) ++rows;
    }
    if (state.range(0) == 1)  // every month's days (a report that takes none whole)
      for (stock::ItemStockMonths c(*s.db, 0, month, 999912, {}); c.valid(); c.next()) ++rows;
    if (state.range(0) == 2)
      for (const auto& site : sites)
        for (int m = month; m <= stock::month_of_day(s.today); m = m % 100 == 12 ? m + 89 : m + 1)
          for (sales::LocationSoldMonths c(*s.db, 0, site, m, {}); c.valid(); c.next()) ++rows;
    if (state.range(0) == 3)  // the sales totals rows (every month's totals of an item at a store in one)
      for (const auto& site : sites)
        for (sales::LocationSoldTotals c(*s.db, 0, site, {}); c.valid(); c.next()) ++rows;
    state.counters["rows"] = static_cast<double>(rows);
  }
}
BENCHMARK(BM_ReadReportStreamsDb)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond)->Iterations(1);

// `backroom check`'s proof of the summary at this size (each packed month against the
// ledger's GROUP BY): its cost, and that the migration's packing agrees (problems = 0).
void BM_CheckSummaryAgainstLedger(benchmark::State& state) {
  auto& s = shop();
  for (auto _ : state)
    state.counters["problems"] =
        static_cast<double>(stock::check_stock_days(*s.db).size() + sales::check_sold_days(*s.db).size());
}
BENCHMARK(BM_CheckSummaryAgainstLedger)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (auto& s = the_shop(); s && !kept_file()) {  // the file is several GB at 100,000 items
    std::string path = s->path;
    s.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  return 0;
}
