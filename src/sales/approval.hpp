// Approval, in one place: what a person may do alone at the register (their role's
// permissions and limits), and the manager's override token that lets them do more.
//
// The rule, for every act: a person who may do it alone needs nobody; otherwise the
// override token (when given) is redeemed for the act's permission — only then, so a
// token is never spent on what needed none — and its approver must be allowed the act
// themselves; otherwise it is refused and the caller answers its own 403. The approver is
// recorded on the document and in its audit entry.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "platform/db.hpp"
#include "platform/outbox.hpp"
#include "sales/sale.hpp"

namespace backroom::sales {

// The rule, pure. `may` says whether a person may do the act alone; `redeem` redeems the
// override token (nullopt: no token, or not valid for the act). Called at most once each
// for the actor and the approver.
struct Approval {
  bool granted = false;
  std::optional<Actor> approver;  // set when an override granted it
};
Approval approve(const Actor& actor, const std::function<bool(const Actor&)>& may,
                 const std::function<std::optional<Actor>()>& redeem);

// True when every discount of the draft is within a limit of `limit_bp` basis points,
// compared exactly with the pricing rounding (pricing.hpp discount_within_limit).
bool discounts_within(const SaleDraft& draft, std::int64_t limit_bp);
// 403 discount_over_limit (field override_token) with the largest discount and the limit.
Problem discount_over_limit(std::int64_t discount_bp, std::int64_t limit_bp);

// The acts of sales. Each reads role limits and redeems the token on the writer's `db`.
// A sale's discounts beyond the actor's limit: the approver, or 403 discount_over_limit.
std::optional<Actor> approve_discounts(db::Db& db, const Actor& actor, const SaleDraft& draft,
                                       const std::optional<std::string>& token);
// What a quote says: nullopt when the discounts are within the actor's limit, else the limit.
std::optional<std::int64_t> discount_limit_exceeded(db::Db& reader, const Actor& actor, const SaleDraft& draft);
// Voiding needs sales.void: the approver, or 403 forbidden.
std::optional<Actor> approve_void(db::Db& db, const Actor& actor, const std::optional<std::string>& token);
// A return without a receipt needs returns.no_receipt: the approver, or 403 forbidden.
std::optional<Actor> approve_no_receipt(db::Db& db, const Actor& actor, const std::optional<std::string>& token);
// ... and its refund within the limit of whoever approved it so far (`approver`, else the
// actor); beyond it, an override (unless the token was spent already): the approver (the
// one given, or a new one), or 403 refund_over_limit.
std::optional<Actor> approve_refund_without_receipt(db::Db& db, const Actor& actor, std::optional<Actor> approver,
                                                    const std::optional<std::string>& token, std::int64_t refund_total);

}  // namespace backroom::sales
