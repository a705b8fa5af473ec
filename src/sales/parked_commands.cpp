// The parked-sale commands: park a sale's body to resume later, resume or drop it.
#include <boost/json.hpp>

#include <fmt/format.h>

#include "access/audit.hpp"
#include "platform/assert.hpp"
#include "platform/documents.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"

namespace backroom::sales {

namespace bj = boost::json;

Posted park_sale(db::Db& db, const Actor& actor, const documents::DocumentKey& key, const SaleRequest& request,
                 const bj::object& body, const std::string& note) {
  db::assert_in_transaction(db);
  std::optional<ParkedSale> existing;
  // Parked sales keep no request hash: a parked id answers whatever body comes again.
  auto claim = documents::claim(db, key, "parked", "parked sale", [&](const std::string& id) {
    existing = store::load_parked(db, id);
    return existing ? documents::Prior::same_request : documents::Prior::none;
  });
  if (claim.replay) return Posted{parked_json(*existing), true, claim.id};
  const std::string& id = claim.id;
  stock::require_location(db, request.location_id, "location_id");
  store::insert_parked(db, ParkedSale{id, request.location_id, request.register_id, note, parked_body_text(body),
                                      ParkedStatus::parked, now().micros, actor.user});
  documents::remember(db, key, "parked", id);
  auto doc = parked_json(*store::load_parked(db, id));
  append_audit(db, actor, AuditEntry{"sale.park", "parked_sale", id, std::nullopt, bj::serialize(doc)});
  return Posted{std::move(doc), false, id};
}

Posted close_parked(db::Db& db, const Actor& actor, const std::string& id, ParkedStatus status) {
  db::assert_in_transaction(db);
  auto parked = store::load_parked(db, id);
  if (!parked) throw not_found("parked sale", id);
  stock::check_location_scope(actor, parked->location_id);
  if (parked->status == status) return Posted{parked_json(*parked), true, id};
  if (parked->status != ParkedStatus::parked)
    throw Problem(409, "not_parked", fmt::format("this sale was already {}", word(parked->status)));
  store::set_parked_status(db, id, status);
  auto after = parked_json(*store::load_parked(db, id));
  append_audit(db, actor,
               AuditEntry{"sale.park." + std::string(word(status)), "parked_sale", id, std::nullopt,
                          bj::serialize(after)});
  return Posted{std::move(after), false, id};
}

}  // namespace backroom::sales
