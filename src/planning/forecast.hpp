// Demand forecasts for one series (one item at one location), pure maths: values in, values
// out, no I/O. A series is a list of periods (days or weeks) that HAVE data; a missing
// period is absent from the list, never a zero. fit() learns only from the periods it is
// given, so the caller keeps causality by passing the history before the forecast origin.
//
// Method, chosen by the history: simple exponential smoothing of a level with a day-of-week
// profile for regular sellers; Croston with the Syntetos-Boylan correction (SBA) for
// intermittent ones (average interval between non-zero periods above 1.32 periods).
// Censored periods (the item ran out, so sales are a lower bound) never teach the level or
// the error: they are skipped. Promotion periods are fitted apart: the base level learns
// from regular periods, the multiplicative uplift from promotion periods (own when the series
// has enough of them, else the category's pooled evidence). Where promotion periods carry a
// price, an own-price effect is learnt the same way: a constant elasticity ε, so a promotion
// at price p sells (p / regular price)^−ε times the base — a deeper discount sells more than
// a shallow one, which a single uplift cannot say. Quantities are units as double (the store
// converts milli-units).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace backroom::planning {

using Day = std::chrono::sys_days;  // a civil date in the shop's time zone

enum class Granularity { daily, weekly };
int days_per_period(Granularity g);  // 1 or 7

struct Period {
  Day start;                    // first day of the period (the date of the row)
  double units = 0;             // sold; when censored, a lower bound on demand
  bool censored = false;        // ended out of stock: units is not demand
  bool promo = false;           // on promotion (known in advance)
  std::optional<double> price;  // selling price, any unit constant within the series
};

// Promotion days that are planned ahead, as closed intervals of days; sorted, not overlapping.
// `price` is the planned selling price when known (same unit as the history's prices).
struct PromoWindow {
  Day first, last;
  std::optional<double> price;
  bool running = false;  // in force already (a flagged promotion applied before `first`): its remaining days
};
using PromoCalendar = std::vector<PromoWindow>;
bool on_promo(const PromoCalendar& promos, Day day);
// The window `day` falls in, or nullptr.
const PromoWindow* promo_window(const PromoCalendar& promos, Day day);

// Price cuts are pooled in bands of 5 points of discount (0-5 %, 5-10 % ... 95-100 %); a
// band keeps its sums, so a category's series pool without keeping every period.
inline constexpr int discount_bands = 20;
// A price within 2 % of the regular price is not a price cut: such a promotion is explained
// by the plain uplift (a display, a flyer), not by price.
inline constexpr double price_cut_min = 0.02;
// The elasticity is kept within [0, 10]: demand never falls when the price is cut.
inline constexpr double elasticity_max = 10.0;

// What a set of promotion periods says about the uplift: actual units against what the base
// forecast expected at the time. Summed over a category's series it is the category prior.
struct PromoEvidence {
  double promo_units = 0;     // actual units sold in uncensored promotion periods
  double baseline_units = 0;  // base (non-promotion) forecast for those same periods
  int promo_periods = 0;
  // The same for promotion periods with a price cut, by discount band: Σ actual, Σ base and
  // Σ base·ln(price / regular price) (so each band's mean log price ratio, weighted by base).
  struct Band {
    double units = 0, baseline = 0, baseline_log_ratio = 0;
  };
  std::array<Band, discount_bands> bands{};
  int priced_periods = 0;
  PromoEvidence& operator+=(const PromoEvidence& o);
  // promo_units / baseline_units, or nullopt without evidence.
  std::optional<double> uplift() const;
  // The constant elasticity ε that makes the base forecasts, scaled by (p/regular)^−ε, add
  // up to what the priced promotion periods sold: Σ_b units_b = Σ_b baseline_b·exp(−ε·m_b),
  // m_b the band's mean log price ratio (a moment match, like uplift(): zeros are fine).
  // Bisection on [0, elasticity_max]; nullopt without priced periods.
  std::optional<double> elasticity() const;
};

// Below this many uncensored promotion periods the series borrows its category's uplift.
inline constexpr int promo_periods_own_min = 4;
// The uplift is kept within these bounds whatever the data says (a guard, not a model).
inline constexpr double promo_uplift_min = 1.0;
inline constexpr double promo_uplift_max = 20.0;
// Average inter-demand interval (in periods) above which a series is intermittent
// (Syntetos, Boylan & Croston 2005 classification cut-off).
inline constexpr double intermittent_interval_min = 1.32;

enum class Method {
  no_history,          // nothing usable yet: forecasts zero, infinite uncertainty is not claimed
  level_weekday_ses,   // SES on a level × day-of-week profile
  croston_sba,         // Croston/SBA on sizes and intervals
};
const char* method_name(Method m);  // "none", "ses", "sba"

enum class UpliftSource { none, own, category };

struct Forecast {
  Method method = Method::no_history;
  Granularity granularity = Granularity::daily;
  double alpha = 0;               // smoothing constant chosen on the history
  double mean_per_day = 0;        // base demand per day, no promotion
  std::array<double, 7> weekday_profile{1, 1, 1, 1, 1, 1, 1};  // Mon..Sun, mean 1; all 1 for weekly data
  double promo_uplift = 1;        // multiplicative, applied on promotion days
  UpliftSource uplift_source = UpliftSource::none;
  // Own-price effect: the median price of the history's non-promotion periods, and the
  // elasticity applied to a promotion whose price is known and at least price_cut_min below it.
  std::optional<double> regular_price;
  double price_elasticity = 0;
  UpliftSource elasticity_source = UpliftSource::none;
  double sigma_per_day = 0;       // σ_d: sd of the one-period forecast error, per day, regular days
  // Share of the one-step error variance that is the level's own estimation error, α/(2−α)
  // for exponential smoothing: that part does not average out over a horizon (error_sd()).
  double level_error_ratio = 0;
  double promo_sigma_per_day = 0; // same on promotion days (at least sigma_per_day × uplift)
  // Relative standard error of σ_d (≈ 1/√(2·(n−1)) for n residuals): the error of the error
  // estimate, which the policy uses to widen its safety stock.
  double sigma_relative_error = 1;
  int residuals = 0;              // uncensored one-step errors behind σ_d
  PromoEvidence own_promo_evidence;
  std::optional<Day> last_day;    // last day of the history fitted

  // Expected units on the days [first, first + days): level × weekday profile × uplift on
  // promotion days. days may be fractional at the end (a lead time of 2.5 days).
  double expected_units(Day first, double days, const PromoCalendar& promos = {}) const;
  // sd of the error of that total. Each day's σ_d(t)² = noise + level error, in the ratio
  // 1 : level_error_ratio; noise adds up independently, the level's error is the same on
  // every day of the horizon:  √( Σσ_d(t)²/(1+r) + (Σσ_d(t))²·r/((1+r)·P) ), P = days per
  // period. With r = 0 this is √((L+R)·σ_d²), the textbook formula.
  double error_sd(Day first, double days, const PromoCalendar& promos = {}) const;
  // One-period-ahead forecast for a period starting at `start` (the backtest's forecast),
  // at `price` when known.
  double period_forecast(Day start, bool promo, std::optional<double> price = std::nullopt) const;
  // What a promotion day multiplies the base by: (price / regular price)^−ε, within the
  // uplift bounds, when the price is a cut and an elasticity was learnt; else promo_uplift.
  double promo_multiplier(std::optional<double> price) const;
};

struct FitOptions {
  std::optional<PromoEvidence> category_promo;  // pooled over the category's series
  std::optional<double> alpha;  // a fixed smoothing constant instead of the best on the history
};

// The median price of the history's periods off promotion (the regular price the own-price
// effect compares with), or nullopt when none has a price.
std::optional<double> regular_price(std::span<const Period> history);

// Fits on every period of `history` (ascending by start, no duplicates; the caller gives only
// data before the origin). Pre: periods sorted. Never throws on short or empty history.
Forecast fit(std::span<const Period> history, Granularity granularity, const FitOptions& options = {});

// A fitted forecast as one line of text and back, every field with all its digits (each
// double written shortest-exact, so unpack(pack(f)) == f bit for bit): what the weekly
// preparation keeps so a suggestion can use the fit without reading the history again
// (planning_store.hpp, kept fits). unpack_forecast returns nullopt on text it did not write
// (another version's, or damaged), and the caller then fits again.
std::string pack_forecast(const Forecast& f);
std::optional<Forecast> unpack_forecast(std::string_view text);
// Whether `text` is of the format this version's pack_forecast writes (its tag only).
bool packed_forecast_current(std::string_view text);

// The promotion evidence of a history, for pooling into a category prior (uses the same base
// fit as fit(), so the same causality holds).
PromoEvidence promo_evidence(std::span<const Period> history, Granularity granularity);

}  // namespace backroom::planning
