// The pure half of stock: kinds, reason codes and JSON shapes.
#include "stock/stock.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "platform/assert.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"

namespace backroom::stock {

namespace bj = boost::json;

MovementReason movement_reason(AdjustmentReason reason) {
  switch (reason) {
    case AdjustmentReason::shrink: return MovementReason::shrink;
    case AdjustmentReason::damage: return MovementReason::damage;
    case AdjustmentReason::theft: return MovementReason::theft;
    case AdjustmentReason::found: return MovementReason::found;
    case AdjustmentReason::expired: return MovementReason::expired;
    case AdjustmentReason::correction: return MovementReason::correction;
    case AdjustmentReason::opening: return MovementReason::opening;
    case AdjustmentReason::count: return MovementReason::count;
  }
  BR_ASSERT(false, "an adjustment reason without its movement reason");
  return MovementReason::correction;
}

Direction direction(AdjustmentReason reason) {
  switch (reason) {
    case AdjustmentReason::shrink:
    case AdjustmentReason::damage:
    case AdjustmentReason::theft:
    case AdjustmentReason::expired: return Direction::decrease;
    case AdjustmentReason::found:
    case AdjustmentReason::opening: return Direction::increase;
    case AdjustmentReason::correction:
    case AdjustmentReason::count: return Direction::either;
  }
  BR_ASSERT(false, "an adjustment reason without its direction");
  return Direction::either;
}

bool is_site(LocationKind kind) {
  return kind == LocationKind::store || kind == LocationKind::backroom || kind == LocationKind::warehouse;
}
bool is_bin(LocationKind kind) {
  return kind == LocationKind::review || kind == LocationKind::damaged || kind == LocationKind::refurbish ||
         kind == LocationKind::markdown;
}

std::optional<LocationKind> bin_kind(Disposition disposition) {
  switch (disposition) {
    case Disposition::restock: return std::nullopt;
    case Disposition::review: return LocationKind::review;
    case Disposition::damaged: return LocationKind::damaged;
    case Disposition::refurbish: return LocationKind::refurbish;
    case Disposition::markdown: return LocationKind::markdown;
  }
  BR_ASSERT(false, "a disposition without its bin");
  return std::nullopt;
}

bj::object location_to_json(const Location& l) {
  bj::object o{{"id", l.id}, {"name", l.name}, {"kind", l.kind}, {"sellable", l.sellable}};
  o["parent_id"] = l.parent_id ? bj::value(*l.parent_id) : bj::value(nullptr);
  o["receipt"] = bj::object{{"shop_name", l.receipt.shop_name},
                            {"address", l.receipt.address},
                            {"tax_number", l.receipt.tax_number},
                            {"footer", l.receipt.footer}};
  o["default_tax_category"] = l.default_tax_category ? bj::value(*l.default_tax_category) : bj::value(nullptr);
  return o;
}

std::vector<std::string> adjustment_flags(Quantity on_hand, Quantity quantity, std::optional<std::int64_t> unit_cost,
                                          const AdjustmentLimits& limits) {
  std::vector<std::string> out;
  if (quantity.milli < 0 && (on_hand + quantity).milli < 0) out.emplace_back("below_zero");
  Quantity size{quantity.milli < 0 ? -quantity.milli : quantity.milli};
  if (limits.confirm_quantity && size > *limits.confirm_quantity) out.emplace_back("over_quantity");
  // value = cost x milli-units / 1000, compared exactly (no rounding at the limit)
  if (limits.confirm_value && unit_cost &&
      static_cast<__int128>(*unit_cost) * size.milli > static_cast<__int128>(*limits.confirm_value) * Quantity::scale)
    out.emplace_back("over_value");
  return out;
}

bj::object adjustment_limits_to_json(const AdjustmentLimits& limits) {
  return bj::object{
      {"adjustment_confirm_quantity",
       limits.confirm_quantity ? json::quantity_value(*limits.confirm_quantity) : bj::value(nullptr)},
      {"adjustment_confirm_value", limits.confirm_value ? bj::value(*limits.confirm_value) : bj::value(nullptr)}};
}

AdjustmentLimits adjustment_limits_from_json(const bj::object& body, AdjustmentLimits limits) {
  json::Fields f{body, ""};
  f.only({"adjustment_confirm_quantity", "adjustment_confirm_value"});
  if (body.contains("adjustment_confirm_quantity")) {
    limits.confirm_quantity = f.opt_quantity("adjustment_confirm_quantity");
    if (limits.confirm_quantity && limits.confirm_quantity->milli <= 0)
      throw invalid_field("adjustment_confirm_quantity", "adjustment_confirm_quantity must be greater than 0, or null");
  }
  if (body.contains("adjustment_confirm_value")) limits.confirm_value = f.opt_money("adjustment_confirm_value");
  return limits;
}

bj::object balance_to_json(const Balance& b) {
  return bj::object{{"item_id", b.item_id},
                    {"location_id", b.location_id},
                    {"on_hand", json::quantity_value(b.on_hand)},
                    {"reserved", json::quantity_value(b.reserved)},
                    {"available", json::quantity_value(b.on_hand - b.reserved)}};
}

std::string transfer_number_text(std::int64_t number) { return fmt::format("T-{:06d}", number); }

std::vector<ReceiptLine> plan_receipt(const std::vector<TransferLineState>& lines, const ReceiptInput& in) {
  std::vector<ReceiptLine> booked(lines.size());
  for (std::size_t l = 0; l < lines.size(); ++l) booked[l].line = l;
  std::vector<bool> given(lines.size(), false);
  if (in.all) {
    for (std::size_t l = 0; l < lines.size(); ++l) booked[l].received = lines[l].outstanding();
  } else {
    for (std::size_t i = 0; i < in.lines.size(); ++i) {
      const auto& r = in.lines[i];
      std::string path = fmt::format("lines[{}]", i);
      auto it = std::find_if(lines.begin(), lines.end(), [&](const TransferLineState& l) {
        return !given[&l - lines.data()] && (r.by_item ? l.item_id : l.id) == r.line_id;
      });
      if (it == lines.end())
        throw invalid_field(path + (r.by_item ? ".item_id" : ".line_id"),
                            fmt::format("{} is not a line of this transfer (or is given twice)", r.line_id));
      std::size_t l = static_cast<std::size_t>(it - lines.begin());
      if (r.received.milli < 0) throw invalid_field(path + ".received", "received must be 0 or more");
      if (r.damaged.milli < 0) throw invalid_field(path + ".damaged", "damaged must be 0 or more");
      if (r.received + r.damaged > it->outstanding())
        throw Problem(422, "over_received",
                      fmt::format("line {} ({}): {} received and damaged, but only {} of the {} shipped is still "
                                  "outstanding",
                                  l + 1, it->id, format_quantity(r.received + r.damaged),
                                  format_quantity(it->outstanding()), format_quantity(it->shipped)),
                      path + ".received");
      given[l] = true;
      booked[l].received = r.received;
      booked[l].damaged = r.damaged;
    }
  }
  if (in.close)
    for (std::size_t l = 0; l < lines.size(); ++l)
      booked[l].short_ = lines[l].outstanding() - booked[l].received - booked[l].damaged;
  std::erase_if(booked, [](const ReceiptLine& b) { return b.received.milli == 0 && b.damaged.milli == 0 && b.short_.milli == 0; });
  return booked;
}

void check_location_scope(const Actor& actor, const std::string& location_id) {
  if (actor.location_ids.empty()) return;
  if (std::find(actor.location_ids.begin(), actor.location_ids.end(), location_id) == actor.location_ids.end())
    throw Problem(403, "forbidden", fmt::format("this key may not act at location {}", location_id));
}

}  // namespace backroom::stock
