// The reports room's JSON and CSV: the one place a KPI report, and a store-credit report, is written out.
#include <fmt/format.h>

#include "platform/csv.hpp"
#include "platform/types.hpp"
#include "reports/reports.hpp"

namespace backroom::reports {

namespace bj = boost::json;

namespace {

bj::value number_or_null(std::optional<double> v) { return v ? bj::value(*v) : bj::value(nullptr); }

double units(std::int64_t milli) { return static_cast<double>(milli) / 1000.0; }

bj::object ratio_json(const Totals& t, Kpi kpi) {
  auto r = kpi_ratio(t, kpi);
  return bj::object{{"value", number_or_null(r.value())}, {"numerator", r.numerator}, {"denominator", r.denominator}};
}

// Count accuracy and forecast WAPE have a slot in every row; what fills them is said here.
constexpr const char* count_accuracy_note =
    "share of count lines approved in the period that were within their class's tolerance; in the total only "
    "(counts are planned by ABC class, not by category); null when no count was approved";
constexpr const char* forecast_wape_note =
    "sum |forecast - actual| / sum actual over the weekly forecasts planning kept for weeks starting in the period, "
    "shop-wide (planning keeps them per store but reports them by category); null when none were kept";

std::string fixed(std::optional<double> v) { return v ? fmt::format("{:.6f}", *v) : ""; }

}  // namespace

bj::object totals_to_json(const Totals& t) {
  auto stockout = ratio_json(t, Kpi::stockout_rate);
  stockout["out_of_stock_item_days"] = t.out_of_stock_item_days;
  stockout["item_days"] = t.item_days;
  auto sell = ratio_json(t, Kpi::sell_through);
  sell["units_sold"] = units(t.sold_milli);
  sell["end_on_hand"] = units(t.end_on_hand_milli);
  auto supply = ratio_json(t, Kpi::days_of_supply);
  supply["on_hand"] = units(t.end_on_hand_milli);
  supply["units_sold_last_28_days"] = units(t.sold_window_milli);
  supply["window_days"] = days_of_supply_window_days;
  auto shrink = ratio_json(t, Kpi::shrink);
  shrink["shrink_cost"] = t.shrink_cost;
  shrink["net_sales"] = t.net_sales;
  bj::object by_reason;
  for (const auto& [reason, cost] : t.shrink_by_reason) by_reason[reason] = cost;
  shrink["by_reason"] = std::move(by_reason);
  auto gmroi = ratio_json(t, Kpi::gmroi);
  gmroi["net_sales"] = t.net_sales;
  gmroi["cost_of_goods_sold"] = t.cost_of_goods_sold;
  gmroi["gross_margin"] = t.net_sales - t.cost_of_goods_sold;
  gmroi["inventory_cost_days"] = t.inventory_cost_days;
  gmroi["days"] = t.period_days;
  return bj::object{{"items", t.items},
                    {"items_without_cost", t.items_without_cost},
                    {"stockout_rate", std::move(stockout)},
                    {"sell_through", std::move(sell)},
                    {"days_of_supply", std::move(supply)},
                    {"shrink", std::move(shrink)},
                    {"gmroi", std::move(gmroi)},
                    {"count_accuracy", nullptr},
                    {"forecast_wape", nullptr}};
}

namespace {
bj::value wape_json(const std::optional<ForecastError>& e) {
  if (!e || !(e->actual > 0)) return nullptr;
  return bj::object{{"value", e->abs_error / e->actual}, {"numerator", e->abs_error}, {"denominator", e->actual},
                    {"forecast", e->forecast}};
}
bj::value count_accuracy_json(const std::optional<CountAccuracy>& a) {
  if (!a || a->lines <= 0) return nullptr;
  return bj::object{{"value", static_cast<double>(a->within_tolerance) / static_cast<double>(a->lines)},
                    {"numerator", a->within_tolerance},
                    {"denominator", a->lines}};
}
}  // namespace

bj::object report_to_json(const KpiReport& r) {
  bj::array rows;
  for (const auto& row : r.rows) {
    auto o = totals_to_json(row.totals);
    o["key"] = row.key;
    o["label"] = row.label;
    if (r.query.grouping == Grouping::item) {
      o["item_id"] = row.key;
      o["sku"] = row.sku;
      o["name"] = row.name;
    } else if (r.query.grouping == Grouping::location) {
      o["location_id"] = row.key;
      o["name"] = row.name;
    } else {
      o["category"] = row.key;
      if (auto it = r.forecast_by_category.find(row.key); it != r.forecast_by_category.end())
        o["forecast_wape"] = wape_json(it->second);
    }
    rows.push_back(std::move(o));
  }
  return bj::object{{"from", format_day(r.query.period.from)},
                    {"to", format_day(r.query.period.to)},
                    {"days", r.query.period.days()},
                    {"location_id", r.query.site_id ? bj::value(*r.query.site_id) : bj::value(nullptr)},
                    {"group", groupings.text(r.query.grouping)},
                    {"order", r.query.order ? bj::value(kpis.text(*r.query.order)) : bj::value(nullptr)},
                    {"total", [&r] {
                       auto total = totals_to_json(r.total);
                       total["count_accuracy"] = count_accuracy_json(r.count_accuracy);
                       total["forecast_wape"] = wape_json(r.forecast);
                       return total;
                     }()},
                    {"rows", std::move(rows)},
                    {"notes", bj::object{{"count_accuracy", count_accuracy_note}, {"forecast_wape", forecast_wape_note}}}};
}

std::string report_to_csv(const KpiReport& r) {
  using platform::csv_export_safe;
  using platform::csv_line;
  std::string out = csv_line({"group", "key", "label", "stockout_rate", "out_of_stock_item_days", "item_days",
                              "sell_through", "units_sold", "end_on_hand", "days_of_supply",
                              "units_sold_last_28_days", "shrink", "shrink_cost", "net_sales", "gmroi",
                              "gross_margin", "cost_of_goods_sold", "inventory_cost_days", "days"});
  auto line = [&](const std::string& key, const std::string& label, const Totals& t) {
    out += csv_line({std::string(groupings.text(r.query.grouping)), csv_export_safe(key), csv_export_safe(label),
                     fixed(kpi_ratio(t, Kpi::stockout_rate).value()), std::to_string(t.out_of_stock_item_days),
                     std::to_string(t.item_days), fixed(kpi_ratio(t, Kpi::sell_through).value()),
                     format_quantity(Quantity{t.sold_milli}), format_quantity(Quantity{t.end_on_hand_milli}),
                     fixed(kpi_ratio(t, Kpi::days_of_supply).value()), format_quantity(Quantity{t.sold_window_milli}),
                     fixed(kpi_ratio(t, Kpi::shrink).value()), std::to_string(t.shrink_cost),
                     std::to_string(t.net_sales), fixed(kpi_ratio(t, Kpi::gmroi).value()),
                     std::to_string(t.net_sales - t.cost_of_goods_sold), std::to_string(t.cost_of_goods_sold),
                     std::to_string(t.inventory_cost_days), std::to_string(t.period_days)});
  };
  for (const auto& row : r.rows) line(row.key, row.label, row.totals);
  line("", "total", r.total);
  return out;
}

bj::object weekly_to_json(const std::vector<WeekTotals>& weeks, const std::optional<std::string>& site_id) {
  bj::array list;
  for (const auto& w : weeks) {
    auto o = totals_to_json(w.totals);
    o["from"] = format_day(w.period.from);
    o["to"] = format_day(w.period.to);
    list.push_back(std::move(o));
  }
  return bj::object{{"location_id", site_id ? bj::value(*site_id) : bj::value(nullptr)}, {"weeks", std::move(list)}};
}

bj::object action_to_json(const Action& a, const ActionNames& names, const std::string& review_week) {
  bj::array photos;
  for (const auto& p : a.photos)
    photos.push_back(bj::object{{"id", p.id},
                                {"content_type", p.content_type},
                                {"bytes", p.bytes},
                                {"url", fmt::format("/api/v1/reports/actions/{}/photos/{}", a.id, p.id)}});
  auto opt = [](const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); };
  return bj::object{
      {"id", a.id},
      {"week", a.week},
      {"carried", a.week < review_week},
      {"kpi", a.kpi ? bj::value(kpis.text(*a.kpi)) : bj::value(nullptr)},
      {"item", a.item_id ? bj::value(bj::object{{"id", *a.item_id},
                                               {"sku", names.item_sku.value_or("")},
                                               {"name", names.item_name.value_or("")}})
                         : bj::value(nullptr)},
      {"location", a.location_id ? bj::value(bj::object{{"id", *a.location_id}, {"name", names.location.value_or("")}})
                                 : bj::value(nullptr)},
      {"note", a.note},
      {"owner", bj::object{{"id", a.owner_id}, {"name", names.owner}}},
      {"due_on", a.due_on},
      {"status", action_statuses.text(a.status)},
      {"outcome", a.outcome},
      {"photos", std::move(photos)},
      {"created_at", format_rfc3339(Timestamp{a.created_at})},
      {"created_by", a.created_by},
      {"closed_at", a.closed_at ? bj::value(format_rfc3339(Timestamp{*a.closed_at})) : bj::value(nullptr)},
      {"closed_by", opt(a.closed_by)},
      {"version", a.version}};
}

namespace {

bj::object tally_json(const Tally& t) { return bj::object{{"count", t.count}, {"amount", t.amount}}; }

bj::value store_json(const std::map<std::string, std::string>& names, const std::string& id) {
  auto name = names.find(id);
  if (name == names.end()) return nullptr;
  return bj::object{{"id", id}, {"name", name->second}};
}

std::string store_name(const std::map<std::string, std::string>& names, const std::string& id) {
  auto name = names.find(id);
  return name == names.end() ? "" : name->second;
}

}  // namespace

bj::object store_credit_to_json(const StoreCreditReport& r) {
  const auto& f = r.figures;
  bj::array written_off;
  for (const auto& s : f.written_off_list)
    written_off.push_back(bj::object{{"sale_id", s.sale_id},
                                     {"receipt_number", s.receipt_number},
                                     {"store", store_json(r.store_names, s.location_id)},
                                     {"code", s.code},
                                     {"amount", s.amount},
                                     {"at", format_rfc3339(*s.settled_at)},
                                     {"by", s.settled_by},
                                     {"note", s.note}});
  return bj::object{
      {"from", format_day(r.period.from)},
      {"to", format_day(r.period.to)},
      {"days", r.period.days()},
      {"location", r.location_id ? store_json(r.store_names, *r.location_id) : bj::value(nullptr)},
      {"opening_liability", f.opening_liability},
      {"issued", tally_json(f.issued)},
      {"redeemed", tally_json(f.redeemed)},
      {"given_back", tally_json(f.given_back)},
      {"adjusted", tally_json(f.adjusted)},
      {"closing_liability", f.closing_liability},
      {"liability_now", f.liability_now},
      {"shortfalls", bj::object{{"open", tally_json(f.open_shortfalls)},
                                {"written_off", tally_json(f.written_off)},
                                {"collected", tally_json(f.collected)}}},
      {"written_off", std::move(written_off)},
  };
}

// One table: the figures, the shortfalls, then one row a write-off; amounts in minor units.
std::string store_credit_to_csv(const StoreCreditReport& r) {
  using platform::csv_export_safe;
  using platform::csv_line;
  const auto& f = r.figures;
  std::string out = csv_line({"section", "figure", "count", "amount", "receipt_number", "store", "code", "at", "by", "note"});
  auto figure = [&](const char* section, const char* name, std::optional<std::int64_t> count, std::int64_t amount) {
    out += csv_line({section, name, count ? std::to_string(*count) : "", std::to_string(amount), "", "", "", "", "", ""});
  };
  figure("liability", "opening_liability", std::nullopt, f.opening_liability);
  figure("liability", "issued", f.issued.count, f.issued.amount);
  figure("liability", "redeemed", f.redeemed.count, f.redeemed.amount);
  figure("liability", "given_back", f.given_back.count, f.given_back.amount);
  figure("liability", "adjusted", f.adjusted.count, f.adjusted.amount);
  figure("liability", "closing_liability", std::nullopt, f.closing_liability);
  figure("liability", "liability_now", std::nullopt, f.liability_now);
  figure("shortfalls", "open", f.open_shortfalls.count, f.open_shortfalls.amount);
  figure("shortfalls", "written_off", f.written_off.count, f.written_off.amount);
  figure("shortfalls", "collected", f.collected.count, f.collected.amount);
  for (const auto& s : f.written_off_list)
    out += csv_line({"written_off", "", "1", std::to_string(s.amount), csv_export_safe(s.receipt_number),
                     csv_export_safe(store_name(r.store_names, s.location_id)), csv_export_safe(s.code),
                     format_rfc3339(*s.settled_at), csv_export_safe(s.settled_by), csv_export_safe(s.note)});
  return out;
}

}  // namespace backroom::reports
