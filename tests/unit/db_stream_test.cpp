// Db::stream (platform/db.hpp): a SELECT's rows read once, in order. On PostgreSQL inside a
// read-only transaction they come through a cursor a FETCH at a time (pg_db.cpp, PgStream); these tests
// hold it to giving exactly what query() gives, on both backends: batches' edges, several
// streams stepped in turn, parameters, a stream left halfway and used again, one that outlives
// its transaction, and no cursor in a writing transaction or outside one.
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "platform/db.hpp"
#include "pg_cluster.hpp"

namespace {

using namespace backroom;

// A FETCH brings 2,000 rows (pg_db.cpp): these counts end a batch early, exactly, and one past.
const std::vector<int> row_counts = {0, 1, 1999, 2000, 2001, 4000, 4567};

void make_numbers(db::Db& db) {
  db.exec("CREATE TABLE numbers (n INTEGER NOT NULL, label TEXT, odd INTEGER NOT NULL)");
  db::Transaction tx(db);
  for (int n = 1; n <= 4567; ++n)
    db.query("INSERT INTO numbers (n, label, odd) VALUES (?, ?, ?)")
        .bind(1, n)
        .bind(2, n % 10 == 0 ? std::optional<std::string>() : std::optional<std::string>(fmt::format("n{}", n)))
        .bind(3, n % 2)
        .run();
  tx.commit();
}

struct Row {
  std::int64_t n;
  std::string label;  // "<null>" for NULL
  bool operator==(const Row&) const = default;
};
void PrintTo(const Row& r, std::ostream* os) { *os << r.n << ":" << r.label; }

std::vector<Row> read_all(db::Query& q) {
  std::vector<Row> out;
  while (q.step()) out.push_back(Row{q.int64(0), q.is_null(1) ? "<null>" : q.text(1)});
  return out;
}

const char* const numbers_up_to = "SELECT n, label FROM numbers WHERE n <= ? ORDER BY n";

// The same rows through query(), in a statement of its own (a statement is in one use at a
// time: the stream's text through query() would be the stream's own statement).
std::vector<Row> queried(db::Db& db, int up_to) {
  auto q = db.query("SELECT n AS number, label FROM numbers WHERE n <= ? ORDER BY n");
  q.bind(1, up_to);
  return read_all(q);
}

// The open cursors of this connection (PostgreSQL).
std::vector<std::string> cursors(db::Db& db) {
  std::vector<std::string> names;
  auto q = db.query("SELECT name FROM pg_cursors WHERE name <> '' ORDER BY name");  // not this statement's portal
  while (q.step()) names.push_back(q.text(0));
  return names;
}

void expect_streams_as_queries(db::Db& db) {
  make_numbers(db);
  const bool pg = db.dialect() == db::Dialect::postgres;
  {
    db::ReadSnapshot snapshot(db);
    for (int count : row_counts) {
      auto q = db.stream(numbers_up_to);
      q.bind(1, count);
      auto got = read_all(q);
      EXPECT_EQ(got.size(), static_cast<std::size_t>(count));
      EXPECT_EQ(got, queried(db, count)) << count << " rows";
      if (pg) {
        EXPECT_EQ(cursors(db), std::vector<std::string>{"br_cursor1"}) << "read through a cursor, open until reset";
      }
    }
    if (pg) {
      EXPECT_TRUE(cursors(db).empty()) << "each closed when its Query reset";
    }

    // Three streams stepped in turn, each its own rows (text and NULL parameters too).
    auto evens = db.stream("SELECT n, label FROM numbers WHERE odd = ? ORDER BY n");
    evens.bind(1, 0);
    auto labelled = db.stream("SELECT n, label FROM numbers WHERE label >= ? AND n > ? ORDER BY n DESC");
    labelled.bind(1, "n2").bind(2, 1000);
    auto none = db.stream("SELECT n, label FROM numbers WHERE label = ? ORDER BY n");
    none.bind_null(1);
    std::vector<Row> got_evens, got_labelled;
    bool more_evens = true, more_labelled = true;
    while (more_evens || more_labelled) {
      if (more_evens && (more_evens = evens.step())) got_evens.push_back(Row{evens.int64(0), evens.is_null(1) ? "<null>" : evens.text(1)});
      for (int k = 0; k < 3 && more_labelled; ++k)
        if ((more_labelled = labelled.step())) got_labelled.push_back(Row{labelled.int64(0), labelled.text(1)});
    }
    EXPECT_FALSE(none.step()) << "= NULL matches nothing";
    ASSERT_EQ(got_evens.size(), 4567u / 2);
    EXPECT_EQ(got_evens.front(), (Row{2, "n2"}));
    EXPECT_EQ(got_evens[4], (Row{10, "<null>"}));
    EXPECT_EQ(got_evens.back(), (Row{4566, "n4566"}));
    std::vector<Row> want_labelled;
    {
      auto q = db.query("SELECT n AS number, label FROM numbers WHERE label >= ? AND n > ? ORDER BY n DESC");
      q.bind(1, "n2").bind(2, 1000);
      want_labelled = read_all(q);
    }
    EXPECT_EQ(got_labelled, want_labelled);
    EXPECT_GT(want_labelled.size(), 2000u) << "the case crosses a batch";
    if (pg) {
      EXPECT_EQ(cursors(db).size(), 3u);
    }
  }

  // Left halfway, used again in the same transaction: read from its start.
  {
    db::ReadSnapshot snapshot(db);
    for (int round = 0; round < 2; ++round) {
      auto q = db.stream(numbers_up_to);
      q.bind(1, 4567);
      for (int k = 0; k < 2500; ++k) ASSERT_TRUE(q.step());
      EXPECT_EQ(q.int64(0), 2500);
    }
    auto q = db.stream(numbers_up_to);
    q.bind(1, 4567);
    EXPECT_EQ(read_all(q), queried(db, 4567));
  }

  // A stream that outlives its transaction: nothing to close, the connection carries on.
  {
    auto outliving = std::make_unique<db::Query>(db.stream(numbers_up_to));
    {
      db::ReadSnapshot snapshot(db);
      outliving->bind(1, 4567);
      ASSERT_TRUE(outliving->step());
    }
    outliving.reset();
    EXPECT_EQ(queried(db, 3).size(), 3u);
    if (pg) {
      EXPECT_TRUE(cursors(db).empty());
    }
  }

  // In a writing transaction (a savepoint rolled back could close a cursor under the stream):
  // the statement itself, every row, no cursor.
  {
    db::Transaction tx(db);
    auto q = db.stream(numbers_up_to);
    q.bind(1, 4100);
    ASSERT_TRUE(q.step());
    if (pg) {
      EXPECT_TRUE(cursors(db).empty());
    }
    std::vector<Row> got{Row{q.int64(0), q.is_null(1) ? "<null>" : q.text(1)}};
    for (const auto& row : read_all(q)) got.push_back(row);
    EXPECT_EQ(got, queried(db, 4100));
  }

  // Outside a transaction: the statement itself, every row.
  {
    auto q = db.stream(numbers_up_to);
    q.bind(1, 4001);
    EXPECT_EQ(read_all(q), queried(db, 4001));
  }
}

TEST(DbStream, GivesWhatQueryGivesOnSqlite) {
  auto path = fmt::format("/tmp/backroom-db-stream-{}.db", ::getpid());
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  {
    auto db = db::Db::open(path, db::Mode::read_write);
    expect_streams_as_queries(*db);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

TEST(DbStreamOnPostgres, GivesWhatQueryGivesThroughCursors) {
  BACKROOM_NEED_PG_CLUSTER(base);
  test::PgScratchDb scratch(base, "db_stream");
  auto db = db::Db::open(scratch.uri(), db::Mode::read_write);
  expect_streams_as_queries(*db);
}

// A statement the server refuses fails the stream as it fails a query, and the connection's
// next transaction works.
TEST(DbStreamOnPostgres, AnErrorIsThrownAndTheNextTransactionWorks) {
  BACKROOM_NEED_PG_CLUSTER(base);
  test::PgScratchDb scratch(base, "db_stream_error");
  auto db = db::Db::open(scratch.uri(), db::Mode::read_write);
  make_numbers(*db);
  {
    db::ReadSnapshot snapshot(*db);
    auto q = db->stream("SELECT n, 100 / (n - 2500) FROM numbers ORDER BY n");
    EXPECT_THROW(
        {
          while (q.step()) {
          }
        },
        db::DbError);
  }
  db::ReadSnapshot snapshot(*db);
  auto q = db->stream(numbers_up_to);
  q.bind(1, 2222);
  EXPECT_EQ(read_all(q), queried(*db, 2222));
}

}  // namespace
