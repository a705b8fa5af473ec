// GET /metrics: the process's counters (platform/metrics.hpp) plus what the database says
// at scrape time (queues, backups, sales). docs/operations.md lists every metric.
#include <fmt/format.h>
#include <sodium.h>

#include <mutex>

#include "cli/ops.hpp"
#include "platform/metrics.hpp"
#include "platform/types.hpp"
#include "sync/puller.hpp"
#include "sync/sync.hpp"

namespace backroom::cli::ops {

namespace {
std::mutex token_mutex;
std::string metrics_token;  // empty: /metrics is off (404)

std::string current_token() {
  std::lock_guard lock(token_mutex);
  return metrics_token;
}

bool bearer_matches(const http::Request& req, const std::string& token) {
  auto header = req.header("authorization");
  if (!header) return false;
  std::string_view v = *header;
  constexpr std::string_view scheme = "Bearer ";
  if (v.size() < scheme.size()) return false;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(v[i])) != std::tolower(static_cast<unsigned char>(scheme[i]))) return false;
  v.remove_prefix(scheme.size());
  return v.size() == token.size() && sodium_memcmp(v.data(), token.data(), token.size()) == 0;
}
}  // namespace

namespace {
// Store nodes (docs/sync.md): at head office each node's queue as it reported it at its last
// pull and when that was; on a node its own queue and whether head office answered last.
void append_sync_gauges(std::string& out, db::Db& db) {
  auto nodes = sync::store::list_nodes(db);
  if (!nodes.empty()) {
    std::string queues, pulls;
    for (const auto& n : nodes) {
      auto named = sync::node_to_json(db, n);
      const auto* store = named.if_contains("location_name");
      auto labels = fmt::format("node_id=\"{}\",store=\"{}\"", metrics::escape_label(n.id),
                                metrics::escape_label(store && store->is_string() ? std::string_view(store->get_string())
                                                                                  : std::string_view(n.location_id)));
      queues += fmt::format("backroom_sync_node_queue_documents{{{}}} {}\n", labels, n.queue_length);
      pulls += fmt::format("backroom_sync_node_last_sync_timestamp_seconds{{{}}} {}\n", labels,
                           n.last_sync_at ? *n.last_sync_at / 1'000'000 : 0);
    }
    out += "# HELP backroom_sync_node_queue_documents Documents a store node reported waiting to send at its last pull\n"
           "# TYPE backroom_sync_node_queue_documents gauge\n" + queues;
    out += "# HELP backroom_sync_node_last_sync_timestamp_seconds A store node's last pull, seconds since the Unix epoch (0: never)\n"
           "# TYPE backroom_sync_node_last_sync_timestamp_seconds gauge\n" + pulls;
  }
  auto link = sync::link_status();
  if (!link.node) return;
  metrics::append_gauge(out, "backroom_sync_queue_documents", "Documents this store node has waiting for head office",
                        static_cast<double>(sync::waiting_documents(db)));
  metrics::append_gauge(out, "backroom_sync_online", "1 when head office answered this store node's last try, else 0",
                        link.online ? 1.0 : 0.0);
}
}  // namespace

void set_metrics_token(std::string token) {
  std::lock_guard lock(token_mutex);
  metrics_token = std::move(token);
}

void register_ops_routes(App& app) {
  app.router.add(
      "GET", "/metrics", "public",
      "Prometheus metrics (needs the --metrics-token as a Bearer token; 404 when no token is set)",
      [&app](http::Request& req, http::Reply reply) {
        auto token = current_token();
        if (token.empty())
          throw Problem(404, "not_found", "metrics are off: start the server with --metrics-token (BACKROOM_METRICS_TOKEN)");
        if (!bearer_matches(req, token)) {
          Problem p(401, "unauthenticated", "send the metrics token as Authorization: Bearer <token>");
          p.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"metrics\"");
          throw p;
        }
        std::string out = metrics::global().render();
        auto s = read_snapshot(app.read());
        metrics::append_gauge(out, "backroom_outbox_backlog_events",
                              "Outbox events not yet passed to an active webhook endpoint, summed over endpoints",
                              static_cast<double>(s.outbox_backlog_events));
        metrics::append_gauge(out, "backroom_webhook_endpoints_active", "Active webhook endpoints",
                              static_cast<double>(s.webhook_endpoints_active));
        out += "# HELP backroom_webhook_messages Webhook messages kept for a retry (pending) or given up on (dead)\n"
               "# TYPE backroom_webhook_messages gauge\n";
        out += fmt::format("backroom_webhook_messages{{status=\"pending\"}} {}\n", s.webhook_pending);
        out += fmt::format("backroom_webhook_messages{{status=\"dead\"}} {}\n", s.webhook_dead);
        out += "# HELP backroom_sales Sales recorded in the books (training sales not counted), by status\n"
               "# TYPE backroom_sales gauge\n";
        out += fmt::format("backroom_sales{{status=\"completed\"}} {}\n", s.sales_completed);
        out += fmt::format("backroom_sales{{status=\"voided\"}} {}\n", s.sales_voided);
        metrics::append_gauge(out, "backroom_backup_last_success_timestamp_seconds",
                              "When the last backup succeeded, seconds since the Unix epoch (0: never)",
                              static_cast<double>(s.backup_last_at / 1'000'000));
        if (s.backup_last_at > 0)
          metrics::append_gauge(out, "backroom_backup_age_seconds", "Seconds since the last successful backup",
                                static_cast<double>((now().micros - s.backup_last_at) / 1'000'000));
        metrics::append_gauge(out, "backroom_backup_interval_seconds",
                              "The scheduled backup interval (0: no scheduled backups)",
                              static_cast<double>(s.backup_every_seconds));
        append_sync_gauges(out, app.read());
        http::Response r;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = std::move(out);
        r.header("Cache-Control", "no-store");
        reply(std::move(r));
      });
}

}  // namespace backroom::cli::ops
