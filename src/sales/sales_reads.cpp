// Sales' reads, answered as JSON documents: a sale, the journal and its summary, a return,
// an exchange, parked sales, register sessions with their X or Z report.
#include "sales/commands.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"

namespace backroom::sales {

namespace bj = boost::json;

std::optional<bj::object> load_sale(db::Db& db, const std::string& id) {
  auto s = store::load_sale(db, id);
  if (!s) return std::nullopt;
  return sale_json(*s);
}

std::vector<bj::object> find_sales(db::Db& db, const SalesFilter& f) {
  std::vector<bj::object> out;
  for (const auto& id : store::find_sale_ids(db, f)) {
    auto sale = *store::load_sale(db, id);
    out.push_back(journal_json(sale, store::register_name(db, sale.register_id), store::person(db, sale.user_id, sale.user),
                               store::location_name(db, sale.location_id)));
  }
  return out;
}

bj::object sales_summary(db::Db& db, const std::optional<Timestamp>& from, const std::optional<Timestamp>& to,
                         const std::string& location_id) {
  return summary_json(store::channel_totals(db, from, to, location_id));
}

std::optional<bj::object> load_return(db::Db& db, const std::string& id) {
  auto r = store::load_return(db, id);
  if (!r) return std::nullopt;
  return return_json(*r);
}

std::optional<bj::object> load_exchange(db::Db& db, const std::string& id) {
  auto e = load_exchange_document(db, id);
  if (!e) return std::nullopt;
  return exchange_json(*e);
}

std::optional<bj::object> load_parked(db::Db& db, const std::string& id) {
  auto p = store::load_parked(db, id);
  if (!p) return std::nullopt;
  return parked_json(*p);
}

std::vector<bj::object> list_parked(db::Db& db, const std::string& location_id, const std::string& register_id) {
  std::vector<bj::object> out;
  for (const auto& id : store::parked_ids(db, location_id, register_id)) out.push_back(*load_parked(db, id));
  return out;
}

std::optional<bj::object> load_session(db::Db& db, const std::string& register_id, const std::string& session_id) {
  auto s = store::load_session(db, register_id, session_id);
  if (!s) return std::nullopt;
  return session_document(db, *s);
}

std::optional<bj::object> current_session(db::Db& db, const std::string& register_id) {
  auto id = store::open_session_of(db, register_id);
  if (!id) return std::nullopt;
  return load_session(db, register_id, *id);
}

std::vector<bj::object> list_sessions(db::Db& db, const std::string& register_id, const std::string& before_id,
                                      int limit) {
  std::vector<bj::object> out;
  for (const auto& id : store::session_ids(db, register_id, before_id, limit))
    out.push_back(*load_session(db, register_id, id));
  return out;
}

}  // namespace backroom::sales
