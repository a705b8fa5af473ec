// The router fails closed: a route without a permission, or with one outside the
// vocabulary (access/permissions.hpp), is refused when it is added, so the server never
// starts with an unguarded route. Every real route passes that check. A router the access
// room did not equip accepts no route at all, and serves nothing without a guard.
#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "access/permissions.hpp"
#include "cli/routes.hpp"
#include "platform/app.hpp"
#include "platform/http.hpp"
#include "platform/http_prefetch.hpp"

namespace backroom {
namespace {

void nothing(http::Request&, http::Reply) {}

std::string refusal(const std::string& permission) {
  http::Router router;
  permission::install_vocabulary(router);
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

TEST(Router, ARouterWithoutAVocabularyRefusesEveryRoute) {
  for (auto declared : {std::string(permission::public_route), std::string(permission::authenticated),
                        std::string(permission::items_read)}) {
    http::Router router;
    try {
      router.add("GET", "/api/v1/widgets", declared, "List widgets", nothing);
      ADD_FAILURE() << "accepted '" << declared << "' without a vocabulary";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("no permission vocabulary"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(router.routes().empty());
  }
}

TEST(Router, ARouteIsNotServedWithoutAGuard) {
  http::Router router;
  permission::install_vocabulary(router);
  bool served = false;
  router.add("GET", "/api/v1/widgets", std::string(permission::public_route), "List widgets",
             [&served](http::Request&, http::Reply reply) {
               served = true;
               reply(http::json_response(200, boost::json::object{}));
             });
  http::Request req;
  req.method = "GET";
  req.path = "/api/v1/widgets";
  std::optional<http::Response> response;
  router.dispatch(req, [&response](http::Response r) { response = std::move(r); });
  EXPECT_FALSE(served);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);

  router.guard = [](http::Request&, const http::Route&) {};
  router.dispatch(req, [&response](http::Response r) { response = std::move(r); });
  EXPECT_TRUE(served);
  EXPECT_EQ(response->status, 200);
}

// A route's prefetch (the scan's read sent with the guard's, on PostgreSQL) runs with the
// request's params before the guard, for a refused request too, and never in place of it.
TEST(Router, APrefetchRunsBeforeTheGuardWithTheParamsAndNeverServesARefusedRequest) {
  http::Router router;
  permission::install_vocabulary(router);
  std::string log;
  router.add("GET", "/api/v1/widgets/{code}", std::string(permission::items_read), "Read a widget",
             http::PrefetchingHandler{[&log](const http::Request& req) {
                                        log += "prefetch " + req.param(0) + ";";
                                        return db::Prefetched{};
                                      },
                                      [&log](http::Request& req, http::Reply reply) {
                                        log += "handler " + req.param(0) + ";";
                                        reply(http::json_response(200, boost::json::object{}));
                                      }});
  bool allow = false;
  router.guard = [&log, &allow](http::Request&, const http::Route&) {
    log += "guard;";
    if (!allow) throw Problem(401, "unauthenticated", "no key");
  };
  http::Request req;
  req.method = "GET";
  req.path = "/api/v1/widgets/4006381333931";
  std::optional<http::Response> response;
  router.dispatch(req, [&response](http::Response r) { response = std::move(r); });
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 401);
  EXPECT_EQ(log, "prefetch 4006381333931;guard;");
  log.clear();
  allow = true;
  router.dispatch(req, [&response](http::Response r) { response = std::move(r); });
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(log, "prefetch 4006381333931;guard;handler 4006381333931;");
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
