// Process metrics for GET /metrics (Prometheus text format, docs/operations.md). The hot
// path only touches relaxed atomics: a request adds to its route's counters (the route
// table is fixed once the server starts, so a route's slot is found by its index), the
// writer adds its batch size and commit time, the syncer its fdatasync time. Nothing here
// takes a lock per request; render() reads the atomics when a scraper asks.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace backroom::http {
class Router;
struct Route;
}  // namespace backroom::http

namespace backroom::metrics {

// A histogram with fixed upper bounds (cumulative buckets are summed when rendered).
template <std::size_t N>
struct Histogram {
  const std::array<double, N>* bounds;  // upper bounds, ascending, in the unit of observe()
  std::array<std::atomic<std::uint64_t>, N + 1> counts{};  // the last one is +Inf
  std::atomic<std::uint64_t> count{0};
  std::atomic<double> sum{0.0};

  explicit Histogram(const std::array<double, N>& b) : bounds(&b) {}
  void observe(double value) {
    std::size_t i = 0;
    while (i < N && value > (*bounds)[i]) ++i;
    counts[i].fetch_add(1, std::memory_order_relaxed);
    count.fetch_add(1, std::memory_order_relaxed);
    double old = sum.load(std::memory_order_relaxed);
    while (!sum.compare_exchange_weak(old, old + value, std::memory_order_relaxed)) {
    }
  }
};

inline constexpr std::array<double, 13> latency_seconds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,    0.25,  0.5,    1.0,   2.5,   10.0};
inline constexpr std::array<double, 10> batch_commands = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

using LatencyHistogram = Histogram<latency_seconds.size()>;

// One route's numbers (or the catch-all for requests no route matched: static files, 404s).
struct RouteStats {
  std::string method;
  std::string pattern;
  LatencyHistogram latency{latency_seconds};
  struct StatusCount {
    std::atomic<int> status{0};  // 0: slot free
    std::atomic<std::uint64_t> count{0};
  };
  std::array<StatusCount, 24> statuses{};  // claimed lock-free, first come
  std::atomic<std::uint64_t> other_statuses{0};
  void record(int status, double seconds);
};

class Registry {
 public:
  Registry();
  // Makes one slot per route of `router` (call once the routes are added, before serving).
  void bind_routes(const http::Router& router);
  // A request answered: `route` is the matched route or nullptr.
  void request(const http::Route* route, std::string_view method, int status, double seconds);

  Histogram<batch_commands.size()> writer_batch_commands{batch_commands};
  LatencyHistogram writer_commit_seconds{latency_seconds};
  LatencyHistogram writer_fsync_seconds{latency_seconds};
  std::atomic<std::uint64_t> scans{0};
  std::atomic<std::int64_t> writer_queue{0};
  const double started_at;  // Unix seconds

  // The text exposition of everything above (# HELP, # TYPE, samples).
  std::string render() const;

 private:
  const http::Route* first_route_ = nullptr;
  std::vector<std::unique_ptr<RouteStats>> routes_;
  RouteStats unmatched_;
};

// The process's registry (the writer and the server record into it).
Registry& global();

// Helpers for the gauges the caller reads at scrape time (cli/ops.cpp).
void append_gauge(std::string& out, std::string_view name, std::string_view help, double value,
                  std::string_view labels = {});
std::string escape_label(std::string_view value);

}  // namespace backroom::metrics
