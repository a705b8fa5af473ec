#include "platform/writer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <vector>

#include "platform/metrics.hpp"
#include "platform/problem.hpp"

namespace backroom {
namespace {
std::int64_t steady_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Writer::Writer(const std::string& path) : db_(db::Db::open(path, db::Mode::read_write)) {
  if (sqlite3* handle = db_->sqlite_handle()) {
    checkpoint_db_ = db::Db::open(path, db::Mode::read_write);
    // Each command runs in a SAVEPOINT; keep the savepoints' sub-journals in memory rather
    // than in a temporary file written page by page (about 15 % of a sale's writer time).
    db_->exec("PRAGMA temp_store = MEMORY");
    // Replaces SQLite's automatic checkpoint, which would run inside the writer's COMMIT.
    sqlite3_wal_hook(handle, &Writer::on_wal_commit, this);
    auto mode = db_->query("PRAGMA journal_mode");
    if (mode.step() && mode.text(0) == "wal") {
      // COMMIT only writes the WAL; the syncer makes it durable before anyone hears of it.
      db_->exec("PRAGMA synchronous = NORMAL");
      wal_path_ = sqlite3_filename_wal(sqlite3_db_filename(handle, "main"));
    }
  }
  // On PostgreSQL COMMIT returns once the server has the commit on disk; the syncer then
  // only hands the results back (wal_path_ stays empty), and there is nothing to checkpoint.
  sync_thread_ = std::thread([this] { sync_loop(); });
  checkpoint_thread_ = std::thread([this] { checkpoint_loop(); });
  thread_ = std::thread([this] { loop(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  {
    std::lock_guard lock(mutex_);
    sync_stopping_ = true;
  }
  sync_wake_.notify_one();
  sync_thread_.join();
  if (wal_fd_ >= 0) ::close(wal_fd_);
  checkpoint_wake_.notify_one();
  checkpoint_thread_.join();
  if (transactions_ > 0) {
    spdlog::info("writer: {} commands in {} transactions ({:.1f} per commit), {} WAL syncs, {} background checkpoints",
                 commands_, transactions_, static_cast<double>(commands_) / static_cast<double>(transactions_), syncs_,
                 checkpoints_);
    auto per = [this](std::int64_t total) { return static_cast<double>(total) / 1000.0 / static_cast<double>(commands_); };
    spdlog::info(
        "writer: a command waited {:.2f} ms for the writer, its batch ran {:.2f} ms, waited {:.2f} ms for the syncer; "
        "an fdatasync took {:.2f} ms; the longest batch {:.1f} ms, the longest fdatasync {:.1f} ms",
        per(writer_timings_.queued), per(writer_timings_.batch), per(sync_timings_.sync_wait),
        sync_timings_.syncs_timed > 0
            ? static_cast<double>(sync_timings_.sync) / 1000.0 / static_cast<double>(sync_timings_.syncs_timed)
            : 0.0,
        static_cast<double>(writer_timings_.longest_batch) / 1000.0,
        static_cast<double>(sync_timings_.longest_sync) / 1000.0);
  }
}

int Writer::on_wal_commit(void* self, sqlite3* handle, const char* schema, int pages) {
  auto* writer = static_cast<Writer*>(self);
  // Once per wal_checkpoint_pages of growth, not after every commit past the mark: a
  // checkpoint that runs after each commit copies every version of every hot page.
  if (pages < writer->wal_signalled_pages_) writer->wal_signalled_pages_ = 0;  // the WAL started over
  if (pages >= wal_restart_pages) {
    // Under a steady stream of commits the passive checkpoints never see the whole WAL
    // copied with no reader inside it, so the WAL would never start over (it grew to 200
    // MB in the benchmark). RESTART finishes the copy (most of it is done), waits for the
    // readers of the old frames and lets the next commit write from the start again.
    // Readers get half a millisecond; if one is still inside, the next commit tries again
    // (SQLite's own busy wait sleeps in steps up to 100 ms, with every request waiting).
    sqlite3_busy_handler(
        handle,
        [](void*, int tries) {
          if (tries >= 5) return 0;
          std::this_thread::sleep_for(std::chrono::microseconds(100));
          return 1;
        },
        nullptr);
    sqlite3_wal_checkpoint_v2(handle, schema, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    sqlite3_busy_timeout(handle, db::busy_timeout_ms);
    writer->wal_signalled_pages_ = 0;
  } else if (pages - writer->wal_signalled_pages_ >= wal_checkpoint_pages) {
    writer->wal_signalled_pages_ = pages;
    std::lock_guard lock(writer->mutex_);
    writer->checkpoint_wanted_ = true;
    writer->checkpoint_wake_.notify_one();
  }
  return SQLITE_OK;
}

void Writer::checkpoint_loop() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      checkpoint_wake_.wait(lock, [this] { return stopping_ || checkpoint_wanted_; });
      if (stopping_) return;
      checkpoint_wanted_ = false;
    }
    // PASSIVE: copies what it can without blocking the writer or any reader; the writer
    // starts the WAL over from the beginning once everything in it has been copied.
    int log = 0, copied = 0;
    sqlite3* handle = checkpoint_db_ ? checkpoint_db_->sqlite_handle() : nullptr;
    if (!handle) continue;
    int rc = sqlite3_wal_checkpoint_v2(handle, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) spdlog::warn("checkpoint: {}", sqlite3_errmsg(handle));
    std::lock_guard lock(mutex_);
    ++checkpoints_;
  }
}

void Writer::submit(Work work, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() < writer_queue_commands_max && !stopping_) {
      queue_.push_back(Command{std::move(work), std::move(done), steady_micros()});
      metrics::global().writer_queue.fetch_add(1, std::memory_order_relaxed);
      wake_.notify_one();
      return;
    }
  }
  done(std::make_exception_ptr(Problem(503, "overloaded", "the writer queue is full; retry with the same id")));
}

void Writer::run(Work work) {
  std::promise<void> finished;
  auto future = finished.get_future();
  submit(std::move(work), [&finished](std::exception_ptr error) {
    if (error)
      finished.set_exception(error);
    else
      finished.set_value();
  });
  future.get();
}

std::uint64_t Writer::transactions() const {
  std::lock_guard lock(mutex_);
  return transactions_;
}
std::uint64_t Writer::commands() const {
  std::lock_guard lock(mutex_);
  return commands_;
}
std::uint64_t Writer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

void Writer::loop() {
  std::vector<Command> batch;
  std::vector<std::exception_ptr> results;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty() && stopping_) return;
      while (!queue_.empty() && batch.size() < writer_batch_commands_max) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    metrics::global().writer_queue.fetch_sub(static_cast<std::int64_t>(batch.size()), std::memory_order_relaxed);
    results.assign(batch.size(), nullptr);
    const auto started = steady_micros();
    for (const auto& command : batch) writer_timings_.queued += started - command.queued_at;
    std::exception_ptr batch_error;
    try {
      db_->begin_write();
      for (std::size_t i = 0; i < batch.size(); ++i) {
        db_->query("SAVEPOINT command").run();
        try {
          batch[i].work(*db_);
          db_->query("RELEASE command").run();
        } catch (...) {
          results[i] = std::current_exception();
          db_->exec("ROLLBACK TO command");
          db_->exec("RELEASE command");
        }
      }
      db_->query("COMMIT").run();
    } catch (...) {
      // BEGIN, a savepoint or COMMIT itself failed: nothing in this batch is durable.
      batch_error = std::current_exception();
      try {
        db_->exec("ROLLBACK");
      } catch (...) {
      }
      spdlog::error("writer: a transaction of {} commands failed and was rolled back", batch.size());
    }
    Committed c;
    c.committed_at = steady_micros();
    writer_timings_.batch += (c.committed_at - started) * static_cast<std::int64_t>(batch.size());
    busy_micros_.fetch_add(c.committed_at - started, std::memory_order_relaxed);
    writer_timings_.longest_batch = std::max(writer_timings_.longest_batch, c.committed_at - started);
    metrics::global().writer_batch_commands.observe(static_cast<double>(batch.size()));
    metrics::global().writer_commit_seconds.observe(static_cast<double>(c.committed_at - started) / 1e6);
    c.dones.reserve(batch.size());
    c.spent.reserve(batch.size());
    for (auto& command : batch) {
      c.dones.push_back(std::move(command.done));
      c.spent.push_back(std::move(command.work));
    }
    batch.clear();
    if (batch_error) {  // nothing to sync: tell everyone now
      for (auto& done : c.dones) done(batch_error);
      std::lock_guard lock(mutex_);
      ++transactions_;
      continue;
    }
    c.results = std::move(results);
    results = {};
    {
      std::lock_guard lock(mutex_);
      ++transactions_;
      commands_ += c.dones.size();
      committed_.push_back(std::move(c));
    }
    sync_wake_.notify_one();
  }
}

void Writer::sync_loop() {
  std::deque<Committed> ready;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      sync_wake_.wait(lock, [this] { return sync_stopping_ || !committed_.empty(); });
      if (committed_.empty()) return;  // stopping, and everything delivered
      ready.swap(committed_);
    }
    // One fdatasync covers every batch committed so far: the WAL is written in order.
    std::exception_ptr failure;
    const auto sync_started = steady_micros();
    for (const auto& c : ready)
      sync_timings_.sync_wait += (sync_started - c.committed_at) * static_cast<std::int64_t>(c.dones.size());
    if (!wal_path_.empty()) {
      if (wal_fd_ < 0) wal_fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
      if (wal_fd_ < 0 || ::fdatasync(wal_fd_) != 0) {
        int error = errno;
        spdlog::critical("writer: cannot sync the WAL {}: {}; the last commands may not be durable", wal_path_,
                         std::strerror(error));
        failure = std::make_exception_ptr(
            Problem(503, "storage_failure", "the database could not confirm the write reached the disk; retry with the same id"));
      }
    }
    if (!wal_path_.empty()) {
      auto took = steady_micros() - sync_started;
      sync_timings_.sync += took;
      sync_timings_.longest_sync = std::max(sync_timings_.longest_sync, took);
      metrics::global().writer_fsync_seconds.observe(static_cast<double>(took) / 1e6);
      ++sync_timings_.syncs_timed;
    }
    {
      std::lock_guard lock(mutex_);
      ++syncs_;
    }
    for (auto& c : ready)
      for (std::size_t i = 0; i < c.dones.size(); ++i) c.dones[i](failure ? failure : c.results[i]);
    ready.clear();
  }
}

}  // namespace backroom
