#include "cli/planning_cli.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "planning/backtest.hpp"
#include "planning/history_csv.hpp"
#include "platform/csv.hpp"
#include "platform/text.hpp"

namespace backroom::planning_cli {
namespace {

namespace bj = boost::json;
using namespace backroom::planning;
using text::html_escape;

// The HTML report lists this many series with the lowest fill rate.
constexpr std::size_t report_worst_series_max = 25;

struct BacktestArgs {
  std::string history;
  double lead_time_days = 7;
  double review_days = 7;
  double service_level = service_level_default;
  std::string measure = "fill";
  int evaluate_last = 0;  // 0: the default (52 weeks)
  double case_pack = 1;
  double lead_time_sd_days = 0;
  std::uint64_t seed = 1;
  bool json = false;
  std::string report;
  std::string periods_csv;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error(fmt::format("cannot write {}", path));
}

bj::object totals_json(const BacktestTotals& t) {
  return bj::object{{"series", t.series},
                    {"periods", t.periods},
                    {"fill_rate", t.fill_rate()},
                    {"weeks_of_supply", t.weeks_of_supply()},
                    {"orders_per_series", t.orders_per_series()},
                    {"wape", t.wape()},
                    {"bias", t.bias()}};
}

std::string number(double v) {  // up to 3 decimals, no trailing zeros
  std::string s = fmt::format("{:.3f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string periods_csv(const History& history, const BacktestResult& result) {
  std::string out = platform::csv_line({"location", "item", "date", "forecast", "demand", "served", "on_hand_start",
                                        "on_hand_end", "order_quantity", "receipt_quantity"});
  for (const auto& p : result.periods) {
    const auto& s = history.series[p.series];
    out += platform::csv_line({platform::csv_export_safe(s.location), platform::csv_export_safe(s.item),
                               format_date(p.date), number(p.forecast), number(p.demand), number(p.served),
                               number(p.on_hand_start), number(p.on_hand_end), number(p.order_quantity),
                               number(p.receipt_quantity)});
  }
  return out;
}

// One page: the figures, a fill-vs-stock chart (one dot per series: weeks of supply across,
// fill rate up, the target as a line) and the series with the lowest fill.
std::string report_html(const History& history, const BacktestResult& r, const BacktestArgs& args) {
  const double width = 640, height = 360, left = 56, bottom = 40, top = 16, right = 16;
  double max_weeks = 1;
  for (const auto& s : r.series) max_weeks = std::max(max_weeks, s.totals.weeks_of_supply());
  max_weeks = std::ceil(max_weeks);
  double min_fill = args.service_level - 0.1;
  for (const auto& s : r.series) min_fill = std::min(min_fill, s.totals.fill_rate());
  min_fill = std::floor(min_fill * 10) / 10;
  auto x = [&](double weeks) { return left + weeks / max_weeks * (width - left - right); };
  auto y = [&](double fill) { return top + (1 - (fill - min_fill) / (1 - min_fill)) * (height - top - bottom); };

  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="Fill rate against weeks of supply, one dot per series">)",
      width, height, width, height);
  svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="#fafafa" stroke="#999"/>)", left, top,
                     width - left - right, height - top - bottom);
  for (int i = 0; i <= 4; ++i) {
    double fill = min_fill + (1 - min_fill) * i / 4;
    svg += fmt::format(R"(<text x="{}" y="{}" font-size="11" text-anchor="end">{:.0f}%</text>)", left - 6,
                       y(fill) + 4, fill * 100);
    double weeks = max_weeks * i / 4;
    svg += fmt::format(R"(<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>)", x(weeks),
                       height - bottom + 16, number(weeks));
  }
  svg += fmt::format(R"(<text x="{}" y="{}" font-size="12" text-anchor="middle">weeks of supply</text>)",
                     (left + width - right) / 2, height - 6);
  svg += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#c00" stroke-dasharray="4 3"/>)", left,
                     width - right, y(args.service_level), y(args.service_level));
  for (const auto& s : r.series) {
    const auto& hs = history.series[s.series];
    svg += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="2.5" fill="#1565c0" fill-opacity="0.5"><title>{} at {}: {:.1f}% filled, {:.1f} weeks</title></circle>)",
                       x(s.totals.weeks_of_supply()), y(s.totals.fill_rate()), html_escape(hs.item),
                       html_escape(hs.location), s.totals.fill_rate() * 100, s.totals.weeks_of_supply());
  }
  svg += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="6" fill="none" stroke="#c00" stroke-width="2"><title>all series</title></circle>)",
                     x(r.pooled.weeks_of_supply()), y(r.pooled.fill_rate()));
  svg += "</svg>";

  auto row = [](const std::string& name, const BacktestTotals& t) {
    return fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}%</td><td>{:.2f}</td><td>{:.1f}</td>"
                       "<td>{:.1f}%</td><td>{:+.1f}%</td></tr>",
                       html_escape(name), t.series, t.periods, t.fill_rate() * 100, t.weeks_of_supply(),
                       t.orders_per_series(), t.wape() * 100, t.bias() * 100);
  };
  std::string summary = row("all series", r.pooled);
  for (const auto& [category, t] : r.by_category) summary += row(category, t);

  std::vector<const BacktestSeries*> worst;
  for (const auto& s : r.series)
    if (s.totals.demand > 0) worst.push_back(&s);
  std::sort(worst.begin(), worst.end(), [](const auto* a, const auto* b) {
    return a->totals.fill_rate() < b->totals.fill_rate() ||
           (a->totals.fill_rate() == b->totals.fill_rate() && a->totals.demand > b->totals.demand);
  });
  if (worst.size() > report_worst_series_max) worst.resize(report_worst_series_max);
  std::string worst_rows;
  for (const auto* s : worst) {
    const auto& hs = history.series[s->series];
    worst_rows += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}%</td><td>{:.2f}</td><td>{:.1f}%</td></tr>",
        html_escape(hs.location), html_escape(hs.item), html_escape(hs.category), number(s->totals.demand),
        number(s->totals.demand - s->totals.served), s->totals.fill_rate() * 100, s->totals.weeks_of_supply(),
        s->totals.wape() * 100);
  }
  return fmt::format(R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Replenishment backtest</title>
<style>body{{font:14px system-ui,sans-serif;margin:24px;max-width:960px}}table{{border-collapse:collapse;margin:12px 0}}
td,th{{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}}td:first-child,th:first-child{{text-align:left}}</style></head>
<body><h1>Replenishment backtest</h1>
<p>{} · {} data, last {} periods evaluated · lead time {} days (deviation {} days), review every {} days, service level {}% ({}), case pack {} (a series' own terms in the file come first).</p>
<table><tr><th>series</th><th>count</th><th>periods</th><th>fill rate</th><th>weeks of supply</th><th>orders per series</th><th>WAPE</th><th>bias</th></tr>
{}</table>
<h2>Fill against stock</h2><p>One dot per series; the dashed line is the service level asked for, the ring all series together.</p>
{}
<h2>Lowest fill</h2>
<table><tr><th>location</th><th>item</th><th>category</th><th>demand</th><th>lost</th><th>fill rate</th><th>weeks of supply</th><th>WAPE</th></tr>
{}</table></body></html>
)",
                     html_escape(args.history), r.granularity == Granularity::weekly ? "weekly" : "daily",
                     r.evaluate_last, number(args.lead_time_days), number(args.lead_time_sd_days), number(args.review_days),
                     number(args.service_level * 100), args.measure == "cycle" ? "cycle service" : "fill rate",
                     number(args.case_pack), summary, svg, worst_rows);
}

void run_backtest_command(const BacktestArgs& args) {
  std::string text = read_file(args.history);
  auto parsed = parse_history_csv(text);
  if (auto* e = std::get_if<HistoryError>(&parsed)) {
    std::cerr << fmt::format("{}:{}: {}{}\n", args.history, e->line, e->field.empty() ? "" : e->field + ": ",
                             e->reason)
              << "nothing was used" << std::endl;
    throw CLI::RuntimeError(2);
  }
  const auto& history = std::get<History>(parsed);
  BacktestOptions options;
  options.lead_time_days = args.lead_time_days;
  options.review_days = args.review_days;
  options.service_level = args.service_level;
  options.measure = args.measure == "cycle" ? ServiceMeasure::cycle : ServiceMeasure::fill_rate;
  if (args.evaluate_last > 0) options.evaluate_last = args.evaluate_last;
  options.case_pack = args.case_pack;
  options.lead_time_sd_days = args.lead_time_sd_days;
  options.seed = args.seed;
  options.keep_periods = !args.periods_csv.empty();
  auto result = run_backtest(history, options);

  if (!args.periods_csv.empty()) write_file(args.periods_csv, periods_csv(history, result));
  if (!args.report.empty()) write_file(args.report, report_html(history, result, args));
  if (args.json) {
    bj::object out = totals_json(result.pooled);
    bj::object categories;
    for (const auto& [category, t] : result.by_category) categories[category] = totals_json(t);
    out["by_category"] = std::move(categories);
    out["granularity"] = result.granularity == Granularity::weekly ? "weekly" : "daily";
    out["evaluate_last"] = result.evaluate_last;
    out["series_skipped"] = result.series_skipped;
    out["service_level"] = args.service_level;
    out["lead_time_sd_days"] = args.lead_time_sd_days;
    std::cout << bj::serialize(out) << std::endl;
    return;
  }
  const auto& t = result.pooled;
  std::cout << fmt::format(
      "{} series ({} skipped: fewer than {} periods before the window), {} series-periods ({} data, last {})\n"
      "fill rate {:.1f}% (asked {}%), weeks of supply {:.2f}, orders per series {:.1f}, WAPE {:.1f}%, bias {:+.1f}%\n",
      t.series, result.series_skipped, backtest_training_rows_min, t.periods,
      result.granularity == Granularity::weekly ? "weekly" : "daily", result.evaluate_last, t.fill_rate() * 100,
      number(args.service_level * 100), t.weeks_of_supply(), t.orders_per_series(), t.wape() * 100, t.bias() * 100);
  for (const auto& [category, c] : result.by_category)
    std::cout << fmt::format("  {}: {} series, fill {:.1f}%, weeks of supply {:.2f}, WAPE {:.1f}%, bias {:+.1f}%\n",
                             category, c.series, c.fill_rate() * 100, c.weeks_of_supply(), c.wape() * 100,
                             c.bias() * 100);
  std::cout << std::flush;
}

}  // namespace

CLI::App* planning_group(CLI::App& app) {
  for (auto* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "planning"; })) return sub;
  auto* group = app.add_subcommand("planning", "Forecasts and replenishment (docs/planning.md)");
  group->require_subcommand(1);
  return group;
}

void add_commands(CLI::App& app, std::string& /*db_path*/) {
  auto* group = planning_group(app);
  auto args = std::make_shared<BacktestArgs>();
  auto* backtest = group->add_subcommand("backtest", "Replay the replenishment policy on a sales-history CSV");
  backtest->add_option("--history", args->history, "CSV: date,location,item,units[,price][,promo][,category][,lead_time_days]"
                       "[,lead_time_sd_days][,case_pack][,service_level]")
      ->required();
  backtest->add_option("--lead-time-days", args->lead_time_days, "Days from order to delivery")
      ->check(CLI::Range(0.0, 365.0))
      ->capture_default_str();
  backtest->add_option("--review-days", args->review_days, "Days between orders")
      ->check(CLI::Range(1.0, 365.0))
      ->capture_default_str();
  backtest->add_option("--service-level", args->service_level, "Share of demand to serve, 0.5-0.999")
      ->check(CLI::Range(0.5, 0.999))
      ->capture_default_str();
  backtest->add_option("--service-measure", args->measure, "fill (units served) or cycle (cycles without stock-out)")
      ->check(CLI::IsMember({"fill", "cycle"}))
      ->capture_default_str();
  backtest->add_option("--evaluate-last", args->evaluate_last, "Periods replayed (default 52 weeks / 364 days)")
      ->check(CLI::Range(1, 100'000));
  backtest->add_option("--case-pack", args->case_pack, "Units per case for every item")
      ->check(CLI::Range(1.0, 100'000.0))
      ->capture_default_str();
  backtest->add_option("--lead-time-sd-days", args->lead_time_sd_days,
                       "Standard deviation of the lead time in days: the policy plans with it and each order's "
                       "delivery is drawn from it")
      ->check(CLI::Range(0.0, 365.0))
      ->capture_default_str();
  backtest->add_option("--seed", args->seed, "Seed of the lead-time draws (the same seed replays the same)")
      ->capture_default_str();
  backtest->add_flag("--json", args->json, "Print the figures as JSON");
  backtest->add_option("--report", args->report, "Write an HTML report here");
  backtest->add_option("--periods-csv", args->periods_csv, "Write one row per series and evaluated period here");
  backtest->callback([args] {
    try {
      run_backtest_command(*args);
    } catch (const std::runtime_error& e) {
      if (dynamic_cast<const CLI::Error*>(&e)) throw;
      std::cerr << e.what() << std::endl;
      throw CLI::RuntimeError(2);
    }
  });
}

}  // namespace backroom::planning_cli
