#include "planning/forecast.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace backroom::planning {
namespace {

// Candidate smoothing constants; the one with the least one-step squared error on the
// history wins (Hyndman et al., "Forecasting with Exponential Smoothing", 2008, ch. 2).
constexpr std::array<double, 7> ses_alphas{0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5};
constexpr std::array<double, 5> sba_alphas{0.05, 0.1, 0.15, 0.2, 0.3};
// A weekday profile needs this many regular days of every weekday; before, it is flat.
constexpr double weekday_observations_min = 4;
// No weekday counts for less than this share of an average day (a shop closed on Sundays
// still divides Sunday's rare sale by something).
constexpr double weekday_factor_min = 0.05;
// One-step errors before this many regular periods are warm-up, not evidence.
constexpr int warmup_periods = 2;

int weekday_index(Day day) {  // Monday = 0
  return static_cast<int>(std::chrono::weekday{day}.iso_encoding()) - 1;
}

bool regular(const Period& p) { return !p.censored && !p.promo; }

// The multiplicative weekday profile (Mon..Sun, mean 1) of the regular days.
std::array<double, 7> weekday_profile_of(std::span<const Period> history) {
  std::array<double, 7> sum{}, count{};
  double total = 0, n = 0;
  for (const auto& p : history) {
    if (!regular(p)) continue;
    int w = weekday_index(p.start);
    sum[w] += p.units;
    count[w] += 1;
    total += p.units;
    n += 1;
  }
  std::array<double, 7> profile{1, 1, 1, 1, 1, 1, 1};
  if (n == 0 || total <= 0) return profile;
  for (double c : count)
    if (c < weekday_observations_min) return profile;
  double norm = 0;
  for (int w = 0; w < 7; ++w) {
    profile[w] = sum[w] / count[w];
    norm += profile[w];
  }
  if (norm <= 0) return {1, 1, 1, 1, 1, 1, 1};
  double floored = 0;
  for (auto& f : profile) floored += f = std::max(f * 7 / norm, weekday_factor_min);
  for (auto& f : profile) f = f * 7 / floored;
  return profile;
}

// Base (deseasonalised, per-period) forecasts as they stood before each period: one run of
// the chosen method over the history. `before[i]` is the forecast made before period i.
struct Run {
  double sse = 0;
  int errors = 0;
  double final_forecast = 0;
  std::vector<double> before;
};

double season(const std::array<double, 7>& profile, Granularity g, Day day) {
  return g == Granularity::daily ? profile[weekday_index(day)] : 1.0;
}

Run run_ses(std::span<const Period> h, Granularity g, const std::array<double, 7>& profile, double alpha) {
  Run run;
  run.before.assign(h.size(), 0);
  double level = 0;
  int seen = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const auto& p = h[i];
    double s = season(profile, g, p.start);
    run.before[i] = level;
    // A censored regular period is a lower bound: it may raise the level, never lower it.
    if (p.censored && !p.promo && seen > 0) {
      level += alpha * (std::max(p.units / s, level) - level);
      continue;
    }
    if (!regular(p)) continue;
    double y = p.units / s;
    if (seen == 0) {
      level = y;
    } else {
      if (seen >= warmup_periods) {
        double e = p.units - level * s;
        run.sse += e * e;
        ++run.errors;
      }
      level += alpha * (y - level);
    }
    ++seen;
  }
  run.final_forecast = level;
  return run;
}

// Croston (1972) on sizes and intervals of the regular periods, with the Syntetos & Boylan
// (2005) bias correction: forecast = (1 − α/2)·size/interval.
Run run_sba(std::span<const Period> h, Granularity g, const std::array<double, 7>& profile, double alpha) {
  Run run;
  run.before.assign(h.size(), 0);
  double size = 0, interval = 0;
  int since = 0;  // regular periods since the last non-zero one, this one included
  bool started = false;
  int seen = 0;
  auto forecast = [&] { return started ? (1 - alpha / 2) * size / interval : 0.0; };
  for (std::size_t i = 0; i < h.size(); ++i) {
    const auto& p = h[i];
    double s = season(profile, g, p.start);
    run.before[i] = forecast();
    // A censored period that sold is a demand of at least its sales: a lower bound on the size.
    if (p.censored && !p.promo && started && p.units > 0) {
      ++since;
      size += alpha * (std::max(p.units / s, size) - size);
      interval += alpha * (since - interval);
      since = 0;
      continue;
    }
    if (!regular(p)) continue;
    ++since;
    if (seen >= warmup_periods && started) {
      double e = p.units - forecast() * s;
      run.sse += e * e;
      ++run.errors;
    }
    ++seen;
    if (p.units > 0) {
      double y = p.units / s;
      if (!started) {
        size = y;
        interval = since;
        started = true;
      } else {
        size += alpha * (y - size);
        interval += alpha * (since - interval);
      }
      since = 0;
    }
  }
  run.final_forecast = forecast();
  return run;
}

// The one-step squared errors of every candidate α in one pass: per α exactly the arithmetic
// of run_ses / run_sba (so the same sums to the last bit), the α's side by side because one
// α's run is a chain of dependent steps the CPU cannot overlap; 100,000 items fitted one α
// after another spent most of the fit waiting. `errors` is the same for every α.
template <std::size_t N>
struct Scores {
  std::array<double, N> sse{};
  int errors = 0;
};

template <std::size_t N>
Scores<N> score_ses(std::span<const Period> h, Granularity g, const std::array<double, 7>& profile,
                    const std::array<double, N>& alphas) {
  Scores<N> out;
  std::array<double, N> level{};
  int seen = 0;
  for (const auto& p : h) {
    double s = season(profile, g, p.start);
    if (p.censored && !p.promo && seen > 0) {
      for (std::size_t k = 0; k < N; ++k) level[k] += alphas[k] * (std::max(p.units / s, level[k]) - level[k]);
      continue;
    }
    if (!regular(p)) continue;
    double y = p.units / s;
    if (seen == 0) {
      level.fill(y);
    } else {
      if (seen >= warmup_periods) {
        for (std::size_t k = 0; k < N; ++k) {
          double e = p.units - level[k] * s;
          out.sse[k] += e * e;
        }
        ++out.errors;
      }
      for (std::size_t k = 0; k < N; ++k) level[k] += alphas[k] * (y - level[k]);
    }
    ++seen;
  }
  return out;
}

template <std::size_t N>
Scores<N> score_sba(std::span<const Period> h, Granularity g, const std::array<double, 7>& profile,
                    const std::array<double, N>& alphas) {
  Scores<N> out;
  std::array<double, N> size{}, interval{};
  int since = 0;
  bool started = false;
  int seen = 0;
  for (const auto& p : h) {
    double s = season(profile, g, p.start);
    if (p.censored && !p.promo && started && p.units > 0) {
      ++since;
      for (std::size_t k = 0; k < N; ++k) {
        size[k] += alphas[k] * (std::max(p.units / s, size[k]) - size[k]);
        interval[k] += alphas[k] * (since - interval[k]);
      }
      since = 0;
      continue;
    }
    if (!regular(p)) continue;
    ++since;
    if (seen >= warmup_periods && started) {
      for (std::size_t k = 0; k < N; ++k) {
        double e = p.units - (1 - alphas[k] / 2) * size[k] / interval[k] * s;
        out.sse[k] += e * e;
      }
      ++out.errors;
    }
    ++seen;
    if (p.units > 0) {
      double y = p.units / s;
      if (!started) {
        size.fill(y);
        interval.fill(since);
        started = true;
      } else {
        for (std::size_t k = 0; k < N; ++k) {
          size[k] += alphas[k] * (y - size[k]);
          interval[k] += alphas[k] * (since - interval[k]);
        }
      }
      since = 0;
    }
  }
  return out;
}

// The index of the least mean squared error; the first of equals.
template <std::size_t N>
std::size_t best_alpha(const Scores<N>& scores) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < N; ++k) {
    double score = scores.errors > 0 ? scores.sse[k] / scores.errors : 0;
    double least = scores.errors > 0 ? scores.sse[best] / scores.errors : 0;
    if (score < least) best = k;
  }
  return best;
}

struct BaseFit {
  Method method = Method::no_history;
  double alpha = 0;
  std::array<double, 7> profile{1, 1, 1, 1, 1, 1, 1};
  Run run;
};

BaseFit fit_base(std::span<const Period> h, Granularity g, std::optional<double> fixed_alpha) {
  BaseFit fit;
  int regular_periods = 0, nonzero = 0;
  for (const auto& p : h) {
    if (!regular(p)) continue;
    ++regular_periods;
    if (p.units > 0) ++nonzero;
  }
  if (regular_periods == 0) return fit;
  if (g == Granularity::daily) fit.profile = weekday_profile_of(h);
  bool intermittent = nonzero == 0 || static_cast<double>(regular_periods) / nonzero > intermittent_interval_min;
  fit.method = intermittent ? Method::croston_sba : Method::level_weekday_ses;
  if (fixed_alpha)
    fit.alpha = *fixed_alpha;
  else if (intermittent)
    fit.alpha = sba_alphas[best_alpha(score_sba(h, g, fit.profile, sba_alphas))];
  else
    fit.alpha = ses_alphas[best_alpha(score_ses(h, g, fit.profile, ses_alphas))];
  // The chosen α's run again, for the forecasts before each period.
  fit.run = intermittent ? run_sba(h, g, fit.profile, fit.alpha) : run_ses(h, g, fit.profile, fit.alpha);
  return fit;
}

}  // namespace

std::optional<double> regular_price(std::span<const Period> h) {
  std::vector<double> prices;
  for (const auto& p : h)
    if (!p.promo && p.price && *p.price > 0) prices.push_back(*p.price);
  if (prices.empty()) return std::nullopt;
  auto mid = prices.begin() + static_cast<std::ptrdiff_t>(prices.size() / 2);
  std::nth_element(prices.begin(), mid, prices.end());
  if (prices.size() % 2 == 1) return *mid;
  return (*mid + *std::max_element(prices.begin(), mid)) / 2;
}

namespace {

// price / regular price when the price is a cut of at least price_cut_min, else nullopt.
std::optional<double> price_cut(std::optional<double> price, std::optional<double> regular) {
  if (!price || !regular || *regular <= 0 || *price <= 0) return std::nullopt;
  double q = *price / *regular;
  if (q > 1 - price_cut_min) return std::nullopt;
  return q;
}

PromoEvidence evidence_of(std::span<const Period> h, Granularity g, const BaseFit& base) {
  PromoEvidence ev;
  auto regular = regular_price(h);
  for (std::size_t i = 0; i < h.size(); ++i) {
    const auto& p = h[i];
    if (!p.promo || p.censored) continue;
    double b = base.run.before[i] * season(base.profile, g, p.start);
    if (b <= 0) continue;  // before any sale: no baseline to compare with
    ev.promo_units += p.units;
    ev.baseline_units += b;
    ++ev.promo_periods;
    if (auto q = price_cut(p.price, regular)) {
      auto& band = ev.bands[std::min(discount_bands - 1, static_cast<int>((1 - *q) * discount_bands))];
      band.units += p.units;
      band.baseline += b;
      band.baseline_log_ratio += b * std::log(*q);
      ++ev.priced_periods;
    }
  }
  return ev;
}

}  // namespace

int days_per_period(Granularity g) { return g == Granularity::daily ? 1 : 7; }

const PromoWindow* promo_window(const PromoCalendar& promos, Day day) {
  auto it = std::upper_bound(promos.begin(), promos.end(), day,
                             [](Day d, const PromoWindow& w) { return d < w.first; });
  if (it == promos.begin() || day > std::prev(it)->last) return nullptr;
  return &*std::prev(it);
}

bool on_promo(const PromoCalendar& promos, Day day) { return promo_window(promos, day) != nullptr; }

PromoEvidence& PromoEvidence::operator+=(const PromoEvidence& o) {
  promo_units += o.promo_units;
  baseline_units += o.baseline_units;
  promo_periods += o.promo_periods;
  for (int b = 0; b < discount_bands; ++b) {
    bands[b].units += o.bands[b].units;
    bands[b].baseline += o.bands[b].baseline;
    bands[b].baseline_log_ratio += o.bands[b].baseline_log_ratio;
  }
  priced_periods += o.priced_periods;
  return *this;
}

std::optional<double> PromoEvidence::uplift() const {
  if (promo_periods == 0 || baseline_units <= 0) return std::nullopt;
  return promo_units / baseline_units;
}

std::optional<double> PromoEvidence::elasticity() const {
  double units = 0, baseline = 0;
  for (const auto& b : bands) {
    units += b.units;
    baseline += b.baseline;
  }
  if (priced_periods == 0 || baseline <= 0) return std::nullopt;
  // Σ baseline_b·exp(−ε·m_b) grows with ε (every m_b < 0): bisect for the ε that meets units.
  auto expected = [&](double e) {
    double sum = 0;
    for (const auto& b : bands)
      if (b.baseline > 0) sum += b.baseline * std::exp(-e * b.baseline_log_ratio / b.baseline);
    return sum;
  };
  if (units <= baseline) return 0.0;
  if (expected(elasticity_max) <= units) return elasticity_max;
  double lo = 0, hi = elasticity_max;
  for (int i = 0; i < 60; ++i) {
    double mid = (lo + hi) / 2;
    (expected(mid) < units ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

double Forecast::promo_multiplier(std::optional<double> price) const {
  if (elasticity_source != UpliftSource::none)
    if (auto q = price_cut(price, regular_price))
      return std::clamp(std::pow(*q, -price_elasticity), promo_uplift_min, promo_uplift_max);
  return promo_uplift;
}

const char* method_name(Method m) {
  switch (m) {
    case Method::no_history: return "none";
    case Method::level_weekday_ses: return "ses";
    case Method::croston_sba: return "sba";
  }
  return "none";
}

double Forecast::expected_units(Day first, double days, const PromoCalendar& promos) const {
  double total = 0;
  for (int i = 0; i < days; ++i) {
    Day d = first + std::chrono::days{i};
    double fraction = std::min(1.0, days - i);
    double f = mean_per_day * fraction;
    if (granularity == Granularity::daily) f *= weekday_profile[weekday_index(d)];
    if (const auto* w = promo_window(promos, d)) f *= promo_multiplier(w->price);
    total += f;
  }
  return total;
}

double Forecast::error_sd(Day first, double days, const PromoCalendar& promos) const {
  double sum_squares = 0, sum = 0;
  for (int i = 0; i < days; ++i) {
    Day d = first + std::chrono::days{i};
    double fraction = std::min(1.0, days - i);
    // A promotion selling m times the base spreads like √m (counts), relative to the
    // promotions σ was measured on (promo_uplift on average).
    const auto* w = promo_window(promos, d);
    double s = w ? promo_sigma_per_day * std::sqrt(promo_multiplier(w->price) / promo_uplift) : sigma_per_day;
    sum_squares += fraction * s * s;
    sum += fraction * s;
  }
  double r = level_error_ratio;
  return std::sqrt(sum_squares / (1 + r) + sum * sum * r / ((1 + r) * days_per_period(granularity)));
}

double Forecast::period_forecast(Day start, bool promo, std::optional<double> price) const {
  int days = days_per_period(granularity);
  PromoCalendar promos;
  if (promo) promos.push_back({start, start + std::chrono::days{days - 1}, price});
  return expected_units(start, days, promos);
}

PromoEvidence promo_evidence(std::span<const Period> history, Granularity granularity) {
  return evidence_of(history, granularity, fit_base(history, granularity, std::nullopt));
}

Forecast fit(std::span<const Period> history, Granularity granularity, const FitOptions& options) {
  Forecast f;
  f.granularity = granularity;
  if (!history.empty()) f.last_day = history.back().start + std::chrono::days{days_per_period(granularity) - 1};
  BaseFit base = fit_base(history, granularity, options.alpha);
  if (base.method == Method::no_history) return f;
  const double per = days_per_period(granularity);
  f.method = base.method;
  f.alpha = base.alpha;
  f.weekday_profile = base.profile;
  f.mean_per_day = base.run.final_forecast / per;

  f.own_promo_evidence = evidence_of(history, granularity, base);
  auto own = f.own_promo_evidence.uplift();
  std::optional<double> category = options.category_promo ? options.category_promo->uplift() : std::nullopt;
  if (own && f.own_promo_evidence.promo_periods >= promo_periods_own_min) {
    f.promo_uplift = *own;
    f.uplift_source = UpliftSource::own;
  } else if (category && options.category_promo->promo_periods >= promo_periods_own_min) {
    f.promo_uplift = *category;
    f.uplift_source = UpliftSource::category;
  } else if (own) {
    f.promo_uplift = *own;
    f.uplift_source = UpliftSource::own;
  }
  f.promo_uplift = std::clamp(f.promo_uplift, promo_uplift_min, promo_uplift_max);

  // The own-price effect, chosen by the same rule from the priced promotion periods.
  f.regular_price = regular_price(history);
  const auto& own_ev = f.own_promo_evidence;
  const auto* category_ev = options.category_promo ? &*options.category_promo : nullptr;
  if (f.regular_price) {
    if (own_ev.priced_periods >= promo_periods_own_min) {
      f.price_elasticity = *own_ev.elasticity();
      f.elasticity_source = UpliftSource::own;
    } else if (category_ev && category_ev->priced_periods >= promo_periods_own_min) {
      f.price_elasticity = *category_ev->elasticity();
      f.elasticity_source = UpliftSource::category;
    } else if (own_ev.priced_periods > 0) {
      f.price_elasticity = *own_ev.elasticity();
      f.elasticity_source = UpliftSource::own;
    }
  }

  // σ from the one-step errors of the chosen run (regular periods after the warm-up).
  f.residuals = base.run.errors;
  double sigma_period = base.run.errors > 0 ? std::sqrt(base.run.sse / base.run.errors) : 0;
  // With no error measured yet, assume Poisson-like spread around the level.
  if (base.run.errors == 0) sigma_period = std::sqrt(std::max(base.run.final_forecast, 0.0));
  f.sigma_per_day = sigma_period / std::sqrt(per);
  f.sigma_relative_error = 1 / std::sqrt(2.0 * std::max(f.residuals - 1, 1));
  f.level_error_ratio = base.alpha / (2 - base.alpha);

  double promo_sse = 0;
  int promo_n = 0;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const auto& p = history[i];
    if (!p.promo || p.censored) continue;
    double b = base.run.before[i] * season(base.profile, granularity, p.start);
    double e = p.units - f.promo_multiplier(p.price) * b;
    promo_sse += e * e;
    ++promo_n;
  }
  // Sales counts spread like their mean's square root: without enough promotion errors of
  // its own a series assumes σ grows with √uplift.
  f.promo_sigma_per_day = promo_n >= promo_periods_own_min ? std::sqrt(promo_sse / promo_n) / std::sqrt(per)
                                                           : f.sigma_per_day * std::sqrt(f.promo_uplift);
  return f;
}

}  // namespace backroom::planning

namespace backroom::planning {

namespace {

// pack_forecast's format: "f1" then space-separated fields in a fixed order; the 20 discount
// bands of the own promotion evidence only where non-zero, as band:units:baseline:log_ratio.
constexpr std::string_view forecast_format = "f1";

void put_number(std::string& out, double v) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out += ' ';
  out.append(buffer, end);
}
void put_number(std::string& out, long long v) {
  out += ' ';
  out += std::to_string(v);
}

struct Reader {
  std::string_view text;
  std::size_t at = 0;
  bool ok = true;
  std::string_view word() {
    while (at < text.size() && text[at] == ' ') ++at;
    std::size_t begin = at;
    while (at < text.size() && text[at] != ' ') ++at;
    if (begin == at) ok = false;
    return text.substr(begin, at - begin);
  }
  template <class T>
  T number(std::string_view w) {
    T v{};
    auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v);
    if (ec != std::errc() || end != w.data() + w.size()) ok = false;
    return v;
  }
  template <class T>
  T next() { return number<T>(word()); }
};

}  // namespace

std::string pack_forecast(const Forecast& f) {
  std::string out(forecast_format);
  put_number(out, static_cast<long long>(f.method));
  put_number(out, static_cast<long long>(f.granularity));
  put_number(out, f.alpha);
  put_number(out, f.mean_per_day);
  for (double w : f.weekday_profile) put_number(out, w);
  put_number(out, f.promo_uplift);
  put_number(out, static_cast<long long>(f.uplift_source));
  out += f.regular_price ? " p" : " -";
  if (f.regular_price) put_number(out, *f.regular_price);
  put_number(out, f.price_elasticity);
  put_number(out, static_cast<long long>(f.elasticity_source));
  put_number(out, f.sigma_per_day);
  put_number(out, f.level_error_ratio);
  put_number(out, f.promo_sigma_per_day);
  put_number(out, f.sigma_relative_error);
  put_number(out, static_cast<long long>(f.residuals));
  const auto& e = f.own_promo_evidence;
  put_number(out, e.promo_units);
  put_number(out, e.baseline_units);
  put_number(out, static_cast<long long>(e.promo_periods));
  put_number(out, static_cast<long long>(e.priced_periods));
  long long bands = 0;
  for (const auto& b : e.bands) bands += b.units != 0 || b.baseline != 0 || b.baseline_log_ratio != 0;
  put_number(out, bands);
  for (std::size_t i = 0; i < e.bands.size(); ++i) {
    const auto& b = e.bands[i];
    if (b.units == 0 && b.baseline == 0 && b.baseline_log_ratio == 0) continue;
    put_number(out, static_cast<long long>(i));
    put_number(out, b.units);
    put_number(out, b.baseline);
    put_number(out, b.baseline_log_ratio);
  }
  out += f.last_day ? " d" : " -";
  if (f.last_day) put_number(out, static_cast<long long>(f.last_day->time_since_epoch().count()));
  return out;
}

bool packed_forecast_current(std::string_view text) {
  return text.size() > forecast_format.size() && text.substr(0, forecast_format.size()) == forecast_format &&
         text[forecast_format.size()] == ' ';
}

std::optional<Forecast> unpack_forecast(std::string_view text) {
  Reader r{text};
  if (r.word() != forecast_format) return std::nullopt;
  Forecast f;
  auto method = r.next<int>();
  if (method < 0 || method > static_cast<int>(Method::croston_sba)) return std::nullopt;
  f.method = static_cast<Method>(method);
  auto granularity = r.next<int>();
  if (granularity < 0 || granularity > static_cast<int>(Granularity::weekly)) return std::nullopt;
  f.granularity = static_cast<Granularity>(granularity);
  auto source = [&](int v) -> std::optional<UpliftSource> {
    if (v < 0 || v > static_cast<int>(UpliftSource::category)) return std::nullopt;
    return static_cast<UpliftSource>(v);
  };
  f.alpha = r.next<double>();
  f.mean_per_day = r.next<double>();
  for (double& w : f.weekday_profile) w = r.next<double>();
  f.promo_uplift = r.next<double>();
  auto uplift = source(r.next<int>());
  if (!uplift) return std::nullopt;
  f.uplift_source = *uplift;
  if (auto w = r.word(); w == "p")
    f.regular_price = r.next<double>();
  else if (w != "-")
    return std::nullopt;
  f.price_elasticity = r.next<double>();
  auto elasticity = source(r.next<int>());
  if (!elasticity) return std::nullopt;
  f.elasticity_source = *elasticity;
  f.sigma_per_day = r.next<double>();
  f.level_error_ratio = r.next<double>();
  f.promo_sigma_per_day = r.next<double>();
  f.sigma_relative_error = r.next<double>();
  f.residuals = r.next<int>();
  auto& e = f.own_promo_evidence;
  e.promo_units = r.next<double>();
  e.baseline_units = r.next<double>();
  e.promo_periods = r.next<int>();
  e.priced_periods = r.next<int>();
  auto bands = r.next<int>();
  if (bands < 0 || bands > discount_bands) return std::nullopt;
  for (int k = 0; k < bands && r.ok; ++k) {
    auto i = r.next<int>();
    if (i < 0 || i >= discount_bands) return std::nullopt;
    auto& b = e.bands[static_cast<std::size_t>(i)];
    b.units = r.next<double>();
    b.baseline = r.next<double>();
    b.baseline_log_ratio = r.next<double>();
  }
  if (auto w = r.word(); w == "d")
    f.last_day = Day{std::chrono::days{r.next<long long>()}};
  else if (w != "-")
    return std::nullopt;
  if (!r.ok || r.at != text.size()) return std::nullopt;
  return f;
}

}  // namespace backroom::planning
