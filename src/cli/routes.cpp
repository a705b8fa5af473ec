#include "cli/routes.hpp"

#include "access/auth_api.hpp"
#include "access/permissions.hpp"
#include "catalog/catalog_api.hpp"
#include "catalog/price_changes_api.hpp"
#include "counts/counts_api.hpp"
#include "exchange/exchange.hpp"
#include "integrations/events.hpp"
#include "integrations/mappings.hpp"
#include "labels/labels_api.hpp"
#include "platform/json.hpp"
#include "planning/planning_api.hpp"
#include "platform/schema.hpp"
#include "purchasing/purchase_order_api.hpp"
#include "purchasing/supplier_api.hpp"
#include "reports/reports.hpp"
#include "sales/registers_api.hpp"
#include "sales/sales_api.hpp"
#include "stock/stock_api.hpp"

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
  // Before the catalog: /api/v1/items/import and /export must win over /api/v1/items/{id}.
  exchange::register_exchange_routes(app);
  catalog::register_catalog_routes(app);
  integrations::register_event_routes(app);
  integrations::register_mapping_routes(app);
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
  reports::register_report_routes(app);
  reports::register_action_routes(app);
}

}  // namespace backroom::cli
