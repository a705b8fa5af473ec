// Store credit's SQL: credit notes with a balance and the ledger of what moved it. A return
// refunded to store credit issues a note (or tops up the one the sale was paid with); a
// sale tendered with store credit spends it; a void gives it back. Balance = sum of entries,
// never below zero, checked by `backroom check`.
#include <sodium.h>

#include <fmt/format.h>

#include <cctype>

#include "platform/assert.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "sales/credit_ledger.hpp"
#include "sales/sales.hpp"

namespace backroom::sales {

namespace bj = boost::json;

namespace {

// Printed on the slip and typed at the till: no 0/O, 1/I/L.
constexpr std::string_view credit_code_alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

std::string generate_credit_code() {
  std::string code = "SC";
  for (int i = 0; i < 12; ++i) {
    if (i % 4 == 0) code.push_back('-');
    code.push_back(credit_code_alphabet[randombytes_uniform(static_cast<std::uint32_t>(credit_code_alphabet.size()))]);
  }
  return code;
}

struct Credit {
  std::string id;
  std::string code;
  std::int64_t balance = 0;
  std::int64_t created_at = 0;
  std::string created_by;
};

std::optional<Credit> find_credit(db::Db& db, const std::string& code) {
  auto q = db.query("SELECT id, code, balance, created_at, created_by FROM store_credits WHERE code = ?");
  q.bind(1, normalize_credit_code(code));
  if (!q.step()) return std::nullopt;
  return Credit{q.text(0), q.text(1), q.int64(2), q.int64(3), q.text(4)};
}

void add_entry(db::Db& db, const Actor& actor, const std::string& credit_id, std::int64_t amount,
               const std::string& document_type, const std::string& document_id) {
  db::assert_in_transaction(db);
  db.query("UPDATE store_credits SET balance = balance + ? WHERE id = ?").bind(1, amount).bind(2, credit_id).run();
  db.query(
        "INSERT INTO store_credit_entries (credit_id, amount, document_type, document_id, at, user) "
        "VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, credit_id)
      .bind(2, amount)
      .bind(3, document_type)
      .bind(4, document_id)
      .bind(5, now().micros)
      .bind(6, actor.user)
      .run();
}

}  // namespace

std::string normalize_credit_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

void spend_store_credit(db::Db& db, const Actor& actor, const std::string& code, std::int64_t amount,
                        const std::string& field, const std::string& sale_id) {
  db::assert_in_transaction(db);
  auto credit = find_credit(db, code);
  if (!credit) throw invalid_field(field, "no store credit has this code");
  if (credit->balance < amount) {
    Problem p(409, "insufficient_store_credit",
              fmt::format("store credit {} holds {}, less than the {} tendered", credit->code, credit->balance, amount),
              field);
    p.extra_json = bj::serialize(bj::object{{"balance", credit->balance}, {"amount", amount}});
    throw p;
  }
  add_entry(db, actor, credit->id, -amount, "sale", sale_id);
}

std::string give_store_credit(db::Db& db, const Actor& actor, const std::optional<std::string>& code,
                              std::int64_t amount, const std::string& document_type, const std::string& document_id) {
  db::assert_in_transaction(db);
  // An unknown code (a sale paid with a voucher from before store credit had a ledger)
  // gets a new credit note rather than a refused refund; the return shows the new code.
  std::optional<Credit> credit = code ? find_credit(db, *code) : std::nullopt;
  if (!credit) {
    credit = Credit{new_uuid_v7(), generate_credit_code(), 0, now().micros, actor.user};
    db.query("INSERT INTO store_credits (id, code, balance, created_at, created_by) VALUES (?, ?, 0, ?, ?)")
        .bind(1, credit->id)
        .bind(2, credit->code)
        .bind(3, credit->created_at)
        .bind(4, credit->created_by)
        .run();
  }
  add_entry(db, actor, credit->id, amount, document_type, document_id);
  return credit->code;
}

void return_spent_store_credit(db::Db& db, const Actor& actor, const std::string& sale_id, const std::string& void_id) {
  db::assert_in_transaction(db);
  std::vector<std::pair<std::string, std::int64_t>> spent;  // credit id, amount the sale took
  {
    auto q = db.query(
        "SELECT credit_id, -SUM(amount) FROM store_credit_entries WHERE document_type = 'sale' AND document_id = ? "
        "GROUP BY credit_id");
    q.bind(1, sale_id);
    while (q.step()) spent.emplace_back(q.text(0), q.int64(1));
  }
  for (const auto& [credit_id, amount] : spent)
    if (amount > 0) add_entry(db, actor, credit_id, amount, "void", void_id);
}

bool store_credit_exists(db::Db& db, const std::string& code) { return find_credit(db, code).has_value(); }

namespace {

// The note with `code`, made with that very code (no entry yet) when there is none.
Credit take_credit(db::Db& db, const Actor& actor, const std::string& code) {
  if (auto credit = find_credit(db, code)) return *credit;
  Credit credit{new_uuid_v7(), normalize_credit_code(code), 0, now().micros, actor.user};
  db.query("INSERT INTO store_credits (id, code, balance, created_at, created_by) VALUES (?, ?, 0, ?, ?)")
      .bind(1, credit.id)
      .bind(2, credit.code)
      .bind(3, credit.created_at)
      .bind(4, credit.created_by)
      .run();
  return credit;
}

}  // namespace

void give_store_credit_as(db::Db& db, const Actor& actor, const std::string& code, std::int64_t amount,
                          const std::string& document_type, const std::string& document_id) {
  db::assert_in_transaction(db);
  if (amount <= 0) return;
  auto credit = take_credit(db, actor, code);
  add_entry(db, actor, credit.id, amount, document_type, document_id);
}

std::int64_t spend_store_credit_up_to(db::Db& db, const Actor& actor, const std::string& code, std::int64_t amount,
                                      const std::string& sale_id) {
  db::assert_in_transaction(db);
  if (amount <= 0) return 0;
  auto credit = code.empty() ? std::nullopt : find_credit(db, code);
  std::int64_t take = credit ? std::min(credit->balance, amount) : 0;
  if (take > 0) add_entry(db, actor, credit->id, -take, "sale", sale_id);
  std::int64_t short_by = amount - take;
  if (short_by > 0)
    db.query(
          "INSERT INTO store_credit_shortfalls (sale_id, code, amount, at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (sale_id, code) DO UPDATE SET amount = store_credit_shortfalls.amount + excluded.amount")
        .bind(1, sale_id)
        .bind(2, normalize_credit_code(code))
        .bind(3, short_by)
        .bind(4, now().micros)
        .run();
  return short_by;
}

std::int64_t settle_store_credit_shortfall(db::Db& db, const Actor& actor, const std::string& sale_id,
                                           const std::string& code, std::string_view settlement, const std::string& note) {
  db::assert_in_transaction(db);
  auto q = db.query("SELECT amount, settlement FROM store_credit_shortfalls WHERE sale_id = ? AND code = ?");
  q.bind(1, sale_id).bind(2, normalize_credit_code(code));
  if (!q.step()) throw not_found("store credit shortfall", sale_id);
  if (!q.is_null(1))
    throw Problem(409, "already_settled", fmt::format("this shortfall was settled already ({})", q.text(1)), "settlement");
  std::int64_t amount = q.int64(0);
  db.query(
        "UPDATE store_credit_shortfalls SET settlement = ?, settled_at = ?, settled_by = ?, settlement_note = ? "
        "WHERE sale_id = ? AND code = ? AND settlement IS NULL")
      .bind(1, std::string(settlement))
      .bind(2, now().micros)
      .bind(3, actor.user)
      .bind(4, note)
      .bind(5, sale_id)
      .bind(6, normalize_credit_code(code))
      .run();
  return amount;
}

std::vector<CreditEntry> store_credit_entries(db::Db& db, const std::string& code) {
  std::vector<CreditEntry> out;
  auto q = db.query(
      "SELECT e.document_type, e.document_id, e.amount FROM store_credit_entries e JOIN store_credits c ON c.id = "
      "e.credit_id WHERE c.code = ? ORDER BY e.seq");
  q.bind(1, normalize_credit_code(code));
  while (q.step()) out.push_back(CreditEntry{q.text(0), q.text(1), q.int64(2)});
  return out;
}

void mirror_store_credit(db::Db& db, const Actor& actor, const std::string& code, std::int64_t balance,
                         const std::string& reference) {
  db::assert_in_transaction(db);
  if (balance < 0) balance = 0;
  auto credit = take_credit(db, actor, code);
  if (balance != credit.balance) add_entry(db, actor, credit.id, balance - credit.balance, "head_office", reference);
}

std::optional<bj::object> load_store_credit(db::Db& db, const std::string& code) {
  auto credit = find_credit(db, code);
  if (!credit) return std::nullopt;
  bj::object o{{"id", credit->id},
               {"code", credit->code},
               {"balance", credit->balance},
               {"created_at", format_rfc3339(Timestamp{credit->created_at})},
               {"created_by", credit->created_by}};
  bj::array entries;
  auto q = db.query(
      "SELECT e.seq, e.amount, e.document_type, e.document_id, e.at, e.user, CASE e.document_type "
      "WHEN 'sale' THEN (SELECT receipt_number FROM sales WHERE id = e.document_id) "
      "WHEN 'head_office' THEN NULL "
      "WHEN 'void' THEN (SELECT s.receipt_number FROM sale_voids v JOIN sales s ON s.id = v.sale_id WHERE v.id = e.document_id) "
      "ELSE (SELECT s.receipt_number FROM returns r JOIN sales s ON s.id = r.sale_id WHERE r.id = e.document_id) END "
      "FROM store_credit_entries e WHERE e.credit_id = ? ORDER BY e.seq");
  q.bind(1, credit->id);
  while (q.step())
    entries.push_back(bj::object{{"seq", q.int64(0)},
                                 {"amount", q.int64(1)},
                                 {"document_type", q.text(2)},
                                 {"document_id", q.text(3)},
                                 {"at", format_rfc3339(Timestamp{q.int64(4)})},
                                 {"user", q.text(5)},
                                 {"receipt_number", q.is_null(6) ? bj::value(nullptr) : bj::value(q.text(6))}});
  o["entries"] = std::move(entries);
  // At head office: what store nodes' sales took from this note beyond its balance (each a
  // store_credit_overdrawn conflict).
  bj::array shortfalls;
  // Each with its settlement once a person settled it (null before): how, when, by whom, and the note.
  auto f = db.query(
      "SELECT sale_id, amount, at, settlement, settled_at, settled_by, settlement_note FROM store_credit_shortfalls "
      "WHERE code = ? ORDER BY at, sale_id");
  f.bind(1, credit->code);
  while (f.step()) {
    bj::value settled = nullptr;
    if (!f.is_null(3))
      settled = bj::object{{"settlement", f.text(3)},
                           {"at", format_rfc3339(Timestamp{f.int64(4)})},
                           {"by", f.text(5)},
                           {"note", f.is_null(6) ? bj::value(nullptr) : bj::value(f.text(6))}};
    shortfalls.push_back(bj::object{{"sale_id", f.text(0)},
                                    {"amount", f.int64(1)},
                                    {"at", format_rfc3339(Timestamp{f.int64(2)})},
                                    {"settled", std::move(settled)}});
  }
  o["shortfalls"] = std::move(shortfalls);
  return o;
}

namespace {

// A note's store, as far as the ledger tells: where the return that first gave to it was.
// `credit` is the alias of the store_credits row.
std::string note_store_sql(std::string_view credit) {
  return fmt::format(
      "(SELECT r.location_id FROM store_credit_entries f JOIN returns r ON r.id = f.document_id WHERE f.credit_id = "
      "{}.id AND f.document_type = 'return' ORDER BY f.seq LIMIT 1)",
      credit);
}

}  // namespace

std::vector<CreditLedgerSum> store_credit_ledger_sums(db::Db& db, Timestamp start, Timestamp end,
                                                      const std::optional<std::string>& issued_at) {
  std::vector<CreditLedgerSum> out;
  static const std::string sql = fmt::format(
      "SELECT e.document_type, CASE WHEN e.at < ?1 THEN 0 WHEN e.at < ?2 THEN 1 ELSE 2 END, SUM(e.amount), COUNT(*) "
      "FROM store_credit_entries e WHERE (?3 = '' OR e.credit_id IN (SELECT c.id FROM store_credits c WHERE {} = ?3)) "
      "GROUP BY 1, 2",
      note_store_sql("c"));
  auto q = db.query(sql);
  q.bind(1, start.micros).bind(2, end.micros).bind(3, issued_at.value_or(""));
  while (q.step())
    out.push_back(CreditLedgerSum{q.text(0), static_cast<LedgerPhase>(q.int64(1)), q.int64(2), q.int64(3)});
  return out;
}

std::int64_t store_credit_balances(db::Db& db, const std::optional<std::string>& issued_at) {
  static const std::string sql =
      fmt::format("SELECT COALESCE(SUM(c.balance), 0) FROM store_credits c WHERE ?1 = '' OR {} = ?1", note_store_sql("c"));
  auto q = db.query(sql);
  q.bind(1, issued_at.value_or(""));
  q.step();
  return q.int64(0);
}

std::vector<CreditShortfall> store_credit_shortfalls_for(db::Db& db, Timestamp start, Timestamp end,
                                                         const std::optional<std::string>& sale_location,
                                                         std::size_t limit) {
  std::vector<CreditShortfall> out;
  auto q = db.query(
      "SELECT f.sale_id, s.receipt_number, s.location_id, f.code, f.amount, f.at, f.settlement, f.settled_at, "
      "f.settled_by, f.settlement_note FROM store_credit_shortfalls f JOIN sales s ON s.id = f.sale_id "
      "WHERE f.at < ?2 AND (f.settled_at IS NULL OR f.settled_at >= ?1) AND (?3 = '' OR s.location_id = ?3) "
      "ORDER BY f.at, f.sale_id, f.code LIMIT ?4");
  q.bind(1, start.micros).bind(2, end.micros).bind(3, sale_location.value_or("")).bind(4, static_cast<std::int64_t>(limit));
  while (q.step()) {
    CreditShortfall f{q.text(0), q.text(1), q.text(2), q.text(3), q.int64(4), Timestamp{q.int64(5)}, {}, {}, {}, {}};
    if (!q.is_null(6)) f.settlement = q.text(6);
    if (!q.is_null(7)) f.settled_at = Timestamp{q.int64(7)};
    if (!q.is_null(8)) f.settled_by = q.text(8);
    if (!q.is_null(9)) f.note = q.text(9);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<CreditNoteRow> list_store_credits(db::Db& db, bool open_only, const std::string& before_id, std::size_t limit) {
  std::vector<CreditNoteRow> out;
  static const std::string sql = fmt::format(
      "SELECT c.id, c.code, c.balance, c.created_at, (SELECT MAX(e.at) FROM store_credit_entries e WHERE e.credit_id = "
      "c.id AND e.document_type = 'sale'), {} FROM store_credits c WHERE (?1 = 0 OR c.balance > 0) AND "
      "(?2 = '' OR c.id < ?2) ORDER BY c.id DESC LIMIT ?3",
      note_store_sql("c"));
  auto q = db.query(sql);
  q.bind(1, static_cast<std::int64_t>(open_only)).bind(2, before_id).bind(3, static_cast<std::int64_t>(limit));
  while (q.step()) {
    CreditNoteRow row{q.text(0), q.text(1), q.int64(2), Timestamp{q.int64(3)}, {}, {}};
    if (!q.is_null(4)) row.last_used_at = Timestamp{q.int64(4)};
    if (!q.is_null(5)) row.location_id = q.text(5);
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<std::string> check_store_credits(db::Db& db) {
  std::vector<std::string> problems;
  auto q = db.query(
      "SELECT c.code, c.balance, COALESCE((SELECT SUM(amount) FROM store_credit_entries e WHERE e.credit_id = c.id), 0) "
      "FROM store_credits c");
  while (q.step())
    if (q.int64(1) != q.int64(2) || q.int64(1) < 0)
      problems.push_back(fmt::format("store credit {}: balance {} but entries sum to {}", q.text(0), q.int64(1), q.int64(2)));
  // Every store-credit tender of a sale that is not training spent exactly that much, less
  // what head office could not cover of a store node's sale (its shortfall, listed as a
  // store_credit_overdrawn conflict). A node's sale from before migration 45 spent the node's
  // credit only (head office kept no node notes then).
  auto t = db.query(
      "SELECT t.sale_id, t.amount, COALESCE((SELECT -SUM(e.amount) FROM store_credit_entries e WHERE e.document_type = "
      "'sale' AND e.document_id = t.sale_id), 0), COALESCE((SELECT SUM(f.amount) FROM store_credit_shortfalls f WHERE "
      "f.sale_id = t.sale_id), 0) FROM (SELECT sale_id, SUM(amount) AS amount FROM sale_tenders WHERE "
      "type = 'store_credit' GROUP BY sale_id) t JOIN sales s ON s.id = t.sale_id WHERE s.training = 0 AND "
      "(s.register_id NOT LIKE 'node:%' OR s.created_at >= (SELECT applied_at FROM schema_migrations WHERE version = 45)) AND "
      "s.created_at >= (SELECT applied_at FROM schema_migrations WHERE version = 5)");  // older tenders had no ledger
  while (t.step())
    if (t.int64(1) != t.int64(2) + t.int64(3))
      problems.push_back(fmt::format("sale {}: store credit tendered {} but {} spent from credits and {} short", t.text(0),
                                     t.int64(1), t.int64(2), t.int64(3)));
  // A shortfall is a store node's sale's only.
  auto f = db.query(
      "SELECT f.sale_id FROM store_credit_shortfalls f JOIN sales s ON s.id = f.sale_id WHERE s.register_id NOT LIKE 'node:%'");
  while (f.step()) problems.push_back(fmt::format("sale {}: a store-credit shortfall on a sale that is not a store node's", f.text(0)));
  // A settled shortfall says who settled it and when (migration 49).
  auto settled = db.query(
      "SELECT sale_id FROM store_credit_shortfalls WHERE settlement IS NOT NULL AND (settled_at IS NULL OR settled_by IS NULL)");
  while (settled.step())
    problems.push_back(fmt::format("sale {}: a store-credit shortfall settled without who and when", settled.text(0)));
  return problems;
}

}  // namespace backroom::sales
