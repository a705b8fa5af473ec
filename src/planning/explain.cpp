#include "planning/explain.hpp"

#include <fmt/format.h>

#include <cmath>

namespace backroom::planning {
namespace {

// Whole numbers as whole ("18"), else up to 3 decimals without trailing zeros ("2.5").
std::string quantity_text(double units) {
  double whole = std::round(units);
  if (std::fabs(units - whole) < 5e-4) return fmt::format("{}", static_cast<long long>(whole));
  std::string s = fmt::format("{:.3f}", units);
  while (s.back() == '0') s.pop_back();
  return s;
}

std::string percent_text(double fraction) {
  double p = fraction * 100;
  return std::fabs(p - std::round(p)) < 0.05 ? fmt::format("{}", static_cast<long long>(std::round(p)))
                                             : fmt::format("{:.1f}", p);
}

std::string rate_text(const Forecast& f) {
  double per_day = f.mean_per_day;
  if (per_day >= 0.95) return fmt::format("Sells about {:.1f} a day", per_day);
  if (per_day * 7 >= 0.05) return fmt::format("Sells about {:.1f} a week", per_day * 7);
  return "Has hardly sold";
}


std::string stock_text(const StockPosition& st) {
  std::string t = "you have " + quantity_text(st.on_hand);
  if (st.on_order > 0) t += " and " + quantity_text(st.on_order) + " on order";
  if (st.in_transit > 0) t += ", " + quantity_text(st.in_transit) + " on the way from another shop";
  if (st.reserved > 0) t += ", " + quantity_text(st.reserved) + " reserved";
  if (st.backorders > 0) t += ", " + quantity_text(st.backorders) + " owed to customers";
  return t;
}

}  // namespace

const PromoWindow* first_promotion(const PolicyInput& in, const Suggestion& s) {
  Day from = in.today + std::chrono::days{1};
  for (int i = 0; i < s.protection_days; ++i)
    if (const auto* w = promo_window(in.promos, from + std::chrono::days{i})) return w;
  return nullptr;
}

std::string weekday_pattern(const Forecast& f) {
  if (f.granularity != Granularity::daily) return "";
  double weekdays = 0, weekend = 0;
  for (int w = 0; w < 5; ++w) weekdays += f.weekday_profile[w] / 5;
  weekend = (f.weekday_profile[5] + f.weekday_profile[6]) / 2;
  if (weekdays >= weekend * 1.1) return "weekdays more";
  if (weekend >= weekdays * 1.1) return "weekends more";
  return "";
}

std::string reason_text(const Forecast& f, const PolicyInput& in, const Suggestion& s, const ExplainTopUp& top_up) {
  if (s.decision == Decision::discontinued) return "Discontinued: never reordered.";
  std::string t = rate_text(f);
  if (auto pattern = weekday_pattern(f); !pattern.empty()) t += " (" + pattern + ")";
  if (const auto* w = first_promotion(in, s); w && f.promo_multiplier(w->price) > 1.05) {
    // The price of a planned window is a share of the regular price (promo_calendar.hpp).
    std::string off = w->price && *w->price < 1 ? fmt::format(" ({:.0f} % off)", (1 - *w->price) * 100) : "";
    t += fmt::format("; the promotion {}{} sells about {:.1f} times as much", w->running ? "running now" : "ahead", off,
                     f.promo_multiplier(w->price));
  }
  t += fmt::format("; the next delivery after this one arrives in {} days", quantity_text(s.protection_days));
  t += fmt::format("; keeping {}% of customers served needs {}", percent_text(in.service_level),
                   quantity_text(s.order_up_to));
  t += "; " + stock_text(in.stock);
  switch (s.decision) {
    case Decision::above_reorder_point:
      return t + fmt::format(", at or above the reorder point of {}, so no order yet.",
                             quantity_text(in.reorder_point.value_or(0)));
    case Decision::enough_stock:
    case Decision::no_demand:
      return t + "; no order needed.";
    case Decision::discontinued:
    case Decision::order:
      break;
  }
  double ordered = s.quantity - s.topped_up;  // before the supplier top-up
  double pack = in.packing.case_pack > 0 ? in.packing.case_pack : 1;
  std::string shortfall = quantity_text(s.shortfall);
  if (ordered <= 0) {
    t += "; no order needed for this item alone.";
  } else if (s.rounded_to_moq) {
    t += fmt::format("; {} rounded up to the minimum order of {}.", shortfall, quantity_text(ordered));
  } else if (pack > 1) {
    double cases = ordered / pack;
    t += fmt::format("; {} rounded up to {} {} of {} = {}.", shortfall, quantity_text(cases),
                     cases == 1 ? "case" : "cases", quantity_text(pack), quantity_text(ordered));
  } else if (std::fabs(ordered - s.shortfall) < 5e-4) {
    t += fmt::format("; so order {}.", quantity_text(ordered));
  } else {
    t += fmt::format("; {} rounded up to {}.", shortfall, quantity_text(ordered));
  }
  if (s.topped_up > 0) {
    const char* what = top_up.target == TopUpTarget::free_freight_value ? "free-freight value" : "minimum order";
    t += fmt::format(" Topped up by {} to {} to reach the supplier's {} of {}.", quantity_text(s.topped_up),
                     quantity_text(s.quantity), what, top_up.target_value_text);
  }
  return t;
}

}  // namespace backroom::planning
