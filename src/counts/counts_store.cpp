// Counts' SQL and commands (counts_store.hpp). Other rooms' data comes through their
// functions: items and costs from catalog, sales and balances from stock, a supplier's
// items from purchasing, settings from platform.
#include "counts/counts_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "access/audit.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/settings.hpp"
#include "purchasing/supplier_store.hpp"
#include "stock/consumption.hpp"
#include "stock/stock.hpp"

namespace backroom::counts {

namespace bj = boost::json;

namespace {

constexpr std::string_view settings_key = "counts";
constexpr std::int64_t micros_per_day = 86'400'000'000;
constexpr std::int64_t counted_at_future_slack_micros = 5 * 60 * 1'000'000;  // a phone's clock may run ahead
constexpr std::int64_t recent_variance_days = 30;

bj::object thresholds_json(const Thresholds& t) {
  return bj::object{{"units", json::quantity_value(Quantity{t.units_milli})}, {"percent", t.percent}, {"value", t.value}};
}

Thresholds thresholds_from(const bj::object& o, const std::string& path) {
  json::Fields f{o, path};
  f.only({"units", "percent", "value"});
  Thresholds t;
  t.units_milli = f.quantity("units").milli;
  if (t.units_milli < 0) throw invalid_field(f.name("units"), "units must not be negative");
  t.percent = static_cast<int>(f.integer("percent", 0, 1000));
  t.value = f.money("value");
  return t;
}

}  // namespace

// ---- settings ----

boost::json::object settings_to_json(const CountSettings& s) {
  bj::array days(s.working_days.weekdays.begin(), s.working_days.weekdays.end());
  return bj::object{
      {"cutoffs", bj::object{{"a_percent", s.cutoffs.a_percent}, {"b_percent", s.cutoffs.b_percent}}},
      {"frequencies",
       bj::object{{"A", s.frequencies.a_per_year}, {"B", s.frequencies.b_per_year}, {"C", s.frequencies.c_per_year}}},
      {"working_days", std::move(days)},
      {"thresholds", bj::object{{"A", thresholds_json(s.thresholds.a)},
                                {"B", thresholds_json(s.thresholds.b)},
                                {"C", thresholds_json(s.thresholds.c)}}}};
}

CountSettings settings_from_json(const boost::json::object& body) {
  json::Fields f{body, ""};
  f.only({"cutoffs", "frequencies", "working_days", "thresholds"});
  CountSettings s;
  auto* cutoffs = f.opt_object("cutoffs");
  if (!cutoffs) throw missing_field("cutoffs");
  json::Fields cf{*cutoffs, "cutoffs"};
  cf.only({"a_percent", "b_percent"});
  s.cutoffs.a_percent = static_cast<int>(cf.integer("a_percent", 1, 100));
  s.cutoffs.b_percent = static_cast<int>(cf.integer("b_percent", 0, 100));
  if (s.cutoffs.a_percent + s.cutoffs.b_percent > 100)
    throw invalid_field("cutoffs.b_percent", "a_percent + b_percent is at most 100");
  auto* freq = f.opt_object("frequencies");
  if (!freq) throw missing_field("frequencies");
  json::Fields ff{*freq, "frequencies"};
  ff.only({"A", "B", "C"});
  int* slots[] = {&s.frequencies.a_per_year, &s.frequencies.b_per_year, &s.frequencies.c_per_year};
  const char* names[] = {"A", "B", "C"};
  for (int i = 0; i < 3; ++i) {
    *slots[i] = static_cast<int>(ff.integer(names[i], 1, 12));
    if (!valid_frequency(*slots[i]))
      throw invalid_field(ff.name(names[i]), "counts per year is 1, 2, 3, 4, 6 or 12 (a cycle of whole months)");
  }
  auto* days = f.opt_array("working_days");
  if (!days) throw missing_field("working_days");
  s.working_days.weekdays.clear();
  for (std::size_t i = 0; i < days->size(); ++i) {
    const auto& v = (*days)[i];
    if (!v.is_int64() || v.as_int64() < 1 || v.as_int64() > 7)
      throw invalid_field(fmt::format("working_days[{}]", i), "a working day is an ISO weekday, 1 (Monday) to 7 (Sunday)");
    int d = static_cast<int>(v.as_int64());
    if (std::find(s.working_days.weekdays.begin(), s.working_days.weekdays.end(), d) == s.working_days.weekdays.end())
      s.working_days.weekdays.push_back(d);
  }
  if (s.working_days.weekdays.empty()) throw invalid_field("working_days", "at least one working day");
  std::sort(s.working_days.weekdays.begin(), s.working_days.weekdays.end());
  auto* thresholds = f.opt_object("thresholds");
  if (!thresholds) throw missing_field("thresholds");
  json::Fields tf{*thresholds, "thresholds"};
  tf.only({"A", "B", "C"});
  Thresholds* tslots[] = {&s.thresholds.a, &s.thresholds.b, &s.thresholds.c};
  for (int i = 0; i < 3; ++i) {
    auto* o = tf.opt_object(names[i]);
    if (!o) throw missing_field(tf.name(names[i]));
    *tslots[i] = thresholds_from(*o, tf.name(names[i]));
  }
  return s;
}

CountSettings load_settings(db::Db& db) {
  auto stored = settings::get(db, std::string(settings_key));
  if (!stored) return CountSettings{};
  return settings_from_json(settings::parse_object(*stored));
}

void save_settings(db::Db& db, const Actor& actor, const CountSettings& s) {
  auto before = bj::serialize(settings_to_json(load_settings(db)));
  auto after = bj::serialize(settings_to_json(s));
  settings::put(db, std::string(settings_key), after);
  append_audit(db, actor, AuditEntry{"settings.counts", "settings", "counts", before, after});
  append_event(db, "settings.changed", "counts", after);
}

// ---- ABC classes ----

std::optional<ClassRun> class_run(db::Db& db, const std::string& location_id) {
  auto q = db.query(
      "SELECT computed_at, total_value, items, a_percent, b_percent FROM count_class_runs WHERE location_id = ?");
  q.bind(1, location_id);
  if (!q.step()) return std::nullopt;
  return ClassRun{q.int64(0), q.int64(1), q.int64(2),
                  Cutoffs{static_cast<int>(q.int64(3)), static_cast<int>(q.int64(4))}};
}

bool classes_stale(db::Db& db, const std::string& location_id, Timestamp at) {
  auto run = class_run(db, location_id);
  return !run || at.micros - run->computed_at > classes_stale_after_days * micros_per_day;
}

namespace {

std::map<std::string, CountClass> load_pins(db::Db& db, const std::string& location_id) {
  std::map<std::string, CountClass> pins;
  auto q = db.query("SELECT item_id, class FROM count_class_pins WHERE location_id = ?");
  q.bind(1, location_id);
  while (q.step()) pins[q.text(0)] = count_classes.stored(q.text(1));
  return pins;
}

}  // namespace

ClassRun recompute_classes(db::Db& db, const Actor& actor, const std::string& location_id, Timestamp at) {
  stock::require_location(db, location_id, "location_id");
  auto settings = load_settings(db);
  // The last 12 calendar months counting this one (so far): whole months, as the ledger's
  // sales are kept per month (stock/consumption.hpp).
  int first_month = stock::add_months(stock::sold_month(at), -(consumption_months - 1));
  Timestamp from = stock::start_of_month(first_month);
  std::unordered_map<std::string, std::int64_t> sold;
  for (auto& [item, units] : stock::units_sold_by_item(db, location_id, first_month)) sold[item] = units.milli;
  std::vector<ItemValue> values;
  for (const auto& item : catalog::store::stocked_items(db)) {
    auto s = sold.find(item.id);
    std::int64_t units = s == sold.end() ? 0 : s->second;
    values.push_back(ItemValue{item.id, units, consumption_value(units, item.unit_cost.value_or(0))});
  }
  auto classified = classify(std::move(values), settings.cutoffs, load_pins(db, location_id));
  ClassRun run{at.micros, 0, static_cast<std::int64_t>(classified.size()), settings.cutoffs};
  db.query("DELETE FROM count_classes WHERE location_id = ?").bind(1, location_id).run();
  // Written in key order: each insert lands beside the last one in the table's b-tree (in
  // value order it cost about twice as much, docs/performance.md).
  std::sort(classified.begin(), classified.end(),
            [](const Classified& a, const Classified& b) { return a.item_id < b.item_id; });
  // 100 rows a statement: one statement's start and finish over 100 rows, not each.
  constexpr std::size_t rows_per_insert = 100;
  auto insert_text = [](std::size_t rows) {
    std::string sql = "INSERT INTO count_classes (location_id, item_id, class, units_sold, value, pinned) VALUES ";
    for (std::size_t i = 0; i < rows; ++i) sql += i == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)";
    return sql;
  };
  const std::string full_insert = insert_text(rows_per_insert);
  for (std::size_t first = 0; first < classified.size(); first += rows_per_insert) {
    std::size_t rows = std::min(rows_per_insert, classified.size() - first);
    auto q = db.query(rows == rows_per_insert ? full_insert : insert_text(rows));
    for (std::size_t i = 0; i < rows; ++i) {
      const auto& c = classified[first + i];
      run.total_value += c.value;
      int p = static_cast<int>(i) * 6;
      q.bind(p + 1, location_id)
          .bind(p + 2, c.item_id)
          .bind(p + 3, word(c.count_class))
          .bind(p + 4, c.units_sold)
          .bind(p + 5, c.value)
          .bind(p + 6, c.pinned ? 1 : 0);
    }
    q.run();
  }
  db.query("DELETE FROM count_class_runs WHERE location_id = ?").bind(1, location_id).run();
  db.query(
        "INSERT INTO count_class_runs (location_id, computed_at, period_from, period_to, a_percent, b_percent, "
        "total_value, items) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, location_id)
      .bind(2, at.micros)
      .bind(3, from.micros)
      .bind(4, at.micros)
      .bind(5, settings.cutoffs.a_percent)
      .bind(6, settings.cutoffs.b_percent)
      .bind(7, run.total_value)
      .bind(8, run.items)
      .run();
  auto sizes = class_sizes(db, location_id);
  auto text = bj::serialize(bj::object{{"location_id", location_id},
                                       {"items", run.items},
                                       {"total_value", run.total_value},
                                       {"A", sizes["A"]},
                                       {"B", sizes["B"]},
                                       {"C", sizes["C"]}});
  append_audit(db, actor, AuditEntry{"counts.classes", "location", location_id, std::nullopt, text});
  append_event(db, "counts.classes_computed", location_id, text);
  return run;
}

std::vector<ClassRow> list_classes(db::Db& db, const std::string& location_id, std::optional<CountClass> only,
                                   int offset, int limit) {
  std::vector<ClassRow> out;
  auto q = db.query(
      "SELECT item_id, class, units_sold, value, pinned FROM count_classes WHERE location_id = ? AND (? = '' OR class = ?) "
      "ORDER BY value DESC, item_id LIMIT ? OFFSET ?");
  std::string cls = only ? std::string(word(*only)) : std::string();
  q.bind(1, location_id).bind(2, cls).bind(3, cls).bind(4, limit).bind(5, offset);
  while (q.step())
    out.push_back(ClassRow{q.text(0), count_classes.stored(q.text(1)), q.int64(2), q.int64(3), q.int64(4) != 0});
  return out;
}

std::map<std::string, std::int64_t> class_sizes(db::Db& db, const std::string& location_id) {
  std::map<std::string, std::int64_t> out{{"A", 0}, {"B", 0}, {"C", 0}};
  auto q = db.query("SELECT class, COUNT(*) FROM count_classes WHERE location_id = ? GROUP BY class");
  q.bind(1, location_id);
  while (q.step()) out[q.text(0)] = q.int64(1);
  return out;
}

void pin_class(db::Db& db, const Actor& actor, const std::string& location_id, const std::string& item_id,
               std::optional<CountClass> pinned) {
  stock::require_location(db, location_id, "location_id");
  if (!catalog::store::item_kind(db, item_id)) throw not_found("item", item_id);
  auto pins = load_pins(db, location_id);
  auto before = pins.count(item_id) ? bj::value(word(pins[item_id])) : bj::value(nullptr);
  db.query("DELETE FROM count_class_pins WHERE location_id = ? AND item_id = ?").bind(1, location_id).bind(2, item_id).run();
  if (pinned) {
    db.query("INSERT INTO count_class_pins (location_id, item_id, class, pinned_at, pinned_by) VALUES (?, ?, ?, ?, ?)")
        .bind(1, location_id)
        .bind(2, item_id)
        .bind(3, word(*pinned))
        .bind(4, now().micros)
        .bind(5, actor.user)
        .run();
    db.query("UPDATE count_classes SET class = ?, pinned = 1 WHERE location_id = ? AND item_id = ?")
        .bind(1, word(*pinned))
        .bind(2, location_id)
        .bind(3, item_id)
        .run();
  } else {
    db.query("UPDATE count_classes SET pinned = 0 WHERE location_id = ? AND item_id = ?")
        .bind(1, location_id)
        .bind(2, item_id)
        .run();
  }
  auto after = pinned ? bj::value(word(*pinned)) : bj::value(nullptr);
  auto entity = location_id + "/" + item_id;
  append_audit(db, actor,
               AuditEntry{"counts.pin", "count_class", entity, bj::serialize(bj::object{{"class", before}}),
                          bj::serialize(bj::object{{"class", after}})});
  append_event(db, "counts.class_pinned", item_id,
               bj::serialize(bj::object{{"location_id", location_id}, {"item_id", item_id}, {"class", after}}));
}

// ---- the daily list ----

std::vector<DueItem> due_items(db::Db& db, const std::string& location_id, Date day) {
  auto settings = load_settings(db);
  std::map<CountClass, std::vector<std::string>> by_class;
  auto q = db.query("SELECT class, item_id FROM count_classes WHERE location_id = ? ORDER BY class, item_id");
  q.bind(1, location_id);
  while (q.step()) by_class[count_classes.stored(q.text(0))].push_back(q.text(1));
  std::vector<DueItem> out;
  for (auto& [cls, items] : by_class)
    for (auto& item : due_on(items, settings.frequencies.per_year(cls), settings.working_days, day))
      out.push_back(DueItem{std::move(item), cls});
  return out;
}

// ---- counts ----

namespace {

struct LineRow {
  std::string id;
  std::int64_t line_no = 0;
  std::string item_id;
  CountClass count_class = CountClass::c;
  std::optional<std::int64_t> counted, counted_at, expected, variance, unit_cost, within_tolerance;
  std::optional<std::string> reason;
};

struct EntryRow {
  std::string id, line_id;
  std::int64_t counted = 0, counted_at = 0;
  std::string counter, counter_id;
  std::optional<std::string> photo_id;
  std::int64_t created_at = 0;
};

struct CountRow {
  std::string id, location_id, kind;
  std::optional<std::string> plan_date;
  std::string status, request_hash;
  std::int64_t created_at = 0;
  std::string created_by;
  std::optional<std::int64_t> approved_at;
  std::optional<std::string> approved_by;
};

std::optional<CountRow> count_row(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, location_id, kind, plan_date, status, request_hash, created_at, created_by, approved_at, approved_by "
      "FROM counts WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return CountRow{q.text(0),      q.text(1),      q.text(2),     q.opt_text(3),      q.text(4),
                  q.text(5),      q.int64(6),     q.text(7),     q.opt_int64(8),     q.opt_text(9)};
}

std::vector<LineRow> line_rows(db::Db& db, const std::string& count_id) {
  std::vector<LineRow> out;
  auto q = db.query(
      "SELECT id, line_no, item_id, class, counted, counted_at, expected, variance, unit_cost, within_tolerance, reason "
      "FROM count_lines WHERE count_id = ? ORDER BY line_no");
  q.bind(1, count_id);
  while (q.step())
    out.push_back(LineRow{q.text(0), q.int64(1), q.text(2), count_classes.stored(q.text(3)), q.opt_int64(4),
                          q.opt_int64(5), q.opt_int64(6), q.opt_int64(7), q.opt_int64(8), q.opt_int64(9),
                          q.opt_text(10)});
  return out;
}

// Entries by line id, oldest first.
std::map<std::string, std::vector<EntryRow>> entry_rows(db::Db& db, const std::string& count_id) {
  std::map<std::string, std::vector<EntryRow>> out;
  auto q = db.query(
      "SELECT id, line_id, counted, counted_at, counter, counter_id, photo_id, created_at FROM count_entries "
      "WHERE count_id = ? ORDER BY created_at, id");
  q.bind(1, count_id);
  while (q.step()) {
    EntryRow e{q.text(0), q.text(1), q.int64(2), q.int64(3), q.text(4), q.text(5), q.opt_text(6), q.int64(7)};
    out[e.line_id].push_back(std::move(e));
  }
  return out;
}

// Who a person is for separation of duties: their user id, else (system, CLI) their name.
std::string person_of(const Actor& a) { return a.user_id.empty() ? a.user : a.user_id; }

// A line as it stands: its final entry (the last), the ledger as of that entry's
// counted_at, and whether it needs a recount (one entry, over tolerance).
struct LineState {
  const LineRow* line = nullptr;
  const std::vector<EntryRow>* entries = nullptr;
  std::optional<std::int64_t> counted, counted_at, expected, unit_cost;
  bool flagged = false;  // the final entry is over tolerance
  bool needs_recount = false;
  std::int64_t variance() const { return counted && expected ? *counted - *expected : 0; }
};

std::vector<LineState> line_states(db::Db& db, const CountRow& count, const std::vector<LineRow>& lines,
                                   const std::map<std::string, std::vector<EntryRow>>& entries,
                                   const CountSettings& settings) {
  static const std::vector<EntryRow> none;
  std::vector<LineState> out;
  for (const auto& l : lines) {
    LineState s;
    s.line = &l;
    auto e = entries.find(l.id);
    s.entries = e == entries.end() ? &none : &e->second;
    if (l.counted) {  // approved: the figures kept then
      s.counted = l.counted;
      s.counted_at = l.counted_at;
      s.expected = l.expected;
      s.unit_cost = l.unit_cost;
      s.flagged = l.within_tolerance && *l.within_tolerance == 0;
    } else if (!s.entries->empty()) {
      const auto& last = s.entries->back();
      s.counted = last.counted;
      s.counted_at = last.counted_at;
      s.expected = stock::balance_as_of(db, l.item_id, count.location_id, Timestamp{last.counted_at}).on_hand.milli;
      s.unit_cost = catalog::store::unit_cost(db, l.item_id);
      s.flagged = over_tolerance(*s.counted, *s.expected, s.unit_cost.value_or(0), settings.thresholds.of(l.count_class));
      s.needs_recount = s.flagged && s.entries->size() == 1;
    }
    out.push_back(s);
  }
  return out;
}

std::string line_status(const LineState& s) {
  if (s.entries->empty() && !s.counted) return "to_count";
  if (s.needs_recount) return "recount";
  if (s.entries->size() > 1) return "recounted";
  return "counted";
}

bj::value opt_quantity(const std::optional<std::int64_t>& v) {
  return v ? json::quantity_value(Quantity{*v}) : bj::value(nullptr);
}
bj::value opt_time(const std::optional<std::int64_t>& v) {
  return v ? bj::value(format_rfc3339(Timestamp{*v})) : bj::value(nullptr);
}

bj::object count_json(db::Db& db, const CountRow& count, const Actor& viewer, bool reveal) {
  auto lines = line_rows(db, count.id);
  auto entries = entry_rows(db, count.id);
  auto settings = load_settings(db);
  auto states = line_states(db, count, lines, entries, settings);
  std::vector<std::string> ids;
  for (const auto& l : lines) ids.push_back(l.item_id);
  auto heads = catalog::store::item_heads(db, ids);
  auto location = stock::load_location(db, count.location_id);
  std::string me = person_of(viewer);
  bj::array out_lines;
  std::size_t counted = 0, exact = 0;
  bool any_recount = false;
  for (const auto& s : states) {
    const auto& l = *s.line;
    const auto& h = heads[l.item_id];
    bj::object o{{"id", l.id},       {"item_id", l.item_id}, {"sku", h.sku},
                 {"name", h.name},   {"category", h.category}, {"status", line_status(s)}};
    bj::value mine = nullptr;
    for (const auto& e : *s.entries)
      if (e.counter_id == me) mine = json::quantity_value(Quantity{e.counted});
    o["counted_by_me"] = mine;
    if (s.counted) {
      ++counted;
      if (s.variance() == 0) ++exact;
    }
    any_recount = any_recount || s.needs_recount;
    if (reveal) {
      o["class"] = word(l.count_class);
      bj::array es;
      for (std::size_t i = 0; i < s.entries->size(); ++i) {
        const auto& e = (*s.entries)[i];
        es.push_back(bj::object{{"id", e.id},
                                {"counted", json::quantity_value(Quantity{e.counted})},
                                {"counted_at", format_rfc3339(Timestamp{e.counted_at})},
                                {"counter", e.counter},
                                {"recount", i > 0},
                                {"photo_id", e.photo_id ? bj::value(*e.photo_id) : bj::value(nullptr)}});
      }
      o["entries"] = std::move(es);
      o["counted"] = opt_quantity(s.counted);
      o["counted_at"] = opt_time(s.counted_at);
      o["expected"] = opt_quantity(s.expected);
      o["variance"] = s.counted ? json::quantity_value(Quantity{s.variance()}) : bj::value(nullptr);
      o["variance_value"] = s.counted && s.unit_cost
                                ? bj::value(consumption_value(s.variance() < 0 ? -s.variance() : s.variance(), *s.unit_cost) *
                                            (s.variance() < 0 ? -1 : 1))
                                : bj::value(nullptr);
      o["flagged"] = s.flagged;
      o["needs_recount"] = s.needs_recount;
      o["reason"] = l.reason ? bj::value(*l.reason) : bj::value(nullptr);
    }
    out_lines.push_back(std::move(o));
  }
  bj::object doc{{"id", count.id},
                 {"location_id", count.location_id},
                 {"location_name", location ? location->name : std::string()},
                 {"kind", count.kind},
                 {"plan_date", count.plan_date ? bj::value(*count.plan_date) : bj::value(nullptr)},
                 {"status", count.status},
                 {"created_at", format_rfc3339(Timestamp{count.created_at})},
                 {"created_by", count.created_by},
                 {"approved_at", opt_time(count.approved_at)},
                 {"approved_by", count.approved_by ? bj::value(*count.approved_by) : bj::value(nullptr)},
                 {"lines_total", lines.size()},
                 {"lines_counted", counted},
                 {"lines", std::move(out_lines)}};
  // Once every line is counted, the counter may learn whether the count was perfect (every
  // line matched the books exactly); never which line or by how much.
  doc["perfect"] = counted == lines.size() && !lines.empty() ? bj::value(exact == counted && !any_recount)
                                                             : bj::value(nullptr);
  return doc;
}

std::vector<std::string> plan_items(db::Db& db, const CreateCount& in) {
  switch (in.kind) {
    case CountKind::plan: {
      std::vector<std::string> out;
      for (auto& d : due_items(db, in.location_id, in.plan_date)) out.push_back(std::move(d.item_id));
      return out;
    }
    case CountKind::items: {
      auto heads = catalog::store::item_heads(db, in.item_ids);
      for (std::size_t i = 0; i < in.item_ids.size(); ++i)
        if (!heads.count(in.item_ids[i]))
          throw invalid_field(fmt::format("item_ids[{}]", i), fmt::format("item '{}' does not exist", in.item_ids[i]));
      return in.item_ids;
    }
    case CountKind::supplier: {
      if (!purchasing::load_supplier(db, in.supplier_id))
        throw invalid_field("supplier_id", fmt::format("supplier '{}' does not exist", in.supplier_id));
      std::vector<std::string> out;
      for (auto& si : purchasing::supplier_items(db, in.supplier_id, "", static_cast<int>(count_items_max)))
        out.push_back(std::move(si.item_id));
      if (out.size() > count_items_max) out.resize(count_items_max);
      return out;
    }
    case CountKind::negative: return stock::negative_items(db, in.location_id);
    case CountKind::variance: {
      std::vector<std::string> out;
      auto q = db.query(
          "SELECT DISTINCT l.item_id FROM count_lines l JOIN counts c ON c.id = l.count_id WHERE c.location_id = ? "
          "AND l.approved_at >= ? AND l.variance <> 0 ORDER BY l.item_id");
      q.bind(1, in.location_id).bind(2, now().micros - recent_variance_days * micros_per_day);
      while (q.step()) out.push_back(q.text(0));
      return out;
    }
  }
  return {};
}

}  // namespace

Posted create_count(db::Db& db, const Actor& actor, const CreateCount& in) {
  std::optional<CountRow> existing;
  auto claim = documents::claim(db, in.key, "count", "count", [&](const std::string& id) {
    existing = count_row(db, id);
    return existing ? documents::prior_of(existing->request_hash, in.key) : documents::Prior::none;
  });
  if (claim.replay) return Posted{count_json(db, *existing, actor, false), true};
  stock::require_not_kept_by_node(db, stock::require_location(db, in.location_id, "location_id"), "location_id");
  auto items = plan_items(db, in);
  std::set<std::string> seen;
  items.erase(std::remove_if(items.begin(), items.end(), [&](const std::string& i) { return !seen.insert(i).second; }),
              items.end());
  if (items.empty())
    throw Problem(422, "nothing_to_count", "the list to count is empty: nothing is due or nothing matches",
                  in.kind == CountKind::items ? "item_ids" : "location_id");
  if (items.size() > count_items_max)
    throw invalid_field("item_ids", fmt::format("at most {} items per count", count_items_max));
  std::map<std::string, CountClass> classes;
  {
    auto q = db.query("SELECT item_id, class FROM count_classes WHERE location_id = ?");
    q.bind(1, in.location_id);
    while (q.step()) classes[q.text(0)] = count_classes.stored(q.text(1));
  }
  std::int64_t at = now().micros;
  db.query(
        "INSERT INTO counts (id, location_id, kind, plan_date, status, request_hash, created_at, created_by) "
        "VALUES (?, ?, ?, ?, 'open', ?, ?, ?)")
      .bind(1, claim.id)
      .bind(2, in.location_id)
      .bind(3, count_kinds.text(in.kind))
      .bind(4, in.kind == CountKind::plan ? std::optional<std::string>(format_date(in.plan_date)) : std::nullopt)
      .bind(5, in.key.request_hash)
      .bind(6, at)
      .bind(7, actor.user)
      .run();
  std::int64_t line_no = 0;
  for (const auto& item : items) {
    auto c = classes.find(item);
    db.query("INSERT INTO count_lines (id, count_id, line_no, item_id, class) VALUES (?, ?, ?, ?, ?)")
        .bind(1, new_uuid_v7())
        .bind(2, claim.id)
        .bind(3, ++line_no)
        .bind(4, item)
        .bind(5, word(c == classes.end() ? CountClass::c : c->second))
        .run();
  }
  documents::remember(db, in.key, "count", claim.id);
  auto doc = count_json(db, *count_row(db, claim.id), actor, false);
  auto summary = bj::serialize(bj::object{{"id", claim.id},
                                          {"location_id", in.location_id},
                                          {"kind", count_kinds.text(in.kind)},
                                          {"lines", items.size()}});
  append_audit(db, actor, AuditEntry{"counts.create", "count", claim.id, std::nullopt, summary});
  append_event(db, "count.created", claim.id, summary);
  return Posted{std::move(doc), false};
}

namespace {

bj::object entry_json(const EntryRow& e, const std::string& count_id, const std::string& item_id, bool recount) {
  return bj::object{{"id", e.id},
                    {"count_id", count_id},
                    {"line_id", e.line_id},
                    {"item_id", item_id},
                    {"counted", json::quantity_value(Quantity{e.counted})},
                    {"counted_at", format_rfc3339(Timestamp{e.counted_at})},
                    {"counter", e.counter},
                    {"recount", recount},
                    {"photo", e.photo_id.has_value()}};
}

struct PriorEntry {
  EntryRow entry;
  std::string item_id, request_hash;
  bool recount = false;
};

std::optional<PriorEntry> prior_entry(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT e.id, e.line_id, e.counted, e.counted_at, e.counter, e.counter_id, e.photo_id, e.created_at, l.item_id, "
      "e.request_hash, (SELECT COUNT(*) FROM count_entries x WHERE x.line_id = e.line_id AND x.created_at < e.created_at) "
      "FROM count_entries e JOIN count_lines l ON l.id = e.line_id WHERE e.id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return PriorEntry{EntryRow{q.text(0), q.text(1), q.int64(2), q.int64(3), q.text(4), q.text(5), q.opt_text(6), q.int64(7)},
                    q.text(8), q.text(9), q.int64(10) > 0};
}

// "data:image/jpeg;base64,...": the content type, or 422 naming photo.
std::string photo_content_type(const std::string& url) {
  static const std::string_view types[] = {"image/jpeg", "image/png", "image/webp"};
  for (auto type : types) {
    std::string prefix = fmt::format("data:{};base64,", type);
    if (url.rfind(prefix, 0) != 0) continue;
    if (url.size() == prefix.size()) break;
    for (std::size_t i = prefix.size(); i < url.size(); ++i) {
      char c = url[i];
      bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
      if (!ok) throw invalid_field("photo", "photo is a base64 data: URL");
    }
    return std::string(type);
  }
  throw invalid_field("photo", "photo is a data: URL of a JPEG, PNG or WebP image (data:image/jpeg;base64,...)");
}

}  // namespace

Posted post_line(db::Db& db, const Actor& actor, const std::string& count_id, const LineInput& in) {
  std::optional<PriorEntry> existing;
  auto claim = documents::claim(db, in.key, "count_line", "count line", [&](const std::string& id) {
    existing = prior_entry(db, id);
    return existing ? documents::prior_of(existing->request_hash, in.key) : documents::Prior::none;
  });
  if (claim.replay) return Posted{entry_json(existing->entry, count_id, existing->item_id, existing->recount), true};
  auto count = count_row(db, count_id);
  if (!count) throw not_found("count", count_id);
  stock::check_location_scope(actor, count->location_id);
  if (count->status != "open") throw Problem(409, "count_closed", "this count is approved: start a new count");
  std::string line_id;
  {
    auto q = db.query("SELECT id FROM count_lines WHERE count_id = ? AND item_id = ?");
    q.bind(1, count_id).bind(2, in.item_id);
    if (!q.step()) throw Problem(422, "not_on_count", "this item is not on the count", "item_id");
    line_id = q.text(0);
  }
  std::int64_t at = now().micros;
  std::int64_t counted_at = in.counted_at ? in.counted_at->micros : at;
  if (counted_at > at + counted_at_future_slack_micros)
    throw invalid_field("counted_at", "counted_at is in the future: check the device's clock");
  if (counted_at < count->created_at)
    throw invalid_field("counted_at", "counted_at is before the count was started");
  std::string me = person_of(actor);
  std::int64_t before = 0;
  {
    auto q = db.query("SELECT counter_id FROM count_entries WHERE line_id = ?");
    q.bind(1, line_id);
    while (q.step()) {
      ++before;
      if (q.text(0) == me)
        throw Problem(403, "same_user",
                      "you counted this item already: a recount is made by someone else", "item_id");
    }
  }
  std::optional<std::string> photo_id;
  if (in.photo) {
    auto type = photo_content_type(*in.photo);
    photo_id = new_uuid_v7();
    db.query("INSERT INTO count_photos (id, count_id, content_type, data_url, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, *photo_id)
        .bind(2, count_id)
        .bind(3, type)
        .bind(4, *in.photo)
        .bind(5, at)
        .bind(6, actor.user)
        .run();
  }
  EntryRow e{claim.id, line_id, in.counted.milli, counted_at, actor.user, me, photo_id, at};
  db.query(
        "INSERT INTO count_entries (id, count_id, line_id, counted, counted_at, counter, counter_id, photo_id, "
        "request_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, e.id)
      .bind(2, count_id)
      .bind(3, line_id)
      .bind(4, e.counted)
      .bind(5, e.counted_at)
      .bind(6, e.counter)
      .bind(7, e.counter_id)
      .bind(8, photo_id)
      .bind(9, in.key.request_hash)
      .bind(10, at)
      .run();
  documents::remember(db, in.key, "count_line", e.id);
  auto doc = entry_json(e, count_id, in.item_id, before > 0);
  auto text = bj::serialize(doc);
  append_audit(db, actor, AuditEntry{before > 0 ? "counts.recount" : "counts.count", "count", count_id, std::nullopt, text});
  append_event(db, "count.line_counted", count_id, text);
  return Posted{std::move(doc), false};
}

std::optional<boost::json::object> load_count(db::Db& db, const std::string& id, const Actor& viewer, bool reveal) {
  auto count = count_row(db, id);
  if (!count) return std::nullopt;
  return count_json(db, *count, viewer, reveal);
}

std::vector<boost::json::object> list_counts(db::Db& db, const CountFilter& filter) {
  std::vector<boost::json::object> out;
  std::string status = filter.status ? std::string(count_statuses.text(*filter.status)) : std::string();
  auto q = db.query(
      "SELECT c.id, c.location_id, c.kind, c.plan_date, c.status, c.created_at, c.created_by, "
      "(SELECT COUNT(*) FROM count_lines l WHERE l.count_id = c.id), "
      "(SELECT COUNT(DISTINCT e.line_id) FROM count_entries e WHERE e.count_id = c.id) "
      "FROM counts c WHERE (? = '' OR c.location_id = ?) AND (? = '' OR c.status = ?) "
      "ORDER BY c.created_at DESC, c.id DESC LIMIT ?");
  q.bind(1, filter.location_id).bind(2, filter.location_id).bind(3, status).bind(4, status).bind(5, filter.limit);
  while (q.step())
    out.push_back(bj::object{{"id", q.text(0)},
                             {"location_id", q.text(1)},
                             {"kind", q.text(2)},
                             {"plan_date", q.is_null(3) ? bj::value(nullptr) : bj::value(q.text(3))},
                             {"status", q.text(4)},
                             {"created_at", format_rfc3339(Timestamp{q.int64(5)})},
                             {"created_by", q.text(6)},
                             {"lines_total", q.int64(7)},
                             {"lines_counted", q.int64(8)}});
  return out;
}

boost::json::object approve_count(db::Db& db, const Actor& actor, const std::string& count_id,
                                  const std::map<std::string, VarianceReason>& reasons) {
  auto count = count_row(db, count_id);
  if (!count) throw not_found("count", count_id);
  stock::check_location_scope(actor, count->location_id);
  if (count->status != "open") throw Problem(409, "count_closed", "this count is approved already");
  auto lines = line_rows(db, count_id);
  auto entries = entry_rows(db, count_id);
  std::string me = person_of(actor);
  for (const auto& [line, es] : entries)
    for (const auto& e : es)
      if (e.counter_id == me)
        throw Problem(403, "same_user", "you counted part of this count: someone who counted none of it approves it");
  auto settings = load_settings(db);
  auto states = line_states(db, *count, lines, entries, settings);
  bj::array waiting;
  std::size_t counted = 0;
  for (const auto& s : states) {
    if (s.needs_recount) waiting.push_back(bj::value(s.line->item_id));
    if (s.counted) ++counted;
  }
  if (!waiting.empty()) {
    Problem p(409, "recount_required",
              fmt::format("{} flagged line(s) wait for a recount by someone else", waiting.size()));
    p.extra_json = bj::serialize(bj::object{{"item_ids", waiting}});
    throw p;
  }
  if (counted == 0) throw Problem(409, "nothing_counted", "no line of this count has been counted");
  std::set<std::string> on_count;
  for (const auto& l : lines) on_count.insert(l.item_id);
  for (const auto& [item, reason] : reasons)
    if (!on_count.count(item))
      throw invalid_field("reasons", fmt::format("item '{}' is not on this count", item));
  std::vector<stock::Movement> movements;
  std::int64_t at = now().micros;
  for (const auto& s : states) {
    if (!s.counted) continue;
    const auto& l = *s.line;
    std::optional<VarianceReason> reason;
    if (s.variance() != 0) {
      auto r = reasons.find(l.item_id);
      if (r == reasons.end()) {
        auto heads = catalog::store::item_heads(db, {l.item_id});
        throw Problem(422, "reason_required",
                      fmt::format("the variance of {} needs a reason ({})", heads[l.item_id].sku, variance_reasons.allowed()),
                      "reasons");
      }
      reason = r->second;
      movements.push_back(stock::Movement{l.item_id, count->location_id, Quantity{s.variance()},
                                          movement_reason(r->second), "count", count_id, l.id});
    }
    db.query(
          "UPDATE count_lines SET counted = ?, counted_at = ?, expected = ?, variance = ?, unit_cost = ?, "
          "within_tolerance = ?, reason = ?, approved_at = ? WHERE id = ?")
        .bind(1, *s.counted)
        .bind(2, *s.counted_at)
        .bind(3, *s.expected)
        .bind(4, s.variance())
        .bind(5, s.unit_cost)
        .bind(6, s.flagged ? 0 : 1)
        .bind(7, reason ? std::optional<std::string>(std::string(variance_reasons.text(*reason))) : std::nullopt)
        .bind(8, at)
        .bind(9, l.id)
        .run();
  }
  if (!movements.empty())
    stock::post_movements(db, movements, stock::PostContext{actor.user, actor.origin, stock::NegativeStock::allow});
  db.query("UPDATE counts SET status = 'approved', approved_at = ?, approved_by = ?, approved_by_id = ? WHERE id = ?")
      .bind(1, at)
      .bind(2, actor.user)
      .bind(3, me)
      .bind(4, count_id)
      .run();
  auto doc = count_json(db, *count_row(db, count_id), actor, true);
  bj::array posted;
  for (const auto& m : movements)
    posted.push_back(bj::object{{"item_id", m.item_id},
                                {"quantity", json::quantity_value(m.quantity)},
                                {"reason", stock::word(m.reason)}});
  auto summary = bj::serialize(bj::object{{"id", count_id}, {"location_id", count->location_id}, {"adjustments", posted}});
  append_audit(db, actor, AuditEntry{"counts.approve", "count", count_id, std::nullopt, summary});
  append_event(db, "count.approved", count_id, summary);
  return doc;
}

std::optional<boost::json::object> load_photo(db::Db& db, const std::string& count_id, const std::string& photo_id) {
  auto q = db.query("SELECT content_type, data_url FROM count_photos WHERE id = ? AND count_id = ?");
  q.bind(1, photo_id).bind(2, count_id);
  if (!q.step()) return std::nullopt;
  return bj::object{{"id", photo_id}, {"content_type", q.text(0)}, {"data_url", q.text(1)}};
}

std::vector<Accuracy> count_accuracy(db::Db& db, Timestamp from, Timestamp to, const std::string& location_id) {
  std::vector<Accuracy> out;
  auto q = db.query(
      "SELECT l.class, COUNT(*), SUM(l.within_tolerance) FROM count_lines l JOIN counts c ON c.id = l.count_id "
      "WHERE l.approved_at >= ? AND l.approved_at < ? AND l.counted IS NOT NULL AND (? = '' OR c.location_id = ?) "
      "GROUP BY l.class ORDER BY l.class");
  q.bind(1, from.micros).bind(2, to.micros).bind(3, location_id).bind(4, location_id);
  while (q.step()) out.push_back(Accuracy{count_classes.stored(q.text(0)), q.int64(1), q.int64(2)});
  return out;
}

std::vector<std::string> check_counts(db::Db& db) {
  std::vector<std::string> problems;
  {
    auto q = db.query(
        "SELECT c.id, c.status, l.line_no, COALESCE(l.variance, 0), COALESCE(mv.total, 0) FROM count_lines l "
        "JOIN counts c ON c.id = l.count_id "
        "LEFT JOIN (SELECT document_line_id, SUM(quantity) AS total FROM stock_movements WHERE document_type = 'count' "
        "GROUP BY document_line_id) mv ON mv.document_line_id = l.id "
        "WHERE (c.status = 'approved' AND COALESCE(l.variance, 0) <> COALESCE(mv.total, 0)) "
        "OR (c.status = 'open' AND mv.total IS NOT NULL) LIMIT 1000");
    while (q.step())
      problems.push_back(fmt::format("count {} line {}: {} with variance {} but its movements sum to {}", q.text(0),
                                     q.int64(2), q.text(1), format_quantity(Quantity{q.int64(3)}),
                                     format_quantity(Quantity{q.int64(4)})));
  }
  {
    auto q = db.query(
        "SELECT m.document_id, m.item_id, m.location_id FROM stock_movements m WHERE m.document_type = 'count' "
        "AND NOT EXISTS (SELECT 1 FROM count_lines l JOIN counts c ON c.id = l.count_id WHERE l.id = m.document_line_id "
        "AND c.id = m.document_id AND l.item_id = m.item_id AND c.location_id = m.location_id) LIMIT 1000");
    while (q.step())
      problems.push_back(fmt::format("count {}: a movement of item {} at {} belongs to no line of the count", q.text(0),
                                     q.text(1), q.text(2)));
  }
  return problems;
}

}  // namespace backroom::counts
