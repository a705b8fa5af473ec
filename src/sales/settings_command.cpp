// Sales settings: tax mode and rounding, negative stock, what a return without a receipt
// refunds to, whether a register may take returns offline, tax rates. Kept as rows in
// `settings`; changing them is audited.
#include <boost/json.hpp>

#include "access/audit.hpp"
#include "catalog/changes.hpp"
#include "platform/assert.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"

namespace backroom::sales {

namespace {

// Everything kept, for the audit trail: the sales settings and the offline returns rule.
std::string audit_text(const SaleSettings& s) {
  auto all = settings_to_json(s);
  for (const auto& [key, value] : offline_returns_to_json(s)) all[key] = value;
  return boost::json::serialize(all);
}

}  // namespace

SaleSettings load_settings(db::Db& db) { return settings_from_rows(store::settings_rows(db)); }

void save_settings(db::Db& db, const Actor& actor, const SaleSettings& s) {
  db::assert_in_transaction(db);
  auto before = audit_text(load_settings(db));
  auto rows = settings_to_rows(s);
  for (auto key : sale_setting_keys) store::put_setting(db, std::string(key), rows.at(std::string(key)));
  catalog::store::note_change(db, catalog::change_tax, catalog::change_tax);  // tax_rates travel in the feed
  append_audit(db, actor,
               AuditEntry{"settings.sales", "settings", "sales", before, audit_text(s)});
}

}  // namespace backroom::sales
