#include "planning/planning_store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "planning/history_csv.hpp"
#include "platform/assert.hpp"

namespace backroom::planning::store {

namespace bj = boost::json;

namespace {

using std::chrono::sys_days;

// Kept fits and forecast snapshots written in one statement.
constexpr std::size_t fits_per_insert = 100;
// Items asked of the database in one query when reading demand.
constexpr std::size_t demand_read_items_max = 1000;

// A row of demand_months holds the days of one calendar month (month = year * 100 + month) as
// `day:units[:flags]` entries joined by ';': the day of the month, milli-units, and `c`
// (censored) and/or `p` (promotion), `p` followed by the promotion's price in thousandths of
// the regular price when known, e.g. "3:2000;7:1000:c;12:4000:p750;30:-1000". Writers put the
// entries in day order, one per day; readers do not rely on the order, since migration 29's
// aggregate does not promise one.
int month_key(sys_days day) {
  std::chrono::year_month_day ymd{day};
  return static_cast<int>(ymd.year()) * 100 + static_cast<int>(static_cast<unsigned>(ymd.month()));
}

sys_days month_start(std::int64_t key) {
  return sys_days{std::chrono::year{static_cast<int>(key / 100)} / std::chrono::month{static_cast<unsigned>(key % 100)} /
                  1};
}

sys_days demand_day(const std::string& text) {
  auto day = parse_date(text);
  BR_ASSERT(day.has_value(), "a demand day is YYYY-MM-DD");
  return *day;
}

bool by_day(const DemandDay& a, const DemandDay& b) { return a.day < b.day; }

// Appends the days of a month's text that are on or after `from`.
void unpack_month(std::string_view text, std::int64_t month, sys_days from, std::vector<DemandDay>& out) {
  sys_days first = month_start(month);
  sys_days next = sys_days{std::chrono::year_month_day{first} + std::chrono::months{1}};
  std::size_t i = 0, n = text.size();
  auto number = [&](std::int64_t& value) {
    bool negative = i < n && text[i] == '-';
    if (negative) ++i;
    std::size_t digits = i;
    value = 0;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) value = value * 10 + (text[i] - '0');
    BR_ASSERT(i > digits && i - digits <= 18, "a packed demand figure is a number");
    if (negative) value = -value;
  };
  while (i < n) {
    std::int64_t day_of_month = 0, units = 0;
    number(day_of_month);
    BR_ASSERT(i < n && text[i] == ':', "a packed demand day is day:units");
    ++i;
    number(units);
    bool censored = false, promo = false;
    std::optional<std::int64_t> price_permille;
    if (i < n && text[i] == ':') {
      for (++i; i < n && text[i] != ';';) {
        BR_ASSERT(text[i] == 'c' || text[i] == 'p', "a packed demand flag is c or p");
        bool is_promo = text[i++] == 'p';
        (is_promo ? promo : censored) = true;
        if (is_promo && i < n && text[i] >= '0' && text[i] <= '9') {
          std::int64_t share = 0;
          number(share);
          price_permille = share;
        }
      }
    }
    BR_ASSERT(i == n || text[i] == ';', "packed demand days are joined by ';'");
    ++i;
    sys_days day = first + std::chrono::days{day_of_month - 1};
    BR_ASSERT(day_of_month >= 1 && day < next, "a packed demand day is a day of its month");
    if (day >= from) out.push_back(DemandDay{day, units, censored, promo, price_permille});
  }
}

std::vector<DemandDay> unpack_month(std::string_view text, std::int64_t month) {
  std::vector<DemandDay> out;
  unpack_month(text, month, sys_days{}, out);
  return out;
}

// Pre: `days` of one month, in day order, one per day.
std::string pack_month(std::span<const DemandDay> days) {
  std::string out;
  for (const auto& d : days) {
    if (!out.empty()) out += ';';
    out += std::to_string(static_cast<unsigned>(std::chrono::year_month_day{d.day}.day()));
    out += ':';
    out += std::to_string(d.units);
    if (d.censored || d.promo) out += ':';
    if (d.censored) out += 'c';
    if (d.promo) out += 'p';
    if (d.promo && d.price_permille) out += std::to_string(*d.price_permille);
  }
  return out;
}

// `older` with the days of `newer` put in: in day order, one per day, the later of a day winning.
std::vector<DemandDay> replace_days(std::vector<DemandDay> older, std::span<const DemandDay> newer) {
  older.insert(older.end(), newer.begin(), newer.end());
  std::stable_sort(older.begin(), older.end(), by_day);
  std::vector<DemandDay> out;
  for (const auto& d : older) {
    if (!out.empty() && out.back().day == d.day)
      out.back() = d;
    else
      out.push_back(d);
  }
  return out;
}

struct MonthKey {
  std::string location_id;
  std::string item_id;
  std::int64_t month = 0;
  auto operator<=>(const MonthKey&) const = default;
};

// Rows grouped by location, item and month, each group's days in input order.
std::map<MonthKey, std::vector<DemandDay>> by_month(const std::vector<DemandRow>& rows) {
  std::map<MonthKey, std::vector<DemandDay>> out;
  for (const auto& r : rows) {
    sys_days day = demand_day(r.day);
    out[MonthKey{r.location_id, r.item_id, month_key(day)}].push_back(
        DemandDay{day, r.units, r.censored, r.promo, r.price_permille});
  }
  return out;
}

void put_month(db::Db& db, const MonthKey& key, std::string_view source, const std::string& days) {
  db.query(
        "INSERT INTO demand_months (location_id, item_id, month, source, days) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (location_id, item_id, month, source) DO UPDATE SET days = excluded.days")
      .bind(1, key.location_id)
      .bind(2, key.item_id)
      .bind(3, key.month)
      .bind(4, source)
      .bind(5, days)
      .run();
}

}  // namespace

void replace_ledger_days(db::Db& db, const std::string& from_day, const std::vector<DemandRow>& rows) {
  db::assert_in_transaction(db);
  sys_days from = demand_day(from_day);
  std::int64_t from_month = month_key(from);
  auto months = by_month(rows);
  for (auto& [key, days] : months) {
    std::sort(days.begin(), days.end(), by_day);
    BR_ASSERT(days.front().day >= from, "ledger days replaced are on or after the first day replaced");
    BR_ASSERT(std::adjacent_find(days.begin(), days.end(), [](auto& a, auto& b) { return a.day == b.day; }) ==
                  days.end(),
              "one ledger row per location, item and day");
  }
  // The first month keeps its days before `from_day`: its rows are read, cut and written
  // back only when they changed (a daily refresh touches the items that moved).
  struct Cut {
    MonthKey key;
    std::string before;
    std::vector<DemandDay> kept;
  };
  std::vector<Cut> cuts;
  {
    auto q = db.query("SELECT location_id, item_id, days FROM demand_months WHERE source = 'ledger' AND month = ?");
    q.bind(1, from_month);
    while (q.step()) {
      Cut cut{MonthKey{q.text(0), q.text(1), from_month}, q.text(2), {}};
      unpack_month(cut.before, from_month, sys_days{}, cut.kept);
      std::erase_if(cut.kept, [&](const DemandDay& d) { return d.day >= from; });
      std::sort(cut.kept.begin(), cut.kept.end(), by_day);
      cuts.push_back(std::move(cut));
    }
  }
  for (auto& cut : cuts) {
    if (auto fresh = months.find(cut.key); fresh != months.end()) {
      cut.kept.insert(cut.kept.end(), fresh->second.begin(), fresh->second.end());
      months.erase(fresh);
    }
    std::string after = pack_month(cut.kept);
    if (after == cut.before) continue;
    if (after.empty())
      db.query(
            "DELETE FROM demand_months WHERE location_id = ? AND item_id = ? AND month = ? AND source = 'ledger'")
          .bind(1, cut.key.location_id)
          .bind(2, cut.key.item_id)
          .bind(3, from_month)
          .run();
    else
      put_month(db, cut.key, "ledger", after);
  }
  db.query("DELETE FROM demand_months WHERE source = 'ledger' AND month > ?").bind(1, from_month).run();
  for (const auto& [key, days] : months) put_month(db, key, "ledger", pack_month(days));
}

void put_import_days(db::Db& db, const std::vector<DemandRow>& rows) {
  db::assert_in_transaction(db);
  auto months = by_month(rows);
  // What is already imported for these items, read in one query (not one per month).
  std::map<MonthKey, std::string> before;
  {
    std::set<std::string_view> items;
    for (const auto& [key, days] : months) items.insert(key.item_id);
    bj::array wanted(items.begin(), items.end());
    auto q = db.query(
        "SELECT location_id, item_id, month, days FROM demand_months "
        "WHERE source = 'import' AND item_id IN (SELECT value FROM json_each(?))");
    q.bind(1, bj::serialize(wanted));
    while (q.step()) {
      MonthKey key{q.text(0), q.text(1), q.int64(2)};
      if (months.contains(key)) before.emplace(std::move(key), q.text(3));
    }
  }
  std::set<std::string_view> locations;
  for (const auto& [key, days] : months) {
    locations.insert(key.location_id);
    auto old = before.find(key);
    auto merged = replace_days(old == before.end() ? std::vector<DemandDay>{} : unpack_month(old->second, key.month),
                               days);
    put_month(db, key, "import", pack_month(merged));
  }
  for (auto location_id : locations) drop_fits_at(db, std::string(location_id));
}

void each_item_demand_at(db::Db& db, const std::string& location_id, const std::vector<std::string>& item_ids,
                         sys_days from, const DemandEachItem& each) {
  // Rows arrive in key order, item then month; a month's ledger and imported rows are merged
  // here, not by SQL (grouping in SQLite cost ten times the reading, docs/performance.md).
  auto read = [&](db::Query& q) {
    std::string item;
    std::vector<DemandDay> days;  // the item's, up to the month being read
    std::size_t month_begin = 0;  // where that month's days start
    std::int64_t month = 0;
    bool open = false;
    auto close_month = [&] {
      auto first = days.begin() + static_cast<std::ptrdiff_t>(month_begin);
      if (std::adjacent_find(first, days.end(), [](auto& a, auto& b) { return a.day >= b.day; }) == days.end()) return;
      std::stable_sort(first, days.end(), by_day);
      auto kept = first;
      for (auto d = std::next(first); d != days.end(); ++d) {
        if (d->day == kept->day) {
          kept->units += d->units;
          kept->censored = kept->censored || d->censored;
          kept->promo = kept->promo || d->promo;
          if (!kept->price_permille) kept->price_permille = d->price_permille;
        } else {
          *++kept = *d;
        }
      }
      days.erase(std::next(kept), days.end());
    };
    while (q.step()) {
      auto row_item = q.text_view(0);
      std::int64_t row_month = q.int64(1);
      if (!open || row_item != item) {
        if (open) {
          close_month();
          if (!days.empty()) each(item, days);
        }
        item.assign(row_item);
        days.clear();
        month_begin = 0;
        month = row_month;
        open = true;
      } else if (row_month != month) {
        close_month();
        month_begin = days.size();
        month = row_month;
      }
      unpack_month(q.text_view(2), row_month, from, days);
    }
    if (open) {
      close_month();
      if (!days.empty()) each(item, days);
    }
  };
  if (item_ids.empty()) {
    auto q = db.query(
        "SELECT item_id, month, days FROM demand_months WHERE location_id = ? AND month >= ? ORDER BY item_id, month");
    q.bind(1, location_id).bind(2, month_key(from));
    read(q);
  } else {
    // The ids in order, a share at a time: the database sorts each share's rows in memory (one
    // sort of a supplier's 100,000 items spilled to disk on PostgreSQL) and the shares follow
    // each other in item order.
    std::vector<std::string_view> ids(item_ids.begin(), item_ids.end());
    if (!std::is_sorted(ids.begin(), ids.end())) std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (std::size_t at = 0; at < ids.size(); at += demand_read_items_max) {
      auto share = std::span(ids).subspan(at, std::min(demand_read_items_max, ids.size() - at));
      bj::array wanted(share.begin(), share.end());
      auto q = db.query(
          "SELECT item_id, month, days FROM demand_months "
          "WHERE location_id = ? AND month >= ? AND item_id IN (SELECT value FROM json_each(?)) "
          "ORDER BY item_id, month");
      q.bind(1, location_id).bind(2, month_key(from)).bind(3, bj::serialize(wanted));
      read(q);
    }
  }
}

std::vector<DemandRow> demand_at(db::Db& db, const std::string& location_id, const std::vector<std::string>& item_ids,
                                 const std::string& from_day) {
  std::vector<DemandRow> out;
  each_item_demand_at(db, location_id, item_ids, demand_day(from_day),
                      [&](std::string_view item, std::span<const DemandDay> days) {
                        for (const auto& d : days)
                          out.push_back(DemandRow{location_id, std::string(item), format_date(d.day), d.units,
                                                  d.censored, d.promo, d.price_permille});
                      });
  return out;
}

std::vector<ServiceLevel> service_levels(db::Db& db) {
  std::vector<ServiceLevel> out;
  auto q = db.query("SELECT scope, key, service_level_bp FROM planning_service_levels ORDER BY scope, key");
  while (q.step()) out.push_back({q.text(0), q.text(1), q.int64(2)});
  return out;
}

void put_service_level(db::Db& db, const std::string& scope, const std::string& key,
                       std::optional<std::int64_t> service_level_bp, std::int64_t at, const std::string& by) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM planning_service_levels WHERE scope = ? AND key = ?").bind(1, scope).bind(2, key).run();
  if (!service_level_bp) return;
  db.query(
        "INSERT INTO planning_service_levels (scope, key, service_level_bp, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?)")
      .bind(1, scope)
      .bind(2, key)
      .bind(3, *service_level_bp)
      .bind(4, at)
      .bind(5, by)
      .run();
}

std::vector<ReorderPoint> reorder_points(db::Db& db, const std::string& location_id) {
  std::vector<ReorderPoint> out;
  auto q = db.query(
      "SELECT item_id, location_id, reorder_point FROM planning_reorder_points "
      "WHERE location_id = ? OR ? = '' ORDER BY location_id, item_id");
  q.bind(1, location_id).bind(2, location_id);
  while (q.step()) out.push_back({q.text(0), q.text(1), q.int64(2)});
  return out;
}

void put_reorder_point(db::Db& db, const std::string& item_id, const std::string& location_id,
                       std::optional<std::int64_t> reorder_point, std::int64_t at, const std::string& by) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM planning_reorder_points WHERE item_id = ? AND location_id = ?")
      .bind(1, item_id)
      .bind(2, location_id)
      .run();
  if (!reorder_point) return;
  db.query(
        "INSERT INTO planning_reorder_points (item_id, location_id, reorder_point, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?)")
      .bind(1, item_id)
      .bind(2, location_id)
      .bind(3, *reorder_point)
      .bind(4, at)
      .bind(5, by)
      .run();
}

void replace_prepared(db::Db& db, const std::string& location_id, const std::string& supplier_id,
                      const std::vector<PreparedRow>& rows, std::int64_t at) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM prepared_suggestions WHERE location_id = ? AND supplier_id = ?")
      .bind(1, location_id)
      .bind(2, supplier_id)
      .run();
  for (const auto& r : rows)
    db.query(
          "INSERT INTO prepared_suggestions (location_id, supplier_id, item_id, quantity, suggestion, prepared_at) "
          "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, location_id)
        .bind(2, supplier_id)
        .bind(3, r.item_id)
        .bind(4, r.quantity)
        .bind(5, r.suggestion)
        .bind(6, at)
        .run();
}

std::optional<std::int64_t> prepared_at(db::Db& db, const std::string& location_id, const std::string& supplier_id) {
  auto q = db.query("SELECT MAX(prepared_at) FROM prepared_suggestions WHERE location_id = ? AND supplier_id = ?");
  q.bind(1, location_id).bind(2, supplier_id);
  if (!q.step()) return std::nullopt;
  return q.opt_int64(0);
}

std::vector<KeptFit> kept_fits(db::Db& db, const std::string& location_id, const std::string& supplier_id) {
  std::vector<KeptFit> out;
  auto q = db.query(
      "SELECT item_id, category, fitted_on, fitted_at, forecast FROM planning_fits "
      "WHERE location_id = ? AND supplier_id = ? ORDER BY item_id");
  q.bind(1, location_id).bind(2, supplier_id);
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.int64(3), q.text(4)});
  return out;
}

void keep_fits(db::Db& db, const std::string& location_id, const std::string& supplier_id,
               const std::string& fitted_on, const std::vector<KeptFit>& fits) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM planning_fits WHERE location_id = ? AND supplier_id = ? AND fitted_on <= ?")
      .bind(1, location_id)
      .bind(2, supplier_id)
      .bind(3, fitted_on)
      .run();
  for (std::size_t at = 0; at < fits.size(); at += fits_per_insert) {
    std::size_t n = std::min(fits_per_insert, fits.size() - at);
    std::string sql =
        "INSERT INTO planning_fits (location_id, supplier_id, item_id, category, fitted_on, fitted_at, forecast) VALUES ";
    for (std::size_t i = 0; i < n; ++i) sql += i ? ", (?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?)";
    sql += " ON CONFLICT (location_id, supplier_id, item_id) DO NOTHING";
    auto q = db.query(sql);
    int p = 1;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& f = fits[at + i];
      BR_ASSERT(f.fitted_on == fitted_on, "the fits kept together were fitted on the same day");
      q.bind(p, location_id);
      q.bind(p + 1, supplier_id);
      q.bind(p + 2, f.item_id);
      q.bind(p + 3, f.category);
      q.bind(p + 4, f.fitted_on);
      q.bind(p + 5, f.fitted_at);
      q.bind(p + 6, f.forecast);
      p += 7;
    }
    q.run();
  }
}

void drop_fits_at(db::Db& db, const std::string& location_id) {
  db::assert_in_transaction(db);
  db.query("DELETE FROM planning_fits WHERE location_id = ?").bind(1, location_id).run();
}

void put_snapshots(db::Db& db, const std::vector<Snapshot>& snapshots, std::int64_t at) {
  db::assert_in_transaction(db);
  for (std::size_t first = 0; first < snapshots.size(); first += fits_per_insert) {
    std::size_t n = std::min(fits_per_insert, snapshots.size() - first);
    std::string sql = "INSERT INTO forecast_snapshots (location_id, item_id, week_start, category, forecast, made_at) VALUES ";
    for (std::size_t i = 0; i < n; ++i) sql += i ? ", (?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?)";
    sql +=
        " ON CONFLICT (location_id, item_id, week_start) DO UPDATE SET category = excluded.category, "
        "forecast = excluded.forecast, made_at = excluded.made_at";
    auto q = db.query(sql);
    int p = 1;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& s = snapshots[first + i];
      q.bind(p, s.location_id);
      q.bind(p + 1, s.item_id);
      q.bind(p + 2, s.week_start);
      q.bind(p + 3, s.category);
      q.bind(p + 4, s.forecast);
      q.bind(p + 5, at);
      p += 6;
    }
    q.run();
  }
}

std::vector<Snapshot> snapshots(db::Db& db, const std::string& from_week, const std::string& to_week) {
  std::vector<Snapshot> out;
  auto q = db.query(
      "SELECT location_id, item_id, week_start, category, forecast FROM forecast_snapshots "
      "WHERE week_start >= ? AND week_start <= ? ORDER BY week_start, category, location_id, item_id");
  q.bind(1, from_week).bind(2, to_week);
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.int64(4)});
  return out;
}

}  // namespace backroom::planning::store
