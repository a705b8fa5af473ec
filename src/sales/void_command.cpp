// The void command: a completed sale is reversed (its movements negated, store credit it
// spent given back) and the void recorded beside it. Idempotent by state: voiding a voided
// sale answers it.
#include <boost/json.hpp>

#include "access/audit.hpp"
#include "platform/assert.hpp"
#include "platform/ids.hpp"
#include "sales/approval.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"

namespace backroom::sales {

Posted void_sale(db::Db& db, const Actor& actor, const std::string& sale_id, const std::string& reason,
                 const std::optional<std::string>& override_token) {
  db::assert_in_transaction(db);
  auto sale = store::load_sale(db, sale_id);
  if (!sale) throw not_found("sale", sale_id);
  stock::check_location_scope(actor, sale->location_id);
  if (sale->status == SaleStatus::voided) return Posted{sale_json(*sale), true, sale_id};
  for (const auto& l : sale->lines)
    if (l.returned.milli > 0)
      throw Problem(409, "sale_has_returns", "items of this sale were returned; a sale with returns cannot be voided");
  if (sale->exchange_id)
    throw Problem(409, "sale_in_exchange", "this sale is part of an exchange; return its items instead");
  auto approver = approve_void(db, actor, override_token);
  SaleVoid v{new_uuid_v7(), reason, now().micros, actor.user,
             approver ? std::optional(approver->user) : std::nullopt};
  store::insert_void(db, sale_id, v);
  auto moves = stock::reversal_of(db, sale_id, "void", "void", v.id);
  return_spent_store_credit(db, actor, sale_id, v.id);
  stock::post_movements(db, moves, stock::PostContext{actor.user, sale->register_id, stock::NegativeStock::allow});
  auto after = *store::load_sale(db, sale_id);
  auto doc = sale_json(after);
  append_audit(db, actor,
               AuditEntry{"sale.void", "sale", sale_id, std::nullopt, void_audit(reason, v.id, sale->total, approver)});
  if (!after.training) append_event(db, "sale.voided", sale_id, boost::json::serialize(doc));
  return Posted{std::move(doc), false, sale_id};
}

}  // namespace backroom::sales
