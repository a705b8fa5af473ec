// The single writer. SQLite allows one writer, so every command runs here, on one
// thread that owns the read-write connection. Commands that arrive together share one
// durable transaction (group commit); each runs inside its own SAVEPOINT, so a command
// that throws is rolled back alone and its neighbours still commit. A command's `done`
// runs only after the transaction is durable (or failed as a whole).
//
// Durability is pipelined: the writer commits with synchronous=NORMAL and hands the batch
// to a syncer thread, which fdatasync()s the WAL and only then runs the batch's `done`s, so
// batch n+1 executes while batch n reaches the disk. Acknowledged means on disk, exactly
// as with synchronous=FULL; readers on other connections may see a batch a few hundred
// microseconds before it is durable (and acknowledged).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/db.hpp"

namespace backroom {

inline constexpr std::size_t writer_batch_commands_max = 512;
inline constexpr std::size_t writer_queue_commands_max = 20'000;
// The WAL is copied back into the database by a checkpointer thread each time it grew by
// this many pages, so that the writer never stops for a checkpoint. Small and
// often keeps the tail short: at 32 clients p99 was 25-28 ms every 250-500 pages, 33-77 ms
// every 1,000 and 130-140 ms every 10,000, for the same throughput (docs/performance.md).
inline constexpr int wal_checkpoint_pages = 500;
// Past this many pages (16 MiB) the writer restarts the WAL itself after a commit.
inline constexpr int wal_restart_pages = 4000;

class Writer {
 public:
  using Work = std::function<void(db::Db&)>;
  // Receives nullptr on success, else the exception the command (or the commit) threw.
  using Done = std::function<void(std::exception_ptr)>;

  explicit Writer(const std::string& path);
  ~Writer();  // finishes queued commands, then stops
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues a command. When the queue is full `done` receives a Problem 503 at once.
  void submit(Work work, Done done);
  // Queues and waits; rethrows the command's exception.
  void run(Work work);

  std::uint64_t transactions() const;
  std::uint64_t commands() const;
  std::uint64_t checkpoints() const;
  // Microseconds spent running batches (BEGIN to COMMIT) since the writer started: read twice,
  // the share of the time between that the writer was busy (how background work tells a rush).
  std::int64_t busy_micros() const { return busy_micros_.load(std::memory_order_relaxed); }

 private:
  struct Command {
    Work work;
    Done done;
    std::int64_t queued_at;  // steady clock, microseconds
  };
  struct Committed {  // a batch waiting for its WAL fsync
    std::vector<Done> dones;
    std::vector<std::exception_ptr> results;
    std::vector<Work> spent;  // freed by the syncer: what a command holds is not the writer's work
    std::int64_t committed_at;
  };
  // Where a command's time goes, summed in microseconds and logged at shutdown: waiting
  // for the writer, its batch running, waiting for the syncer, the fdatasync itself.
  struct Timings {
    std::int64_t queued = 0, batch = 0, sync_wait = 0, sync = 0;  // per command
    std::int64_t syncs_timed = 0;
    std::int64_t longest_batch = 0, longest_sync = 0;  // microseconds
  };
  void loop();
  void sync_loop();
  void checkpoint_loop();
  static int on_wal_commit(void* self, sqlite3* handle, const char* schema, int pages);

  std::unique_ptr<db::Db> db_;
  std::unique_ptr<db::Db> checkpoint_db_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Command> queue_;
  bool stopping_ = false;
  std::uint64_t transactions_ = 0;
  std::uint64_t commands_ = 0;
  std::uint64_t checkpoints_ = 0;
  std::atomic<std::int64_t> busy_micros_{0};
  bool checkpoint_wanted_ = false;
  int wal_signalled_pages_ = 0;  // writer thread only
  // The syncer: batches committed but not yet on disk, and the WAL file it syncs (-1 when
  // the database has no WAL, e.g. in memory, where COMMIT itself is as durable as it gets).
  std::string wal_path_;
  int wal_fd_ = -1;
  std::deque<Committed> committed_;
  bool sync_stopping_ = false;
  std::condition_variable sync_wake_;
  std::thread sync_thread_;
  std::uint64_t syncs_ = 0;
  Timings writer_timings_;  // writer thread: queued, batch
  Timings sync_timings_;    // syncer thread: sync_wait, sync
  std::condition_variable checkpoint_wake_;
  std::thread checkpoint_thread_;
  std::thread thread_;
};

}  // namespace backroom
