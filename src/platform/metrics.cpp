#include "platform/metrics.hpp"

#include <fmt/format.h>

#include <chrono>

#include "platform/http.hpp"

namespace backroom::metrics {

namespace {

double unix_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string number(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v)) && v < 1e15 && v > -1e15)
    return fmt::format("{}", static_cast<std::int64_t>(v));
  return fmt::format("{}", v);
}

template <std::size_t N>
void append_histogram_samples(std::string& out, std::string_view name, const Histogram<N>& h, std::string_view labels) {
  std::uint64_t cumulative = 0;
  std::string sep = labels.empty() ? "" : ",";
  for (std::size_t i = 0; i <= N; ++i) {
    cumulative += h.counts[i].load(std::memory_order_relaxed);
    std::string le = i < N ? number((*h.bounds)[i]) : "+Inf";
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, le, cumulative);
  }
  // The count is the buckets' total (read above), so that _count equals the +Inf bucket even
  // while requests are recorded during the scrape.
  std::string braces = labels.empty() ? "" : fmt::format("{{{}}}", labels);
  out += fmt::format("{}_sum{} {}\n", name, braces, number(h.sum.load(std::memory_order_relaxed)));
  out += fmt::format("{}_count{} {}\n", name, braces, cumulative);
}

void append_header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

std::string escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void append_gauge(std::string& out, std::string_view name, std::string_view help, double value, std::string_view labels) {
  append_header(out, name, "gauge", help);
  out += fmt::format("{}{} {}\n", name, labels.empty() ? std::string() : fmt::format("{{{}}}", labels), number(value));
}

void RouteStats::record(int status, double seconds) {
  latency.observe(seconds);
  for (auto& slot : statuses) {
    int seen = slot.status.load(std::memory_order_acquire);
    if (seen == 0) {
      int expected = 0;
      if (slot.status.compare_exchange_strong(expected, status, std::memory_order_acq_rel)) seen = status;
      else seen = expected;
    }
    if (seen == status) {
      slot.count.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  other_statuses.fetch_add(1, std::memory_order_relaxed);
}

Registry::Registry() : started_at(unix_seconds()) {
  unmatched_.method = "*";  // static files, unknown paths, refused requests
  unmatched_.pattern = "unmatched";
}

void Registry::bind_routes(const http::Router& router) {
  routes_.clear();
  const auto& routes = router.routes();
  first_route_ = routes.empty() ? nullptr : &routes.front();
  for (const auto& r : routes) {
    auto stats = std::make_unique<RouteStats>();
    stats->method = r.method;
    stats->pattern = r.pattern;
    routes_.push_back(std::move(stats));
  }
}

void Registry::request(const http::Route* route, std::string_view, int status, double seconds) {
  if (route && first_route_) {
    auto index = route - first_route_;
    if (index >= 0 && static_cast<std::size_t>(index) < routes_.size()) {
      routes_[static_cast<std::size_t>(index)]->record(status, seconds);
      return;
    }
  }
  unmatched_.record(status, seconds);
}

std::string Registry::render() const {
  std::string out;
  out.reserve(64 * 1024);
  std::vector<const RouteStats*> all;
  for (const auto& r : routes_) all.push_back(r.get());
  all.push_back(&unmatched_);

  append_header(out, "backroom_http_requests_total", "counter",
                "HTTP requests answered, by route pattern (not the raw path) and status");
  for (const auto* r : all) {
    std::string labels = fmt::format("method=\"{}\",route=\"{}\"", escape_label(r->method), escape_label(r->pattern));
    for (const auto& slot : r->statuses) {
      int status = slot.status.load(std::memory_order_acquire);
      if (status == 0) break;
      out += fmt::format("backroom_http_requests_total{{{},status=\"{}\"}} {}\n", labels, status,
                         slot.count.load(std::memory_order_relaxed));
    }
    if (auto other = r->other_statuses.load(std::memory_order_relaxed))
      out += fmt::format("backroom_http_requests_total{{{},status=\"other\"}} {}\n", labels, other);
  }
  append_header(out, "backroom_http_request_duration_seconds", "histogram",
                "Time from a request's last byte read to its answer, by route pattern");
  for (const auto* r : all) {
    if (r->latency.count.load(std::memory_order_relaxed) == 0) continue;
    append_histogram_samples(
        out, "backroom_http_request_duration_seconds", r->latency,
        fmt::format("method=\"{}\",route=\"{}\"", escape_label(r->method), escape_label(r->pattern)));
  }
  append_header(out, "backroom_writer_batch_commands", "histogram",
                "Commands that shared one write transaction (group commit)");
  append_histogram_samples(out, "backroom_writer_batch_commands", writer_batch_commands, {});
  append_header(out, "backroom_writer_commit_seconds", "histogram",
                "Time a write transaction took, from BEGIN to COMMIT, before its fsync");
  append_histogram_samples(out, "backroom_writer_commit_seconds", writer_commit_seconds, {});
  append_header(out, "backroom_writer_fsync_seconds", "histogram",
                "Time the fdatasync of the SQLite WAL took (none on PostgreSQL, whose COMMIT is durable)");
  append_histogram_samples(out, "backroom_writer_fsync_seconds", writer_fsync_seconds, {});
  append_gauge(out, "backroom_writer_queue_commands", "Commands waiting for the writer",
               static_cast<double>(writer_queue.load(std::memory_order_relaxed)));
  append_header(out, "backroom_scans_total", "counter", "Codes resolved by GET /api/v1/scan/{code} since the start");
  out += fmt::format("backroom_scans_total {}\n", scans.load(std::memory_order_relaxed));
  append_gauge(out, "process_start_time_seconds", "Start time of the process since the Unix epoch in seconds",
               started_at);
  return out;
}

Registry& global() {
  static Registry registry;
  return registry;
}

}  // namespace backroom::metrics
