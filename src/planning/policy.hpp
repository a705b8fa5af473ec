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

struct PolicyInput {
  Day today;                   // the order is placed at the end of today; demand counts from tomorrow
  LeadTime lead_time;
  double review_days = 7;      // R: days until the next order opportunity
  double service_level = service_level_default;
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
  double sigma = 0;            // √(Σσ_d² + d²·σ_L²), after the estimate-error widening
  double z = 0;                // from the service level
  double z_effective = 0;      // z widened for the error of σ_d's estimate (see suggest())
  double safety_stock = 0;     // z·σ
  double order_up_to = 0;      // S
  double position = 0;         // inventory position
  double shortfall = 0;        // S − position (> 0 when ordering)
  double quantity = 0;         // after rounding to cases and MOQ
  double cases = 0;            // quantity / case_pack
  bool rounded_to_moq = false;
  double topped_up = 0;        // units added by the supplier top-up (part of quantity)
};

// One item's decision. Pure; the backtest and the suggestions API call it with the same
// forecast. σ_d is itself an estimate from n residuals, so the safety stock uses the
// prediction-interval quantile t_{n−1}(service_level)·√(1 + 1/n) in place of z (→ z as n
// grows), with at least 2 degrees of freedom.
// Safety stock = z_effective·σ; S = forecast over L+R + safety stock.
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
