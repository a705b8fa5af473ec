// The single writer. SQLite allows one writer, so every command runs here, on one
// thread that owns the read-write connection. Commands that arrive together share one
// durable transaction (group commit); each runs inside its own SAVEPOINT, so a command
// that throws is rolled back alone and its neighbours still commit. A command's `done`
// runs only after the transaction is durable (or failed as a whole).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "platform/db.hpp"

namespace backroom {

inline constexpr std::size_t writer_batch_commands_max = 512;
inline constexpr std::size_t writer_queue_commands_max = 20'000;
// The WAL is copied back into the database by a checkpointer thread once it holds this
// many pages, so that the writer never stops for a checkpoint; past the hard limit (readers
// kept the checkpointer from catching up) the writer checkpoints itself.
inline constexpr int wal_checkpoint_pages = 1000;
inline constexpr int wal_checkpoint_pages_hard = 50'000;

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

 private:
  struct Command {
    Work work;
    Done done;
  };
  void loop();
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
  bool checkpoint_wanted_ = false;
  std::condition_variable checkpoint_wake_;
  std::thread checkpoint_thread_;
  std::thread thread_;
};

}  // namespace backroom
