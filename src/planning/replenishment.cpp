#include "planning/replenishment.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <numeric>
#include <set>
#include <thread>
#include <unordered_map>

#include "catalog/catalog_store.hpp"
#include "catalog/price_changes.hpp"
#include "planning/demand_days.hpp"
#include "planning/explain.hpp"
#include "planning/history_csv.hpp"
#include "planning/promo_calendar.hpp"
#include "platform/assert.hpp"
#include "platform/money.hpp"
#include "platform/settings.hpp"
#include "purchasing/purchase_orders.hpp"
#include "purchasing/supplier_store.hpp"
#include "sales/sales_store.hpp"
#include "stock/stock.hpp"

namespace backroom::planning {

namespace {

using std::chrono::days;

// Planning's keys in `settings`: where the ledger's demand rows stand.
constexpr const char* ledger_day_key = "planning.ledger_day";      // the last day rebuilt
constexpr const char* ledger_seq_key = "planning.ledger_seq";      // its first movement
constexpr const char* ledger_start_key = "planning.ledger_start";  // the first day followed
constexpr const char* prepared_on_key = "planning.prepared_on";    // {supplier id: day}
constexpr int supplier_items_page = 500;
constexpr int planned_promotions_days = 366;  // how far ahead scheduled prices are read as promotions

double units(std::int64_t milli) { return static_cast<double>(milli) / 1000.0; }
std::int64_t milli(double units) { return std::llround(units * 1000.0); }

std::set<std::string> store_locations(db::Db& db) {
  std::set<std::string> out;
  for (const auto& l : stock::list_locations(db))
    if (l.kind == "store") out.insert(l.id);
  return out;
}

std::map<std::string, Quantity> by_item(const std::vector<std::pair<std::string, Quantity>>& rows) {
  return {rows.begin(), rows.end()};
}

// The supplier's items this location orders from it: those it is the preferred supplier of,
// and those without a preferred supplier.
std::vector<purchasing::SupplierItem> ordered_items(db::Db& db, const std::string& supplier_id) {
  std::vector<purchasing::SupplierItem> out;
  std::string after;
  for (;;) {
    auto page = purchasing::supplier_items(db, supplier_id, after, supplier_items_page);
    bool more = static_cast<int>(page.size()) > supplier_items_page;
    if (more) page.pop_back();
    if (page.empty()) break;
    after = page.back().item_id;  // before the rows are moved out
    for (auto& si : page)
      if (si.preferred || !purchasing::preferred_supplier_item(db, si.item_id)) out.push_back(std::move(si));
    if (!more) break;
  }
  return out;
}

// Calls work(i) for every i below n on up to suggest_threads_max threads, each a contiguous
// share (the calling thread takes the first), so every result lands where a single thread
// would have put it. work must be pure but for its own index. An exception of any share is
// rethrown once every share has ended.
template <class Work>
void for_each_index(std::size_t n, const Work& work) {
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, suggest_threads_max);
  if (n < parallel_items_min || threads < 2) {
    for (std::size_t i = 0; i < n; ++i) work(i);
    return;
  }
  std::vector<std::exception_ptr> failed(threads);
  auto share = [&](unsigned t) {
    try {
      for (std::size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) work(i);
    } catch (...) {
      failed[t] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(share, t);
    share(0);
  }
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
}

}  // namespace

Day today_utc() { return day_of(now()); }

std::optional<Day> ledger_start(db::Db& db) {
  auto text = settings::get(db, ledger_start_key);
  return text ? parse_date(*text) : std::nullopt;
}

void refresh_demand(db::Db& db, Day today) {
  auto day_text = settings::get(db, ledger_day_key);
  auto seq = settings::get_int64(db, ledger_seq_key);
  std::optional<Day> first = day_text ? parse_date(*day_text) : std::nullopt;
  std::int64_t from_seq = 0;
  if (!first || !seq) {
    first = today - days{ledger_days_max};
    from_seq = stock::first_seq_since(db, start_of(*first));
  } else {
    from_seq = *seq;
  }
  if (*first > today) return;
  LedgerSpan span;
  span.first = *first;
  span.last = today;
  span.locations = store_locations(db);
  span.start = stock::balances_before(db, from_seq);
  auto moves = stock::movements_from(db, from_seq);
  std::int64_t next_seq = moves.empty() ? from_seq : moves.back().first + 1;
  std::set<std::string> sale_ids, item_ids;
  bool first_of_today = false;
  for (auto& [s, m] : moves) {
    if (!first_of_today && m.at >= start_of(today)) {
      next_seq = s;
      first_of_today = true;
    }
    if (m.reason == "sale") sale_ids.insert(m.document_id);
    item_ids.insert(m.item_id);
    span.movements.push_back(std::move(m));
  }
  if (!settings::get(db, ledger_start_key)) {
    Day start = span.movements.empty() ? today : std::max(*first, day_of(span.movements.front().at));
    for (const auto& b : span.start)
      if (span.locations.contains(b.location_id)) start = *first;
    settings::put(db, ledger_start_key, format_date(start));
  }
  for (const auto& p : sales::store::line_prices(db, {sale_ids.begin(), sale_ids.end()}))
    span.sale_prices[{p.sale_id, p.item_id}] = paid_price(p.unit_price, p.gross, p.line_discount, p.discounted);
  for (const auto& [id, facts] : catalog::store::planning_facts(db, {item_ids.begin(), item_ids.end()}))
    if (facts.price) span.regular_prices[id] = *facts.price;
  for (const auto& c : catalog::store::promotions_in_force(db, {item_ids.begin(), item_ids.end()},
                                                           start_of(*first).micros, start_of(today + days{1}).micros)) {
    Day last = c.ended_at ? last_day_before(Timestamp{*c.ended_at}) : today;
    // Running now: the item's price is the promotion's; its days are priced against the old one.
    if (!c.ended_at && c.old_price) span.regular_prices[c.item_id] = *c.old_price;
    span.promotion_days[c.item_id].emplace_back(day_of(Timestamp{*c.applied_at}), last);
  }
  store::replace_ledger_days(db, format_date(*first), ledger_days(span));
  settings::put(db, ledger_day_key, format_date(today));
  settings::put(db, ledger_seq_key, std::to_string(next_seq));
}

std::vector<Period> daily_series(std::span<const DemandDay> rows, std::optional<Day> ledger_from, Day origin) {
  std::vector<Period> out;
  // Every period is a day from the first row's up to the origin.
  if (!rows.empty() && rows.front().day < origin) out.reserve(static_cast<std::size_t>((origin - rows.front().day).count()));
  std::optional<Day> previous;
  for (const auto& r : rows) {
    if (r.day >= origin) continue;
    if (previous && ledger_from) {
      // Days the ledger followed without a row sold nothing.
      for (Day d = std::max(*previous + days{1}, *ledger_from); d < r.day; d += days{1}) out.push_back(Period{d, 0.0, false, false, std::nullopt});
    }
    // Prices as shares of the regular price: 1 off promotion, the day's share on one when known.
    std::optional<double> share = 1.0;
    if (r.promo) share = r.price_permille ? std::optional<double>(static_cast<double>(*r.price_permille) / 1000.0) : std::nullopt;
    out.push_back(Period{r.day, std::max(0.0, units(r.units)), r.censored, r.promo, share});
    previous = r.day;
  }
  if (previous && ledger_from)
    for (Day d = std::max(*previous + days{1}, *ledger_from); d < origin; d += days{1}) out.push_back(Period{d, 0.0, false, false, std::nullopt});
  return out;
}

std::vector<std::vector<DemandDay>> histories(db::Db& db, const std::string& location_id,
                                              const std::vector<std::string>& item_ids, Day from) {
  std::vector<std::vector<DemandDay>> out(item_ids.size());
  if (item_ids.empty()) return out;
  // The store answers in item order: walking the ids in that order too pairs each answer with
  // its id without a lookup by string (a hash map of 100,000 ids was 5 % of a suggestion).
  std::vector<std::size_t> order(item_ids.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto by_id = [&](std::size_t a, std::size_t b) { return item_ids[a] < item_ids[b]; };
  if (!std::is_sorted(order.begin(), order.end(), by_id)) std::sort(order.begin(), order.end(), by_id);
  std::size_t next = 0;
  store::each_item_demand_at(db, location_id, item_ids, from, [&](std::string_view item, std::span<const DemandDay> days) {
    while (next < order.size() && std::string_view(item_ids[order[next]]) < item) ++next;
    BR_ASSERT(next < order.size() && item_ids[order[next]] == item, "the store answers for the items asked, in order");
    out[order[next++]].assign(days.begin(), days.end());
  });
  return out;
}

int review_days(const std::string& order_days_text, Day today) {
  auto order_days = purchasing::OrderDays::from_text(order_days_text);
  if (order_days.empty()) return 7;
  std::chrono::weekday wd{today};
  for (int n = 1; n <= 7; ++n) {
    // OrderDay counts Monday as 0; chrono's iso_encoding Monday as 1.
    unsigned iso = (wd + days{n}).iso_encoding();
    if (order_days.contains(static_cast<purchasing::OrderDay>(iso - 1))) return n;
  }
  return 7;
}

SupplierSuggestions suggest_for_supplier(db::Db& db, const std::string& location_id, const std::string& supplier_id,
                                         Day today, FitFrom fits) {
  SupplierSuggestions out;
  out.location_id = location_id;
  out.supplier_id = supplier_id;
  out.today = today;
  auto supplier = purchasing::load_supplier(db, supplier_id);
  if (!supplier) return out;
  auto items = ordered_items(db, supplier_id);
  std::vector<std::string> ids;
  for (const auto& si : items) ids.push_back(si.item_id);
  if (ids.empty()) return out;
  auto facts = catalog::store::planning_facts(db, ids);
  // The kept fits that are fresh (FitFrom); nullptr where the item is fitted now.
  // Unpacked on the fitting threads (100,000 forecasts up front were 70 MB to fill); a text of
  // this format version always unpacks, one of another version is fitted again.
  std::vector<store::KeptFit> kept_rows;
  std::vector<const store::KeptFit*> kept(items.size(), nullptr);
  std::vector<Day> kept_on(items.size(), today);
  if (fits == FitFrom::kept_when_fresh) {
    std::unordered_map<std::string_view, std::size_t> index;
    index.reserve(items.size());
    for (std::size_t k = 0; k < items.size(); ++k) index.emplace(items[k].item_id, k);
    kept_rows = store::kept_fits(db, location_id, supplier_id);
    for (const auto& row : kept_rows) {
      auto i = index.find(row.item_id);
      if (i == index.end()) continue;
      auto f = facts.find(row.item_id);
      auto on = parse_date(row.fitted_on);
      if (f == facts.end() || f->second.category != row.category || !on || *on > today ||
          today - *on >= days{kept_fit_days_max} || !packed_forecast_current(row.forecast))
        continue;
      kept[i->second] = &row;
      kept_on[i->second] = *on;
    }
  }
  // The history of every item fitted now, and of every item of a category one of them is
  // in: the category's pooled promotion evidence is summed over all its items, as it was
  // when the kept fits were made.
  std::set<std::string_view> fitted_categories;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (kept[k]) continue;
    if (auto f = facts.find(items[k].item_id); f != facts.end()) fitted_categories.insert(f->second.category);
  }
  std::vector<std::size_t> read_items;  // positions in `items` whose history is read
  std::vector<std::string> read_ids;
  for (std::size_t k = 0; k < items.size(); ++k) {
    auto f = facts.find(items[k].item_id);
    if (f == facts.end() || !fitted_categories.contains(f->second.category)) continue;
    read_items.push_back(k);
    read_ids.push_back(items[k].item_id);
  }
  std::vector<std::vector<DemandDay>> history(items.size());
  {
    auto read = histories(db, location_id, read_ids, today - days{forecast_history_days});
    for (std::size_t r = 0; r < read_items.size(); ++r) history[read_items[r]] = std::move(read[r]);
  }
  auto start = ledger_start(db);

  std::map<std::string, Quantity> on_hand, reserved;
  for (const auto& b : stock::balances_at(db, location_id)) {
    on_hand[b.item_id] = b.on_hand;
    reserved[b.item_id] = b.reserved;
  }
  auto on_order = by_item(purchasing::on_order_at(db, location_id));
  auto in_transit = by_item(stock::in_transit_to(db, location_id));
  std::map<std::string, std::int64_t> item_levels, category_levels;
  for (const auto& sl : store::service_levels(db))
    (sl.scope == "item" ? item_levels : category_levels)[sl.key] = sl.service_level_bp;
  std::map<std::string, std::int64_t> reorder;
  for (const auto& rp : store::reorder_points(db, location_id)) reorder[rp.item_id] = rp.reorder_point;
  // Promotions ahead: the approved price cuts and flagged promotions not applied yet (a
  // flagged one to the day before its end).
  std::map<std::string, std::vector<ScheduledPrice>> scheduled;
  for (const auto& c : catalog::store::scheduled_price_changes(db, ids))
    scheduled[c.item_id].push_back({day_of(Timestamp{c.effective_at}), static_cast<double>(c.price), c.promotion,
                                    c.promotion && c.ends_at ? std::optional(last_day_before(Timestamp{*c.ends_at}))
                                                             : std::nullopt});
  // Flagged promotions running today: the item's price is theirs until they end, so the
  // regular price is the one they go back to, and their remaining days are promotion days.
  std::map<std::string, catalog::PriceChange> running;
  for (auto& c : catalog::store::promotions_in_force(db, ids, start_of(today).micros, start_of(today + days{1}).micros))
    if (!c.ended_at && c.old_price) running.insert_or_assign(c.item_id, std::move(c));  // the latest applied wins

  // The category's promotion evidence first, pooled over its items; each item's series is
  // built again when it is fitted (keeping 100,000 dense years at once would not fit).
  std::map<std::string, PromoEvidence> category_promo;
  for (std::size_t k = 0; k < items.size(); ++k) {
    auto f = facts.find(items[k].item_id);
    if (f == facts.end()) continue;
    const auto& rows = history[k];
    if (std::none_of(rows.begin(), rows.end(), [](const DemandDay& d) { return d.promo; })) continue;
    category_promo[f->second.category] += promo_evidence(daily_series(rows, start, today), Granularity::daily);
  }
  auto value_of = [](const std::map<std::string, Quantity>& m, const std::string& id) {
    auto it = m.find(id);
    return it == m.end() ? 0.0 : units(it->second.milli);
  };
  int review = review_days(supplier->order_days.text(), today);
  // Each suggestion's category evidence, history and place in `items` (a FitOptions each
  // would copy the evidence's bands 100,000 times).
  std::vector<const PromoEvidence*> category_evidence;
  std::vector<std::span<const DemandDay>> rows_of;
  std::vector<std::size_t> position;
  out.items.reserve(items.size());
  category_evidence.reserve(items.size());
  rows_of.reserve(items.size());
  position.reserve(items.size());
  for (std::size_t k = 0; k < items.size(); ++k) {
    const auto& si = items[k];
    auto f = facts.find(si.item_id);
    if (f == facts.end()) continue;
    auto& s = out.items.emplace_back();
    s.item_id = si.item_id;
    s.sku = f->second.sku;
    s.name = f->second.name;
    s.category = f->second.category;
    s.unit_cost = si.cost;
    const PromoEvidence* evidence = nullptr;
    if (auto c = category_promo.find(s.category); c != category_promo.end()) evidence = &c->second;
    std::int64_t level = service_level_bp_default;
    if (auto c = category_levels.find(s.category); c != category_levels.end()) level = c->second;
    if (auto i = item_levels.find(si.item_id); i != item_levels.end()) level = i->second;
    s.input.today = today;
    s.input.lead_time = LeadTime{static_cast<double>(supplier->lead_time_days), units(supplier->lead_time_sd_days.milli)};
    s.input.review_days = review;
    s.input.service_level = static_cast<double>(level) / 10000.0;
    s.input.stock = StockPosition{value_of(on_hand, si.item_id), value_of(on_order, si.item_id),
                                  value_of(in_transit, si.item_id), value_of(reserved, si.item_id), 0.0};
    s.input.packing = Packing{units(si.case_pack.milli), units(si.min_order_units.milli)};
    if (auto r = reorder.find(si.item_id); r != reorder.end()) s.input.reorder_point = units(r->second);
    auto c = scheduled.find(si.item_id);
    std::span<const ScheduledPrice> ahead;
    if (c != scheduled.end()) ahead = c->second;
    if (auto r = running.find(si.item_id); r != running.end()) {
      const auto& p = r->second;
      RunningPromotion now{static_cast<double>(p.price), static_cast<double>(*p.old_price),
                           p.ends_at ? std::optional(last_day_before(Timestamp{*p.ends_at})) : std::nullopt};
      s.input.promos = planned_promotions(now, ahead, today + days{1}, today + days{planned_promotions_days});
    } else if (!ahead.empty() && f->second.price) {
      s.input.promos = planned_promotions(static_cast<double>(*f->second.price), ahead, today + days{1},
                                          today + days{planned_promotions_days});
    }
    s.input.discontinued = f->second.discontinued;
    category_evidence.push_back(evidence);
    rows_of.push_back(history[k]);
    position.push_back(k);
  }
  for_each_index(out.items.size(), [&](std::size_t i) {
    auto& s = out.items[i];
    if (const auto* row = kept[position[i]]) {
      auto f = unpack_forecast(row->forecast);
      BR_ASSERT(f.has_value(), "a kept fit of this format version unpacks");
      s.forecast = std::move(*f);
      s.fitted_on = kept_on[position[i]];
      s.forecast_kept = true;
    } else {
      FitOptions o;
      if (category_evidence[i]) o.category_promo = *category_evidence[i];
      s.forecast = fit(daily_series(rows_of[i], start, today), Granularity::daily, o);
      s.fitted_on = today;
    }
    s.suggestion = suggest(s.forecast, s.input);
  });
  for (const auto& s : out.items) out.kept_fits += s.forecast_kept;
  std::vector<TopUpLine> lines;
  for (auto& s : out.items)
    lines.push_back(TopUpLine{&s.suggestion, s.unit_cost, s.input.packing, s.suggestion.mean_per_day, s.input.discontinued});
  out.top_up = top_up(lines, SupplierTerms{supplier->min_order_value, supplier->free_freight_value.value_or(0)});
  ExplainTopUp explain_top_up{out.top_up.target, format_money(out.top_up.target_value, settings::currency_decimals(db))};
  for_each_index(out.items.size(), [&](std::size_t i) {
    auto& s = out.items[i];
    s.text = reason_text(s.forecast, s.input, s.suggestion, s.suggestion.topped_up > 0 ? explain_top_up : ExplainTopUp{});
  });
  return out;
}

SeriesView series_view(db::Db& db, const std::string& location_id, const std::string& item_id, Day today) {
  SeriesView out;
  out.today = today;
  auto history = histories(db, location_id, {item_id}, today - days{forecast_history_days});
  auto start = ledger_start(db);
  auto periods = daily_series(history.front(), start, today + days{1});
  std::vector<Period> fitted;
  for (const auto& p : periods)
    if (p.start < today) fitted.push_back(p);
  out.forecast = fit(fitted, Granularity::daily);
  std::map<Day, const Period*> by_day;
  for (const auto& p : periods) by_day[p.start] = &p;
  for (Day d = today - days{series_history_days - 1}; d <= today; d += days{1}) {
    SeriesDay sd{d, std::nullopt};
    if (auto it = by_day.find(d); it != by_day.end()) {
      sd.units = it->second->units;
      sd.censored = it->second->censored;
      sd.promo = it->second->promo;
    }
    out.history.push_back(sd);
  }
  return out;
}

int prepare(db::Db& db, Day as_of, Day today, bool order_day_only) {
  refresh_demand(db, today);
  int prepared = 0;
  auto locations = store_locations(db);
  std::string after;
  auto done = settings::get_object(db, prepared_on_key);
  for (;;) {
    purchasing::SupplierFilter filter;
    filter.status = "active";
    filter.after_id = after;
    filter.limit = supplier_items_page;
    auto page = purchasing::list_suppliers(db, filter);
    bool more = static_cast<int>(page.size()) > supplier_items_page;
    if (more) page.pop_back();
    for (const auto& supplier : page) {
      if (order_day_only) {
        unsigned iso = std::chrono::weekday{today}.iso_encoding();
        if (!supplier.order_days.contains(static_cast<purchasing::OrderDay>(iso - 1))) continue;
        if (auto d = done.if_contains(supplier.id); d && d->is_string() && d->get_string() == format_date(today)) continue;
      }
      for (const auto& location_id : locations) {
        auto s = suggest_for_supplier(db, location_id, supplier.id, as_of, FitFrom::history);
        std::vector<store::PreparedRow> rows;
        std::vector<store::KeptFit> fits;
        std::vector<store::Snapshot> snapshots;
        fits.reserve(s.items.size());
        snapshots.reserve(s.items.size());
        auto at = now().micros;
        for (const auto& item : s.items) {
          fits.push_back({item.item_id, item.category, format_date(as_of), at, pack_forecast(item.forecast)});
          double week = item.forecast.expected_units(as_of, 7);
          snapshots.push_back(store::Snapshot{location_id, item.item_id, format_date(as_of), item.category,
                                              std::max<std::int64_t>(0, milli(week))});
          if (item.suggestion.quantity > 0)
            rows.push_back({item.item_id, milli(item.suggestion.quantity), item.text});
        }
        store::put_snapshots(db, snapshots, at);
        if (as_of == today) store::replace_prepared(db, location_id, supplier.id, rows, now().micros);
        store::keep_fits(db, location_id, supplier.id, format_date(as_of), fits);
      }
      done[supplier.id] = format_date(today);
      ++prepared;
    }
    if (!more || page.empty()) break;
    after = page.back().id;
  }
  settings::put(db, prepared_on_key, boost::json::serialize(done));
  return prepared;
}

int prepare_due(db::Db& db, Day today) { return prepare(db, today, today, true); }

std::vector<AccuracyWeek> accuracy(db::Db& db, Day today, int weeks) {
  Day last_week = today - days{7};
  Day first_week = today - days{7 * weeks};
  auto snaps = store::snapshots(db, format_date(first_week), format_date(last_week));
  // Actual units per (location, item, day), from 12 weeks before the first week (MASE's scale).
  std::map<std::string, std::set<std::string>> items_at;
  for (const auto& s : snaps) items_at[s.location_id].insert(s.item_id);
  std::map<std::tuple<std::string, std::string, Day>, double> actual;
  Day history_from = first_week - days{7 * 12};
  for (const auto& [location_id, ids] : items_at)
    for (const auto& r : store::demand_at(db, location_id, {ids.begin(), ids.end()}, format_date(history_from)))
      if (auto d = parse_date(r.day)) actual[{location_id, r.item_id, *d}] = std::max(0.0, units(r.units));
  auto week_units = [&](const std::string& loc, const std::string& item, Day from) {
    double sum = 0;
    for (int i = 0; i < 7; ++i)
      if (auto it = actual.find({loc, item, from + days{i}}); it != actual.end()) sum += it->second;
    return sum;
  };
  struct Sums {
    int series = 0;
    double forecast = 0, actual = 0, abs_error = 0, scaled = 0;
    int scaled_n = 0;
  };
  std::map<std::pair<std::string, std::string>, Sums> by_week;  // (week, category)
  for (const auto& s : snaps) {
    auto week = parse_date(s.week_start);
    if (!week) continue;
    double f = units(s.forecast), a = week_units(s.location_id, s.item_id, *week);
    auto& sum = by_week[{s.week_start, s.category}];
    ++sum.series;
    sum.forecast += f;
    sum.actual += a;
    sum.abs_error += std::abs(f - a);
    // MASE: the error against the mean weekly change of the 12 weeks before (in-sample naive).
    double scale = 0;
    for (int w = 1; w <= 12; ++w)
      scale += std::abs(week_units(s.location_id, s.item_id, *week - days{7 * w}) -
                        week_units(s.location_id, s.item_id, *week - days{7 * (w + 1)}));
    scale /= 12;
    if (scale > 0) {
      sum.scaled += std::abs(f - a) / scale;
      ++sum.scaled_n;
    }
  }
  std::vector<AccuracyWeek> out;
  for (const auto& [key, sum] : by_week) {
    AccuracyWeek w{key.first, key.second, sum.series, sum.forecast, sum.actual, std::nullopt, std::nullopt, std::nullopt};
    if (sum.actual > 0) {
      w.wape = sum.abs_error / sum.actual;
      w.bias = (sum.forecast - sum.actual) / sum.actual;
    }
    if (sum.scaled_n > 0) w.mase = sum.scaled / sum.scaled_n;
    out.push_back(std::move(w));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.week_start > b.week_start; });
  return out;
}

}  // namespace backroom::planning
