// Sales' SQL: settings, sales, voids, returns, exchanges, parked sales, register sessions.
#include <fmt/format.h>

#include <map>
#include <set>

#include "catalog/catalog_store.hpp"
#include "platform/assert.hpp"
#include "platform/auth.hpp"
#include "platform/documents.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/permissions.hpp"
#include "sales/sales.hpp"

namespace backroom::sales {

namespace bj = boost::json;
using stock::Movement;

namespace {

bj::value opt(const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); }

std::string discount_text(const std::optional<Discount>& d) {
  if (!d) return "";
  bj::object o;
  if (d->kind == Discount::Kind::percent)
    o["percent"] = json::quantity_value(Quantity{d->value * 10});
  else
    o["amount"] = d->value;
  if (!d->reason.empty()) o["reason"] = d->reason;
  return bj::serialize(o);
}

// An approver for something the actor may not do alone, from an override token.
std::optional<Actor> approve(db::Db& db, const Actor& actor, const std::optional<std::string>& token,
                             std::string_view permission) {
  if (!token) return std::nullopt;
  return auth::consume_override(db, *token, permission, actor);
}

struct Register {
  std::string id;
  std::optional<std::string> session_id;
};

std::optional<std::string> register_location(db::Db& db, const std::string& register_id) {
  auto q = db.query("SELECT location_id FROM registers WHERE id = ?");
  q.bind(1, register_id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

// A key scoped to locations operates only the registers at those locations.
void check_register_scope(db::Db& db, const Actor& actor, const std::string& register_id) {
  if (actor.location_ids.empty()) return;
  if (auto location = register_location(db, register_id)) stock::check_location_scope(actor, *location);
}

Register take_register(db::Db& db, const std::string& register_id, const std::string& location_id) {
  db::assert_in_transaction(db);
  {
    if (auto registered = register_location(db, register_id)) {
      if (*registered != location_id)
        throw invalid_field("register_id", fmt::format("register {} belongs to location {}", register_id, *registered));
    } else {
      db.query("INSERT INTO registers (id, location_id, created_at) VALUES (?, ?, ?)")
          .bind(1, register_id)
          .bind(2, location_id)
          .bind(3, now().micros)
          .run();
    }
  }
  Register r{register_id, std::nullopt};
  auto q = db.query("SELECT id FROM register_sessions WHERE register_id = ? AND status = 'open'");
  q.bind(1, register_id);
  if (q.step()) r.session_id = q.text(0);
  return r;
}

std::string next_receipt_number(db::Db& db, const std::string& register_id, bool training) {
  db::assert_in_transaction(db);
  // UPDATE then SELECT, not UPDATE ... RETURNING: SQLite runs RETURNING as a trigger, and a
  // statement with a trigger copies every page it touches into a statement journal.
  const char* column = training ? "next_training" : "next_receipt";
  db.query(training ? "UPDATE registers SET next_training = next_training + 1 WHERE id = ?"
                    : "UPDATE registers SET next_receipt = next_receipt + 1 WHERE id = ?")
      .bind(1, register_id)
      .run();
  auto q = db.query(training ? "SELECT next_training - 1 FROM registers WHERE id = ?"
                             : "SELECT next_receipt - 1 FROM registers WHERE id = ?");
  q.bind(1, register_id);
  if (!q.step()) throw Problem(500, "register_missing", fmt::format("register {} has no {}", register_id, column));
  return fmt::format("{}-{}{:06}", register_id, training ? "T" : "", q.int64(0));
}

// API sales without a register: one per location, named by the random tail of its id
// (UUIDv7 heads are timestamps and collide).
std::string default_register(const std::string& location_id) { return "API-" + location_id.substr(24); }

// Movements that sell (or, negated, return) `quantity` of a line's item.
std::vector<Movement> consumption(const catalog::Item& item, Quantity quantity, const std::string& location_id,
                                  const std::string& sale_id, const std::string& line_id) {
  std::vector<Movement> out;
  if (item.kind == "kit" && item.kit_consumes.value_or("components") == "components") {
    for (const auto& c : item.components)
      out.push_back(Movement{c.item_id, location_id,
                             Quantity{-mul_div_round(quantity.milli, c.quantity.milli, Quantity::scale, RoundingMode::half_even)},
                             "sale", "sale", sale_id, line_id});
  } else {
    out.push_back(Movement{item.id, location_id, -quantity, "sale", "sale", sale_id, line_id});
  }
  return out;
}

std::optional<std::string> session_of(db::Db& db, const std::optional<std::string>& register_id) {
  if (!register_id) return std::nullopt;
  auto q = db.query("SELECT id FROM register_sessions WHERE register_id = ? AND status = 'open'");
  q.bind(1, *register_id);
  if (q.step()) return q.text(0);
  return std::nullopt;
}

// A sale or return at a register belongs to the till session open there.
std::string require_open_session(db::Db& db, const std::string& register_id) {
  auto session = session_of(db, register_id);
  if (!session)
    throw Problem(409, "register_session_closed",
                  fmt::format("register {} has no open session: open it with a counted float before selling", register_id),
                  "register_id");
  return *session;
}

// A person as documents show them: {id, name}. `user` is what the document stored (a
// user name, "apikey:<name>", "system"); `user_id` when the document kept it.
bj::object person_json(db::Db& db, const std::optional<std::string>& user_id, const std::string& user) {
  auto q = db.query(
      "SELECT id, CASE WHEN display_name <> '' THEN display_name ELSE username END FROM users WHERE id = ?1 OR "
      "(?1 IS NULL AND username = ?2)");
  q.bind(1, user_id).bind(2, user);
  if (q.step()) return bj::object{{"id", q.text(0)}, {"name", q.text(1)}};
  return bj::object{{"id", opt(user_id)}, {"name", user}};
}

bj::object register_json(db::Db& db, const std::string& register_id) {
  auto q = db.query("SELECT COALESCE(NULLIF(name, ''), id) FROM registers WHERE id = ?");
  q.bind(1, register_id);
  return bj::object{{"id", register_id}, {"name", q.step() ? q.text(0) : register_id}};
}

bj::object location_json(db::Db& db, const std::string& location_id) {
  auto q = db.query("SELECT name FROM locations WHERE id = ?");
  q.bind(1, location_id);
  return bj::object{{"id", location_id}, {"name", q.step() ? q.text(0) : location_id}};
}

}  // namespace

SaleSettings load_settings(db::Db& db) {
  SaleSettings s;
  auto q = db.query(
      "SELECT key, value FROM settings WHERE key IN ('tax_mode', 'tax_rounding', 'rounding', 'negative_stock', "
      "'no_receipt_refund', 'tax_rates')");
  while (q.step()) {
    auto key = q.text(0);
    auto value = q.text(1);
    if (key == "tax_mode") s.rules.tax_mode = value == "exclusive" ? TaxMode::exclusive : TaxMode::inclusive;
    if (key == "tax_rounding") s.rules.tax_rounding = value == "receipt" ? TaxRounding::per_receipt : TaxRounding::per_line;
    if (key == "rounding") s.rules.rounding = value == "half_up" ? RoundingMode::half_up : RoundingMode::half_even;
    if (key == "negative_stock")
      s.negative_stock = value == "refuse" ? stock::NegativeStock::refuse : stock::NegativeStock::allow;
    if (key == "no_receipt_refund") s.no_receipt_refund_cash = value == "cash";
    if (key == "tax_rates") {
      boost::system::error_code ec;
      auto v = bj::parse(value, ec);
      if (!ec && v.is_object())
        for (const auto& m : v.as_object())
          if (m.value().is_int64()) s.tax_rates[std::string(m.key())] = m.value().as_int64();
    }
  }
  return s;
}

void save_settings(db::Db& db, const Actor& actor, const SaleSettings& s) {
  db::assert_in_transaction(db);
  auto before = bj::serialize(settings_to_json(load_settings(db)));
  auto j = settings_to_json(s);
  for (const char* key : {"tax_mode", "tax_rounding", "rounding", "negative_stock", "no_receipt_refund"})
    catalog::store::put_setting(db, key, std::string(j.at(key).as_string()));
  catalog::store::put_setting(db, "tax_rates", bj::serialize(j.at("tax_rates")));
  append_audit(db, actor, AuditEntry{"settings.sales", "settings", "sales", before, bj::serialize(j)});
}

// ---------------------------------------------------------------------------------- sales

namespace {

// A sale as stored: what post_sale inserts and load_sale reads back, so that the answer to
// a POST and a later GET are one rendering of the same row.
struct StoredLine {
  std::string id;
  std::int64_t line_no = 0;
  std::string item_id, sku, name;
  std::optional<std::string> code;
  Quantity quantity{0};
  std::int64_t unit_price = 0, gross = 0, line_discount = 0, receipt_discount = 0;
  std::optional<std::string> discount_reason;
  std::int64_t tax_rate_bp = 0, tax = 0, total = 0;
  Quantity returned{0};
};
struct StoredTender {
  std::string type;
  std::int64_t amount = 0;
  std::optional<std::string> reference;
};
struct StoredSale {
  std::string id, receipt_number, location_id, register_id;
  std::optional<std::string> session_id, exchange_id;
  std::string channel = "register";
  std::optional<std::string> user_id;
  std::string status = "completed";
  bool training = false;
  std::optional<std::string> price_tier;
  std::int64_t subtotal = 0, discount_total = 0, tax_total = 0, total = 0, tendered = 0, change_due = 0;
  std::optional<std::string> receipt_discount;  // JSON text
  std::string tax_mode;
  std::int64_t created_at = 0;
  std::string user;
  std::optional<std::string> approver;
  std::vector<StoredLine> lines;
  std::vector<StoredTender> tenders;
};

bj::object sale_json(const StoredSale& s) {
  bj::object o{{"id", s.id},
               {"receipt_number", s.receipt_number},
               {"location_id", s.location_id},
               {"register_id", s.register_id},
               {"session_id", opt(s.session_id)},
               {"exchange_id", opt(s.exchange_id)},
               {"status", s.status},
               {"training", s.training},
               {"channel", s.channel},
               {"price_tier", opt(s.price_tier)},
               {"subtotal", s.subtotal},
               {"discount_total", s.discount_total},
               {"tax_total", s.tax_total},
               {"total", s.total},
               {"tendered", s.tendered},
               {"change_due", s.change_due},
               {"tax_mode", s.tax_mode},
               {"created_at", format_rfc3339(Timestamp{s.created_at})},
               {"user", s.user},
               {"approver", opt(s.approver)}};
  o["discount"] = s.receipt_discount ? bj::parse(*s.receipt_discount) : bj::value(nullptr);
  bj::array lines;
  lines.reserve(s.lines.size());
  for (const auto& l : s.lines)
    lines.push_back(bj::object{{"id", l.id},
                               {"line_no", l.line_no},
                               {"item_id", l.item_id},
                               {"sku", l.sku},
                               {"name", l.name},
                               {"code", opt(l.code)},
                               {"quantity", json::quantity_value(l.quantity)},
                               {"unit_price", l.unit_price},
                               {"gross", l.gross},
                               {"line_discount", l.line_discount},
                               {"receipt_discount", l.receipt_discount},
                               {"discount_reason", opt(l.discount_reason)},
                               {"tax_rate_bp", l.tax_rate_bp},
                               {"tax", l.tax},
                               {"total", l.total},
                               {"returned_quantity", json::quantity_value(l.returned)}});
  o["lines"] = std::move(lines);
  bj::array tenders;
  for (const auto& t : s.tenders)
    tenders.push_back(bj::object{{"type", t.type}, {"amount", t.amount}, {"reference", opt(t.reference)}});
  o["tenders"] = std::move(tenders);
  o["void"] = nullptr;
  return o;
}

void insert_sale(db::Db& db, const StoredSale& s, const std::string& request_hash) {
  db::assert_in_transaction(db);
  db.query(
        "INSERT INTO sales (id, receipt_number, location_id, register_id, session_id, exchange_id, status, training, "
        "price_tier, subtotal, discount_total, tax_total, total, tendered, change_due, receipt_discount, tax_mode, "
        "request_hash, created_at, user, approver, channel, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, s.id)
      .bind(2, s.receipt_number)
      .bind(3, s.location_id)
      .bind(4, s.register_id)
      .bind(5, s.session_id)
      .bind(6, s.exchange_id)
      .bind(7, s.status)
      .bind(8, s.training)
      .bind(9, s.price_tier)
      .bind(10, s.subtotal)
      .bind(11, s.discount_total)
      .bind(12, s.tax_total)
      .bind(13, s.total)
      .bind(14, s.tendered)
      .bind(15, s.change_due)
      .bind(16, s.receipt_discount)
      .bind(17, s.tax_mode)
      .bind(18, request_hash)
      .bind(19, s.created_at)
      .bind(20, s.user)
      .bind(21, s.approver)
      .bind(22, s.channel)
      .bind(23, s.user_id)
      .run();
  for (const auto& l : s.lines)
    db.query(
          "INSERT INTO sale_lines (id, sale_id, line_no, item_id, sku, name, code, quantity, unit_price, gross, "
          "line_discount, receipt_discount, discount_reason, tax_rate_bp, tax, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?)")
        .bind(1, l.id)
        .bind(2, s.id)
        .bind(3, l.line_no)
        .bind(4, l.item_id)
        .bind(5, l.sku)
        .bind(6, l.name)
        .bind(7, l.code)
        .bind(8, l.quantity.milli)
        .bind(9, l.unit_price)
        .bind(10, l.gross)
        .bind(11, l.line_discount)
        .bind(12, l.receipt_discount)
        .bind(13, l.discount_reason)
        .bind(14, l.tax_rate_bp)
        .bind(15, l.tax)
        .bind(16, l.total)
        .run();
  for (std::size_t i = 0; i < s.tenders.size(); ++i)
    db.query("INSERT INTO sale_tenders (sale_id, seq, type, amount, reference) VALUES (?, ?, ?, ?, ?)")
        .bind(1, s.id)
        .bind(2, static_cast<std::int64_t>(i + 1))
        .bind(3, s.tenders[i].type)
        .bind(4, s.tenders[i].amount)
        .bind(5, s.tenders[i].reference)
        .run();
}

}  // namespace

std::optional<bj::object> load_sale(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, receipt_number, location_id, register_id, session_id, exchange_id, status, training, price_tier, "
      "subtotal, discount_total, tax_total, total, tendered, change_due, receipt_discount, tax_mode, created_at, user, "
      "approver, channel, user_id FROM sales WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  StoredSale s;
  s.channel = q.text(20);
  s.user_id = q.opt_text(21);
  s.id = q.text(0);
  s.receipt_number = q.text(1);
  s.location_id = q.text(2);
  s.register_id = q.text(3);
  s.session_id = q.opt_text(4);
  s.exchange_id = q.opt_text(5);
  s.status = q.text(6);
  s.training = q.int64(7) != 0;
  s.price_tier = q.opt_text(8);
  s.subtotal = q.int64(9);
  s.discount_total = q.int64(10);
  s.tax_total = q.int64(11);
  s.total = q.int64(12);
  s.tendered = q.int64(13);
  s.change_due = q.int64(14);
  s.receipt_discount = q.opt_text(15);
  s.tax_mode = q.text(16);
  s.created_at = q.int64(17);
  s.user = q.text(18);
  s.approver = q.opt_text(19);
  auto l = db.query(
      "SELECT id, line_no, item_id, sku, name, code, quantity, unit_price, gross, line_discount, receipt_discount, "
      "discount_reason, tax_rate_bp, tax, total, returned_quantity FROM sale_lines WHERE sale_id = ? ORDER BY line_no");
  l.bind(1, id);
  while (l.step())
    s.lines.push_back(StoredLine{l.text(0), l.int64(1), l.text(2), l.text(3), l.text(4), l.opt_text(5),
                                  Quantity{l.int64(6)}, l.int64(7), l.int64(8), l.int64(9), l.int64(10),
                                  l.opt_text(11), l.int64(12), l.int64(13), l.int64(14), Quantity{l.int64(15)}});
  auto t = db.query("SELECT type, amount, reference FROM sale_tenders WHERE sale_id = ? ORDER BY seq");
  t.bind(1, id);
  while (t.step()) s.tenders.push_back(StoredTender{t.text(0), t.int64(1), t.opt_text(2)});
  auto o = sale_json(s);
  auto v = db.query("SELECT id, reason, at, user, approver FROM sale_voids WHERE sale_id = ?");
  v.bind(1, id);
  if (v.step())
    o["void"] = bj::object{{"id", v.text(0)},
                           {"reason", v.text(1)},
                           {"at", format_rfc3339(Timestamp{v.int64(2)})},
                           {"user", v.text(3)},
                           {"approver", opt(v.opt_text(4))}};
  return o;
}

namespace {

// The rows a priced draft becomes: what posting stores and what a quote answers, so the
// two can never differ.
StoredSale priced_sale(const SaleDraft& draft, const Settlement& settlement) {
  StoredSale row;
  row.subtotal = draft.priced.subtotal;
  row.discount_total = draft.priced.discount_total;
  row.tax_total = draft.priced.tax_total;
  row.total = draft.priced.total;
  row.tendered = settlement.tendered;
  row.change_due = settlement.change;
  row.training = draft.request.training;
  row.price_tier = draft.request.price_tier;
  row.channel = draft.request.channel;
  if (draft.request.discount) row.receipt_discount = discount_text(draft.request.discount);
  row.tax_mode = draft.settings.rules.tax_mode == TaxMode::inclusive ? "inclusive" : "exclusive";
  row.lines.reserve(draft.lines.size());
  for (std::size_t i = 0; i < draft.lines.size(); ++i) {
    const auto& l = draft.lines[i];
    const auto& p = draft.priced.lines[i];
    row.lines.push_back(StoredLine{"", static_cast<std::int64_t>(i + 1), l.item.id, l.item.sku, l.item.name, l.code,
                                   l.quantity, l.unit_price, p.gross, p.line_discount, p.receipt_discount,
                                   l.discount && !l.discount->reason.empty() ? std::optional(l.discount->reason)
                                                                             : std::nullopt,
                                   l.tax_rate_bp, p.tax, p.total, Quantity{0}});
  }
  for (const auto& t : settlement.tenders) row.tenders.push_back(StoredTender{t.type, t.amount, t.reference});
  return row;
}

// Tax per rate over lines: [{rate (basis points), taxable (net of tax), tax}], by rate.
bj::array taxes_json(const std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>>& by_rate) {
  bj::array out;
  for (const auto& [rate, sums] : by_rate)
    out.push_back(bj::object{{"rate", rate}, {"taxable", sums.first}, {"tax", sums.second}});
  return out;
}

Settlement settle(const SaleDraft& draft, std::int64_t exchange_credit, const std::optional<std::string>& exchange_id) {
  std::vector<TenderInput> tenders;
  if (exchange_credit > 0) tenders.push_back(TenderInput{"exchange_credit", exchange_credit, exchange_id});
  tenders.insert(tenders.end(), draft.request.tenders.begin(), draft.request.tenders.end());
  return settle_tenders(draft.priced.total, std::move(tenders));
}

}  // namespace

bj::object quote_sale(db::Db& reader, const Actor& actor, const SaleDraft& draft) {
  Settlement settlement;
  if (!draft.request.tenders.empty()) settlement = settle(draft, 0, std::nullopt);
  auto row = priced_sale(draft, settlement);
  auto sale = sale_json(row);
  bj::object o;
  for (const char* key : {"subtotal", "discount_total", "tax_total", "total", "tax_mode", "channel", "training",
                          "price_tier", "discount", "lines", "tenders", "tendered", "change_due"})
    o[key] = sale.at(key);
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> by_rate;
  for (const auto& l : row.lines) {
    by_rate[l.tax_rate_bp].first += l.total - l.tax;
    by_rate[l.tax_rate_bp].second += l.tax;
  }
  for (auto& l : o["lines"].as_array()) {
    auto& line = l.as_object();
    line.erase("id");
    line.erase("returned_quantity");
    line["discount"] = line.at("line_discount").as_int64() + line.at("receipt_discount").as_int64();
  }
  o["taxes"] = taxes_json(by_rate);
  o["discount_basis_points"] = draft.discount_bp_max;
  o["needs_override"] = nullptr;
  if (!draft.discounts.empty()) {
    auto limit = auth::role_limits(reader, actor).discount_basis_points_max;
    if (!discounts_within(draft, limit))
      o["needs_override"] = bj::object{{"reason", "discount_over_limit"}, {"limit", limit}};
  }
  return o;
}

std::vector<bj::object> find_sales(db::Db& db, const SalesFilter& f) {
  std::vector<std::string> ids;
  {
    auto q = db.query(
        "SELECT s.id FROM sales s WHERE (?1 IS NULL OR s.created_at >= ?1) AND (?2 IS NULL OR s.created_at < ?2) "
        "AND (?3 = '' OR s.register_id = ?3) AND (?4 = '' OR s.user_id = ?4) AND (?5 = '' OR s.receipt_number = ?5) "
        "AND (?6 = '' OR EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id AND l.item_id = ?6)) "
        "AND (?7 = '' OR s.location_id = ?7) AND (?8 = '' OR s.channel = ?8) AND (?9 = '' OR s.id < ?9) "
        "ORDER BY s.id DESC LIMIT ?10");
    q.bind(1, f.from ? std::optional(f.from->micros) : std::nullopt)
        .bind(2, f.to ? std::optional(f.to->micros) : std::nullopt)
        .bind(3, f.register_id)
        .bind(4, f.cashier_id)
        .bind(5, f.receipt)
        .bind(6, f.item_id)
        .bind(7, f.location_id)
        .bind(8, f.channel)
        .bind(9, f.before_id)
        .bind(10, f.limit + 1);
    while (q.step()) ids.push_back(q.text(0));
  }
  std::vector<bj::object> out;
  for (const auto& id : ids) {
    auto sale = *load_sale(db, id);
    auto q = db.query("SELECT user, user_id FROM sales WHERE id = ?");
    q.bind(1, id);
    q.step();
    sale["number"] = sale.at("receipt_number");
    sale["at"] = sale.at("created_at");
    sale["register"] = register_json(db, std::string(sale.at("register_id").as_string()));
    sale["cashier"] = person_json(db, q.opt_text(1), q.text(0));
    sale["location"] = location_json(db, std::string(sale.at("location_id").as_string()));
    sale["lines_count"] = sale.at("lines").as_array().size();
    out.push_back(std::move(sale));
  }
  return out;
}

bj::object sales_summary(db::Db& db, const std::optional<Timestamp>& from, const std::optional<Timestamp>& to,
                         const std::string& location_id) {
  auto q = db.query(
      "SELECT channel, COUNT(*), COALESCE(SUM(total), 0) FROM sales WHERE status = 'completed' AND training = 0 "
      "AND (?1 IS NULL OR created_at >= ?1) AND (?2 IS NULL OR created_at < ?2) AND (?3 = '' OR location_id = ?3) "
      "GROUP BY channel ORDER BY channel");
  q.bind(1, from ? std::optional(from->micros) : std::nullopt)
      .bind(2, to ? std::optional(to->micros) : std::nullopt)
      .bind(3, location_id);
  bj::array by_channel;
  while (q.step())
    by_channel.push_back(bj::object{{"channel", q.text(0)}, {"sales_count", q.int64(1)}, {"total", q.int64(2)}});
  return bj::object{{"by_channel", std::move(by_channel)}};
}

Posted post_sale(db::Db& db, const Actor& actor, const SaleDraft& draft, std::int64_t exchange_credit,
                 const std::optional<std::string>& exchange_id) {
  db::assert_in_transaction(db);
  const auto& req = draft.request;
  auto claim = documents::claim(db, req.key, "sale", "sale", [&](const std::string& id) {
    auto q = db.query("SELECT request_hash FROM sales WHERE id = ?");
    q.bind(1, id);
    return documents::prior_of(q.step() ? std::optional(q.text(0)) : std::nullopt, req.key);
  });
  if (claim.replay) return Posted{*load_sale(db, claim.id), true};
  const std::string& sale_id = claim.id;
  auto location = stock::require_location(db, req.location_id, "location_id");
  if (!location.sellable) throw invalid_field("location_id", fmt::format("{} is not a selling location", location.name));

  std::optional<Actor> approver;
  auto limits = draft.discounts.empty() ? auth::RoleLimits{0, 0} : auth::role_limits(db, actor);
  if (!discounts_within(draft, limits.discount_basis_points_max)) {
    approver = approve(db, actor, req.override_token, permission::sales_discount_override);
    if (!approver || !discounts_within(draft, auth::role_limits(db, *approver).discount_basis_points_max)) {
      Problem p(403, "discount_over_limit",
                fmt::format("a discount of {}.{:02} % is above your limit of {}.{:02} %; ask a manager for an override",
                            draft.discount_bp_max / 100, draft.discount_bp_max % 100,
                            limits.discount_basis_points_max / 100, limits.discount_basis_points_max % 100),
                "override_token");
      p.extra_json = bj::serialize(bj::object{{"discount_basis_points", draft.discount_bp_max},
                                              {"limit_basis_points", limits.discount_basis_points_max}});
      throw p;
    }
  }

  auto settlement = settle(draft, exchange_credit, exchange_id);
  auto reg = take_register(db, req.register_id.value_or(default_register(location.id)), location.id);
  if (req.register_id && !req.training) require_open_session(db, reg.id);
  StoredSale row = priced_sale(draft, settlement);
  row.id = sale_id;
  row.receipt_number = next_receipt_number(db, reg.id, req.training);
  row.location_id = location.id;
  row.register_id = reg.id;
  row.session_id = reg.session_id;
  row.exchange_id = exchange_id;
  row.created_at = now().micros;
  row.user = actor.user;
  if (!actor.user_id.empty()) row.user_id = actor.user_id;
  if (approver) row.approver = approver->user;
  std::vector<Movement> moves;
  for (std::size_t i = 0; i < draft.lines.size(); ++i) {
    auto& line = row.lines[i];
    line.id = new_uuid_v7();
    if (!req.training) {
      auto m = consumption(draft.lines[i].item, line.quantity, location.id, sale_id, line.id);
      moves.insert(moves.end(), m.begin(), m.end());
    }
  }
  insert_sale(db, row, req.key.request_hash);
  const auto& tenders = settlement.tenders;
  if (!req.training)
    for (std::size_t i = 0; i < tenders.size(); ++i)
      if (tenders[i].type == "store_credit") {
        // The request's tenders follow an exchange credit, when there is one.
        std::size_t index = i - (exchange_credit > 0 ? 1 : 0);
        spend_store_credit(db, actor, *tenders[i].reference, tenders[i].amount,
                           fmt::format("tenders[{}].reference", index), sale_id);
      }
  auto flags = stock::post_movements(db, moves,
                                     stock::PostContext{actor.user, reg.id, stock::negative_stock_policy(db), true});
  documents::remember(db, req.key, "sale", sale_id);
  auto doc = sale_json(row);
  bj::object audit{{"receipt_number", row.receipt_number}, {"total", row.total}, {"lines", draft.lines.size()},
                   {"training", req.training}};
  if (approver) {
    audit["approver"] = approver->user;
    audit["approver_id"] = approver->user_id;
    audit["discount_basis_points"] = draft.discount_bp_max;
  }
  append_audit(db, actor, AuditEntry{"sale.create", "sale", sale_id, std::nullopt, bj::serialize(audit)});
  if (!req.training) append_event(db, "sale.completed", sale_id, bj::serialize(doc));
  if (!flags.empty()) {
    bj::array warnings;
    for (const auto& f : flags)
      warnings.push_back(bj::object{{"code", "negative_stock"},
                                    {"item_id", f.item_id},
                                    {"location_id", f.location_id},
                                    {"on_hand", json::quantity_value(f.on_hand)}});
    doc["warnings"] = std::move(warnings);
  }
  return Posted{std::move(doc), false};
}

Posted void_sale(db::Db& db, const Actor& actor, const std::string& sale_id, const std::string& reason,
                 const std::optional<std::string>& override_token) {
  db::assert_in_transaction(db);
  auto sale = load_sale(db, sale_id);
  if (!sale) throw not_found("sale", sale_id);
  stock::check_location_scope(actor, std::string(sale->at("location_id").as_string()));
  if (sale->at("status").as_string() == "voided") return Posted{std::move(*sale), true};
  for (const auto& l : sale->at("lines").as_array())
    if (json::as_quantity(l.at("returned_quantity"))->milli > 0)
      throw Problem(409, "sale_has_returns", "items of this sale were returned; a sale with returns cannot be voided");
  if (sale->at("exchange_id").is_string())
    throw Problem(409, "sale_in_exchange", "this sale is part of an exchange; return its items instead");
  std::optional<Actor> approver;
  if (!actor.can(permission::sales_void)) {
    approver = approve(db, actor, override_token, permission::sales_void);
    if (!approver)
      throw Problem(403, "forbidden", "voiding a sale needs sales.void or a manager's override_token", "override_token");
  }
  std::string void_id = new_uuid_v7();
  std::int64_t at = now().micros;
  db.query("INSERT INTO sale_voids (sale_id, id, reason, at, user, approver) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, sale_id)
      .bind(2, void_id)
      .bind(3, reason)
      .bind(4, at)
      .bind(5, actor.user)
      .bind(6, approver ? std::optional(approver->user) : std::nullopt)
      .run();
  db.query("UPDATE sales SET status = 'voided' WHERE id = ?").bind(1, sale_id).run();
  auto moves = stock::reversal_of(db, sale_id, "void", "void", void_id);
  return_spent_store_credit(db, actor, sale_id, void_id);
  stock::post_movements(db, moves, stock::PostContext{actor.user, std::string(sale->at("register_id").as_string()),
                                                      stock::NegativeStock::allow, false});
  auto after = *load_sale(db, sale_id);
  bj::object audit{{"reason", reason}, {"void_id", void_id}, {"total", sale->at("total")}};
  if (approver) {
    audit["approver"] = approver->user;
    audit["approver_id"] = approver->user_id;
  }
  append_audit(db, actor, AuditEntry{"sale.void", "sale", sale_id, std::nullopt, bj::serialize(audit)});
  if (!after.at("training").as_bool()) append_event(db, "sale.voided", sale_id, bj::serialize(after));
  return Posted{std::move(after), false};
}

// -------------------------------------------------------------------------------- returns

std::optional<bj::object> load_return(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, sale_id, location_id, register_id, session_id, exchange_id, refund_total, tax_total, created_at, "
      "user, approver, training FROM returns WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  bj::object o{{"id", q.text(0)},
               {"sale_id", opt(q.opt_text(1))},
               {"location_id", q.text(2)},
               {"register_id", opt(q.opt_text(3))},
               {"session_id", opt(q.opt_text(4))},
               {"exchange_id", opt(q.opt_text(5))},
               {"refund_total", q.int64(6)},
               {"tax_total", q.int64(7)},
               {"created_at", format_rfc3339(Timestamp{q.int64(8)})},
               {"user", q.text(9)},
               {"approver", opt(q.opt_text(10))},
               {"training", q.int64(11) != 0}};
  bj::array lines;
  auto l = db.query(
      "SELECT l.id, l.line_no, l.sale_line_id, l.item_id, l.quantity, l.refund, l.tax, l.reason, l.condition, "
      "l.disposition, l.location_id, i.sku, i.name, l.tax_rate_bp FROM return_lines l JOIN items i ON i.id = l.item_id "
      "WHERE l.return_id = ? ORDER BY l.line_no");
  l.bind(1, id);
  while (l.step())
    lines.push_back(bj::object{{"id", l.text(0)},
                               {"line_no", l.int64(1)},
                               {"sale_line_id", opt(l.opt_text(2))},
                               {"item_id", l.text(3)},
                               {"sku", l.text(11)},
                               {"name", l.text(12)},
                               {"quantity", json::quantity_value(Quantity{l.int64(4)})},
                               {"refund", l.int64(5)},
                               {"tax", l.int64(6)},
                               {"tax_rate_bp", l.int64(13)},
                               {"reason", l.text(7)},
                               {"condition", l.text(8)},
                               {"disposition", l.text(9)},
                               {"location_id", l.text(10)}});
  o["lines"] = std::move(lines);
  bj::array tenders;
  auto t = db.query("SELECT type, amount, reference FROM return_tenders WHERE return_id = ? ORDER BY seq");
  t.bind(1, id);
  while (t.step()) tenders.push_back(bj::object{{"type", t.text(0)}, {"amount", t.int64(1)}, {"reference", opt(t.opt_text(2))}});
  o["tenders"] = std::move(tenders);
  return o;
}

namespace {

struct SaleLineRow {
  std::string id, item_id;
  Quantity quantity, returned;
  std::int64_t total = 0, tax = 0, tax_rate_bp = 0;
};

// What may still go back to each of the sale's tenders, refunds to cards first.
std::vector<TenderInput> refund_capacity(db::Db& db, const std::string& sale_id, std::int64_t change_due) {
  std::vector<TenderInput> cap;
  {
    auto q = db.query("SELECT type, amount, reference FROM sale_tenders WHERE sale_id = ? ORDER BY seq");
    q.bind(1, sale_id);
    while (q.step()) {
      std::string type = q.text(0);
      if (type == "exchange_credit") type = "store_credit";
      cap.push_back(TenderInput{type, q.int64(1), q.opt_text(2)});
    }
  }
  for (auto it = cap.rbegin(); it != cap.rend() && change_due > 0; ++it) {
    if (it->type != "cash") continue;
    std::int64_t take = std::min(change_due, it->amount);
    it->amount -= take;
    change_due -= take;
  }
  auto q = db.query(
      "SELECT t.type, t.reference, SUM(t.amount) FROM return_tenders t JOIN returns r ON r.id = t.return_id "
      "WHERE r.sale_id = ? AND r.training = 0 AND t.type <> 'exchange_credit' GROUP BY t.type, t.reference");
  q.bind(1, sale_id);
  while (q.step()) {
    std::int64_t used = q.int64(2);
    auto ref = q.opt_text(1);
    for (auto& c : cap) {
      if (used == 0) break;
      if (c.type != q.text(0) || c.reference != ref) continue;
      std::int64_t take = std::min(used, c.amount);
      c.amount -= take;
      used -= take;
    }
  }
  std::stable_sort(cap.begin(), cap.end(), [](const TenderInput& a, const TenderInput& b) {
    return (a.type == "cash") < (b.type == "cash");
  });
  return cap;
}

}  // namespace

ReturnPosted post_return(db::Db& db, const Actor& actor, const ReturnRequest& req, std::int64_t exchange_credit_max,
                         const std::optional<std::string>& exchange_id) {
  db::assert_in_transaction(db);
  auto claim = documents::claim(db, req.key, "return", "return", [&](const std::string& id) {
    auto q = db.query("SELECT request_hash FROM returns WHERE id = ?");
    q.bind(1, id);
    return documents::prior_of(q.step() ? std::optional(q.text(0)) : std::nullopt, req.key);
  });
  if (claim.replay) {
    auto doc = *load_return(db, claim.id);
    return ReturnPosted{Posted{doc, true}, doc.at("refund_total").as_int64(), 0};
  }
  const std::string& return_id = claim.id;
  std::optional<bj::object> sale;
  std::string location_id;
  if (req.sale_id) {
    sale = load_sale(db, *req.sale_id);
    if (!sale) throw invalid_field("sale_id", fmt::format("sale '{}' does not exist", *req.sale_id));
    if (sale->at("status").as_string() != "completed")
      throw Problem(409, "sale_voided", "this sale was voided; nothing of it can be returned", "sale_id");
    if (sale->at("training").as_bool() && !req.training)
      throw Problem(409, "training_sale", "a training sale cannot be returned (except in training)", "sale_id");
    location_id = req.location_id.value_or(std::string(sale->at("location_id").as_string()));
  } else {
    location_id = *req.location_id;
  }
  // Where the goods come back: a key scoped to a store takes returns of any store's
  // receipt into its own store (cross-store returns), never into another's.
  stock::check_location_scope(actor, location_id);
  auto location = stock::require_location(db, location_id, "location_id");
  auto settings = load_settings(db);
  std::optional<Actor> approver;
  if (!sale && !actor.can(permission::returns_no_receipt)) {
    approver = approve(db, actor, req.override_token, permission::returns_no_receipt);
    if (!approver)
      throw Problem(403, "forbidden", "a return without a receipt needs returns.no_receipt or a manager's override_token",
                    "override_token");
  }

  struct Line {
    std::string id, item_id;
    std::optional<std::string> sale_line_id;
    Quantity quantity;
    Refund refund;
    std::int64_t tax_rate_bp = 0;
    const ReturnLineRequest* request;
    std::string to_location;
    std::vector<Movement> moves;
  };
  std::vector<Line> lines;
  std::map<std::string, Quantity> returning;  // per sale line, within this request
  for (std::size_t i = 0; i < req.lines.size(); ++i) {
    const auto& in = req.lines[i];
    std::string path = fmt::format("lines[{}]", i);
    Line line{new_uuid_v7(), "", in.sale_line_id, in.quantity, {}, 0, &in, "", {}};
    line.to_location = in.disposition == "restock" ? location.id : stock::bin_of(db, location.id, in.disposition);
    if (sale) {
      SaleLineRow row;
      {
        auto q = db.query(
            "SELECT id, item_id, quantity, returned_quantity, total, tax, tax_rate_bp FROM sale_lines WHERE id = ? AND "
            "sale_id = ?");
        q.bind(1, *in.sale_line_id).bind(2, *req.sale_id);
        if (!q.step()) throw invalid_field(path + ".sale_line_id", "not a line of this sale");
        row = SaleLineRow{q.text(0), q.text(1), Quantity{q.int64(2)}, Quantity{q.int64(3)}, q.int64(4), q.int64(5),
                          q.int64(6)};
      }
      Quantity before = row.returned + returning[row.id];
      if (before + in.quantity > row.quantity) {
        Problem p(409, "return_exceeds_sold",
                  fmt::format("{} of this line were sold and {} returned already; {} more cannot come back",
                              format_quantity(row.quantity), format_quantity(before), format_quantity(in.quantity)),
                  path + ".quantity");
        p.extra_json = bj::serialize(bj::object{{"returnable", json::quantity_value(row.quantity - before)}});
        throw p;
      }
      returning[row.id] = returning[row.id] + in.quantity;
      line.item_id = row.item_id;
      line.tax_rate_bp = row.tax_rate_bp;
      line.refund = prorate_refund(row.total, row.tax, row.quantity, before, in.quantity, settings.rules.rounding);
      // Put back the share of what the sale line actually took from the ledger.
      auto q = db.query(
          "SELECT item_id, SUM(quantity) FROM stock_movements WHERE document_id = ? AND document_line_id = ? "
          "GROUP BY item_id ORDER BY item_id");
      q.bind(1, *req.sale_id).bind(2, row.id);
      while (q.step()) {
        std::int64_t taken = -q.int64(1);
        auto share = [&](Quantity upto) {
          return upto == row.quantity ? taken : mul_div_round(taken, upto.milli, row.quantity.milli, RoundingMode::half_even);
        };
        Quantity back{share(before + in.quantity) - share(before)};
        line.moves.push_back(Movement{q.text(0), line.to_location, back, "return", "return", return_id, line.id});
      }
    } else {
      auto item = catalog::store::load_item(db, *in.item_id);
      if (!item || !item->sellable() || !item->price)
        throw invalid_field(path + ".item_id", "not a sellable item with a price");
      auto rate = settings.tax_rates.find(item->tax_category);
      auto priced = price_receipt({PriceLine{in.quantity, *item->price, std::nullopt, std::nullopt,
                                             rate == settings.tax_rates.end() ? 0 : rate->second}},
                                  std::nullopt, settings.rules);
      line.item_id = item->id;
      line.tax_rate_bp = rate == settings.tax_rates.end() ? 0 : rate->second;
      line.refund = Refund{priced.total, priced.tax_total};
      for (auto& m : consumption(*item, in.quantity, line.to_location, return_id, line.id)) {
        m.quantity = -m.quantity;
        m.reason = "return";
        m.document_type = "return";
        line.moves.push_back(std::move(m));
      }
    }
    lines.push_back(std::move(line));
  }
  std::int64_t refund_total = 0, tax_total = 0;
  for (const auto& l : lines) {
    refund_total += l.refund.amount;
    tax_total += l.refund.tax;
  }
  if (!sale) {
    auto limit = auth::role_limits(db, approver ? *approver : actor).return_without_receipt_minor_max;
    if (refund_total > limit) {
      if (!approver) approver = approve(db, actor, req.override_token, permission::returns_no_receipt);
      if (!approver || refund_total > auth::role_limits(db, *approver).return_without_receipt_minor_max)
        throw Problem(403, "refund_over_limit",
                      fmt::format("a refund of {} without a receipt is above your limit of {}", refund_total, limit),
                      "override_token");
    }
  }
  std::int64_t credit = std::min(exchange_credit_max, refund_total);
  std::vector<TenderInput> tenders;
  if (credit > 0) tenders.push_back(TenderInput{"exchange_credit", credit, exchange_id});
  std::int64_t to_refund = refund_total - credit;
  if (!req.refund_tenders.empty()) {
    std::int64_t given = 0;
    for (const auto& t : req.refund_tenders) given += t.amount;
    if (given != to_refund)
      throw invalid_field("refund_tenders", fmt::format("refund tenders add up to {}, the refund is {}", given, to_refund));
    tenders.insert(tenders.end(), req.refund_tenders.begin(), req.refund_tenders.end());
  } else if (req.refund_to_store_credit) {
    if (req.refund_to_code && !store_credit_exists(db, *req.refund_to_code))
      throw invalid_field(req.path.empty() ? "refund_to_code" : req.path + ".refund_to_code",
                          "no store credit has this code");
    // A training return names no note: it tops up nothing and issues nothing.
    if (to_refund > 0)
      tenders.push_back(TenderInput{"store_credit", to_refund, req.training ? std::nullopt : req.refund_to_code});
  } else if (to_refund > 0) {
    if (sale) {
      for (auto& c : refund_capacity(db, *req.sale_id, sale->at("change_due").as_int64())) {
        if (to_refund == 0) break;
        std::int64_t take = std::min(to_refund, c.amount);
        if (take <= 0) continue;
        tenders.push_back(TenderInput{c.type, take, c.reference});
        to_refund -= take;
      }
    }
    if (to_refund > 0) {
      // With a receipt, what the sale's card and credit tenders cannot take goes back as
      // cash; without one, the shop's policy decides (a new credit note by default).
      bool cash = sale || settings.no_receipt_refund_cash;
      tenders.push_back(TenderInput{cash ? "cash" : "store_credit", to_refund, std::nullopt});
    }
  }

  auto register_id = req.register_id;
  if (!register_id && sale) register_id = std::string(sale->at("register_id").as_string());
  if (req.register_id && !req.training) require_open_session(db, *req.register_id);
  std::optional<std::string> session_id = req.register_id ? session_of(db, req.register_id) : std::nullopt;
  // A training return touches a sale's returned quantities only when the sale is training too.
  bool touch_sale = !req.training || (sale && sale->at("training").as_bool());
  db.query(
        "INSERT INTO returns (id, sale_id, location_id, register_id, session_id, exchange_id, refund_total, tax_total, "
        "request_hash, created_at, user, approver, training) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, return_id)
      .bind(2, req.sale_id)
      .bind(3, location.id)
      .bind(4, register_id)
      .bind(5, session_id)
      .bind(6, exchange_id)
      .bind(7, refund_total)
      .bind(8, tax_total)
      .bind(9, req.key.request_hash)
      .bind(10, now().micros)
      .bind(11, actor.user)
      .bind(12, approver ? std::optional(approver->user) : std::nullopt)
      .bind(13, req.training)
      .run();
  std::vector<Movement> moves;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    db.query(
          "INSERT INTO return_lines (id, return_id, line_no, sale_line_id, item_id, quantity, refund, tax, reason, "
          "condition, disposition, location_id, tax_rate_bp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, l.id)
        .bind(2, return_id)
        .bind(3, static_cast<std::int64_t>(i + 1))
        .bind(4, l.sale_line_id)
        .bind(5, l.item_id)
        .bind(6, l.quantity.milli)
        .bind(7, l.refund.amount)
        .bind(8, l.refund.tax)
        .bind(9, l.request->reason)
        .bind(10, l.request->condition)
        .bind(11, l.request->disposition)
        .bind(12, l.to_location)
        .bind(13, l.tax_rate_bp)
        .run();
    if (l.sale_line_id && touch_sale)
      db.query("UPDATE sale_lines SET returned_quantity = returned_quantity + ? WHERE id = ?")
          .bind(1, l.quantity.milli)
          .bind(2, *l.sale_line_id)
          .run();
    if (!req.training) moves.insert(moves.end(), l.moves.begin(), l.moves.end());
  }
  if (!req.training)
    for (auto& t : tenders)
      if (t.type == "store_credit") t.reference = give_store_credit(db, actor, t.reference, t.amount, "return", return_id);
  for (std::size_t i = 0; i < tenders.size(); ++i)
    db.query("INSERT INTO return_tenders (return_id, seq, type, amount, reference) VALUES (?, ?, ?, ?, ?)")
        .bind(1, return_id)
        .bind(2, static_cast<std::int64_t>(i + 1))
        .bind(3, tenders[i].type)
        .bind(4, tenders[i].amount)
        .bind(5, tenders[i].reference)
        .run();
  stock::post_movements(db, moves,
                        stock::PostContext{actor.user, register_id.value_or("api"), stock::NegativeStock::allow, false});
  documents::remember(db, req.key, "return", return_id);
  auto doc = *load_return(db, return_id);
  bj::object audit{{"sale_id", opt(req.sale_id)}, {"refund_total", refund_total}, {"lines", lines.size()},
                   {"training", req.training}};
  if (approver) {
    audit["approver"] = approver->user;
    audit["approver_id"] = approver->user_id;
  }
  append_audit(db, actor, AuditEntry{"return.create", "return", return_id, std::nullopt, bj::serialize(audit)});
  if (!req.training) append_event(db, "return.completed", return_id, bj::serialize(doc));
  return ReturnPosted{Posted{std::move(doc), false}, refund_total, credit};
}

// ------------------------------------------------------------------------------ exchanges

std::optional<bj::object> load_exchange(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT id, return_id, sale_id, created_at, user FROM exchanges WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  auto ret = *load_return(db, q.text(1));
  auto sale = *load_sale(db, q.text(2));
  std::int64_t credit = 0;
  for (const auto& t : ret.at("tenders").as_array())
    if (t.at("type").as_string() == "exchange_credit") credit += t.at("amount").as_int64();
  std::int64_t refund_due = ret.at("refund_total").as_int64() - credit;
  std::int64_t balance_due = sale.at("total").as_int64() - credit;
  return bj::object{{"id", q.text(0)},          {"return", std::move(ret)},  {"sale", std::move(sale)},
                    {"credit", credit},         {"refund_due", refund_due}, {"balance_due", balance_due},
                    {"created_at", format_rfc3339(Timestamp{q.int64(3)})}, {"user", q.text(4)}};
}

Posted post_exchange(db::Db& db, const Actor& actor, const ExchangeRequest& req, const SaleDraft& draft) {
  db::assert_in_transaction(db);
  auto claim = documents::claim(db, req.key, "exchange", "exchange", [&](const std::string& id) {
    auto q = db.query("SELECT request_hash FROM exchanges WHERE id = ?");
    q.bind(1, id);
    return documents::prior_of(q.step() ? std::optional(q.text(0)) : std::nullopt, req.key);
  });
  if (claim.replay) return Posted{*load_exchange(db, claim.id), true};
  const std::string& exchange_id = claim.id;
  if (!req.return_request.sale_id) throw missing_field("return.sale_id");
  // An exchange is practice as a whole or not at all.
  bool training = req.return_request.training || draft.request.training;
  auto return_request = req.return_request;
  return_request.training = training;
  auto sale_draft = draft;
  sale_draft.request.training = training;
  auto ret = post_return(db, actor, return_request, draft.priced.total, exchange_id);
  auto sale = post_sale(db, actor, sale_draft, ret.credit, exchange_id);
  db.query("INSERT INTO exchanges (id, return_id, sale_id, request_hash, created_at, user) VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, exchange_id)
      .bind(2, std::string(ret.posted.document.at("id").as_string()))
      .bind(3, std::string(sale.document.at("id").as_string()))
      .bind(4, req.key.request_hash)
      .bind(5, now().micros)
      .bind(6, actor.user)
      .run();
  documents::remember(db, req.key, "exchange", exchange_id);
  auto doc = *load_exchange(db, exchange_id);
  append_audit(db, actor,
               AuditEntry{"exchange.create", "exchange", exchange_id, std::nullopt,
                          bj::serialize(bj::object{{"return_id", doc.at("return").at("id")},
                                                   {"sale_id", doc.at("sale").at("id")},
                                                   {"credit", doc.at("credit")}})});
  if (!training) append_event(db, "exchange.completed", exchange_id, bj::serialize(doc));
  return Posted{std::move(doc), false};
}

// --------------------------------------------------------------------------- parked sales

std::optional<bj::object> load_parked(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, location_id, register_id, note, body, status, parked_at, parked_by FROM parked_sales WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return bj::object{{"id", q.text(0)},
                    {"location_id", q.text(1)},
                    {"register_id", opt(q.opt_text(2))},
                    {"note", q.text(3)},
                    {"sale", bj::parse(q.text(4))},
                    {"status", q.text(5)},
                    {"parked_at", format_rfc3339(Timestamp{q.int64(6)})},
                    {"parked_by", q.text(7)}};
}

Posted park_sale(db::Db& db, const Actor& actor, const documents::DocumentKey& key, const SaleRequest& request,
                 const bj::object& body, const std::string& note) {
  db::assert_in_transaction(db);
  std::optional<bj::object> existing;
  auto claim = documents::claim(db, key, "parked", "parked sale", [&](const std::string& id) {
    existing = load_parked(db, id);
    return existing ? documents::Prior::same_request : documents::Prior::none;
  });
  if (claim.replay) return Posted{std::move(*existing), true};
  const std::string& id = claim.id;
  stock::require_location(db, request.location_id, "location_id");
  bj::object stored = body;
  stored.erase("id");
  stored.erase("note");
  db.query(
        "INSERT INTO parked_sales (id, location_id, register_id, note, body, status, parked_at, parked_by) "
        "VALUES (?, ?, ?, ?, ?, 'parked', ?, ?)")
      .bind(1, id)
      .bind(2, request.location_id)
      .bind(3, request.register_id)
      .bind(4, note)
      .bind(5, bj::serialize(stored))
      .bind(6, now().micros)
      .bind(7, actor.user)
      .run();
  documents::remember(db, key, "parked", id);
  auto doc = *load_parked(db, id);
  append_audit(db, actor, AuditEntry{"sale.park", "parked_sale", id, std::nullopt, bj::serialize(doc)});
  return Posted{std::move(doc), false};
}

std::vector<bj::object> list_parked(db::Db& db, const std::string& location_id, const std::string& register_id) {
  std::vector<std::string> ids;
  {
    auto q = db.query(
        "SELECT id FROM parked_sales WHERE status = 'parked' AND (?1 = '' OR location_id = ?1) AND "
        "(?2 = '' OR register_id = ?2) ORDER BY parked_at LIMIT 500");
    q.bind(1, location_id).bind(2, register_id);
    while (q.step()) ids.push_back(q.text(0));
  }
  std::vector<bj::object> out;
  for (const auto& id : ids) out.push_back(*load_parked(db, id));
  return out;
}

Posted close_parked(db::Db& db, const Actor& actor, const std::string& id, const std::string& status) {
  db::assert_in_transaction(db);
  auto doc = load_parked(db, id);
  if (!doc) throw not_found("parked sale", id);
  stock::check_location_scope(actor, std::string(doc->at("location_id").as_string()));
  if (doc->at("status").as_string() == status) return Posted{std::move(*doc), true};
  if (doc->at("status").as_string() != "parked")
    throw Problem(409, "not_parked", fmt::format("this sale was already {}", doc->at("status").as_string().c_str()));
  db.query("UPDATE parked_sales SET status = ?, closed_at = ? WHERE id = ?").bind(1, status).bind(2, now().micros).bind(3, id).run();
  auto after = *load_parked(db, id);
  append_audit(db, actor, AuditEntry{"sale.park." + status, "parked_sale", id, std::nullopt, bj::serialize(after)});
  return Posted{std::move(after), false};
}

// ----------------------------------------------------------------------- register sessions

bool is_counted_tender(std::string_view type) { return type == "cash" || type == "card" || type == "store_credit"; }
bool is_cash_movement_kind(std::string_view kind) {
  return kind == "paid_in" || kind == "paid_out" || kind == "safe_drop";
}

namespace {

using Counted = std::map<std::string, std::int64_t>;

// The X report of a session (counted: nullptr) or its Z report (what was counted per
// tender). Training documents never count. Expected per tender: cash = float + cash sales
// - cash refunds + paid in - paid out - safe drops; card = card sales - card refunds;
// store credit = credit notes taken (refunds to store credit issue notes, no drawer holds them).
bj::object session_report(db::Db& db, const std::string& session_id, const std::string& register_id,
                          std::int64_t opening_float, const Counted* counted) {
  std::int64_t sales_count = 0, gross = 0, discounts = 0, sales_total = 0, change = 0, voids = 0;
  {
    auto q = db.query(
        "SELECT status, COUNT(*), COALESCE(SUM(subtotal), 0), COALESCE(SUM(discount_total), 0), COALESCE(SUM(total), 0), "
        "COALESCE(SUM(change_due), 0) FROM sales WHERE session_id = ? AND training = 0 GROUP BY status");
    q.bind(1, session_id);
    while (q.step()) {
      if (q.text(0) == "completed") {
        sales_count = q.int64(1);
        gross = q.int64(2);
        discounts = q.int64(3);
        sales_total = q.int64(4);
        change = q.int64(5);
      } else {
        voids = q.int64(1);
      }
    }
  }
  std::map<std::string, std::int64_t> taken, refunded;
  {
    auto q = db.query(
        "SELECT t.type, SUM(t.amount) FROM sale_tenders t JOIN sales s ON s.id = t.sale_id WHERE s.session_id = ? "
        "AND s.training = 0 AND s.status = 'completed' AND t.type <> 'exchange_credit' GROUP BY t.type");
    q.bind(1, session_id);
    while (q.step()) taken[q.text(0)] = q.int64(1);
  }
  taken["cash"] -= change;
  std::int64_t returns_count = 0, returns_total = 0;
  {
    auto q = db.query(
        "SELECT COUNT(*), COALESCE(SUM(refund_total), 0) FROM returns WHERE session_id = ? AND training = 0");
    q.bind(1, session_id);
    q.step();
    returns_count = q.int64(0);
    returns_total = q.int64(1);
    auto t = db.query(
        "SELECT t.type, SUM(t.amount) FROM return_tenders t JOIN returns r ON r.id = t.return_id WHERE r.session_id = ? "
        "AND r.training = 0 AND t.type <> 'exchange_credit' GROUP BY t.type");
    t.bind(1, session_id);
    while (t.step()) refunded[t.text(0)] = t.int64(1);
  }
  std::map<std::string, std::int64_t> cash_moves{{"paid_in", 0}, {"paid_out", 0}, {"safe_drop", 0}};
  {
    auto q = db.query("SELECT kind, SUM(amount) FROM register_cash_movements WHERE session_id = ? GROUP BY kind");
    q.bind(1, session_id);
    while (q.step()) cash_moves[q.text(0)] = q.int64(1);
  }
  std::int64_t exchanges = 0;
  {
    auto q = db.query(
        "SELECT COUNT(*) FROM exchanges e JOIN sales s ON s.id = e.sale_id WHERE s.session_id = ? AND s.training = 0");
    q.bind(1, session_id);
    q.step();
    exchanges = q.int64(0);
  }
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> by_rate;
  {
    auto q = db.query(
        "SELECT l.tax_rate_bp, SUM(l.total - l.tax), SUM(l.tax) FROM sale_lines l JOIN sales s ON s.id = l.sale_id "
        "WHERE s.session_id = ? AND s.training = 0 AND s.status = 'completed' GROUP BY l.tax_rate_bp");
    q.bind(1, session_id);
    while (q.step()) by_rate[q.int64(0)] = {q.int64(1), q.int64(2)};
    auto r = db.query(
        "SELECT l.tax_rate_bp, SUM(l.refund - l.tax), SUM(l.tax) FROM return_lines l JOIN returns r ON r.id = l.return_id "
        "WHERE r.session_id = ? AND r.training = 0 GROUP BY l.tax_rate_bp");
    r.bind(1, session_id);
    while (r.step()) {
      by_rate[r.int64(0)].first -= r.int64(1);
      by_rate[r.int64(0)].second -= r.int64(2);
    }
  }
  bj::array by_cashier;
  {
    auto q = db.query(
        "SELECT user_id, user, COUNT(*), SUM(total) FROM sales WHERE session_id = ? AND training = 0 AND "
        "status = 'completed' GROUP BY user_id, user ORDER BY user");
    q.bind(1, session_id);
    while (q.step()) {
      auto who = person_json(db, q.opt_text(0), q.text(1));
      by_cashier.push_back(bj::object{{"user_id", who.at("id")},
                                      {"name", who.at("name")},
                                      {"sales_count", q.int64(2)},
                                      {"sales_total", q.int64(3)}});
    }
  }
  std::set<std::string> types{"cash", "card"};
  for (const auto& [type, amount] : taken) types.insert(type);
  for (const auto& [type, amount] : refunded) types.insert(type);
  if (counted)
    for (const auto& [type, amount] : *counted) types.insert(type);
  std::int64_t cash_sales = taken["cash"], cash_refunds = refunded["cash"];
  bj::array tenders;
  for (const char* type : {"cash", "card", "store_credit"}) {
    if (!types.count(type)) continue;
    std::string t = type;
    std::int64_t expected = t == "cash" ? opening_float + cash_sales - cash_refunds + cash_moves["paid_in"] -
                                              cash_moves["paid_out"] - cash_moves["safe_drop"]
                            : t == "card" ? taken["card"] - refunded["card"]
                                          : taken["store_credit"];
    bj::object row{{"type", t}, {"expected", expected}, {"counted", nullptr}, {"over_short", nullptr}};
    if (counted) {
      auto it = counted->find(t);
      std::int64_t c = it == counted->end() ? 0 : it->second;
      row["counted"] = c;
      row["over_short"] = c - expected;
    }
    tenders.push_back(std::move(row));
  }
  std::string location_id;
  {
    auto q = db.query("SELECT location_id FROM registers WHERE id = ?");
    q.bind(1, register_id);
    if (q.step()) location_id = q.text(0);
  }
  return bj::object{{"opening_float", opening_float},
                    {"cash_sales", cash_sales},
                    {"cash_refunds", cash_refunds},
                    {"paid_in", cash_moves["paid_in"]},
                    {"paid_out", cash_moves["paid_out"]},
                    {"safe_drops", cash_moves["safe_drop"]},
                    {"tenders", std::move(tenders)},
                    {"sales_count", sales_count},
                    {"returns_count", returns_count},
                    {"voids_count", voids},
                    {"exchanges_count", exchanges},
                    {"gross_sales", gross},
                    {"discounts", discounts},
                    {"returns_total", returns_total},
                    {"net_sales", sales_total - returns_total},
                    {"taxes", taxes_json(by_rate)},
                    {"by_cashier", std::move(by_cashier)},
                    {"register", register_json(db, register_id)},
                    {"location", location_json(db, location_id)}};
}

}  // namespace

std::optional<bj::object> load_session(db::Db& db, const std::string& register_id, const std::string& session_id) {
  auto q = db.query(
      "SELECT id, register_id, status, opening_float, number, opened_at, opened_by, closed_at, closed_by, z_report, counted "
      "FROM register_sessions WHERE id = ? AND register_id = ?");
  q.bind(1, session_id).bind(2, register_id);
  if (!q.step()) return std::nullopt;
  bj::object o{{"id", q.text(0)},
               {"number", q.int64(4)},
               {"register_id", q.text(1)},
               {"register", register_json(db, register_id)},
               {"status", q.text(2)},
               {"opening_float", q.int64(3)},
               {"opened_at", format_rfc3339(Timestamp{q.int64(5)})},
               {"opened_by", person_json(db, std::nullopt, q.text(6))}};
  o["closed_at"] = q.is_null(7) ? bj::value(nullptr) : bj::value(format_rfc3339(Timestamp{q.int64(7)}));
  o["closed_by"] = q.is_null(8) ? bj::value(nullptr) : bj::value(person_json(db, std::nullopt, q.text(8)));
  o["counted"] = q.is_null(10) ? bj::value(nullptr) : bj::parse(q.text(10));
  if (auto z = q.opt_text(9))
    o["z_report"] = bj::parse(*z);
  else
    o["x_report"] = session_report(db, session_id, register_id, q.int64(3), nullptr);
  return o;
}

std::optional<bj::object> current_session(db::Db& db, const std::string& register_id) {
  auto id = session_of(db, register_id);
  if (!id) return std::nullopt;
  return load_session(db, register_id, *id);
}

std::vector<bj::object> list_sessions(db::Db& db, const std::string& register_id, const std::string& before_id,
                                      int limit) {
  std::vector<std::string> ids;
  {
    auto q = db.query(
        "SELECT id FROM register_sessions WHERE register_id = ?1 AND (?2 = '' OR number < (SELECT number FROM "
        "register_sessions WHERE id = ?2)) ORDER BY number DESC LIMIT ?3");
    q.bind(1, register_id).bind(2, before_id).bind(3, limit + 1);
    while (q.step()) ids.push_back(q.text(0));
  }
  std::vector<bj::object> out;
  for (const auto& id : ids) out.push_back(*load_session(db, register_id, id));
  return out;
}

Posted open_session(db::Db& db, const Actor& actor, const documents::DocumentKey& key, const std::string& register_id,
                    const std::string& location_id, std::int64_t opening_float) {
  db::assert_in_transaction(db);
  std::optional<bj::object> existing;
  auto claim = documents::claim(db, key, "session", "register session", [&](const std::string& id) {
    existing = load_session(db, register_id, id);
    return existing ? documents::Prior::same_request : documents::Prior::none;
  });
  if (claim.replay) return Posted{std::move(*existing), true};
  auto location = stock::require_location(db, location_id, "location_id");
  take_register(db, register_id, location.id);
  if (session_of(db, register_id))
    throw Problem(409, "session_open", fmt::format("register {} already has an open session; close it first", register_id));
  const std::string& id = claim.id;
  db.query(
        "INSERT INTO register_sessions (id, register_id, status, opening_float, opened_at, opened_by, number) "
        "VALUES (?1, ?2, 'open', ?3, ?4, ?5, (SELECT COALESCE(MAX(number), 0) + 1 FROM register_sessions WHERE "
        "register_id = ?2))")
      .bind(1, id)
      .bind(2, register_id)
      .bind(3, opening_float)
      .bind(4, now().micros)
      .bind(5, actor.user)
      .run();
  documents::remember(db, key, "session", id);
  auto doc = *load_session(db, register_id, id);
  append_audit(db, actor, AuditEntry{"register.open", "register_session", id, std::nullopt,
                                     bj::serialize(bj::object{{"register_id", register_id}, {"opening_float", opening_float}})});
  append_event(db, "register.opened", id, bj::serialize(doc));
  return Posted{std::move(doc), false};
}

Posted session_cash(db::Db& db, const Actor& actor, const std::string& register_id, const std::string& session_id,
                    const std::string& kind, std::int64_t amount, const std::string& reason) {
  db::assert_in_transaction(db);
  auto status = [&] {
    auto q = db.query("SELECT status FROM register_sessions WHERE id = ? AND register_id = ?");
    q.bind(1, session_id).bind(2, register_id);
    return q.step() ? std::optional(q.text(0)) : std::nullopt;
  }();
  if (!status) throw not_found("register session", session_id);
  check_register_scope(db, actor, register_id);
  if (*status != "open") throw Problem(409, "session_closed", "this session is closed");
  db.query("INSERT INTO register_cash_movements (id, session_id, kind, amount, reason, at, user) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, new_uuid_v7())
      .bind(2, session_id)
      .bind(3, kind)
      .bind(4, amount)
      .bind(5, reason)
      .bind(6, now().micros)
      .bind(7, actor.user)
      .run();
  append_audit(db, actor, AuditEntry{"register." + kind, "register_session", session_id, std::nullopt,
                                     bj::serialize(bj::object{{"amount", amount}, {"reason", reason}})});
  return Posted{*load_session(db, register_id, session_id), false};
}

Posted close_session(db::Db& db, const Actor& actor, const std::string& register_id, const std::string& session_id,
                     const Counted& counted) {
  db::assert_in_transaction(db);
  std::int64_t opening_float = 0;
  {
    auto q = db.query("SELECT status, opening_float FROM register_sessions WHERE id = ? AND register_id = ?");
    q.bind(1, session_id).bind(2, register_id);
    if (!q.step()) throw not_found("register session", session_id);
    check_register_scope(db, actor, register_id);
    if (q.text(0) == "closed") return Posted{*load_session(db, register_id, session_id), true};
    opening_float = q.int64(1);
  }
  auto z = session_report(db, session_id, register_id, opening_float, &counted);
  bj::object counted_json;
  for (const auto& [type, amount] : counted) counted_json[type] = amount;
  auto cash = counted.find("cash");
  db.query(
        "UPDATE register_sessions SET status = 'closed', counted_cash = ?, counted = ?, closed_at = ?, closed_by = ?, "
        "z_report = ? WHERE id = ?")
      .bind(1, cash == counted.end() ? 0 : cash->second)
      .bind(2, bj::serialize(counted_json))
      .bind(3, now().micros)
      .bind(4, actor.user)
      .bind(5, bj::serialize(z))
      .bind(6, session_id)
      .run();
  auto doc = *load_session(db, register_id, session_id);
  append_audit(db, actor, AuditEntry{"register.close", "register_session", session_id, std::nullopt, bj::serialize(z)});
  append_event(db, "register.closed", session_id, bj::serialize(doc));
  return Posted{std::move(doc), false};
}

void seed_demo_registers(db::Db& db, const Actor& actor) {
  db::assert_in_transaction(db);
  int n = 0;
  for (const auto& location : stock::list_locations(db)) {
    if (location.kind != "store" || !location.sellable) continue;
    std::string id = fmt::format("REG-{}", ++n);
    if (session_of(db, id)) continue;
    open_session(db, actor, documents::DocumentKey{std::nullopt, std::nullopt, ""}, id, location.id, 10000);
    db.query("UPDATE registers SET name = ? WHERE id = ? AND name IS NULL")
        .bind(1, fmt::format("Register {}", n))
        .bind(2, id)
        .run();
  }
}

}  // namespace backroom::sales
