#include "purchasing/supplier_json.hpp"

#include <fmt/format.h>

#include "platform/json.hpp"
#include "platform/text.hpp"
#include "platform/types.hpp"

namespace backroom::purchasing {

namespace bj = boost::json;

namespace {

constexpr std::size_t order_days_max = 7;

bool plausible_email(std::string_view s) {
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char c : s)
    if (c == ' ' || static_cast<unsigned char>(c) < 0x21) return false;
  return s.find('.', at) != std::string_view::npos;
}

bool plausible_phone(std::string_view s) {
  int digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9')
      ++digits;
    else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')' && c != '.' && c != '/')
      return false;
  }
  return digits >= 3;
}

Payment payment_from_json(const json::Fields& f, std::string& reason) {
  f.only({"iban", "bic", "account_name", "reason"});
  Payment p;
  auto iban = f.opt_identifier("iban", 64);
  if (!iban) throw missing_field(f.name("iban"));
  if (auto why = iban_problem(*iban)) throw Problem(422, "invalid_iban", *why, f.name("iban"));
  p.iban = *normalize_iban(*iban);
  if (auto bic = f.opt_identifier("bic", 20); bic && !text::trim(*bic).empty()) {
    auto normalized = normalize_bic(*bic);
    if (!normalized)
      throw Problem(422, "invalid_bic",
                    "a BIC is 8 or 11 letters and digits: bank (4 letters), country (2 letters), location (2), "
                    "branch (3, optional), e.g. DEUTDEFF",
                    f.name("bic"));
    p.bic = *normalized;
  }
  p.account_name = std::string(text::trim(f.opt_text("account_name", account_name_length_max).value_or("")));
  reason = std::string(text::trim(f.opt_text("reason", change_reason_length_max).value_or("")));
  return p;
}

}  // namespace

SupplierPatch supplier_patch_from_json(const bj::object& body, bool creating) {
  json::Fields f{body, ""};
  f.only({"name", "contact", "lead_time_days", "lead_time_sd_days", "order_days", "min_order_value",
          "free_freight_value", "status", "payment", "version"});
  SupplierPatch p;
  if (auto name = f.opt_text("name", supplier_name_length_max)) {
    auto trimmed = std::string(text::trim(*name));
    if (trimmed.empty()) throw invalid_field("name", "name must not be blank");
    p.name = trimmed;
  } else if (creating) {
    throw missing_field("name");
  }
  if (f.object.contains("contact") && !f.object.at("contact").is_null()) {
    const auto* contact = f.opt_object("contact");
    if (!contact) throw invalid_field("contact", "'contact' must be an object {email, phone}");
    json::Fields c{*contact, "contact"};
    c.only({"email", "phone"});
    if (auto email = c.opt_text("email", supplier_email_length_max)) {
      auto e = std::string(text::trim(*email));
      if (!e.empty() && !plausible_email(e))
        throw Problem(422, "invalid_email", fmt::format("'{}' is not an e-mail address", e.substr(0, 80)),
                      "contact.email");
      p.email = e;
    }
    if (auto phone = c.opt_text("phone", supplier_phone_length_max)) {
      auto ph = std::string(text::trim(*phone));
      if (!ph.empty() && !plausible_phone(ph))
        throw invalid_field("contact.phone", "a phone number has digits, spaces and + - ( ) . / only");
      p.phone = ph;
    }
  }
  p.lead_time_days = f.opt_integer("lead_time_days", 0, lead_time_days_max);
  if (auto sd = f.opt_quantity("lead_time_sd_days")) {
    if (sd->milli < 0 || *sd > Quantity::units(lead_time_days_max))
      throw invalid_field("lead_time_sd_days", fmt::format("lead_time_sd_days is between 0 and {}", lead_time_days_max));
    p.lead_time_sd_days = *sd;
  }
  if (f.object.contains("order_days") && !f.object.at("order_days").is_null()) {
    const auto* days = f.opt_array("order_days");
    if (!days) throw invalid_field("order_days", "order_days is a list of days, e.g. [\"mon\", \"thu\"]");
    if (days->size() > order_days_max) throw invalid_field("order_days", "order_days names each day at most once");
    OrderDays set;
    for (std::size_t i = 0; i < days->size(); ++i) {
      std::string field = fmt::format("order_days[{}]", i);
      const auto& v = (*days)[i];
      if (!v.is_string() || json::decimal_text(v)) throw invalid_field(field, field + " is " + order_days.allowed());
      auto day = order_days.require(std::string_view(v.get_string()), field);
      if (set.contains(day)) throw invalid_field(field, fmt::format("{} is listed twice", order_days.text(day)));
      set.add(day);
    }
    p.order_days = set;
  }
  p.min_order_value = f.opt_money("min_order_value");
  if (f.object.contains("free_freight_value"))
    p.free_freight_value = f.opt_money("free_freight_value");
  if (auto status = f.opt_text("status", 20)) p.status = supplier_statuses.require(*status, "status");
  if (f.object.contains("payment") && !f.object.at("payment").is_null()) {
    const auto* payment = f.opt_object("payment");
    if (!payment) throw invalid_field("payment", "'payment' must be an object {iban, bic, account_name}");
    p.payment = payment_from_json(json::Fields{*payment, "payment"}, p.payment_reason);
  }
  return p;
}

SupplierItemInput supplier_item_input_from_json(const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"item_id", "supplier_sku", "cost", "case_pack", "case_gtin", "min_order_units", "preferred"});
  SupplierItemInput in;
  auto item_id = f.opt_identifier("item_id", 64);
  if (!item_id) throw missing_field("item_id");
  in.item_id = *item_id;
  if (auto sku = f.opt_identifier("supplier_sku", supplier_sku_length_max)) {
    auto trimmed = std::string(text::trim(*sku));
    if (auto why = text::free_text_problem(trimmed))
      throw invalid_field("supplier_sku", fmt::format("supplier_sku {}", *why));
    in.supplier_sku = trimmed;
  }
  in.cost = f.opt_money("cost");
  if (auto pack = f.opt_quantity("case_pack")) {
    if (pack->milli <= 0) throw invalid_field("case_pack", "case_pack must be greater than 0");
    in.case_pack = *pack;
  }
  if (f.object.contains("case_gtin")) in.case_gtin = f.opt_identifier("case_gtin", 64);
  if (auto min = f.opt_quantity("min_order_units")) {
    if (min->milli < 0) throw invalid_field("min_order_units", "min_order_units must not be negative");
    in.min_order_units = *min;
  }
  in.preferred = f.opt_boolean("preferred");
  return in;
}

bj::object payment_to_json(const Payment& p, bool show) {
  return bj::object{{"iban", show ? p.iban : mask_iban(p.iban)},
                    {"bic", p.bic},
                    {"account_name", p.account_name},
                    {"masked", !show}};
}

bj::object supplier_to_json(const Supplier& s, bool show_payment, const std::optional<SupplierChange>& pending) {
  bj::array days;
  for (auto d : s.order_days.days()) days.push_back(bj::value(order_days.text(d)));
  bj::object out{
      {"id", s.id},
      {"name", s.name},
      {"contact", bj::object{{"email", s.email}, {"phone", s.phone}}},
      {"lead_time_days", s.lead_time_days},
      {"lead_time_sd_days", json::quantity_value(s.lead_time_sd_days)},
      {"order_days", std::move(days)},
      {"min_order_value", s.min_order_value},
      {"free_freight_value", s.free_freight_value ? bj::value(*s.free_freight_value) : bj::value(nullptr)},
      {"payment", s.payment ? bj::value(payment_to_json(*s.payment, show_payment)) : bj::value(nullptr)},
      {"status", supplier_statuses.text(s.status)},
      {"version", s.version},
      {"created_at", format_rfc3339(Timestamp{s.created_at})},
      {"updated_at", format_rfc3339(Timestamp{s.updated_at})},
  };
  out["pending_payment_change"] =
      pending ? bj::value(bj::object{{"id", pending->id},
                                     {"requested_by", pending->requested_by},
                                     {"requested_at", format_rfc3339(Timestamp{pending->requested_at})}})
              : bj::value(nullptr);
  return out;
}

bj::object supplier_item_to_json(const SupplierItem& i) {
  return bj::object{{"supplier_id", i.supplier_id},
                    {"item_id", i.item_id},
                    {"supplier_sku", i.supplier_sku},
                    {"cost", i.cost},
                    {"case_pack", json::quantity_value(i.case_pack)},
                    {"case_gtin", i.case_gtin ? bj::value(*i.case_gtin) : bj::value(nullptr)},
                    {"min_order_units", json::quantity_value(i.min_order_units)},
                    {"preferred", i.preferred},
                    {"updated_at", format_rfc3339(Timestamp{i.updated_at})}};
}

bj::object change_to_json(const SupplierChange& c, bool show_payment) {
  return bj::object{
      {"id", c.id},
      {"supplier_id", c.supplier_id},
      {"kind", "payment"},
      {"payment", payment_to_json(c.payment, show_payment)},
      {"status", change_statuses.text(c.status)},
      {"reason", c.reason},
      {"requested_by", c.requested_by},
      {"requested_at", format_rfc3339(Timestamp{c.requested_at})},
      {"decided_by", c.decided_by ? bj::value(*c.decided_by) : bj::value(nullptr)},
      {"decided_at", c.decided_at ? bj::value(format_rfc3339(Timestamp{*c.decided_at})) : bj::value(nullptr)},
      {"decision_note", c.decision_note},
  };
}

}  // namespace backroom::purchasing
