#include "cli/routes.hpp"

#include <fmt/format.h>


#include "access/auth_api.hpp"
#include "access/audit.hpp"
#include "access/permissions.hpp"
#include "catalog/catalog_api.hpp"
#include "catalog/price_changes_api.hpp"
#include "cli/api_docs.hpp"
#include "cli/ops.hpp"
#include "counts/counts_api.hpp"
#include "customers/customers_api.hpp"
#include "exchange/exchange.hpp"
#include "integrations/events.hpp"
#include "integrations/mappings.hpp"
#include "integrations/webhooks.hpp"
#include "labels/labels_api.hpp"
#include "orders/orders_api.hpp"
#include "platform/json.hpp"
#include "platform/master_data.hpp"
#include "planning/planning_api.hpp"
#include "platform/schema.hpp"
#include "platform/settings.hpp"
#include "platform/shop_export.hpp"
#include "platform/types.hpp"
#include "purchasing/purchase_order_api.hpp"
#include "purchasing/supplier_api.hpp"
#include "reports/cutover.hpp"
#include "training/training_api.hpp"
#include "reports/reports.hpp"
#include "sales/registers_api.hpp"
#include "sales/sales_api.hpp"
#include "stock/stock_api.hpp"
#include "sync/change_requests.hpp"
#include "sync/sync_api.hpp"

namespace backroom::cli {

namespace bj = boost::json;

void add_routes(App& app) {
  permission::install_vocabulary(app.router);
  app.router.add("GET", "/healthz", std::string(permission::public_route), "Liveness and schema version", [&app](http::Request&, http::Reply reply) {
    auto& db = app.read();
    reply(http::json_response(200, bj::object{{"status", "ok"},
                                              {"version", BACKROOM_VERSION},
                                              {"schema_version", schema::current_version(db)}}));
  });
  app.router.add("GET", "/api/v1/system/status", std::string(permission::authenticated),
                 "What an operator checks first: version, schema, the last backup and whether it is late",
                 [&app](http::Request&, http::Reply reply) {
                   auto& db = app.read();
                   auto number = [&db](const char* key) -> std::int64_t {
                     auto v = settings::get(db, key);
                     return v && !v->empty() ? std::stoll(*v) : 0;
                   };
                   std::int64_t every = number("backup.every_seconds"), last = number("backup.last_at");
                   std::int64_t since = std::max(last, number("backup.scheduled_since"));
                   auto error = settings::get(db, "backup.last_error").value_or("");
                   // Late: no success within two periods of the last one (or of the schedule's start).
                   bool late = every > 0 && now().micros - since > 2 * every * 1'000'000;
                   reply(http::json_response(
                       200, bj::object{{"version", BACKROOM_VERSION},
                                       {"schema_version", schema::current_version(db)},
                                       {"backup_every_seconds", every > 0 ? bj::value(every) : bj::value(nullptr)},
                                       {"last_backup_at", last > 0 ? bj::value(format_rfc3339(Timestamp{last})) : bj::value(nullptr)},
                                       {"last_backup_error", error.empty() ? bj::value(nullptr) : bj::value(error)},
                                       {"backup_late", late}}));
                 });
  app.router.add("GET", "/api/v1/export", std::string(permission::shop_export),
                 "Export everything: every table as CSV in one ZIP (customer contacts and bank details in clear; "
                 "no credentials); audited",
                 [&app](http::Request& req, http::Reply reply) {
                   auto out = shop_export::export_shop(app.read(), app.db_path);
                   std::int64_t rows = 0;
                   for (const auto& f : out.files) rows += f.rows;
                   // Who took the whole shop out, and when: in the audit trail.
                   auto text = bj::serialize(bj::object{{"files", out.files.size()}, {"rows", rows}, {"bytes", out.zip.size()}});
                   Actor actor = req.actor;
                   app.writer.submit([actor, text](db::Db& db) { append_audit(db, actor, AuditEntry{"shop.export", "shop", "export", std::nullopt, text}); },
                                     [](std::exception_ptr) {});
                   http::Response r;
                   r.status = 200;
                   r.content_type = "application/zip";
                   r.body = std::move(out.zip);
                   r.header("Content-Disposition",
                            fmt::format("attachment; filename=\"backroom-export-{}.zip\"", format_rfc3339(now()).substr(0, 10)));
                   r.header("Cache-Control", "no-store");
                   reply(std::move(r));
                 });
  ops::register_ops_routes(app);
  register_api_docs(app);
  // Before the catalog: /api/v1/items/import and /export must win over /api/v1/items/{id}.
  exchange::register_exchange_routes(app);
  catalog::register_catalog_routes(app);
  integrations::register_event_routes(app);
  integrations::register_mapping_routes(app);
  integrations::webhooks::register_webhook_routes(app);
  auth::register_auth_routes(app);
  catalog::register_price_change_routes(app);
  stock::register_stock_routes(app);
  sales::register_sales_routes(app);
  sales::register_register_routes(app);
  labels::register_label_routes(app);
  purchasing::register_supplier_routes(app);
  purchasing::register_purchase_order_routes(app);
  planning::register_planning_routes(app);
  counts::register_count_routes(app);
  orders::register_order_routes(app);
  orders::register_availability_routes(app);
  orders::register_channel_routes(app);
  reports::register_report_routes(app);
  reports::register_action_routes(app);
  reports::register_cutover_routes(app);
  training::register_training_routes(app);
  customers::register_customer_routes(app);
  sync::register_sync_routes(app);
  // Master data: on a store node these writes become change requests (docs/sync.md).
  for (const auto& [method, pattern] : sync::master_data_routes) master_data::mark(app.router, method, pattern);
}

}  // namespace backroom::cli
