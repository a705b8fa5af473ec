#include "planning/demand_days.hpp"

#include "planning/history_csv.hpp"

#include <algorithm>
#include <cmath>

namespace backroom::planning {

namespace {
constexpr std::int64_t micros_per_day = 86'400'000'000;

struct Account {
  Quantity on_hand;
  Day day;  // the day being summed
  std::int64_t units = 0;
  bool promo = false;
  // Sales below the regular price today: Σ milli-units × (price in thousandths of regular).
  double cut_share_sum = 0;
  std::int64_t cut_units = 0;
};
}  // namespace

Day day_of(Timestamp t) {
  std::int64_t days = t.micros / micros_per_day;
  if (t.micros % micros_per_day < 0) --days;
  return Day{std::chrono::days{days}};
}

Timestamp start_of(Day day) { return Timestamp{day.time_since_epoch().count() * micros_per_day}; }

Day last_day_before(Timestamp end) { return day_of(Timestamp{end.micros - 1}); }

SalePrice paid_price(std::int64_t shelf_unit_price, std::int64_t gross, std::int64_t line_discount, bool discounted) {
  double price = static_cast<double>(shelf_unit_price);
  if (line_discount > 0 && gross > 0)
    price *= static_cast<double>(std::max<std::int64_t>(gross - line_discount, 0)) / static_cast<double>(gross);
  return SalePrice{price, discounted || line_discount > 0};
}

std::vector<store::DemandRow> ledger_days(const LedgerSpan& span) {
  std::vector<store::DemandRow> out;
  std::map<std::pair<std::string, std::string>, Account> accounts;  // (location, item)
  auto flagged = [&](const std::string& item_id, Day day) {
    auto it = span.promotion_days.find(item_id);
    if (it == span.promotion_days.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](const auto& w) { return w.first <= day && day <= w.second; });
  };
  auto close_until = [&](const std::pair<std::string, std::string>& key, Account& a, Day until) {
    // Closes a.day and every day before `until` the account stood still through.
    for (; a.day < until; a.day += std::chrono::days{1}) {
      bool censored = a.on_hand.milli <= 0;
      if (flagged(key.second, a.day)) a.promo = true;
      std::optional<std::int64_t> share;
      if (a.cut_units > 0) share = std::llround(a.cut_share_sum / static_cast<double>(a.cut_units));
      if (a.units != 0 || censored || a.promo)
        out.push_back({key.first, key.second, format_date(a.day), a.units, censored, a.promo, share});
      a.units = 0;
      a.promo = false;
      a.cut_share_sum = 0;
      a.cut_units = 0;
    }
  };
  for (const auto& b : span.start)
    if (span.locations.contains(b.location_id)) accounts[{b.location_id, b.item_id}] = Account{b.on_hand, span.first};
  for (const auto& m : span.movements) {
    if (!span.locations.contains(m.location_id)) continue;
    Day day = std::max(day_of(m.at), span.first);
    std::pair key{m.location_id, m.item_id};
    auto [it, fresh] = accounts.try_emplace(key, Account{Quantity{}, day});
    Account& a = it->second;
    if (day > a.day) close_until(key, a, day);
    a.on_hand = a.on_hand + m.quantity;
    if (m.reason == "sale") {
      a.units -= m.quantity.milli;
      auto price = span.sale_prices.find({m.document_id, m.item_id});
      if (price != span.sale_prices.end()) {
        auto regular = span.regular_prices.find(m.item_id);
        bool below =
            regular != span.regular_prices.end() && price->second.unit_price < static_cast<double>(regular->second);
        if (below || price->second.discounted) a.promo = true;
        if (below && regular->second > 0 && m.quantity.milli < 0) {
          a.cut_share_sum += static_cast<double>(-m.quantity.milli) * 1000.0 * price->second.unit_price /
                             static_cast<double>(regular->second);
          a.cut_units += -m.quantity.milli;
        }
      }
    } else if (m.reason == "return" || m.reason == "void") {
      a.units -= m.quantity.milli;
    }
  }
  for (auto& [key, a] : accounts) close_until(key, a, span.last + std::chrono::days{1});
  return out;
}

}  // namespace backroom::planning
