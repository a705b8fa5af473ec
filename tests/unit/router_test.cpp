// The router fails closed: a route without a permission, or with one outside the
// vocabulary (platform/permissions.hpp), is refused when it is added, so the server never
// starts with an unguarded route. Every real route passes that check.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "catalog/catalog_api.hpp"
#include "catalog/price_changes_api.hpp"
#include "integrations/events.hpp"
#include "labels/labels_api.hpp"
#include "platform/app.hpp"
#include "platform/auth_api.hpp"
#include "platform/http.hpp"
#include "platform/permissions.hpp"
#include "sales/registers_api.hpp"
#include "sales/sales_api.hpp"
#include "stock/stock_api.hpp"

namespace backroom {
namespace {

void nothing(http::Request&, http::Reply) {}

std::string refusal(const std::string& permission) {
  http::Router router;
  try {
    router.add("GET", "/api/v1/widgets", permission, "List widgets", nothing);
  } catch (const std::invalid_argument& e) {
    EXPECT_TRUE(router.routes().empty());
    return e.what();
  }
  return "";
}

TEST(Router, ARouteWithoutAPermissionIsRefusedNamingTheRoute) {
  auto message = refusal("");
  EXPECT_NE(message.find("GET /api/v1/widgets"), std::string::npos) << message;
  EXPECT_NE(message.find("no permission"), std::string::npos) << message;
}

TEST(Router, AnUnknownPermissionIsRefusedNamingIt) {
  auto message = refusal("widgets.read");
  EXPECT_NE(message.find("GET /api/v1/widgets"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown permission 'widgets.read'"), std::string::npos) << message;
  EXPECT_NE(refusal("Items.Read"), "");
  EXPECT_NE(refusal("items.read "), "");
}

TEST(Router, KnownPermissionsAndTheExplicitTokensAreAccepted) {
  for (auto permission : permission::catalogue) EXPECT_EQ(refusal(std::string(permission)), "") << permission;
  EXPECT_EQ(refusal(std::string(permission::authenticated)), "");
  EXPECT_EQ(refusal(std::string(permission::public_route)), "");
}

TEST(Router, EveryRealRouteDeclaresAKnownPermission) {
  App app(":memory:");
  catalog::register_catalog_routes(app);
  integrations::register_event_routes(app);
  auth::register_auth_routes(app);
  catalog::register_price_change_routes(app);
  stock::register_stock_routes(app);
  sales::register_sales_routes(app);
  sales::register_register_routes(app);
  labels::register_label_routes(app);
  ASSERT_GT(app.router.routes().size(), 20u);
  for (const auto& route : app.router.routes())
    EXPECT_TRUE(permission::route_may_declare(route.permission)) << route.method << " " << route.pattern;
}

}  // namespace
}  // namespace backroom
