// The exchange command: a return and a new sale as one document; the return's refund pays
// the sale first (exchange_credit), the rest goes back or is paid as tendered. Practice
// as a whole or not at all. The sale may be one made offline (a receipt number of the register's
// block, sold_at, charged prices): the sale command checks it as for POST /sales, naming fields under "sale.".
#include <boost/json.hpp>

#include "access/audit.hpp"
#include "platform/assert.hpp"
#include "platform/documents.hpp"
#include "sales/commands.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"

namespace backroom::sales {

Posted post_exchange(db::Db& db, const Actor& actor, const ExchangeRequest& req, const SaleDraft& draft) {
  db::assert_in_transaction(db);
  auto claim = documents::claim(db, req.key, "exchange", "exchange", [&](const std::string& id) {
    return documents::prior_of(store::exchange_request_hash(db, id), req.key);
  });
  if (claim.replay) return Posted{exchange_json(*load_exchange_document(db, claim.id)), true, claim.id};
  const std::string& exchange_id = claim.id;
  if (!req.return_request.sale_id) throw missing_field("return.sale_id");
  // An exchange is practice as a whole or not at all.
  bool training = req.return_request.training || draft.request.training;
  auto return_request = req.return_request;
  return_request.training = training;
  if (training && draft.request.receipt_number)
    throw invalid_field("sale.receipt_number", "a training exchange takes no number from a block");
  auto sale_draft = draft;
  sale_draft.request.training = training;
  auto ret = post_return(db, actor, return_request, draft.priced.total, exchange_id);
  auto sale = named_under("sale", [&] { return post_sale(db, actor, sale_draft, ret.credit, exchange_id); });
  store::insert_exchange(db, exchange_id, ret.posted.id, sale.id, req.key.request_hash, actor.user);
  documents::remember(db, req.key, "exchange", exchange_id);
  auto exchange = *load_exchange_document(db, exchange_id);
  auto doc = exchange_json(exchange);
  append_audit(db, actor, AuditEntry{"exchange.create", "exchange", exchange_id, std::nullopt, exchange_audit(exchange)});
  if (!training) append_event(db, "exchange.completed", exchange_id, boost::json::serialize(doc));
  // What the new sale warned of (a price charged offline that is not the price now, stock
  // gone negative) is the exchange's answer's too.
  if (const auto* w = sale.document.if_contains("warnings")) doc["warnings"] = *w;
  return Posted{std::move(doc), false, exchange_id};
}

}  // namespace backroom::sales
