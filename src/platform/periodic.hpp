// Work the server does on its own, on a clock: price changes that fell due, the weekly
// planning preparation, and whatever comes next. One job = one thread that waits `period`,
// runs `work` as one command on the writer (so it is serialised with every other change and
// durable when it returns), logs an exception under the job's name and waits again. The
// destructor wakes the thread and joins it; a command already running finishes first.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "platform/db.hpp"
#include "platform/writer.hpp"

namespace backroom {

// The clock part alone: `work` on its own thread every `period` (a backup that reads in its
// own snapshot and must not hold the writer uses this one directly); with `run_at_start` the
// work also runs once as the thread starts, before the first wait (a store node's sync).
class PeriodicJob {
 public:
  PeriodicJob(std::string name, std::chrono::seconds period, std::function<void()> work, bool run_at_start = false);
  ~PeriodicJob();
  PeriodicJob(const PeriodicJob&) = delete;
  PeriodicJob& operator=(const PeriodicJob&) = delete;

 private:
  void loop();

  std::string name_;
  std::chrono::seconds period_;
  std::function<void()> work_;
  bool run_at_start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above is in place
};

class PeriodicWriterJob {
 public:
  PeriodicWriterJob(Writer& writer, std::string name, std::chrono::seconds period, std::function<void(db::Db&)> work)
      : job_(std::move(name), period, [&writer, work = std::move(work)] { writer.run(work); }) {}

 private:
  PeriodicJob job_;
};

// A whole positive number from environment variable `name`; `fallback` when it is unset, or
// (with a warning naming `unit`) when it is not such a number.
std::int64_t env_positive(const char* name, std::int64_t fallback, const char* unit = "number");
// env_positive of a number of seconds.
inline std::int64_t env_seconds(const char* name, std::int64_t fallback) { return env_positive(name, fallback, "number of seconds"); }

}  // namespace backroom
