// Scan resolution with a large catalog, in process: the register's hot path without HTTP.
// Creates (once) a SQLite shop with BENCH_ITEMS items (default 100,000), each with a unit
// EAN-13 and a case GTIN-14, then resolves random codes through catalog::scan.
// `scan_bench --seed-only` just builds the database (scripts/bench.sh serves it over HTTP).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sys/resource.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "catalog/barcode.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "cli/shop.hpp"
#include "platform/ids.hpp"
#include "platform/problem.hpp"

namespace {

using namespace backroom;

std::string bench_db() {
  const char* path = std::getenv("BENCH_DB");
  return path ? path : "/tmp/backroom-bench-100k.db";
}

int bench_items() {
  const char* n = std::getenv("BENCH_ITEMS");
  return n ? std::atoi(n) : 100'000;
}

std::string unit_code(int i) {
  std::string body = fmt::format("400{:09}", 100'000 + i);
  return body + char('0' + catalog::gs1_check_digit(body));
}

// Builds the catalog straight through the store (no audit entries: this is a fixture).
void ensure_catalog() {
  std::string path = bench_db();
  if (std::filesystem::exists(path)) return;
  auto db = cli::open_shop(path);
  db::Transaction tx(*db);
  auto now_us = now().micros;
  for (int i = 0; i < bench_items(); ++i) {
    catalog::Item it;
    it.id = new_uuid_v7();
    it.sku = fmt::format("BENCH-{:06}", i);
    it.name = fmt::format("Bench item {} {}", i % 977, i);
    it.category = fmt::format("Category {}", i % 40);
    it.price = 100 + i % 5000;
    it.cost = 50 + i % 2500;
    it.created_at = it.updated_at = now_us;
    std::string code = unit_code(i);
    it.barcodes.push_back(catalog::ItemBarcode{code, catalog::to_gtin14(code), Quantity::units(1), "gtin"});
    std::string case_body = "1" + code.substr(0, 12);
    std::string case_code = case_body + char('0' + catalog::gs1_check_digit(case_body));
    it.barcodes.push_back(catalog::ItemBarcode{case_code, case_code, Quantity::units(12), "gtin"});
    catalog::store::insert_item(*db, it);
  }
  tx.commit();
  std::ofstream codes(path + ".codes");
  for (int i = 0; i < bench_items(); ++i) codes << unit_code(i) << "\n";
}

void BM_ScanResolve(benchmark::State& state) {
  ensure_catalog();
  auto& db = db::reader(bench_db());
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> pick(0, bench_items() - 1);
  std::vector<std::string> codes;
  for (int i = 0; i < 4096; ++i) codes.push_back(unit_code(pick(rng)));
  std::size_t n = 0;
  for (auto _ : state) {
    auto result = catalog::scan(db, codes[n++ & 4095]);
    benchmark::DoNotOptimize(result.item.price);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ScanResolve)->Unit(benchmark::kMicrosecond)->MinTime(2.0);

void BM_ClassifyOnly(benchmark::State& state) {
  std::vector<catalog::EmbeddedLayout> layouts = {{"21", 5, catalog::EmbeddedValue::price, 5, 2, false}};
  std::string code = unit_code(12345);
  for (auto _ : state) benchmark::DoNotOptimize(catalog::classify_code(code, layouts).key);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ClassifyOnly);

void BM_ScanUnknown(benchmark::State& state) {
  ensure_catalog();
  auto& db = db::reader(bench_db());
  std::string code = unit_code(bench_items() + 5);
  for (auto _ : state) {
    try {
      catalog::scan(db, code);
    } catch (const Problem& p) {
      benchmark::DoNotOptimize(p.status);
    }
  }
}
BENCHMARK(BM_ScanUnknown)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--seed-only") {
    ensure_catalog();
    std::cout << "catalog ready: " << bench_db() << std::endl;
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << fmt::format("peak RSS of the in-process benchmark: {:.1f} MiB", usage.ru_maxrss / 1024.0) << std::endl;
  return 0;
}
