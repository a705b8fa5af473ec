// Replenishment through the store and the maths (issue 17): one supplier with BENCH_ITEMS
// items (100,000) at one store, BENCH_DAYS days (365) of daily demand history in SQLite,
// then suggest_for_supplier as the API runs it: the supplier's items, the items' facts, the
// demand rows, the stock position, then fit + policy + top-up + reason for every item. Prints
// the time of each phase; it does not pass or fail on time. The fixture is built once
// (BENCH_REPLENISHMENT_DB, default /tmp/backroom-replenishment-bench.db, or a postgresql:// URI
// of an empty database, where it is built when the database has no supplier) straight through
// the stores. Most items sell on few days (intermittent), as in a shop: a day without a row sold
// nothing (the ledger is followed from the first day of the history).
// On a PostgreSQL server on this machine it also prints the CPU time the connection's server
// process spent in the suggestion (from /proc; the two sides share the cores, so their sum
// is the figure that load on the machine does not inflate). BENCH_RUNS (3) sets the number of
// runs. BENCH_DUMP=FILE writes the last run's suggestions as the API answers them, then every
// item's forecast and quantity with all their digits: two builds (or two demand layouts) that
// fit the same history must write the same file.
// Kept fits (migration 46): unless the supplier's fits at the store were prepared today, the
// bench first runs the weekly preparation (planning::prepare, as POST /api/v1/planning/prepare,
// timed). Each run then times the suggestion both ways: fitted now on the history
// (FitFrom::history, the full recomputation) and from the kept fits (FitFrom::kept_when_fresh,
// what the API does). With BENCH_DUMP the kept run's dump goes to FILE and the recomputation's
// to FILE.live (the answer's `fits` count left out of both), and the bench says whether they
// are the same. BENCH_LIVE=0 leaves the recomputation out (to profile the other alone).
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "catalog/catalog_store.hpp"
#include "planning/demand_days.hpp"
#include "planning/history_csv.hpp"
#include "planning/planning_json.hpp"
#include "planning/planning_store.hpp"
#include "planning/replenishment.hpp"
#include "platform/ids.hpp"
#include "platform/schema.hpp"
#include "platform/settings.hpp"
#include "purchasing/supplier_store.hpp"
#include "stock/stock.hpp"

using namespace backroom;

namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : fallback;
}

std::string bench_db() {
  const char* path = std::getenv("BENCH_REPLENISHMENT_DB");
  return path ? path : "/tmp/backroom-replenishment-bench.db";
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Returns the supplier's id.
std::string ensure_fixture(int items, int days) {
  std::string path = bench_db();
  bool postgres = db::is_postgres_location(path);
  bool exists = !postgres && std::filesystem::exists(path);
  auto db = db::Db::open(path, db::Mode::read_write);
  schema::migrate(*db);
  purchasing::SupplierFilter f;
  if (postgres) exists = !purchasing::list_suppliers(*db, f).empty();
  if (exists) return purchasing::list_suppliers(*db, f).at(0).id;
  auto started = std::chrono::steady_clock::now();
  db::Transaction tx(*db);
  stock::ensure_default_locations(*db);
  auto now_us = now().micros;
  std::string store_id;
  for (const auto& l : stock::list_locations(*db))
    if (l.kind == "store") store_id = l.id;
  purchasing::Supplier supplier;
  supplier.id = new_uuid_v7();
  supplier.name = "Bench wholesale";
  supplier.lead_time_days = 3;
  supplier.lead_time_sd_days = Quantity{500};
  supplier.order_days = purchasing::OrderDays::from_text("mon,thu");
  supplier.min_order_value = 25000;
  supplier.created_at = supplier.updated_at = now_us;
  purchasing::insert_supplier(*db, supplier);
  planning::Day today = planning::day_of(now());
  std::mt19937 rng(11);
  std::vector<planning::store::DemandRow> rows;
  std::size_t written = 0;
  for (int i = 0; i < items; ++i) {
    catalog::Item it;
    it.id = new_uuid_v7();
    it.sku = fmt::format("REPL-{:06}", i);
    it.name = fmt::format("Replenishment item {}", i);
    it.category = fmt::format("Category {}", i % 40);
    it.price = 100 + i % 5000;
    it.cost = 50 + i % 2500;
    it.created_at = it.updated_at = now_us;
    catalog::store::insert_item(*db, it);
    purchasing::SupplierItem si;
    si.supplier_id = supplier.id;
    si.item_id = it.id;
    si.cost = *it.cost;
    si.case_pack = Quantity::units(1 + i % 12);
    si.preferred = true;
    si.created_at = si.updated_at = now_us;
    purchasing::put_supplier_item(*db, si);
    // Most items sell a few a week; one in ten a few a day.
    double rate = i % 10 == 0 ? std::uniform_real_distribution<double>(1.0, 6.0)(rng)
                              : std::uniform_real_distribution<double>(0.05, 0.6)(rng);
    std::poisson_distribution<int> sold(rate);
    for (int back = days; back >= 1; --back) {
      int units = sold(rng);
      if (units == 0) continue;
      rows.push_back({store_id, it.id, planning::format_date(today - std::chrono::days{back}), units * 1000LL, false,
                      false, std::nullopt});
    }
    if (rows.size() > 200'000) {
      planning::store::put_import_days(*db, rows);
      written += rows.size();
      rows.clear();
    }
  }
  planning::store::put_import_days(*db, rows);
  written += rows.size();
  // The ledger is followed from the first day, so a day without a row sold nothing.
  settings::put(*db, "planning.ledger_start", planning::format_date(today - std::chrono::days{days}));
  tx.commit();
  std::cout << fmt::format("fixture: {} items, {} days, {} demand rows in {:.1f} s ({})", items, days, written,
                           seconds_since(started), path)
            << std::endl;
  return supplier.id;
}

// The CPU seconds (user + system) of a process of this machine, or -1 when /proc does not say.
double process_cpu_seconds(std::int64_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat;
  if (pid <= 0 || !std::getline(in, stat)) return -1;
  auto close = stat.rfind(')');  // the command name may hold spaces; fields 14 and 15 follow it
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string skip;
  for (int field = 3; field < 14; ++field) fields >> skip;
  double user = 0, system = 0;
  if (!(fields >> user >> system)) return -1;
  return (user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

int main() {
  int items = env_int("BENCH_ITEMS", 100'000);
  int days = env_int("BENCH_DAYS", 365);
  auto supplier_id = ensure_fixture(items, days);
  auto& db = db::reader(bench_db());
  std::string store_id;
  for (const auto& l : stock::list_locations(db))
    if (l.kind == "store") store_id = l.id;
  planning::Day today = planning::day_of(now());
  std::int64_t server_pid = 0;  // the connection's server process, on PostgreSQL
  if (db::is_postgres_location(bench_db())) {
    auto q = db.query("SELECT pg_backend_pid()");
    if (q.step()) server_pid = q.int64(0);
  }
  // The weekly preparation, unless it ran today for this supplier at this store.
  bool prepared_today = false;
  for (const auto& f : planning::store::kept_fits(db, store_id, supplier_id)) {
    prepared_today = f.fitted_on == planning::format_date(today);
    break;
  }
  if (!prepared_today && env_int("BENCH_RUNS", 3) > 0) {
    auto writer = db::Db::open(bench_db(), db::Mode::read_write);
    auto t = std::chrono::steady_clock::now();
    db::Transaction tx(*writer);
    int n = planning::prepare(*writer, today, today, false);
    tx.commit();
    std::cout << fmt::format("prepare (the weekly job, {} supplier(s)): {:.1f} s", n, seconds_since(t)) << std::endl;
  }
  // The suggestion as the API answers it, with all digits, but the count of kept fits.
  auto dump_text = [](const planning::SupplierSuggestions& s) {
    auto json = planning::suggestions_to_json(s);
    json.erase("fits");
    std::string out = boost::json::serialize(json) + "\n";
    for (const auto& i : s.items)
      out += fmt::format("{} {} {:.17g} {:.17g} {:.17g} {:.17g} {:.17g} {}\n", i.item_id,
                         planning::method_name(i.forecast.method), i.forecast.alpha, i.forecast.mean_per_day,
                         i.forecast.sigma_per_day, i.suggestion.order_up_to, i.suggestion.quantity, i.text);
    return out;
  };
  int runs = env_int("BENCH_RUNS", 3);
  for (int run = 1; run <= runs; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> ids;
    for (const auto& si : purchasing::supplier_items(db, supplier_id, "", items)) ids.push_back(si.item_id);
    double t_items = seconds_since(t0);
    auto t1 = std::chrono::steady_clock::now();
    auto history = planning::histories(db, store_id, ids, today - std::chrono::days{days});
    std::size_t rows = 0;
    for (const auto& h : history) rows += h.size();
    double t_rows = seconds_since(t1);
    history.clear();
    history.shrink_to_fit();
    auto tf = std::chrono::steady_clock::now();
    auto facts = catalog::store::planning_facts(db, ids);
    double t_facts = seconds_since(tf);
    auto tk = std::chrono::steady_clock::now();
    auto kept = planning::store::kept_fits(db, store_id, supplier_id);
    double t_kept = seconds_since(tk);
    struct Timed {
      planning::SupplierSuggestions s;
      double wall = 0, cpu = 0, server = -1;
    };
    auto timed = [&](planning::FitFrom from) {
      Timed out;
      auto t = std::chrono::steady_clock::now();
      std::clock_t cpu = std::clock();  // the process's CPU time, every thread's
      double server = process_cpu_seconds(server_pid);
      out.s = planning::suggest_for_supplier(db, store_id, supplier_id, today, from);
      out.wall = seconds_since(t);
      out.cpu = static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC;
      out.server = server < 0 ? -1 : process_cpu_seconds(server_pid) - server;
      return out;
    };
    auto line = [&](const char* what, const Timed& t) {
      std::size_t ordered = 0;
      for (const auto& i : t.s.items) ordered += i.suggestion.quantity > 0;
      return fmt::format("run {}: {}: {} items ({} from kept fits, {} to order): {:.2f} s end to end, {:.2f} s CPU{}",
                         run, what, t.s.items.size(), t.s.kept_fits, ordered, t.wall, t.cpu,
                         t.server < 0 ? std::string() : fmt::format(" + {:.2f} s CPU of the server", t.server));
    };
    Timed live;
    if (env_int("BENCH_LIVE", 1)) {
      live = timed(planning::FitFrom::history);
      std::cout << line("fitted now (the full recomputation)", live) << std::endl;
    }
    auto from_kept = timed(planning::FitFrom::kept_when_fresh);
    std::cout << line("from the kept fits", from_kept) << std::endl;
    std::cout << fmt::format(
                     "run {}: measured alone: supplier items {:.2f} s, demand rows ({}) {:.2f} s, items' facts ({}) "
                     "{:.2f} s, kept fits ({}) {:.2f} s",
                     run, t_items, rows, t_rows, facts.size(), t_facts, kept.size(), t_kept)
              << std::endl;
    if (const char* dump = std::getenv("BENCH_DUMP"); dump && run == runs && !live.s.items.empty()) {
      auto kept_text = dump_text(from_kept.s), live_text = dump_text(live.s);
      std::ofstream(dump) << kept_text;
      std::ofstream(std::string(dump) + ".live") << live_text;
      std::cout << fmt::format("dump: {} (kept fits) and {}.live (fitted now): {}", dump, dump,
                               kept_text == live_text ? "the same" : "DIFFERENT")
                << std::endl;
    }
  }
  return 0;
}
