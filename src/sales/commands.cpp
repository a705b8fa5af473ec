// What the commands of sales share (commands.hpp).
#include "sales/commands.hpp"

#include <fmt/format.h>

#include "platform/problem.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"

namespace backroom::sales {

Register take_register(db::Db& db, const std::string& register_id, const std::string& location_id) {
  if (auto registered = store::register_location(db, register_id)) {
    if (*registered != location_id)
      throw invalid_field("register_id", fmt::format("register {} belongs to location {}", register_id, *registered));
  } else {
    store::insert_register(db, register_id, location_id);
  }
  return Register{register_id, store::open_session_of(db, register_id)};
}

void check_register_scope(db::Db& db, const Actor& actor, const std::string& register_id) {
  if (actor.location_ids.empty()) return;
  if (auto location = store::register_location(db, register_id)) stock::check_location_scope(actor, *location);
}

std::string require_open_session(db::Db& db, const std::string& register_id) {
  auto session = store::open_session_of(db, register_id);
  if (!session)
    throw Problem(409, "register_session_closed",
                  fmt::format("register {} has no open session: open it with a counted float before selling", register_id),
                  "register_id");
  return *session;
}

std::string default_register(const std::string& location_id) { return "API-" + location_id.substr(24); }

std::string receipt_number(const std::string& register_id, bool training, std::int64_t number) {
  return fmt::format("{}-{}{:06}", register_id, training ? "T" : "", number);
}

std::vector<stock::Movement> consumption(const catalog::Item& item, Quantity quantity, const std::string& location_id,
                                         const std::string& sale_id, const std::string& line_id) {
  std::vector<stock::Movement> out;
  if (item.kind == catalog::ItemKind::kit &&
      item.kit_consumes.value_or(catalog::KitConsumes::components) == catalog::KitConsumes::components) {
    for (const auto& c : item.components)
      out.push_back(stock::Movement{
          c.item_id, location_id,
          Quantity{-mul_div_round(quantity.milli, c.quantity.milli, Quantity::scale, RoundingMode::half_even)}, "sale",
          "sale", sale_id, line_id});
  } else {
    out.push_back(stock::Movement{item.id, location_id, -quantity, "sale", "sale", sale_id, line_id});
  }
  return out;
}

Sale priced_sale(const SaleDraft& draft, const Settlement& settlement) {
  Sale row;
  row.subtotal = draft.priced.subtotal;
  row.discount_total = draft.priced.discount_total;
  row.tax_total = draft.priced.tax_total;
  row.total = draft.priced.total;
  row.tendered = settlement.tendered;
  row.change_due = settlement.change;
  row.training = draft.request.training;
  row.price_tier = draft.request.price_tier;
  row.channel = draft.request.channel;
  if (draft.request.discount) row.receipt_discount = discount_text(draft.request.discount);
  row.tax_mode = draft.settings.rules.tax_mode;
  row.lines.reserve(draft.lines.size());
  for (std::size_t i = 0; i < draft.lines.size(); ++i) {
    const auto& l = draft.lines[i];
    const auto& p = draft.priced.lines[i];
    row.lines.push_back(SaleLine{"", static_cast<std::int64_t>(i + 1), l.item.id, l.item.sku, l.item.name, l.code,
                                 l.quantity, l.unit_price, p.gross, p.line_discount, p.receipt_discount,
                                 l.discount && !l.discount->reason.empty() ? std::optional(l.discount->reason)
                                                                           : std::nullopt,
                                 l.tax_rate_bp, p.tax, p.total, Quantity{0}});
  }
  row.tenders = settlement.tenders;
  return row;
}

std::optional<Exchange> load_exchange_document(db::Db& db, const std::string& id) {
  auto row = store::load_exchange_row(db, id);
  if (!row) return std::nullopt;
  return Exchange{row->id, *store::load_return(db, row->return_id), *store::load_sale(db, row->sale_id), row->created_at,
                  row->user};
}

SessionReport session_report(db::Db& db, const std::string& session_id, const std::string& register_id,
                             std::int64_t opening_float, const Counted* counted) {
  SessionReport r;
  r.opening_float = opening_float;
  r.totals = store::session_totals(db, session_id);
  DrawerTotals drawer{opening_float, r.totals.taken, r.totals.refunded, r.totals.cash_moves};
  drawer.taken[TenderType::cash] -= r.totals.change;
  r.drawer = count_drawer(drawer, counted);
  for (const auto& c : r.totals.by_cashier) r.cashiers.push_back(store::person(db, c.user_id, c.user));
  r.register_id = register_id;
  r.register_name = store::register_name(db, register_id);
  r.location_id = store::register_location(db, register_id).value_or("");
  r.location_name = store::location_name(db, r.location_id);
  return r;
}

boost::json::object session_document(db::Db& db, const Session& s) {
  std::optional<Person> closed_by;
  if (s.closed_by) closed_by = store::person(db, std::nullopt, *s.closed_by);
  std::optional<SessionReport> x_report;
  if (!s.z_report) x_report = session_report(db, s.id, s.register_id, s.opening_float, nullptr);
  return session_json(s, store::register_name(db, s.register_id), store::person(db, std::nullopt, s.opened_by),
                      closed_by, x_report);
}

}  // namespace backroom::sales
