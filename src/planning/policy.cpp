#include "planning/policy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace backroom::planning {
namespace {

double poly(const double* c, int n, double x) {  // c[0] + c[1]·x + ... + c[n−1]·x^(n−1)
  double r = 0;
  for (int i = n - 1; i >= 0; --i) r = r * x + c[i];
  return r;
}

constexpr double rounding_slack = 1e-9;  // 12.000000001 units is 12, not 13

}  // namespace

double z_for_service_level(double p) {
  // Wichura, "Algorithm AS 241: The Percentage Points of the Normal Distribution", 1988.
  static constexpr double a[] = {3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
                                 1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                 3.3430575583588128105e+4, 2.5090809287301226727e+3};
  static constexpr double b[] = {1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2,
                                 5.3941960214247511077e+3, 2.1213794301586595867e+4, 3.9307895800092710610e+4,
                                 2.8729085735721942674e+4, 5.2264952788528545610e+3};
  static constexpr double c[] = {1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
                                 3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
                                 2.27238449892691845833e-2, 7.74545014278341407640e-4};
  static constexpr double d[] = {1.0, 2.05319162663775882187e0, 1.67638483018380384940e0,
                                 6.89767334985100004550e-1, 1.48103976427480074590e-1, 1.51986665636164571966e-2,
                                 5.47593808499534494600e-4, 1.05075007164441684324e-9};
  static constexpr double e[] = {6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
                                 2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
                                 2.71155556874348757815e-5, 2.01033439929228813265e-7};
  static constexpr double f[] = {1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1,
                                 1.48753612908506148525e-2, 7.86869131145613259100e-4, 1.84631831751005468180e-5,
                                 1.42151175831644588870e-7, 2.04426310338993978564e-15};
  double q = p - 0.5;
  if (std::fabs(q) <= 0.425) {
    double r = 0.180625 - q * q;
    return q * poly(a, 8, r) / poly(b, 8, r);
  }
  double r = std::sqrt(-std::log(q < 0 ? p : 1 - p));
  double x = r <= 5 ? poly(c, 8, r - 1.6) / poly(d, 8, r - 1.6) : poly(e, 8, r - 5) / poly(f, 8, r - 5);
  return q < 0 ? -x : x;
}

double normal_loss(double k) {
  double pdf = std::exp(-0.5 * k * k) / std::sqrt(2 * std::numbers::pi);
  double upper = 0.5 * std::erfc(k / std::sqrt(2.0));
  return pdf - k * upper;
}

namespace {

// The k ≥ 0 whose expected lost sales per review cycle leave `fill` of the cycle's demand
// served: G(k)·σ = cycle_demand·(1 − fill)/fill (lost sales). Bisection: G is decreasing.
double fill_rate_factor(double fill, double cycle_demand, double sigma) {
  if (sigma <= 0 || cycle_demand <= 0) return 0;
  double target = cycle_demand * (1 - fill) / fill / sigma;
  if (normal_loss(0) <= target) return 0;
  double lo = 0, hi = 8;
  for (int i = 0; i < 60; ++i) {
    double mid = (lo + hi) / 2;
    (normal_loss(mid) > target ? lo : hi) = mid;
  }
  return hi;
}

}  // namespace

double StockPosition::inventory_position() const { return on_hand + on_order + in_transit - reserved - backorders; }

double round_to_packing(double units, const Packing& packing) {
  if (units <= 0) return 0;
  double pack = packing.case_pack > 0 ? packing.case_pack : 1;
  double q = std::ceil(units / pack - rounding_slack) * pack;
  if (packing.moq > 0 && q < packing.moq) q = std::ceil(packing.moq / pack - rounding_slack) * pack;
  return q;
}

Suggestion suggest(const Forecast& forecast, const PolicyInput& in) {
  Suggestion s;
  s.protection_days = in.lead_time.days + in.review_days;
  Day from = in.today + std::chrono::days{1};
  s.demand_over_protection = forecast.expected_units(from, s.protection_days, in.promos);
  s.mean_per_day = s.protection_days > 0 ? s.demand_over_protection / s.protection_days : 0;
  double error = forecast.error_sd(from, s.protection_days, in.promos);
  double d = s.mean_per_day, sl = in.lead_time.sd_days;
  s.sigma = std::sqrt(error * error + d * d * sl * sl);
  s.z = z_for_service_level(in.service_level);
  // σ_d is estimated from n residuals: the error is Student-t with ν = n − 1 degrees of
  // freedom, whose sd is σ·√(1 + 1/n)·√(ν/(ν − 2)).
  double n = std::max(forecast.residuals, 4), nu = n - 1;
  s.sigma_effective = s.sigma * std::sqrt(1 + 1 / n) * std::sqrt(nu / (nu - 2));
  s.safety_factor = in.measure == ServiceMeasure::cycle
                        ? s.z
                        : fill_rate_factor(in.service_level, s.mean_per_day * in.review_days, s.sigma_effective);
  s.safety_stock = s.safety_factor * s.sigma_effective;
  // S in whole units, so that the reason's arithmetic (S − position) is exact.
  s.order_up_to = std::ceil(s.demand_over_protection + s.safety_stock - rounding_slack);
  s.position = in.stock.inventory_position();
  if (in.discontinued) {
    s.decision = Decision::discontinued;
    return s;
  }
  if (in.reorder_point && s.position >= *in.reorder_point) {
    s.decision = Decision::above_reorder_point;
    return s;
  }
  if (s.position >= s.order_up_to) {
    s.decision = s.order_up_to <= 0 ? Decision::no_demand : Decision::enough_stock;
    return s;
  }
  s.shortfall = s.order_up_to - s.position;
  s.quantity = round_to_packing(s.shortfall, in.packing);
  double pack = in.packing.case_pack > 0 ? in.packing.case_pack : 1;
  s.cases = s.quantity / pack;
  s.rounded_to_moq = in.packing.moq > 0 && std::ceil(s.shortfall / pack - rounding_slack) * pack < in.packing.moq;
  s.decision = Decision::order;
  return s;
}

TopUpResult top_up(std::span<TopUpLine> lines, const SupplierTerms& terms) {
  TopUpResult r;
  auto value = [&] {
    double v = 0;
    for (const auto& l : lines) v += l.suggestion->quantity * static_cast<double>(l.unit_cost);
    return static_cast<std::int64_t>(std::llround(v));
  };
  r.value_before = r.value_after = value();
  std::int64_t target = std::max(terms.min_order_value, terms.free_freight_value);
  if (target <= 0 || r.value_before == 0 || r.value_before >= target) return r;
  r.target = terms.free_freight_value >= terms.min_order_value ? TopUpTarget::free_freight_value
                                                                 : TopUpTarget::min_order_value;
  r.target_value = target;
  for (int step = 0; step < topup_steps_max && r.value_after < target; ++step) {
    TopUpLine* least = nullptr;
    double least_cover = std::numeric_limits<double>::infinity();
    for (auto& l : lines) {
      if (l.discontinued || l.unit_cost <= 0) continue;
      double have = l.suggestion->position + l.suggestion->quantity;
      double cover = l.mean_per_day > 0 ? have / l.mean_per_day : std::numeric_limits<double>::max();
      if (!least || cover < least_cover) {
        least = &l;
        least_cover = cover;
      }
    }
    if (!least) break;
    Suggestion& s = *least->suggestion;
    double pack = least->packing.case_pack > 0 ? least->packing.case_pack : 1;
    double add = s.quantity > 0 ? pack : round_to_packing(pack, least->packing);  // one case, or the MOQ
    s.quantity += add;
    s.topped_up += add;
    s.cases = s.quantity / pack;
    s.decision = Decision::order;
    r.value_after += static_cast<std::int64_t>(std::llround(add * static_cast<double>(least->unit_cost)));
  }
  r.reached = r.value_after >= target;
  return r;
}

}  // namespace backroom::planning
