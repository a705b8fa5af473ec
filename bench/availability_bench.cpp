// The availability feed (issue 20, docs/orders.md) on SQLite, in process: the goals are a
// delta of 1,000 changes in under 5 ms and the NDJSON snapshot of 100,000 items x 10 stores
// in under 200 ms. The shop: 100,000 items with a balance at each of 10 sellable stores,
// written straight to the real schema; the changes are noted the way holds note them
// (stock::note_availability_change: the balance's numbers read into the change row). The
// feed is read as an integrator reads it over HTTP: pages of at most 500 (page_limit_max),
// so 1,000 changes are two pages. Not here: the
// HTTP layer, and hold + release under concurrent clients (integration.orders races 20
// register sales against 20 online payments on both backends and checks nothing oversells).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cli/shop.hpp"
#include "orders/availability.hpp"
#include "platform/db_shared_snapshot.hpp"
#include "platform/ids.hpp"
#include "stock/holds.hpp"
#include "stock/stock.hpp"

namespace {

using namespace backroom;

constexpr int items_total = 100'000;
constexpr int stores_total = 10;
constexpr int page_max = 500;

struct Shop {
  std::string path;
  std::unique_ptr<db::Db> db;
  std::vector<std::string> items;
  std::vector<std::string> stores;
};

Shop& shop() {
  static Shop s = [] {
    Shop s;
    // AVAILABILITY_BENCH_DB=path keeps the shop there (to serve it and time the snapshot over HTTP).
    const char* keep = std::getenv("AVAILABILITY_BENCH_DB");
    s.path = keep && *keep ? keep : fmt::format("/tmp/backroom-availability-bench-{}.db", ::getpid());
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(s.path + suffix);
    s.db = cli::open_shop(s.path);
    for (const auto& l : stock::list_locations(*s.db))
      if (l.sellable) s.stores.push_back(l.id);
    db::Transaction tx(*s.db);
    for (int i = static_cast<int>(s.stores.size()); i < stores_total; ++i) {
      std::string id = new_uuid_v7();
      s.db->query("INSERT INTO locations (id, name, kind, sellable, created_at) VALUES (?, ?, 'store', 1, 0)")
          .bind(1, id)
          .bind(2, fmt::format("Bench store {}", i))
          .run();
      s.stores.push_back(id);
    }
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<int> units(0, 40);
    for (int i = 0; i < items_total; ++i) {
      std::string id = new_uuid_v7();
      s.db->query("INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)")
          .bind(1, id)
          .bind(2, fmt::format("AV-{}", i))
          .bind(3, fmt::format("Availability item {}", i))
          .bind(4, fmt::format("availability item {}", i))
          .bind(5, 100 + i % 900)
          .run();
      for (const auto& store : s.stores)
        s.db->query("INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq) VALUES (?, ?, ?, 0, 0)")
            .bind(1, id)
            .bind(2, store)
            .bind(3, std::int64_t{units(rng)} * 1000)
            .run();
      s.items.push_back(std::move(id));
    }
    tx.commit();
    return s;
  }();
  return s;
}

void BM_ChangeFeed1000(benchmark::State& state) {
  auto& s = shop();
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<std::size_t> item(0, s.items.size() - 1), store(0, s.stores.size() - 1);
  std::size_t changes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto cursor = stock::availability_cursor(*s.db);
    {
      db::Transaction tx(*s.db);
      for (int i = 0; i < 1000; ++i) stock::note_availability_change(*s.db, s.items[item(rng)], s.stores[store(rng)]);
      tx.commit();
    }
    state.ResumeTiming();
    db::ReadSnapshot snapshot(*s.db);
    for (;;) {
      auto page = orders::availability_changes(*s.db, cursor, page_max, {});
      changes += page.changes.size();
      benchmark::DoNotOptimize(page);
      if (page.changes.empty() || page.next_cursor == cursor) break;
      cursor = page.next_cursor;
    }
  }
  state.counters["changes_read"] = benchmark::Counter(static_cast<double>(changes) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_ChangeFeed1000)->Unit(benchmark::kMillisecond)->Iterations(20);

// Every byte of the answer, produced the way the server produces it for the HTTP answer: a
// part at a time (SnapshotWriter::part_bytes), each part then handed on (here: counted and
// dropped; the server writes it to the socket). The whole transfer over loopback is measured
// with curl against the release server (docs/performance.md). The argument is how many threads
// produce it: 1 on the bench's connection, 2 with a helper connection in a snapshot of the same
// state (db::SharedReadSnapshot; "shared" is the share of iterations where it was). The CPU
// column is the whole process's, so the second core's work is counted; "main_cpu_ms" is the
// CPU of the thread that hands the parts out (and reads every other range), an iteration.
void BM_Snapshot100kx10(benchmark::State& state) {
  auto& s = shop();
  std::vector<std::unique_ptr<db::Db>> helper_dbs;
  std::vector<db::Db*> helpers;
  for (std::int64_t i = 1; i < state.range(0); ++i) {
    helper_dbs.push_back(db::Db::open(s.path, db::Mode::read_only));
    helpers.push_back(helper_dbs.back().get());
  }
  std::size_t bytes = 0, parts = 0, shared = 0;
  double main_cpu_ms = 0;
  auto thread_cpu_ms = [] {
    timespec t{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
  };
  for (auto _ : state) {
    double started_ms = thread_cpu_ms();
    db::SharedReadSnapshot snapshot(*s.db, helpers);
    shared += snapshot.shared();
    orders::SnapshotWriter writer(*s.db, {}, snapshot.shared() ? helpers : std::vector<db::Db*>{});
    std::string part;
    part.reserve(orders::SnapshotWriter::part_bytes + 4096);
    bytes = parts = 0;
    for (bool more = true; more;) {
      part.clear();
      more = writer.next(part);
      bytes += part.size();
      parts += !part.empty();  // not lines: counting newlines over 225 MB took a seventh of the time
      benchmark::DoNotOptimize(part.data());
      benchmark::ClobberMemory();
    }
    main_cpu_ms += thread_cpu_ms() - started_ms;
  }
  state.counters["main_cpu_ms"] = main_cpu_ms / static_cast<double>(state.iterations());
  state.counters["rows"] = static_cast<double>(items_total * stores_total);
  state.counters["parts"] = static_cast<double>(parts);
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["shared"] = static_cast<double>(shared) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Snapshot100kx10)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->MeasureProcessCPUTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  auto& s = shop();
  s.db.reset();
  if (const char* keep = std::getenv("AVAILABILITY_BENCH_DB"); keep && *keep) return 0;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(s.path + suffix);
  return 0;
}
