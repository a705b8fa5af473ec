// The reports room's HTTP routes: the KPI report (JSON or CSV), its weekly series, the
// store-credit report (JSON or CSV), and the weekly review's actions (reports_actions_api.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "counts/counts_store.hpp"
#include "planning/replenishment.hpp"
#include "platform/db_shared_snapshot.hpp"
#include "platform/problem.hpp"
#include "reports/reports.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::reports {

using http::Reply;
using http::Request;

namespace {

Day today() { return day_of(now()); }

// The KPI reads on more than one core (reports_store.cpp cuts the items into ranges):
// BACKROOM_REPORT_THREADS connections (2 unless set), the first the request's reader, all in
// one read snapshot (on PostgreSQL the first's, exported to the others). 100,000 items x 3
// stores x a year: docs/performance.md, "The KPI report streamed, on two cores", and "The KPI
// year on PostgreSQL through cursors, on two connections".
unsigned report_threads() {
  static const unsigned n = db::read_threads("BACKROOM_REPORT_THREADS", 2);
  return n;
}

Day day_param(const Request& req, const char* name, Day fallback) {
  auto text = req.query_param(name);
  if (!text) return fallback;
  auto day = parse_day(*text);
  if (!day) throw invalid_field(name, fmt::format("{} is a date like 2026-12-01", name));
  return *day;
}

int int_param(const Request& req, const char* name, int fallback, int max) {
  auto text = req.query_param(name);
  if (!text) return fallback;
  int v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < 1 || v > max)
    throw invalid_field(name, fmt::format("{} is a whole number from 1 to {}", name, max));
  return v;
}

std::optional<std::string> site_param(db::Db& db, const Request& req) {
  auto id = req.query_param("location_id");
  if (!id) return std::nullopt;
  auto loc = stock::require_location(db, *id, "location_id");
  auto kind = stock::location_kinds.parse(loc.kind);
  if (!kind || !stock::is_site(*kind))
    throw invalid_field("location_id", "location_id is a store, backroom or warehouse (a bin's stock rolls up to it)");
  return loc.id;
}

// Count accuracy from counts and forecast error from planning, for the report's period.
void add_owned_figures(db::Db& db, KpiReport& report) {
  const auto& period = report.query.period;
  auto classes = counts::count_accuracy(db, start_of(period.from), start_of(period.to + 1), report.query.site_id.value_or(""));
  if (!classes.empty()) {
    CountAccuracy a;
    for (const auto& c : classes) {
      a.lines += c.lines;
      a.within_tolerance += c.within_tolerance;
    }
    report.count_accuracy = a;
  }
  // planning::accuracy looks back whole weeks from today; far enough to reach `from`.
  planning::Day today = planning::today_utc();
  auto back = (today.time_since_epoch().count() - period.from) / 7 + 2;
  int weeks = static_cast<int>(std::clamp<std::int64_t>(back, 1, planning::accuracy_weeks_max));
  std::string first = format_day(period.from), last = format_day(period.to);
  for (const auto& w : planning::accuracy(db, today, weeks)) {
    if (w.week_start < first || w.week_start > last || !w.wape) continue;
    auto add = [&w](ForecastError& e) {
      e.forecast += w.forecast;
      e.actual += w.actual;
      e.abs_error += *w.wape * w.actual;  // planning's WAPE is abs_error / actual
    };
    add(report.forecast_by_category[w.category]);
    if (!report.forecast) report.forecast.emplace();
    add(*report.forecast);
  }
}

Day checked_to(const Request& req) {
  Day t = today();
  Day to = day_param(req, "to", t);
  if (to > t) throw invalid_field("to", fmt::format("to is at most today ({})", format_day(t)));
  return to;
}

// ?from=&to= days inclusive, to at most today, from on or before it, at most `days_max` days.
Period checked_period(const Request& req, Day from_fallback_days_back, int days_max) {
  Day to = checked_to(req);
  Day from = day_param(req, "from", to - from_fallback_days_back);
  if (from > to) throw invalid_field("from", "from is on or before to");
  if (to - from + 1 > days_max) throw invalid_field("from", fmt::format("a report covers at most {} days", days_max));
  return Period{from, to};
}

std::string format_param(const Request& req) {
  auto format = req.query_param("format").value_or("json");
  if (format != "json" && format != "csv") throw invalid_field("format", "format is json or csv");
  return format;
}

http::Response csv_response(std::string body, std::string_view name, const Period& period) {
  http::Response resp;
  resp.body = std::move(body);
  resp.content_type = "text/csv; charset=utf-8";
  resp.header("content-disposition", fmt::format("attachment; filename=\"{}-{}-{}.csv\"", name, format_day(period.from),
                                                 format_day(period.to)));
  return resp;
}

// The store-credit report of the request's period (docs/reports.md, "Store credit").
StoreCreditReport store_credit_report(db::Db& db, const Request& req) {
  StoreCreditReport r;
  r.period = checked_period(req, 29, store_credit_period_days_max);
  if (auto id = req.query_param("location_id")) {
    auto loc = stock::require_location(db, *id, "location_id");
    if (stock::location_kinds.parse(loc.kind) != stock::LocationKind::store)
      throw invalid_field("location_id", "location_id is a store (credit notes are issued and spent at stores)");
    r.location_id = loc.id;
  }
  Timestamp start = start_of(r.period.from), end = start_of(r.period.to + 1);
  auto sums = sales::store_credit_ledger_sums(db, start, end, r.location_id);
  auto balances = sales::store_credit_balances(db, r.location_id);
  auto shortfalls = sales::store_credit_shortfalls_for(db, start, end, r.location_id, store_credit_shortfalls_max + 1);
  if (shortfalls.size() > store_credit_shortfalls_max)
    throw invalid_field("from", fmt::format("the period holds more than {} store-credit shortfalls: report a shorter one",
                                            store_credit_shortfalls_max));
  r.figures = fold_store_credit(sums, balances, shortfalls, r.period);
  if (!r.figures.balanced)
    throw Problem(500, "store_credit_books_differ",
                  "the notes' balances and their entries disagree: run `backroom check` and tell whoever runs the server");
  for (const auto& l : stock::list_locations(db)) r.store_names.emplace(l.id, l.name);
  return r;
}

}  // namespace

void register_report_routes(App& app) {
  app.router.add(
      "GET", "/api/v1/reports/kpis", "reports.read",
      "Stockout rate, sell-through, days of supply, shrink and GMROI per category, item or location, with "
      "numerators and denominators (?from=&to= days inclusive, format=csv)",
      [&app](Request& req, Reply reply) {
        auto& db = app.read();
        KpiQuery q;
        q.period = checked_period(req, 6, kpi_period_days_max);
        q.site_id = site_param(db, req);
        if (auto g = req.query_param("group")) q.grouping = groupings.require(*g, "group");
        if (auto o = req.query_param("order")) q.order = kpis.require(*o, "order");
        if (req.query_param("limit")) q.limit = int_param(req, "limit", 0, 100'000);
        auto format = format_param(req);
        db::SharedReaders readers(db, app.db_path, report_threads(), true);
        auto report = kpi_report(db, q, readers.helpers());
        add_owned_figures(db, report);
        if (format == "csv") {
          reply(csv_response(report_to_csv(report), "kpis", q.period));
          return;
        }
        reply(http::json_response(200, report_to_json(report)));
      });

  app.router.add(
      "GET", "/api/v1/reports/store-credit", "store_credits.read",
      "What the shop owes on store credit notes when the period starts and ends, what issued, redeemed and gave "
      "back credit in between, and the store nodes' shortfalls open, written off and collected (?from=&to= days "
      "inclusive, location_id=, format=csv)",
      [&app](Request& req, Reply reply) {
        auto format = format_param(req);
        auto report = store_credit_report(app.read(), req);
        if (format == "csv") {
          reply(csv_response(store_credit_to_csv(report), "store-credit", report.period));
          return;
        }
        reply(http::json_response(200, store_credit_to_json(report)));
      });

  app.router.add("GET", "/api/v1/reports/kpis/weekly", "reports.read",
                 "The five KPIs of each of the seven-day weeks ending on `to` (?weeks=12), oldest first, for sparklines",
                 [&app](Request& req, Reply reply) {
                   auto& db = app.read();
                   Day to = checked_to(req);
                   int weeks = int_param(req, "weeks", 12, kpi_weeks_max);
                   auto site = site_param(db, req);
                   db::SharedReaders readers(db, app.db_path, report_threads(), true);
                   auto totals = weekly_kpis(db, to, weeks, site, readers.helpers());
                   reply(http::json_response(200, weekly_to_json(totals, site)));
                 });
}

}  // namespace backroom::reports
