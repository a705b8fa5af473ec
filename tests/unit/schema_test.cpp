// Migrations on a real SQLite file: a database written by an older backroom keeps every
// row and comes out consistent. Migration 6 (stock accounts) numbers the balances of an
// existing ledger and posts every old movement to its account.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "platform/schema.hpp"
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
    if (p.starts_with("balance:") || p.starts_with("account:") || p.starts_with("reserved:")) out.push_back(p);
  return out;
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
  // Today's post_movements also notes the availability change (a table of migration 19); the
  // rows it posts are what version 8 had, so the note goes to a stand-in dropped before upgrading.
  db->exec("CREATE TABLE availability_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL, "
           "location_id TEXT NOT NULL, changed_at INTEGER NOT NULL)");
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
  ASSERT_EQ(schema::migrate(*db), schema::latest_version());

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

// `migrate --to-version N-1` and the upgrade test's "the version before" assume the numbers run
// 1, 2, ... without a gap or a repeat: a branch that reserved a number must renumber on merge.
TEST(Schema, MigrationNumbersRunFromOneWithoutGaps) {
  int expected = 1;
  for (const auto& m : schema::migrations()) EXPECT_EQ(m.version, expected++) << m.name;
  EXPECT_EQ(schema::latest_version(), expected - 1);
}
