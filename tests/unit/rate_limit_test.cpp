#include "platform/rate_limit.hpp"

#include <gtest/gtest.h>

#include "platform/problem.hpp"

namespace backroom {
namespace {

Timestamp at_seconds(double s) { return Timestamp{static_cast<std::int64_t>(s * 1'000'000)}; }

TEST(RateLimiter, ABurstOfTheLimitThenOneBackEveryMinuteOverLimit) {
  RateLimiter limiter;
  // 60 a minute: a bucket of 60, one token back every second.
  for (int i = 0; i < 60; ++i) {
    auto d = limiter.take("key:a", 60, at_seconds(0));
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.remaining, 59 - i);
    EXPECT_EQ(d.limit, 60);
  }
  auto refused = limiter.take("key:a", 60, at_seconds(0));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_EQ(refused.reset_seconds, 60);
  EXPECT_FALSE(limiter.take("key:a", 60, at_seconds(0.5)).allowed);
  auto back = limiter.take("key:a", 60, at_seconds(1.0));
  EXPECT_TRUE(back.allowed);
  EXPECT_EQ(back.remaining, 0);
  EXPECT_TRUE(limiter.take("key:b", 60, at_seconds(1.0)).allowed) << "each caller has its own bucket";
  auto later = limiter.take("key:a", 60, at_seconds(1000));
  EXPECT_TRUE(later.allowed);
  EXPECT_EQ(later.remaining, 59) << "a bucket never holds more than the limit";
}

TEST(RateLimiter, AClockThatGoesBackGivesNothingBack) {
  RateLimiter limiter;
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(limiter.take("s", 2, at_seconds(100)).allowed);
  EXPECT_FALSE(limiter.take("s", 2, at_seconds(50)).allowed);
}

TEST(RateLimits, ReadsRolesAndRefusesWhatIsWrong) {
  auto known = [](const std::string& r) { return r == "webshop" || r == "cashier"; };
  auto limits = rate_limits_from_json(boost::json::parse(R"({"default_per_minute": 600, "roles": {"webshop": 30}})").as_object(), known);
  EXPECT_EQ(limits.for_role("webshop"), 30);
  EXPECT_EQ(limits.for_role("cashier"), 600);
  EXPECT_EQ(rate_limits_from_json(boost::json::object{}, known).for_role("cashier"), rate_per_minute_default);
  for (const char* bad : {R"({"default_per_minute": 0})", R"({"default_per_minute": "fast"})", R"({"roles": {"nobody": 5}})",
                          R"({"roles": {"webshop": -1}})", R"({"roles": []})", R"({"burst": 5})"}) {
    try {
      rate_limits_from_json(boost::json::parse(bad).as_object(), known);
      ADD_FAILURE() << bad;
    } catch (const Problem& p) {
      EXPECT_EQ(p.status, 422) << bad;
      EXPECT_FALSE(p.field.empty()) << bad;
    }
  }
}

}  // namespace
}  // namespace backroom
