#include "platform/periodic.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace backroom {

PeriodicJob::PeriodicJob(std::string name, std::chrono::seconds period, std::function<void()> work, bool run_at_start)
    : name_(std::move(name)), period_(period), work_(std::move(work)), run_at_start_(run_at_start),
      thread_([this] { loop(); }) {}

PeriodicJob::~PeriodicJob() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicJob::loop() {
  std::unique_lock lock(mutex_);
  for (bool first = true;; first = false) {
    if (!(first && run_at_start_) && wake_.wait_for(lock, period_, [this] { return stopping_; })) return;
    lock.unlock();
    try {
      work_();
    } catch (const std::exception& e) {
      spdlog::warn("{}: {}", name_, e.what());
    }
    lock.lock();
  }
}

std::int64_t env_positive(const char* name, std::int64_t fallback, const char* unit) {
  const char* text = std::getenv(name);
  if (!text) return fallback;
  std::int64_t v = 0;
  std::string_view s(text);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) {
    spdlog::warn("{}={} is not a positive {}; using {}", name, text, unit, fallback);
    return fallback;
  }
  return v;
}

}  // namespace backroom
