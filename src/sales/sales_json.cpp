// The only place sales JSON is read or written (sales_json.hpp).
#include "sales/sales_json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"

namespace backroom::sales {

namespace bj = boost::json;

namespace {

bj::value opt(const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); }

bj::object named(const std::string& id, const std::string& name) { return bj::object{{"id", id}, {"name", name}}; }
bj::object person_json(const Person& p) { return bj::object{{"id", opt(p.id)}, {"name", p.name}}; }

bj::array tenders_json(const std::vector<Tender>& tenders) {
  bj::array out;
  for (const auto& t : tenders)
    out.push_back(bj::object{{"type", word(t.type)}, {"amount", t.amount}, {"reference", opt(t.reference)}});
  return out;
}

// Tax per rate over lines: [{rate (basis points), taxable (net of tax), tax}], by rate.
bj::array taxes_json(const std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>>& by_rate) {
  bj::array out;
  for (const auto& [rate, sums] : by_rate)
    out.push_back(bj::object{{"rate", rate}, {"taxable", sums.first}, {"tax", sums.second}});
  return out;
}

void add_approver(bj::object& audit, const std::optional<Actor>& approver) {
  if (!approver) return;
  audit["approver"] = approver->user;
  audit["approver_id"] = approver->user_id;
}

std::optional<Discount> read_discount(const json::Fields& f, std::string_view key) {
  if (!f.has(key)) return std::nullopt;
  auto* o = f.opt_object(key);
  if (!o) throw invalid_field(f.name(key), "a discount is an object: {\"percent\": 10} or {\"amount\": 150}");
  json::Fields d{*o, f.name(key)};
  d.only({"percent", "amount", "reason"});
  Discount out;
  out.reason = d.opt_text("reason", reason_length_max).value_or("");
  if (d.has("percent") == d.has("amount")) throw invalid_field(d.name("percent"), "give either percent or amount");
  if (d.has("percent")) {
    // Percent may have up to two decimals (12.5 %): read it as a quantity with 3 decimals.
    auto q = d.opt_quantity("percent");
    if (!q || q->milli < 0 || q->milli > 100'000 || q->milli % 10 != 0)
      throw invalid_field(d.name("percent"), "percent is 0 to 100 with at most two decimals");
    out.kind = Discount::Kind::percent;
    out.value = q->milli / 10;  // basis points
  } else {
    out.kind = Discount::Kind::amount;
    out.value = d.money("amount");
  }
  return out;
}

std::vector<Tender> read_tenders(const json::Fields& f, std::string_view key) {
  std::vector<Tender> out;
  auto* array = f.opt_array(key);
  if (!array) return out;
  if (array->size() > tenders_max) throw invalid_field(f.name(key), fmt::format("at most {} tenders", tenders_max));
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string path = fmt::format("{}[{}]", f.name(key), i);
    if (!(*array)[i].is_object()) throw invalid_field(path, "a tender is an object");
    json::Fields t{(*array)[i].get_object(), path};
    t.only({"type", "amount", "reference"});
    auto word = t.text("type", 20);
    auto amount = t.money("amount");
    auto reference = t.opt_text("reference", 100);
    // exchange_credit is the sales' own: a request never tenders it.
    auto type = tender_types.parse(word);
    if (!type || *type == TenderType::exchange_credit)
      throw invalid_field(t.name("type"), "tender type is cash, card or store_credit");
    Tender tender{*type, amount, std::move(reference)};
    if (tender.amount <= 0) throw invalid_field(t.name("amount"), "a tender amount is greater than 0");
    // A refund to store credit without a code issues a new credit note.
    if ((tender.type == TenderType::card || (tender.type == TenderType::store_credit && key != "refund_tenders")) &&
        !tender.reference)
      throw missing_field(t.name("reference"));
    out.push_back(std::move(tender));
  }
  return out;
}

std::optional<std::string> read_uuid(const json::Fields& f, std::string_view key) {
  auto v = f.opt_identifier(key, 64);
  if (!v) return std::nullopt;
  auto id = normalize_uuid(*v);
  if (!id) throw invalid_field(f.name(key), fmt::format("{} must be a UUID", key));
  return id;
}

}  // namespace

// ----------------------------------------------------------------------------- requests

std::vector<Tender> parse_tenders(const bj::object& body, std::string_view key) {
  return read_tenders(json::Fields{body, ""}, key);
}

SaleRequest parse_sale_request(const bj::object& body, const std::string& path, bool tenders_required) {
  json::Fields f{body, path};
  f.only({"id", "location_id", "register_id", "lines", "discounts", "discount", "tenders", "price_tier", "training",
          "override_token", "note", "channel", "receipt_number", "sold_at"});
  SaleRequest r;
  auto location = read_uuid(f, "location_id");
  if (!location) throw missing_field(f.name("location_id"));
  r.location_id = *location;
  if (auto reg = f.opt_identifier("register_id", register_id_length_max)) {
    if (!valid_register_id(*reg))
      throw invalid_field(f.name("register_id"), "register_id is 1 to 40 letters, digits, - or _");
    r.register_id = *reg;
  }
  auto* lines = f.opt_array("lines");
  if (!lines || lines->empty()) throw missing_field(f.name("lines"));
  if (lines->size() > sale_lines_max)
    throw invalid_field(f.name("lines"), fmt::format("at most {} lines per sale", sale_lines_max));
  for (std::size_t i = 0; i < lines->size(); ++i) {
    std::string lpath = fmt::format("{}[{}]", f.name("lines"), i);
    if (!(*lines)[i].is_object()) throw invalid_field(lpath, "a line is an object");
    json::Fields l{(*lines)[i].get_object(), lpath};
    l.only({"item_id", "code", "quantity", "discount", "charged_price"});
    SaleLineRequest line;
    line.item_id = read_uuid(l, "item_id");
    line.code = l.opt_identifier("code", 100);
    if (line.item_id.has_value() == line.code.has_value())
      throw invalid_field(l.name("item_id"), "give either item_id or code");
    line.quantity = l.opt_quantity("quantity");
    if (line.quantity && (line.quantity->milli <= 0 || line.quantity->milli > quantity_units_max * Quantity::scale))
      throw invalid_field(l.name("quantity"), "quantity must be greater than 0 (a return is POST /api/v1/returns)");
    line.discount = read_discount(l, "discount");
    if ((line.charged_price = l.opt_money("charged_price"))) {
      if (!f.has("sold_at"))
        throw invalid_field(l.name("charged_price"), "charged_price is for a sale made offline: give sold_at with it");
    }
    r.lines.push_back(std::move(line));
  }
  r.discount = read_discount(f, f.has("discounts") ? "discounts" : "discount");
  r.tenders = read_tenders(f, "tenders");
  if (tenders_required && !f.has("tenders")) throw missing_field(f.name("tenders"));
  r.price_tier = f.opt_text("price_tier", 40);
  r.training = f.opt_boolean("training").value_or(false);
  r.override_token = f.opt_identifier("override_token", 200);
  if (auto number = f.opt_identifier("receipt_number", 80)) {
    if (!r.register_id) throw invalid_field(f.name("receipt_number"), "a receipt_number from a block needs register_id");
    if (r.training) throw invalid_field(f.name("receipt_number"), "a training sale takes no number from a block");
    r.receipt_number = *number;
  }
  if (auto sold_at = f.opt_text("sold_at", 40)) {
    if (!r.receipt_number)
      throw invalid_field(f.name("sold_at"), "sold_at is for a sale made offline, with the receipt_number it took from a block");
    r.sold_at = parse_rfc3339(*sold_at);
    if (!r.sold_at) throw invalid_field(f.name("sold_at"), "sold_at is a time such as 2026-12-05T10:42:00Z");
    if (r.price_tier) throw invalid_field(f.name("price_tier"), "a sale made offline is at the shelf price, without a price tier");
  }
  if (auto channel = f.opt_text("channel", channel_length_max)) {
    if (r.register_id)
      throw invalid_field(f.name("channel"), "a sale at a register is channel 'register'; give channel only without register_id");
    if (!valid_channel(*channel))
      throw invalid_field(f.name("channel"), "channel is 1 to 32 lower-case letters, digits, - or _ (not 'register')");
    r.channel = *channel;
  }
  if (r.register_id) r.channel = "register";
  return r;
}

ReturnRequest parse_return_request(const bj::object& body, const std::string& path) {
  json::Fields f{body, path};
  f.only({"id", "sale_id", "location_id", "register_id", "lines", "refund_tenders", "refund_to", "refund_to_code",
          "override_token", "training"});
  ReturnRequest r;
  r.path = path;
  r.sale_id = read_uuid(f, "sale_id");
  r.location_id = read_uuid(f, "location_id");
  if (!r.sale_id && !r.location_id) throw missing_field(f.name("sale_id"));
  if (auto reg = f.opt_identifier("register_id", register_id_length_max)) {
    if (!valid_register_id(*reg)) throw invalid_field(f.name("register_id"), "register_id is 1 to 40 letters, digits, - or _");
    r.register_id = *reg;
  }
  auto* lines = f.opt_array("lines");
  if (!lines || lines->empty()) throw missing_field(f.name("lines"));
  if (lines->size() > sale_lines_max) throw invalid_field(f.name("lines"), "too many lines");
  for (std::size_t i = 0; i < lines->size(); ++i) {
    std::string lpath = fmt::format("{}[{}]", f.name("lines"), i);
    if (!(*lines)[i].is_object()) throw invalid_field(lpath, "a line is an object");
    json::Fields l{(*lines)[i].get_object(), lpath};
    l.only({"sale_line_id", "item_id", "quantity", "reason", "condition", "disposition"});
    ReturnLineRequest line;
    line.sale_line_id = read_uuid(l, "sale_line_id");
    line.item_id = read_uuid(l, "item_id");
    if (r.sale_id && !line.sale_line_id) throw missing_field(l.name("sale_line_id"));
    if (!r.sale_id && !line.item_id) throw missing_field(l.name("item_id"));
    line.quantity = l.quantity("quantity");
    if (line.quantity.milli <= 0) throw invalid_field(l.name("quantity"), "quantity must be greater than 0");
    line.reason = return_reasons.require(l.text("reason", 40), l.name("reason"), "reason is " + return_reasons.allowed());
    line.condition =
        return_conditions.require(l.text("condition", 40), l.name("condition"), "condition is " + return_conditions.allowed());
    line.disposition = stock::dispositions.require(l.text("disposition", 40), l.name("disposition"),
                                                   "disposition is " + stock::dispositions.allowed());
    r.lines.push_back(std::move(line));
  }
  r.refund_tenders = read_tenders(f, "refund_tenders");
  if (auto to = f.opt_text("refund_to", 20)) {
    if (*to != "store_credit")
      throw invalid_field(f.name("refund_to"), "refund_to is store_credit (leave it out to refund to the original tenders)");
    if (f.has("refund_tenders"))
      throw invalid_field(f.name("refund_to"), "give refund_to or refund_tenders, not both");
    r.refund_to_store_credit = true;
  }
  if (auto code = f.opt_text("refund_to_code", credit_code_length_max)) {
    if (!r.refund_to_store_credit)
      throw invalid_field(f.name("refund_to_code"), "refund_to_code tops up a credit note: it needs refund_to store_credit");
    r.refund_to_code = normalize_credit_code(*code);
    if (r.refund_to_code->empty()) throw invalid_field(f.name("refund_to_code"), "a store credit code is not empty");
  }
  r.override_token = f.opt_identifier("override_token", 200);
  r.training = f.opt_boolean("training").value_or(false);
  return r;
}

CashMovementRequest parse_cash_movement(const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"kind", "amount", "reason"});
  auto word = f.text("kind", 20);
  auto kind = cash_movement_kinds.parse(word);
  if (!kind) throw invalid_field("kind", "kind is paid_in, paid_out or safe_drop");
  auto amount = f.money("amount");
  if (amount <= 0) throw invalid_field("amount", "amount must be greater than 0");
  auto reason = f.text("reason", reason_length_max);
  if (reason.empty()) throw missing_field("reason");
  return CashMovementRequest{*kind, amount, std::move(reason)};
}

Counted parse_counted(const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"counted"});
  auto* counted_body = f.opt_object("counted");
  if (!counted_body) throw missing_field("counted");
  json::Fields c{*counted_body, "counted"};
  Counted counted;
  for (const auto& m : *counted_body) {
    std::string word(m.key());
    auto type = tender_types.parse(word);
    if (!type || std::find(counted_tenders.begin(), counted_tenders.end(), *type) == counted_tenders.end())
      throw invalid_field(c.name(word).substr(0, 80), "counted tenders are cash, card and store_credit");
    counted[word] = c.money(word);
  }
  return counted;
}

VoidRequest parse_void(const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"reason", "override_token"});
  auto reason = f.text("reason", reason_length_max);
  if (reason.empty()) throw missing_field("reason");
  auto token = f.opt_identifier("override_token", 200);
  return VoidRequest{std::move(reason), std::move(token)};
}

// ----------------------------------------------------------------------------- settings

bj::object settings_to_json(const SaleSettings& s) {
  bj::object rates;
  for (const auto& [k, v] : s.tax_rates) rates[k] = v;
  return bj::object{{"tax_mode", word(s.rules.tax_mode)},
                    {"tax_rounding", tax_roundings.text(s.rules.tax_rounding)},
                    {"rounding", rounding_modes.text(s.rules.rounding)},
                    {"negative_stock", stock::negative_stock_policies.text(s.negative_stock)},
                    {"no_receipt_refund", no_receipt_refunds.text(s.no_receipt_refund_cash)},
                    {"tax_rates", std::move(rates)}};
}

SaleSettings settings_from_json(const bj::object& body, SaleSettings s) {
  json::Fields f{body, ""};
  f.only({"tax_mode", "tax_rounding", "rounding", "negative_stock", "no_receipt_refund", "tax_rates"});
  // A setting of two words: "<key> is 'a' or 'b'" otherwise.
  auto pick = [&f](std::string_view key, const auto& words) {
    auto v = f.opt_text(key, 20);
    auto value = v ? words.parse(*v) : std::nullopt;
    if (v && !value)
      throw invalid_field(f.name(key), fmt::format("{} is '{}' or '{}'", key, words.words[0].text, words.words[1].text));
    return value;
  };
  if (auto v = pick("tax_mode", tax_modes)) s.rules.tax_mode = *v;
  if (auto v = pick("tax_rounding", tax_roundings)) s.rules.tax_rounding = *v;
  if (auto v = pick("rounding", rounding_modes)) s.rules.rounding = *v;
  if (auto v = pick("negative_stock", stock::negative_stock_policies)) s.negative_stock = *v;
  if (auto v = pick("no_receipt_refund", no_receipt_refunds)) s.no_receipt_refund_cash = *v;
  if (auto* rates = f.opt_object("tax_rates")) {
    json::Fields r{*rates, "tax_rates"};
    s.tax_rates.clear();
    if (rates->size() > 32) throw invalid_field("tax_rates", "at most 32 tax categories");
    for (const auto& m : *rates) {
      std::string key(m.key());
      if (key.empty() || key.size() > 40) throw invalid_field("tax_rates", "a tax category is 1 to 40 characters");
      s.tax_rates[key] = r.integer(key, 0, tax_rate_bp_max);
    }
  }
  return s;
}

bj::object offline_returns_to_json(const SaleSettings& s) {
  return bj::object{{"offline_returns", offline_return_rules.text(s.offline_returns)},
                    {"offline_return_limit", s.offline_return_limit}};
}

SaleSettings offline_returns_from_json(const bj::object& body, SaleSettings s) {
  json::Fields f{body, ""};
  f.only({"offline_returns", "offline_return_limit"});
  auto rule = f.text("offline_returns", 20);
  auto allowed = offline_return_rules.parse(rule);
  if (!allowed) throw invalid_field("offline_returns", "offline_returns is 'refuse' or 'allow'");
  s.offline_returns = *allowed;
  if (auto limit = f.opt_money("offline_return_limit")) s.offline_return_limit = *limit;
  if (s.offline_returns && s.offline_return_limit <= 0)
    throw invalid_field("offline_return_limit", "allowing returns offline needs the most one may refund, above 0");
  return s;
}

SaleSettings settings_from_rows(const std::map<std::string, std::string>& rows) {
  SaleSettings s;
  for (const auto& [key, value] : rows) {
    // A word this binary does not know reads as the default, as before the setting existed.
    if (key == "tax_mode") s.rules.tax_mode = tax_modes.parse(value).value_or(TaxMode::inclusive);
    if (key == "tax_rounding") s.rules.tax_rounding = tax_roundings.parse(value).value_or(TaxRounding::per_line);
    if (key == "rounding") s.rules.rounding = rounding_modes.parse(value).value_or(RoundingMode::half_even);
    if (key == "negative_stock")
      s.negative_stock = stock::negative_stock_policies.parse(value).value_or(stock::NegativeStock::allow);
    if (key == "no_receipt_refund") s.no_receipt_refund_cash = no_receipt_refunds.parse(value).value_or(false);
    if (key == "offline_returns") s.offline_returns = offline_return_rules.parse(value).value_or(false);
    if (key == "offline_return_limit") {
      std::int64_t limit = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec == std::errc{} && end == value.data() + value.size() && limit >= 0) s.offline_return_limit = limit;
    }
    if (key == "tax_rates") {
      boost::system::error_code ec;
      auto v = bj::parse(value, ec);
      if (!ec && v.is_object())
        for (const auto& m : v.as_object())
          if (m.value().is_int64()) s.tax_rates[std::string(m.key())] = m.value().as_int64();
    }
  }
  return s;
}

std::map<std::string, std::string> settings_to_rows(const SaleSettings& s) {
  std::map<std::string, std::string> rows;
  auto j = settings_to_json(s);
  for (const char* key : {"tax_mode", "tax_rounding", "rounding", "negative_stock", "no_receipt_refund"})
    rows[key] = std::string(j.at(key).as_string());
  rows["offline_returns"] = std::string(offline_return_rules.text(s.offline_returns));
  rows["offline_return_limit"] = std::to_string(s.offline_return_limit);
  rows["tax_rates"] = bj::serialize(j.at("tax_rates"));
  return rows;
}

// ---------------------------------------------------------------------------- documents

Problem return_exceeds_sold(Quantity sold, Quantity returned, Quantity asked, const std::string& field) {
  Problem p(409, "return_exceeds_sold",
            fmt::format("{} of this line were sold and {} returned already; {} more cannot come back",
                        format_quantity(sold), format_quantity(returned), format_quantity(asked)),
            field);
  p.extra_json = bj::serialize(bj::object{{"returnable", json::quantity_value(sold - returned)}});
  return p;
}

std::string discount_text(const std::optional<Discount>& d) {
  if (!d) return "";
  bj::object o;
  if (d->kind == Discount::Kind::percent)
    o["percent"] = json::quantity_value(Quantity{d->value * 10});
  else
    o["amount"] = d->value;
  if (!d->reason.empty()) o["reason"] = d->reason;
  return bj::serialize(o);
}

bj::object sale_json(const Sale& s) {
  bj::object o{{"id", s.id},
               {"receipt_number", s.receipt_number},
               {"location_id", s.location_id},
               {"register_id", s.register_id},
               {"session_id", opt(s.session_id)},
               {"exchange_id", opt(s.exchange_id)},
               {"status", word(s.status)},
               {"training", s.training},
               {"channel", s.channel},
               {"price_tier", opt(s.price_tier)},
               {"subtotal", s.subtotal},
               {"discount_total", s.discount_total},
               {"tax_total", s.tax_total},
               {"total", s.total},
               {"tendered", s.tendered},
               {"change_due", s.change_due},
               {"tax_mode", word(s.tax_mode)},
               {"created_at", format_rfc3339(Timestamp{s.created_at})},
               {"user", s.user},
               {"approver", opt(s.approver)}};
  o["discount"] = s.receipt_discount ? bj::parse(*s.receipt_discount) : bj::value(nullptr);
  if (s.offline_receipt_number) o["offline_receipt_number"] = *s.offline_receipt_number;
  bj::array lines;
  lines.reserve(s.lines.size());
  for (const auto& l : s.lines)
    lines.push_back(bj::object{{"id", l.id},
                               {"line_no", l.line_no},
                               {"item_id", l.item_id},
                               {"sku", l.sku},
                               {"name", l.name},
                               {"code", opt(l.code)},
                               {"quantity", json::quantity_value(l.quantity)},
                               {"unit_price", l.unit_price},
                               {"gross", l.gross},
                               {"line_discount", l.line_discount},
                               {"receipt_discount", l.receipt_discount},
                               {"discount_reason", opt(l.discount_reason)},
                               {"tax_rate_bp", l.tax_rate_bp},
                               {"tax", l.tax},
                               {"total", l.total},
                               {"returned_quantity", json::quantity_value(l.returned)}});
  o["lines"] = std::move(lines);
  o["tenders"] = tenders_json(s.tenders);
  o["void"] = nullptr;
  if (s.voided)
    o["void"] = bj::object{{"id", s.voided->id},
                           {"reason", s.voided->reason},
                           {"at", format_rfc3339(Timestamp{s.voided->at})},
                           {"user", s.voided->user},
                           {"approver", opt(s.voided->approver)}};
  return o;
}

void add_negative_stock_warnings(bj::object& sale, const std::vector<stock::NegativeFlag>& flags) {
  if (flags.empty()) return;
  bj::array warnings;
  for (const auto& f : flags)
    warnings.push_back(bj::object{{"code", "negative_stock"},
                                  {"item_id", f.item_id},
                                  {"location_id", f.location_id},
                                  {"on_hand", json::quantity_value(f.on_hand)}});
  sale["warnings"] = std::move(warnings);
}

bj::object journal_json(const Sale& s, const std::string& register_name, const Person& cashier,
                        const std::string& location_name) {
  auto sale = sale_json(s);
  sale["number"] = sale.at("receipt_number");
  sale["at"] = sale.at("created_at");
  sale["register"] = named(s.register_id, register_name);
  sale["cashier"] = person_json(cashier);
  sale["location"] = named(s.location_id, location_name);
  sale["lines_count"] = s.lines.size();
  return sale;
}

bj::object summary_json(const std::vector<ChannelTotal>& rows) {
  bj::array by_channel;
  for (const auto& r : rows)
    by_channel.push_back(bj::object{{"channel", r.channel}, {"sales_count", r.sales_count}, {"total", r.total}});
  return bj::object{{"by_channel", std::move(by_channel)}};
}

bj::object return_json(const Return& r) {
  bj::object o{{"id", r.id},
               {"sale_id", opt(r.sale_id)},
               {"location_id", r.location_id},
               {"register_id", opt(r.register_id)},
               {"session_id", opt(r.session_id)},
               {"exchange_id", opt(r.exchange_id)},
               {"refund_total", r.refund_total},
               {"tax_total", r.tax_total},
               {"created_at", format_rfc3339(Timestamp{r.created_at})},
               {"user", r.user},
               {"approver", opt(r.approver)},
               {"training", r.training}};
  bj::array lines;
  for (const auto& l : r.lines)
    lines.push_back(bj::object{{"id", l.id},
                               {"line_no", l.line_no},
                               {"sale_line_id", opt(l.sale_line_id)},
                               {"item_id", l.item_id},
                               {"sku", l.sku},
                               {"name", l.name},
                               {"quantity", json::quantity_value(l.quantity)},
                               {"refund", l.refund},
                               {"tax", l.tax},
                               {"tax_rate_bp", l.tax_rate_bp},
                               {"reason", word(l.reason)},
                               {"condition", word(l.condition)},
                               {"disposition", word(l.disposition)},
                               {"location_id", l.location_id}});
  o["lines"] = std::move(lines);
  o["tenders"] = tenders_json(r.tenders);
  return o;
}

bj::object exchange_json(const Exchange& e) {
  std::int64_t credit = exchange_credit(e.returned);
  std::int64_t refund_due = e.returned.refund_total - credit;
  std::int64_t balance_due = e.sale.total - credit;
  return bj::object{{"id", e.id},          {"return", return_json(e.returned)}, {"sale", sale_json(e.sale)},
                    {"credit", credit},    {"refund_due", refund_due},          {"balance_due", balance_due},
                    {"created_at", format_rfc3339(Timestamp{e.created_at})},  {"user", e.user}};
}

bj::object parked_json(const ParkedSale& p) {
  return bj::object{{"id", p.id},
                    {"location_id", p.location_id},
                    {"register_id", opt(p.register_id)},
                    {"note", p.note},
                    {"sale", bj::parse(p.body)},
                    {"status", word(p.status)},
                    {"parked_at", format_rfc3339(Timestamp{p.parked_at})},
                    {"parked_by", p.parked_by}};
}

std::string parked_body_text(const bj::object& body) {
  bj::object stored = body;
  stored.erase("id");
  stored.erase("note");
  return bj::serialize(stored);
}

bj::object report_json(const SessionReport& r) {
  const auto& t = r.totals;
  auto moved = [&t](CashMovementKind kind) {
    auto it = t.cash_moves.find(kind);
    return it == t.cash_moves.end() ? std::int64_t{0} : it->second;
  };
  auto of = [](const std::map<TenderType, std::int64_t>& m, TenderType type) {
    auto it = m.find(type);
    return it == m.end() ? std::int64_t{0} : it->second;
  };
  bj::array tenders;
  for (const auto& line : r.drawer) {
    bj::object row{{"type", word(line.type)}, {"expected", line.expected}, {"counted", nullptr}, {"over_short", nullptr}};
    if (line.counted) {
      row["counted"] = *line.counted;
      row["over_short"] = *line.over_short;
    }
    tenders.push_back(std::move(row));
  }
  bj::array by_cashier;
  for (std::size_t i = 0; i < t.by_cashier.size(); ++i)
    by_cashier.push_back(bj::object{{"user_id", opt(r.cashiers[i].id)},
                                    {"name", r.cashiers[i].name},
                                    {"sales_count", t.by_cashier[i].sales_count},
                                    {"sales_total", t.by_cashier[i].sales_total}});
  return bj::object{{"opening_float", r.opening_float},
                    {"cash_sales", of(t.taken, TenderType::cash) - t.change},
                    {"cash_refunds", of(t.refunded, TenderType::cash)},
                    {"paid_in", moved(CashMovementKind::paid_in)},
                    {"paid_out", moved(CashMovementKind::paid_out)},
                    {"safe_drops", moved(CashMovementKind::safe_drop)},
                    {"tenders", std::move(tenders)},
                    {"sales_count", t.sales_count},
                    {"returns_count", t.returns_count},
                    {"voids_count", t.voids},
                    {"exchanges_count", t.exchanges},
                    {"gross_sales", t.gross},
                    {"discounts", t.discounts},
                    {"returns_total", t.returns_total},
                    {"net_sales", t.sales_total - t.returns_total},
                    {"taxes", taxes_json(t.by_rate)},
                    {"by_cashier", std::move(by_cashier)},
                    {"register", named(r.register_id, r.register_name)},
                    {"location", named(r.location_id, r.location_name)}};
}

bj::object session_json(const Session& s, const std::string& register_name, const Person& opened_by,
                        const std::optional<Person>& closed_by, const std::optional<SessionReport>& x_report) {
  bj::object o{{"id", s.id},
               {"number", s.number},
               {"register_id", s.register_id},
               {"register", named(s.register_id, register_name)},
               {"status", word(s.status)},
               {"opening_float", s.opening_float},
               {"opened_at", format_rfc3339(Timestamp{s.opened_at})},
               {"opened_by", person_json(opened_by)}};
  o["closed_at"] = s.closed_at ? bj::value(format_rfc3339(Timestamp{*s.closed_at})) : bj::value(nullptr);
  o["closed_by"] = closed_by ? bj::value(person_json(*closed_by)) : bj::value(nullptr);
  o["counted"] = s.counted ? bj::parse(*s.counted) : bj::value(nullptr);
  if (s.z_report)
    o["z_report"] = bj::parse(*s.z_report);
  else if (x_report)
    o["x_report"] = report_json(*x_report);
  return o;
}

std::string counted_text(const Counted& counted) {
  bj::object o;
  for (const auto& [type, amount] : counted) o[type] = amount;
  return bj::serialize(o);
}

bj::object quote_json(const Sale& row, std::int64_t discount_bp_max, const std::optional<std::int64_t>& over_limit) {
  auto sale = sale_json(row);
  bj::object o;
  for (const char* key : {"subtotal", "discount_total", "tax_total", "total", "tax_mode", "channel", "training",
                          "price_tier", "discount", "lines", "tenders", "tendered", "change_due"})
    o[key] = sale.at(key);
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> by_rate;
  for (const auto& l : row.lines) {
    by_rate[l.tax_rate_bp].first += l.total - l.tax;
    by_rate[l.tax_rate_bp].second += l.tax;
  }
  for (auto& l : o["lines"].as_array()) {
    auto& line = l.as_object();
    line.erase("id");
    line.erase("returned_quantity");
    line["discount"] = line.at("line_discount").as_int64() + line.at("receipt_discount").as_int64();
  }
  o["taxes"] = taxes_json(by_rate);
  o["discount_basis_points"] = discount_bp_max;
  o["needs_override"] = nullptr;
  if (over_limit) o["needs_override"] = bj::object{{"reason", "discount_over_limit"}, {"limit", *over_limit}};
  return o;
}

// -------------------------------------------------------------------------------- audit

std::string sale_audit(const Sale& s, std::size_t lines, const std::optional<Actor>& approver,
                       std::int64_t discount_bp_max) {
  bj::object audit{{"receipt_number", s.receipt_number}, {"total", s.total}, {"lines", lines}, {"training", s.training}};
  if (approver) {
    add_approver(audit, approver);
    audit["discount_basis_points"] = discount_bp_max;
  }
  return bj::serialize(audit);
}

std::string void_audit(const std::string& reason, const std::string& void_id, std::int64_t total,
                       const std::optional<Actor>& approver) {
  bj::object audit{{"reason", reason}, {"void_id", void_id}, {"total", total}};
  add_approver(audit, approver);
  return bj::serialize(audit);
}

std::string return_audit(const Return& r, const std::optional<Actor>& approver) {
  bj::object audit{{"sale_id", opt(r.sale_id)}, {"refund_total", r.refund_total}, {"lines", r.lines.size()},
                   {"training", r.training}};
  add_approver(audit, approver);
  return bj::serialize(audit);
}

std::string exchange_audit(const Exchange& e) {
  return bj::serialize(
      bj::object{{"return_id", e.returned.id}, {"sale_id", e.sale.id}, {"credit", exchange_credit(e.returned)}});
}

std::string session_open_audit(const std::string& register_id, std::int64_t opening_float) {
  return bj::serialize(bj::object{{"register_id", register_id}, {"opening_float", opening_float}});
}

std::string cash_movement_audit(std::int64_t amount, const std::string& reason) {
  return bj::serialize(bj::object{{"amount", amount}, {"reason", reason}});
}

}  // namespace backroom::sales
