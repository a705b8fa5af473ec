// Purchase orders as plain values and their rules, pure: the status flow (draft -> sent ->
// partially_received -> received; closed short; cancelled), ordering in whole cases, the
// warnings an order carries (not refusals), what one receipt books per line (received,
// damaged, short, over) and when it needs a manager, and how a scanned barcode finds its
// order line. The commands (purchase_order_store.cpp) read and write the rows around these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "platform/problem.hpp"
#include "platform/types.hpp"
#include "platform/vocabulary.hpp"

namespace backroom::purchasing {

inline constexpr std::size_t order_lines_max = 500;
inline constexpr std::size_t receipt_scans_max = 2000;
inline constexpr std::size_t close_reason_length_max = 500;
inline constexpr std::size_t order_note_length_max = 500;
// Largest quantity one order line or one receipt line may name, in whole units: more is a
// typing slip (a barcode typed into the quantity field), not an order.
inline constexpr std::int64_t line_quantity_units_max = 1'000'000;
// Over-receipt beyond this share of a line (basis points of what was ordered) needs a
// manager; the shop's setting `purchasing.over_receive_tolerance_bp` replaces it.
inline constexpr std::int64_t over_receive_tolerance_bp_default = 1000;  // 10 %
inline constexpr std::int64_t over_receive_tolerance_bp_max = 100'000;   // 1000 %
// PUT /settings/purchasing's body {over_receive_tolerance_bp} read: the tolerance, or Problem
// 422 naming the field (0 to the max; no other field).
std::int64_t over_receive_tolerance_from_json(const boost::json::object& body);

enum class OrderStatus : std::uint8_t { draft, sent, partially_received, received, closed, cancelled };

inline constexpr Vocabulary<OrderStatus, 6> order_statuses{{{
    {OrderStatus::draft, "draft"},
    {OrderStatus::sent, "sent"},
    {OrderStatus::partially_received, "partially_received"},
    {OrderStatus::received, "received"},
    {OrderStatus::closed, "closed"},
    {OrderStatus::cancelled, "cancelled"},
}}};
inline std::string_view word(OrderStatus s) { return order_statuses.text(s); }

// What someone does to an order. check_act throws the 409 the status answers:
//   edit    only in draft                          (po_not_editable)
//   send    only a draft                           (po_not_draft)
//   receive sent or partially_received             (po_not_sent for a draft, po_closed after)
//   close   sent or partially_received             (po_not_open)
//   cancel  draft or sent                          (po_not_cancellable)
enum class OrderAct : std::uint8_t { edit, send, receive, close, cancel };
void check_act(OrderStatus status, OrderAct act);

// A quantity in whole cases of `case_pack`: the quantity asked for rounded up to the next
// whole case (rounded = true when that changed it). With `exact_cases` a quantity that is
// not a whole number of cases is refused instead: 422 case_pack naming `field`.
struct CaseQuantity {
  Quantity quantity;
  std::int64_t cases = 0;
  bool rounded = false;
};
CaseQuantity to_cases(Quantity wanted, Quantity case_pack, bool exact_cases, const std::string& field);

// unit_cost x quantity in minor units, rounded half away from zero to a minor unit.
std::int64_t line_total(std::int64_t unit_cost, Quantity quantity);

// A line as the order holds it. `received` counts every unit that arrived (damaged ones
// too); `damaged` is the part of them that is damaged; `cancelled` what closing the order
// gave up on.
struct OrderLine {
  std::string id;
  std::string item_id;
  Quantity requested;  // as asked, before rounding to cases
  Quantity quantity;   // ordered, whole cases
  Quantity case_pack;
  std::int64_t unit_cost = 0;
  Quantity received, damaged, cancelled;

  Quantity short_() const;       // ordered but not (yet) received: max(quantity - received, 0)
  Quantity over() const;         // received beyond the order: max(received - quantity, 0)
  Quantity outstanding() const;  // still expected: short minus what closing cancelled
};

// The status after a receipt: received when no line is outstanding, else partially_received.
OrderStatus status_after_receipt(const std::vector<OrderLine>& lines);

// Warnings on an order, not refusals: rounded_to_case (what was rounded), below_min_order_value
// and below_free_freight_value (by how much), not_an_order_day.
struct Warning {
  std::string code;
  std::string message;
};
struct SupplierTerms {
  std::optional<std::int64_t> min_order_value;     // minor units
  std::optional<std::int64_t> free_freight_value;  // minor units
  std::vector<std::string> order_days;             // "mon".."sun"; empty: any day
};
struct RoundedLine {
  std::string sku;
  Quantity requested, quantity;
  std::int64_t cases = 0;
  Quantity case_pack;
};
// `weekday` is today's "mon".."sun" where the order is placed; money is formatted with
// `currency_decimals`.
std::vector<Warning> order_warnings(const std::vector<RoundedLine>& lines, std::int64_t total, const SupplierTerms& terms,
                                    std::string_view weekday, int currency_decimals);
// "mon".."sun" of a UTC time.
std::string weekday_of(Timestamp at);

// One line of a receipt as asked (by order line id). Both are >= 0 and damaged <= received.
struct ReceiptLineInput {
  std::string po_line_id;
  Quantity received, damaged;
};
// What one receipt books on a line (index into the order's lines).
struct Booked {
  std::size_t line = 0;
  Quantity received, damaged;
};
struct ReceiptPlan {
  std::vector<Booked> lines;         // in the order's line order, one per line it books
  std::vector<std::size_t> over_tolerance;  // lines whose total received passes the tolerance
};
// The lines one receipt books (pure). Quantities for the same line are added up. Throws 422
// naming the request's field: unknown line (`lines[i].po_line_id`), negative or absurd
// (`lines[i].received`), damaged more than received (`lines[i].damaged`). A line received
// beyond quantity x (1 + tolerance_bp / 10000) is listed in over_tolerance.
ReceiptPlan plan_receipt(const std::vector<OrderLine>& lines, const std::vector<ReceiptLineInput>& in,
                         std::int64_t tolerance_bp);
// Whether `received` on a line of `ordered` passes the tolerance.
bool over_tolerance(Quantity ordered, Quantity received, std::int64_t tolerance_bp);

// Scan resolution: a scanned barcode resolved by the catalog to an item and its pack
// quantity (1 for an item barcode, the case pack for a case GTIN-14) lands on the order's
// line of that item: the first one still outstanding, else the first one. nullopt: the item
// is not on the order (reported as not_on_order, never added silently).
std::optional<std::size_t> line_for_item(const std::vector<OrderLine>& lines, const std::string& item_id);

}  // namespace backroom::purchasing
