// The reports room's I/O. The KPI report reads the ledger's packed days through their owners'
// cursors (stock's kpi days and balances, sales' sold days, catalog's items; migration 39),
// every site side by side in item order, and hands one Series per item and site at a time to
// the pure maths in kpi.cpp. The review's actions are this room's own tables (migration 14):
// their SQL is the only SQL here.
#include "reports/reports_store.hpp"

#include <boost/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>
#include <map>
#include <optional>
#include <set>
#include <vector>
#include <utility>

#include "catalog/catalog_store.hpp"
#include "reports/reports.hpp"
#include "sales/sales.hpp"
#include "sales/sold_days.hpp"
#include "stock/kpi_days.hpp"
#include "stock/stock.hpp"
#include "platform/assert.hpp"
#include "platform/problem.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::reports {

namespace {

// What a report reads once: the locations, by id. (The items come through a cursor per part,
// catalog::store::ReportItemCursor, beside the other streams.)
using Locations = std::map<std::string, stock::Location>;

Locations read_locations(db::Db& db) {
  Locations locations;
  for (auto& loc : stock::list_locations(db)) {
    auto id = loc.id;
    locations.emplace(std::move(id), std::move(loc));
  }
  return locations;
}

// What a location's figures are to the report: a site's own (its stock is on hand), a bin's
// (its losses and sales count for its parent site; its stock is not on hand), or nothing
// (the transit location; another site than the one asked for).
struct Place {
  std::size_t site = 0;  // index into the report's sites
  bool own = false;
};

struct Places {
  std::vector<std::string> sites;                               // every site a series can have
  std::map<std::string, Place, std::less<>> by_location;        // locations that count
  const Place* find(std::string_view location_id) const {
    auto it = by_location.find(location_id);
    return it == by_location.end() ? nullptr : &it->second;
  }
};

Places report_places(const Locations& locations, const std::optional<std::string>& only_site) {
  Places p;
  auto site_index = [&p](const std::string& id) {
    auto it = std::find(p.sites.begin(), p.sites.end(), id);
    if (it != p.sites.end()) return static_cast<std::size_t>(it - p.sites.begin());
    p.sites.push_back(id);
    return p.sites.size() - 1;
  };
  for (const auto& [id, loc] : locations) {
    auto kind = stock::location_kinds.parse(loc.kind);
    if (!kind) continue;
    if (stock::is_site(*kind) && (!only_site || *only_site == id)) p.by_location[id] = Place{site_index(id), true};
    else if (stock::is_bin(*kind) && loc.parent_id && (!only_site || *only_site == *loc.parent_id))
      p.by_location[id] = Place{site_index(*loc.parent_id), false};
  }
  return p;
}

// What the reader is asked for: the load window [load_from, to], and where a whole month
// (MonthFigures, SoldMonth) may not be taken from its totals because a period of the reports
// it feeds starts or ends inside it, or, for the sales, a days-of-supply window starts.
struct Window {
  Day load_from = 0;
  Day to = 0;
  std::vector<Day> cuts;        // each the first day of a period, or the day after one ends
  std::vector<Day> sales_cuts;  // each the first day of a days-of-supply window
  MonthReading reading = MonthReading::totals_where_whole;

  // The months that may be taken whole: inside [load_from, to], no cut inside.
  void prepare() {
    current_month = stock::month_of_day(day_of(now()));
    const int first = stock::month_of_day(load_from), last = stock::month_of_day(to);
    auto cut_inside = [](const std::vector<Day>& cuts, Day f, Day l) {
      return std::any_of(cuts.begin(), cuts.end(), [&](Day c) { return c > f && c <= l; });
    };
    for (int m = first; m <= last; m = stock::next_month(m)) {
      const Day f = stock::first_day_of_month(m), l = stock::last_day_of_month(m);
      const bool stock = reading != MonthReading::days_only && f >= load_from && l <= to && !cut_inside(cuts, f, l);
      months.push_back(MonthSpan{m, f, l, stock, stock && !cut_inside(sales_cuts, f, l)});
      any_whole = any_whole || stock;
    }
    make_runs();
  }
  struct MonthSpan {
    int month;
    Day first, last;
    bool whole_stock;
    bool whole_sales;
  };
  // The runs of consecutive months in [load_from, to] read day by day (through one cursor
  // each): those not whole, for the stock and for the sales.
  void make_runs() {
    last_month = stock::month_of_day(to);
    auto run = [](std::vector<std::pair<int, int>>& runs, int month, bool read_days, int before) {
      if (!read_days) return;
      if (!runs.empty() && runs.back().second == before) runs.back().second = month;
      else runs.emplace_back(month, month);
    };
    int before = 0;
    for (const auto& m : months) {
      run(stock_runs, m.month, !m.whole_stock, before);
      run(sales_runs, m.month, !m.whole_sales, before);
      before = m.month;
    }
    // No month whole (a report of weeks): the totals rows are not read at all, and the stock's
    // later months come day by day too (their change, for the opening), as before the rows.
    if (!any_whole && !stock_runs.empty()) stock_runs.back().second = 999912;
    // A period that ends in the current month (no month row is later, but for a clock ahead):
    // its stock days come from the totals rows' latest month (migration 58), read anyway, not
    // through a cursor that seeks every account's month row. An account whose latest month is
    // later after all has that month looked up alone (MonthsIn::days_or).
    if (any_whole && last_month >= current_month && !stock_runs.empty() &&
        stock_runs.back().second == last_month) {
      end_days_in_totals = true;
      auto& run = stock_runs.back();
      if (run.first == last_month) stock_runs.pop_back();
      else run.second = stock::previous_month(last_month);
    }
  }
  const MonthSpan* span(int month) const {
    if (months.empty()) return nullptr;
    auto index = [](int m) { return (m / 100) * 12 + m % 100 - 1; };
    const int i = index(month) - index(months.front().month);
    return i >= 0 && i < static_cast<int>(months.size()) ? &months[static_cast<std::size_t>(i)] : nullptr;
  }
  std::vector<MonthSpan> months;
  bool any_whole = false;  // a month may be whole
  std::vector<std::pair<int, int>> stock_runs, sales_runs;
  int last_month = 0;  // the month of `to`: later months count only for their change
  int current_month = 0;  // the month of today (the clock's, set by prepare): no month row is later
  bool end_days_in_totals = false;  // the stock days of `last_month` come from the totals rows
};

// A packed row while its item passes. A whole month keeps its totals only; one read day by
// day keeps a copy of its text (the cursor's goes with the row).
struct StockRow {
  int month = 0;
  bool whole = false;
  bool change_only = false;  // a month after the window: its change only (for the opening)
  std::int64_t change = 0;  // the month's net change (its totals', or its days' summed; read only if a month may be whole)
  std::int64_t low = 0, weighted = 0;
  std::uint32_t days_at = 0, days_size = 0, losses_at = 0, losses_size = 0;
};
struct SoldRow {
  int month = 0;
  bool whole = false;
  std::int64_t sold = 0, net = 0;
  std::uint32_t days_at = 0, days_size = 0;
};

// One item's figures at one site while the streams pass the item.
struct SiteDays {
  bool seen = false;             // any row of the item here this time round
  bool touched = false;          // a figure of the site's bins in [load_from, to]
  bool moved_before = false;     // own stock moved before load_from's month
  bool own_balance = false;
  std::int64_t on_hand = 0;      // own balance now
  std::int64_t later_change = 0;      // own stock's change in the months after the row in hand
  int first_figure_month = INT32_MAX;  // the first month, wholly from load_from on, with a row
  std::string text;                   // the texts of the rows read day by day
  std::vector<StockRow> stock_rows;   // own, months descending
  std::vector<SoldRow> sold_rows;     // the site's and its bins', each location's ascending
  bool sold_unsorted = false;         // more than one location sold it here
  std::vector<stock::StockDay> stock;  // own days of the months read day by day, ascending
  std::vector<stock::SoldDay> sold;    // sales days of those months
  std::vector<ShrinkEntry> shrink;     // from its bins
  void reset() {
    seen = touched = moved_before = own_balance = sold_unsorted = false;
    on_hand = later_change = 0;
    first_figure_month = INT32_MAX;
    text.clear();
    stock_rows.clear();
    sold_rows.clear();
    stock.clear();
    sold.clear();
    shrink.clear();
  }
  bool active_before() const { return own_balance && moved_before; }
  std::uint32_t keep(std::string_view t) {
    auto at = static_cast<std::uint32_t>(text.size());
    text.append(t);
    return at;
  }
  std::string_view view(std::uint32_t at, std::uint32_t size) const { return std::string_view(text).substr(at, size); }
};

// One item at one site into `s`: whole months from their totals, the rest day by day.
// Returns whether the series exists (see range_series).
bool build_series(SiteDays& d, const Window& w, Series& s) {
  const Day load_from = w.load_from, to = w.to;
  s.days.clear();
  s.months.clear();
  s.sold_months.clear();
  s.shrink.swap(d.shrink);

  // What changed from load_from on (days after `to` too), and whether own stock moved before;
  // the months in ascending order (the rows came descending).
  bool moved_before = d.moved_before;
  bool touched = d.touched;
  std::int64_t changed_since = 0;
  for (auto row = d.stock_rows.rbegin(); row != d.stock_rows.rend(); ++row) {
    if (row->change_only) {
      changed_since += row->change;
      continue;
    }
    const Day first = stock::first_day_of_month(row->month);
    if (row->whole) {
      const Day last = stock::last_day_of_month(row->month);
      s.months.push_back(MonthFigures{first, last, row->change, row->low, (last + 1) * row->change - row->weighted});
      if (row->losses_size > 0)
        for (const auto& [reason, lost] : stock::unpack_losses(d.view(row->losses_at, row->losses_size)))
          s.shrink.push_back(ShrinkEntry{first, reason, lost});
      changed_since += row->change;
      touched = true;
      continue;
    }
    const std::size_t from = d.stock.size();
    stock::append_stock_days(d.view(row->days_at, row->days_size), d.stock);
    for (std::size_t i = from; i < d.stock.size(); ++i) {
      if (d.stock[i].day < load_from) moved_before = true;
      else changed_since += d.stock[i].change_milli;
    }
  }
  s.active_before = d.own_balance && moved_before;
  s.opening_milli = s.active_before ? d.on_hand - changed_since : 0;

  for (const auto& row : d.sold_rows) {
    if (row.whole) {
      s.sold_months.push_back(SoldMonth{stock::first_day_of_month(row.month), row.sold, row.net});
      touched = true;
    } else {
      stock::append_sold_days(d.view(row.days_at, row.days_size), d.sold);
    }
  }
  if (d.sold_unsorted)  // several locations sold it here (rare)
    std::stable_sort(d.sold.begin(), d.sold.end(), [](const stock::SoldDay& a, const stock::SoldDay& b) { return a.day < b.day; });

  // The days read day by day: the stock days, and the sales days into them (both ascending):
  // a day of both is one day.
  for (const auto& day : d.stock) {
    if (day.day < load_from || day.day > to) continue;
    touched = true;
    s.days.push_back(DayFigures{day.day, day.change_milli, 0, 0});
    for (const auto& [reason, lost] : day.lost_milli) s.shrink.push_back(ShrinkEntry{day.day, reason, lost});
  }
  std::size_t i = 0;
  for (const auto& day : d.sold) {
    if (day.day < load_from || day.day > to) continue;
    touched = true;
    while (i < s.days.size() && s.days[i].day < day.day) ++i;
    if (i < s.days.size() && s.days[i].day == day.day) {
      s.days[i].sold_milli += day.sold_milli;
      s.days[i].net_sales += day.net_sales;
    } else {
      s.days.insert(s.days.begin() + static_cast<std::ptrdiff_t>(i), DayFigures{day.day, 0, day.sold_milli, day.net_sales});
    }
  }
  return touched || s.active_before;
}

// One month of an account, or of an item at a location, while its item passes: its totals
// (from the totals row) and, where read, its days; offsets into the owner's text.
struct MonthIn {
  int month = 0;
  bool known = false;  // totals kept
  std::int64_t change = 0, low = 0, weighted = 0;  // stock: the month's; sales: sold, net (change, low)
  std::uint32_t losses_at = 0, losses_size = 0;
  bool has_days = false;
  std::uint32_t days_at = 0, days_size = 0;
};

// An account's or a location's months of the item in hand: its totals row, and the days the
// cursors or a lookup gave.
struct MonthsIn {
  std::string text;
  std::vector<MonthIn> months;  // ascending
  void clear() {
    text.clear();
    months.clear();
  }
  std::uint32_t keep(std::string_view t) {
    auto at = static_cast<std::uint32_t>(text.size());
    text.append(t);
    return at;
  }
  std::string_view view(std::uint32_t at, std::uint32_t size) const { return std::string_view(text).substr(at, size); }
  // The month's entry (made, unknown, where the totals row has none).
  MonthIn& at(int month) {
    auto it = std::lower_bound(months.begin(), months.end(), month, [](const MonthIn& m, int v) { return m.month < v; });
    if (it == months.end() || it->month != month) it = months.insert(it, MonthIn{month});
    return *it;
  }
  // The month's days, looked up (`look_up`: none when the month has no row) where no cursor
  // gave them.
  template <class LookUp>
  std::string_view days_or(MonthIn& m, LookUp look_up) {
    if (!m.has_days) {
      const std::optional<std::string> days = look_up();
      m.days_at = keep(days.value_or(std::string()));
      m.days_size = static_cast<std::uint32_t>(days ? days->size() : 0);
      m.has_days = true;
    }
    return view(m.days_at, m.days_size);
  }
  void attach_days(int month, std::string_view days) {
    auto& m = at(month);
    if (m.has_days) return;
    m.days_at = keep(days);
    m.days_size = static_cast<std::uint32_t>(days.size());
    m.has_days = true;
  }
  void stock_totals(std::string_view packed, int from_month, std::vector<stock::StockMonthEntry>& scratch) {
    clear();
    text.assign(packed);
    stock::unpack_stock_month_entries(text, from_month, scratch);
    for (const auto& e : scratch) {
      MonthIn m{e.month, e.known, e.change_milli, e.low_milli, e.day_weighted};
      m.losses_at = static_cast<std::uint32_t>(e.losses.data() - text.data());
      m.losses_size = static_cast<std::uint32_t>(e.losses.size());
      months.push_back(m);
    }
  }
  void sold_totals(std::string_view packed, int from_month, std::vector<stock::SoldMonthEntry>& scratch) {
    clear();
    text.assign(packed);
    stock::unpack_sold_month_entries(text, from_month, scratch);
    for (const auto& e : scratch) months.push_back(MonthIn{e.month, e.known, e.sold_milli, e.net_sales});
  }
};

// Every series of the items in `range`, built from streams merged in item order — the
// balances, and beside them each account's totals row (every month's totals in one row,
// migration 57; keyed as the balances are); the packed days of the months that cannot be
// whole (the window's first and last, usually: Window's runs), one cursor per run; per
// location, its sales totals rows and one range per month of its runs — and handed to `fold`
// one at a time (the Series is reused). No map of series, no sort. Where no month can be
// whole (Window::any_whole) no totals row is read: every month comes day by day.
//
// A series exists, as it did when the report read the raw ledger, when its item is in the
// catalog and it had movements before the load window (own stock only), or any figure of the
// site or its bins falls in [load_from, to]. Its opening on hand is its balance now less the
// changes the summary holds from load_from on (months after `to` by their totals).
//
// A month is taken whole from its totals (kpi.hpp, MonthFigures and SoldMonth) when it may be
// (Window::months) and the series was active before it: for the stock, the series had moved
// before the load window, and a stocked item's stock at the month's end, less its change and
// its lowest running change, stays above 0 (the months are walked latest first, so that end
// is the balance less the later months' changes); for the sales, that or a row of an earlier
// month wholly in the window. Any other month is read day by day: from its run's cursor, or,
// a month that may be whole but is not, looked up alone (a stock that ran out, a series that
// began in it: few).
//
// With `set_aside` (a first pass), no month is looked up alone: an item that would need one
// is not folded but added to `set_aside` (in id order) with the lookups it needed, for the
// caller to read again (each_series). With `looked_up` (its second pass), a lookup it names
// is answered from what was read for them all.
struct SetAside {
  std::vector<std::string> items;
  std::set<std::pair<std::int64_t, int>> stock;  // (account, month)
  std::set<sales::SoldMonthKey> sold;            // (location, item, month)
};
struct LookedUp {
  const SetAside* asked = nullptr;
  std::map<std::pair<std::int64_t, int>, std::string> stock;
  std::map<sales::SoldMonthKey, std::string> sold;
};
template <class Key>
std::optional<std::string> found(const std::map<Key, std::string>& rows, const Key& key) {
  auto it = rows.find(key);
  return it == rows.end() ? std::nullopt : std::optional<std::string>(it->second);
}

void range_series(db::Db& db, const Places& places, const Window& w, const stock::ItemRange& range,
                  const std::function<void(const Series&)>& fold, SetAside* set_aside = nullptr,
                  const LookedUp* looked_up = nullptr) {
  const Day load_from = w.load_from, to = w.to;
  const int from_month = stock::month_of_day(load_from);
  catalog::store::ReportItemCursor items(db, range.from, range.to, range.only);  // in id order, as the streams
  stock::ItemBalances balances(db, from_month, range);
  std::optional<stock::ItemStockTotals> stock_totals;  // read only where a month may be whole
  if (w.any_whole) stock_totals.emplace(db, range);
  std::vector<stock::ItemStockMonths> stock_days;
  int slot = 0;
  for (const auto& [first, last] : w.stock_runs) stock_days.emplace_back(db, slot++, first, last, range);
  struct SoldStream {
    const Place* place;
    std::string location_id;
    std::optional<sales::LocationSoldTotals> totals;  // read only where a month may be whole
    std::vector<sales::LocationSoldMonths> days;      // one per month of the runs
  };
  std::vector<SoldStream> sold;
  slot = 0;
  int days_slot = 0;
  for (const auto& [location_id, place] : places.by_location) {
    SoldStream stream{&place, location_id, std::nullopt, {}};
    if (w.any_whole) stream.totals.emplace(db, slot, location_id, range);
    ++slot;
    for (const auto& [first, last] : w.sales_runs)
      for (int month = first; month <= last; month = stock::next_month(month))
        stream.days.emplace_back(db, days_slot++, location_id, month, range);
    sold.push_back(std::move(stream));
  }

  std::vector<SiteDays> at(places.sites.size());
  // The item's accounts, in the balances' order, each with its place (none: a location that
  // does not count) and its months; reused from item to item.
  struct Account {
    std::int64_t number = 0;
    const Place* place = nullptr;
    MonthsIn in;
  };
  std::vector<Account> accounts;
  std::size_t account_count = 0;
  MonthsIn sold_in;
  std::vector<stock::StockMonthEntry> stock_scratch;
  std::vector<stock::SoldMonthEntry> sold_scratch;
  std::vector<stock::StockDay> scratch;
  Series s;
  std::string item;
  // Whether a month with these totals may be whole (calendar and activity; the stock's
  // running out is checked by the caller).
  auto may_be_whole = [&w](int month, const SiteDays& d, bool sales) {
    const auto* span = w.span(month);
    return span && (sales ? span->whole_sales && (d.active_before() || d.first_figure_month < month)
                          : span->whole_stock && d.active_before());
  };
  // The first month wholly from load_from on.
  const int first_full_month =
      stock::first_day_of_month(from_month) >= load_from ? from_month : stock::next_month(from_month);
  auto note_figure = [first_full_month](SiteDays& d, int month) {
    if (month < d.first_figure_month && month >= first_full_month) d.first_figure_month = month;
  };
  bool aside = false;  // the item in hand needs a month looked up, and set_aside is given
  auto stock_days_of = [&db, &aside, set_aside, looked_up](Account& a, MonthIn& m) {
    return a.in.days_or(m, [&]() -> std::optional<std::string> {
      const std::pair<std::int64_t, int> key{a.number, m.month};
      if (looked_up && looked_up->asked->stock.contains(key)) return found(looked_up->stock, key);
      if (!set_aside) return stock::stock_month_days(db, a.number, m.month);
      aside = true;
      set_aside->stock.insert(key);
      return std::nullopt;
    });
  };
  auto change_of = [&scratch](std::string_view days) {
    scratch.clear();
    stock::append_stock_days(days, scratch);
    std::int64_t change = 0;
    for (const auto& day : scratch) change += day.change_milli;
    return change;
  };
  while (true) {
    // The next item of any stream (ids compare bytewise, as both backends order them).
    std::optional<std::string_view> next;
    auto consider = [&next](std::string_view id) {
      if (!next || id < *next) next = id;
    };
    if (balances.valid()) consider(balances.item_id());  // the stock month rows are of these items
    for (const auto& stream : sold) {
      if (stream.totals && stream.totals->valid()) consider(stream.totals->item_id());
      for (const auto& days : stream.days)
        if (days.valid()) consider(days.item_id());
    }
    if (!next) break;
    item.assign(*next);
    aside = false;
    while (items.valid() && items.id() < item) items.next();  // items with no figures are passed over
    const bool in_catalog = items.valid() && items.id() == item;
    const bool stocked = in_catalog && items.stocked();

    account_count = 0;
    for (; balances.valid() && balances.item_id() == item; balances.next()) {
      if (account_count == accounts.size()) accounts.emplace_back();
      auto& a = accounts[account_count++];
      a.number = balances.account();
      a.place = places.find(balances.location_id());
      a.in.clear();
      // Its totals row (the totals come in the balances' order; an account with no month row
      // has none).
      bool has_totals = false;
      if (stock_totals) {
        auto& t = *stock_totals;
        while (t.valid() && (t.item_id() < item || (t.item_id() == item && t.location_id() < balances.location_id())))
          t.next();
        has_totals = t.valid() && t.item_id() == item && t.location_id() == balances.location_id();
      }
      if (!a.place) continue;
      if (has_totals) {
        a.in.stock_totals(stock_totals->months(), from_month, stock_scratch);
        // The last month's days, kept in the row (none there: the account has no such month).
        if (w.end_days_in_totals && stock_totals->latest_month() == w.last_month)
          a.in.attach_days(w.last_month, stock_totals->latest_days());
      }
      if (!a.place->own) continue;
      auto& d = at[a.place->site];
      d.seen = d.own_balance = true;
      d.on_hand = balances.on_hand_milli();
      d.moved_before = balances.months_before();
    }
    // The days of the runs' months (they come in the balances' order; an account's months in
    // any order, each put in its place).
    for (auto& cursor : stock_days)
      for (std::size_t i = 0; i < account_count; ++i)
        for (; cursor.valid() && cursor.account() == accounts[i].number; cursor.next())
          if (accounts[i].place) accounts[i].in.attach_days(cursor.month(), cursor.days());

    for (std::size_t i = 0; i < account_count; ++i) {
      auto& a = accounts[i];
      if (!a.place || a.in.months.empty()) continue;
      auto& d = at[a.place->site];
      d.seen = true;
      if (!a.place->own) {  // a bin: its losses in [load_from, to] count for its site
        for (auto& m : a.in.months) {
          if (m.month > w.last_month) break;
          const auto* span = w.span(m.month);
          if (span && span->whole_stock && m.known) {  // every day of it is in [load_from, to]
            d.touched = true;
            if (m.losses_size > 0)
              for (const auto& [reason, lost] : stock::unpack_losses(a.in.view(m.losses_at, m.losses_size)))
                d.shrink.push_back(ShrinkEntry{stock::first_day_of_month(m.month), reason, lost});
            continue;
          }
          scratch.clear();
          stock::append_stock_days(stock_days_of(a, m), scratch);
          for (const auto& day : scratch) {
            if (day.day < load_from || day.day > to) continue;
            d.touched = true;
            for (const auto& [reason, lost] : day.lost_milli) d.shrink.push_back(ShrinkEntry{day.day, reason, lost});
          }
        }
        continue;
      }
      // Own stock, latest month first.
      for (auto m = a.in.months.rbegin(); m != a.in.months.rend(); ++m) {
        StockRow row;
        row.month = m->month;
        note_figure(d, row.month);
        if (m->month > w.last_month) {  // after the window: its change only
          row.change_only = true;
          row.change = m->known ? m->change : change_of(stock_days_of(a, *m));
        } else {
          if (m->known) {
            row.change = m->change;
            row.low = m->low;
            // On hand as the month opens, where the series is active before it: its balance
            // less the changes of this month and every later one.
            const std::int64_t opening = d.on_hand - d.later_change - row.change;
            row.whole = may_be_whole(row.month, d, false) && (!stocked || opening + row.low > 0);
          }
          if (row.whole) {
            row.weighted = m->weighted;
            row.losses_size = m->losses_size;
            if (m->losses_size > 0) row.losses_at = d.keep(a.in.view(m->losses_at, m->losses_size));
          } else {
            auto days = stock_days_of(a, *m);
            row.days_size = static_cast<std::uint32_t>(days.size());
            row.days_at = d.keep(days);
            if (!m->known && w.any_whole) row.change = change_of(days);  // no totals: its change (for the months before it) from its days
          }
        }
        d.later_change += row.change;
        d.stock_rows.push_back(row);
      }
    }
    for (auto& stream : sold) {
      sold_in.clear();
      if (stream.totals && stream.totals->valid() && stream.totals->item_id() == item) {
        sold_in.sold_totals(stream.totals->months(), from_month, sold_scratch);
        stream.totals->next();
      }
      for (auto& days : stream.days)
        for (; days.valid() && days.item_id() == item; days.next()) sold_in.attach_days(days.month(), days.days());
      if (sold_in.months.empty()) continue;
      auto& d = at[stream.place->site];
      if (!d.sold_rows.empty()) d.sold_unsorted = true;
      d.seen = true;
      for (auto& m : sold_in.months) {
        if (m.month > w.last_month) break;  // after the window: no figure of it counts
        SoldRow row;
        row.month = m.month;
        row.whole = m.known && may_be_whole(row.month, d, true);
        if (row.whole) {
          row.sold = m.change;
          row.net = m.low;
        } else {
          auto days = sold_in.days_or(m, [&]() -> std::optional<std::string> {
            sales::SoldMonthKey key{stream.location_id, item, m.month};
            if (looked_up && looked_up->asked->sold.contains(key)) return found(looked_up->sold, key);
            if (!set_aside) return sales::sold_month_days(db, stream.location_id, item, m.month);
            aside = true;
            set_aside->sold.insert(std::move(key));
            return std::nullopt;
          });
          row.days_size = static_cast<std::uint32_t>(days.size());
          row.days_at = d.keep(days);
        }
        note_figure(d, row.month);
        d.sold_rows.push_back(row);
      }
    }

    if (aside && in_catalog) set_aside->items.push_back(item);
    for (std::size_t site = 0; site < at.size(); ++site) {
      auto& d = at[site];
      if (!d.seen) continue;
      if (!aside && in_catalog && build_series(d, w, s)) {
        s.item_id = item;
        s.site_id = places.sites[site];
        s.category = items.category();
        s.stocked = stocked;
        s.cost = items.cost();
        fold(s);
      }
      d.reset();
    }
  }
}

// Every series of the load window [load_from, to] (one site's when `only_site`), each to
// the fold of the part that read it. The items are cut into one range per connection by
// catalog position; `db` reads the first range on this thread and each of `helpers` the next
// on a thread of its own (connections in one snapshot: db/db_shared_snapshot.hpp). A part's
// fold sees only its own series, so folds need no lock; the caller adds the parts up.
template <class Part>
void each_series(db::Db& db, const std::vector<db::Db*>& helpers, const Locations& locations, Window w,
                 const std::optional<std::string>& only_site, std::vector<Part>& parts,
                 const std::function<void(Part&, const Series&)>& fold) {
  const auto places = report_places(locations, only_site);
  // Items set aside (MonthReading): read first without them, then the months they needed
  // looked up all together (a statement a month), then those items again.
  const bool set_items_aside = w.reading == MonthReading::totals_items_aside ||
                               (w.reading == MonthReading::totals_where_whole && db.dialect() == db::Dialect::postgres);
  w.prepare();
  const auto cuts = catalog::store::report_item_cuts(db, helpers.size() + 1);
  const std::size_t n = cuts.size() + 1;
  std::vector<stock::ItemRange> ranges(n);
  for (std::size_t i = 1; i < n; ++i) {
    ranges[i].from = cuts[i - 1];
    ranges[i - 1].to = ranges[i].from;
  }
  BR_ASSERT(parts.size() >= n, "a part for each range");
  auto read = [&](db::Db& on, std::size_t i) {
    auto fold_part = [&](const Series& s) { fold(parts[i], s); };
    if (!set_items_aside) {
      range_series(on, places, w, ranges[i], fold_part);
      return;
    }
    SetAside aside;
    range_series(on, places, w, ranges[i], fold_part, &aside);
    if (aside.items.empty()) return;
    LookedUp looked_up{&aside, stock::stock_months_days(on, aside.stock), sales::sold_months_days(on, aside.sold)};
    const std::string only = boost::json::serialize(boost::json::array(aside.items.begin(), aside.items.end()));
    range_series(on, places, w, stock::ItemRange{ranges[i].from, ranges[i].to, only}, fold_part, nullptr, &looked_up);
  };
  std::vector<std::exception_ptr> failed(n);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < n; ++i)
    threads.emplace_back([&, i] {
      try {
        read(*helpers[i - 1], i);
      } catch (...) {
        failed[i] = std::current_exception();
      }
    });
  try {
    read(db, 0);
  } catch (...) {
    failed[0] = std::current_exception();
  }
  for (auto& t : threads) t.join();
  for (const auto& e : failed)
    if (e) std::rethrow_exception(e);
}

Day load_start(const Period& p) { return std::min(p.from, p.to - (days_of_supply_window_days - 1)); }

}  // namespace

KpiReport kpi_report(db::Db& db, const KpiQuery& query, const std::vector<db::Db*>& helpers, MonthReading reading) {
  const auto locations = read_locations(db);
  std::vector<KpiAccumulator> parts(helpers.size() + 1, KpiAccumulator(query.grouping, query.period));
  const auto& p = query.period;
  Window w{load_start(p), p.to, {p.from, p.to + 1}, {p.to - (days_of_supply_window_days - 1)}, reading, {}, false, {}, {}, 0};
  each_series<KpiAccumulator>(db, helpers, locations, w, query.site_id, parts,
                              [](KpiAccumulator& acc, const Series& s) { acc.add(s); });
  auto& acc = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) acc.add(parts[i]);

  KpiReport r{query, {}, acc.total(), std::nullopt, {}, std::nullopt};  // the other rooms' figures: reports_api.cpp
  std::map<std::string, catalog::store::ItemHead> heads;  // by item: each row's SKU and name
  if (query.grouping == Grouping::item) {
    std::vector<std::string> ids;
    for (const auto& [key, totals] : acc.groups()) ids.push_back(key);
    heads = catalog::store::item_heads(db, ids);
  }
  for (const auto& [key, totals] : acc.groups()) {
    KpiRow row{key, key, "", "", totals};
    if (query.grouping == Grouping::item) {
      auto item = heads.find(key);
      BR_ASSERT(item != heads.end(), "a series' item is in the catalog");
      row.sku = item->second.sku;
      row.name = item->second.name;
      row.label = item->second.sku + " " + item->second.name;
    } else if (query.grouping == Grouping::location) {
      auto location = locations.find(key);
      row.name = location != locations.end() ? location->second.name : key;
      row.label = row.name;
    }
    r.rows.push_back(std::move(row));
  }
  if (query.order) {
    Kpi kpi = *query.order;
    std::stable_sort(r.rows.begin(), r.rows.end(), [kpi](const KpiRow& a, const KpiRow& b) {
      return worse(kpi, kpi_ratio(a.totals, kpi).value(), kpi_ratio(b.totals, kpi).value());
    });
  } else {
    std::stable_sort(r.rows.begin(), r.rows.end(), [](const KpiRow& a, const KpiRow& b) { return a.label < b.label; });
  }
  if (query.limit && static_cast<int>(r.rows.size()) > *query.limit) r.rows.resize(static_cast<std::size_t>(*query.limit));
  return r;
}

std::vector<WeekTotals> weekly_kpis(db::Db& db, Day to, int weeks, const std::optional<std::string>& site_id,
                                    const std::vector<db::Db*>& helpers, MonthReading reading) {
  Period whole{to - 7 * weeks + 1, to};
  std::vector<WeekTotals> out;
  for (int w = weeks - 1; w >= 0; --w) {
    Period p{to - 7 * w - 6, to - 7 * w};
    Totals t;
    t.period_days = p.days();
    out.push_back(WeekTotals{p, std::move(t)});
  }
  const auto locations = read_locations(db);
  std::vector<std::vector<WeekTotals>> parts(helpers.size() + 1, out);
  Window window{load_start(whole), to, {to + 1}, {}, reading, {}, false, {}, {}, 0};
  for (const auto& w : out) {
    window.cuts.push_back(w.period.from);
    window.sales_cuts.push_back(w.period.to - (days_of_supply_window_days - 1));
  }
  each_series<std::vector<WeekTotals>>(db, helpers, locations, window, site_id, parts,
                                       [](std::vector<WeekTotals>& part, const Series& s) {
                                         for (auto& w : part) add_series(w.totals, s, w.period);
                                       });
  for (const auto& part : parts)
    for (std::size_t w = 0; w < out.size(); ++w) out[w].totals.add(part[w].totals);
  return out;
}

}  // namespace backroom::reports

namespace backroom::reports::store {

namespace {

constexpr const char* action_columns =
    "SELECT id, week, kpi, item_id, location_id, note, owner_id, due_on, status, outcome, created_at, created_by, "
    "closed_at, closed_by, version FROM review_actions";

Action read_action(db::Query& q) {
  Action a;
  a.id = q.text(0);
  a.week = q.text(1);
  if (auto k = q.opt_text(2)) a.kpi = kpis.parse(*k);
  a.item_id = q.opt_text(3);
  a.location_id = q.opt_text(4);
  a.note = q.text(5);
  a.owner_id = q.text(6);
  a.due_on = q.text(7);
  a.status = action_statuses.parse(q.text(8)).value_or(ActionStatus::open);
  a.outcome = q.text(9);
  a.created_at = q.int64(10);
  a.created_by = q.text(11);
  if (!q.is_null(12)) a.closed_at = q.int64(12);
  a.closed_by = q.opt_text(13);
  a.version = q.int64(14);
  return a;
}

void read_photos(db::Db& db, Action& a) {
  auto q = db.query("SELECT id, content_type, bytes FROM review_action_photos WHERE action_id = ? ORDER BY id");
  q.bind(1, a.id);
  while (q.step()) a.photos.push_back(PhotoHead{q.text(0), q.text(1), q.int64(2)});
}

std::optional<std::string> kpi_word(const Action& a) {
  if (!a.kpi) return std::nullopt;
  return std::string(kpis.text(*a.kpi));
}

}  // namespace

std::optional<std::string> action_request_hash(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT request_hash FROM review_actions WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void insert_action(db::Db& db, const Action& a, const std::string& request_hash) {
  db.query(
        "INSERT INTO review_actions (id, week, kpi, item_id, location_id, note, owner_id, due_on, status, outcome, "
        "request_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, a.id)
      .bind(2, a.week)
      .bind(3, kpi_word(a))
      .bind(4, a.item_id)
      .bind(5, a.location_id)
      .bind(6, a.note)
      .bind(7, a.owner_id)
      .bind(8, a.due_on)
      .bind(9, action_statuses.text(a.status))
      .bind(10, a.outcome)
      .bind(11, request_hash)
      .bind(12, a.created_at)
      .bind(13, a.created_by)
      .run();
}

void update_action(db::Db& db, const Action& a) {
  db.query(
        "UPDATE review_actions SET note = ?, owner_id = ?, due_on = ?, status = ?, outcome = ?, closed_at = ?, "
        "closed_by = ?, version = version + 1 WHERE id = ?")
      .bind(1, a.note)
      .bind(2, a.owner_id)
      .bind(3, a.due_on)
      .bind(4, action_statuses.text(a.status))
      .bind(5, a.outcome)
      .bind(6, a.closed_at)
      .bind(7, a.closed_by)
      .bind(8, a.id)
      .run();
}

std::optional<Action> load_action(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(action_columns) + " WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  auto a = read_action(q);
  read_photos(db, a);
  return a;
}

std::vector<Action> actions_for_week(db::Db& db, const std::string& monday, std::int64_t week_start) {
  std::vector<Action> out;
  auto q = db.query(std::string(action_columns) +
                    " WHERE week = ? OR (week < ? AND (status = 'open' OR closed_at >= ?)) "
                    "ORDER BY week, created_at, id");
  q.bind(1, monday).bind(2, monday).bind(3, week_start);
  while (q.step() && static_cast<int>(out.size()) < actions_per_week_max) out.push_back(read_action(q));
  for (auto& a : out) read_photos(db, a);
  return out;
}

int photo_count(db::Db& db, const std::string& action_id) {
  auto q = db.query("SELECT COUNT(*) FROM review_action_photos WHERE action_id = ?");
  q.bind(1, action_id);
  q.step();
  return static_cast<int>(q.int64(0));
}

void insert_photo(db::Db& db, const std::string& action_id, const PhotoHead& head, std::string_view bytes,
                  std::int64_t at, const std::string& user) {
  std::string text(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  text.resize(std::strlen(text.c_str()));
  db.query(
        "INSERT INTO review_action_photos (id, action_id, content_type, bytes, data, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, head.id)
      .bind(2, action_id)
      .bind(3, head.content_type)
      .bind(4, head.bytes)
      .bind(5, text)
      .bind(6, at)
      .bind(7, user)
      .run();
}

std::optional<Photo> load_photo(db::Db& db, const std::string& action_id, const std::string& photo_id) {
  auto q = db.query("SELECT content_type, data FROM review_action_photos WHERE id = ? AND action_id = ?");
  q.bind(1, photo_id).bind(2, action_id);
  if (!q.step()) return std::nullopt;
  std::string text = q.text(1);
  std::string bytes(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(),
                        nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    throw Problem(500, "photo_unreadable", "a stored photo is not valid base64");
  bytes.resize(length);
  return Photo{q.text(0), std::move(bytes)};
}

}  // namespace backroom::reports::store
