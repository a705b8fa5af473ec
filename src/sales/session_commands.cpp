// The register session commands: open a till with a counted float, cash in and out of the
// drawer, close with what was counted per tender (the Z report, kept as it was rendered);
// and `backroom demo`'s registers.
#include <boost/json.hpp>

#include <fmt/format.h>

#include "access/audit.hpp"
#include "platform/assert.hpp"
#include "platform/documents.hpp"
#include "sales/commands.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"

namespace backroom::sales {

namespace bj = boost::json;

Posted open_session(db::Db& db, const Actor& actor, const documents::DocumentKey& key, const std::string& register_id,
                    const std::string& location_id, std::int64_t opening_float) {
  db::assert_in_transaction(db);
  std::optional<Session> existing;
  // Sessions keep no request hash: a session's id answers it again.
  auto claim = documents::claim(db, key, "session", "register session", [&](const std::string& id) {
    existing = store::load_session(db, register_id, id);
    return existing ? documents::Prior::same_request : documents::Prior::none;
  });
  if (claim.replay) return Posted{session_document(db, *existing), true, claim.id};
  auto location = stock::require_location(db, location_id, "location_id");
  take_register(db, register_id, location.id);
  if (store::open_session_of(db, register_id))
    throw Problem(409, "session_open", fmt::format("register {} already has an open session; close it first", register_id));
  const std::string& id = claim.id;
  store::insert_session(db, id, register_id, opening_float, actor.user);
  documents::remember(db, key, "session", id);
  auto doc = session_document(db, *store::load_session(db, register_id, id));
  append_audit(db, actor, AuditEntry{"register.open", "register_session", id, std::nullopt,
                                     session_open_audit(register_id, opening_float)});
  append_event(db, "register.opened", id, bj::serialize(doc));
  return Posted{std::move(doc), false, id};
}

Posted session_cash(db::Db& db, const Actor& actor, const std::string& register_id, const std::string& session_id,
                    CashMovementKind kind, std::int64_t amount, const std::string& reason) {
  db::assert_in_transaction(db);
  auto session = store::load_session(db, register_id, session_id);
  if (!session) throw not_found("register session", session_id);
  check_register_scope(db, actor, register_id);
  if (session->status != SessionStatus::open) throw Problem(409, "session_closed", "this session is closed");
  store::insert_cash_movement(db, session_id, kind, amount, reason, actor.user);
  append_audit(db, actor, AuditEntry{"register." + std::string(word(kind)), "register_session", session_id,
                                     std::nullopt, cash_movement_audit(amount, reason)});
  return Posted{session_document(db, *store::load_session(db, register_id, session_id)), false, session_id};
}

Posted close_session(db::Db& db, const Actor& actor, const std::string& register_id, const std::string& session_id,
                     const Counted& counted) {
  db::assert_in_transaction(db);
  auto session = store::load_session(db, register_id, session_id);
  if (!session) throw not_found("register session", session_id);
  check_register_scope(db, actor, register_id);
  if (session->status == SessionStatus::closed) return Posted{session_document(db, *session), true, session_id};
  auto z = report_json(session_report(db, session_id, register_id, session->opening_float, &counted));
  auto cash = counted.find("cash");
  auto z_text = bj::serialize(z);
  store::close_session(db, session_id, cash == counted.end() ? 0 : cash->second, counted_text(counted), actor.user, z_text);
  auto doc = session_document(db, *store::load_session(db, register_id, session_id));
  append_audit(db, actor, AuditEntry{"register.close", "register_session", session_id, std::nullopt, z_text});
  append_event(db, "register.closed", session_id, bj::serialize(doc));
  return Posted{std::move(doc), false, session_id};
}

void seed_demo_registers(db::Db& db, const Actor& actor) {
  db::assert_in_transaction(db);
  int n = 0;
  for (const auto& location : stock::list_locations(db)) {
    if (location.kind != "store" || !location.sellable) continue;
    std::string id = fmt::format("REG-{}", ++n);
    if (store::open_session_of(db, id)) continue;
    open_session(db, actor, documents::DocumentKey{std::nullopt, std::nullopt, ""}, id, location.id, 10000);
    store::name_register_if_unnamed(db, id, fmt::format("Register {}", n));
  }
}

}  // namespace backroom::sales
