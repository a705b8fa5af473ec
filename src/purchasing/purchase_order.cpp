#include "purchasing/purchase_order.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "platform/json.hpp"
#include "platform/money.hpp"

namespace backroom::purchasing {

void check_act(OrderStatus status, OrderAct act) {
  auto refuse = [status](const char* code, std::string_view what) {
    return Problem(409, code, fmt::format("a purchase order that is {} cannot be {}", word(status), what));
  };
  switch (act) {
    case OrderAct::edit:
      if (status != OrderStatus::draft) throw refuse("po_not_editable", "edited: only a draft can");
      return;
    case OrderAct::send:
      if (status != OrderStatus::draft) throw refuse("po_not_draft", "sent: only a draft is sent");
      return;
    case OrderAct::receive:
      if (status == OrderStatus::draft) throw refuse("po_not_sent", "received before it is sent");
      if (status != OrderStatus::sent && status != OrderStatus::partially_received)
        throw refuse("po_closed", "received any more");
      return;
    case OrderAct::close:
      if (status != OrderStatus::sent && status != OrderStatus::partially_received)
        throw refuse("po_not_open", "closed: only a sent or partly received order is closed short");
      return;
    case OrderAct::cancel:
      if (status != OrderStatus::draft && status != OrderStatus::sent)
        throw refuse("po_not_cancellable", "cancelled: only a draft or a sent order with nothing received is");
      return;
  }
}

CaseQuantity to_cases(Quantity wanted, Quantity case_pack, bool exact_cases, const std::string& field) {
  if (case_pack.milli <= 0) case_pack = Quantity::units(1);
  std::int64_t cases = wanted.milli / case_pack.milli;
  bool whole = wanted.milli % case_pack.milli == 0;
  if (!whole) {
    if (exact_cases)
      throw Problem(422, "case_pack",
                    fmt::format("{} is not a whole number of cases of {}: order {} or {}", format_quantity(wanted),
                                format_quantity(case_pack), format_quantity(Quantity{cases * case_pack.milli}),
                                format_quantity(Quantity{(cases + 1) * case_pack.milli})),
                    field);
    ++cases;
  }
  return CaseQuantity{Quantity{cases * case_pack.milli}, cases, !whole};
}

std::int64_t line_total(std::int64_t unit_cost, Quantity quantity) {
  __int128 product = static_cast<__int128>(unit_cost) * quantity.milli;
  __int128 half = Quantity::scale / 2;
  __int128 rounded = product >= 0 ? (product + half) / Quantity::scale : -((-product + half) / Quantity::scale);
  return static_cast<std::int64_t>(rounded);
}

Quantity OrderLine::short_() const { return quantity > received ? quantity - received : Quantity{}; }
Quantity OrderLine::over() const { return received > quantity ? received - quantity : Quantity{}; }
Quantity OrderLine::outstanding() const {
  auto rest = short_() - cancelled;
  return rest.milli > 0 ? rest : Quantity{};
}

OrderStatus status_after_receipt(const std::vector<OrderLine>& lines) {
  bool open = std::any_of(lines.begin(), lines.end(), [](const OrderLine& l) { return l.outstanding().milli > 0; });
  return open ? OrderStatus::partially_received : OrderStatus::received;
}

std::vector<Warning> order_warnings(const std::vector<RoundedLine>& lines, std::int64_t total, const SupplierTerms& terms,
                                    std::string_view weekday, int currency_decimals) {
  std::vector<Warning> out;
  for (const auto& l : lines) {
    if (l.quantity == l.requested) continue;
    out.push_back(Warning{"rounded_to_case",
                          fmt::format("{}: {} rounded up to {} ({} cases of {})", l.sku, format_quantity(l.requested),
                                      format_quantity(l.quantity), l.cases, format_quantity(l.case_pack))});
  }
  if (terms.min_order_value && total < *terms.min_order_value)
    out.push_back(Warning{"below_min_order_value",
                          fmt::format("the order is {} below the supplier's minimum order value of {}",
                                      format_money(*terms.min_order_value - total, currency_decimals),
                                      format_money(*terms.min_order_value, currency_decimals))});
  if (terms.free_freight_value && total < *terms.free_freight_value)
    out.push_back(Warning{"below_free_freight_value",
                          fmt::format("{} more reaches free freight (from {})",
                                      format_money(*terms.free_freight_value - total, currency_decimals),
                                      format_money(*terms.free_freight_value, currency_decimals))});
  if (!terms.order_days.empty() &&
      std::find(terms.order_days.begin(), terms.order_days.end(), weekday) == terms.order_days.end()) {
    std::string days;
    for (const auto& d : terms.order_days) days += (days.empty() ? "" : ", ") + d;
    out.push_back(Warning{"not_an_order_day",
                          fmt::format("the supplier takes orders on {}; today is {}", days, weekday)});
  }
  return out;
}

std::string weekday_of(Timestamp at) {
  static constexpr const char* names[] = {"thu", "fri", "sat", "sun", "mon", "tue", "wed"};  // 1970-01-01 was a Thursday
  std::int64_t days = at.micros / 86'400'000'000;
  if (at.micros < 0 && at.micros % 86'400'000'000 != 0) --days;
  return names[((days % 7) + 7) % 7];
}

bool over_tolerance(Quantity ordered, Quantity received, std::int64_t tolerance_bp) {
  __int128 limit = static_cast<__int128>(ordered.milli) * (10'000 + tolerance_bp);
  return static_cast<__int128>(received.milli) * 10'000 > limit;
}

ReceiptPlan plan_receipt(const std::vector<OrderLine>& lines, const std::vector<ReceiptLineInput>& in,
                         std::int64_t tolerance_bp) {
  std::vector<Booked> per_line(lines.size());
  std::vector<bool> touched(lines.size(), false);
  const Quantity absurd = Quantity::units(line_quantity_units_max);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto& r = in[i];
    std::string path = fmt::format("lines[{}]", i);
    auto it = std::find_if(lines.begin(), lines.end(), [&](const OrderLine& l) { return l.id == r.po_line_id; });
    if (it == lines.end())
      throw invalid_field(path + ".po_line_id", fmt::format("line '{}' is not a line of this order", r.po_line_id.substr(0, 64)));
    if (r.received.milli < 0) throw invalid_field(path + ".received", "received must be 0 or more");
    if (r.damaged.milli < 0) throw invalid_field(path + ".damaged", "damaged must be 0 or more");
    if (r.received > absurd)
      throw invalid_field(path + ".received", fmt::format("received must be at most {}", line_quantity_units_max));
    if (r.damaged > r.received)
      throw invalid_field(path + ".damaged", "damaged counts the part of what was received that is damaged: at most received");
    std::size_t index = static_cast<std::size_t>(it - lines.begin());
    auto& b = per_line[index];
    b.line = index;
    b.received = b.received + r.received;
    b.damaged = b.damaged + r.damaged;
    if (b.received > absurd)
      throw invalid_field(path + ".received", fmt::format("received must be at most {}", line_quantity_units_max));
    touched[index] = true;
  }
  ReceiptPlan plan;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!touched[i] || per_line[i].received.milli == 0) continue;
    plan.lines.push_back(per_line[i]);
    if (over_tolerance(lines[i].quantity, lines[i].received + per_line[i].received, tolerance_bp))
      plan.over_tolerance.push_back(i);
  }
  return plan;
}

std::optional<std::size_t> line_for_item(const std::vector<OrderLine>& lines, const std::string& item_id) {
  std::optional<std::size_t> first;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].item_id != item_id) continue;
    if (lines[i].outstanding().milli > 0) return i;
    if (!first) first = i;
  }
  return first;
}

std::int64_t over_receive_tolerance_from_json(const boost::json::object& body) {
  json::Fields f{body, ""};
  f.only({"over_receive_tolerance_bp"});
  return f.integer("over_receive_tolerance_bp", 0, over_receive_tolerance_bp_max);
}

}  // namespace backroom::purchasing
