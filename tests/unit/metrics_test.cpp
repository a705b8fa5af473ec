// platform/metrics.hpp: cumulative histogram buckets, status slots claimed per route, the
// catch-all for unmatched requests; platform/log.hpp's JSON string escaping.
#include <gtest/gtest.h>

#include "platform/http.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"

namespace backroom {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(Metrics, CountsByRoutePatternAndStatusWithCumulativeBuckets) {
  http::Router router;
  router.may_declare = [](std::string_view) { return true; };
  router.add("GET", "/api/v1/items/{id}", "items.read", "read", [](http::Request&, http::Reply) {});
  router.add("POST", "/api/v1/sales", "sales.create", "sell", [](http::Request&, http::Reply) {});
  metrics::Registry registry;
  registry.bind_routes(router);
  const auto* item = &router.routes()[0];
  registry.request(item, "GET", 200, 0.0004);
  registry.request(item, "GET", 200, 0.003);
  registry.request(item, "GET", 404, 20.0);
  registry.request(nullptr, "GET", 200, 0.001);
  auto text = registry.render();
  EXPECT_TRUE(has_line(text, R"(backroom_http_requests_total{method="GET",route="/api/v1/items/{id}",status="200"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(backroom_http_requests_total{method="GET",route="/api/v1/items/{id}",status="404"} 1)"));
  EXPECT_TRUE(has_line(text, R"(backroom_http_requests_total{method="*",route="unmatched",status="200"} 1)"));
  EXPECT_TRUE(has_line(text, R"(backroom_http_request_duration_seconds_bucket{method="GET",route="/api/v1/items/{id}",le="0.0005"} 1)"));
  EXPECT_TRUE(has_line(text, R"(backroom_http_request_duration_seconds_bucket{method="GET",route="/api/v1/items/{id}",le="0.005"} 2)"));
  EXPECT_TRUE(has_line(text, R"(backroom_http_request_duration_seconds_bucket{method="GET",route="/api/v1/items/{id}",le="10"} 2)"));
  EXPECT_TRUE(has_line(text, R"(backroom_http_request_duration_seconds_bucket{method="GET",route="/api/v1/items/{id}",le="+Inf"} 3)"));
  EXPECT_TRUE(has_line(text, R"(backroom_http_request_duration_seconds_count{method="GET",route="/api/v1/items/{id}"} 3)"));
  // A route with no requests has no latency series.
  EXPECT_EQ(text.find(R"(backroom_http_request_duration_seconds_count{method="POST")"), std::string::npos);
}

TEST(Metrics, MoreStatusesThanSlotsAreCountedAsOther) {
  http::Router router;
  router.may_declare = [](std::string_view) { return true; };
  router.add("GET", "/x", "public", "x", [](http::Request&, http::Reply) {});
  metrics::Registry registry;
  registry.bind_routes(router);
  for (int status = 200; status < 250; ++status) registry.request(&router.routes()[0], "GET", status, 0.001);
  auto text = registry.render();
  EXPECT_TRUE(has_line(text, R"(backroom_http_requests_total{method="GET",route="/x",status="other"} 26)")) << text;
}

TEST(Logging, JsonStringEscapes) {
  EXPECT_EQ(logging::json_string("a\"b\\c\nd\x01"), R"("a\"b\\c\nd\u0001")");
  EXPECT_EQ(metrics::escape_label("a\"b\\c\nd"), R"(a\"b\\c\nd)");
}

}  // namespace
}  // namespace backroom
