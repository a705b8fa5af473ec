// Approval (approval.hpp): the rule once, and the acts of sales that use it.
#include "sales/approval.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "access/auth.hpp"
#include "access/permissions.hpp"

namespace backroom::sales {

namespace bj = boost::json;

Approval approve(const Actor& actor, const std::function<bool(const Actor&)>& may,
                 const std::function<std::optional<Actor>()>& redeem) {
  if (may(actor)) return Approval{true, std::nullopt};
  auto approver = redeem();
  if (!approver || !may(*approver)) return Approval{false, std::nullopt};
  return Approval{true, std::move(approver)};
}

bool discounts_within(const SaleDraft& draft, std::int64_t limit_bp) {
  return std::all_of(draft.discounts.begin(), draft.discounts.end(), [&](const DiscountGiven& g) {
    return discount_within_limit(g.amount, g.base, limit_bp, draft.settings.rules.rounding);
  });
}

Problem discount_over_limit(std::int64_t discount_bp, std::int64_t limit_bp) {
  Problem p(403, "discount_over_limit",
            fmt::format("a discount of {}.{:02} % is above your limit of {}.{:02} %; ask a manager for an override",
                        discount_bp / 100, discount_bp % 100, limit_bp / 100, limit_bp % 100),
            "override_token");
  p.extra_json = bj::serialize(bj::object{{"discount_basis_points", discount_bp}, {"limit_basis_points", limit_bp}});
  return p;
}

namespace {

std::function<std::optional<Actor>()> redeemer(db::Db& db, const Actor& actor, const std::optional<std::string>& token,
                                               std::string_view permission) {
  return [&db, &actor, &token, permission]() -> std::optional<Actor> {
    if (!token) return std::nullopt;
    return auth::consume_override(db, *token, permission, actor);
  };
}

}  // namespace

std::optional<Actor> approve_discounts(db::Db& db, const Actor& actor, const SaleDraft& draft,
                                       const std::optional<std::string>& token) {
  if (draft.discounts.empty()) return std::nullopt;
  auto a = approve(
      actor,
      [&](const Actor& person) { return discounts_within(draft, auth::role_limits(db, person).discount_basis_points_max); },
      redeemer(db, actor, token, permission::sales_discount_override));
  if (!a.granted) throw discount_over_limit(draft.discount_bp_max, auth::role_limits(db, actor).discount_basis_points_max);
  return a.approver;
}

std::optional<std::int64_t> discount_limit_exceeded(db::Db& reader, const Actor& actor, const SaleDraft& draft) {
  if (draft.discounts.empty()) return std::nullopt;
  auto limit = auth::role_limits(reader, actor).discount_basis_points_max;
  if (discounts_within(draft, limit)) return std::nullopt;
  return limit;
}

std::optional<Actor> approve_void(db::Db& db, const Actor& actor, const std::optional<std::string>& token) {
  auto a = approve(
      actor, [](const Actor& person) { return person.can(permission::sales_void); },
      redeemer(db, actor, token, permission::sales_void));
  if (!a.granted)
    throw Problem(403, "forbidden", "voiding a sale needs sales.void or a manager's override_token", "override_token");
  return a.approver;
}

std::optional<Actor> approve_no_receipt(db::Db& db, const Actor& actor, const std::optional<std::string>& token) {
  auto a = approve(
      actor, [](const Actor& person) { return person.can(permission::returns_no_receipt); },
      redeemer(db, actor, token, permission::returns_no_receipt));
  if (!a.granted)
    throw Problem(403, "forbidden", "a return without a receipt needs returns.no_receipt or a manager's override_token",
                  "override_token");
  return a.approver;
}

std::optional<Actor> approve_refund_without_receipt(db::Db& db, const Actor& actor, std::optional<Actor> approver,
                                                    const std::optional<std::string>& token, std::int64_t refund_total) {
  const Actor& person = approver ? *approver : actor;
  auto within = [&](const Actor& p) { return refund_total <= auth::role_limits(db, p).return_without_receipt_minor_max; };
  // A token already redeemed for this return is spent: the approver it gave must suffice.
  auto a = approve(person, within,
                   approver ? std::function<std::optional<Actor>()>([] { return std::nullopt; })
                            : redeemer(db, actor, token, permission::returns_no_receipt));
  if (!a.granted)
    throw Problem(403, "refund_over_limit",
                  fmt::format("a refund of {} without a receipt is above your limit of {}", refund_total,
                              auth::role_limits(db, person).return_without_receipt_minor_max),
                  "override_token");
  return a.approver ? a.approver : approver;
}

}  // namespace backroom::sales
