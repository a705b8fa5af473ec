// Price change requests: separation of duties for prices. A change (new price for the
// retail price or a tier, effective time, reason) is requested by one person and takes
// effect only once a different person with prices.approve approves it; the requester can
// never approve their own. An approved change whose time has come is applied at once;
// one in the future is applied by the scheduler (register_price_change_routes starts it;
// it also applies anything overdue after a restart). A change may be flagged a promotion
// (even at the same price: a display or end-cap promotion) and may carry an end: at its end
// the scheduler puts back the price it replaced (old_price), audited and announced like any
// price change; the approver approves the whole promotion, start and return.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "platform/outbox.hpp"

namespace backroom::catalog {

inline constexpr std::size_t price_change_reason_length_max = 500;

struct PriceChange {
  std::string id;
  std::string item_id;
  std::optional<std::string> tier;  // nullopt = the item's retail price
  std::int64_t price = 0;           // minor units
  std::optional<std::int64_t> old_price;  // when applied
  std::int64_t effective_at = 0;    // micros
  std::string reason;
  std::string status = "pending";   // pending, approved, rejected, applied
  std::string requested_by;
  std::string requested_by_id;
  std::int64_t requested_at = 0;
  std::optional<std::string> decided_by;
  std::optional<std::string> decided_by_id;
  std::optional<std::int64_t> decided_at;
  std::optional<std::string> decision_note;
  std::optional<std::int64_t> applied_at;
  bool promotion = false;
  std::optional<std::int64_t> ends_at;   // micros: the price goes back then
  std::optional<std::int64_t> ended_at;  // when it went back
};

// The status people read: "ended" once an applied change with an end has gone back.
std::string price_change_status(const PriceChange& change);

struct PriceChangeRequest {
  std::string item_id;
  std::optional<std::string> tier;
  std::int64_t price = 0;
  std::optional<std::int64_t> effective_at;  // nullopt = now
  std::string reason;
  bool promotion = false;
  std::optional<std::int64_t> ends_at;
};

// 422 when the item does not exist, the tier is not a tier name, or ends_at is not after the
// effective time and now, or comes without `promotion` (only a promotion goes back by itself);
// 422 promotion_overlap (field effective_at) when it clashes with a change of the same price
// (`clashing_price_change`).
PriceChange request_price_change(db::Db& db, const Actor& actor, const PriceChangeRequest& request);
// 403 self_approval when `actor` requested it; 409 when it is not pending. Applies it when due.
PriceChange approve_price_change(db::Db& db, const Actor& actor, const std::string& id,
                                 const std::optional<std::string>& note);
PriceChange reject_price_change(db::Db& db, const Actor& actor, const std::string& id,
                                const std::optional<std::string>& note);
// Puts back the price of every applied promotion whose end is at or before `at_micros`, then
// applies every approved change effective at or before it (so a promotion starting at another's
// end keeps the price put back as its old price), then ends those of them already over;
// returns how many steps.
int apply_due_price_changes(db::Db& db, std::int64_t at_micros);

boost::json::object price_change_to_json(const PriceChange& change);

// Two changes of one price (item and tier) clash when one is a promotion with an end and the
// other takes effect from its start up to its end (at its end the promotion would put its
// old price back over the other; a change already applied, other than a running promotion with
// an end, is in the price it puts back), or both are promotions starting at the same moment. A
// promotion without an end runs until the next change, so it clashes with none. Returns the
// first of `others` (the price's changes not rejected and not ended) that clashes with
// `change`, or nullptr.
const PriceChange* clashing_price_change(const std::vector<PriceChange>& others, const PriceChange& change);

// A flagged promotion (of the retail price or a tier) for the promotion calendar, with its item.
struct PromotionEntry {
  PriceChange change;
  std::string sku;
  std::string name;
  std::optional<std::int64_t> item_price;  // the item's price now: retail, or the change's tier (none yet: nullopt)
};

namespace store {
void insert_price_change(db::Db& db, const PriceChange& change);
void update_price_change(db::Db& db, const PriceChange& change);
std::optional<PriceChange> load_price_change(db::Db& db, const std::string& id);
// Newest first; status "" = any; up to limit + 1 rows.
std::vector<PriceChange> list_price_changes(db::Db& db, const std::string& status, const std::string& item_id,
                                            const std::string& before_id, int limit);
std::vector<PriceChange> due_price_changes(db::Db& db, std::int64_t at_micros);
// Applied changes whose end is at or before `at_micros` and that have not gone back yet.
std::vector<PriceChange> ending_price_changes(db::Db& db, std::int64_t at_micros);
// Regular-price changes of `item_ids` applied after `after_micros`, oldest first: what
// the price was before each (old_price). A promotion's return counts as a change applied at
// its ended_at from the promotion's price (old_price) back to the price before it (price).
std::vector<PriceChange> applied_price_changes_after(db::Db& db, const std::vector<std::string>& item_ids,
                                                     std::int64_t after_micros);
// Approved regular-price changes of `item_ids` not applied yet, by item then effective_at:
// the prices the shop has planned (planning reads a cut below the regular price as a
// promotion ahead).
std::vector<PriceChange> scheduled_price_changes(db::Db& db, const std::vector<std::string>& item_ids);
// Flagged promotions (retail price and tiers), not rejected, planned to be in force some time in
// [from_micros, to_micros) (by effective_at and ends_at), by effective_at then id, after the
// one with id `after_id` ("" = from the first); up to limit + 1 rows. `status` as people read
// it (price_change_status: pending, approved, applied = running, ended; "" = any).
std::vector<PromotionEntry> list_promotions(db::Db& db, std::int64_t from_micros, std::int64_t to_micros,
                                            const std::string& status, const std::string& after_id, int limit);
// The changes of one price (item and tier: nullopt = retail) pending, approved or applied and
// not ended, by effective_at.
std::vector<PriceChange> open_price_changes(db::Db& db, const std::string& item_id, const std::optional<std::string>& tier);
// Flagged regular-price promotions of `item_ids` that were applied before `to_micros` and had
// not gone back by `from_micros`: the promotions in force some time in between.
std::vector<PriceChange> promotions_in_force(db::Db& db, const std::vector<std::string>& item_ids,
                                             std::int64_t from_micros, std::int64_t to_micros);
}  // namespace store

}  // namespace backroom::catalog
