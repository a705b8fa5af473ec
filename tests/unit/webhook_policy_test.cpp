#include "integrations/webhook_policy.hpp"

#include <gtest/gtest.h>

namespace backroom::integrations::webhooks {
namespace {

using namespace std::chrono_literals;

// The signing vector of the Standard Webhooks reference libraries (svix / standard-webhooks
// test suites: "test_sign_function"); the npm `standardwebhooks` package gives the same.
TEST(WebhookSignature, TheReferenceLibrariesVector) {
  EXPECT_EQ(signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                      R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // The prefix is optional in the key, as in the libraries.
  EXPECT_EQ(signature("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                      R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignature, EveryByteCounts) {
  auto base = signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", 1614265330, "{}");
  EXPECT_NE(base, signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_2", 1614265330, "{}"));
  EXPECT_NE(base, signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", 1614265331, "{}"));
  EXPECT_NE(base, signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_1", 1614265330, "{ }"));
}

TEST(WebhookSignature, RotationSignsWithEverySecretSpaceSeparated) {
  auto a = new_secret(), b = new_secret();
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("whsec_"));
  ASSERT_TRUE(secret_key(a));
  EXPECT_EQ(secret_key(a)->size(), secret_bytes);
  auto header = signature_header({a, b}, "msg_x", 1700000000, "{}");
  EXPECT_EQ(header, signature(a, "msg_x", 1700000000, "{}") + " " + signature(b, "msg_x", 1700000000, "{}"));
}

TEST(WebhookSignature, ASecretThatIsNotBase64IsRefused) {
  EXPECT_FALSE(secret_key("whsec_"));
  EXPECT_FALSE(secret_key("whsec_not base64!"));
  EXPECT_THROW(signature("whsec_***", "msg_1", 1, "{}"), std::invalid_argument);
}

TEST(WebhookSignature, MessageIdsAreTheUuidWithoutDashes) {
  EXPECT_EQ(message_id("0190f3a4-1b2c-7d3e-8f40-123456789abc"), "msg_0190f3a41b2c7d3e8f40123456789abc");
}

struct Row {
  Attempt attempt;
  int tries;
  double u;
  Verdict verdict;
  std::string tag;
  std::chrono::seconds wait;
  bool disable = false;
};

// Issue 19: retry timeouts, connection errors, 408/409/429 and 5xx with the schedule and full
// jitter (honouring Retry-After); any other 4xx goes straight to the dead-letter queue; so do
// messages whose retries ran out.
TEST(WebhookDecision, Table) {
  const std::vector<Row> rows{
      {{200, "", {}}, 1, 0.5, Verdict::delivered, "", 0s},
      {{204, "", {}}, 3, 0.5, Verdict::delivered, "", 0s},
      // u = 0 waits the whole step, u -> 1 almost nothing (at least a second).
      {{500, "", {}}, 1, 0.0, Verdict::retry, "http_5xx", 5s},
      {{503, "", {}}, 2, 0.0, Verdict::retry, "http_5xx", 5min},
      {{502, "", {}}, 2, 0.5, Verdict::retry, "http_5xx", 150s},
      {{0, "timeout", {}}, 3, 0.0, Verdict::retry, "timeout", 30min},
      {{0, "connection", {}}, 4, 0.0, Verdict::retry, "connection", 2h},
      {{0, "dns", {}}, 5, 0.0, Verdict::retry, "dns", 5h},
      {{0, "tls", {}}, 6, 0.0, Verdict::retry, "tls", 10h},
      {{408, "", {}}, 7, 0.0, Verdict::retry, "http_4xx", 10h},
      {{429, "", {}}, 1, 0.999999, Verdict::retry, "http_4xx", 1s},
      {{409, "", {}}, 1, 0.0, Verdict::retry, "http_4xx", 5s},
      // Retry-After wins when it asks for longer than the jittered wait, not when shorter.
      {{429, "", 120}, 1, 0.0, Verdict::retry, "http_4xx", 120s},
      {{503, "", 1}, 2, 0.0, Verdict::retry, "http_5xx", 5min},
      // The eighth failure: the schedule is used up.
      {{500, "", {}}, 8, 0.0, Verdict::dead, "http_5xx", 0s},
      {{0, "timeout", {}}, 8, 0.0, Verdict::dead, "timeout", 0s},
      // Other 4xx and 3xx: dead at once; 410 disables the endpoint too.
      {{400, "", {}}, 1, 0.0, Verdict::dead, "http_4xx", 0s},
      {{401, "", {}}, 1, 0.0, Verdict::dead, "http_4xx", 0s},
      {{404, "", {}}, 1, 0.0, Verdict::dead, "http_4xx", 0s},
      {{410, "", {}}, 1, 0.0, Verdict::dead, "http_4xx", 0s, true},
      {{422, "", {}}, 2, 0.0, Verdict::dead, "http_4xx", 0s},
      {{301, "", {}}, 1, 0.0, Verdict::dead, "http_3xx", 0s},
      {{0, "invalid_payload", {}}, 1, 0.0, Verdict::dead, "invalid_payload", 0s},
  };
  for (const auto& r : rows) {
    auto d = decide(r.attempt, r.tries, r.u);
    SCOPED_TRACE(::testing::Message() << "status " << r.attempt.http_status << " " << r.attempt.transport_error
                                      << " try " << r.tries);
    EXPECT_EQ(d.verdict, r.verdict);
    EXPECT_EQ(d.error_tag, r.tag);
    EXPECT_EQ(d.wait, r.wait);
    EXPECT_EQ(d.disable_endpoint, r.disable);
  }
}

TEST(WebhookDecision, TheScheduleAddsUpToAboutADay) {
  std::chrono::seconds total{0};
  for (auto s : retry_schedule()) total += s;
  EXPECT_EQ(retry_schedule().size(), 7u);
  EXPECT_GT(total, 20h);
  EXPECT_LT(total, 30h);
}

TEST(WebhookDecision, JitteredWaitsStayWithinTheirStep) {
  for (int tries = 1; tries <= 7; ++tries)
    for (double u : {0.0, 0.1, 0.33, 0.5, 0.9, 0.999}) {
      auto d = decide({500, "", {}}, tries, u);
      EXPECT_GE(d.wait, 1s);
      EXPECT_LE(d.wait, retry_schedule()[static_cast<std::size_t>(tries - 1)]);
    }
}

TEST(WebhookCatalog, SubscriptionsByNameFamilyOrEverything) {
  EXPECT_TRUE(valid_subscription("sale.completed"));
  EXPECT_TRUE(valid_subscription("transfer.*"));
  EXPECT_TRUE(valid_subscription("*"));
  EXPECT_FALSE(valid_subscription("sale.complete"));
  EXPECT_FALSE(valid_subscription("nothing.*"));
  EXPECT_FALSE(valid_subscription(".*"));
  EXPECT_TRUE(subscribed({"transfer.*"}, "transfer.shipped"));
  EXPECT_FALSE(subscribed({"transfer.*"}, "transfers.shipped"));
  EXPECT_TRUE(subscribed({"*"}, "stock.changed"));
  EXPECT_FALSE(subscribed({"sale.completed"}, "sale.voided"));
}

TEST(WebhookCatalog, OutboxTypesPublished) {
  EXPECT_EQ(published_type("price_change.applied"), "price.changed");
  EXPECT_EQ(published_type("sale.completed"), "sale.completed");
  EXPECT_EQ(published_type("purchase_order.sent"), "purchase_order.sent");
  EXPECT_EQ(published_type("order.ready"), "order.ready");
  EXPECT_EQ(published_type("order.substitution_offered"), "order.substitution_offered");
  EXPECT_EQ(published_type("availability.changed"), "availability.changed");
  EXPECT_FALSE(published_type("settings.changed"));
  EXPECT_FALSE(published_type("price_change.requested"));
  EXPECT_FALSE(published_type("labels.queued"));
}

// Yielding to a rush: below the writer's rush share deliveries claim on every look; at or above
// it at most once per pause.
TEST(WebhookRush, ClaimsAtMostOncePerPauseWhileTheWriterIsBusy) {
  struct Row {
    double busy;
    std::chrono::milliseconds since, pause;
    bool claim;
  };
  const Row rows[] = {
      {0.0, 0ms, 1000ms, true},       // an idle shop: at once
      {0.004, 0ms, 1000ms, true},     // a few sales a second
      {0.49, 0ms, 1000ms, true},      // just under the rush share
      {0.5, 0ms, 1000ms, false},      // a rush: held back ...
      {0.5, 999ms, 1000ms, false},
      {0.5, 1000ms, 1000ms, true},    // ... until a pause has passed since the last claim
      {1.0, 250ms, 1000ms, false},
      {1.3, 5000ms, 1000ms, true},    // overlapping clock reads may give more than 1
      {1.0, 250ms, 250ms, true},      // a short pause: held back only that long
  };
  for (const auto& r : rows)
    EXPECT_EQ(claim_now(r.busy, r.since, r.pause), r.claim) << r.busy << " " << r.since.count() << " " << r.pause.count();
  EXPECT_DOUBLE_EQ(rush_busy_share, 0.5);
}

}  // namespace
}  // namespace backroom::integrations::webhooks
