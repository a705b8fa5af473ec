// Click-and-collect, the room's door (docs/orders.md): online orders placed by a web shop,
// their holds (stock/holds.hpp) from the moment they are paid, the pick queue, picking by
// scan, short picks, staging, pickup as a sale (sales' own functions) and the refunds short
// picks owe. Commands run on the writer's connection inside its transaction and write their
// audit entry and `order.*` events there; reads run on any connection.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "catalog/photo.hpp"
#include "orders/order.hpp"
#include "platform/actor.hpp"
#include "platform/db.hpp"
#include "sales/sale.hpp"

namespace backroom::orders {

struct Posted {
  boost::json::object document;
  bool replayed = false;
};

// 201 {id, number, status, pickup_code, lines:[{..., held}]}; a paid order holds its units
// at once. A retry (same Idempotency-Key, id, or channel + external_id with the same body)
// answers the first order; another body under them is 409.
Posted create_order(db::Db& db, const Actor& actor, const OrderInput& in);
// Marks an order paid and holds its units (a paid order answers unchanged).
boost::json::object mark_paid(db::Db& db, const Actor& actor, const std::string& id);
// Cancels an order still in the store's hands and releases its holds.
boost::json::object cancel_order(db::Db& db, const Actor& actor, const std::string& id, const std::string& reason);

struct PickInput {
  std::optional<std::string> code;     // a scanned barcode
  std::optional<std::string> item_id;  // or a tap on the line's item
  std::optional<Quantity> quantity;    // default: one (a case code: its pack)
};
// Books a pick on the order's line of that item (422 wrong_item / over_picked, see order.hpp).
boost::json::object pick(db::Db& db, const Actor& actor, const std::string& id, const PickInput& in);
// What is still outstanding on the line is not there: the line is short by it, its hold
// keeps only what was picked.
boost::json::object short_pick(db::Db& db, const Actor& actor, const std::string& id, const std::string& line_id);
// Everything picked or short: the order gets its staging spot and is ready (order.ready).
boost::json::object stage(db::Db& db, const Actor& actor, const std::string& id, const std::string& spot);

struct PickupInput {
  std::string pickup_code;
  std::optional<std::string> register_id;
  std::vector<sales::Tender> tenders;  // an unpaid order is paid here
};
// The ready order of that code becomes a sale of what was picked at the order's prices (paid
// online: one card tender with reference "online ON-000123"), its holds collected just before
// the sale moves the units out, status collected. A collected order answers again unchanged.
boost::json::object pickup(db::Db& db, const Actor& actor, const PickupInput& in);
// Substitution (docs/orders.md): a short line is offered another item; the customer answers
// by a link carrying a token (only its hash is kept). The offer's message (text and link path)
// goes out as the `order.substitution_offered` event for the shop's SMS/email integration.
struct OfferInput {
  std::string line_id;
  std::string item_id;
  std::optional<Quantity> quantity;           // default: the line's short quantity
  std::optional<std::int64_t> unit_price;     // default: the item's price
};
struct OfferedSubstitute {
  boost::json::object document;
  std::string token;  // the link's secret; not kept, not shown again
};
inline constexpr int substitute_candidates_max = 12;
// 409 not_substitutable when the line has nothing short, is a substitute or has one accepted;
// an offer still waiting for the same line is withdrawn.
OfferedSubstitute offer_substitute(db::Db& db, const Actor& actor, const std::string& id, const OfferInput& in);
// "/substitute/<token>": the page of the web UI where the customer answers.
std::string substitution_link_path(const std::string& token);
// The customer's answer: accepted adds the substitute as a line (held at once when the order
// is paid; the order is picking again); declined leaves the line short (refunded at pickup).
// The same answer twice answers the same; another answer, or an order no longer being picked,
// is 409 offer_closed; an unknown token 404 unknown_offer. Answers what the link shows.
boost::json::object answer_substitution(db::Db& db, const std::string& token, bool accept);
// What the customer's link shows (no ids, no contact details); nullopt for an unknown token.
std::optional<boost::json::object> substitution_offer(db::Db& db, const std::string& token);
// The photo of the item a link offers (nullopt for an unknown link or an item without one).
std::optional<catalog::Photo> substitution_offer_photo(db::Db& db, const std::string& token);
// Items in stock at the order's store the line could be offered instead (closest price first).
boost::json::array substitute_candidates(db::Db& db, const Actor& actor, const std::string& id, const std::string& line_id);

// Links orders that name no customer (placed before migration 35) as create_order links a new
// one (customers::customer_for_order), each audited `order.link_customer`; `backroom customers
// link-orders`. Needs the shop key (the contact is sealed). Writer connection.
struct CustomerLinks {
  int linked = 0;
  int without_contact = 0;  // no usable phone or e-mail: still no customer
};
CustomerLinks link_customers(db::Db& db, const Actor& actor);

// Removes the customer's contact that a release before migration 35 wrote into orders'
// audit entries, events and kept webhook messages (redact_order_contact): the audit entries
// through access's redaction (the chain still verifies), naming the customer as the order is
// linked now (run link_customers first). `backroom audit redact-contacts`. Writer connection.
struct ContactRedactions {
  int audit_entries = 0;
  int events = 0;
  int webhook_messages = 0;
  int idempotency_answers = 0;  // stored answers of online-order requests sealed
};
ContactRedactions redact_contacts(db::Db& db, const Actor& actor);

// A manager settles a collected order's short-pick refund.
boost::json::object settle_refund(db::Db& db, const Actor& actor, const std::string& id);

// Orders in the store's hands whose holds expired at `at` become expired, holds released.
int expire_orders(db::Db& db, Timestamp at);
std::int64_t hold_expiry_hours(db::Db& db);
void set_hold_expiry_hours(db::Db& db, const Actor& actor, std::int64_t hours);

// What the availability feed keeps back and calls low (settings; units).
struct FeedSettings {
  Quantity safety_buffer;                                // never offered online
  Quantity low_stock_threshold = Quantity::units(2);     // available at or below it: low_stock
};
FeedSettings feed_settings(db::Db& db);
void set_feed_settings(db::Db& db, const Actor& actor, const FeedSettings& settings);

// Reads.
std::optional<boost::json::object> load_order_document(db::Db& db, const std::string& id);
struct OrderFilter {
  std::string status;       // "" = any
  std::string location_id;  // "" = any
  std::int64_t before_number = 0;
  int limit = 50;
};
struct ListedOrder {
  std::int64_t number = 0;
  boost::json::object document;
};
std::vector<ListedOrder> list_orders(db::Db& db, const OrderFilter& f);
// Open and picking orders at a store, by promised time then paid time (unpaid last), with
// where each line's item is kept.
boost::json::array pick_queue(db::Db& db, const std::string& location_id);
// Collected orders whose short-pick refund is not settled, oldest first.
boost::json::array refunds_due(db::Db& db);

// The orders half of `backroom check`: per order, lines picked + short never exceed what
// was ordered, a collected order's sale moved out exactly what was picked, its holds are
// collected, and its refund is what its short lines were paid. One line per problem.
std::vector<std::string> check_orders(db::Db& db);

}  // namespace backroom::orders
