// Approval as a table (sales/approval.hpp): who may act alone, when an override token is
// redeemed (only when needed, at most once), and whose permission or limit decides.
#include <gtest/gtest.h>

#include "platform/problem.hpp"
#include "sales/approval.hpp"

using namespace backroom;
using namespace backroom::sales;

namespace {

Actor person(std::string name, std::vector<std::string> permissions) {
  Actor a;
  a.user = name;
  a.user_id = name + "-id";
  a.role = "role-of-" + name;
  a.permissions = std::move(permissions);
  std::sort(a.permissions.begin(), a.permissions.end());
  return a;
}

const Actor cashier = person("cashier", {"sales.create"});
const Actor manager = person("manager", {"sales.create", "sales.void"});
const Actor lead = person("lead", {"sales.create"});  // may not void either

TEST(Approval, TheRuleAsATable) {
  struct Case {
    const char* name;
    const Actor* actor;
    std::optional<Actor> token_approver;  // who the override token's redemption gives (nullopt: none / invalid)
    bool granted;
    const char* approver;  // "" when none
    int redemptions;
  };
  const std::vector<Case> cases = {
      {"may_alone_keeps_the_token", &manager, manager, true, "", 0},
      {"may_alone_without_token", &manager, std::nullopt, true, "", 0},
      {"cashier_with_manager_override", &cashier, manager, true, "manager", 1},
      {"cashier_without_token", &cashier, std::nullopt, false, "", 1},
      {"override_by_someone_who_may_not", &cashier, lead, false, "", 1},
  };
  auto may_void = [](const Actor& a) { return a.can("sales.void"); };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    int redemptions = 0;
    auto a = approve(*c.actor, may_void, [&]() {
      ++redemptions;
      return c.token_approver;
    });
    EXPECT_EQ(a.granted, c.granted);
    EXPECT_EQ(a.approver ? a.approver->user : "", c.approver);
    EXPECT_EQ(redemptions, c.redemptions);
  }
}

TEST(Approval, ALimitIsCheckedOnTheApproverToo) {
  // "may" as a limit: a refund of 80.00 against limits 50.00 (cashier) and 100.00 / 60.00.
  std::map<std::string, std::int64_t> limit{{"cashier", 5000}, {"manager", 10000}, {"lead", 6000}};
  auto within = [&](const Actor& a) { return 8000 <= limit[a.user]; };
  EXPECT_TRUE(approve(cashier, within, [] { return std::optional(manager); }).granted);
  EXPECT_FALSE(approve(cashier, within, [] { return std::optional(lead); }).granted);
  EXPECT_TRUE(approve(manager, within, [] { return std::optional<Actor>(); }).granted);
}

TEST(Approval, DiscountsWithinALimitCompareExactly) {
  // 10 % of 3.35 priced half-even is 0.34: within a 10 % limit (pricing.hpp discount_within_limit).
  SaleDraft draft;
  draft.settings.rules.rounding = RoundingMode::half_even;
  EXPECT_TRUE(discounts_within(draft, 0));  // no discount is within any limit
  draft.discounts = {DiscountGiven{34, 335}};
  EXPECT_TRUE(discounts_within(draft, 1000));
  EXPECT_FALSE(discounts_within(draft, 999));
  draft.discounts.push_back(DiscountGiven{500, 1000});  // and 50 % of 10.00
  EXPECT_FALSE(discounts_within(draft, 1000));
  EXPECT_TRUE(discounts_within(draft, 5000));
}

TEST(Approval, ADiscountOverTheLimitSaysBothInPercent) {
  auto p = discount_over_limit(1250, 1000);
  EXPECT_EQ(p.status, 403);
  EXPECT_EQ(p.code, "discount_over_limit");
  EXPECT_EQ(p.field, "override_token");
  EXPECT_EQ(p.detail, "a discount of 12.50 % is above your limit of 10.00 %; ask a manager for an override");
  EXPECT_EQ(p.extra_json, R"({"discount_basis_points":1250,"limit_basis_points":1000})");
}

}  // namespace
