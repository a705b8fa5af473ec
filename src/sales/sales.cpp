// The request-side half of sales: reading bodies, resolving items and codes, pricing.
#include "sales/sales.hpp"

#include <fmt/format.h>

#include <array>

#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "stock/stock.hpp"

namespace backroom::sales {

namespace bj = boost::json;

namespace {

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

std::vector<TenderInput> read_tenders(const json::Fields& f, std::string_view key, bool allow_exchange_credit) {
  std::vector<TenderInput> out;
  auto* array = f.opt_array(key);
  if (!array) return out;
  if (array->size() > tenders_max) throw invalid_field(f.name(key), fmt::format("at most {} tenders", tenders_max));
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string path = fmt::format("{}[{}]", f.name(key), i);
    if (!(*array)[i].is_object()) throw invalid_field(path, "a tender is an object");
    json::Fields t{(*array)[i].get_object(), path};
    t.only({"type", "amount", "reference"});
    TenderInput tender{t.text("type", 20), t.money("amount"), t.opt_text("reference", 100)};
    bool known = tender.type == "cash" || tender.type == "card" || tender.type == "store_credit" ||
                 (allow_exchange_credit && tender.type == "exchange_credit");
    if (!known) throw invalid_field(t.name("type"), "tender type is cash, card or store_credit");
    if (tender.amount <= 0) throw invalid_field(t.name("amount"), "a tender amount is greater than 0");
    // A refund to store credit without a code issues a new credit note.
    if ((tender.type == "card" || (tender.type == "store_credit" && key != "refund_tenders")) && !tender.reference)
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

bool valid_register_id(std::string_view id) {
  if (id.empty() || id.size() > register_id_length_max) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

SaleRequest parse_sale_request(const bj::object& body, const std::string& path, bool tenders_required) {
  json::Fields f{body, path};
  f.only({"id", "location_id", "register_id", "lines", "discounts", "discount", "tenders", "price_tier", "training",
          "override_token", "note", "channel"});
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
    l.only({"item_id", "code", "quantity", "discount"});
    SaleLineRequest line;
    line.item_id = read_uuid(l, "item_id");
    line.code = l.opt_identifier("code", 100);
    if (line.item_id.has_value() == line.code.has_value())
      throw invalid_field(l.name("item_id"), "give either item_id or code");
    line.quantity = l.opt_quantity("quantity");
    if (line.quantity && (line.quantity->milli <= 0 || line.quantity->milli > quantity_units_max * Quantity::scale))
      throw invalid_field(l.name("quantity"), "quantity must be greater than 0 (a return is POST /api/v1/returns)");
    line.discount = read_discount(l, "discount");
    r.lines.push_back(std::move(line));
  }
  r.discount = read_discount(f, f.has("discounts") ? "discounts" : "discount");
  r.tenders = read_tenders(f, "tenders", false);
  if (tenders_required && !f.has("tenders")) throw missing_field(f.name("tenders"));
  r.price_tier = f.opt_text("price_tier", 40);
  r.training = f.opt_boolean("training").value_or(false);
  r.override_token = f.opt_identifier("override_token", 200);
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

bool valid_channel(std::string_view channel) {
  if (channel.empty() || channel.size() > channel_length_max || channel == "register") return false;
  for (char c : channel)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

bool is_return_reason(std::string_view r) {
  static constexpr std::array reasons = {"defective", "wrong_item", "wrong_size", "changed_mind", "not_as_described",
                                         "damaged_in_transit", "late_delivery", "other"};
  return std::find(reasons.begin(), reasons.end(), r) != reasons.end();
}
bool is_condition(std::string_view c) {
  static constexpr std::array conditions = {"new", "opened", "used", "damaged", "defective"};
  return std::find(conditions.begin(), conditions.end(), c) != conditions.end();
}
bool is_disposition(std::string_view d) {
  static constexpr std::array dispositions = {"restock", "review", "damaged", "refurbish", "markdown"};
  return std::find(dispositions.begin(), dispositions.end(), d) != dispositions.end();
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
    line.reason = l.text("reason", 40);
    if (!is_return_reason(line.reason))
      throw invalid_field(l.name("reason"), "reason is defective, wrong_item, wrong_size, changed_mind, "
                                            "not_as_described, damaged_in_transit, late_delivery or other");
    line.condition = l.text("condition", 40);
    if (!is_condition(line.condition))
      throw invalid_field(l.name("condition"), "condition is new, opened, used, damaged or defective");
    line.disposition = l.text("disposition", 40);
    if (!is_disposition(line.disposition))
      throw invalid_field(l.name("disposition"), "disposition is restock, review, damaged, refurbish or markdown");
    r.lines.push_back(std::move(line));
  }
  r.refund_tenders = read_tenders(f, "refund_tenders", false);
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

SaleDraft draft_sale(db::Db& reader, SaleRequest request) {
  // One read transaction for the settings and every line's item: under a stream of
  // commits each statement on its own would start a read transaction of its own and find
  // the page cache stale again.
  db::ReadSnapshot snapshot(reader);
  SaleDraft d;
  d.settings = load_settings(reader);
  std::vector<PriceLine> price_lines;
  std::optional<std::string> store_tax_category;  // what items without a category sell at here
  for (std::size_t i = 0; i < request.lines.size(); ++i) {
    const auto& in = request.lines[i];
    std::string path = fmt::format("lines[{}]", i);
    DraftLine line;
    std::optional<std::int64_t> embedded_price;
    std::optional<Quantity> embedded_weight;
    Quantity pack = Quantity::units(1);
    if (in.code) {
      catalog::ScanResult scanned;
      try {
        scanned = catalog::scan(reader, *in.code);
      } catch (Problem& p) {
        p.field = path + ".code";
        throw;
      }
      line.item = std::move(scanned.item);
      line.code = in.code;
      pack = scanned.pack_quantity;
      embedded_price = scanned.embedded_price;
      embedded_weight = scanned.embedded_weight;
    } else {
      auto item = catalog::store::load_item(reader, *in.item_id);
      if (!item) throw invalid_field(path + ".item_id", fmt::format("item '{}' does not exist", *in.item_id));
      line.item = std::move(*item);
    }
    if (!line.item.sellable())
      throw Problem(422, "not_sellable",
                    fmt::format("{} ({}) is {} and cannot be sold", line.item.sku, line.item.name,
                                line.item.kind == "parent" ? "a variant parent: sell one of its variants" : line.item.status),
                    path);
    std::optional<std::int64_t> price = line.item.price;
    if (request.price_tier) {
      auto tier = line.item.prices.find(*request.price_tier);
      if (tier != line.item.prices.end()) price = tier->second;
    }
    if (!price && !embedded_price)
      throw Problem(422, "no_price", fmt::format("{} has no price", line.item.sku), path);
    line.unit_price = price.value_or(0);
    // Quantity: an embedded weight is the quantity; a case code sells its pack.
    if (embedded_weight) {
      line.quantity = *embedded_weight;
    } else {
      Quantity count = in.quantity.value_or(Quantity::units(1));
      line.quantity = Quantity{mul_div_round(count.milli, pack.milli, Quantity::scale, RoundingMode::half_even)};
      if (line.quantity.milli <= 0) throw invalid_field(path + ".quantity", "quantity is too small");
    }
    if (embedded_price) line.fixed_amount = mul_div_round(*embedded_price, in.quantity.value_or(Quantity::units(1)).milli,
                                                          Quantity::scale, RoundingMode::half_even);
    line.discount = in.discount;
    if (line.item.tax_category_inherited) {
      if (!store_tax_category) store_tax_category = stock::default_tax_category_at(reader, request.location_id);
      line.item.tax_category = *store_tax_category;
    }
    auto rate = d.settings.tax_rates.find(line.item.tax_category);
    if (rate == d.settings.tax_rates.end())
      throw Problem(422, "unknown_tax_category",
                    fmt::format("{} has tax category '{}' with no rate (settings: tax_rates)", line.item.sku,
                                line.item.tax_category),
                    path);
    line.tax_rate_bp = rate->second;
    price_lines.push_back(PriceLine{line.quantity, line.unit_price, line.fixed_amount, line.discount, line.tax_rate_bp});
    d.lines.push_back(std::move(line));
  }
  d.priced = price_receipt(price_lines, request.discount, d.settings.rules);
  std::int64_t base_after_lines = 0;
  std::int64_t receipt_off = 0;
  for (const auto& p : d.priced.lines) {
    if (p.line_discount > 0) d.discounts.push_back(DiscountGiven{p.line_discount, p.gross});
    base_after_lines += p.gross - p.line_discount;
    receipt_off += p.receipt_discount;
  }
  if (receipt_off > 0) d.discounts.push_back(DiscountGiven{receipt_off, base_after_lines});
  for (const auto& g : d.discounts) d.discount_bp_max = std::max(d.discount_bp_max, discount_basis_points(g.amount, g.base));
  d.request = std::move(request);
  return d;
}

bool discounts_within(const SaleDraft& draft, std::int64_t limit_bp) {
  return std::all_of(draft.discounts.begin(), draft.discounts.end(), [&](const DiscountGiven& g) {
    return discount_within_limit(g.amount, g.base, limit_bp, draft.settings.rules.rounding);
  });
}

Settlement settle_tenders(std::int64_t total, std::vector<TenderInput> tenders) {
  Settlement out;
  std::int64_t cash = 0;
  for (const auto& t : tenders) {
    out.tendered += t.amount;
    if (t.type == "cash") cash += t.amount;
  }
  if (out.tendered < total) {
    Problem p(422, "insufficient_tender", fmt::format("the tenders cover {} of the total {}", out.tendered, total),
              "tenders");
    p.extra_json = bj::serialize(bj::object{{"total", total}, {"tendered", out.tendered}});
    throw p;
  }
  out.change = out.tendered - total;
  if (out.change > cash)
    throw Problem(422, "change_exceeds_cash",
                  "change is given only from cash: card and credit tenders may not exceed the total", "tenders");
  out.tenders = std::move(tenders);
  return out;
}

bj::object settings_to_json(const SaleSettings& s) {
  bj::object rates;
  for (const auto& [k, v] : s.tax_rates) rates[k] = v;
  return bj::object{{"tax_mode", s.rules.tax_mode == TaxMode::inclusive ? "inclusive" : "exclusive"},
                    {"tax_rounding", s.rules.tax_rounding == TaxRounding::per_line ? "line" : "receipt"},
                    {"rounding", s.rules.rounding == RoundingMode::half_even ? "half_even" : "half_up"},
                    {"negative_stock", s.negative_stock == stock::NegativeStock::allow ? "allow" : "refuse"},
                    {"no_receipt_refund", s.no_receipt_refund_cash ? "cash" : "store_credit"},
                    {"tax_rates", std::move(rates)}};
}

SaleSettings settings_from_json(const bj::object& body, SaleSettings s) {
  json::Fields f{body, ""};
  f.only({"tax_mode", "tax_rounding", "rounding", "negative_stock", "no_receipt_refund", "tax_rates"});
  auto pick = [&f](std::string_view key, std::string_view a, std::string_view b) -> std::optional<bool> {
    auto v = f.opt_text(key, 20);
    if (!v) return std::nullopt;
    if (*v == a) return true;
    if (*v == b) return false;
    throw invalid_field(f.name(key), fmt::format("{} is '{}' or '{}'", key, a, b));
  };
  if (auto v = pick("tax_mode", "inclusive", "exclusive")) s.rules.tax_mode = *v ? TaxMode::inclusive : TaxMode::exclusive;
  if (auto v = pick("tax_rounding", "line", "receipt"))
    s.rules.tax_rounding = *v ? TaxRounding::per_line : TaxRounding::per_receipt;
  if (auto v = pick("rounding", "half_even", "half_up")) s.rules.rounding = *v ? RoundingMode::half_even : RoundingMode::half_up;
  if (auto v = pick("negative_stock", "allow", "refuse"))
    s.negative_stock = *v ? stock::NegativeStock::allow : stock::NegativeStock::refuse;
  if (auto v = pick("no_receipt_refund", "store_credit", "cash")) s.no_receipt_refund_cash = !*v;
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

}  // namespace backroom::sales
