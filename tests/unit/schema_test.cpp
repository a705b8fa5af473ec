// Migrations on a real SQLite file: a database written by an older backroom keeps every
// row and comes out consistent. Migration 6 (stock accounts) numbers the balances of an
// existing ledger and posts every old movement to its account.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "catalog/changes.hpp"
#include "platform/db.hpp"
#include "platform/schema.hpp"
#include "sales/sales.hpp"
#include "sales/sold_days.hpp"
#include "stock/consumption.hpp"
#include "stock/holds.hpp"
#include "stock/kpi_days.hpp"
#include "stock/stock.hpp"

namespace {

using namespace backroom;

struct TempFile {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("backroom-schema-test-" + std::to_string(::getpid()) + ".db"))
                         .string();
  TempFile() { remove(); }
  ~TempFile() { remove(); }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
};

// What check says about balances and accounts (the made-up documents D1.. do not exist,
// which the document half of the check would rightly report).
std::vector<std::string> ledger_problems(db::Db& db) {
  std::vector<std::string> out;
  for (auto& p : stock::check_ledger(db))
    if (p.starts_with("balance:") || p.starts_with("account:") || p.starts_with("reserved:") ||
        p.starts_with("sold months:"))
      out.push_back(p);
  return out;
}

// A shop at schema `version` (older than today's): the store L1 and the items I1 (Apple)
// and I2 (Bread), as that version's tables hold them.
std::unique_ptr<db::Db> shop_at_version(const TempFile& file, int version) {
  auto db = db::Db::open(file.path, db::Mode::read_write);
  EXPECT_EQ(schema::migrate(*db, version), version);
  db->exec(
      "INSERT INTO locations (id, name, kind, sellable, created_at) VALUES ('L1', 'Shop', 'store', 1, 0);"
      "INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES "
      "('I1', 'A', 'Apple', 'apple', 100, 0, 0), ('I2', 'B', 'Bread', 'bread', 250, 0, 0);");
  return db;
}

std::int64_t scalar(db::Db& db, const std::string& sql) {
  auto q = db.query(sql);
  EXPECT_TRUE(q.step()) << sql;
  return q.int64(0);
}

// Rows as backroom 0.1 at schema version 5 wrote them: balances and movements without accounts.
void write_v5_ledger(db::Db& db) {
  db.exec(
      "INSERT INTO locations (id, name, kind, sellable, created_at) VALUES ('L1', 'Shop', 'store', 1, 0), "
      "('L2', 'Backroom', 'backroom', 0, 0);"
      "INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES "
      "('I1', 'A', 'Apple', 'apple', 100, 0, 0), ('I2', 'B', 'Bread', 'bread', 250, 0, 0);"
      "INSERT INTO stock_movements (seq, item_id, location_id, quantity, reason, document_type, document_id, at, user, "
      "device) VALUES "
      "(1, 'I2', 'L1', 5000, 'found', 'adjustment', 'D1', 10, 'u', 'cli'),"
      "(2, 'I1', 'L1', 8000, 'found', 'adjustment', 'D2', 20, 'u', 'cli'),"
      "(3, 'I1', 'L2', 3000, 'found', 'adjustment', 'D3', 30, 'u', 'cli'),"
      "(4, 'I1', 'L1', -2000, 'sale', 'sale', 'S1', 40, 'u', 'R1'),"
      "(5, 'I2', 'L1', -1000, 'sale', 'sale', 'S1', 40, 'u', 'R1');"
      "INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq) VALUES "
      "('I1', 'L1', 6000, 0, 4), ('I1', 'L2', 3000, 0, 3), ('I2', 'L1', 4000, 0, 5);");
}

TEST(Schema, MigrationSixGivesEveryBalanceAnAccountAndEveryMovementItsAccount) {
  TempFile file;
  auto db = db::Db::open(file.path, db::Mode::read_write);
  ASSERT_EQ(schema::migrate(*db, 5), 5);
  write_v5_ledger(*db);
  ASSERT_EQ(schema::migrate(*db), schema::latest_version());

  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM stock_balances WHERE account IS NULL"), 0);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(DISTINCT account) FROM stock_balances"), 3);
  EXPECT_EQ(scalar(*db,
                   "SELECT COUNT(*) FROM stock_movements m JOIN stock_balances b ON b.account = m.account "
                   "AND b.item_id = m.item_id AND b.location_id = m.location_id"),
            5);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM stock_movements"), 5);  // nothing lost
  EXPECT_TRUE(ledger_problems(*db).empty()) << ledger_problems(*db).front();

  // History and as-of reads go through the accounts now.
  EXPECT_EQ(stock::balance_as_of(*db, "I1", "L1", Timestamp{30}).on_hand.milli, 8000);
  EXPECT_EQ(stock::balance_as_of(*db, "I1", "L1", Timestamp{40}).on_hand.milli, 6000);
  auto by_location = stock::balances_of_item(*db, "I1", Timestamp{35});
  ASSERT_EQ(by_location.size(), 2u);
  EXPECT_EQ(by_location[0].on_hand.milli, 8000);
  EXPECT_EQ(by_location[1].on_hand.milli, 3000);
  auto history = stock::list_movements(*db, stock::MovementFilter{"I1", "", "", 0, 50});
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].at("seq").as_int64(), 2);
  EXPECT_EQ(history[2].at("seq").as_int64(), 4);
  auto after = stock::list_movements(*db, stock::MovementFilter{"I1", "L1", "", 2, 50});
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].at("seq").as_int64(), 4);

  // New stock after the upgrade: existing accounts are reused, a new place opens the next.
  std::int64_t highest = scalar(*db, "SELECT MAX(account) FROM stock_balances");
  db::Transaction tx(*db);  // stock is posted inside a command's transaction
  stock::post_movements(*db,
                        {stock::Movement{"I2", "L1", Quantity::units(-1), "sale", "sale", "S2", std::nullopt},
                         stock::Movement{"I2", "L2", Quantity::units(7), "found", "adjustment", "D4", std::nullopt}},
                        stock::PostContext{"u", "cli", stock::NegativeStock::allow});
  tx.commit();
  EXPECT_EQ(scalar(*db, "SELECT account FROM stock_balances WHERE item_id = 'I2' AND location_id = 'L2'"), highest + 1);
  EXPECT_EQ(scalar(*db, "SELECT on_hand FROM stock_balances WHERE item_id = 'I2' AND location_id = 'L1'"), 3000);
  EXPECT_TRUE(ledger_problems(*db).empty()) << ledger_problems(*db).front();
}

TEST(Schema, CheckFindsAMovementPostedToAnotherAccount) {
  TempFile file;
  auto db = db::Db::open(file.path, db::Mode::read_write);
  schema::migrate(*db, 5);
  write_v5_ledger(*db);
  schema::migrate(*db);
  db->exec(
      "UPDATE stock_movements SET account = (SELECT account FROM stock_balances WHERE item_id = 'I2') WHERE seq = 2");
  auto problems = ledger_problems(*db);
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems.front().find("movement 2 of item I1"), std::string::npos) << problems.front();
}

// A UTC calendar month as year * 100 + month, and stepping months (stock/consumption.hpp).
// Times are microseconds since 1970; the edges are a microsecond either side of midnight.
TEST(SoldMonths, MonthOfATimeStepsAndStarts) {
  struct Row {
    std::int64_t micros;
    int month;
  };
  const Row rows[] = {
      {0, 197001},
      {-1, 196912},                           // 1969-12-31T23:59:59.999999Z
      {951868799999999, 200002},              // 2000-02-29T23:59:59.999999Z (a leap day of a leap century)
      {951868800000000, 200003},              // 2000-03-01T00:00:00Z
      {1709251199999999, 202402},             // 2024-02-29T23:59:59.999999Z
      {1709251200000000, 202403},             // 2024-03-01T00:00:00Z
      {1798761599999999, 202612},             // 2026-12-31T23:59:59.999999Z
      {1798761600000000, 202701},             // 2027-01-01T00:00:00Z
  };
  for (const auto& r : rows) EXPECT_EQ(stock::sold_month(Timestamp{r.micros}), r.month) << r.micros;
  EXPECT_EQ(stock::add_months(202601, -1), 202512);
  EXPECT_EQ(stock::add_months(202612, -11), 202601);
  EXPECT_EQ(stock::add_months(202603, -14), 202501);
  EXPECT_EQ(stock::add_months(202612, 1), 202701);
  EXPECT_EQ(stock::start_of_month(202403).micros, 1709251200000000);
  EXPECT_EQ(stock::start_of_month(197001).micros, 0);
}

// Migration 27 builds the units sold per account and UTC month from an older ledger with
// the same months as the C++ above (its SQL does the calendar in integers), counting sales,
// voids and returns only; new sales add to it; check reports a month table that disagrees.
TEST(Schema, MigrationTwentySevenSumsSalesPerAccountAndUtcMonth) {
  TempFile file;
  auto db = shop_at_version(file, 26);
  db->exec(
      "INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq, account) VALUES "
      "('I1', 'L1', 0, 0, 0, 1), ('I2', 'L1', 0, 0, 0, 2);"
      "INSERT INTO stock_movements (account, item_id, location_id, quantity, reason, document_type, document_id, at, "
      "user, device) VALUES "
      "(1, 'I1', 'L1', 9000, 'found', 'adjustment', 'D1', 951868799999999, 'u', 'cli'),"
      "(1, 'I1', 'L1', -2000, 'sale', 'sale', 'S1', 951868799999999, 'u', 'R1'),"
      "(1, 'I1', 'L1', -3000, 'sale', 'sale', 'S2', 951868800000000, 'u', 'R1'),"
      "(1, 'I1', 'L1', 1000, 'return', 'return', 'R1', 951955199999999, 'u', 'R1'),"
      "(1, 'I1', 'L1', 2000, 'void', 'void', 'S1', 951868800000001, 'u', 'R1'),"
      "(2, 'I2', 'L1', -500, 'sale', 'sale', 'S3', 1704067199999999, 'u', 'R1'),"
      "(2, 'I2', 'L1', -700, 'sale', 'sale', 'S4', 1704067200000000, 'u', 'R1'),"
      "(2, 'I2', 'L1', -100, 'damage', 'adjustment', 'D2', 1704067200000000, 'u', 'cli');");
  ASSERT_EQ(schema::migrate(*db, 27), 27);
  struct Row {
    std::int64_t account;
    int month;
    std::int64_t units;
  };
  auto months = [&] {
    std::vector<Row> out;
    auto q = db->query("SELECT account, month, units FROM stock_sold_months ORDER BY account, month");
    while (q.step()) out.push_back(Row{q.int64(0), static_cast<int>(q.int64(1)), q.int64(2)});
    return out;
  };
  auto rows = months();
  ASSERT_EQ(rows.size(), 4u);
  // February 2000: the sale a microsecond before March; March: the next sale, less its
  // return and the first sale's void (booked when they happened, in March).
  EXPECT_EQ(rows[0].account, 1);
  EXPECT_EQ(rows[0].month, stock::sold_month(Timestamp{951868799999999}));
  EXPECT_EQ(rows[0].month, 200002);
  EXPECT_EQ(rows[0].units, 2000);
  EXPECT_EQ(rows[1].month, 200003);
  EXPECT_EQ(rows[1].units, 3000 - 1000 - 2000);
  EXPECT_EQ(rows[2].account, 2);
  EXPECT_EQ(rows[2].month, 202312);
  EXPECT_EQ(rows[2].units, 500);
  EXPECT_EQ(rows[3].month, 202401);
  EXPECT_EQ(rows[3].units, 700);  // the damage is not a sale

  // A sale and a return posted now add to this month's row, and check agrees with the ledger.
  ASSERT_EQ(schema::migrate(*db), schema::latest_version());
  db::Transaction tx(*db);
  stock::post_movements(*db,
                        {stock::Movement{"I2", "L1", Quantity::units(-4), "sale", "sale", "S5", std::nullopt},
                         stock::Movement{"I2", "L1", Quantity::units(1), "return", "return", "R2", std::nullopt},
                         stock::Movement{"I2", "L1", Quantity::units(9), "found", "adjustment", "D3", std::nullopt}},
                        stock::PostContext{"u", "cli", stock::NegativeStock::allow});
  tx.commit();
  int this_month = stock::sold_month(now());
  EXPECT_EQ(scalar(*db, "SELECT units FROM stock_sold_months WHERE account = 2 AND month = " + std::to_string(this_month)),
            3000);
  auto sold = stock::units_sold_by_item(*db, "L1", this_month);
  ASSERT_EQ(sold.size(), 1u);
  EXPECT_EQ(sold[0].first, "I2");
  EXPECT_EQ(sold[0].second.milli, 3000);
  auto all = stock::units_sold_by_item(*db, "L1", 200001);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].second.milli, 2000);  // I1 over its two months
  EXPECT_EQ(all[1].second.milli, 500 + 700 + 3000);
  EXPECT_TRUE(stock::units_sold_by_item(*db, "L1", stock::add_months(this_month, 1)).empty());
  db->exec("UPDATE stock_balances SET on_hand = (SELECT SUM(quantity) FROM stock_movements m WHERE m.account = "
           "stock_balances.account)");
  EXPECT_TRUE(ledger_problems(*db).empty()) << ledger_problems(*db).front();

  db->exec("UPDATE stock_sold_months SET units = units + 1 WHERE account = 1 AND month = 200002");
  auto problems = ledger_problems(*db);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems.front().find("sold months: account 1 sold 2 by its movements but 2.001"), std::string::npos)
      << problems.front();
}

// Transfers as backroom wrote them up to schema version 8: received once, by the transfer's
// own id, the short rest only implied. Migration 9 numbers them in creation order (not id
// order), keeps each one's receipt and books the implied short on its line.
TEST(Schema, MigrationNineNumbersTransfersInCreationOrderAndKeepsTheirReceipts) {
  TempFile file;
  auto db = db::Db::open(file.path, db::Mode::read_write);
  ASSERT_EQ(schema::migrate(*db, 8), 8);
  db->exec(
      "INSERT INTO locations (id, name, kind, parent_id, sellable, created_at) VALUES ('L1', 'Shop', 'store', NULL, 1, 0), "
      "('L1D', 'Shop damaged', 'damaged', 'L1', 0, 0), ('L2', 'Warehouse', 'warehouse', NULL, 0, 0), "
      "('TR', 'In transit', 'transit', NULL, 0, 0);"
      "INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES ('I1', 'A', 'Apple', 'apple', 100, 0, 0);"
      "INSERT INTO transfers (id, from_location_id, to_location_id, status, note, request_hash, shipped_at, shipped_by, "
      "received_at, received_by) VALUES ('TZ', 'L2', 'L1', 'received', '', 'h1', 100, 'ann', 150, 'bob'), "
      "('TA', 'L2', 'L1', 'in_transit', '', 'h2', 200, 'ann', NULL, NULL);"
      "INSERT INTO transfer_lines (id, transfer_id, line_no, item_id, shipped, received, damaged) VALUES "
      "('LZ', 'TZ', 1, 'I1', 5000, 3000, 1000), ('LA', 'TA', 1, 'I1', 2000, NULL, NULL);");
  // Today's post_movements also notes the availability change (a table of migration 19, its
  // numbers of migration 33); the rows it posts are what version 8 had, so the note goes to a stand-in dropped before upgrading.
  db->exec("CREATE TABLE availability_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL, "
           "location_id TEXT NOT NULL, changed_at INTEGER NOT NULL, on_hand INTEGER, reserved INTEGER)");
  // Likewise the KPI days it keeps (migration 39, which makes them again from the ledger).
  db->exec("CREATE TABLE stock_day_months (account INTEGER NOT NULL, month INTEGER NOT NULL, days TEXT NOT NULL, "
           "net_change INTEGER, low_change INTEGER, day_weighted INTEGER, losses TEXT, PRIMARY KEY (account, month))");
  db->exec("ALTER TABLE stock_balances ADD COLUMN first_month INTEGER");  // and the balance's first month (53)
  db->exec("CREATE TABLE stock_month_totals (item_id TEXT NOT NULL, location_id TEXT NOT NULL, account INTEGER NOT NULL, "
           "months TEXT NOT NULL, latest_month INTEGER, latest_days TEXT, PRIMARY KEY (item_id, location_id))");  // and 57's totals rows (58's columns)
  db::Transaction tx(*db);  // stock is posted inside a command's transaction
  stock::post_movements(*db,
                        {stock::Movement{"I1", "L2", Quantity::units(-5), "transfer_out", "transfer", "TZ", "LZ"},
                         stock::Movement{"I1", "TR", Quantity::units(5), "transfer_out", "transfer", "TZ", "LZ"},
                         stock::Movement{"I1", "TR", Quantity::units(-5), "transfer_in", "transfer", "TZ", "LZ"},
                         stock::Movement{"I1", "L1", Quantity::units(3), "transfer_in", "transfer", "TZ", "LZ"},
                         stock::Movement{"I1", "L1D", Quantity::units(1), "transfer_damaged", "transfer", "TZ", "LZ"},
                         stock::Movement{"I1", "L2", Quantity::units(-2), "transfer_out", "transfer", "TA", "LA"},
                         stock::Movement{"I1", "TR", Quantity::units(2), "transfer_out", "transfer", "TA", "LA"}},
                        stock::PostContext{"ann", "cli", stock::NegativeStock::allow});
  tx.commit();
  db->exec("DROP TABLE availability_changes");
  db->exec("DROP TABLE stock_day_months");
  db->exec("DROP TABLE stock_month_totals");
  db->exec("ALTER TABLE stock_balances DROP COLUMN first_month");
  ASSERT_EQ(schema::migrate(*db), schema::latest_version());
  EXPECT_TRUE(stock::check_stock_days(*db).empty()) << stock::check_stock_days(*db).front();

  auto transfer_problems = [&db] {
    std::vector<std::string> out;
    for (auto& p : stock::check_ledger(*db))
      if (p.starts_with("transfer")) out.push_back(p);
    return out;
  };
  EXPECT_TRUE(transfer_problems().empty()) << transfer_problems().front();
  auto old = *stock::load_transfer(*db, "TZ");
  EXPECT_EQ(old.at("number").as_string(), "T-000001");
  EXPECT_EQ(old.at("lines").as_array()[0].at("short"), 1);
  const auto& receipts = old.at("receipts").as_array();
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(receipts[0].at("id").as_string(), "TZ");
  EXPECT_EQ(receipts[0].at("by").as_string(), "bob");
  EXPECT_EQ(receipts[0].at("lines").as_array()[0].at("received"), 3);
  auto open = *stock::load_transfer(*db, "TA");
  EXPECT_EQ(open.at("number").as_string(), "T-000002");
  EXPECT_EQ(open.at("lines").as_array()[0].at("outstanding"), 2);
  EXPECT_TRUE(open.at("receipts").as_array().empty());

  // The open one is received after the upgrade, and the next transfer is number 3.
  stock::ReceiptInput all;
  all.all = true;
  db::Transaction receive(*db);  // a command runs inside the writer's transaction
  auto done = stock::receive_transfer(*db, Actor::of("cli", "cli"), "TA", all);
  receive.commit();
  EXPECT_EQ(done.document.at("status").as_string(), "received");
  EXPECT_EQ(scalar(*db, "SELECT on_hand FROM stock_balances WHERE item_id = 'I1' AND location_id = 'L1'"), 5000);
  stock::TransferInput next;
  next.key.request_hash = "h3";
  next.from_location_id = "L1";
  next.to_location_id = "L2";
  next.lines = {stock::TransferLineInput{"I1", Quantity::units(1)}};
  db::Transaction ship(*db);
  auto shipped = stock::ship_transfer(*db, Actor::of("cli", "cli"), next);
  ship.commit();
  EXPECT_EQ(shipped.document.at("number").as_string(), "T-000003");
  EXPECT_TRUE(transfer_problems().empty()) << transfer_problems().front();
}

}  // namespace

// Migration 33: a change row written before it gets its balance's numbers (none: 0), so the
// delta, which no longer reads the balances, answers what it answered before the upgrade.
TEST(Schema, MigrationThirtyThreeGivesEachAvailabilityChangeItsBalance) {
  TempFile file;
  auto db = shop_at_version(file, 31);
  db->exec(
      "INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq, account) VALUES "
      "('I1', 'L1', 6000, 2000, 0, 1);"
      "INSERT INTO availability_changes (item_id, location_id, changed_at) VALUES ('I1', 'L1', 10), ('I2', 'L1', 20);");
  ASSERT_EQ(schema::migrate(*db), schema::latest_version());
  auto changes = stock::availability_changes_after(*db, 0, 10);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].item_id, "I1");
  EXPECT_EQ(changes[0].on_hand.milli, 6000);
  EXPECT_EQ(changes[0].reserved.milli, 2000);
  EXPECT_EQ(changes[1].item_id, "I2");
  EXPECT_EQ(changes[1].on_hand.milli, 0);
  EXPECT_EQ(changes[1].reserved.milli, 0);
  EXPECT_TRUE(stock::check_holds(*db).empty()) << stock::check_holds(*db).front();
  // A balance changed behind the feed's back is what `check` reports.
  db->exec("UPDATE stock_balances SET on_hand = 5000 WHERE item_id = 'I1'");
  auto problems = stock::check_holds(*db);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems.front().find("availability: the change row of item I1 at L1 says on hand 6 reserved 2, but the balance is 5"),
            std::string::npos)
      << problems.front();
}

// `migrate --to-version N-1` and the upgrade test's "the version before" assume the numbers run
// 1, 2, ... without a gap or a repeat: a branch that reserved a number must renumber on merge.
// Migration 39 packs an older ledger's days per account and UTC month (the month boundary
// at the same microsecond as migration 27's, losses by reason from adjustments and counts
// only); new movements add to the same rows; check proves each month against the ledger and
// reports a corrupted one.
TEST(Schema, MigrationThirtyNinePacksTheLedgersDaysAndCheckCatchesACorruptedMonth) {
  TempFile file;
  auto db = shop_at_version(file, 38);
  db->exec(
      "INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq, account) VALUES "
      "('I1', 'L1', 0, 0, 0, 1), ('I2', 'L1', 0, 0, 0, 2);"
      "INSERT INTO stock_movements (account, item_id, location_id, quantity, reason, document_type, document_id, at, "
      "user, device) VALUES "
      "(1, 'I1', 'L1', 9000, 'found', 'adjustment', 'D1', 951868799999999, 'u', 'cli'),"
      "(1, 'I1', 'L1', -2000, 'sale', 'sale', 'S1', 951868799999999, 'u', 'R1'),"
      "(1, 'I1', 'L1', -3000, 'sale', 'sale', 'S2', 951868800000000, 'u', 'R1'),"
      "(1, 'I1', 'L1', -1000, 'damage', 'adjustment', 'D2', 951868800000001, 'u', 'cli'),"
      "(1, 'I1', 'L1', -500, 'theft', 'count', 'C1', 951868800000002, 'u', 'cli'),"
      "(1, 'I1', 'L1', -250, 'damage', 'count', 'C1', 951868800000002, 'u', 'cli'),"
      "(2, 'I2', 'L1', 700, 'found', 'adjustment', 'D3', 1704067200000000, 'u', 'cli'),"
      "(2, 'I2', 'L1', -700, 'sale', 'sale', 'S4', 1704067200000000, 'u', 'R1');"
      "UPDATE stock_balances SET on_hand = (SELECT SUM(quantity) FROM stock_movements m "
      "WHERE m.account = stock_balances.account);");
  ASSERT_EQ(schema::migrate(*db, 39), 39);
  auto kept = [&](std::int64_t account, int month) {
    auto q = db->query("SELECT days FROM stock_day_months WHERE account = ? AND month = ?");
    q.bind(1, account).bind(2, month);
    return q.step() ? stock::unpack_stock_days(q.text(0)) : std::vector<stock::StockDay>{};
  };
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM stock_day_months"), 3);
  const std::int64_t feb29 = 951868799999999 / 86400000000, mar1 = feb29 + 1;
  EXPECT_EQ(stock::month_of_day(feb29), 200002);
  EXPECT_EQ(kept(1, 200002), (std::vector<stock::StockDay>{{feb29, 7000, {}}}));  // a sale is no loss
  EXPECT_EQ(kept(1, 200003),
            (std::vector<stock::StockDay>{{mar1, -4750, {{"damage", 1250}, {"theft", 500}}}}));
  EXPECT_EQ(kept(2, 202401), (std::vector<stock::StockDay>{{1704067200000000 / 86400000000, 0, {}}}));  // nets to 0, kept

  // Migration 52 adds each month's totals from the same ledger: check proves them against the
  // days (and the days against the ledger).
  ASSERT_EQ(schema::migrate(*db), schema::latest_version());
  EXPECT_TRUE(stock::check_stock_days(*db).empty()) << stock::check_stock_days(*db).front();
  {
    auto q = db->query("SELECT net_change, low_change, day_weighted, losses FROM stock_day_months WHERE account = 1 "
                       "ORDER BY month");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.int64(0), 7000);
    EXPECT_EQ(q.int64(1), 0);  // never below the month's opening
    EXPECT_EQ(q.int64(2), 7000 * feb29);
    EXPECT_EQ(q.text(3), "");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.int64(0), -4750);
    EXPECT_EQ(q.int64(1), -4750);
    EXPECT_EQ(q.int64(2), -4750 * mar1);
    EXPECT_EQ(stock::unpack_losses(q.text(3)), (std::map<std::string, std::int64_t>{{"damage", 1250}, {"theft", 500}}));
  }
  // Migration 57: every account's month totals in one row, from the same totals.
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM stock_month_totals"), 2);
  {
    auto q = db->query("SELECT months FROM stock_month_totals WHERE account = 1");
    ASSERT_TRUE(q.step());
    std::vector<stock::StockMonthEntry> entries;
    stock::unpack_stock_month_entries(q.text_view(0), 0, entries);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].month, 200002);
    EXPECT_EQ(entries[0].change_milli, 7000);
    EXPECT_EQ(entries[1].month, 200003);
    EXPECT_EQ(entries[1].low_milli, -4750);
    EXPECT_EQ(entries[1].day_weighted, -4750 * mar1);
    EXPECT_EQ(entries[1].losses, "damage=1250,theft=500");
  }
  // Migration 58: each totals row carries its latest month and that month's days.
  auto latest = [&](std::int64_t account) {
    auto q = db->query("SELECT latest_month, latest_days FROM stock_month_totals WHERE account = ?");
    q.bind(1, account);
    return q.step() ? std::pair<std::int64_t, std::string>(q.int64(0), q.text(1)) : std::pair<std::int64_t, std::string>();
  };
  EXPECT_EQ(latest(1), (std::pair<std::int64_t, std::string>(200003, std::to_string(mar1) + ":-4750:damage=1250,theft=500")));
  EXPECT_EQ(latest(2).first, 202401);
  db->exec("UPDATE stock_day_months SET low_change = 0 WHERE account = 1 AND month = 200003");
  ASSERT_EQ(stock::check_stock_days(*db).size(), 2u);  // the days, and the totals row
  EXPECT_NE(stock::check_stock_days(*db)[1].find("account 1 keeps month totals"), std::string::npos)
      << stock::check_stock_days(*db)[1];
  EXPECT_NE(stock::check_stock_days(*db).front().find(
                "account 1 month 200003 keeps totals change -4750 low 0 weighted " + std::to_string(-4750 * mar1) +
                " losses 'damage=1250,theft=500' but its days make change -4750 low -4750"),
            std::string::npos)
      << stock::check_stock_days(*db).front();
  db->exec("UPDATE stock_day_months SET low_change = -4750 WHERE account = 1 AND month = 200003");
  // Migration 53: each balance notes its account's first kept month; check proves it.
  auto first_month = [&](const char* item) {
    auto q = db->query("SELECT first_month FROM stock_balances WHERE item_id = ? AND location_id = 'L1'");
    q.bind(1, item);
    return q.step() && !q.is_null(0) ? std::optional<std::int64_t>(q.int64(0)) : std::nullopt;
  };
  EXPECT_EQ(first_month("I1"), 200002);
  EXPECT_EQ(first_month("I2"), 202401);
  db->exec("UPDATE stock_balances SET first_month = 200003 WHERE account = 1");
  ASSERT_EQ(stock::check_stock_days(*db).size(), 1u);
  EXPECT_NE(stock::check_stock_days(*db).front().find(
                "the balance of account 1 notes 200003 as its first month, but its first kept month is 200002"),
            std::string::npos)
      << stock::check_stock_days(*db).front();
  db->exec("UPDATE stock_balances SET first_month = 200002 WHERE account = 1");
  db->exec("INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) "
           "VALUES ('I3', 'I3', 'New', 'new', 100, 0, 0)");
  db::Transaction tx(*db);
  stock::post_movements(*db,
                        {stock::Movement{"I2", "L1", Quantity::units(-4), "sale", "sale", "S5", std::nullopt},
                         stock::Movement{"I2", "L1", Quantity::units(-1), "damage", "adjustment", "D4", std::nullopt},
                         stock::Movement{"I3", "L1", Quantity::units(2), "found", "adjustment", "D5", std::nullopt}},
                        stock::PostContext{"u", "cli", stock::NegativeStock::allow});
  tx.commit();
  const std::int64_t today = now().micros / 86400000000;
  EXPECT_EQ(kept(2, stock::month_of_day(today)), (std::vector<stock::StockDay>{{today, -5000, {{"damage", 1000}}}}));
  EXPECT_EQ(first_month("I2"), 202401);  // an older month stays the first
  EXPECT_EQ(first_month("I3"), stock::month_of_day(today));  // a new account's first month is its first movement's
  EXPECT_EQ(latest(2), (std::pair<std::int64_t, std::string>(stock::month_of_day(today),
                                                               std::to_string(today) + ":-5000:damage=1000")));
  EXPECT_EQ(latest(3).first, stock::month_of_day(today));  // a new account's too
  EXPECT_TRUE(stock::check_stock_days(*db).empty()) << stock::check_stock_days(*db).front();

  // One figure off in one packed month (its totals with it), and a month with no movements at
  // all: both reported.
  db->exec("UPDATE stock_day_months SET days = '" + std::to_string(mar1) +
           ":-4750:damage=1250,theft=400', losses = 'damage=1250,theft=400' WHERE account = 1 AND month = 200003");
  db->exec("INSERT INTO stock_day_months (account, month, days) VALUES (2, 202402, '19754:3000')");
  auto problems = stock::check_stock_days(*db);
  // Each also leaves its account's totals row (migration 57) saying other than its month rows,
  // and the first its latest month's days (migration 58).
  ASSERT_EQ(problems.size(), 5u);
  EXPECT_NE(problems[4].find("account 1 carries 200003 '" + std::to_string(mar1) +
                             ":-4750:damage=1250,theft=500' as its latest month in its totals row, but its latest month "
                             "row is 200003 '" + std::to_string(mar1) + ":-4750:damage=1250,theft=400'"),
            std::string::npos)
      << problems[4];
  EXPECT_NE(problems[2].find("account 1 keeps month totals '200002:"), std::string::npos) << problems[2];
  EXPECT_NE(problems[2].find("200003:-4750:-4750:" + std::to_string(-4750LL * mar1) + ":damage=1250,theft=500' but its month rows make"),
            std::string::npos)
      << problems[2];
  EXPECT_NE(problems[3].find("account 2 keeps month totals '202401:"), std::string::npos) << problems[3];
  EXPECT_NE(problems[3].find("make '202401:0:0:0:;202402:?;"), std::string::npos) << problems[3];
  EXPECT_NE(problems[0].find("account 1 month 200003 keeps '" + std::to_string(mar1) +
                             ":-4750:damage=1250,theft=400' but its movements make '" + std::to_string(mar1) +
                             ":-4750:damage=1250,theft=500'"),
            std::string::npos)
      << problems[0];
  EXPECT_NE(problems[1].find("account 2 month 202402"), std::string::npos) << problems[1];
  // And check_ledger (so `backroom check`) carries them.
  int carried = 0;
  for (const auto& p : stock::check_ledger(*db)) carried += p.starts_with("kpi days:") ? 1 : 0;
  EXPECT_EQ(carried, 5);
  db->exec("UPDATE stock_day_months SET days = 'x' WHERE account = 1 AND month = 200002");
  problems = stock::check_stock_days(*db);
  ASSERT_EQ(problems.size(), 6u);
  EXPECT_NE(problems[0].find("not readable"), std::string::npos) << problems[0];
}

// The sales half's check: a kept month that no sale or return line makes is reported, as is
// one that does not read.
TEST(KpiDays, CheckReportsASalesMonthNoLinesMake) {
  TempFile file;
  auto db = db::Db::open(file.path, db::Mode::read_write);
  schema::migrate(*db);
  EXPECT_TRUE(sales::check_sold_days(*db).empty());
  db->exec("INSERT INTO sales_day_months (location_id, item_id, month, days) VALUES ('L1', 'I1', 202401, '19723:1000:450:1'), "
           "('L1', 'I2', 202401, '19723:1000')");
  auto problems = sales::check_sold_days(*db);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_NE(problems[0].find("item I1 at L1 month 202401 keeps '19723:1000:450:1' but its sale and return lines make '(none)'"),
            std::string::npos)
      << problems[0];
  EXPECT_NE(problems[1].find("not readable"), std::string::npos) << problems[1];
  // Neither has its totals row (migration 57).
  EXPECT_NE(problems[2].find("item I1 at L1 has month rows ('202401:?') but no month totals row"), std::string::npos)
      << problems[2];
  EXPECT_NE(problems[3].find("item I2 at L1 has month rows"), std::string::npos) << problems[3];
  // Totals (migration 52) that are not the days' sums are reported too.
  db->exec("DELETE FROM sales_day_months");
  db->exec("INSERT INTO sales_day_months (location_id, item_id, month, days, sold, net_sales) VALUES "
           "('L1', 'I3', 202401, '19723:1000:450:1;19724:-500:-200:1', 999, 250)");
  db->exec("INSERT INTO sales_month_totals (location_id, item_id, months) VALUES ('L1', 'I3', '202401:500:250'), "
           "('L1', 'I4', '202401:1:1')");
  problems = sales::check_sold_days(*db);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_NE(problems[0].find("item I3 at L1 month 202401 keeps totals sold 999 net 250 but its days make 500 and 250"),
            std::string::npos)
      << problems[0];
  // Its totals row says other than its month row, and a totals row with no month rows.
  EXPECT_NE(problems[2].find("item I3 at L1 keeps month totals '202401:500:250' but its month rows make '202401:999:250'"),
            std::string::npos)
      << problems[2];
  EXPECT_NE(problems[3].find("item I4 at L1 keeps month totals '202401:1:1' but its month rows make ''"), std::string::npos)
      << problems[3];
}

// A month's totals (migration 52), worked by hand, and the month's first and last day.
TEST(KpiDays, MonthTotals) {
  // Changes +3, -5, +1 on days 20000, 20003, 20010: running +3, -2, -1; lowest -2.
  std::vector<stock::StockDay> days{{20000, 3000, {}}, {20003, -5000, {{"theft", 2000}, {"damage", 1000}}},
                                    {20010, 1000, {{"theft", 500}}}};
  auto t = stock::stock_month_totals(days);
  EXPECT_EQ(t.change_milli, -1000);
  EXPECT_EQ(t.low_milli, -2000);
  EXPECT_EQ(t.day_weighted, 3000 * 20000 - 5000 * 20003 + 1000 * 20010);
  EXPECT_EQ(t.lost_milli, (std::map<std::string, std::int64_t>{{"damage", 1000}, {"theft", 2500}}));
  EXPECT_EQ(stock::stock_month_totals({{20000, 3000, {}}}).low_milli, 0);  // never below its opening
  EXPECT_EQ(stock::pack_losses(t.lost_milli), "damage=1000,theft=2500");
  EXPECT_EQ(stock::unpack_losses("theft=2500,damage=1000"), t.lost_milli);
  EXPECT_TRUE(stock::unpack_losses("").empty());
  for (const char* bad : {"theft", "theft=", "=1", "theft=0", "theft=-1", "theft=1,", "theft=1,theft=2", "theft=1x", ",theft=1"})
    EXPECT_THROW(stock::unpack_losses(bad), std::invalid_argument) << bad;
  auto s = stock::sold_month_totals({{20000, 2000, 450, 2}, {20003, -1000, -225, 1}});
  EXPECT_EQ(s.sold_milli, 1000);
  EXPECT_EQ(s.net_sales, 225);
  EXPECT_EQ(stock::first_day_of_month(202402), 19754);  // 2024-02-01
  EXPECT_EQ(stock::last_day_of_month(202402), 19782);   // 2024-02-29, a leap year
  EXPECT_EQ(stock::last_day_of_month(202302), 19416);   // 2023-02-28
  EXPECT_EQ(stock::last_day_of_month(202612), 20818);   // 2026-12-31
  // A month's neighbours, across a year's end both ways.
  const std::pair<int, int> steps[] = {{202401, 202402}, {202411, 202412}, {202412, 202501}, {199912, 200001}};
  for (const auto& [month, after] : steps) {
    EXPECT_EQ(stock::next_month(month), after) << month;
    EXPECT_EQ(stock::previous_month(after), month) << after;
    EXPECT_EQ(stock::first_day_of_month(stock::next_month(month)), stock::last_day_of_month(month) + 1) << month;
  }
}

// Every month's totals in one row (migration 57): entries, their order, the unknown month,
// replacing and removing months, and text that is not the format.
TEST(KpiDays, MonthTotalsRows) {
  const stock::StockMonthTotals t{-1000, -2000, 3000 * 20000 - 5000 * 20003 + 1000 * 20010, {{"damage", 1000}, {"theft", 2500}}};
  EXPECT_EQ(stock::stock_month_entry(202410, t), "202410:-1000:-2000:-20005000:damage=1000,theft=2500");
  EXPECT_EQ(stock::stock_month_entry(202411, stock::StockMonthTotals{5000, 0, 100000000, {}}), "202411:5000:0:100000000:");
  EXPECT_EQ(stock::stock_month_entry(202412, std::nullopt), "202412:?");
  EXPECT_EQ(stock::sold_month_entry(202410, stock::SoldMonthTotals{1000, 225}), "202410:1000:225");
  EXPECT_EQ(stock::sold_month_entry(202411, std::nullopt), "202411:?");

  // Any order in, ascending out; months before `from_month` left out.
  std::vector<stock::StockMonthEntry> stock_entries;
  stock::unpack_stock_month_entries("202412:?;202410:-1000:-2000:-34990:damage=1000,theft=2500;202411:5000:0:100000000:",
                                    202410, stock_entries);
  ASSERT_EQ(stock_entries.size(), 3u);
  EXPECT_EQ(stock_entries[0].month, 202410);
  EXPECT_TRUE(stock_entries[0].known);
  EXPECT_EQ(stock_entries[0].change_milli, -1000);
  EXPECT_EQ(stock_entries[0].low_milli, -2000);
  EXPECT_EQ(stock_entries[0].day_weighted, -34990);
  EXPECT_EQ(stock::unpack_losses(stock_entries[0].losses), t.lost_milli);
  EXPECT_EQ(stock_entries[1].losses, "");
  EXPECT_EQ(stock_entries[2].month, 202412);
  EXPECT_FALSE(stock_entries[2].known);
  stock::unpack_stock_month_entries("202410:1:0:1:;202411:2:0:2:", 202411, stock_entries);
  ASSERT_EQ(stock_entries.size(), 1u);
  EXPECT_EQ(stock_entries[0].change_milli, 2);
  stock::unpack_stock_month_entries("", 0, stock_entries);
  EXPECT_TRUE(stock_entries.empty());
  std::vector<stock::SoldMonthEntry> sold_entries;
  stock::unpack_sold_month_entries("202411:?;202410:1000:-225", 0, sold_entries);
  ASSERT_EQ(sold_entries.size(), 2u);
  EXPECT_EQ(sold_entries[0].sold_milli, 1000);
  EXPECT_EQ(sold_entries[0].net_sales, -225);
  EXPECT_FALSE(sold_entries[1].known);
  for (const char* bad : {"202410", "202410:", "202413:1:0:1:", "202400:1:0:1:", "-202410:1:0:1:", "202410:1:0:1",
                          "202410:1:0:1:;", "202410:1:0:1:;202410:2:0:2:", "202410:?x", "x:1:0:1:", "202410:1:0:x:",
                          ";202410:1:0:1:"})
    EXPECT_THROW(stock::unpack_stock_month_entries(bad, 0, stock_entries), std::invalid_argument) << bad;
  for (const char* bad : {"202410:1", "202410:1:2:3", "202410:1:x", "202410:1:2;202410:?", "202410:1:2;"})
    EXPECT_THROW(stock::unpack_sold_month_entries(bad, 0, sold_entries), std::invalid_argument) << bad;

  // A writer's change: months replaced, added in order, removed (an empty entry).
  EXPECT_EQ(stock::replace_month_entries("202410:1:2;202412:5:6", {{202411, "202411:3:4"}, {202412, "202412:7:8"}}),
            "202410:1:2;202411:3:4;202412:7:8");
  EXPECT_EQ(stock::replace_month_entries("202412:5:6;202410:1:2", {}), "202410:1:2;202412:5:6");  // sorted
  EXPECT_EQ(stock::replace_month_entries("202410:1:2;202411:?", {{202411, ""}}), "202410:1:2");
  EXPECT_EQ(stock::replace_month_entries("202410:1:2", {{202410, ""}}), "");
  EXPECT_EQ(stock::replace_month_entries("", {{202401, "202401:?"}}), "202401:?");
  EXPECT_THROW(stock::replace_month_entries("202410:1:2;;", {}), std::invalid_argument);

  // Numbers are read eight characters at a time where the text has eight left: every length
  // of 1 to 18 digits (and 19, std::from_chars' path), either sign, at the text's end or before
  // more, as std::from_chars reads them.
  std::mt19937_64 rng(57);
  for (int length = 1; length <= 19; ++length)
    for (int round = 0; round < 40; ++round) {
      std::string digits(1, static_cast<char>('1' + rng() % 8));  // 19 digits still fit
      while (static_cast<int>(digits.size()) < length) digits += static_cast<char>('0' + rng() % 10);
      if (round % 5 == 0) digits = std::string(static_cast<std::size_t>(length), '0');  // zeros
      std::int64_t want = 0;
      const std::string number = (round % 2 ? "-" : "") + digits;
      std::from_chars(number.data(), number.data() + number.size(), want);
      for (const auto& text : {"202410:" + number + ":7", "202410:7:" + number, "202410:" + number + ":" + number + ";202411:?"}) {
        stock::unpack_sold_month_entries(text, 0, sold_entries);
        ASSERT_FALSE(sold_entries.empty()) << text;
        const bool first = text.starts_with("202410:" + number + ":");
        EXPECT_EQ(first ? sold_entries[0].sold_milli : sold_entries[0].net_sales, want) << text;
      }
    }
  EXPECT_THROW(stock::unpack_sold_month_entries("202410:1:9223372036854775808", 0, sold_entries), std::invalid_argument);
  EXPECT_THROW(stock::unpack_sold_month_entries("202410:1:12345678x12345678", 0, sold_entries), std::invalid_argument);
  EXPECT_THROW(stock::unpack_sold_month_entries("202410:-:1", 0, sold_entries), std::invalid_argument);
}

TEST(KpiDays, PacksAndUnpacksBothHalves) {
  std::vector<stock::StockDay> days{{20000, -3000, {{"damage", 1000}, {"theft", 2000}}}, {20001, 0, {}}};
  EXPECT_EQ(stock::pack_stock_days(days), "20000:-3000:damage=1000,theft=2000;20001:0");
  EXPECT_EQ(stock::unpack_stock_days("20001:0;20000:-3000:theft=2000,damage=1000"), days);  // any order in
  std::vector<stock::SoldDay> sold{{20000, 2000, 450, 2}, {20003, -1000, -225, 1}};
  EXPECT_EQ(stock::pack_sold_days(sold), "20000:2000:450:2;20003:-1000:-225:1");
  EXPECT_EQ(stock::unpack_sold_days("20003:-1000:-225:1;20000:2000:450:2"), sold);
  for (const char* bad : {"1", "1:2:3:4", "1:x", "1:2:damage", "1:2:damage=0", "1:2;1:3", "1:2:a=1,a=2", "1:2x", "x:1",
                          "1:-", "1:2;", "1:+2", "1: 2", "1:2:a=1x", "1:2:=1", "1:2:a=", "1:99999999999999999999"})
    EXPECT_THROW(stock::unpack_stock_days(bad), std::invalid_argument) << bad;
  for (const char* bad : {"1:2:3", "1:2:3:0", "1:2:3:4;1:2:3:4", "1:2:3:4:5", "1:2:3:4x", "1:2:3:4;", "1::3:4"})
    EXPECT_THROW(stock::unpack_sold_days(bad), std::invalid_argument) << bad;
  // Numbers of every length from 1 to 19 digits, either sign, anywhere in an entry (the
  // parser reads up to 7 digits as one word, longer ones digit by digit), come back as packed.
  {
    std::mt19937_64 rng(7);
    std::vector<stock::StockDay> many;
    std::vector<stock::SoldDay> sold_many;
    for (int i = 0; i < 2000; ++i) {
      auto any = [&rng]() {
        std::int64_t magnitude = static_cast<std::int64_t>(rng() >> (1 + rng() % 63));
        return rng() % 2 ? -magnitude : magnitude;
      };
      stock::StockDay d{20000 + i, any(), {}};
      if (i % 3 == 0) d.lost_milli["theft"] = 1 + static_cast<std::int64_t>(rng() >> (1 + rng() % 63));
      many.push_back(d);
      sold_many.push_back(stock::SoldDay{20000 + i, any(), any(), 1 + static_cast<std::int64_t>(rng() >> (1 + rng() % 63))});
    }
    EXPECT_EQ(stock::unpack_stock_days(stock::pack_stock_days(many)), many);
    EXPECT_EQ(stock::unpack_sold_days(stock::pack_sold_days(sold_many)), sold_many);
    EXPECT_EQ(stock::unpack_stock_days("20000:-9223372036854775807"),
              (std::vector<stock::StockDay>{{20000, -9223372036854775807LL, {}}}));
  }
  // Appending (the report reuses one vector): each text sorted and checked on its own, the
  // entries already there kept as they were.
  std::vector<stock::SoldDay> appended{{20005, 1, 1, 1}};
  stock::append_sold_days("20003:-1000:-225:1;20000:2000:450:2", appended);
  EXPECT_EQ(appended, (std::vector<stock::SoldDay>{{20005, 1, 1, 1}, {20000, 2000, 450, 2}, {20003, -1000, -225, 1}}));
  std::vector<stock::StockDay> appended_stock{{20001, 7, {}}};
  stock::append_stock_days("20001:0;20000:-3000:theft=2000,damage=1000", appended_stock);
  EXPECT_EQ(appended_stock.size(), 3u);
  EXPECT_EQ(appended_stock[1], days[0]);
  // Merging: a new day is inserted in order; a sales day whose lines all went (a void) goes.
  stock::merge_stock_day(days, {19999, 5000, {}});
  stock::merge_stock_day(days, {20000, -1000, {{"damage", 1000}}});
  EXPECT_EQ(stock::pack_stock_days(days), "19999:5000;20000:-4000:damage=2000,theft=2000;20001:0");
  stock::merge_sold_day(sold, {20000, -2000, -450, -2});
  EXPECT_EQ(stock::pack_sold_days(sold), "20003:-1000:-225:1");
}

TEST(Schema, MigrationNumbersRunFromOneWithoutGaps) {
  int expected = 1;
  for (const auto& m : schema::migrations()) EXPECT_EQ(m.version, expected++) << m.name;
  EXPECT_EQ(schema::latest_version(), expected - 1);
}

// Migration 40 makes the change feed's table again so it may carry transfers: every change
// keeps its seq (a node's cursor stays valid), and the next change numbers after the last.
TEST(Schema, MigrationFortyKeepsTheFeedsSeqsAndAllowsTransfers) {
  TempFile file;
  auto db = shop_at_version(file, 39);
  db->exec("DELETE FROM catalog_changes;"
           "INSERT INTO catalog_changes (seq, entity, key, changed_at) VALUES (7, 'item', 'I1', 1), (12, 'tax', 'tax', 2);");
  EXPECT_ANY_THROW(db->exec("INSERT INTO catalog_changes (entity, key, changed_at) VALUES ('transfer', 'T0', 3)"));
  ASSERT_EQ(schema::migrate(*db, 40), 40);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM catalog_changes WHERE (seq = 7 AND key = 'I1') OR (seq = 12 AND key = 'tax')"), 2);
  {
    db::Transaction tx(*db);
    catalog::store::note_change(*db, "transfer", "T1");
    tx.commit();
  }
  EXPECT_EQ(scalar(*db, "SELECT seq FROM catalog_changes WHERE entity = 'transfer' AND key = 'T1'"), 13);
  EXPECT_ANY_THROW(db->exec("INSERT INTO catalog_changes (entity, key, changed_at) VALUES ('other', 'X', 3)"));
}

TEST(Schema, MigrationFortyOneKeepsTheFeedAndTheConflictsAndAllowsPurchaseOrders) {
  TempFile file;
  auto db = shop_at_version(file, 40);
  db->exec("DELETE FROM catalog_changes;"
           "INSERT INTO catalog_changes (seq, entity, key, changed_at) VALUES (7, 'item', 'I1', 1), (12, 'transfer', 'T1', 2);");
  EXPECT_ANY_THROW(db->exec("INSERT INTO catalog_changes (entity, key, changed_at) VALUES ('purchase_order', 'P0', 3)"));
  // A conflict kept before (its node and document are not this test's: foreign keys off).
  db->exec("PRAGMA foreign_keys = OFF;"
           "INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, item_id, detail, created_at, status, hlc) "
           "VALUES ('C1', 'N1', 'L1', 'D1', 'negative_stock', 'I1', '{}', 5, 'open', 99);");
  ASSERT_EQ(schema::migrate(*db, 41), 41);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM catalog_changes WHERE (seq = 7 AND key = 'I1') OR (seq = 12 AND key = 'T1')"), 2);
  {
    db::Transaction tx(*db);
    catalog::store::note_change(*db, "purchase_order", "P1");
    tx.commit();
  }
  EXPECT_EQ(scalar(*db, "SELECT seq FROM catalog_changes WHERE entity = 'purchase_order' AND key = 'P1'"), 13);
  EXPECT_EQ(scalar(*db, "SELECT hlc FROM sync_conflicts WHERE id = 'C1' AND kind = 'negative_stock' AND status = 'open'"), 99);
  db->exec("INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, detail, created_at, status) "
           "VALUES ('C2', 'N1', 'L1', 'D2', 'po_not_receivable', '{}', 6, 'open');");
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM sync_conflicts"), 2);
  EXPECT_ANY_THROW(db->exec("INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, detail, created_at, status) "
                            "VALUES ('C3', 'N1', 'L1', 'D2', 'other', '{}', 6, 'open')"));
}

// Migration 42 makes the feed's table again so it may carry head office's sites (entity
// location, the destinations a store node ships to): every change keeps its seq, each site
// there is (never a bin) is noted after the last change, oldest first, and the next change
// numbers after those; the conflicts' table takes the kind destination_refused, its rows kept.
TEST(Schema, MigrationFortyTwoNotesEverySiteAfterTheFeedAndAllowsRefusedDestinations) {
  TempFile file;
  auto db = shop_at_version(file, 40);  // migrate(42) applies 41 too once that branch is merged
  db->exec("DELETE FROM catalog_changes;"
           "INSERT INTO catalog_changes (seq, entity, key, changed_at) VALUES (7, 'item', 'I1', 1), (12, 'transfer', 'T1', 2);"
           "DELETE FROM locations WHERE kind <> 'transit';"
           "INSERT INTO locations (id, name, kind, parent_id, sellable, created_at) VALUES "
           "('W1', 'Warehouse', 'warehouse', NULL, 0, 20), ('S1', 'Store', 'store', NULL, 1, 10), "
           "('B1', 'Store / damaged', 'damaged', 'S1', 0, 10);");
  EXPECT_ANY_THROW(db->exec("INSERT INTO catalog_changes (entity, key, changed_at) VALUES ('location', 'L0', 3)"));
  ASSERT_EQ(schema::migrate(*db, 42), 42);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM catalog_changes WHERE (seq = 7 AND key = 'I1') OR (seq = 12 AND key = 'T1')"), 2);
  EXPECT_EQ(scalar(*db, "SELECT seq FROM catalog_changes WHERE entity = 'location' AND key = 'S1'"), 13);
  EXPECT_EQ(scalar(*db, "SELECT seq FROM catalog_changes WHERE entity = 'location' AND key = 'W1'"), 14);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM catalog_changes WHERE entity = 'location'"), 2);  // no bin, no transit
  {
    db::Transaction tx(*db);
    catalog::store::note_change(*db, "item", "I2");
    tx.commit();
  }
  EXPECT_EQ(scalar(*db, "SELECT seq FROM catalog_changes WHERE key = 'I2'"), 15);
  EXPECT_ANY_THROW(db->exec("INSERT INTO catalog_changes (entity, key, changed_at) VALUES ('other', 'X', 3)"));
  EXPECT_ANY_THROW(db->exec("INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, detail, created_at, "
                            "status) VALUES ('C1', 'N1', 'S1', 'D1', 'other', '{}', 1, 'open')"));
}

// Migration 45 (store credit across stores) makes the credit ledger's table again so a node may
// keep head office's balance ('head_office' entries): every entry keeps its seq and the next
// numbers after them; the conflicts' table takes the kind store_credit_overdrawn, its rows kept;
// a shortfall is recorded once per sale and note, never zero.
TEST(Schema, MigrationFortyFiveKeepsTheCreditLedgerAndAllowsOverdrawnNotes) {
  TempFile file;
  auto db = shop_at_version(file, 44);
  db->exec("PRAGMA foreign_keys = OFF;"
           "INSERT INTO store_credits (id, code, balance, created_at, created_by) VALUES ('C1', 'SC-AAAA', 700, 1, 'ann');"
           "INSERT INTO store_credit_entries (seq, credit_id, amount, document_type, document_id, at, user) VALUES "
           "(5, 'C1', 1000, 'return', 'R1', 1, 'ann'), (9, 'C1', -300, 'sale', 'S1', 2, 'bob');"
           "INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, detail, created_at, status) "
           "VALUES ('K1', 'N1', 'L1', 'D1', 'destination_refused', '{}', 1, 'open');");
  EXPECT_ANY_THROW(db->exec("INSERT INTO store_credit_entries (credit_id, amount, document_type, document_id, at, user) "
                            "VALUES ('C1', 5, 'head_office', 'S2', 3, 'cid')"));
  ASSERT_EQ(schema::migrate(*db, 45), 45);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM store_credit_entries WHERE (seq = 5 AND amount = 1000 AND document_id = 'R1') "
                        "OR (seq = 9 AND amount = -300 AND user = 'bob')"), 2);
  db->exec("INSERT INTO store_credit_entries (credit_id, amount, document_type, document_id, at, user) "
           "VALUES ('C1', 5, 'head_office', 'S2', 3, 'cid')");
  EXPECT_EQ(scalar(*db, "SELECT seq FROM store_credit_entries WHERE document_id = 'S2'"), 10);
  EXPECT_ANY_THROW(db->exec("INSERT INTO store_credit_entries (credit_id, amount, document_type, document_id, at, user) "
                            "VALUES ('C1', 5, 'other', 'S3', 3, 'cid')"));
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM sync_conflicts WHERE id = 'K1' AND kind = 'destination_refused'"), 1);
  db->exec("INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, detail, created_at, status) "
           "VALUES ('K2', 'N1', 'L1', 'D2', 'store_credit_overdrawn', '{}', 2, 'open');"
           "INSERT INTO store_credit_shortfalls (sale_id, code, amount, at) VALUES ('S1', 'SC-AAAA', 200, 3);");
  EXPECT_ANY_THROW(db->exec("INSERT INTO store_credit_shortfalls (sale_id, code, amount, at) VALUES ('S1', 'SC-AAAA', 5, 4)"));
  EXPECT_ANY_THROW(db->exec("INSERT INTO store_credit_shortfalls (sale_id, code, amount, at) VALUES ('S2', 'SC-AAAA', 0, 4)"));
}

// Migration 43: a store node keeps head office's word on its shipments (status, received_at and
// each line's received, damaged, short, 'shipped' and 0 for the rows before it), and the receipts
// head office recorded "by" a node's key before it are by the node's store for people; a key
// that names no node (or any other "by") is left as it was.
TEST(Schema, MigrationFortyThreeNamesNodeReceiptsByTheirStoreAndKeepsShipmentReceipts) {
  TempFile file;
  auto db = shop_at_version(file, 42);
  db->exec("PRAGMA foreign_keys = OFF;"
           "INSERT INTO locations (id, name, kind, parent_id, sellable, created_at) VALUES "
           "('S1', 'Harbour', 'store', NULL, 1, 10), ('W1', 'Warehouse', 'warehouse', NULL, 0, 10);"
           "INSERT INTO sync_nodes (id, location_id, key_id, created_at, created_by) VALUES ('N1', 'S1', 'K1', 1, 'admin');"
           "INSERT INTO transfers (id, number, from_location_id, to_location_id, status, request_hash, shipped_at, "
           "shipped_by, received_at, received_by) VALUES ('T1', 1, 'W1', 'S1', 'received', '', 1, 'ann', 2, 'apikey:node N1'), "
           "('T2', 2, 'S1', 'W1', 'received', '', 1, 'ann', 2, 'bob');"
           "INSERT INTO transfer_receipts (id, transfer_id, number, closes, request_hash, at, user) VALUES "
           "('R1', 'T1', 1, 1, '', 2, 'apikey:node N1'), ('R2', 'T2', 1, 1, '', 2, 'apikey:node N9');"
           "INSERT INTO po_receipts (id, order_id, number, request_hash, at, user) VALUES ('P1', 'O1', 1, '', 2, 'apikey:node N1');"
           "INSERT INTO sync_outbound_transfers (id, number, from_location_id, to_id, to_name, request_hash, shipped_at, "
           "shipped_by) VALUES ('X1', 1, 'S1', 'W1', 'Warehouse', '', 1, 'ann');"
           "INSERT INTO sync_outbound_transfer_lines (id, transfer_id, line_no, item_id, shipped) VALUES ('XL1', 'X1', 1, 'I1', 2000);");
  ASSERT_EQ(schema::migrate(*db, 43), 43);
  auto text = [&db](const std::string& sql) {
    auto q = db->query(sql);
    return q.step() ? q.text(0) : std::string("(none)");
  };
  EXPECT_EQ(text("SELECT received_by FROM transfers WHERE id = 'T1'"), "Harbour (store node)");
  EXPECT_EQ(text("SELECT received_by FROM transfers WHERE id = 'T2'"), "bob");
  EXPECT_EQ(text("SELECT user FROM transfer_receipts WHERE id = 'R1'"), "Harbour (store node)");
  EXPECT_EQ(text("SELECT user FROM transfer_receipts WHERE id = 'R2'"), "apikey:node N9");
  EXPECT_EQ(text("SELECT user FROM po_receipts WHERE id = 'P1'"), "Harbour (store node)");
  EXPECT_EQ(text("SELECT status FROM sync_outbound_transfers WHERE id = 'X1'"), "shipped");
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM sync_outbound_transfers WHERE received_at IS NULL"), 1);
  EXPECT_EQ(scalar(*db, "SELECT received + damaged + short FROM sync_outbound_transfer_lines WHERE id = 'XL1'"), 0);
}

namespace {

// Migration 44 makes the four transfer tables again so a transfer may be cancelled: every row
// keeps its values, the references between them survive (foreign keys on), and the new
// status and its columns go together.
TEST(Schema, MigrationFortyFourKeepsTransfersAndTheirReferencesAndAllowsCancelled) {
  TempFile file;
  auto db = shop_at_version(file, 43);
  db->exec("PRAGMA foreign_keys = ON;"
           "INSERT INTO locations (id, name, kind, sellable, created_at) VALUES ('W1', 'Warehouse', 'warehouse', 0, 0);"
           "INSERT INTO transfers (id, number, from_location_id, to_location_id, status, note, request_hash, shipped_at, "
           "shipped_by, received_at, received_by) VALUES ('T1', 1, 'W1', 'L1', 'received', 'n1', 'h1', 1, 'ann', 2, 'bob'), "
           "('T2', 2, 'W1', 'L1', 'in_transit', '', 'h2', 3, 'ann', NULL, NULL);"
           "INSERT INTO transfer_lines (id, transfer_id, line_no, item_id, shipped, received, damaged, short) VALUES "
           "('TL1', 'T1', 1, 'I1', 5000, 3000, 1000, 1000), ('TL2', 'T2', 1, 'I2', 4000, 1000, 0, 0), "
           "('TL3', 'T2', 2, 'I1', 2000, NULL, NULL, 0);"
           "INSERT INTO transfer_receipts (id, transfer_id, number, closes, request_hash, at, user) VALUES "
           "('R1', 'T1', 1, 1, 'rh', 2, 'bob'), ('R2', 'T2', 1, 0, 'rh2', 4, 'cy');"
           "INSERT INTO transfer_receipt_lines (receipt_id, line_id, received, damaged, short) VALUES "
           "('R1', 'TL1', 3000, 1000, 1000), ('R2', 'TL2', 1000, 0, 0);");
  EXPECT_ANY_THROW(db->exec("UPDATE transfers SET status = 'cancelled' WHERE id = 'T2'"));
  ASSERT_EQ(schema::migrate(*db, 44), 44);
  auto text = [&db](const std::string& sql) {
    auto q = db->query(sql);
    return q.step() ? q.text(0) : std::string("(none)");
  };
  EXPECT_EQ(text("SELECT id || number || from_location_id || to_location_id || status || note || request_hash || "
                 "shipped_at || shipped_by || received_at || received_by FROM transfers WHERE id = 'T1'"),
            "T11W1L1receivedn1h11ann2bob");
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM transfers WHERE id = 'T2' AND status = 'in_transit' AND received_at IS NULL "
                        "AND cancelled_at IS NULL AND cancelled_by IS NULL AND cancel_reason IS NULL"), 1);
  EXPECT_EQ(scalar(*db, "SELECT received + damaged + short + returned FROM transfer_lines WHERE id = 'TL3'"), 0);
  EXPECT_EQ(text("SELECT received || '/' || damaged || '/' || short || '/' || returned FROM transfer_lines WHERE id = 'TL1'"),
            "3000/1000/1000/0");
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM transfer_receipts"), 2);
  EXPECT_EQ(scalar(*db, "SELECT SUM(received) FROM transfer_receipt_lines"), 4000);
  // The references point at the tables of today's names, and hold.
  for (const auto& [table, parent] : std::vector<std::pair<std::string, std::string>>{
           {"transfer_lines", "transfers"}, {"transfer_receipts", "transfers"}}) {
    EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM pragma_foreign_key_list('" + table + "') WHERE \"table\" = '" + parent + "'"), 1)
        << table;
  }
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM pragma_foreign_key_list('transfer_receipt_lines') "
                        "WHERE \"table\" IN ('transfer_receipts', 'transfer_lines')"), 2);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM sqlite_master WHERE sql LIKE '%\\_44%' ESCAPE '\\'"), 0);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
  EXPECT_ANY_THROW(db->exec("INSERT INTO transfer_lines (id, transfer_id, line_no, item_id, shipped) VALUES ('X', 'T9', 1, 'I1', 1)"));
  EXPECT_ANY_THROW(db->exec("DELETE FROM transfers WHERE id = 'T2'"));
  // Cancelled goes with when; nothing else is a status.
  EXPECT_ANY_THROW(db->exec("UPDATE transfers SET status = 'cancelled' WHERE id = 'T2'"));
  EXPECT_ANY_THROW(db->exec("UPDATE transfers SET status = 'lost', cancelled_at = 5 WHERE id = 'T2'"));
  db->exec("UPDATE transfers SET status = 'cancelled', cancelled_at = 5, cancelled_by = 'ann', cancel_reason = 'typo' WHERE id = 'T2'");
  EXPECT_EQ(text("SELECT status FROM transfers WHERE id = 'T2'"), "cancelled");
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('transfers_number', "
                        "'transfers_from', 'transfers_to', 'transfer_receipt_lines_line')"), 4);
}

}  // namespace

// Migration 49 (settling a store node's store-credit shortfall): a shortfall from before it is
// kept, unsettled; a settlement is one of two words; `backroom check`'s part proves a settled
// shortfall says who settled it and when.
TEST(Schema, MigrationFortyNineKeepsShortfallsUnsettledAndChecksWhoSettled) {
  TempFile file;
  auto db = shop_at_version(file, 47);
  db->exec("PRAGMA foreign_keys = OFF;"
           "INSERT INTO store_credit_shortfalls (sale_id, code, amount, at) VALUES ('S1', 'SC-AAAA', 200, 3);");
  ASSERT_EQ(schema::migrate(*db, 49), 49);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM store_credit_shortfalls WHERE sale_id = 'S1' AND amount = 200 AND "
                        "settlement IS NULL AND settled_at IS NULL AND settled_by IS NULL"), 1);
  EXPECT_ANY_THROW(db->exec("UPDATE store_credit_shortfalls SET settlement = 'forgiven', settled_at = 4, settled_by = 'ann'"));
  db->exec("UPDATE store_credit_shortfalls SET settlement = 'written_off'");
  auto problems = sales::check_store_credits(*db);
  auto said = std::find_if(problems.begin(), problems.end(),
                           [](const std::string& p) { return p.find("settled without who and when") != std::string::npos; });
  EXPECT_NE(said, problems.end());
  db->exec("UPDATE store_credit_shortfalls SET settled_at = 4, settled_by = 'ann'");
  problems = sales::check_store_credits(*db);
  EXPECT_EQ(std::count_if(problems.begin(), problems.end(),
                          [](const std::string& p) { return p.find("settled without") != std::string::npos; }),
            0);
}

// Migration 50 makes the conflicts' table again so it may take the kinds
// cancelled_shipment_received and shipment_cancel_not_applied: every row is kept with its
// status, detail and order, and a kind outside the vocabulary is still refused.
TEST(Schema, MigrationFiftyKeepsTheConflictsAndAllowsTheCancelledShipmentKinds) {
  TempFile file;
  auto db = shop_at_version(file, 49);
  db->exec("PRAGMA foreign_keys = OFF;"
           "INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, item_id, detail, created_at, status, "
           "resolved_at, resolved_by, note, hlc) VALUES "
           "('C1', 'N1', 'L1', 'D1', 'shipment_cancel_after_receipt', NULL, '{\"number\":\"T-000001\"}', 5, 'open', NULL, "
           "NULL, NULL, 99), ('C2', 'N1', 'L1', 'D2', 'negative_stock', 'I1', '{}', 6, 'resolved', 7, 'ann', 'counted', 100);");
  EXPECT_ANY_THROW(db->exec("INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, detail, created_at, "
                            "status) VALUES ('C3', 'N1', 'L1', 'D3', 'cancelled_shipment_received', '{}', 8, 'open')"));
  ASSERT_EQ(schema::migrate(*db, 50), 50);
  EXPECT_EQ(scalar(*db, "SELECT hlc FROM sync_conflicts WHERE id = 'C1' AND kind = 'shipment_cancel_after_receipt' AND "
                        "status = 'open' AND detail = '{\"number\":\"T-000001\"}' AND created_at = 5"), 99);
  EXPECT_EQ(scalar(*db, "SELECT hlc FROM sync_conflicts WHERE id = 'C2' AND kind = 'negative_stock' AND item_id = 'I1' AND "
                        "status = 'resolved' AND resolved_at = 7 AND resolved_by = 'ann' AND note = 'counted'"), 100);
  db->exec("INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, detail, created_at, status) VALUES "
           "('C3', 'N1', 'L1', 'D3', 'cancelled_shipment_received', '{}', 8, 'open'), "
           "('C4', 'N1', 'L1', 'D4', 'shipment_cancel_not_applied', '{}', 9, 'open');");
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM sync_conflicts"), 4);
  EXPECT_ANY_THROW(db->exec("INSERT INTO sync_conflicts (id, node_id, location_id, document_id, kind, detail, created_at, "
                            "status) VALUES ('C5', 'N1', 'L1', 'D5', 'other', '{}', 10, 'open')"));
}

// Migration 59 keys the stock months (month, account) on SQLite: every row is kept with its
// days and totals, a month's rows are found by the key's first column, the key still refuses a
// month twice, and the KPI check stays clean.
TEST(Schema, MigrationFiftyNineKeysStockMonthsByMonthAndKeepsEveryRow) {
  TempFile file;
  auto db = shop_at_version(file, 58);
  db->exec("INSERT INTO stock_day_months (account, month, days, net_change, low_change, day_weighted, losses) VALUES "
           "(2, 202401, '19723:3000', 3000, 0, 59169000, ''), (1, 202402, '19754:-1000:damage=1000', -1000, -1000, "
           "-19754000, 'damage=1000'), (1, 202401, '19723:5000', NULL, NULL, NULL, NULL);");
  ASSERT_EQ(schema::migrate(*db, 59), 59);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM stock_day_months"), 3);
  EXPECT_EQ(scalar(*db, "SELECT day_weighted FROM stock_day_months WHERE account = 2 AND month = 202401 AND "
                        "days = '19723:3000' AND net_change = 3000 AND low_change = 0 AND losses = ''"), 59169000);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM stock_day_months WHERE account = 1 AND month = 202402 AND "
                        "days = '19754:-1000:damage=1000' AND losses = 'damage=1000' AND low_change = -1000"), 1);
  EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM stock_day_months WHERE account = 1 AND month = 202401 AND "
                        "net_change IS NULL AND day_weighted IS NULL AND losses IS NULL"), 1);
  // In key order: month first.
  std::vector<std::pair<std::int64_t, std::int64_t>> order;
  for (auto q = db->query("SELECT month, account FROM stock_day_months"); q.step();) order.emplace_back(q.int64(0), q.int64(1));
  EXPECT_EQ(order, (std::vector<std::pair<std::int64_t, std::int64_t>>{{202401, 1}, {202401, 2}, {202402, 1}}));
  std::string plan;
  for (auto q = db->query("EXPLAIN QUERY PLAN SELECT days FROM stock_day_months WHERE month = 202401"); q.step();)
    plan += q.text(3);
  EXPECT_NE(plan.find("PRIMARY KEY (month=?)"), std::string::npos) << plan;
  EXPECT_ANY_THROW(db->exec("INSERT INTO stock_day_months (account, month, days) VALUES (1, 202401, '19723:1')"));
  EXPECT_ANY_THROW(db->exec("INSERT INTO stock_day_months (account, month, days) VALUES (3, 202413, '19723:1')"));
}
