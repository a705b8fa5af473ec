// db::SharedReadSnapshot on PostgreSQL (platform/db_shared_snapshot.hpp): the first
// connection's snapshot exported and imported by the others, so a read split across
// connections (the KPI report's item ranges) sees one state even when a write commits
// between the first's start and the others'.
#include <gtest/gtest.h>

#include <cstdint>

#include "platform/db.hpp"
#include "platform/db_shared_snapshot.hpp"
#include "pg_cluster.hpp"

namespace {

using namespace backroom;

std::int64_t total(db::Db& db) {
  auto q = db.query("SELECT COALESCE(SUM(n), 0) FROM counted");
  return q.step() ? q.int64(0) : -1;
}

TEST(SharedSnapshotOnPostgres, HelpersReadTheFirstsStateThoughAWriteCommitsBetween) {
  BACKROOM_NEED_PG_CLUSTER(base);
  test::PgScratchDb scratch(base, "shared_snapshot");
  auto writer = db::Db::open(scratch.uri(), db::Mode::read_write);
  writer->exec("CREATE TABLE counted (n INTEGER NOT NULL)");
  writer->exec("INSERT INTO counted (n) VALUES (1), (2), (3)");
  auto first = db::Db::open(scratch.uri(), db::Mode::read_only);
  auto helper = db::Db::open(scratch.uri(), db::Mode::read_only);
  {
    db::SharedReadSnapshot snapshot(*first, {helper.get()}, [&] { writer->exec("INSERT INTO counted (n) VALUES (100)"); });
    EXPECT_TRUE(snapshot.shared());
    EXPECT_EQ(total(*first), 6);
    EXPECT_EQ(total(*helper), 6) << "the first's snapshot, not one begun after the write";
    EXPECT_EQ(total(*writer), 106);
  }
  EXPECT_EQ(total(*helper), 106) << "the write committed; outside the snapshot it is seen";

  // SharedReaders opens its helpers on PostgreSQL when asked (the KPI report), not otherwise.
  {
    db::SharedReaders readers(*first, scratch.uri(), 2, true);
    ASSERT_EQ(readers.helpers().size(), 1u);
    writer->exec("INSERT INTO counted (n) VALUES (1000)");
    EXPECT_EQ(total(*readers.helpers().front()), 106);
    EXPECT_EQ(total(*first), 106);
  }
  {
    db::SharedReaders readers(*first, scratch.uri(), 2);
    EXPECT_TRUE(readers.helpers().empty());
  }
}

}  // namespace
