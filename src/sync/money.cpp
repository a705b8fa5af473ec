// A store node's sales money in head office's journal (sync/money.hpp).
#include "sync/money.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"
#include "sales/sale.hpp"
#include "sales/sales.hpp"
#include "sales/sales_store.hpp"
#include "sales/sales_store_batch.hpp"

namespace backroom::sync {

namespace bj = boost::json;

namespace {

std::string node_short(const std::string& node_id) {
  return node_id.size() > 12 ? node_id.substr(node_id.size() - 12) : node_id;
}

// Readers of the node's payload: it is the node's own sale_json / return_json, so a field of
// the wrong type is not expected; it reads as empty rather than stopping the push.
std::string text(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
std::optional<std::string> opt_text(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}
std::int64_t integer(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  return 0;
}
Quantity quantity(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return Quantity{0};
  return json::as_quantity(*v).value_or(Quantity{0});
}
std::int64_t at_of(const bj::object& o, std::string_view key, std::int64_t otherwise) {
  auto t = opt_text(o, key);
  if (!t) return otherwise;
  auto parsed = parse_rfc3339(*t);
  return parsed ? parsed->micros : otherwise;
}
const bj::array& array(const bj::object& o, std::string_view key) {
  static const bj::array none;
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? v->get_array() : none;
}

std::vector<sales::Tender> tenders_of(const bj::object& o) {
  std::vector<sales::Tender> out;
  for (const auto& v : array(o, "tenders")) {
    if (!v.is_object()) continue;
    const auto& t = v.get_object();
    out.push_back(sales::Tender{sales::tender_types.parse(text(t, "type")).value_or(sales::TenderType::cash),
                                integer(t, "amount"), opt_text(t, "reference")});
  }
  return out;
}

// The node's register as a register row at head office, made at the node's store once.
std::string take_node_register(db::Db& db, const Node& node, const std::string& node_register) {
  auto id = node_register_id(node.id, node_register);
  if (!sales::store::register_location(db, id)) {
    sales::store::insert_register(db, id, node.location_id);
    sales::store::name_register_if_unnamed(db, id, fmt::format("{} (store node)", node_register));
  }
  return id;
}

// The payload is not a whole document: nothing of it is written.
struct Skip {
  std::string reason;
};

// Why `s` is not a sale head office's journal and `backroom check` accept, if it is not.
std::optional<std::string> incomplete(const sales::Sale& s, const std::string& node_register) {
  if (node_register.empty()) return "no register_id";
  if (s.receipt_number.empty() || s.user.empty()) return "no receipt_number or user";
  if (s.lines.empty()) return "no lines";
  std::int64_t total = 0, tax = 0, tendered = 0;
  for (const auto& l : s.lines) {
    if (l.id.empty() || l.item_id.empty() || l.quantity.milli <= 0) return "a line without id, item_id or quantity";
    total += l.total;
    tax += l.tax;
  }
  for (const auto& t : s.tenders) tendered += t.amount;
  if (total != s.total || tax != s.tax_total || tendered != s.tendered || s.tendered - s.change_due != s.total)
    return "its lines, tenders and totals do not add up";
  return std::nullopt;
}

// The node's sale as head office's journal row: its register the node register's row (not
// made here), its user's id not looked up yet.
sales::Sale sale_of(const Node& node, const store::Document& doc, const bj::object& o) {
  sales::Sale s;
  s.id = doc.entity_id;
  s.register_id = node_register_id(node.id, text(o, "register_id"));
  s.receipt_number = node_receipt_number(node.id, text(o, "receipt_number"));
  s.location_id = node.location_id;
  s.exchange_id = opt_text(o, "exchange_id");
  s.channel = opt_text(o, "channel").value_or("register");
  s.price_tier = opt_text(o, "price_tier");
  s.subtotal = integer(o, "subtotal");
  s.discount_total = integer(o, "discount_total");
  s.tax_total = integer(o, "tax_total");
  s.total = integer(o, "total");
  s.tendered = integer(o, "tendered");
  s.change_due = integer(o, "change_due");
  if (const auto* d = o.if_contains("discount"); d && d->is_object()) s.receipt_discount = bj::serialize(*d);
  s.tax_mode = sales::tax_modes.parse(text(o, "tax_mode")).value_or(sales::TaxMode::inclusive);
  s.created_at = at_of(o, "created_at", doc.node_at);
  s.user = text(o, "user");
  s.approver = opt_text(o, "approver");
  for (const auto& v : array(o, "lines")) {
    if (!v.is_object()) continue;
    const auto& l = v.get_object();
    sales::SaleLine line;
    line.id = text(l, "id");
    line.line_no = integer(l, "line_no");
    line.item_id = text(l, "item_id");
    line.sku = text(l, "sku");
    line.name = text(l, "name");
    line.code = opt_text(l, "code");
    line.quantity = quantity(l, "quantity");
    line.unit_price = integer(l, "unit_price");
    line.gross = integer(l, "gross");
    line.line_discount = integer(l, "line_discount");
    line.receipt_discount = integer(l, "receipt_discount");
    line.discount_reason = opt_text(l, "discount_reason");
    line.tax_rate_bp = integer(l, "tax_rate_bp");
    line.tax = integer(l, "tax");
    line.total = integer(l, "total");
    s.lines.push_back(std::move(line));
  }
  s.tenders = tenders_of(o);
  return s;
}

std::string request_hash_of(const store::Document& doc) { return "node-document:" + doc.id; }

// Who moved a note at head office for a node's document: its cashier, from the node.
Actor node_actor(const Node& node, const std::string& user) {
  return Actor::of(user.empty() ? "system" : user, "node:" + node_short(node.id));
}

// The sale's store-credit tenders spent at head office (written with the sale, once): each
// note by its code, up to what it holds; what is not covered comes back.
std::vector<Overdrawn> spend_node_credit(db::Db& db, const Node& node, const sales::Sale& s) {
  std::map<std::string, std::int64_t> by_code;  // one spend a note (a sale may name it twice)
  std::vector<std::string> order;
  for (const auto& t : s.tenders) {
    if (t.type != sales::TenderType::store_credit || t.amount <= 0) continue;
    auto code = sales::normalize_credit_code(t.reference.value_or(""));
    if (by_code.emplace(code, 0).second) order.push_back(code);
    by_code[code] += t.amount;
  }
  std::vector<Overdrawn> out;
  auto actor = node_actor(node, s.user);
  for (const auto& code : order) {
    auto uncovered = sales::spend_store_credit_up_to(db, actor, code, by_code[code], s.id);
    if (uncovered > 0) out.push_back(Overdrawn{code, by_code[code], uncovered});
  }
  return out;
}

std::string journal_sale(db::Db& db, const Node& node, const store::Document& doc, const bj::object& o,
                         std::vector<Overdrawn>& overdrawn) {
  if (sales::store::sale_request_hash(db, doc.entity_id)) return "";  // in the journal already
  auto s = sale_of(node, doc, o);
  auto node_register = text(o, "register_id");
  take_node_register(db, node, node_register);
  s.user_id = sales::store::person(db, std::nullopt, s.user).id;
  if (auto wrong = incomplete(s, node_register)) throw Skip{*wrong};
  sales::store::insert_sale(db, s, request_hash_of(doc));
  overdrawn = spend_node_credit(db, node, s);
  return "sale";
}

std::string journal_void(db::Db& db, const Node& node, const store::Document& doc, const bj::object& o) {
  const auto* v = o.if_contains("void");
  if (!v || !v->is_object()) return "";
  auto sale = sales::store::load_sale(db, doc.entity_id);
  // A sale the journal does not hold (pushed before head office kept node sales) stays out.
  if (!sale || sale->voided) return "";
  const auto& vo = v->get_object();
  if (text(vo, "id").empty() || text(vo, "user").empty()) throw Skip{"a void without id or user"};
  sales::SaleVoid row{text(vo, "id"), text(vo, "reason"), at_of(vo, "at", doc.node_at), text(vo, "user"),
                      opt_text(vo, "approver")};
  sales::store::insert_void(db, doc.entity_id, row);
  // What the sale spent from notes here comes back to them, as the node's void gave it back there.
  sales::return_spent_store_credit(db, node_actor(node, row.user), doc.entity_id, row.id);
  return "void";
}

std::string journal_return(db::Db& db, const Node& node, const store::Document& doc, const bj::object& o) {
  if (sales::store::return_request_hash(db, doc.entity_id)) return "";
  sales::Return r;
  r.id = doc.entity_id;
  r.sale_id = opt_text(o, "sale_id");
  // A return of a sale the journal does not hold is kept as a return without a receipt.
  bool sold_here = r.sale_id && sales::store::sale_request_hash(db, *r.sale_id);
  if (!sold_here) r.sale_id.reset();
  r.location_id = node.location_id;
  if (auto reg = opt_text(o, "register_id")) r.register_id = take_node_register(db, node, *reg);
  r.exchange_id = opt_text(o, "exchange_id");
  r.refund_total = integer(o, "refund_total");
  r.tax_total = integer(o, "tax_total");
  r.created_at = at_of(o, "created_at", doc.node_at);
  r.user = text(o, "user");
  r.approver = opt_text(o, "approver");
  for (const auto& v : array(o, "lines")) {
    if (!v.is_object()) continue;
    const auto& l = v.get_object();
    sales::ReturnLine line;
    line.id = text(l, "id");
    line.line_no = integer(l, "line_no");
    if (sold_here) line.sale_line_id = opt_text(l, "sale_line_id");
    line.item_id = text(l, "item_id");
    line.quantity = quantity(l, "quantity");
    line.refund = integer(l, "refund");
    line.tax = integer(l, "tax");
    line.tax_rate_bp = integer(l, "tax_rate_bp");
    line.reason = sales::return_reasons.parse(text(l, "reason")).value_or(sales::ReturnReason::other);
    line.condition = sales::return_conditions.parse(text(l, "condition")).value_or(sales::ReturnCondition::new_);
    line.disposition = stock::dispositions.parse(text(l, "disposition")).value_or(stock::Disposition::restock);
    // Where the goods went back is the node's location (its ids are not head office's):
    // the store itself; the stock movements say which bin.
    line.location_id = node.location_id;
    r.lines.push_back(std::move(line));
  }
  r.tenders = tenders_of(o);
  {
    std::int64_t refund = 0, paid = 0;
    for (const auto& l : r.lines) {
      if (l.id.empty() || l.item_id.empty() || l.quantity.milli <= 0) throw Skip{"a line without id, item_id or quantity"};
      refund += l.refund;
    }
    for (const auto& t : r.tenders) paid += t.amount;
    if (r.lines.empty() || r.user.empty()) throw Skip{"no lines or user"};
    if (refund != r.refund_total || paid != r.refund_total) throw Skip{"its lines, tenders and refund do not add up"};
  }
  sales::store::insert_return(db, r, "node-document:" + doc.id, sold_here);
  // Refunded to store credit: the note with the code the store printed holds it here too (a
  // tender without a code, from a hand-made document, issues nothing).
  for (const auto& t : r.tenders)
    if (t.type == sales::TenderType::store_credit && t.reference && !t.reference->empty())
      sales::give_store_credit_as(db, node_actor(node, r.user), *t.reference, t.amount, "return", r.id);
  return "return";
}

// An exchange is its return and its new sale, which the node pushed before it (one
// transaction there, in that order): the exchange row ties the two together once both are
// in the journal, each naming this exchange.
std::string journal_exchange(db::Db& db, const store::Document& doc, const bj::object& o) {
  if (sales::store::exchange_request_hash(db, doc.entity_id)) return "";
  const auto* returned = o.if_contains("return");
  const auto* sold = o.if_contains("sale");
  if (!returned || !returned->is_object() || !sold || !sold->is_object()) throw Skip{"no return or sale"};
  auto return_id = text(returned->get_object(), "id");
  auto sale_id = text(sold->get_object(), "id");
  auto r = sales::store::load_return(db, return_id);
  auto s = sales::store::load_sale(db, sale_id);
  if (!r || !s) throw Skip{"its return or its new sale is not in head office's journal"};
  if (r->exchange_id != doc.entity_id || s->exchange_id != doc.entity_id)
    throw Skip{"its return or its new sale belongs to another exchange"};
  auto user = text(o, "user");
  if (user.empty()) throw Skip{"no user"};
  sales::store::insert_exchange(db, doc.entity_id, return_id, sale_id, "node-document:" + doc.id, user,
                                at_of(o, "created_at", doc.node_at));
  return "exchange";
}

}  // namespace

std::string node_register_id(const std::string& node_id, const std::string& node_register) {
  return fmt::format("node:{}:{}", node_short(node_id), node_register);
}

std::string node_receipt_number(const std::string& node_id, const std::string& node_receipt) {
  return fmt::format("{}@{}", node_receipt, node_short(node_id));
}

namespace {

// What the journal answers for `doc` before it writes anything: another type, a payload that
// is not a JSON object, a training document. Otherwise nothing, and `parsed` is the payload
// (parsed once a push: store::payload_value).
std::optional<Journaled> before_writing(const store::Document& doc, std::shared_ptr<const bj::value>& parsed) {
  if (doc.type != "sale.completed" && doc.type != "sale.voided" && doc.type != "return.completed" &&
      doc.type != "exchange.completed")
    return Journaled{};
  try {
    parsed = store::payload_value(doc);
  } catch (const Problem&) {
    return Journaled{"", "the payload is not JSON"};
  }
  if (!parsed->is_object()) return Journaled{"", "the payload is not an object"};
  const auto& o = parsed->get_object();
  if (const auto* training = o.if_contains("training"); training && training->is_bool() && training->get_bool())
    return Journaled{};
  return std::nullopt;
}

// A pushed sale waiting to be written with the others of its push.
struct PendingSale {
  std::size_t index;  // in the push's documents
  const store::Document* doc;
  std::shared_ptr<const bj::value> parsed;
};

// Writes the pending sales into the journal as journal_node_document would one at a time, in
// one go (sales::store::insert_sales). What one at a time would decide is decided here first:
// a sale in the journal already writes nothing (a set read), a sale that is not whole is
// skipped with the same reason; a sale the database would refuse for what the push itself
// shows (its receipt number or a line id twice in the push, an item head office does not know
// (a set read), change or a tender the schema's CHECKs refuse) is written one at a time after
// the others, so it gets today's words (it is refused whenever it comes, and writes nothing).
// A receipt number or line id the journal already holds under another sale is not read for:
// only a damaged or hand-made document has one (a node's receipt numbers carry its id, its
// line ids are UUIDv7s), and reading every line id of every push cost ~10 % of PostgreSQL's
// time a push (docs/performance.md). Such a sale makes the batch fail: it is rolled back and
// every sale is written one at a time, as before, which gives the same answers.
void write_sales_reading_first(db::Db& db, const Node& node, std::vector<PendingSale>& pending, std::vector<Journaled>& out);

// The set reads bind what a node sent (ids, receipt numbers, names): a value the database cannot
// take as text (PostgreSQL refuses a NUL byte) fails the read, which would fail the whole push.
// They run in a savepoint; when one fails, every pending sale is written one at a time, each in
// its own savepoint, as before the batch (bad_input's mutated pushes: refused documents, never 500).
void write_sales(db::Db& db, const Node& node, std::vector<PendingSale>& pending, std::vector<Journaled>& out) {
  if (pending.empty()) return;
  store::savepoint(db, "node_money_reads");
  try {
    write_sales_reading_first(db, node, pending, out);
    store::release(db, "node_money_reads");
  } catch (const std::runtime_error&) {
    store::roll_back_to(db, "node_money_reads");
    for (const auto& p : pending) out[p.index] = journal_node_document(db, node, *p.doc);
  }
  pending.clear();
}

void write_sales_reading_first(db::Db& db, const Node& node, std::vector<PendingSale>& pending, std::vector<Journaled>& out) {
  std::vector<std::string> ids;
  ids.reserve(pending.size());
  for (const auto& p : pending) ids.push_back(p.doc->entity_id);
  auto in_journal = sales::store::sale_ids_in(db, ids);
  std::vector<sales::Sale> sales(pending.size());
  std::vector<std::size_t> whole, alone;  // positions in `pending`
  std::set<std::string> seen_ids;
  std::map<std::string, std::optional<std::string>> user_ids;
  std::vector<std::string> item_ids;
  for (std::size_t k = 0; k < pending.size(); ++k) {
    const auto& p = pending[k];
    const auto& o = p.parsed->get_object();
    if (in_journal.contains(p.doc->entity_id)) continue;  // in the journal already: nothing written
    if (!seen_ids.insert(p.doc->entity_id).second) {  // not expected: the caller flushes first
      alone.push_back(k);
      continue;
    }
    auto& s = sales[k];
    s = sale_of(node, *p.doc, o);
    if (auto wrong = incomplete(s, text(o, "register_id"))) {
      out[p.index] = {"", *wrong};
      continue;
    }
    auto user = user_ids.find(s.user);
    if (user == user_ids.end()) user = user_ids.emplace(s.user, sales::store::person(db, std::nullopt, s.user).id).first;
    s.user_id = user->second;
    whole.push_back(k);
    for (const auto& l : s.lines) item_ids.push_back(l.item_id);
  }
  auto known_items = sales::store::item_ids_in(db, item_ids);
  std::vector<std::size_t> writing;
  std::set<std::string> taken_receipts, taken_lines;
  for (auto k : whole) {
    const auto& s = sales[k];
    bool refused = s.change_due < 0 || taken_receipts.contains(s.receipt_number);
    for (const auto& t : s.tenders)
      if (t.amount <= 0) refused = true;
    std::set<std::string_view> own;
    for (const auto& l : s.lines)
      if (taken_lines.contains(l.id) || !own.insert(l.id).second || !known_items.contains(l.item_id))
        refused = true;
    if (refused) {
      alone.push_back(k);
      continue;
    }
    taken_receipts.insert(s.receipt_number);
    for (const auto& l : s.lines) taken_lines.insert(l.id);
    writing.push_back(k);
  }
  if (!writing.empty()) {
    store::savepoint(db, "node_money_batch");
    try {
      std::set<std::string> registers;
      std::vector<sales::store::JournalSale> rows;
      rows.reserve(writing.size());
      for (auto k : writing) {
        auto node_register = text(pending[k].parsed->get_object(), "register_id");
        if (registers.insert(node_register).second) take_node_register(db, node, node_register);
        rows.push_back({&sales[k], request_hash_of(*pending[k].doc)});
      }
      sales::store::insert_sales(db, rows);
      std::vector<std::vector<Overdrawn>> overdrawn;
      overdrawn.reserve(writing.size());
      for (auto k : writing) overdrawn.push_back(spend_node_credit(db, node, sales[k]));
      store::release(db, "node_money_batch");
      for (std::size_t w = 0; w < writing.size(); ++w)
        out[pending[writing[w]].index] = {"sale", "", std::move(overdrawn[w])};
    } catch (const std::runtime_error&) {
      store::roll_back_to(db, "node_money_batch");
      alone.insert(alone.end(), writing.begin(), writing.end());
      std::sort(alone.begin(), alone.end());
    }
  }
  for (auto k : alone) out[pending[k].index] = journal_node_document(db, node, *pending[k].doc);
}

}  // namespace

std::vector<Journaled> journal_node_documents(db::Db& db, const Node& node,
                                              const std::vector<const store::Document*>& documents) {
  std::vector<Journaled> out(documents.size());
  std::vector<PendingSale> pending;
  std::set<std::string> pending_sales;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const auto& doc = *documents[i];
    std::shared_ptr<const bj::value> parsed;
    if (auto early = before_writing(doc, parsed)) {
      out[i] = *early;
      continue;
    }
    if (doc.type == "sale.completed") {
      // The same sale again (another document naming it) waits for the first one's answer.
      if (pending_sales.contains(doc.entity_id)) {
        write_sales(db, node, pending, out);
        pending_sales.clear();
      }
      pending_sales.insert(doc.entity_id);
      pending.push_back(PendingSale{i, &doc, std::move(parsed)});
      continue;
    }
    // A void or return of a sale still waiting, or an exchange, is written after the sales
    // before it, as one at a time would.
    if (doc.type == "exchange.completed" ||
        pending_sales.contains(doc.type == "return.completed" ? text(parsed->get_object(), "sale_id") : doc.entity_id)) {
      write_sales(db, node, pending, out);
      pending_sales.clear();
    }
    out[i] = journal_node_document(db, node, doc);
  }
  write_sales(db, node, pending, out);
  return out;
}

Journaled journal_node_document(db::Db& db, const Node& node, const store::Document& doc) {
  std::shared_ptr<const bj::value> parsed;
  if (auto early = before_writing(doc, parsed)) return *early;
  const auto& o = parsed->get_object();
  // In a savepoint of its own: a row the journal refuses (a line id it holds already, an item
  // it does not know) leaves the journal as it was and the push goes on.
  store::savepoint(db, "node_money");
  try {
    std::string written;
    std::vector<Overdrawn> overdrawn;
    if (doc.type == "sale.completed")
      written = journal_sale(db, node, doc, o, overdrawn);
    else if (doc.type == "sale.voided")
      written = journal_void(db, node, doc, o);
    else if (doc.type == "exchange.completed")
      written = journal_exchange(db, doc, o);
    else
      written = journal_return(db, node, doc, o);
    store::release(db, "node_money");
    return {written, "", std::move(overdrawn)};
  } catch (const Skip& skip) {
    store::roll_back_to(db, "node_money");
    return {"", skip.reason};
  } catch (const Problem& p) {
    store::roll_back_to(db, "node_money");
    return {"", p.detail};
  } catch (const std::runtime_error&) {
    store::roll_back_to(db, "node_money");
    return {"", "head office's journal refused it"};
  }
}

boost::json::object settle_overdrawn(db::Db& db, const Actor& actor, const std::string& detail,
                                     std::string_view settlement, const std::string& note) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(detail, ec);
  const boost::json::object* o = !ec && parsed.is_object() ? &parsed.get_object() : nullptr;
  const auto* sale_id = o ? o->if_contains("sale_id") : nullptr;
  const auto* code = o ? o->if_contains("code") : nullptr;
  if (!sale_id || !sale_id->is_string() || !code || !code->is_string())
    throw Problem(409, "not_settleable", "this conflict names no sale and note to settle", "id");
  std::string sale(sale_id->get_string()), note_code(code->get_string());
  auto amount = sales::settle_store_credit_shortfall(db, actor, sale, note_code, settlement, note);
  return boost::json::object{{"sale_id", sale}, {"code", note_code}, {"amount", amount}};
}

}  // namespace backroom::sync
