// The return command: goods come back against a receipt (refunds prorated from what the
// line was sold for, stock put back as the line took it) or without one (by permission and
// within a limit, priced today), to a location or one of its bins by disposition; the
// refund goes back to the sale's tenders, to cash or to a credit note (tendering.hpp).
#include <fmt/format.h>

#include <map>

#include "access/audit.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/assert.hpp"
#include "platform/documents.hpp"
#include "platform/ids.hpp"
#include "sales/approval.hpp"
#include "sales/commands.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"
#include "sales/tendering.hpp"

namespace backroom::sales {

namespace bj = boost::json;
using stock::Movement;

namespace {

// Why a refund to a note this server does not hold is refused, in words for the cashier.
std::string refund_note_refused(HeadOfficeReach reach) {
  switch (reach) {
    case HeadOfficeReach::unknown:
      return "no store credit has this code, here or at head office";
    case HeadOfficeReach::unreachable:
      return "this store holds no store credit with this code and head office cannot be reached to look it up; "
             "refund to a new credit note instead";
    case HeadOfficeReach::not_a_node:
    case HeadOfficeReach::holds:
      break;
  }
  return "no store credit has this code";
}

}  // namespace

void ask_about_refund_note(db::Db& reader, ReturnRequest& request) {
  if (!request.refund_to_store_credit || !request.refund_to_code || !request.refund_tenders.empty()) return;
  if (store_credit_exists(reader, *request.refund_to_code)) return;
  request.refund_note_at_head_office = ask_head_office_about(*request.refund_to_code);
}

ReturnPosted post_return(db::Db& db, const Actor& actor, const ReturnRequest& req, std::int64_t exchange_credit_max,
                         const std::optional<std::string>& exchange_id) {
  db::assert_in_transaction(db);
  auto claim = documents::claim(db, req.key, "return", "return", [&](const std::string& id) {
    return documents::prior_of(store::return_request_hash(db, id), req.key);
  });
  if (claim.replay) {
    auto doc = *store::load_return(db, claim.id);
    return ReturnPosted{Posted{return_json(doc), true, claim.id}, doc.refund_total, 0};
  }
  const std::string& return_id = claim.id;
  std::optional<Sale> sale;
  std::string location_id;
  if (req.sale_id) {
    sale = store::load_sale(db, *req.sale_id);
    if (!sale) throw invalid_field("sale_id", fmt::format("sale '{}' does not exist", *req.sale_id));
    if (sale->status != SaleStatus::completed)
      throw Problem(409, "sale_voided", "this sale was voided; nothing of it can be returned", "sale_id");
    if (sale->training && !req.training)
      throw Problem(409, "training_sale", "a training sale cannot be returned (except in training)", "sale_id");
    location_id = req.location_id.value_or(sale->location_id);
  } else {
    location_id = *req.location_id;
  }
  // Where the goods come back: a key scoped to a store takes returns of any store's
  // receipt into its own store (cross-store returns), never into another's.
  stock::check_location_scope(actor, location_id);
  auto location = stock::require_location(db, location_id, "location_id");
  auto settings = load_settings(db);
  std::optional<Actor> approver;
  if (!sale) approver = approve_no_receipt(db, actor, req.override_token);

  Return doc;
  doc.id = return_id;
  std::vector<std::vector<Movement>> line_moves;
  std::map<std::string, Quantity> returning;  // per sale line, within this request
  for (std::size_t i = 0; i < req.lines.size(); ++i) {
    const auto& in = req.lines[i];
    std::string path = fmt::format("lines[{}]", i);
    ReturnLine line;
    line.id = new_uuid_v7();
    line.line_no = static_cast<std::int64_t>(i + 1);
    line.sale_line_id = in.sale_line_id;
    line.quantity = in.quantity;
    line.reason = in.reason;
    line.condition = in.condition;
    line.disposition = in.disposition;
    auto bin = stock::bin_kind(in.disposition);
    line.location_id = bin ? stock::bin_of(db, location.id, std::string(stock::word(*bin))) : location.id;
    std::vector<Movement> moves;
    Refund refund;
    if (sale) {
      auto row = store::sold_line(db, *in.sale_line_id, *req.sale_id);
      if (!row) throw invalid_field(path + ".sale_line_id", "not a line of this sale");
      Quantity before = row->returned + returning[row->id];
      if (before + in.quantity > row->quantity)
        throw return_exceeds_sold(row->quantity, before, in.quantity, path + ".quantity");
      returning[row->id] = returning[row->id] + in.quantity;
      line.item_id = row->item_id;
      line.tax_rate_bp = row->tax_rate_bp;
      refund = prorate_refund(row->total, row->tax, row->quantity, before, in.quantity, settings.rules.rounding);
      // Put back the share of what the sale line actually took from the ledger.
      for (const auto& [item_id, taken_quantity] : store::line_takings(db, *req.sale_id, row->id)) {
        std::int64_t taken = taken_quantity.milli;
        auto share = [&](Quantity upto) {
          return upto == row->quantity ? taken
                                       : mul_div_round(taken, upto.milli, row->quantity.milli, RoundingMode::half_even);
        };
        Quantity back{share(before + in.quantity) - share(before)};
        moves.push_back(Movement{item_id, line.location_id, back, "return", "return", return_id, line.id});
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
      refund = Refund{priced.total, priced.tax_total};
      for (auto& m : consumption(*item, in.quantity, line.location_id, return_id, line.id)) {
        m.quantity = -m.quantity;
        m.reason = "return";
        m.document_type = "return";
        moves.push_back(std::move(m));
      }
    }
    line.refund = refund.amount;
    line.tax = refund.tax;
    doc.refund_total += refund.amount;
    doc.tax_total += refund.tax;
    doc.lines.push_back(std::move(line));
    line_moves.push_back(std::move(moves));
  }
  if (!sale) approver = approve_refund_without_receipt(db, actor, approver, req.override_token, doc.refund_total);
  // A refund that tops up a note: one this server holds, or (at a store node, asked before
  // the writer) one head office holds, of which the node makes its copy at head office's
  // balance by the rule of sales.hpp (balance_at_node) before topping it up; its push tops up
  // head office's note (docs/sync.md, "Store credit across stores").
  if (req.refund_tenders.empty() && req.refund_to_store_credit && req.refund_to_code) {
    const auto& code = *req.refund_to_code;
    if (const auto& asked = req.refund_note_at_head_office.credit) {
      if (!req.training)
        mirror_store_credit(db, actor, asked->code, balance_at_node(*asked, store_credit_entries(db, asked->code)),
                            return_id);
    } else if (!store_credit_exists(db, code)) {
      throw invalid_field(req.path.empty() ? "refund_to_code" : req.path + ".refund_to_code",
                          refund_note_refused(req.refund_note_at_head_office.reach));
    }
  }
  RefundAsk ask;
  ask.refund_total = doc.refund_total;
  ask.exchange_credit_max = exchange_credit_max;
  ask.exchange_id = exchange_id;
  ask.refund_tenders = req.refund_tenders;
  ask.to_store_credit = req.refund_to_store_credit;
  ask.store_credit_code = req.refund_to_code;
  ask.training = req.training;
  ask.with_receipt = sale.has_value();
  if (sale && req.refund_tenders.empty() && !req.refund_to_store_credit)
    ask.capacity = refund_capacity(store::sale_tenders(db, *req.sale_id), sale->change_due,
                                   store::refunded_before(db, *req.sale_id));
  ask.no_receipt_refund_cash = settings.no_receipt_refund_cash;
  auto plan = plan_refund(ask);

  doc.register_id = req.register_id;
  if (!doc.register_id && sale) doc.register_id = sale->register_id;
  if (req.register_id && !req.training) require_open_session(db, *req.register_id);
  doc.session_id = req.register_id ? store::open_session_of(db, *req.register_id) : std::nullopt;
  doc.sale_id = req.sale_id;
  doc.location_id = location.id;
  doc.exchange_id = exchange_id;
  doc.created_at = now().micros;
  doc.user = actor.user;
  if (approver) doc.approver = approver->user;
  doc.training = req.training;
  if (!req.training)
    for (auto& t : plan.tenders)
      if (t.type == TenderType::store_credit)
        t.reference = give_store_credit(db, actor, t.reference, t.amount, "return", return_id);
  doc.tenders = plan.tenders;
  // A training return touches a sale's returned quantities only when the sale is training too.
  bool touch_sale = !req.training || (sale && sale->training);
  store::insert_return(db, doc, req.key.request_hash, touch_sale);
  std::vector<Movement> moves;
  if (!req.training)
    for (const auto& m : line_moves) moves.insert(moves.end(), m.begin(), m.end());
  stock::post_movements(db, moves,
                        stock::PostContext{actor.user, doc.register_id.value_or("api"), stock::NegativeStock::allow});
  documents::remember(db, req.key, "return", return_id);
  auto stored = *store::load_return(db, return_id);
  auto json = return_json(stored);
  append_audit(db, actor, AuditEntry{"return.create", "return", return_id, std::nullopt, return_audit(stored, approver)});
  if (!req.training) append_event(db, "return.completed", return_id, bj::serialize(json));
  return ReturnPosted{Posted{std::move(json), false, return_id}, doc.refund_total, plan.credit};
}

}  // namespace backroom::sales
