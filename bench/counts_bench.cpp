// ABC classes for 100,000 items (issue 18: under 1 s). Two figures: the pure classification
// (sort by consumption value, walk the cumulative share), and the whole recompute a shop runs
// weekly on SQLite — a year of sales summed per item (from the units sold per month that the
// ledger keeps beside its movements, stock/consumption.hpp), each item's cost, classify,
// replace the location's 100,000 class rows.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "counts/counts.hpp"
#include "counts/counts_store.hpp"
#include "platform/ids.hpp"
#include "platform/schema.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"

namespace {

using namespace backroom;

constexpr int items_total = 100'000;

std::vector<counts::ItemValue> random_values(int n) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> sold(3.0, 1.5);  // a long tail: few items sell a lot
  std::vector<counts::ItemValue> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto units = static_cast<std::int64_t>(sold(rng)) * 1000;
    out.push_back(counts::ItemValue{new_uuid_v7(), units, counts::consumption_value(units, 100 + i % 900)});
  }
  return out;
}

void BM_ClassifyPure(benchmark::State& state) {
  auto values = random_values(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto classes = counts::classify(values, counts::Cutoffs{}, {});
    benchmark::DoNotOptimize(classes);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ClassifyPure)->Arg(items_total)->Unit(benchmark::kMillisecond);

struct Shop {
  std::string path;
  std::unique_ptr<db::Db> db;
  std::string location;
};

// 100,000 items with costs, a balance and 52 weekly sale movements each at one store, written
// straight to the schema as it was before migration 27; then the shop is upgraded, so the
// months sold are built from those movements by migration 27's own backfill, and timed.
Shop make_shop(int n) {
  Shop s;
  s.path = fmt::format("/tmp/backroom-counts-bench-{}.db", ::getpid());
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(s.path + suffix);
  s.db = db::Db::open(s.path, db::Mode::read_write);
  schema::migrate(*s.db, 26);
  {
    db::Transaction tx(*s.db);
    stock::ensure_default_locations(*s.db);
    tx.commit();
  }
  s.location = stock::list_locations(*s.db).front().id;
  db::Transaction tx(*s.db);
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> weekly(0.5, 1.2);
  std::int64_t year_start = now().micros - std::int64_t{364} * 86'400'000'000;
  for (int i = 0; i < n; ++i) {
    std::string id = new_uuid_v7();
    s.db->query(
           "INSERT INTO items (id, sku, name, duplicate_key, cost, price, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)")
        .bind(1, id)
        .bind(2, fmt::format("ABC-{}", i))
        .bind(3, fmt::format("ABC item {}", i))
        .bind(4, fmt::format("abc item {}", i))
        .bind(5, 100 + i % 900)
        .bind(6, 300 + i % 900)
        .run();
    s.db->query("INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq, account) VALUES (?, ?, 0, 0, 0, ?)")
        .bind(1, id)
        .bind(2, s.location)
        .bind(3, i + 1)
        .run();
    for (int week = 0; week < 52; ++week) {
      auto units = static_cast<std::int64_t>(weekly(rng) * 1000);
      if (units == 0) continue;
      s.db->query(
             "INSERT INTO stock_movements (account, item_id, location_id, quantity, reason, document_type, document_id, at, "
             "user, device) VALUES (?, ?, ?, ?, 'sale', 'sale', 'bench', ?, 'bench', 'bench')")
          .bind(1, i + 1)
          .bind(2, id)
          .bind(3, s.location)
          .bind(4, -units)
          .bind(5, static_cast<std::int64_t>(year_start + week * 7LL * 86'400'000'000))
          .run();
    }
  }
  tx.commit();
  auto started = std::chrono::steady_clock::now();
  schema::migrate(*s.db);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  auto months = s.db->query("SELECT COUNT(*) FROM stock_sold_months");
  months.step();
  fmt::print(stderr, "migrations 27 to {} built {} month rows from the fixture's ledger in {:.2f} s\n",
             schema::latest_version(), months.int64(0), took.count());
  return s;
}

void BM_RecomputeClasses(benchmark::State& state) {
  auto shop = make_shop(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    db::Transaction tx(*shop.db);
    auto run = counts::recompute_classes(*shop.db, Actor::of("bench", "cli"), shop.location, now());
    benchmark::DoNotOptimize(run);
    tx.commit();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  shop.db.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(shop.path + suffix);
}
BENCHMARK(BM_RecomputeClasses)->Arg(items_total)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
