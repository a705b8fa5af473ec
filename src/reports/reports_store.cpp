// The reports room's I/O. The KPI report reads the ledger's packed days through their owners'
// functions (stock's kpi days and balances, sales' sold days, catalog's items; migration 39)
// and turns them into one Series per item and site for the pure maths in kpi.cpp. The review's actions are
// this room's own tables (migration 14): their SQL is the only SQL here.
#include "reports/reports_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>
#include <vector>
#include <utility>

#include "catalog/catalog_store.hpp"
#include "reports/reports.hpp"
#include "sales/sales.hpp"
#include "sales/sold_days.hpp"
#include "stock/kpi_days.hpp"
#include "stock/stock.hpp"
#include "platform/problem.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::reports {

namespace {

struct Ledger {
  std::map<std::string, catalog::store::ReportItem> items;
  std::map<std::string, stock::Location> locations;
  std::vector<Series> series;  // one per (item, site), in no particular order
};

// The site a location's stock belongs to: a site itself, or a bin's parent; none for transit.
std::optional<std::string> site_of(const std::map<std::string, stock::Location>& locations, const std::string& id) {
  auto it = locations.find(id);
  if (it == locations.end()) return std::nullopt;
  auto kind = stock::location_kinds.parse(it->second.kind);
  if (!kind) return std::nullopt;
  if (stock::is_site(*kind)) return id;
  if (stock::is_bin(*kind) && it->second.parent_id) return *it->second.parent_id;
  return std::nullopt;
}

// Reads the KPI summary (stock/kpi_days.hpp, sales/sold_days.hpp; migration 39) for the days
// [load_from, to] (to's end included), and every account's balance once: the opening on hand
// of a series is its balance now less the changes the summary holds from load_from on, and
// it was active before the window when the summary holds a day of it before load_from. The
// same figures the raw ledger's GROUP BY gave (the integration tests' fixtures prove it).
Ledger load_ledger(db::Db& db, Day load_from, Day to, const std::optional<std::string>& only_site) {
  Ledger l;
  for (auto& item : catalog::store::report_items(db)) {
    auto id = item.id;
    l.items.emplace(std::move(id), std::move(item));
  }
  for (auto& loc : stock::list_locations(db)) {
    auto id = loc.id;
    l.locations.emplace(std::move(id), std::move(loc));
  }
  std::map<std::string, std::optional<std::string>> sites;  // location -> its site, once each
  auto site_for = [&](const std::string& location_id) -> const std::optional<std::string>& {
    auto it = sites.find(location_id);
    if (it == sites.end()) it = sites.emplace(location_id, site_of(l.locations, location_id)).first;
    return it->second;
  };
  // The series by item and site, looked up once per account and once per run of sales rows
  // of one item and location (the rows come in key order); -1: no series (not in the
  // catalog, or another site than the one asked for).
  std::unordered_map<std::string, std::ptrdiff_t> index;
  std::string key;
  auto series = [&](const std::string& item_id, const std::string& site_id) -> std::ptrdiff_t {
    if (only_site && *only_site != site_id) return -1;
    key.assign(item_id).append(1, '\n').append(site_id);
    auto found = index.find(key);
    if (found != index.end()) return found->second;
    auto item = l.items.find(item_id);
    if (item == l.items.end()) return -1;
    Series s;
    s.item_id = item_id;
    s.site_id = site_id;
    s.category = item->second.category;
    s.stocked = item->second.stocked;
    s.cost = item->second.cost;
    l.series.push_back(std::move(s));
    auto at = static_cast<std::ptrdiff_t>(l.series.size() - 1);
    index.emplace(key, at);
    return at;
  };
  // A series' day figures as read (each source in day order); sorted and merged at the end.
  std::vector<std::vector<DayFigures>> days;
  auto figures = [&](std::ptrdiff_t s) -> std::vector<DayFigures>& {
    if (days.size() < l.series.size()) days.resize(l.series.size());
    auto& v = days[static_cast<std::size_t>(s)];
    if (v.capacity() == 0) v.reserve(64);
    return v;
  };

  const int from_month = stock::month_of_day(load_from);
  auto balances = stock::account_balances(db, from_month);  // by account
  std::vector<std::int64_t> changed_since(balances.size(), 0);
  std::vector<char> moved_before(balances.size(), 0);
  std::vector<std::ptrdiff_t> series_of(balances.size(), -2);  // -2: not looked up yet
  for (std::size_t i = 0; i < balances.size(); ++i) moved_before[i] = balances[i].months_before ? 1 : 0;
  std::size_t at = 0;
  stock::each_stock_month(db, from_month, [&](std::int64_t account, int, std::string_view packed) {
    while (at < balances.size() && balances[at].account < account) ++at;
    if (at == balances.size() || balances[at].account != account) return;  // no balance: `backroom check` says so
    const auto& b = balances[at];
    const auto& site = site_for(b.location_id);
    for (const auto& d : stock::unpack_stock_days(packed)) {
      if (d.day < load_from) {
        moved_before[at] = 1;
        continue;
      }
      changed_since[at] += d.change_milli;
      if (d.day > to || !site) continue;
      if (series_of[at] == -2) series_of[at] = series(b.item_id, *site);
      auto s = series_of[at];
      if (s < 0) continue;
      if (*site == b.location_id) figures(s).push_back(DayFigures{d.day, d.change_milli, 0, 0});
      for (const auto& [reason, lost] : d.lost_milli)
        l.series[static_cast<std::size_t>(s)].shrink.push_back(ShrinkEntry{d.day, reason, lost});
    }
  });
  for (std::size_t i = 0; i < balances.size(); ++i) {
    if (!moved_before[i]) continue;
    const auto& b = balances[i];
    // Only a site's own stock is on hand for sale; bins (damaged, review...) are not.
    auto loc = l.locations.find(b.location_id);
    auto kind = loc != l.locations.end() ? stock::location_kinds.parse(loc->second.kind) : std::nullopt;
    if (!kind || !stock::is_site(*kind)) continue;
    auto s = series_of[i] == -2 ? series(b.item_id, b.location_id) : series_of[i];
    if (s < 0) continue;
    l.series[static_cast<std::size_t>(s)].active_before = true;
    l.series[static_cast<std::size_t>(s)].opening_milli = b.on_hand_milli - changed_since[i];
  }
  std::string location_id, item_id;
  std::ptrdiff_t run = -1;  // the series of the current run of rows (location_id, item_id)
  sales::each_sold_month(db, from_month, [&](std::string_view location, std::string_view item, int, std::string_view packed) {
    const bool same = location == location_id && item == item_id;
    if (!same) {
      location_id.assign(location);
      item_id.assign(item);
      run = -2;
    }
    const auto& site = site_for(location_id);
    if (!site) return;
    for (const auto& d : stock::unpack_sold_days(packed)) {
      if (d.day < load_from || d.day > to) continue;
      if (run == -2) run = series(item_id, *site);
      if (run < 0) return;
      figures(run).push_back(DayFigures{d.day, 0, d.sold_milli, d.net_sales});
    }
  });
  days.resize(l.series.size());
  for (std::size_t i = 0; i < l.series.size(); ++i) {
    auto& in = days[i];
    std::stable_sort(in.begin(), in.end(), [](const DayFigures& a, const DayFigures& b) { return a.day < b.day; });
    auto& out = l.series[i].days;
    out.reserve(in.size());
    for (const auto& f : in) {
      if (!out.empty() && out.back().day == f.day) {
        out.back().change_milli += f.change_milli;
        out.back().sold_milli += f.sold_milli;
        out.back().net_sales += f.net_sales;
      } else {
        out.push_back(f);
      }
    }
  }
  return l;
}

Day load_start(const Period& p) { return std::min(p.from, p.to - (days_of_supply_window_days - 1)); }

}  // namespace

KpiReport kpi_report(db::Db& db, const KpiQuery& query) {
  auto ledger = load_ledger(db, load_start(query.period), query.period.to, query.site_id);
  KpiAccumulator acc(query.grouping, query.period);
  for (const auto& s : ledger.series) acc.add(s);

  KpiReport r{query, {}, acc.total(), std::nullopt, {}, std::nullopt};  // the other rooms' figures: reports_api.cpp
  for (const auto& [key, totals] : acc.groups()) {
    KpiRow row{key, key, "", "", totals};
    if (query.grouping == Grouping::item) {
      const auto& item = ledger.items.at(key);
      row.sku = item.sku;
      row.name = item.name;
      row.label = item.sku + " " + item.name;
    } else if (query.grouping == Grouping::location) {
      row.name = ledger.locations.count(key) ? ledger.locations.at(key).name : key;
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

std::vector<WeekTotals> weekly_kpis(db::Db& db, Day to, int weeks, const std::optional<std::string>& site_id) {
  Period whole{to - 7 * weeks + 1, to};
  auto ledger = load_ledger(db, load_start(whole), to, site_id);
  std::vector<WeekTotals> out;
  for (int w = weeks - 1; w >= 0; --w) {
    Period p{to - 7 * w - 6, to - 7 * w};
    Totals t;
    t.period_days = p.days();
    for (const auto& s : ledger.series) add_series(t, s, p);
    out.push_back(WeekTotals{p, std::move(t)});
  }
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
