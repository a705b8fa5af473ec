// Stock's SQL: the ledger, balances, locations, adjustments, transfers, reservations.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "access/audit.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/changes.hpp"
#include "platform/assert.hpp"
#include "platform/db_rows.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "stock/consumption.hpp"
#include "stock/holds.hpp"
#include "stock/kpi_days.hpp"
#include "stock/stock.hpp"

namespace backroom::stock {

namespace bj = boost::json;

namespace {

Location read_location(db::Query& q) {
  Location l{q.text(0), q.text(1), q.text(2), q.opt_text(3), q.int64(4) != 0, q.int64(5), {}, q.opt_text(10)};
  l.receipt = ReceiptText{q.text(6), q.text(7), q.text(8), q.text(9)};
  return l;
}
constexpr const char* location_columns =
    "SELECT id, name, kind, parent_id, sellable, created_at, receipt_shop_name, receipt_address, receipt_tax_number, "
    "receipt_footer, default_tax_category FROM locations";

void insert_location(db::Db& db, const Location& l) {
  db.query("INSERT INTO locations (id, name, kind, parent_id, sellable, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, l.id)
      .bind(2, l.name)
      .bind(3, l.kind)
      .bind(4, l.parent_id)
      .bind(5, l.sellable)
      .bind(6, l.created_at)
      .run();
}

Problem insufficient(const std::string& item_id, const std::string& location_id, Quantity on_hand, Quantity wanted) {
  Problem p(409, "insufficient_stock",
            fmt::format("item {} has {} available at location {}; {} is needed", item_id, format_quantity(on_hand),
                        location_id, format_quantity(wanted)));
  p.extra_json = bj::serialize(bj::object{{"item_id", item_id},
                                          {"location_id", location_id},
                                          {"available", json::quantity_value(on_hand)},
                                          {"requested", json::quantity_value(wanted)}});
  return p;
}

std::string require_item(db::Db& db, const std::string& item_id, const std::string& field) {
  auto kind = catalog::store::item_kind(db, item_id);
  if (!kind) throw invalid_field(field, fmt::format("item '{}' does not exist", item_id));
  if (*kind == catalog::ItemKind::parent)
    throw invalid_field(field, fmt::format("item '{}' is a variant parent; stock is kept per variant", item_id));
  return item_id;
}

// The net change a set of movements makes to the shop's stock (all locations).
Quantity net_quantity(const std::vector<Movement>& moves) {
  Quantity sum;
  for (const auto& m : moves) sum = sum + m.quantity;
  return sum;
}

}  // namespace

NegativeStock negative_stock_policy(db::Db& db) {
  auto v = settings::get(db, "negative_stock");
  return v ? negative_stock_policies.parse(*v).value_or(NegativeStock::allow) : NegativeStock::allow;
}

namespace {

struct Account {
  std::int64_t number;
  Quantity on_hand;
  Quantity reserved;
};

// The balance row of an item at a location, opened (at zero, with the next account
// number) the first time stock moves or is reserved there.
Account open_account(db::Db& db, const std::string& item_id, const std::string& location_id) {
  {
    auto q = db.query("SELECT account, on_hand, reserved FROM stock_balances WHERE item_id = ? AND location_id = ?");
    q.bind(1, item_id).bind(2, location_id);
    if (q.step()) return Account{q.int64(0), Quantity{q.int64(1)}, Quantity{q.int64(2)}};
  }
  auto next = db.query("SELECT COALESCE(MAX(account), 0) + 1 FROM stock_balances");
  next.step();
  Account a{next.int64(0), Quantity{0}, Quantity{0}};
  db.query("INSERT INTO stock_balances (item_id, location_id, on_hand, reserved, last_seq, account) VALUES (?, ?, 0, 0, 0, ?)")
      .bind(1, item_id)
      .bind(2, location_id)
      .bind(3, a.number)
      .run();
  return a;
}

// What a movement adds to its account's day in the KPI summary (kpi_days.hpp): its quantity,
// and a loss by reason when it is a negative adjustment or count.
StockDay kpi_day(const Movement& m, std::int64_t at) {
  StockDay d{at / 86400000000, m.quantity.milli, {}};
  if ((m.document_type == "adjustment" || m.document_type == "count") && m.quantity.milli < 0)
    d.lost_milli.emplace(std::string(word(m.reason)), -m.quantity.milli);
  return d;
}

// A stock.negative event for each balance a movement took below zero.
void append_negative_events(db::Db& db, const std::vector<NegativeFlag>& flags) {
  for (const auto& f : flags)
    append_event(db, "stock.negative", f.item_id,
                 bj::serialize(bj::object{{"item_id", f.item_id},
                                          {"location_id", f.location_id},
                                          {"on_hand", json::quantity_value(f.on_hand)}}));
}

}  // namespace

std::vector<NegativeFlag> post_movements(db::Db& db, const std::vector<Movement>& movements, const PostContext& ctx) {
  // The balance read and the movement appended are one transaction: nothing moves the
  // balance in between, so the delta applied below is exactly the movement recorded.
  db::assert_in_transaction(db);
  // On PostgreSQL every statement is a round trip: movements that are never refused (a sale
  // under the default policy, a return, a void) are posted as a batch of one document — the
  // same rows, balances, flags, events and notes (post_movement_batch's contract) in about ten
  // statements instead of five or six a movement (docs/performance.md, "The register on
  // PostgreSQL"). SQLite keeps the path below: no round trips there.
  if (db.dialect() == db::Dialect::postgres && ctx.policy == NegativeStock::allow) {
    std::vector<BatchDocument> one(1);
    one.front().movements = movements;
    post_movement_batch(db, one, ctx.user, ctx.device);
    if (ctx.holds_given_up)
      for (auto& g : one.front().given_up) ctx.holds_given_up->push_back(std::move(g));
    return std::move(one.front().negative);
  }
  std::vector<NegativeFlag> flags;
  std::int64_t at = now().micros;
  std::map<std::int64_t, std::vector<StockDay>> kpi_days;  // account -> its day (kpi_days.hpp)
  // No RETURNING here: SQLite runs it as a trigger, and a statement with a trigger copies
  // every page it touches into a statement journal (it tripled the cost of a sale).
  for (const auto& m : movements) {
    if (m.quantity.milli == 0) continue;
    auto account = open_account(db, m.item_id, m.location_id);
    db.query(
          "INSERT INTO stock_movements (account, item_id, location_id, quantity, reason, document_type, document_id, "
          "document_line_id, at, user, device) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, account.number)
        .bind(2, m.item_id)
        .bind(3, m.location_id)
        .bind(4, m.quantity.milli)
        .bind(5, word(m.reason))
        .bind(6, m.document_type)
        .bind(7, m.document_id)
        .bind(8, m.document_line_id)
        .bind(9, at)
        .bind(10, ctx.user)
        .bind(11, ctx.device)
        .run();
    if (counts_as_sold(m.reason))
      db.query(
            "INSERT INTO stock_sold_months (account, month, units) VALUES (?, ?, ?) "
            "ON CONFLICT (account, month) DO UPDATE SET units = stock_sold_months.units + excluded.units")
          .bind(1, account.number)
          .bind(2, sold_month(Timestamp{at}))
          .bind(3, -m.quantity.milli)
          .run();
    merge_stock_day(kpi_days[account.number], kpi_day(m, at));
    // Balance = sum of movements, kept one movement at a time: the new balance is the one
    // read in this transaction plus exactly the quantity just recorded (no overflow), and
    // it lands on this account's one balance row. last_seq is the movement just inserted,
    // read by the statement itself (no round trip for it on PostgreSQL).
    Quantity on_hand;
    const bool overflow = __builtin_add_overflow(account.on_hand.milli, m.quantity.milli, &on_hand.milli);
    BR_ASSERT(!overflow, "a balance past the int64 range of milli-units");
    db.query("UPDATE stock_balances SET on_hand = ?, last_seq = last_insert_rowid() WHERE item_id = ? AND location_id = ?")
        .bind(1, on_hand.milli)
        .bind(2, m.item_id)
        .bind(3, m.location_id)
        .run_changing(1, "a movement updates exactly one balance row");
    Quantity reserved = account.reserved;  // the holds the last-unit rule cuts come off it
    if (m.quantity.milli < 0) {
      // Holds never refuse a movement: only on hand itself going below zero can.
      if (on_hand.milli < 0) {
        if (ctx.policy == NegativeStock::refuse)
          throw insufficient(m.item_id, m.location_id, on_hand - m.quantity, -m.quantity);
        flags.push_back(NegativeFlag{m.item_id, m.location_id, on_hand});
      }
      auto given_up = apply_last_unit_rule(db, m.item_id, m.location_id, on_hand, account.reserved);
      if (ctx.holds_given_up && given_up.milli > 0)
        ctx.holds_given_up->push_back(HoldsGivenUp{m.item_id, m.location_id, account.reserved, on_hand, given_up});
      reserved = reserved - given_up;
    }
    note_availability_change(db, m.item_id, m.location_id, on_hand, reserved);
  }
  add_stock_days(db, kpi_days);
  append_negative_events(db, flags);
  return flags;
}

void post_movement_batch(db::Db& db, std::vector<BatchDocument>& documents, const std::string& user,
                         const std::string& device) {
  db::assert_in_transaction(db);
  using Pair = std::pair<std::string, std::string>;  // item, location
  std::set<std::string> items, locations;
  for (const auto& d : documents)
    for (const auto& m : d.movements)
      if (m.quantity.milli != 0) {
        items.insert(m.item_id);
        locations.insert(m.location_id);
      }
  if (items.empty()) return;
  auto json_list = [](const std::set<std::string>& values) {
    bj::array list;
    for (const auto& v : values) list.emplace_back(v);
    return bj::serialize(list);
  };
  // Every balance of the batch's items at its locations, in one read (a superset of the pairs
  // it moves); the same transaction writes them below, so nothing moves them in between.
  std::map<Pair, Account> accounts;
  {
    auto q = db.query(
        "SELECT item_id, location_id, account, on_hand, reserved FROM stock_balances "
        "WHERE item_id IN (SELECT value FROM json_each(?)) AND location_id IN (SELECT value FROM json_each(?))");
    q.bind(1, json_list(items)).bind(2, json_list(locations));
    while (q.step())
      accounts.emplace(Pair{q.text(0), q.text(1)}, Account{q.int64(2), Quantity{q.int64(3)}, Quantity{q.int64(4)}});
  }
  // The movements in order, each balance carried along in memory as post_movements carries it
  // from one movement to the next; the rows are written after the pass.
  std::int64_t at = now().micros;
  const int month = sold_month(Timestamp{at});
  std::vector<std::pair<const Movement*, std::int64_t>> rows;  // movement, account
  std::map<std::int64_t, std::int64_t> sold;                    // account -> units this month
  std::map<std::int64_t, std::vector<StockDay>> kpi_days;      // account -> its day (kpi_days.hpp)
  std::vector<std::pair<const Pair*, Account*>> changed;       // in the order first moved
  std::set<std::int64_t> seen;
  for (auto& d : documents) {
    for (const auto& m : d.movements) {
      if (m.quantity.milli == 0) continue;
      auto account = accounts.find(Pair{m.item_id, m.location_id});
      if (account == accounts.end())
        account = accounts.emplace(Pair{m.item_id, m.location_id}, open_account(db, m.item_id, m.location_id)).first;
      auto& a = account->second;
      rows.emplace_back(&m, a.number);
      if (seen.insert(a.number).second) changed.emplace_back(&account->first, &a);
      if (counts_as_sold(m.reason)) sold[a.number] -= m.quantity.milli;
      merge_stock_day(kpi_days[a.number], kpi_day(m, at));
      Quantity on_hand;
      const bool overflow = __builtin_add_overflow(a.on_hand.milli, m.quantity.milli, &on_hand.milli);
      BR_ASSERT(!overflow, "a balance past the int64 range of milli-units");
      a.on_hand = on_hand;
      if (m.quantity.milli >= 0) continue;
      if (on_hand.milli < 0) d.negative.push_back(NegativeFlag{m.item_id, m.location_id, on_hand});
      // The rule writes holds and reserved only, never on hand: it needs no balance written yet.
      auto given_up = apply_last_unit_rule(db, m.item_id, m.location_id, on_hand, a.reserved);
      if (given_up.milli > 0) d.given_up.push_back(HoldsGivenUp{m.item_id, m.location_id, a.reserved, on_hand, given_up});
      a.reserved = a.reserved - given_up;
    }
    append_negative_events(db, d.negative);
  }
  {
    static constexpr std::string_view columns[] = {
        "account", "item_id", "location_id", "quantity", "reason", "document_type", "document_id",
        "document_line_id", "at", "user", "device"};
    db::Rows values(std::size(columns));
    for (const auto& [m, number] : rows)
      values.add(number)
          .add(m->item_id)
          .add(m->location_id)
          .add(m->quantity.milli)
          .add(word(m->reason))
          .add(m->document_type)
          .add(m->document_id)
          .add(m->document_line_id)
          .add(at)
          .add(user)
          .add(device);
    db::insert_rows(db, "stock_movements", columns, values);
  }
  constexpr std::size_t rows_per_statement = 100;
  std::erase_if(sold, [](const auto& s) { return s.second == 0; });
  std::vector<std::pair<std::int64_t, std::int64_t>> sold_rows(sold.begin(), sold.end());
  for (std::size_t first = 0; first < sold_rows.size(); first += rows_per_statement) {
    std::size_t n = std::min(rows_per_statement, sold_rows.size() - first);
    auto q = db.query("INSERT INTO stock_sold_months (account, month, units) VALUES " + db::repeated_rows(n, "(?, ?, ?)") +
                      " ON CONFLICT (account, month) DO UPDATE SET units = stock_sold_months.units + excluded.units");
    for (std::size_t i = 0; i < n; ++i) {
      int p = static_cast<int>(i) * 3;
      q.bind(p + 1, sold_rows[first + i].first).bind(p + 2, month).bind(p + 3, sold_rows[first + i].second);
    }
    q.run();
  }
  add_stock_days(db, kpi_days);
  // Each balance once, at the on hand the pass ended with; last_seq is the account's newest
  // movement, just written above (an index seek on stock_movements_account).
  for (std::size_t first = 0; first < changed.size(); first += rows_per_statement) {
    std::size_t n = std::min(rows_per_statement, changed.size() - first);
    auto q = db.query(
        "UPDATE stock_balances SET on_hand = v.column2, "
        "last_seq = (SELECT MAX(seq) FROM stock_movements m WHERE m.account = stock_balances.account) "
        "FROM (VALUES " +
        db::repeated_rows(n, "(CAST(? AS INTEGER), CAST(? AS INTEGER))") + ") AS v WHERE stock_balances.account = v.column1");
    for (std::size_t i = 0; i < n; ++i) {
      const auto* a = changed[first + i].second;
      q.bind(static_cast<int>(2 * i + 1), a->number).bind(static_cast<int>(2 * i + 2), a->on_hand.milli);
    }
    q.run_changing(static_cast<std::int64_t>(n), "a balance the batch moved is updated on its one row");
  }
  // The availability feed: each pair renumbered once, with its balance as the batch left it.
  for (std::size_t first = 0; first < changed.size(); first += rows_per_statement) {
    std::size_t n = std::min(rows_per_statement, changed.size() - first);
    auto gone = db.query("DELETE FROM availability_changes WHERE (item_id, location_id) IN (VALUES " +
                         db::repeated_rows(n, "(?, ?)") + ")");
    for (std::size_t i = 0; i < n; ++i) {
      const auto* pair = changed[first + i].first;
      gone.bind(static_cast<int>(2 * i + 1), pair->first).bind(static_cast<int>(2 * i + 2), pair->second);
    }
    gone.run();
    auto noted = db.query("INSERT INTO availability_changes (item_id, location_id, changed_at, on_hand, reserved) VALUES " +
                          db::repeated_rows(n, "(?, ?, ?, ?, ?)"));
    for (std::size_t i = 0; i < n; ++i) {
      const auto& [pair, a] = changed[first + i];
      int p = static_cast<int>(i) * 5;
      noted.bind(p + 1, pair->first)
          .bind(p + 2, pair->second)
          .bind(p + 3, at)
          .bind(p + 4, a->on_hand.milli)
          .bind(p + 5, a->reserved.milli);
    }
    noted.run();
  }
}

std::vector<std::pair<std::string, Quantity>> line_net_by_item(db::Db& db, const std::string& document_id,
                                                               const std::string& document_line_id) {
  std::vector<std::pair<std::string, Quantity>> out;
  auto q = db.query(
      "SELECT item_id, SUM(quantity) FROM stock_movements WHERE document_id = ? AND document_line_id = ? "
      "GROUP BY item_id ORDER BY item_id");
  q.bind(1, document_id).bind(2, document_line_id);
  while (q.step()) out.emplace_back(q.text(0), Quantity{q.int64(1)});
  return out;
}

std::vector<std::pair<std::string, Quantity>> document_net_by_item(db::Db& db, const std::string& document_id) {
  std::vector<std::pair<std::string, Quantity>> out;
  auto q = db.query(
      "SELECT item_id, SUM(quantity) FROM stock_movements WHERE document_id = ? GROUP BY item_id ORDER BY item_id");
  q.bind(1, document_id);
  while (q.step()) out.emplace_back(q.text(0), Quantity{q.int64(1)});
  return out;
}

std::vector<Movement> reversal_of(db::Db& db, const std::string& document_id, MovementReason reason,
                                  const std::string& document_type, const std::string& reversing_document_id) {
  std::vector<Movement> out;
  auto q = db.query(
      "SELECT item_id, location_id, quantity, document_line_id FROM stock_movements WHERE document_id = ? ORDER BY seq");
  q.bind(1, document_id);
  while (q.step())
    out.push_back(Movement{q.text(0), q.text(1), Quantity{-q.int64(2)}, reason, document_type, reversing_document_id,
                           q.opt_text(3)});
  return out;
}

std::vector<DocumentMovement> movements_of_documents(db::Db& db, const std::vector<std::string>& document_ids) {
  std::vector<DocumentMovement> out;
  if (document_ids.empty()) return out;
  bj::array ids;
  for (const auto& id : document_ids) ids.emplace_back(id);
  auto q = db.query(
      "SELECT m.document_id, m.item_id, l.kind, m.quantity, m.reason, m.document_type, m.document_line_id "
      "FROM stock_movements m JOIN locations l ON l.id = m.location_id "
      "WHERE m.document_id IN (SELECT value FROM json_each(?)) ORDER BY m.seq");
  q.bind(1, bj::serialize(ids));
  while (q.step())
    out.push_back(DocumentMovement{q.text(0), q.text(1), q.text(2), Quantity{q.int64(3)}, q.text(4), q.text(5), q.opt_text(6)});
  return out;
}

std::vector<Location> list_locations(db::Db& db) {
  std::vector<Location> out;
  auto q = db.query(std::string(location_columns) + " ORDER BY created_at, id");
  while (q.step()) out.push_back(read_location(q));
  return out;
}

std::optional<Location> load_location(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(location_columns) + " WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_location(q);
}

std::optional<Location> location_by_name(db::Db& db, const std::string& name) {
  auto q = db.query(std::string(location_columns) + " WHERE lower(name) = lower(?)");
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  return read_location(q);
}

Location require_location(db::Db& db, const std::string& id, const std::string& field) {
  auto l = load_location(db, id);
  if (!l) throw invalid_field(field, fmt::format("location '{}' does not exist", id.substr(0, 64)));
  return *l;
}

void require_not_kept_by_node(db::Db& db, const Location& location, const std::string& field) {
  // sync_nodes is sync's table (a room above); reading it here keeps the rule beside the
  // stock commands that need it.
  auto q = db.query("SELECT 1 FROM sync_nodes WHERE location_id = ? OR location_id = ? LIMIT 1");
  q.bind(1, location.id).bind(2, location.parent_id.value_or(location.id));
  if (!q.step()) return;
  throw Problem(409, "kept_by_store_node",
                fmt::format("the stock of {} is kept by its store node: adjust, count, transfer and receive there",
                            location.name),
                field);
}

bool is_node_store(db::Db& db, const std::string& location_id) {
  auto q = db.query("SELECT 1 FROM sync_nodes WHERE location_id = ? LIMIT 1");
  q.bind(1, location_id);
  return q.step();
}

void note_if_shipped_by_node(db::Db& db, const std::string& transfer_id, const std::string& from_location_id) {
  if (is_node_store(db, from_location_id)) catalog::store::note_change(db, std::string(transfer_change), transfer_id);
}

void note_open_transfers_to(db::Db& db, const std::string& location_id) {
  std::vector<std::string> ids;
  auto q = db.query("SELECT id FROM transfers WHERE to_location_id = ? AND status = 'in_transit' ORDER BY number");
  q.bind(1, location_id);
  while (q.step()) ids.push_back(q.text(0));
  for (const auto& id : ids) catalog::store::note_change(db, std::string(transfer_change), id);
}

Location create_location(db::Db& db, const Actor& actor, const std::string& name, const std::string& kind,
                         const std::optional<std::string>& parent_id) {
  auto known = location_kinds.parse(kind);
  if (!known || !(is_site(*known) || is_bin(*known)))
    throw invalid_field("kind", "kind is store, backroom, warehouse, review, damaged, refurbish or markdown");
  if (is_bin(*known) && !parent_id) throw missing_field("parent_id");
  if (parent_id) {
    auto parent = require_location(db, *parent_id, "parent_id");
    auto parent_kind = location_kinds.parse(parent.kind);
    if (!parent_kind || !is_site(*parent_kind))
      throw invalid_field("parent_id", "a bin belongs to a store, backroom or warehouse");
  }
  {
    auto q = db.query("SELECT id FROM locations WHERE name = ?");
    q.bind(1, name);
    if (q.step()) throw Problem(409, "duplicate_location", fmt::format("a location named '{}' exists", name), "name");
  }
  std::int64_t at = now().micros;
  Location site{new_uuid_v7(), name, kind, parent_id, is_site(*known), at, {}, std::nullopt};
  insert_location(db, site);
  if (is_site(*known)) {
    for (auto bin : {LocationKind::review, LocationKind::damaged, LocationKind::refurbish, LocationKind::markdown}) {
      insert_location(db, Location{new_uuid_v7(), fmt::format("{} / {}", name, word(bin)), std::string(word(bin)), site.id,
                                   false, at, {}, std::nullopt});
    }
  }
  // A site is a destination store nodes may ship to (sync/outbound.hpp): the feed carries it.
  if (is_site(*known)) catalog::store::note_change(db, std::string(location_change), site.id);
  auto json = location_to_json(site);
  append_audit(db, actor, AuditEntry{"location.create", "location", site.id, std::nullopt, bj::serialize(json)});
  append_event(db, "location.created", site.id, bj::serialize(json));
  return site;
}

Location update_location(db::Db& db, const Actor& actor, const std::string& id, const LocationPatch& patch) {
  auto before = load_location(db, id);
  if (!before) throw not_found("location", id);
  check_location_scope(actor, id);
  Location after = *before;
  if (patch.name) {
    auto q = db.query("SELECT id FROM locations WHERE name = ? AND id != ?");
    q.bind(1, *patch.name).bind(2, id);
    if (q.step()) throw Problem(409, "duplicate_location", fmt::format("a location named '{}' exists", *patch.name), "name");
    after.name = *patch.name;
  }
  if (patch.shop_name) after.receipt.shop_name = *patch.shop_name;
  if (patch.address) after.receipt.address = *patch.address;
  if (patch.tax_number) after.receipt.tax_number = *patch.tax_number;
  if (patch.footer) after.receipt.footer = *patch.footer;
  if (patch.set_default_tax_category) {
    if (patch.default_tax_category && !catalog::store::tax_category(db, *patch.default_tax_category))
      throw invalid_field("default_tax_category",
                          fmt::format("tax category '{}' does not exist (GET /api/v1/tax-categories)",
                                      *patch.default_tax_category));
    after.default_tax_category = patch.default_tax_category;
  }
  db.query(
        "UPDATE locations SET name = ?, receipt_shop_name = ?, receipt_address = ?, receipt_tax_number = ?, "
        "receipt_footer = ?, default_tax_category = ? WHERE id = ?")
      .bind(1, after.name)
      .bind(2, after.receipt.shop_name)
      .bind(3, after.receipt.address)
      .bind(4, after.receipt.tax_number)
      .bind(5, after.receipt.footer)
      .bind(6, after.default_tax_category)
      .bind(7, id)
      .run();
  if (auto kind = location_kinds.parse(after.kind); kind && is_site(*kind) && after.name != before->name)
    catalog::store::note_change(db, std::string(location_change), id);
  auto json = bj::serialize(location_to_json(after));
  append_audit(db, actor, AuditEntry{"location.update", "location", id, bj::serialize(location_to_json(*before)), json});
  append_event(db, "location.updated", id, json);
  return after;
}

std::string default_tax_category_at(db::Db& db, const std::string& location_id) {
  auto q = db.query("SELECT default_tax_category FROM locations WHERE id = ?");
  q.bind(1, location_id);
  if (q.step() && !q.is_null(0)) return q.text(0);
  return catalog::store::default_tax_category(db);
}

std::string bin_of(db::Db& db, const std::string& site_id, const std::string& kind) {
  auto q = db.query("SELECT id FROM locations WHERE parent_id = ? AND kind = ? ORDER BY created_at LIMIT 1");
  q.bind(1, site_id).bind(2, kind);
  if (q.step()) return q.text(0);
  return site_id;
}

namespace {
// A transfer's next receipt (numbered 1, 2, … per transfer), by head office or by the store
// node that received it.
void insert_transfer_receipt(db::Db& db, const std::string& receipt_id, const std::string& transfer_id, bool closes,
                             const std::string& request_hash, std::int64_t at, const std::string& user) {
  std::int64_t number = 1;
  {
    auto q = db.query("SELECT COALESCE(MAX(number), 0) + 1 FROM transfer_receipts WHERE transfer_id = ?");
    q.bind(1, transfer_id);
    q.step();
    number = q.int64(0);
  }
  db.query(
        "INSERT INTO transfer_receipts (id, transfer_id, number, closes, request_hash, at, user) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, receipt_id)
      .bind(2, transfer_id)
      .bind(3, number)
      .bind(4, closes)
      .bind(5, request_hash)
      .bind(6, at)
      .bind(7, user)
      .run();
}
}  // namespace

std::string transit_location(db::Db& db) {
  auto q = db.query("SELECT id FROM locations WHERE kind = 'transit' ORDER BY created_at LIMIT 1");
  if (!q.step()) throw Problem(500, "no_transit_location", "the in-transit location is missing");
  return q.text(0);
}

void ensure_default_locations(db::Db& db) {
  bool any_store = false, any_transit = false;
  {
    auto q = db.query("SELECT kind FROM locations WHERE kind IN ('store', 'transit')");
    while (q.step()) (q.text(0) == "store" ? any_store : any_transit) = true;
  }
  Actor system = Actor::of("system", "migration");
  if (!any_store) create_location(db, system, "Store", std::string(word(LocationKind::store)), std::nullopt);
  if (!any_transit)
    insert_location(db, Location{new_uuid_v7(), "In transit", std::string(word(LocationKind::transit)), std::nullopt, false,
                                 now().micros, {}, std::nullopt});
}

namespace {

// flag_reasons is a JSON array of codes, or NULL when the adjustment needed no confirmation.
bj::array flag_list(const std::optional<std::string>& text) {
  if (!text) return {};
  bj::error_code ec;
  auto v = bj::parse(*text, ec);
  return !ec && v.is_array() ? v.as_array() : bj::array{};
}

std::optional<bj::object> load_adjustment(db::Db& db, const std::string& id, std::string* hash) {
  auto q = db.query(
      "SELECT id, item_id, location_id, quantity, reason, note, created_at, user, request_hash, flag_reasons, "
      "reason_code FROM stock_adjustments WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  if (hash) *hash = q.text(8);
  auto flags = flag_list(q.opt_text(9));
  bj::object o{{"id", q.text(0)},
               {"item_id", q.text(1)},
               {"location_id", q.text(2)},
               {"quantity", json::quantity_value(Quantity{q.int64(3)})},
               {"reason", q.text(4)},
               {"note", q.text(5)},
               {"created_at", format_rfc3339(Timestamp{q.int64(6)})},
               {"user", q.text(7)},
               {"flagged", !flags.empty()},
               {"flag_reasons", flags}};
  o["reason_code"] = q.is_null(10) ? bj::value(nullptr) : bj::value(q.text(10));
  return o;
}

}  // namespace

Posted create_adjustment(db::Db& db, const Actor& actor, const AdjustmentInput& in) {
  std::optional<bj::object> existing;
  auto claim = documents::claim(db, in.key, "adjustment", "adjustment", [&](const std::string& id) {
    std::string hash;
    existing = load_adjustment(db, id, &hash);
    return existing ? documents::prior_of(hash, in.key) : documents::Prior::none;
  });
  if (claim.replay) return Posted{std::move(*existing), true};
  const std::string& doc_id = claim.id;
  require_item(db, in.item_id, "item_id");
  require_not_kept_by_node(db, require_location(db, in.location_id, "location_id"), "location_id");
  auto policy = negative_stock_policy(db);
  std::optional<std::string> flag_text;
  if (in.check_limits) {
    auto flags = adjustment_flags(balance(db, in.item_id, in.location_id).on_hand, in.quantity,
                                  catalog::store::unit_cost(db, in.item_id), load_adjustment_limits(db));
    if (!flags.empty()) {
      bj::array reasons(flags.begin(), flags.end());
      if (!in.confirm || !in.reason_code) {
        Problem p(409, "adjustment_needs_confirmation",
                  fmt::format("this adjustment needs confirm: true and a reason_code ({})",
                              fmt::join(flags, ", ")),
                  in.confirm ? "reason_code" : "confirm");
        p.extra_json = bj::serialize(bj::object{{"reasons", reasons}});
        throw p;
      }
      flag_text = bj::serialize(reasons);
    }
  }
  db.query(
        "INSERT INTO stock_adjustments (id, item_id, location_id, quantity, reason, note, request_hash, created_at, "
        "user, flag_reasons, reason_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, doc_id)
      .bind(2, in.item_id)
      .bind(3, in.location_id)
      .bind(4, in.quantity.milli)
      .bind(5, word(in.reason))
      .bind(6, in.note)
      .bind(7, in.key.request_hash)
      .bind(8, now().micros)
      .bind(9, actor.user)
      .bind(10, flag_text)
      .bind(11, flag_text && in.reason_code ? std::optional<std::string_view>(word(*in.reason_code)) : std::nullopt)
      .run();
  post_movements(db,
                 {Movement{in.item_id, in.location_id, in.quantity, movement_reason(in.reason), "adjustment", doc_id,
                           std::nullopt}},
                 PostContext{actor.user, actor.origin, policy});
  documents::remember(db, in.key, "adjustment", doc_id);
  auto doc = *load_adjustment(db, doc_id, nullptr);
  auto text = bj::serialize(doc);
  append_audit(db, actor, AuditEntry{"stock.adjust", "adjustment", doc_id, std::nullopt, text});
  append_event(db, "stock.adjusted", doc_id, text);
  return Posted{std::move(doc), false};
}

AdjustmentLimits load_adjustment_limits(db::Db& db) {
  AdjustmentLimits l;
  if (auto q = settings::get_int64(db, "adjustment_confirm_quantity")) l.confirm_quantity = Quantity{*q};
  l.confirm_value = settings::get_int64(db, "adjustment_confirm_value");
  return l;
}

void save_adjustment_limits(db::Db& db, const Actor& actor, const AdjustmentLimits& limits) {
  auto before = bj::serialize(adjustment_limits_to_json(load_adjustment_limits(db)));
  settings::put(db, "adjustment_confirm_quantity",
                limits.confirm_quantity ? std::to_string(limits.confirm_quantity->milli) : "");
  settings::put(db, "adjustment_confirm_value",
                limits.confirm_value ? std::to_string(*limits.confirm_value) : "");
  auto after = bj::serialize(adjustment_limits_to_json(limits));
  append_audit(db, actor, AuditEntry{"settings.stock", "settings", "stock", before, after});
  append_event(db, "settings.changed", "stock", after);
}

namespace {

bj::object location_ref(db::Db& db, const std::string& id) {
  auto l = load_location(db, id);
  return bj::object{{"id", id}, {"name", l ? bj::value(l->name) : bj::value(nullptr)}};
}

std::vector<TransferLineState> transfer_lines_of(db::Db& db, const std::string& transfer_id) {
  std::vector<TransferLineState> out;
  auto q = db.query(
      "SELECT id, item_id, shipped, received, damaged, short, returned FROM transfer_lines "
      "WHERE transfer_id = ? ORDER BY line_no");
  q.bind(1, transfer_id);
  while (q.step())
    out.push_back(TransferLineState{q.text(0), q.text(1), Quantity{q.int64(2)}, Quantity{q.int64(3)},
                                    Quantity{q.int64(4)}, Quantity{q.int64(5)}, Quantity{q.int64(6)}});
  return out;
}

bj::array transfer_receipts_json(db::Db& db, const std::string& transfer_id) {
  bj::array receipts;
  auto q = db.query(
      "SELECT id, number, closes, at, user FROM transfer_receipts WHERE transfer_id = ? ORDER BY number");
  q.bind(1, transfer_id);
  while (q.step()) {
    bj::array lines;
    auto l = db.query(
        "SELECT r.line_id, t.item_id, r.received, r.damaged, r.short FROM transfer_receipt_lines r "
        "JOIN transfer_lines t ON t.id = r.line_id WHERE r.receipt_id = ? ORDER BY t.line_no");
    l.bind(1, q.text(0));
    while (l.step())
      lines.push_back(bj::object{{"line_id", l.text(0)},
                                 {"item_id", l.text(1)},
                                 {"received", json::quantity_value(Quantity{l.int64(2)})},
                                 {"damaged", json::quantity_value(Quantity{l.int64(3)})},
                                 {"short", json::quantity_value(Quantity{l.int64(4)})}});
    receipts.push_back(bj::object{{"id", q.text(0)},
                                  {"number", q.int64(1)},
                                  {"closed", q.int64(2) != 0},
                                  {"at", format_rfc3339(Timestamp{q.int64(3)})},
                                  {"by", q.text(4)},
                                  {"lines", std::move(lines)}});
  }
  return receipts;
}

}  // namespace

std::optional<bj::object> load_transfer(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, number, from_location_id, to_location_id, status, note, shipped_at, shipped_by, received_at, "
      "received_by, cancelled_at, cancelled_by, cancel_reason FROM transfers WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  std::string from = q.text(2), to = q.text(3);
  bj::object o{{"id", q.text(0)},
               {"number", transfer_number_text(q.int64(1))},
               {"status", q.text(4)},
               {"from_location_id", from},
               {"to_location_id", to},
               {"from", location_ref(db, from)},
               {"to", location_ref(db, to)},
               {"note", q.text(5)},
               {"created_at", format_rfc3339(Timestamp{q.int64(6)})},
               {"shipped_at", format_rfc3339(Timestamp{q.int64(6)})},
               {"shipped_by", q.text(7)}};
  o["received_at"] = q.is_null(8) ? bj::value(nullptr) : bj::value(format_rfc3339(Timestamp{q.int64(8)}));
  o["received_by"] = q.is_null(9) ? bj::value(nullptr) : bj::value(q.text(9));
  o["cancelled_at"] = q.is_null(10) ? bj::value(nullptr) : bj::value(format_rfc3339(Timestamp{q.int64(10)}));
  o["cancelled_by"] = q.is_null(11) ? bj::value(nullptr) : bj::value(q.text(11));
  o["cancel_reason"] = q.is_null(12) ? bj::value(nullptr) : bj::value(q.text(12));
  bj::array lines;
  for (const auto& l : transfer_lines_of(db, id)) {
    auto item = catalog::store::load_item(db, l.item_id);
    lines.push_back(bj::object{{"id", l.id},
                               {"item_id", l.item_id},
                               {"sku", item ? bj::value(item->sku) : bj::value(nullptr)},
                               {"name", item ? bj::value(item->name) : bj::value(nullptr)},
                               {"shipped", json::quantity_value(l.shipped)},
                               {"received", json::quantity_value(l.received)},
                               {"damaged", json::quantity_value(l.damaged)},
                               {"short", json::quantity_value(l.short_)},
                               {"returned", json::quantity_value(l.returned)},
                               {"outstanding", json::quantity_value(l.outstanding())}});
  }
  o["lines_count"] = lines.size();
  o["lines"] = std::move(lines);
  o["receipts"] = transfer_receipts_json(db, id);
  return o;
}

std::vector<ListedTransfer> list_transfers(db::Db& db, const TransferFilter& f) {
  bj::array scope(f.location_ids.begin(), f.location_ids.end());
  auto q = db.query(
      "SELECT id, number FROM transfers WHERE (?1 = '' OR status = ?1) "
      "AND (?2 = '' OR from_location_id = ?2 OR to_location_id = ?2) "
      "AND (from_location_id IN (SELECT value FROM json_each(?3)) "
      "OR to_location_id IN (SELECT value FROM json_each(?3)) OR ?3 IS NULL) "
      "AND (?4 = 0 OR number < ?4) ORDER BY number DESC LIMIT ?5");
  q.bind(1, f.status)
      .bind(2, f.location_id)
      .bind(3, f.location_ids.empty() ? std::optional<std::string>{} : std::optional<std::string>{bj::serialize(scope)})
      .bind(4, f.before_number)
      .bind(5, static_cast<std::int64_t>(f.limit) + 1);
  std::vector<std::pair<std::string, std::int64_t>> found;
  while (q.step()) found.emplace_back(q.text(0), q.int64(1));
  std::vector<ListedTransfer> out;
  for (const auto& [id, number] : found)
    if (auto t = load_transfer(db, id)) out.push_back(ListedTransfer{number, std::move(*t)});
  return out;
}

namespace {
RemoteShipper& remote_shipper() {
  static RemoteShipper shipper;
  return shipper;
}
}  // namespace

void set_remote_shipper(RemoteShipper shipper) { remote_shipper() = std::move(shipper); }

Posted ship_transfer(db::Db& db, const Actor& actor, const TransferInput& in) {
  // On a store node, a destination that is not a location here may be one of head office's.
  if (remote_shipper() && !load_location(db, in.to_location_id))
    if (auto shipped = remote_shipper()(db, actor, in)) return std::move(*shipped);
  auto claim = documents::claim(db, in.key, "transfer", "transfer", [&](const std::string& id) {
    auto q = db.query("SELECT request_hash FROM transfers WHERE id = ?");
    q.bind(1, id);
    return documents::prior_of(q.step() ? std::optional(q.text(0)) : std::nullopt, in.key);
  });
  if (claim.replay) return Posted{*load_transfer(db, claim.id), true};
  const std::string& doc_id = claim.id;
  auto from = require_location(db, in.from_location_id, "from_location_id");
  auto to = require_location(db, in.to_location_id, "to_location_id");
  if (from.id == to.id) throw invalid_field("to_location_id", "a transfer goes to another location");
  require_not_kept_by_node(db, from, "from_location_id");
  // A node's store itself may be the destination: the node learns of the transfer through
  // the change feed and receives it (docs/sync.md, "Transfers to a store node"). Its bins
  // may not: the node receives into its store.
  bool to_node = is_node_store(db, to.id);
  if (!to_node) require_not_kept_by_node(db, to, "to_location_id");
  if (from.kind == word(LocationKind::transit) || to.kind == word(LocationKind::transit))
    throw invalid_field("to_location_id", "the in-transit location is not a transfer end");
  std::int64_t at = now().micros;
  // Gap-free: the single writer numbers transfers one at a time, and a failing command's
  // savepoint takes its number back with it.
  std::int64_t number = 1;
  {
    auto q = db.query("SELECT COALESCE(MAX(number), 0) + 1 FROM transfers");
    q.step();
    number = q.int64(0);
  }
  db.query(
        "INSERT INTO transfers (id, number, from_location_id, to_location_id, status, note, request_hash, shipped_at, "
        "shipped_by) VALUES (?, ?, ?, ?, 'in_transit', ?, ?, ?, ?)")
      .bind(1, doc_id)
      .bind(2, number)
      .bind(3, from.id)
      .bind(4, to.id)
      .bind(5, in.note)
      .bind(6, in.key.request_hash)
      .bind(7, at)
      .bind(8, actor.user)
      .run();
  std::string transit = transit_location(db);
  std::vector<Movement> moves;
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    const auto& line = in.lines[i];
    require_item(db, line.item_id, fmt::format("lines[{}].item_id", i));
    std::string line_id = new_uuid_v7();
    db.query(
          "INSERT INTO transfer_lines (id, transfer_id, line_no, item_id, shipped, received, damaged, short) "
          "VALUES (?, ?, ?, ?, ?, 0, 0, 0)")
        .bind(1, line_id)
        .bind(2, doc_id)
        .bind(3, static_cast<std::int64_t>(i + 1))
        .bind(4, line.item_id)
        .bind(5, line.quantity.milli)
        .run();
    moves.push_back(Movement{line.item_id, from.id, -line.quantity, MovementReason::transfer_out, "transfer", doc_id, line_id});
    moves.push_back(Movement{line.item_id, transit, line.quantity, MovementReason::transfer_out, "transfer", doc_id, line_id});
  }
  BR_ASSERT(net_quantity(moves).milli == 0, "shipping a transfer moves stock and creates none");
  post_movements(db, moves, PostContext{actor.user, actor.origin, negative_stock_policy(db)});
  documents::remember(db, in.key, "transfer", doc_id);
  auto doc = *load_transfer(db, doc_id);
  auto text = bj::serialize(doc);
  append_audit(db, actor, AuditEntry{"transfer.ship", "transfer", doc_id, std::nullopt, text});
  if (to_node) catalog::store::note_change(db, std::string(transfer_change), doc_id);
  append_event(db, "transfer.shipped", doc_id, text);
  return Posted{std::move(doc), false};
}

Posted receive_transfer(db::Db& db, const Actor& actor, const std::string& transfer_id, const ReceiptInput& in) {
  auto before = load_transfer(db, transfer_id);
  if (!before) throw not_found("transfer", transfer_id);
  check_location_scope(actor, std::string(before->at("to_location_id").as_string()));
  // A cancelled transfer's goods went back to its source: nothing is left to arrive.
  if (before->at("status").as_string() == "cancelled")
    throw Problem(409, "transfer_cancelled",
                  fmt::format("transfer {} was cancelled: its goods went back to where it was shipped from",
                              std::string_view(before->at("number").as_string())));
  // A transfer to a store node's store is received by the node (its push closes it here).
  require_not_kept_by_node(db, require_location(db, std::string(before->at("to_location_id").as_string()), "to_location_id"),
                           "to_location_id");
  auto claim = documents::claim(db, in.key, "transfer_receipt", "receipt", [&](const std::string& id) {
    auto q = db.query("SELECT transfer_id, request_hash FROM transfer_receipts WHERE id = ?");
    q.bind(1, id);
    if (!q.step()) return documents::Prior::none;
    return q.text(0) == transfer_id && q.text(1) == in.key.request_hash ? documents::Prior::same_request
                                                                        : documents::Prior::other_request;
  });
  if (claim.replay) return Posted{std::move(*before), true};
  auto lines = transfer_lines_of(db, transfer_id);
  auto booked = plan_receipt(lines, in);
  bool open = before->at("status").as_string() == "in_transit";
  if (booked.empty()) {
    if (!open) return Posted{std::move(*before), true};  // nothing more can arrive: a retry of the last receipt
    throw invalid_field("lines", "a receipt books at least one quantity received or damaged, or closes the transfer");
  }
  const std::string& receipt_id = claim.id;
  std::int64_t at = now().micros;
  insert_transfer_receipt(db, receipt_id, transfer_id, in.close, in.key.request_hash, at, actor.user);
  std::string transit = transit_location(db);
  std::string to = before->at("to_location_id").as_string().c_str();
  std::string damaged_bin = bin_of(db, to, std::string(word(LocationKind::damaged)));
  std::vector<Movement> moves;
  bool complete = true;
  for (const auto& b : booked) {
    auto& l = lines[b.line];
    // Stock leaves transit only for what this receipt books: what arrived, what arrived
    // damaged, and (closing) what never will.
    if (auto arrived = b.received + b.damaged; arrived.milli > 0)
      moves.push_back(Movement{l.item_id, transit, -arrived, MovementReason::transfer_in, "transfer", transfer_id, l.id});
    if (b.received.milli > 0)
      moves.push_back(Movement{l.item_id, to, b.received, MovementReason::transfer_in, "transfer", transfer_id, l.id});
    if (b.damaged.milli > 0)
      moves.push_back(Movement{l.item_id, damaged_bin, b.damaged, MovementReason::transfer_damaged, "transfer", transfer_id, l.id});
    if (b.short_.milli > 0)
      moves.push_back(Movement{l.item_id, transit, -b.short_, MovementReason::transfer_short, "transfer", transfer_id, l.id});
    db.query("INSERT INTO transfer_receipt_lines (receipt_id, line_id, received, damaged, short) VALUES (?, ?, ?, ?, ?)")
        .bind(1, receipt_id)
        .bind(2, l.id)
        .bind(3, b.received.milli)
        .bind(4, b.damaged.milli)
        .bind(5, b.short_.milli)
        .run();
    l.received = l.received + b.received;
    l.damaged = l.damaged + b.damaged;
    l.short_ = l.short_ + b.short_;
    db.query("UPDATE transfer_lines SET received = ?, damaged = ?, short = ? WHERE id = ?")
        .bind(1, l.received.milli)
        .bind(2, l.damaged.milli)
        .bind(3, l.short_.milli)
        .bind(4, l.id)
        .run();
  }
  Quantity booked_short;
  for (const auto& b : booked) booked_short = booked_short + b.short_;
  for (const auto& l : lines) {
    BR_ASSERT(l.outstanding().milli >= 0, "a transfer line books no more than was shipped");
    if (l.outstanding().milli != 0) complete = false;
  }
  // What leaves transit arrives (received or damaged); only what is booked short leaves the books.
  BR_ASSERT(net_quantity(moves) == -booked_short, "a receipt moves stock and removes only what it books short");
  post_movements(db, moves, PostContext{actor.user, actor.origin, NegativeStock::allow});
  if (complete)
    db.query("UPDATE transfers SET status = 'received', received_at = ?, received_by = ? WHERE id = ?")
        .bind(1, at)
        .bind(2, actor.user)
        .bind(3, transfer_id)
        .run();
  documents::remember(db, in.key, "transfer_receipt", receipt_id);
  // Shipped by a store node (from its store): the node hears of the receipt through its feed.
  note_if_shipped_by_node(db, transfer_id, std::string(before->at("from_location_id").as_string()));
  auto doc = *load_transfer(db, transfer_id);
  bj::object event = doc;
  event["receipt"] = doc.at("receipts").as_array().back();
  append_audit(db, actor, AuditEntry{"transfer.receive", "transfer", transfer_id, bj::serialize(*before), bj::serialize(doc)});
  append_event(db, "transfer.received", transfer_id, bj::serialize(event));
  return Posted{std::move(doc), false};
}

namespace {
// The end both cancels share: the movements back posted, the transfer marked cancelled, audited
// against `before`, noted in the feed when a node must hear of it, the event; the transfer now.
bj::object close_cancelled(db::Db& db, const Actor& actor, const std::string& transfer_id, const bj::object& before,
                           const std::vector<Movement>& moves, const std::string& reason, std::int64_t at, bool note_feed) {
  post_movements(db, moves, PostContext{actor.user, actor.origin, NegativeStock::allow});
  db.query("UPDATE transfers SET status = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_reason = ? WHERE id = ?")
      .bind(1, at)
      .bind(2, actor.user)
      .bind(3, reason)
      .bind(4, transfer_id)
      .run();
  auto doc = *load_transfer(db, transfer_id);
  auto text = bj::serialize(doc);
  append_audit(db, actor, AuditEntry{"transfer.cancel", "transfer", transfer_id, bj::serialize(before), text});
  if (note_feed) catalog::store::note_change(db, std::string(transfer_change), transfer_id);
  append_event(db, "transfer.cancelled", transfer_id, text);
  return doc;
}
}  // namespace

Posted cancel_transfer(db::Db& db, const Actor& actor, const std::string& transfer_id, const std::string& reason) {
  auto before = load_transfer(db, transfer_id);
  if (!before) throw not_found("transfer", transfer_id);
  std::string from_id(before->at("from_location_id").as_string()), to_id(before->at("to_location_id").as_string());
  std::string number(before->at("number").as_string());
  check_location_scope(actor, from_id);
  std::string_view status = before->at("status").as_string();
  if (status == "received")
    throw Problem(409, "already_received", fmt::format("transfer {} was received: it cannot be cancelled", number));
  if (status == "cancelled")
    throw Problem(409, "already_cancelled", fmt::format("transfer {} was cancelled already", number));
  // A store node keeps the stock of its store: what a node shipped is its own to cancel (the
  // node's cancel, cancel_transfer_from_node; docs/sync.md). One shipped to a node's store is cancelled here, and the node hears of
  // it through its feed; should the node have received it before hearing, its receipt undoes the
  // cancel for what arrived when head office posts it (close_transfer_from_node).
  require_not_kept_by_node(db, require_location(db, from_id, "from_location_id"), "from_location_id");
  bool to_node = is_node_store(db, to_id);
  if (!to_node) require_not_kept_by_node(db, require_location(db, to_id, "to_location_id"), "to_location_id");
  std::string transit = transit_location(db);
  auto lines = transfer_lines_of(db, transfer_id);
  std::vector<Movement> moves;
  Quantity back;
  for (auto& l : lines) {
    Quantity rest = l.outstanding();
    if (rest.milli <= 0) continue;
    // The ship's two legs, reversed, for what is still in transit.
    moves.push_back(Movement{l.item_id, transit, -rest, MovementReason::transfer_cancelled, "transfer", transfer_id, l.id});
    moves.push_back(Movement{l.item_id, from_id, rest, MovementReason::transfer_cancelled, "transfer", transfer_id, l.id});
    l.returned = l.returned + rest;
    back = back + rest;
    db.query("UPDATE transfer_lines SET returned = ? WHERE id = ?").bind(1, l.returned.milli).bind(2, l.id).run();
  }
  for (const auto& l : lines) BR_ASSERT(l.outstanding().milli == 0, "a cancelled transfer has nothing in transit");
  BR_ASSERT(net_quantity(moves).milli == 0, "cancelling a transfer moves stock back and creates none");
  BR_ASSERT(back.milli > 0, "a transfer in transit has something outstanding");
  return Posted{close_cancelled(db, actor, transfer_id, *before, moves, reason, now().micros, to_node), false};
}

NodeClose close_transfer_from_node(db::Db& db, const Actor& actor, const std::string& transfer_id,
                                   const std::string& node_location_id, const std::string& receipt_id,
                                   const std::vector<NodeReceiptLine>& given, std::int64_t at) {
  auto refused = [](const char* why) { return NodeClose{why, false}; };
  auto before = load_transfer(db, transfer_id);
  if (!before) return refused("not_found");
  std::string_view status = before->at("status").as_string();
  // Cancelled by head office while the node received it: the goods are at the store.
  bool after_cancel = status == "cancelled";
  if (status != "in_transit" && !after_cancel) return refused("not_in_transit");
  if (before->at("to_location_id").as_string() != node_location_id) return refused("other_store");
  std::string from_id(before->at("from_location_id").as_string());
  // Cancelled by the node that shipped it: its goods are back in its store, which head office
  // books only from that node, so the cancel cannot be undone here: the receipt stands as a
  // conflict (sync's Poster books it without the line ids; docs/sync.md).
  if (after_cancel && is_node_store(db, from_id)) return refused("cancelled_by_store_node");
  auto lines = transfer_lines_of(db, transfer_id);
  std::map<std::string, const NodeReceiptLine*> by_line;
  for (const auto& g : given) {
    auto known = std::find_if(lines.begin(), lines.end(), [&](const auto& l) { return l.id == g.line_id; });
    if (known == lines.end() || by_line.contains(g.line_id) || g.received.milli < 0 || g.damaged.milli < 0)
      return refused("unknown_line");
    // After a cancel, what went back to the source is what could have arrived.
    auto open = after_cancel ? known->returned : known->outstanding();
    if ((g.received + g.damaged).milli > open.milli) return refused("over_received");
    by_line[g.line_id] = &g;
  }
  insert_transfer_receipt(db, receipt_id, transfer_id, true, std::string(), at, actor.user);
  std::string transit = transit_location(db);
  std::vector<Movement> moves;
  for (auto& l : lines) {
    auto g = by_line.find(l.id);
    Quantity received = g == by_line.end() ? Quantity{} : g->second->received;
    Quantity damaged = g == by_line.end() ? Quantity{} : g->second->damaged;
    Quantity arrived = received + damaged;
    // In transit, what did not arrive is short; after a cancel it is back at the source already.
    Quantity short_ = after_cancel ? Quantity{} : l.outstanding() - arrived;
    if (arrived.milli == 0 && short_.milli == 0) continue;
    if (after_cancel) {
      // The cancel's two legs taken back for what arrived: the source gives it up again.
      moves.push_back(Movement{l.item_id, from_id, -arrived, MovementReason::transfer_cancelled, "transfer", transfer_id, l.id});
      moves.push_back(Movement{l.item_id, transit, arrived, MovementReason::transfer_cancelled, "transfer", transfer_id, l.id});
      l.returned = l.returned - arrived;
    }
    // The store's side (received at the store, damaged in its bin) is the node's document.
    if (arrived.milli > 0)
      moves.push_back(Movement{l.item_id, transit, -arrived, MovementReason::transfer_in, "transfer", transfer_id, l.id});
    if (short_.milli > 0)
      moves.push_back(Movement{l.item_id, transit, -short_, MovementReason::transfer_short, "transfer", transfer_id, l.id});
    db.query("INSERT INTO transfer_receipt_lines (receipt_id, line_id, received, damaged, short) VALUES (?, ?, ?, ?, ?)")
        .bind(1, receipt_id)
        .bind(2, l.id)
        .bind(3, received.milli)
        .bind(4, damaged.milli)
        .bind(5, short_.milli)
        .run();
    l.received = l.received + received;
    l.damaged = l.damaged + damaged;
    l.short_ = l.short_ + short_;
    BR_ASSERT(l.outstanding().milli == 0, "a node's receipt closes every line");
    db.query("UPDATE transfer_lines SET received = ?, damaged = ?, short = ?, returned = ? WHERE id = ?")
        .bind(1, l.received.milli)
        .bind(2, l.damaged.milli)
        .bind(3, l.short_.milli)
        .bind(4, l.returned.milli)
        .bind(5, l.id)
        .run();
  }
  post_movements(db, moves, PostContext{actor.user, actor.origin, NegativeStock::allow});
  // Received, unless part of it stays cancelled (back at the source).
  bool still_returned = std::any_of(lines.begin(), lines.end(), [](const auto& l) { return l.returned.milli > 0; });
  db.query("UPDATE transfers SET status = ?, received_at = ?, received_by = ? WHERE id = ?")
      .bind(1, still_returned ? "cancelled" : "received")
      .bind(2, at)
      .bind(3, actor.user)
      .bind(4, transfer_id)
      .run();
  // From another node's store (a node shipped it to this one): that node hears of the receipt.
  note_if_shipped_by_node(db, transfer_id, from_id);
  auto doc = *load_transfer(db, transfer_id);
  bj::object event = doc;
  event["receipt"] = doc.at("receipts").as_array().back();
  append_event(db, "transfer.received", transfer_id, bj::serialize(event));
  return NodeClose{std::nullopt, after_cancel};
}

std::optional<std::string> node_destination_refusal(db::Db& db, const std::string& node_location_id,
                                                    const std::string& to_location_id) {
  auto to = load_location(db, to_location_id);
  if (!to) return "not_found";
  auto kind = location_kinds.parse(to->kind);
  if (!kind || !is_site(*kind)) return "not_a_site";
  if (to->id == node_location_id || to->parent_id == node_location_id) return "own_store";
  if (!is_node_store(db, to->id)) {
    try {
      require_not_kept_by_node(db, *to, "to_location_id");
    } catch (const Problem&) {
      return "kept_by_store_node";
    }
  }
  return std::nullopt;
}

std::optional<std::string> ship_transfer_from_node(db::Db& db, const Actor& actor, const std::string& node_location_id,
                                                   const NodeShipment& s) {
  if (auto refused = node_destination_refusal(db, node_location_id, s.to_location_id)) return refused;
  if (s.lines.empty()) return "no_lines";
  {
    auto q = db.query("SELECT 1 FROM transfers WHERE id = ?");
    q.bind(1, s.id);
    if (q.step()) return "exists";
  }
  bj::array ids, items;
  std::set<std::string> line_ids;
  for (const auto& l : s.lines) {
    if (l.quantity.milli <= 0 || !line_ids.insert(l.id).second) return "no_lines";  // none, or one line twice
    ids.emplace_back(l.id);
    items.emplace_back(l.item_id);
  }
  {
    auto q = db.query("SELECT COUNT(*) FROM transfer_lines WHERE id IN (SELECT value FROM json_each(?))");
    q.bind(1, bj::serialize(ids));
    q.step();
    if (q.int64(0) != 0) return "exists";
  }
  {
    std::set<std::string> distinct;
    for (const auto& l : s.lines) distinct.insert(l.item_id);
    auto q = db.query("SELECT COUNT(*) FROM items WHERE id IN (SELECT value FROM json_each(?))");
    q.bind(1, bj::serialize(items));
    q.step();
    if (q.int64(0) != static_cast<std::int64_t>(distinct.size())) return "unknown_item";
  }
  std::int64_t number = 1;
  {
    auto q = db.query("SELECT COALESCE(MAX(number), 0) + 1 FROM transfers");
    q.step();
    number = q.int64(0);
  }
  std::string note = s.note.empty() ? fmt::format("Shipped by the store as its {}", s.node_number)
                                    : fmt::format("{} (shipped by the store as its {})", s.note, s.node_number);
  db.query(
        "INSERT INTO transfers (id, number, from_location_id, to_location_id, status, note, request_hash, shipped_at, "
        "shipped_by) VALUES (?, ?, ?, ?, 'in_transit', ?, '', ?, ?)")
      .bind(1, s.id)
      .bind(2, number)
      .bind(3, node_location_id)
      .bind(4, s.to_location_id)
      .bind(5, note)
      .bind(6, s.shipped_at)
      .bind(7, s.shipped_by)
      .run();
  std::string transit = transit_location(db);
  std::vector<Movement> moves;
  std::int64_t line_no = 0;
  for (const auto& l : s.lines) {
    db.query(
          "INSERT INTO transfer_lines (id, transfer_id, line_no, item_id, shipped, received, damaged, short) "
          "VALUES (?, ?, ?, ?, ?, 0, 0, 0)")
        .bind(1, l.id)
        .bind(2, s.id)
        .bind(3, ++line_no)
        .bind(4, l.item_id)
        .bind(5, l.quantity.milli)
        .run();
    // The store's side (out of the node's store) is the node's document, booked already.
    moves.push_back(Movement{l.item_id, transit, l.quantity, MovementReason::transfer_out, "transfer", s.id, l.id});
  }
  post_movements(db, moves, PostContext{actor.user, actor.origin, NegativeStock::allow});
  auto doc = *load_transfer(db, s.id);
  auto text = bj::serialize(doc);
  append_audit(db, actor, AuditEntry{"transfer.ship", "transfer", s.id, std::nullopt, text});
  // Noted in the feed: to another node's store, that node learns of it and receives it; the
  // shipping node hears where it is in transit (and, later, of its receipt).
  catalog::store::note_change(db, std::string(transfer_change), s.id);
  append_event(db, "transfer.shipped", s.id, text);
  return std::nullopt;
}

std::map<std::string, std::int64_t> transfer_outstanding(db::Db& db, const std::string& transfer_id) {
  std::map<std::string, std::int64_t> out;
  for (const auto& l : transfer_lines_of(db, transfer_id)) out[l.id] = l.outstanding().milli;
  return out;
}

NodeCancel cancel_transfer_from_node(db::Db& db, const Actor& actor, const std::string& transfer_id,
                                     const std::string& node_location_id, const std::string& reason, std::int64_t at) {
  auto before = load_transfer(db, transfer_id);
  if (!before) return NodeCancel{"not_found", false};
  if (before->at("from_location_id").as_string() != node_location_id) return NodeCancel{"other_store", false};
  std::string_view status = before->at("status").as_string();
  if (status == "cancelled") return NodeCancel{"already_cancelled", false};
  if (status == "received") {
    // The destination closed it before the cancel came: the receipt stands. The node hears
    // head office's word (received) again.
    catalog::store::note_change(db, std::string(transfer_change), transfer_id);
    return NodeCancel{std::nullopt, true};
  }
  std::string transit = transit_location(db);
  auto lines = transfer_lines_of(db, transfer_id);
  bool received_first = false;
  std::vector<Movement> moves;
  for (auto& l : lines) {
    if ((l.received + l.damaged + l.short_).milli > 0) received_first = true;
    Quantity rest = l.outstanding();
    if (rest.milli <= 0) continue;
    // The ship's in-transit leg, reversed; the store's leg is the node's document.
    moves.push_back(Movement{l.item_id, transit, -rest, MovementReason::transfer_cancelled, "transfer", transfer_id, l.id});
    l.returned = l.returned + rest;
    db.query("UPDATE transfer_lines SET returned = ? WHERE id = ?").bind(1, l.returned.milli).bind(2, l.id).run();
  }
  for (const auto& l : lines) BR_ASSERT(l.outstanding().milli == 0, "a cancelled transfer has nothing in transit");
  // The shipping node hears head office's status; a destination node's copy becomes cancelled.
  close_cancelled(db, actor, transfer_id, *before, moves, reason, at, true);
  return NodeCancel{std::nullopt, received_first};
}

namespace {
std::optional<bj::object> load_reservation(db::Db& db, const std::string& id, std::string* status) {
  auto q = db.query(
      "SELECT id, item_id, location_id, quantity, reference, status, created_at FROM stock_reservations WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  if (status) *status = q.text(5);
  return bj::object{{"id", q.text(0)},
                    {"item_id", q.text(1)},
                    {"location_id", q.text(2)},
                    {"quantity", json::quantity_value(Quantity{q.int64(3)})},
                    {"reference", q.text(4)},
                    {"status", q.text(5)},
                    {"created_at", format_rfc3339(Timestamp{q.int64(6)})}};
}
}  // namespace

Posted reserve(db::Db& db, const Actor& actor, const DocumentKey& key, const std::string& item_id,
               const std::string& location_id, Quantity quantity, const std::string& reference) {
  check_location_scope(actor, location_id);
  std::optional<bj::object> existing;
  auto claim = documents::claim(db, key, "reservation", "reservation", [&](const std::string& id) {
    existing = load_reservation(db, id, nullptr);
    return existing ? documents::Prior::same_request : documents::Prior::none;
  });
  if (claim.replay) return Posted{std::move(*existing), true};
  const std::string& doc_id = claim.id;
  require_item(db, item_id, "item_id");
  require_location(db, location_id, "location_id");
  auto current = balance(db, item_id, location_id);
  if (negative_stock_policy(db) == NegativeStock::refuse && current.on_hand - current.reserved < quantity)
    throw insufficient(item_id, location_id, current.on_hand - current.reserved, quantity);
  db.query(
        "INSERT INTO stock_reservations (id, item_id, location_id, quantity, reference, status, created_at) "
        "VALUES (?, ?, ?, ?, ?, 'active', ?)")
      .bind(1, doc_id)
      .bind(2, item_id)
      .bind(3, location_id)
      .bind(4, quantity.milli)
      .bind(5, reference)
      .bind(6, now().micros)
      .run();
  open_account(db, item_id, location_id);
  db.query("UPDATE stock_balances SET reserved = reserved + ? WHERE item_id = ? AND location_id = ?")
      .bind(1, quantity.milli)
      .bind(2, item_id)
      .bind(3, location_id)
      .run();
  BR_ASSERT(db.changes() == 1, "a reservation is held on exactly one balance row");
  note_availability_change(db, item_id, location_id);  // available went down: the feed must say so
  documents::remember(db, key, "reservation", doc_id);
  auto doc = *load_reservation(db, doc_id, nullptr);
  auto text = bj::serialize(doc);
  append_audit(db, actor, AuditEntry{"stock.reserve", "reservation", doc_id, std::nullopt, text});
  append_event(db, "stock.reserved", doc_id, text);
  return Posted{std::move(doc), false};
}

Posted release_reservation(db::Db& db, const Actor& actor, const std::string& id) {
  std::string status;
  auto doc = load_reservation(db, id, &status);
  if (!doc) throw not_found("reservation", id);
  check_location_scope(actor, std::string(doc->at("location_id").as_string()));
  if (status == "released") return Posted{std::move(*doc), true};
  db.query("UPDATE stock_reservations SET status = 'released', released_at = ? WHERE id = ?")
      .bind(1, now().micros)
      .bind(2, id)
      .run();
  db.query("UPDATE stock_balances SET reserved = reserved - ? WHERE item_id = ? AND location_id = ?")
      .bind(1, json::as_quantity(doc->at("quantity"))->milli)
      .bind(2, std::string(doc->at("item_id").as_string()))
      .bind(3, std::string(doc->at("location_id").as_string()))
      .run();
  BR_ASSERT(db.changes() == 1, "a released reservation comes off exactly one balance row");
  note_availability_change(db, std::string(doc->at("item_id").as_string()), std::string(doc->at("location_id").as_string()));
  auto after = *load_reservation(db, id, nullptr);
  auto text = bj::serialize(after);
  append_audit(db, actor, AuditEntry{"stock.release", "reservation", id, bj::serialize(*doc), text});
  append_event(db, "stock.released", id, text);
  return Posted{std::move(after), false};
}

Balance balance(db::Db& db, const std::string& item_id, const std::string& location_id) {
  auto q = db.query("SELECT on_hand, reserved FROM stock_balances WHERE item_id = ? AND location_id = ?");
  q.bind(1, item_id).bind(2, location_id);
  if (!q.step()) return Balance{item_id, location_id, {}, {}};
  return Balance{item_id, location_id, Quantity{q.int64(0)}, Quantity{q.int64(1)}};
}

Balance balance_as_of(db::Db& db, const std::string& item_id, const std::string& location_id, Timestamp at) {
  auto q = db.query(
      "SELECT COALESCE(SUM(quantity), 0) FROM stock_movements WHERE account = "
      "(SELECT account FROM stock_balances WHERE item_id = ? AND location_id = ?) AND at <= ?");
  q.bind(1, item_id).bind(2, location_id).bind(3, at.micros);
  q.step();
  return Balance{item_id, location_id, Quantity{q.int64(0)}, {}};
}

std::vector<Balance> balances_of_item(db::Db& db, const std::string& item_id, std::optional<Timestamp> as_of) {
  std::vector<Balance> out;
  if (as_of) {
    auto q = db.query(
        "SELECT b.location_id, SUM(m.quantity) FROM stock_balances b JOIN stock_movements m ON m.account = b.account "
        "WHERE b.item_id = ? AND m.at <= ? GROUP BY b.location_id ORDER BY b.location_id");
    q.bind(1, item_id).bind(2, as_of->micros);
    while (q.step()) out.push_back(Balance{item_id, q.text(0), Quantity{q.int64(1)}, {}});
  } else {
    auto q = db.query(
        "SELECT location_id, on_hand, reserved FROM stock_balances WHERE item_id = ? ORDER BY location_id");
    q.bind(1, item_id);
    while (q.step()) out.push_back(Balance{item_id, q.text(0), Quantity{q.int64(1)}, Quantity{q.int64(2)}});
  }
  return out;
}

std::int64_t first_seq_since(db::Db& db, Timestamp at) {
  auto q = db.query("SELECT MIN(seq) FROM stock_movements WHERE at >= ?");
  q.bind(1, at.micros);
  if (q.step() && !q.is_null(0)) return q.int64(0);
  auto last = db.query("SELECT COALESCE(MAX(seq), 0) FROM stock_movements");
  last.step();
  return last.int64(0) + 1;
}

std::vector<std::pair<std::int64_t, LedgerMovement>> movements_from(db::Db& db, std::int64_t from_seq) {
  std::vector<std::pair<std::int64_t, LedgerMovement>> out;
  auto q = db.query(
      "SELECT seq, item_id, location_id, quantity, reason, document_id, at FROM stock_movements WHERE seq >= ? "
      "ORDER BY seq");
  q.bind(1, from_seq);
  while (q.step())
    out.emplace_back(q.int64(0), LedgerMovement{q.text(1), q.text(2), Quantity{q.int64(3)}, q.text(4), q.text(5),
                                                Timestamp{q.int64(6)}});
  return out;
}

std::int64_t last_seq(db::Db& db) {
  auto q = db.query("SELECT COALESCE(MAX(seq), 0) FROM stock_movements");
  q.step();
  return q.int64(0);
}

std::vector<Balance> balances_before(db::Db& db, std::int64_t seq) {
  std::vector<Balance> out;
  auto q = db.query(
      "SELECT b.item_id, b.location_id, b.on_hand - COALESCE((SELECT SUM(m.quantity) FROM stock_movements m "
      "WHERE m.account = b.account AND m.seq >= ?), 0) FROM stock_balances b WHERE EXISTS "
      "(SELECT 1 FROM stock_movements e WHERE e.account = b.account AND e.seq < ?) ORDER BY b.location_id, b.item_id");
  q.bind(1, seq).bind(2, seq);
  while (q.step()) out.push_back(Balance{q.text(0), q.text(1), Quantity{q.int64(2)}, {}});
  return out;
}

std::vector<Balance> balances_at(db::Db& db, const std::string& location_id) {
  std::vector<Balance> out;
  auto q = db.query("SELECT item_id, on_hand, reserved FROM stock_balances WHERE location_id = ? ORDER BY item_id");
  q.bind(1, location_id);
  while (q.step()) out.push_back(Balance{q.text(0), location_id, Quantity{q.int64(1)}, Quantity{q.int64(2)}});
  return out;
}

std::vector<std::pair<std::string, Quantity>> in_transit_to(db::Db& db, const std::string& location_id) {
  std::vector<std::pair<std::string, Quantity>> out;
  auto q = db.query(
      "SELECT l.item_id, SUM(l.shipped - l.received - l.damaged - l.short) FROM transfer_lines l "
      "JOIN transfers t ON t.id = l.transfer_id WHERE t.to_location_id = ? AND t.status = 'in_transit' "
      "GROUP BY l.item_id ORDER BY l.item_id");
  q.bind(1, location_id);
  while (q.step()) out.emplace_back(q.text(0), Quantity{q.int64(1)});
  return out;
}

std::vector<bj::object> list_movements(db::Db& db, const MovementFilter& f) {
  std::vector<bj::object> out;
  // By item: through its accounts' history index; otherwise in ledger order.
  // An adjustment's flags (it needed confirmation) show on its movement.
  auto q = db.query(
      f.item_id.empty()
          ? "SELECT m.seq, m.item_id, m.location_id, m.quantity, m.reason, m.document_type, m.document_id, "
            "m.document_line_id, m.at, m.user, m.device, a.flag_reasons, a.reason_code FROM stock_movements m "
            "LEFT JOIN stock_adjustments a ON m.document_type = 'adjustment' AND a.id = m.document_id "
            "WHERE m.seq > ?1 AND (?3 = '' OR m.location_id = ?3) "
            "AND (?4 = '' OR m.document_id = ?4) ORDER BY m.seq LIMIT ?5"
          : "SELECT m.seq, m.item_id, m.location_id, m.quantity, m.reason, m.document_type, m.document_id, "
            "m.document_line_id, m.at, m.user, m.device, a.flag_reasons, a.reason_code FROM stock_movements m "
            "LEFT JOIN stock_adjustments a ON m.document_type = 'adjustment' AND a.id = m.document_id "
            "WHERE m.account IN (SELECT account FROM stock_balances WHERE item_id = ?2 "
            "AND (?3 = '' OR location_id = ?3)) AND m.seq > ?1 AND (?4 = '' OR m.document_id = ?4) ORDER BY m.seq LIMIT ?5");
  q.bind(1, f.after_seq).bind(2, f.item_id).bind(3, f.location_id).bind(4, f.document_id).bind(5, f.limit + 1);
  while (q.step()) {
    bj::object o{{"seq", q.int64(0)},
                 {"item_id", q.text(1)},
                 {"location_id", q.text(2)},
                 {"quantity", json::quantity_value(Quantity{q.int64(3)})},
                 {"reason", q.text(4)},
                 {"document_type", q.text(5)},
                 {"document_id", q.text(6)},
                 {"at", format_rfc3339(Timestamp{q.int64(8)})},
                 {"user", q.text(9)},
                 {"device", q.text(10)}};
    o["document_line_id"] = q.is_null(7) ? bj::value(nullptr) : bj::value(q.text(7));
    auto flags = flag_list(q.opt_text(11));
    o["flagged"] = !flags.empty();
    o["flag_reasons"] = std::move(flags);
    o["reason_code"] = q.is_null(12) ? bj::value(nullptr) : bj::value(q.text(12));
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<BalanceBefore> balances_before(db::Db& db, Timestamp before) {
  std::vector<BalanceBefore> out;
  auto q = db.query(
      "SELECT item_id, location_id, SUM(quantity) FROM stock_movements WHERE at < ? GROUP BY item_id, location_id "
      "ORDER BY item_id, location_id");
  q.bind(1, before.micros);
  while (q.step()) out.push_back(BalanceBefore{q.text(0), q.text(1), Quantity{q.int64(2)}});
  return out;
}

std::vector<DailyMovement> daily_movements(db::Db& db, Timestamp from, Timestamp to) {
  std::vector<DailyMovement> out;
  auto q = db.query(
      "SELECT item_id, location_id, at / 86400000000, reason, document_type, "
      "SUM(CASE WHEN quantity < 0 THEN quantity ELSE 0 END), SUM(CASE WHEN quantity > 0 THEN quantity ELSE 0 END) "
      "FROM stock_movements WHERE at >= ? AND at < ? "
      "GROUP BY item_id, location_id, at / 86400000000, reason, document_type ORDER BY 1, 2, 3");
  q.bind(1, from.micros).bind(2, to.micros);
  while (q.step())
    out.push_back(DailyMovement{q.text(0), q.text(1), q.int64(2), q.text(3), q.text(4), Quantity{q.int64(5)},
                                Quantity{q.int64(6)}});
  return out;
}

}  // namespace backroom::stock
