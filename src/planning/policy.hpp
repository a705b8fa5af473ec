// The replenishment policy, pure maths: periodic review (review period R) with lead time L,
// order-up-to level S = forecast over L+R + z·σ with σ = √((L+R)·σ_d² + d²·σ_L²), rounding
// to case packs and MOQ, and a per-supplier top-up to its minimum / free-freight value. The
// suggestions API and the backtest both call suggest(): one policy, one code path.
// Quantities are units as double; money is minor units (int64) as everywhere in Backroom.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "planning/forecast.hpp"

namespace backroom::planning {

// z with Φ(z) = service_level (inverse standard normal, Wichura's AS 241, |error| < 1e-15).
// Pre: 0 < service_level < 1. z(0.95) = 1.6449, z(0.90) = 1.2816, z(0.975) = 1.9600,
// z(0.99) = 2.3263.
double z_for_service_level(double service_level);

inline constexpr double service_level_default = 0.95;

struct LeadTime {
  double days = 7;     // L, mean
  double sd_days = 0;  // σ_L
};

// What the shop holds and expects for the item at the location.
struct StockPosition {
  double on_hand = 0;
  double on_order = 0;    // open purchase orders not yet received
  double in_transit = 0;  // transfers on their way in
  double reserved = 0;
  double backorders = 0;
  // on_hand + on_order + in_transit − reserved − backorders
  double inventory_position() const;
};

struct Packing {
  double case_pack = 1;  // units per case; orders are whole cases (≥ 1)
  double moq = 0;        // minimum order quantity in units (0 = none), applied after case rounding
};

// What "95 % served" means. fill_rate (the default): 95 % of the units customers ask for are
// on the shelf, the safety factor k solving the lost-sales fill-rate equation
// G(k) = (d·R/σ)·(1−β)/β with G the standard normal loss function (Silver, Pyke & Peterson,
// "Inventory Management and Production Planning and Scheduling", 3rd ed., §7.6); k ≥ 0.
// cycle: no stock-out in 95 % of review cycles, k = z (the textbook z·σ).
enum class ServiceMeasure { fill_rate, cycle };

// G(k) = φ(k) − k·(1 − Φ(k)): expected units short per unit of σ at safety factor k.
double normal_loss(double k);

struct PolicyInput {
  Day today;                   // the order is placed at the end of today; demand counts from tomorrow
  LeadTime lead_time;
  double review_days = 7;      // R: days until the next order opportunity
  double service_level = service_level_default;
  ServiceMeasure measure = ServiceMeasure::fill_rate;
  StockPosition stock;
  Packing packing;
  std::optional<double> reorder_point;  // set by the buyer: order only when position < it
  bool discontinued = false;
  PromoCalendar promos;        // promotions planned within the horizon
};

enum class Decision {
  order,              // quantity > 0
  enough_stock,       // position ≥ S
  above_reorder_point,
  discontinued,       // never ordered
  no_demand,          // forecast is zero and nothing is owed
};

struct Suggestion {
  Decision decision = Decision::no_demand;
  double protection_days = 0;  // L + R
  double demand_over_protection = 0;  // forecast over L+R (promotions included)
  double mean_per_day = 0;     // d: expected units a day over L+R
  double sigma = 0;            // √(Σσ_d² + d²·σ_L²) (forecast.hpp error_sd for the first term)
  double sigma_effective = 0;  // σ widened for the error of σ_d's own estimate (see suggest())
  double z = 0;                // Φ⁻¹(service level)
  double safety_factor = 0;    // k: z for the cycle measure, the fill-rate solution otherwise
  double safety_stock = 0;     // k·σ_effective
  double order_up_to = 0;      // S
  double position = 0;         // inventory position
  double shortfall = 0;        // S − position (> 0 when ordering)
  double quantity = 0;         // after rounding to cases and MOQ
  double cases = 0;            // quantity / case_pack
  bool rounded_to_moq = false;
  double topped_up = 0;        // units added by the supplier top-up (part of quantity)
};

// One item's decision. Pure; the backtest and the suggestions API call it with the same
// forecast. σ_d is itself an estimate from n residuals, so the forecast error is Student-t
// with ν = n − 1 (at least 3) degrees of freedom and spread σ·√(1 + 1/n): its sd is
// σ_effective = σ·√(1 + 1/n)·√(ν/(ν − 2)) (→ σ as n grows).
// Safety stock = k·σ_effective; S = ⌈forecast over L+R + safety stock⌉ (whole units).
Suggestion suggest(const Forecast& forecast, const PolicyInput& input);

// Whole cases, then at least the MOQ (itself rounded up to whole cases). 0 stays 0.
double round_to_packing(double units, const Packing& packing);

// --- per supplier: top up to the minimum order / free-freight value -----------------------
struct SupplierTerms {
  std::int64_t min_order_value = 0;     // minor units; 0 = none
  std::int64_t free_freight_value = 0;  // minor units; 0 = none
};

struct TopUpLine {
  Suggestion* suggestion;       // updated in place: quantity, cases, topped_up
  std::int64_t unit_cost = 0;   // minor units per unit
  Packing packing;
  double mean_per_day = 0;      // for cover: (position + quantity) / mean_per_day
  bool discontinued = false;    // never topped up
};

enum class TopUpTarget { none, min_order_value, free_freight_value };

struct TopUpResult {
  TopUpTarget target = TopUpTarget::none;
  std::int64_t target_value = 0;    // the value aimed at
  std::int64_t value_before = 0;
  std::int64_t value_after = 0;
  bool reached = false;             // false when no line could take more (all discontinued...)
};

// When the order's value is below the larger of the supplier's minimum and free-freight
// values, adds one case at a time (or the MOQ to a line not yet ordered) to the line with the
// least cover (days of supply after this order; a line without demand last) until the
// value is reached. An empty order (nothing suggested) is not topped up. Bounded: at most
// topup_steps_max additions.
inline constexpr int topup_steps_max = 10'000;
TopUpResult top_up(std::span<TopUpLine> lines, const SupplierTerms& terms);

}  // namespace backroom::planning
