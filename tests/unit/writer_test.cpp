// The single writer on a real SQLite file: group commit with a savepoint per command, an
// answer only once the batch is committed (and synced), and a WAL that starts over under a
// steady stream of commits with readers present.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "platform/db.hpp"
#include "platform/writer.hpp"

namespace {

using namespace backroom;

struct TempDb {
  std::string path;
  TempDb() {
    static int n = 0;
    path = (std::filesystem::temp_directory_path() /
            ("backroom-writer-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".db"))
               .string();
    remove();
    auto db = db::Db::open(path, db::Mode::read_write);
    db->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  }
  ~TempDb() { remove(); }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  std::int64_t count() const {
    auto db = db::Db::open(path, db::Mode::read_only);
    auto q = db->query("SELECT COUNT(*) FROM t");
    q.step();
    return q.int64(0);
  }
};

TEST(Writer, AFailingCommandRollsBackAloneAndItsNeighboursCommit) {
  TempDb t;
  std::vector<std::future<std::exception_ptr>> results;
  {
    Writer writer(t.path);
    for (int i = 0; i < 200; ++i) {
      auto done = std::make_shared<std::promise<std::exception_ptr>>();
      results.push_back(done->get_future());
      writer.submit(
          [i](db::Db& db) {
            db.query("INSERT INTO t (id, v) VALUES (?, 'x')").bind(1, static_cast<std::int64_t>(i)).run();
            if (i % 7 == 3) throw std::runtime_error("refused");  // after its insert: must be undone
          },
          [done](std::exception_ptr e) { done->set_value(e); });
    }
  }
  int failed = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto e = results[i].get();
    EXPECT_EQ(e != nullptr, i % 7 == 3) << i;
    failed += e != nullptr;
  }
  EXPECT_EQ(t.count(), 200 - failed);
}

TEST(Writer, AnAnswerMeansTheRowIsCommittedForEveryOtherConnection) {
  TempDb t;
  Writer writer(t.path);
  auto reader = db::Db::open(t.path, db::Mode::read_only);
  for (int i = 0; i < 50; ++i) {
    writer.run([i](db::Db& db) { db.query("INSERT INTO t (id, v) VALUES (?, 'y')").bind(1, static_cast<std::int64_t>(i)).run(); });
    auto q = reader->query("SELECT COUNT(*) FROM t");
    q.step();
    EXPECT_EQ(q.int64(0), i + 1);
  }
  EXPECT_EQ(writer.commands(), 50u);
}

TEST(Writer, TheWalStartsOverUnderSteadyCommitsWithReaders) {
  TempDb t;
  std::atomic<bool> stop{false};
  std::thread reader([&] {  // short read transactions all the time, as the HTTP threads do
    auto db = db::Db::open(t.path, db::Mode::read_only);
    while (!stop) {
      {
        auto q = db->query("SELECT MAX(id) FROM t");
        q.step();
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  const std::string page(4000, 'p');  // about one 4 KiB page per command
  const int commands = wal_restart_pages * 3;
  {
    Writer writer(t.path);
    std::vector<std::future<void>> pending;
    for (int i = 0; i < commands; ++i) {
      auto done = std::make_shared<std::promise<void>>();
      pending.push_back(done->get_future());
      writer.submit([&page](db::Db& db) { db.query("INSERT INTO t (v) VALUES (?)").bind(1, page).run(); },
                    [done](std::exception_ptr) { done->set_value(); });
      if (i % 256 == 255) pending[static_cast<std::size_t>(i)].wait();  // a steady stream, not one huge batch
    }
    for (auto& p : pending) p.wait();
    auto wal_bytes = std::filesystem::file_size(t.path + "-wal");
    // Without a restart the WAL would hold every one of the commands' pages (about 50 MB);
    // the margin lets a busy machine's readers push a few restarts to a later commit.
    EXPECT_LT(wal_bytes, static_cast<std::uintmax_t>(wal_restart_pages * 2) * 4200) << wal_bytes;
    EXPECT_GT(writer.checkpoints(), 0u);
  }
  stop = true;
  reader.join();
  EXPECT_EQ(t.count(), commands);
}

TEST(Writer, AnInMemoryDatabaseHasNoWalToSync) {
  Writer writer(":memory:");
  writer.run([](db::Db& db) { db.exec("CREATE TABLE m (x INTEGER)"); });
  writer.run([](db::Db& db) { db.exec("INSERT INTO m VALUES (1)"); });
  EXPECT_EQ(writer.commands(), 2u);
}

}  // namespace
