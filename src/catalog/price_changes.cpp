#include "catalog/price_changes.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "access/audit.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/ids.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"

namespace backroom::catalog {

namespace bj = boost::json;

namespace {

bj::value opt_time(const std::optional<std::int64_t>& micros) {
  return micros ? bj::value(format_rfc3339(Timestamp{*micros})) : bj::value(nullptr);
}

bool valid_tier(const std::string& tier) {
  return !tier.empty() && tier.size() <= 40 && tier != "retail" &&
         tier.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
}

void audit_change(db::Db& db, const Actor& actor, const std::string& action, const std::optional<PriceChange>& before,
                  const PriceChange& after) {
  append_audit(db, actor,
               AuditEntry{action, "price_change", after.id,
                          before ? std::optional<std::string>(bj::serialize(price_change_to_json(*before))) : std::nullopt,
                          bj::serialize(price_change_to_json(after))});
}

// Writes the new price onto the item (version bump, item audit and item.updated event).
void apply(db::Db& db, PriceChange& change, std::int64_t at) {
  auto before = store::load_item(db, change.item_id);
  if (!before) throw not_found("item", change.item_id);
  Item after = *before;
  if (change.tier) {
    auto it = before->prices.find(*change.tier);
    change.old_price = it == before->prices.end() ? std::nullopt : std::optional(it->second);
    after.prices[*change.tier] = change.price;
  } else {
    change.old_price = before->price;
    after.price = change.price;
  }
  // The item's own audit entry names who approved it; the origin says which change.
  Actor approver = Actor::of(change.decided_by.value_or("system"), "price_change:" + change.id);
  replace_item(db, approver, *before, std::move(after));
  change.status = "applied";
  change.applied_at = at;
  store::update_price_change(db, change);
  append_event(db, "price_change.applied", change.id, bj::serialize(price_change_to_json(change)));
}

// A promotion's end: the price it replaced goes back onto the item (a tier it created is
// removed), audited and announced like the change itself.
void end(db::Db& db, PriceChange& change, std::int64_t at) {
  auto before = store::load_item(db, change.item_id);
  if (!before) throw not_found("item", change.item_id);
  Item after = *before;
  if (change.tier) {
    if (change.old_price) after.prices[*change.tier] = *change.old_price;
    else after.prices.erase(*change.tier);
  } else if (change.old_price) {
    after.price = *change.old_price;
  }
  Actor approver = Actor::of(change.decided_by.value_or("system"), "price_change:" + change.id);
  replace_item(db, approver, *before, std::move(after));
  change.ended_at = at;
  store::update_price_change(db, change);
  append_event(db, "price_change.applied", change.id, bj::serialize(price_change_to_json(change)));
}

PriceChange pending(db::Db& db, const std::string& id) {
  auto change = store::load_price_change(db, id);
  if (!change) throw not_found("price change", id);
  if (change->status != "pending")
    throw Problem(409, "not_pending", fmt::format("price change {} is {}, not pending", id, change->status));
  return *change;
}

}  // namespace

const PriceChange* clashing_price_change(const std::vector<PriceChange>& others, const PriceChange& change) {
  auto within = [](const PriceChange& promotion, const PriceChange& other) {
    return promotion.promotion && promotion.ends_at && promotion.effective_at <= other.effective_at &&
           other.effective_at < *promotion.ends_at;
  };
  for (const auto& o : others) {
    if (o.id == change.id) continue;
    // A change applied already is in the price a new promotion will put back, unless it is a
    // running promotion with an end of its own (that end would come back over the new one).
    bool in_the_price = o.status == "applied" && !(o.promotion && o.ends_at);
    if (within(o, change) || (!in_the_price && within(change, o))) return &o;
    if (o.promotion && change.promotion && o.effective_at == change.effective_at) return &o;
  }
  return nullptr;
}

PriceChange request_price_change(db::Db& db, const Actor& actor, const PriceChangeRequest& r) {
  if (!store::load_item(db, r.item_id))
    throw invalid_field("item_id", fmt::format("item '{}' does not exist", r.item_id));
  if (r.tier && !valid_tier(*r.tier))
    throw invalid_field("tier", "tier is a price tier name (lowercase letters, digits, _); omit it for the retail price");
  auto at = now().micros;
  auto effective_at = r.effective_at.value_or(at);
  if (r.ends_at) {
    if (!r.promotion)
      throw invalid_field("ends_at", "only a promotion ends by itself: set promotion, or request the next price as a change of its own");
    if (*r.ends_at <= effective_at || *r.ends_at <= at)
      throw invalid_field("ends_at", "ends_at must be after effective_at and in the future");
  }
  PriceChange c;
  c.id = new_uuid_v7();
  c.item_id = r.item_id;
  c.tier = r.tier;
  c.price = r.price;
  c.effective_at = effective_at;
  c.reason = r.reason;
  c.requested_by = actor.user;
  c.requested_by_id = actor.user_id;
  c.requested_at = at;
  c.promotion = r.promotion;
  c.ends_at = r.ends_at;
  auto same_price = store::open_price_changes(db, c.item_id, c.tier);
  if (const auto* other = clashing_price_change(same_price, c))
    throw Problem(422, "promotion_overlap",
                  fmt::format("this price already has {} {} from {}{}: a promotion puts its old price back at its end, so "
                              "changes of one price may not overlap a promotion; schedule it from the promotion's end",
                              other->promotion ? "a promotion" : "a change", price_change_status(*other),
                              format_rfc3339(Timestamp{other->effective_at}),
                              other->ends_at ? " to " + format_rfc3339(Timestamp{*other->ends_at}) : std::string()),
                  "effective_at");
  store::insert_price_change(db, c);
  audit_change(db, actor, "price_change.request", std::nullopt, c);
  append_event(db, "price_change.requested", c.id, bj::serialize(price_change_to_json(c)));
  return c;
}

PriceChange approve_price_change(db::Db& db, const Actor& actor, const std::string& id,
                                 const std::optional<std::string>& note) {
  auto before = pending(db, id);
  bool same_person = actor.user_id.empty() ? actor.user == before.requested_by : actor.user_id == before.requested_by_id;
  if (same_person)
    throw Problem(403, "self_approval", "a price change must be approved by someone other than its requester");
  auto at = now().micros;
  PriceChange c = before;
  c.status = "approved";
  c.decided_by = actor.user;
  c.decided_by_id = actor.user_id;
  c.decided_at = at;
  c.decision_note = note;
  store::update_price_change(db, c);
  audit_change(db, actor, "price_change.approve", before, c);
  append_event(db, "price_change.approved", c.id, bj::serialize(price_change_to_json(c)));
  if (c.effective_at <= at) apply(db, c, at);
  if (c.status == "applied" && c.ends_at && *c.ends_at <= at) end(db, c, at);
  return c;
}

PriceChange reject_price_change(db::Db& db, const Actor& actor, const std::string& id,
                                const std::optional<std::string>& note) {
  auto before = pending(db, id);
  PriceChange c = before;
  c.status = "rejected";
  c.decided_by = actor.user;
  c.decided_by_id = actor.user_id;
  c.decided_at = now().micros;
  c.decision_note = note;
  store::update_price_change(db, c);
  audit_change(db, actor, "price_change.reject", before, c);
  append_event(db, "price_change.rejected", c.id, bj::serialize(price_change_to_json(c)));
  return c;
}

namespace {
// Runs `step` on each change in a savepoint of its own: one that cannot apply (say its item
// became a parent) must not hold up the rest. Returns how many went through.
template <typename Step>
int each_in_savepoint(db::Db& db, std::vector<PriceChange> changes, const char* what, Step step) {
  int done = 0;
  for (auto& c : changes) {
    db.exec("SAVEPOINT price_change");
    try {
      step(c);
      db.exec("RELEASE price_change");
      ++done;
    } catch (const std::exception& e) {
      db.exec("ROLLBACK TO price_change");
      db.exec("RELEASE price_change");
      spdlog::error("price change {} could not {}: {}", c.id, what, e.what());
    }
  }
  return done;
}
}  // namespace

int apply_due_price_changes(db::Db& db, std::int64_t at) {
  // Ends first: a change due at a promotion's end (the next promotion back to back) must find
  // the price put back, and keep it as its old price, not be overwritten by the return.
  int n = each_in_savepoint(db, store::ending_price_changes(db, at), "go back at its end",
                            [&](PriceChange& c) { end(db, c, at); });
  n += each_in_savepoint(db, store::due_price_changes(db, at), "be applied", [&](PriceChange& c) { apply(db, c, at); });
  // Then those just applied whose end has passed too (the scheduler was away).
  return n + each_in_savepoint(db, store::ending_price_changes(db, at), "go back at its end",
                               [&](PriceChange& c) { end(db, c, at); });
}

std::string price_change_status(const PriceChange& c) { return c.ended_at ? "ended" : c.status; }

bj::object price_change_to_json(const PriceChange& c) {
  return bj::object{{"id", c.id},
                    {"item_id", c.item_id},
                    {"tier", c.tier ? bj::value(*c.tier) : bj::value(nullptr)},
                    {"price", c.price},
                    {"old_price", c.old_price ? bj::value(*c.old_price) : bj::value(nullptr)},
                    {"effective_at", format_rfc3339(Timestamp{c.effective_at})},
                    {"reason", c.reason},
                    {"status", price_change_status(c)},
                    {"promotion", c.promotion},
                    {"ends_at", opt_time(c.ends_at)},
                    {"ended_at", opt_time(c.ended_at)},
                    {"requested_by", c.requested_by},
                    {"requested_at", format_rfc3339(Timestamp{c.requested_at})},
                    {"decided_by", c.decided_by ? bj::value(*c.decided_by) : bj::value(nullptr)},
                    {"decided_at", opt_time(c.decided_at)},
                    {"decision_note", c.decision_note ? bj::value(*c.decision_note) : bj::value(nullptr)},
                    {"applied_at", opt_time(c.applied_at)}};
}

}  // namespace backroom::catalog
