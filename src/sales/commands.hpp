// What the commands of sales share (sale, void, return, exchange, parked, session
// commands): the register a document is rung up at, its open session, the movements a
// line sells, the rows a priced draft becomes, and documents assembled with the names
// they show. Runs on the connection it is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"
#include "sales/sale.hpp"
#include "sales/tendering.hpp"
#include "stock/stock.hpp"

namespace backroom::sales {

struct Register {
  std::string id;
  std::optional<std::string> session_id;
};
// The register (recorded on first use at `location_id`; 422 when it stands elsewhere) and
// its open session.
Register take_register(db::Db& db, const std::string& register_id, const std::string& location_id);
// A key scoped to locations operates only the registers at those locations.
void check_register_scope(db::Db& db, const Actor& actor, const std::string& register_id);
// A sale or return at a register belongs to the till session open there (409
// register_session_closed otherwise).
std::string require_open_session(db::Db& db, const std::string& register_id);
// API sales without a register: one per location, named by the random tail of its id
// (UUIDv7 heads are timestamps and collide).
std::string default_register(const std::string& location_id);
// "REG-1-000042", a training receipt "REG-1-T000003".
std::string receipt_number(const std::string& register_id, bool training, std::int64_t number);
// The number of receipt number `given` of register `register_id` ("R1-000042" -> 42); 0 when
// it is not one.
std::int64_t block_number_of(const std::string& register_id, const std::string& given);

// Movements that sell (or, negated, return) `quantity` of a line's item.
std::vector<stock::Movement> consumption(const catalog::Item& item, Quantity quantity, const std::string& location_id,
                                         const std::string& sale_id, const std::string& line_id);

// The rows a priced draft becomes: what posting stores and what a quote answers, so the
// two can never differ.
Sale priced_sale(const SaleDraft& draft, const Settlement& settlement);

// Runs `f`; a problem it throws names its field under `path` ("lines[0].charged_price" becomes
// "sale.lines[0].charged_price"): a sale inside an exchange is checked by the sale's own code.
template <class F>
auto named_under(const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (Problem& p) {
    if (!p.field.empty() && p.field.rfind(path + ".", 0) != 0) p.field = path + "." + p.field;
    throw;
  }
}

// Documents with what they show beside their rows.
std::optional<Exchange> load_exchange_document(db::Db& db, const std::string& id);
SessionReport session_report(db::Db& db, const std::string& session_id, const std::string& register_id,
                             std::int64_t opening_float, const Counted* counted);
boost::json::object session_document(db::Db& db, const Session& s);

}  // namespace backroom::sales
