// Invariants stop the process: BR_ASSERT is on in every build and names file:line and
// the broken promise; db::assert_in_transaction names the store function that wrote
// outside a transaction.
#include <gtest/gtest.h>

#include <string>

#include "platform/assert.hpp"
#include "platform/db.hpp"

namespace backroom {
namespace {

void check_positive(int n) { BR_ASSERT(n > 0, "n is positive"); }

TEST(AssertDeathTest, AFailedAssertionAbortsNamingFileLineAndMessage) {
  const int line = __LINE__ - 3;  // the BR_ASSERT in check_positive
  std::string expected = "assert_test\\.cpp:" + std::to_string(line) + ": assertion failed: n is positive \\(n > 0\\)";
  EXPECT_DEATH(check_positive(0), expected);
}

TEST(AssertDeathTest, AHoldingAssertionDoesNothing) {
  check_positive(1);
  SUCCEED();
}

void write_row(db::Db& db) {
  db::assert_in_transaction(db);
  db.query("INSERT INTO t (n) VALUES (1)").run();
}

TEST(AssertDeathTest, AStoreWriteOutsideATransactionAborts) {
  auto db = db::Db::open(":memory:", db::Mode::read_write);
  db->exec("CREATE TABLE t (n INTEGER)");
  {
    db::Transaction tx(*db);
    write_row(*db);
    tx.commit();
  }
  EXPECT_DEATH(write_row(*db), "assert_test\\.cpp:[0-9]+: assertion failed: .*write_row.* writes outside a transaction");
}

}  // namespace
}  // namespace backroom
