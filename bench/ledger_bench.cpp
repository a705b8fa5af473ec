// The bound for the sales writer: the rows of one 4-line sale (sale, 4 lines, a tender,
// 4 movements with their balance upserts and the KPI summary's days (migration 39, both
// halves, where the tree has it), the register counter, an audit entry and an event) written straight to SQLite on the real schema (WAL, synchronous=FULL), one
// transaction per sale and in batches of 16..512 sales per transaction. No HTTP, no JSON
// parsing, no pricing: what group commit over HTTP should approach.
// With BENCH_PG_URL=postgresql://... the same rows go to that PostgreSQL database through
// libpq (its public schema is dropped and re-created for each benchmark): the raw bound
// for the HTTP benchmark on PostgreSQL (scripts/bench-sales.sh with BENCH_BACKEND=postgres).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "access/audit.hpp"
#include "cli/shop.hpp"
#include "platform/ids.hpp"
#include "platform/outbox.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"
#if __has_include("sales/sold_days.hpp")
#include "sales/sold_days.hpp"
#endif

namespace {

using namespace backroom;

struct Shop {
  std::string path;
  std::unique_ptr<db::Db> db;
  std::string location;
  std::vector<std::string> items;
};

const char* pg_url() { return std::getenv("BENCH_PG_URL"); }

void remove_shop(Shop& s) {
  s.db.reset();
  if (pg_url()) return;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(s.path + suffix);
}

Shop make_shop() {
  Shop s;
  if (pg_url()) {
    s.path = pg_url();
    auto fresh = db::Db::open(s.path, db::Mode::read_write);
    fresh->exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  } else {
    s.path = fmt::format("/tmp/backroom-ledger-bench-{}.db", ::getpid());
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(s.path + suffix);
  }
  s.db = cli::open_shop(s.path);
  if (!pg_url() && std::getenv("BENCH_TEMP_STORE_FILE") == nullptr)
    s.db->exec("PRAGMA temp_store = MEMORY");  // as the writer
  s.location = stock::list_locations(*s.db).front().id;
  db::Transaction tx(*s.db);
  for (int i = 0; i < 4; ++i) {
    std::string id = new_uuid_v7();
    s.db->query(
           "INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES (?, ?, ?, ?, 1000, 0, 0)")
        .bind(1, id)
        .bind(2, fmt::format("BENCH-{}", i))
        .bind(3, fmt::format("Bench item {}", i))
        .bind(4, fmt::format("bench item {}", i))
        .run();
    s.items.push_back(id);
  }
  s.db->query("INSERT INTO registers (id, location_id, created_at) VALUES ('B1', ?, 0)").bind(1, s.location).run();
  // Stock to sell, as the HTTP benchmark does: a sale that drives stock negative also
  // writes a stock.negative event per line, which no real shop does on every sale.
  std::vector<stock::Movement> found;
  for (const auto& item : s.items)
    found.push_back(stock::Movement{item, s.location, Quantity::units(100'000'000), "found", "adjustment", new_uuid_v7(),
                                    std::nullopt});
  stock::post_movements(*s.db, found, stock::PostContext{"bench", "cli", stock::NegativeStock::allow});
  tx.commit();
  return s;
}

// The event carries the whole sale as the API answers it (about 1.9 KB for 4 lines).
const std::string& sale_payload() {
  static const std::string payload = [] {
    std::string lines;
    for (int i = 1; i <= 4; ++i)
      lines += fmt::format(
          R"({}{{"id":"{}","line_no":{},"item_id":"{}","sku":"GRC-0000{}","name":"Brightfield Pasta 250 g",)"
          R"("code":null,"quantity":1,"unit_price":1750,"gross":1750,"line_discount":0,"receipt_discount":0,)"
          R"("discount_reason":null,"tax_rate_bp":2100,"tax":304,"total":1750,"returned_quantity":0}})",
          i > 1 ? "," : "", new_uuid_v7(), i, new_uuid_v7(), i);
    return fmt::format(
        R"({{"id":"{}","receipt_number":"B1-000001","location_id":"{}","register_id":"B1","session_id":null,)"
        R"("exchange_id":null,"status":"completed","training":false,"price_tier":null,"subtotal":7000,)"
        R"("discount_total":0,"tax_total":1215,"total":7000,"tendered":10000,"change_due":3000,"tax_mode":"inclusive",)"
        R"("created_at":"2026-11-28T12:38:38.653878Z","user":"apikey:bench-sales","approver":null,"discount":null,)"
        R"("lines":[{}],"tenders":[{{"type":"cash","amount":10000,"reference":null}}],"void":null}})",
        new_uuid_v7(), new_uuid_v7(), lines);
  }();
  return payload;
}

void write_sale(Shop& s, const Actor& actor) {
  auto& db = *s.db;
  std::string sale_id = new_uuid_v7();
  std::int64_t number = 0;
  {
    db.query("UPDATE registers SET next_receipt = next_receipt + 1 WHERE id = 'B1'").run();
    auto q = db.query("SELECT next_receipt - 1 FROM registers WHERE id = 'B1'");
    q.step();
    number = q.int64(0);
  }
  db.query(
        "INSERT INTO sales (id, receipt_number, location_id, register_id, status, training, subtotal, discount_total, "
        "tax_total, total, tendered, change_due, tax_mode, request_hash, created_at, user) VALUES (?, ?, ?, 'B1', "
        "'completed', 0, 7000, 0, 1215, 7000, 10000, 3000, 'inclusive', 'h', ?, 'bench')")
      .bind(1, sale_id)
      .bind(2, fmt::format("B1-{:06}", number))
      .bind(3, s.location)
      .bind(4, now().micros)
      .run();
  std::vector<stock::Movement> moves;
  for (int i = 0; i < 4; ++i) {
    std::string line_id = new_uuid_v7();
    db.query(
          "INSERT INTO sale_lines (id, sale_id, line_no, item_id, sku, name, quantity, unit_price, gross, line_discount, "
          "receipt_discount, tax_rate_bp, tax, total) VALUES (?, ?, ?, ?, 'BENCH', 'Bench item', 1000, 1750, 1750, 0, 0, "
          "2100, 304, 1750)")
        .bind(1, line_id)
        .bind(2, sale_id)
        .bind(3, i + 1)
        .bind(4, s.items[static_cast<std::size_t>(i)])
        .run();
    moves.push_back(stock::Movement{s.items[static_cast<std::size_t>(i)], s.location, Quantity::units(-1), "sale", "sale",
                                    sale_id, line_id});
  }
  db.query("INSERT INTO sale_tenders (sale_id, seq, type, amount) VALUES (?, 1, 'cash', 10000)").bind(1, sale_id).run();
  stock::post_movements(db, moves, stock::PostContext{"bench", "B1", stock::NegativeStock::allow});
#if __has_include("sales/sold_days.hpp")
  // The KPI summary's sales half, as sales::store::insert_sale keeps it (migration 39).
  std::vector<sales::SoldDelta> sold;
  for (int i = 0; i < 4; ++i)
    sold.push_back(sales::SoldDelta{s.location, s.items[static_cast<std::size_t>(i)],
                                    stock::SoldDay{now().micros / 86400000000, 1000, 1750 - 304, 1}});
  sales::add_sold_days(db, sold);
#endif
  append_audit(db, actor, AuditEntry{"sale.create", "sale", sale_id, std::nullopt, R"({"total":7000,"lines":4})"});
  append_event(db, "sale.completed", sale_id, sale_payload());
}

void BM_OneTransactionPerSale(benchmark::State& state) {
  auto shop = make_shop();
  Actor actor = Actor::of("bench", "bench");
  for (auto _ : state) {
    db::Transaction tx(*shop.db);
    write_sale(shop, actor);
    tx.commit();
  }
  state.counters["sales/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  remove_shop(shop);
}
BENCHMARK(BM_OneTransactionPerSale)->UseRealTime()->MinTime(3.0);

// Each sale in its own SAVEPOINT inside a batch transaction, as the writer does.
void BM_BatchedSales(benchmark::State& state) {
  auto shop = make_shop();
  Actor actor = Actor::of("bench", "bench");
  const auto batch = state.range(0);
  std::int64_t in_batch = 0;
  shop.db->begin_write();
  for (auto _ : state) {
    shop.db->query("SAVEPOINT command").run();
    write_sale(shop, actor);
    shop.db->query("RELEASE command").run();
    if (++in_batch == batch) {
      shop.db->query("COMMIT").run();
      shop.db->begin_write();
      in_batch = 0;
    }
  }
  shop.db->exec("COMMIT");
  state.counters["sales/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  remove_shop(shop);
}
BENCHMARK(BM_BatchedSales)->Arg(16)->Arg(64)->Arg(256)->Arg(512)->UseRealTime()->MinTime(3.0);

}  // namespace

BENCHMARK_MAIN();
