// Sales settings: tax mode and rounding, negative stock, what a return without a receipt
// refunds to, tax rates. Kept as rows in `settings`; changing them is audited.
#include <boost/json.hpp>

#include "access/audit.hpp"
#include "catalog/changes.hpp"
#include "platform/assert.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"

namespace backroom::sales {

SaleSettings load_settings(db::Db& db) { return settings_from_rows(store::settings_rows(db)); }

void save_settings(db::Db& db, const Actor& actor, const SaleSettings& s) {
  db::assert_in_transaction(db);
  auto before = boost::json::serialize(settings_to_json(load_settings(db)));
  auto rows = settings_to_rows(s);
  for (const char* key : {"tax_mode", "tax_rounding", "rounding", "negative_stock", "no_receipt_refund", "tax_rates"})
    store::put_setting(db, key, rows.at(key));
  catalog::store::note_change(db, catalog::change_tax, catalog::change_tax);  // tax_rates travel in the feed
  append_audit(db, actor,
               AuditEntry{"settings.sales", "settings", "sales", before, boost::json::serialize(settings_to_json(s))});
}

}  // namespace backroom::sales
