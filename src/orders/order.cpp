#include "orders/order.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "platform/problem.hpp"
#include "sales/pricing.hpp"

namespace backroom::orders {

bool is_active(OrderStatus s) {
  return s == OrderStatus::open || s == OrderStatus::picking || s == OrderStatus::ready;
}

std::string order_number_text(std::int64_t number) { return fmt::format("ON-{:06}", number); }

std::int64_t line_amount(Quantity quantity, std::int64_t unit_price) {
  return sales::mul_div_round(quantity.milli, unit_price, Quantity::scale, sales::RoundingMode::half_even);
}

std::int64_t order_total(const std::vector<OrderLine>& lines) {
  std::int64_t total = 0;
  for (const auto& l : lines) total += line_amount(l.quantity, l.unit_price) - l.credit;
  return total;
}

std::int64_t substitution_credit(const OrderLine& line) { return line_amount(line.short_, line.unit_price); }

std::int64_t price_difference(const Substitution& s) { return line_amount(s.quantity, s.unit_price) - s.credit; }

namespace {
bool has_substitute(const std::vector<OrderLine>& lines, const std::string& line_id) {
  return std::any_of(lines.begin(), lines.end(), [&](const OrderLine& l) { return l.substitute_for == line_id; });
}
}  // namespace

std::optional<std::string> substitution_refused(const std::vector<OrderLine>& lines, const std::string& line_id) {
  auto line = std::find_if(lines.begin(), lines.end(), [&](const OrderLine& l) { return l.id == line_id; });
  if (line == lines.end()) return "the order has no such line";
  if (line->substitute_for) return "that line is already a substitute";
  if (line->short_.milli <= 0) return "nothing of that line is short: mark it short first";
  if (has_substitute(lines, line_id)) return "the customer already accepted a substitute for that line";
  return std::nullopt;
}
Timestamp expires_at(Timestamp promised_at, std::int64_t hours) {
  return Timestamp{promised_at.micros + hours * 3600 * 1'000'000};
}

std::size_t line_to_pick(const std::vector<OrderLine>& lines, const std::string& item_id,
                         const std::string& item_label, Quantity quantity, const std::string& order_label) {
  Quantity outstanding;
  bool on_order = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].item_id != item_id) continue;
    on_order = true;
    if (lines[i].outstanding() >= quantity) return i;
    outstanding = outstanding + lines[i].outstanding();
  }
  if (!on_order)
    throw Problem(422, "wrong_item", fmt::format("{} is not on order {}: put it back", item_label, order_label), "code");
  throw Problem(422, "over_picked",
                fmt::format("{} of {} is still to pick on order {}; {} was scanned", format_quantity(outstanding),
                            item_label, order_label, format_quantity(quantity)),
                "quantity");
}

void check_stageable(const Order& order) {
  Quantity picked;
  for (const auto& l : order.lines) {
    if (l.outstanding().milli > 0)
      throw Problem(409, "not_picked",
                    fmt::format("order {} has {} still to pick or mark short", order_number_text(order.number),
                                format_quantity(l.outstanding())));
    picked = picked + l.picked;
  }
  if (picked.milli == 0)
    throw Problem(409, "nothing_picked",
                  fmt::format("nothing of order {} was picked: cancel it instead", order_number_text(order.number)));
}

std::int64_t short_refund(const Order& order) {
  if (!order.paid_at) return 0;
  std::int64_t refund = 0;
  for (const auto& l : order.lines) {
    if (l.substitute_for)
      refund += std::max<std::int64_t>(0, l.credit - line_amount(l.picked, l.unit_price));
    else if (!has_substitute(order.lines, l.id))
      refund += line_amount(l.short_, l.unit_price);
  }
  return refund;
}

std::int64_t online_cover(const Order& order) {
  if (!order.paid_at) return 0;
  std::int64_t cover = 0;
  for (const auto& l : order.lines) {
    auto picked = line_amount(l.picked, l.unit_price);
    cover += l.substitute_for ? std::min(l.credit, picked) : picked;
  }
  return cover;
}

std::int64_t due_at_pickup(const Order& order) {
  if (!order.paid_at) return 0;
  std::int64_t due = 0;
  for (const auto& l : order.lines)
    if (l.substitute_for) due += std::max<std::int64_t>(0, line_amount(l.picked, l.unit_price) - l.credit);
  return due;
}

Quantity available(Quantity on_hand, Quantity held, Quantity safety_buffer) {
  return Quantity{std::max<std::int64_t>(0, on_hand.milli - held.milli - safety_buffer.milli)};
}

AvailabilityStatus availability_status(Quantity available, Quantity low_stock_threshold, bool on_order) {
  if (available.milli <= 0) return on_order ? AvailabilityStatus::backorder : AvailabilityStatus::out_of_stock;
  if (available <= low_stock_threshold) return AvailabilityStatus::low_stock;
  return AvailabilityStatus::in_stock;
}

bool redact_order_contact(boost::json::value& doc, const CustomerRef& ref) {
  bool changed = false;
  if (auto* array = doc.if_array()) {
    for (auto& v : *array) changed = redact_order_contact(v, ref) || changed;
    return changed;
  }
  auto* object = doc.if_object();
  if (object == nullptr) return false;
  if (auto* customer = object->if_contains("customer"); customer != nullptr && customer->is_object()) {
    const auto& c = customer->as_object();
    const auto* id = object->if_contains("id");
    if ((c.contains("name") || c.contains("phone") || c.contains("email")) && id != nullptr && id->is_string()) {
      *customer = ref(std::string(id->as_string()));
      changed = true;
    }
  }
  for (auto& [key, v] : *object)
    if (key != "customer") changed = redact_order_contact(v, ref) || changed;
  return changed;
}

}  // namespace backroom::orders
