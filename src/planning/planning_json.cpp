#include "planning/planning_json.hpp"

#include <cmath>

#include "planning/explain.hpp"
#include "planning/history_csv.hpp"
#include "platform/json.hpp"

namespace backroom::planning {

namespace bj = boost::json;

namespace {

bj::value number(double units) { return json::quantity_value(Quantity{std::llround(units * 1000.0)}); }
bj::value opt_number(const std::optional<double>& v) { return v ? number(*v) : bj::value(nullptr); }

const char* top_up_word(TopUpTarget t) {
  switch (t) {
    case TopUpTarget::min_order_value: return "min_order_value";
    case TopUpTarget::free_freight_value: return "free_freight_value";
    case TopUpTarget::none: break;
  }
  return "none";
}

bj::value promotion_json(const Forecast& f, const PolicyInput& in, const Suggestion& g) {
  const auto* w = first_promotion(in, g);
  if (!w) return nullptr;
  return bj::object{{"first_day", format_date(w->first)},
                    {"last_day", format_date(w->last)},
                    {"price_share", w->price ? number(*w->price) : bj::value(nullptr)},
                    {"multiplier", number(f.promo_multiplier(w->price))}};
}

}  // namespace

bj::object suggestions_to_json(const SupplierSuggestions& s) {
  bj::array lines;
  for (const auto& i : s.items) {
    const auto& g = i.suggestion;
    if (g.quantity <= 0) continue;
    const auto& in = i.input;
    bj::object reason{
        {"forecast_per_day", number(g.mean_per_day)},
        {"method", method_name(i.forecast.method)},
        {"fitted_at", format_date(i.fitted_on)},
        {"lead_time_days", number(in.lead_time.days)},
        {"lead_time_sd_days", number(in.lead_time.sd_days)},
        {"review_days", number(in.review_days)},
        {"service_level", number(in.service_level)},
        {"safety_stock", number(g.safety_stock)},
        {"order_up_to", number(g.order_up_to)},
        {"on_hand", number(in.stock.on_hand)},
        {"on_order", number(in.stock.on_order)},
        {"in_transit", number(in.stock.in_transit)},
        {"reserved", number(in.stock.reserved)},
        {"backorders", number(in.stock.backorders)},
        {"position", number(g.position)},
        {"reorder_point", in.reorder_point ? number(*in.reorder_point) : bj::value(nullptr)},
        {"price_elasticity", i.forecast.elasticity_source != UpliftSource::none ? number(i.forecast.price_elasticity)
                                                                                 : bj::value(nullptr)},
        {"promotion_ahead", promotion_json(i.forecast, in, g)},
        {"rounding", bj::object{{"shortfall", number(g.shortfall)},
                                {"case_pack", number(in.packing.case_pack)},
                                {"moq", number(in.packing.moq)},
                                {"rounded_to_moq", g.rounded_to_moq},
                                {"topped_up", number(g.topped_up)}}},
        {"text", i.text},
    };
    lines.push_back(bj::object{{"item_id", i.item_id},
                               {"sku", i.sku},
                               {"name", i.name},
                               {"category", i.category},
                               {"quantity", number(g.quantity)},
                               {"cases", number(g.cases)},
                               {"unit_cost", i.unit_cost},
                               {"reason", std::move(reason)}});
  }
  return bj::object{{"location_id", s.location_id},
                    {"supplier_id", s.supplier_id},
                    {"date", format_date(s.today)},
                    {"top_up", bj::object{{"target", top_up_word(s.top_up.target)},
                                          {"target_value", s.top_up.target_value},
                                          {"value_before", s.top_up.value_before},
                                          {"value_after", s.top_up.value_after},
                                          {"reached", s.top_up.reached}}},
                    {"fits", bj::object{{"kept", s.kept_fits}, {"fitted", s.items.size() - s.kept_fits}}},
                    {"suggestions", std::move(lines)}};
}

bj::object series_to_json(const std::string& location_id, const std::string& item_id, const SeriesView& v) {
  bj::array days;
  for (const auto& d : v.history)
    days.push_back(bj::object{{"date", format_date(d.day)},
                              {"units", opt_number(d.units)},
                              {"censored", d.censored},
                              {"promo", d.promo}});
  bj::array ahead;
  for (int i = 1; i <= series_forecast_days; ++i) {
    Day day = v.today + std::chrono::days{i};
    ahead.push_back(bj::object{{"date", format_date(day)}, {"units", number(v.forecast.expected_units(day, 1))}});
  }
  return bj::object{{"location_id", location_id},
                    {"item_id", item_id},
                    {"today", format_date(v.today)},
                    {"method", method_name(v.forecast.method)},
                    {"forecast_per_day", number(v.forecast.mean_per_day)},
                    {"history", std::move(days)},
                    {"forecast", std::move(ahead)}};
}

bj::object accuracy_to_json(const std::vector<AccuracyWeek>& weeks) {
  bj::array out;
  for (const auto& w : weeks)
    out.push_back(bj::object{{"week_start", w.week_start},
                             {"category", w.category},
                             {"series", w.series},
                             {"forecast", number(w.forecast)},
                             {"actual", number(w.actual)},
                             {"wape", opt_number(w.wape)},
                             {"bias", opt_number(w.bias)},
                             {"mase", opt_number(w.mase)}});
  return bj::object{{"weeks", std::move(out)}};
}

bj::object settings_to_json(const std::vector<store::ServiceLevel>& levels, const std::vector<store::ReorderPoint>& points) {
  bj::array sl, rp;
  for (const auto& l : levels)
    sl.push_back(bj::object{{"scope", l.scope},
                            {"key", l.key},
                            {"service_level", number(static_cast<double>(l.service_level_bp) / 10000.0)}});
  for (const auto& p : points)
    rp.push_back(bj::object{{"item_id", p.item_id},
                            {"location_id", p.location_id},
                            {"reorder_point", json::quantity_value(Quantity{p.reorder_point})}});
  return bj::object{{"default_service_level", number(static_cast<double>(service_level_bp_default) / 10000.0)},
                    {"service_levels", std::move(sl)},
                    {"reorder_points", std::move(rp)}};
}

}  // namespace backroom::planning
