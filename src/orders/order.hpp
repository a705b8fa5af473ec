// Click-and-collect as plain values (docs/orders.md): an online order, its lines, its
// statuses, and the pure rules the commands decide by: which line a scan picks (or why it
// is refused), when an order may be staged, what a short pick refunds, when holds expire,
// and what the availability feed says of an item at a store. No I/O here.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "platform/documents.hpp"
#include "platform/types.hpp"
#include "platform/vocabulary.hpp"

namespace backroom::orders {

inline constexpr std::size_t order_lines_max = 100;
inline constexpr std::int64_t line_quantity_units_max = 10'000;
inline constexpr std::size_t customer_field_length_max = 200;
inline constexpr std::size_t channel_length_max = 40;
inline constexpr std::size_t external_id_length_max = 100;
inline constexpr std::size_t staging_spot_length_max = 40;
inline constexpr std::size_t reason_length_max = 500;
inline constexpr std::size_t pickup_code_length = 8;
inline constexpr std::int64_t hold_expiry_hours_default = 48;
inline constexpr std::int64_t hold_expiry_hours_max = 24 * 90;
inline constexpr std::int64_t expiry_poll_seconds_default = 60;
inline constexpr std::size_t pick_queue_orders_max = 200;
inline constexpr std::size_t availability_items_max = 500;
inline constexpr std::size_t availability_locations_max = 50;

// open: placed (paid or not), waiting to be picked; picking: the first unit is picked;
// ready: staged with a spot, waiting for its customer; collected: handed over as a sale;
// cancelled / expired: its holds released.
enum class OrderStatus { open, picking, ready, collected, cancelled, expired };
inline constexpr Vocabulary<OrderStatus, 6> order_statuses{{{{OrderStatus::open, "open"},
                                                             {OrderStatus::picking, "picking"},
                                                             {OrderStatus::ready, "ready"},
                                                             {OrderStatus::collected, "collected"},
                                                             {OrderStatus::cancelled, "cancelled"},
                                                             {OrderStatus::expired, "expired"}}}};
inline std::string_view word(OrderStatus s) { return order_statuses.text(s); }
// Still in the store's hands: may be paid, picked, staged, cancelled, expired.
bool is_active(OrderStatus s);

struct Customer {
  std::string name, phone, email;
};

struct LineInput {
  std::optional<std::string> item_id, sku, gtin;  // exactly one
  Quantity quantity;
  std::int64_t unit_price = 0;  // what the customer pays per unit (minor units)
};

struct OrderInput {
  documents::DocumentKey key;
  std::string channel;
  std::optional<std::string> external_id;
  std::string location_id;
  Timestamp promised_at;
  Customer customer;
  std::vector<LineInput> lines;
  bool paid = false;
};

struct OrderLine {
  std::string id;
  std::string item_id;
  Quantity quantity;
  std::int64_t unit_price = 0;
  Quantity picked;
  Quantity short_;  // confirmed not there at picking
  // A line the customer accepted in place of a short one: that line's id, and what the
  // customer was charged for the short units it replaces (minor units; 0 on other lines).
  std::optional<std::string> substitute_for;
  std::int64_t credit = 0;
  Quantity outstanding() const { return quantity - picked - short_; }
};

struct Order {
  std::string id;
  std::int64_t number = 0;
  std::string channel;
  std::optional<std::string> external_id;
  std::string location_id;
  OrderStatus status = OrderStatus::open;
  Timestamp promised_at;
  Customer customer;                       // as the order was placed (sealed at rest)
  std::optional<std::string> customer_id;  // the customer master's (customers/customers.hpp)
  std::string pickup_code;
  std::int64_t total = 0;
  std::optional<Timestamp> paid_at;
  std::optional<std::string> staging_spot;
  std::optional<std::string> sale_id;
  std::int64_t refund_due = 0;
  std::optional<Timestamp> refunded_at;
  std::optional<std::string> refunded_by;
  Timestamp created_at, updated_at;
  std::vector<OrderLine> lines;
};

// offered: sent to the customer, waiting; accepted / declined: the customer answered by the
// link; withdrawn: the shop offered something else, staged or closed the order first.
enum class SubstitutionStatus { offered, accepted, declined, withdrawn };
inline constexpr Vocabulary<SubstitutionStatus, 4> substitution_statuses{
    {{{SubstitutionStatus::offered, "offered"},
      {SubstitutionStatus::accepted, "accepted"},
      {SubstitutionStatus::declined, "declined"},
      {SubstitutionStatus::withdrawn, "withdrawn"}}}};
inline std::string_view word(SubstitutionStatus s) { return substitution_statuses.text(s); }

// A substitute offered for a short line: `quantity` of `item_id` at `unit_price`, in place of
// the line's short units, which are worth `credit` (what the order charges for them).
struct Substitution {
  std::string id;
  std::string order_id;
  std::string line_id;
  std::string item_id;
  Quantity quantity;
  std::int64_t unit_price = 0;
  std::int64_t credit = 0;
  SubstitutionStatus status = SubstitutionStatus::offered;
  Timestamp offered_at;
  std::string offered_by;
  std::optional<Timestamp> decided_at;
  std::optional<std::string> new_line_id;
};

// "ON-000123".
std::string order_number_text(std::int64_t number);
// What `quantity` units at `unit_price` come to, rounded half-even to minor units.
std::int64_t line_amount(Quantity quantity, std::int64_t unit_price);
// What the order charges: its lines' amounts, less the credits of substitute lines (the short
// units they replace are still counted on their own lines).
std::int64_t order_total(const std::vector<OrderLine>& lines);
// What a line's short units are worth: the credit a substitute for them carries.
std::int64_t substitution_credit(const OrderLine& line);
// The price difference the customer is shown: the substitute's amount less the credit
// (positive: pays more at pickup; negative: gets that back).
std::int64_t price_difference(const Substitution& s);
// May the line be offered a substitute? Names the reason when not (409 not_substitutable):
// it has no short units, it is itself a substitute, or one was already accepted for it.
std::optional<std::string> substitution_refused(const std::vector<OrderLine>& lines, const std::string& line_id);
// When an order's holds expire: `hours` after it was promised.
Timestamp expires_at(Timestamp promised_at, std::int64_t hours);

// The line a pick of `quantity` of `item_id` books: the first line of that item with
// enough outstanding. Throws 422 wrong_item when the item is not on the order (naming it
// and the order), 422 over_picked when its lines have less outstanding than `quantity`.
std::size_t line_to_pick(const std::vector<OrderLine>& lines, const std::string& item_id,
                         const std::string& item_label, Quantity quantity, const std::string& order_label);
// Every unit is picked or confirmed short, and at least one was picked (409 otherwise).
void check_stageable(const Order& order);
// Money of a paid order at pickup (all 0 when the order was not paid; it is paid at the till):
// - short_refund: what the customer paid for units not handed over: short lines no substitute
//   replaced, and a substitute's credit beyond what of it was handed over;
// - online_cover: what the online payment covers of the sale: the original lines' picked
//   amounts, and each substitute's picked amount up to its credit;
// - due_at_pickup: what a substitute's picked amount is above its credit, paid at the till.
// online_cover + due_at_pickup is the sale (picked at the order's prices); online_cover +
// short_refund is what was paid online.
std::int64_t short_refund(const Order& order);
std::int64_t online_cover(const Order& order);
std::int64_t due_at_pickup(const Order& order);

// The availability feed's words for an item at a store.
enum class AvailabilityStatus { in_stock, low_stock, out_of_stock, backorder };
inline constexpr Vocabulary<AvailabilityStatus, 4> availability_statuses{
    {{{AvailabilityStatus::in_stock, "in_stock"},
      {AvailabilityStatus::low_stock, "low_stock"},
      {AvailabilityStatus::out_of_stock, "out_of_stock"},
      {AvailabilityStatus::backorder, "backorder"}}}};
inline std::string_view word(AvailabilityStatus s) { return availability_statuses.text(s); }
// on hand less held less the safety buffer, never below 0.
Quantity available(Quantity on_hand, Quantity held, Quantity safety_buffer);
// out_of_stock (backorder when a purchase order brings more) at 0; low_stock at or below
// the threshold; in_stock above it.
AvailabilityStatus availability_status(Quantity available, Quantity low_stock_threshold, bool on_order);

// Before migration 35 an order's document (in its audit entries, events and webhook messages)
// carried the customer's contact: `"customer": {"name", "phone", "email"}`. Replaces each such
// customer, anywhere in `doc`, with what later releases write there, `ref(order_id)` — the
// order's `{id, number}` in the customer master — the order id being the `id` beside it.
// True when something changed. Pure.
using CustomerRef = std::function<boost::json::object(const std::string& order_id)>;
bool redact_order_contact(boost::json::value& doc, const CustomerRef& ref);

}  // namespace backroom::orders
