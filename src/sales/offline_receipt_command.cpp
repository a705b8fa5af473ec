// The offline receipt of a sale caught by the cut (docs/offline-register.md): the register
// printed a number of its block for a sale whose first try had reached the server unheard.
// Idempotent by state: recording the same number again answers the sale.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "access/audit.hpp"
#include "platform/assert.hpp"
#include "sales/commands.hpp"
#include "sales/registers_api.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"

namespace backroom::sales {

Posted record_offline_receipt(db::Db& db, const Actor& actor, const std::string& sale_id,
                              const std::string& given) {
  db::assert_in_transaction(db);
  auto sale = store::load_sale(db, sale_id);
  if (!sale) throw not_found("sale", sale_id);
  stock::check_location_scope(actor, sale->location_id);
  if (sale->offline_receipt_number == given || sale->receipt_number == given)
    return Posted{sale_json(*sale), true, sale_id};
  if (sale->training) throw invalid_field("receipt_number", "a training sale takes no number from a block");
  if (sale->offline_receipt_number || block_number_used_by(db, sale_id))
    throw Problem(409, "offline_receipt_recorded",
                  fmt::format("sale {} already carries a number of a receipt block ({})", sale->receipt_number,
                              sale->offline_receipt_number.value_or(sale->receipt_number)),
                  "receipt_number");
  std::int64_t number = block_number_of(sale->register_id, given);
  if (number < 1 || receipt_number(sale->register_id, false, number) != given)
    throw invalid_field("receipt_number", fmt::format("receipt_number is a number of register {} such as {}",
                                                      sale->register_id, receipt_number(sale->register_id, false, 1)));
  if (!use_block_number(db, sale->register_id, number, sale_id))
    throw invalid_field("receipt_number",
                        fmt::format("{} is in no receipt block reserved for register {}", given, sale->register_id));
  store::insert_offline_receipt(db, sale_id, given, now().micros, actor.user);
  append_audit(db, actor,
               AuditEntry{"sale.offline_receipt", "sale", sale_id, std::nullopt,
                          boost::json::serialize(boost::json::object{{"receipt_number", sale->receipt_number},
                                                                     {"offline_receipt_number", given}})});
  return Posted{sale_json(*store::load_sale(db, sale_id)), false, sale_id};
}

}  // namespace backroom::sales
