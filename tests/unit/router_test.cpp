// The router fails closed: a route without a permission, or with one outside the
// vocabulary (platform/permissions.hpp), is refused when it is added, so the server never
// starts with an unguarded route. Every real route passes that check.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "cli/routes.hpp"
#include "platform/app.hpp"
#include "platform/http.hpp"
#include "platform/permissions.hpp"

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
  cli::add_routes(app);
  ASSERT_GT(app.router.routes().size(), 20u);
  for (const auto& route : app.router.routes())
    EXPECT_TRUE(permission::route_may_declare(route.permission)) << route.method << " " << route.pattern;
}

}  // namespace
}  // namespace backroom
