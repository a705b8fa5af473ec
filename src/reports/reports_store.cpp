// The reports room's I/O. The KPI report reads the ledger's packed days through their owners'
// cursors (stock's kpi days and balances, sales' sold days, catalog's items; migration 39),
// every site side by side in item order, and hands one Series per item and site at a time to
// the pure maths in kpi.cpp. The review's actions are this room's own tables (migration 14):
// their SQL is the only SQL here.
#include "reports/reports_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>
#include <map>
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

// What a report reads once: the catalog by id (in the database's order of text, bytewise on
// both backends, as the streams below come) and the locations.
struct Catalog {
  std::vector<catalog::store::ReportItem> items;
  std::map<std::string, stock::Location> locations;

  const catalog::store::ReportItem* item(std::string_view id) const {
    auto it = std::lower_bound(items.begin(), items.end(), id,
                               [](const catalog::store::ReportItem& a, std::string_view b) { return a.id < b; });
    return it != items.end() && it->id == id ? &*it : nullptr;
  }
};

Catalog read_catalog(db::Db& db) {
  Catalog c;
  c.items = catalog::store::report_items(db);
  auto by_id = [](const catalog::store::ReportItem& a, const catalog::store::ReportItem& b) { return a.id < b.id; };
  if (!std::is_sorted(c.items.begin(), c.items.end(), by_id)) std::sort(c.items.begin(), c.items.end(), by_id);
  for (auto& loc : stock::list_locations(db)) {
    auto id = loc.id;
    c.locations.emplace(std::move(id), std::move(loc));
  }
  return c;
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

Places report_places(const Catalog& c, const std::optional<std::string>& only_site) {
  Places p;
  auto site_index = [&p](const std::string& id) {
    auto it = std::find(p.sites.begin(), p.sites.end(), id);
    if (it != p.sites.end()) return static_cast<std::size_t>(it - p.sites.begin());
    p.sites.push_back(id);
    return p.sites.size() - 1;
  };
  for (const auto& [id, loc] : c.locations) {
    auto kind = stock::location_kinds.parse(loc.kind);
    if (!kind) continue;
    if (stock::is_site(*kind) && (!only_site || *only_site == id)) p.by_location[id] = Place{site_index(id), true};
    else if (stock::is_bin(*kind) && loc.parent_id && (!only_site || *only_site == *loc.parent_id))
      p.by_location[id] = Place{site_index(*loc.parent_id), false};
  }
  return p;
}

// One item's figures at one site while the streams pass the item.
struct SiteDays {
  bool seen = false;             // any row of the item here this time round
  bool touched = false;          // a figure of the site or its bins in [load_from, to]
  bool moved_before = false;     // own stock moved before load_from
  bool own_balance = false;
  std::int64_t on_hand = 0;      // own balance now
  std::vector<stock::StockDay> stock;  // own days, ascending
  std::vector<stock::SoldDay> sold;    // the site's and its bins' sales days
  bool sold_unsorted = false;          // more than one location sold it here
  std::vector<ShrinkEntry> shrink;     // from its bins
  void reset() {
    seen = touched = moved_before = own_balance = sold_unsorted = false;
    on_hand = 0;
    stock.clear();
    sold.clear();
    shrink.clear();
  }
};

// Every series of the items in `range`, built from three kinds of streams merged in item
// order — the balances, the packed stock months (both of every location, item first) and
// one stream of packed sales months per location — and handed to `fold` one at a time (the
// Series is reused). No map of series, no sort.
//
// A series exists, as it did when the report read the raw ledger, when its item is in the
// catalog and it had movements before the load window (own stock only), or any figure of the
// site or its bins falls in [load_from, to]. Its opening on hand is its balance now less the
// changes the summary holds from load_from on (days after `to` included).
void range_series(db::Db& db, const Catalog& c, const Places& places, Day load_from, Day to,
                  const stock::ItemRange& range, const std::function<void(const Series&)>& fold) {
  const int from_month = stock::month_of_day(load_from);
  stock::ItemBalances balances(db, from_month, range);
  stock::ItemStockMonths months(db, from_month, range);
  struct SoldStream {
    const Place* place;
    sales::LocationSoldMonths rows;
  };
  std::vector<SoldStream> sold;
  int slot = 0;
  for (const auto& [location_id, place] : places.by_location)
    sold.push_back(SoldStream{&place, sales::LocationSoldMonths(db, slot++, location_id, from_month, range)});

  std::vector<SiteDays> at(places.sites.size());
  std::string last_location;  // of the last stock month row, and its place (a copy: the row goes)
  const Place* place = nullptr;
  std::vector<stock::StockDay> bin_days;
  Series s;
  std::string item;
  while (true) {
    // The next item of any stream (ids compare bytewise, as both backends order them).
    std::optional<std::string_view> next;
    auto consider = [&next](std::string_view id) {
      if (!next || id < *next) next = id;
    };
    if (balances.valid()) consider(balances.item_id());
    if (months.valid()) consider(months.item_id());
    for (const auto& stream : sold)
      if (stream.rows.valid()) consider(stream.rows.item_id());
    if (!next) break;
    item.assign(*next);

    for (; balances.valid() && balances.item_id() == item; balances.next()) {
      const auto* here = places.find(balances.location_id());
      if (!here || !here->own) continue;
      auto& d = at[here->site];
      d.seen = d.own_balance = true;
      d.on_hand = balances.on_hand_milli();
      d.moved_before = balances.months_before();
    }
    for (; months.valid() && months.item_id() == item; months.next()) {
      if (months.location_id() != last_location) {  // an account's months come together (ids are never empty)
        last_location.assign(months.location_id());
        place = places.find(last_location);
      }
      if (!place) continue;
      auto& d = at[place->site];
      d.seen = true;
      if (place->own) {
        stock::append_stock_days(months.days(), d.stock);  // one location's months in order: ascending
        continue;
      }
      bin_days.clear();
      stock::append_stock_days(months.days(), bin_days);
      for (const auto& day : bin_days) {
        if (day.day < load_from || day.day > to) continue;
        d.touched = true;
        for (const auto& [reason, lost] : day.lost_milli) d.shrink.push_back(ShrinkEntry{day.day, reason, lost});
      }
    }
    for (auto& stream : sold) {
      if (!stream.rows.valid() || stream.rows.item_id() != item) continue;
      auto& d = at[stream.place->site];
      if (!d.sold.empty()) d.sold_unsorted = true;
      d.seen = true;
      for (; stream.rows.valid() && stream.rows.item_id() == item; stream.rows.next())
        stock::append_sold_days(stream.rows.days(), d.sold);
    }

    const auto* catalog_item = c.item(item);
    for (std::size_t site = 0; site < at.size(); ++site) {
      auto& d = at[site];
      if (!d.seen) continue;
      if (catalog_item) {
        s.days.clear();
        s.shrink.swap(d.shrink);
        bool touched = d.touched;
        bool moved_before = d.moved_before;
        std::int64_t changed_since = 0;
        for (const auto& day : d.stock) {
          if (day.day < load_from) {
            moved_before = true;
            continue;
          }
          changed_since += day.change_milli;
          if (day.day > to) continue;
          touched = true;
          s.days.push_back(DayFigures{day.day, day.change_milli, 0, 0});
          for (const auto& [reason, lost] : day.lost_milli) s.shrink.push_back(ShrinkEntry{day.day, reason, lost});
        }
        // The sales days into the stock days (both ascending; sales of several locations
        // here, rare, sorted first): a day of both is one day.
        if (d.sold_unsorted)
          std::stable_sort(d.sold.begin(), d.sold.end(),
                           [](const stock::SoldDay& a, const stock::SoldDay& b) { return a.day < b.day; });
        std::size_t i = 0;
        for (const auto& day : d.sold) {
          if (day.day < load_from || day.day > to) continue;
          touched = true;
          while (i < s.days.size() && s.days[i].day < day.day) ++i;
          if (i < s.days.size() && s.days[i].day == day.day) {
            s.days[i].sold_milli += day.sold_milli;
            s.days[i].net_sales += day.net_sales;
          } else {
            s.days.insert(s.days.begin() + static_cast<std::ptrdiff_t>(i),
                          DayFigures{day.day, 0, day.sold_milli, day.net_sales});
          }
        }
        s.active_before = d.own_balance && moved_before;
        if (touched || s.active_before) {
          s.item_id = item;
          s.site_id = places.sites[site];
          s.category = catalog_item->category;
          s.stocked = catalog_item->stocked;
          s.cost = catalog_item->cost;
          s.opening_milli = s.active_before ? d.on_hand - changed_since : 0;
          fold(s);
        }
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
void each_series(db::Db& db, const std::vector<db::Db*>& helpers, const Catalog& c, Day load_from, Day to,
                 const std::optional<std::string>& only_site, std::vector<Part>& parts,
                 const std::function<void(Part&, const Series&)>& fold) {
  const auto places = report_places(c, only_site);
  const std::size_t n = std::min(helpers.size() + 1, std::max<std::size_t>(c.items.size(), 1));
  std::vector<stock::ItemRange> ranges(n);
  for (std::size_t i = 1; i < n; ++i) {
    ranges[i].from = c.items[c.items.size() * i / n].id;
    ranges[i - 1].to = ranges[i].from;
  }
  BR_ASSERT(parts.size() >= n, "a part for each range");
  auto read = [&](db::Db& on, std::size_t i) {
    range_series(on, c, places, load_from, to, ranges[i], [&](const Series& s) { fold(parts[i], s); });
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

KpiReport kpi_report(db::Db& db, const KpiQuery& query, const std::vector<db::Db*>& helpers) {
  auto catalog = read_catalog(db);
  std::vector<KpiAccumulator> parts(helpers.size() + 1, KpiAccumulator(query.grouping, query.period));
  each_series<KpiAccumulator>(db, helpers, catalog, load_start(query.period), query.period.to, query.site_id, parts,
                              [](KpiAccumulator& acc, const Series& s) { acc.add(s); });
  auto& acc = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) acc.add(parts[i]);

  KpiReport r{query, {}, acc.total(), std::nullopt, {}, std::nullopt};  // the other rooms' figures: reports_api.cpp
  for (const auto& [key, totals] : acc.groups()) {
    KpiRow row{key, key, "", "", totals};
    if (query.grouping == Grouping::item) {
      const auto* item = catalog.item(key);
      BR_ASSERT(item != nullptr, "a series' item is in the catalog");
      row.sku = item->sku;
      row.name = item->name;
      row.label = item->sku + " " + item->name;
    } else if (query.grouping == Grouping::location) {
      row.name = catalog.locations.count(key) ? catalog.locations.at(key).name : key;
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
                                    const std::vector<db::Db*>& helpers) {
  Period whole{to - 7 * weeks + 1, to};
  std::vector<WeekTotals> out;
  for (int w = weeks - 1; w >= 0; --w) {
    Period p{to - 7 * w - 6, to - 7 * w};
    Totals t;
    t.period_days = p.days();
    out.push_back(WeekTotals{p, std::move(t)});
  }
  auto catalog = read_catalog(db);
  std::vector<std::vector<WeekTotals>> parts(helpers.size() + 1, out);
  each_series<std::vector<WeekTotals>>(db, helpers, catalog, load_start(whole), to, site_id, parts,
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
