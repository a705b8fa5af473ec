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

class PeriodicWriterJob {
 public:
  PeriodicWriterJob(Writer& writer, std::string name, std::chrono::seconds period, std::function<void(db::Db&)> work);
  ~PeriodicWriterJob();
  PeriodicWriterJob(const PeriodicWriterJob&) = delete;
  PeriodicWriterJob& operator=(const PeriodicWriterJob&) = delete;

 private:
  void loop();

  Writer& writer_;
  std::string name_;
  std::chrono::seconds period_;
  std::function<void(db::Db&)> work_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything above is in place
};

// A whole positive number of seconds from environment variable `name`; `fallback` when it is
// unset, or (with a warning) when it is not such a number.
std::int64_t env_seconds(const char* name, std::int64_t fallback);

}  // namespace backroom
