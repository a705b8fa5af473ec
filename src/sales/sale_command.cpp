// The sale command: drafting a sale on a reader (items, codes, prices), quoting it, and
// posting it on the writer (identity, approval, register and receipt number, rows, store
// credit, stock movements, audit, event).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "access/audit.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/price_changes.hpp"
#include "platform/assert.hpp"
#include "platform/documents.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/settings.hpp"
#include "platform/money.hpp"
#include "sales/approval.hpp"
#include "sales/commands.hpp"
#include "sales/registers_api.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "sales/sales_store.hpp"
#include "sales/tendering.hpp"

namespace backroom::sales {

namespace bj = boost::json;

// (commands.hpp; post_sale refuses a 0, naming the field)
std::int64_t block_number_of(const std::string& register_id, const std::string& given) {
  std::string prefix = register_id + "-";
  if (given.rfind(prefix, 0) != 0) return 0;
  std::string_view digits = std::string_view(given).substr(prefix.size());
  bool numeric = !digits.empty() && digits.size() <= 12 &&
                 std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  return numeric ? std::stoll(std::string(digits)) : 0;
}

namespace {

// How far ahead of the server's clock a register's sold_at may be (clocks drift).
constexpr std::int64_t clock_skew_micros = 5LL * 60 * 1'000'000;
// Audited edits of one item read back while checking a charged price; an item edited more
// often than this since the register's block was reserved is checked against these only.
constexpr int price_edits_max = 500;

void add_price_of(std::set<std::int64_t>& prices, const std::optional<std::string>& document) {
  if (!document) return;
  boost::system::error_code ec;
  auto v = bj::parse(*document, ec);
  if (ec || !v.is_object()) return;
  if (const auto* p = v.get_object().if_contains("price"); p && p->is_int64()) prices.insert(p->as_int64());
}

// The retail prices `item` had at some moment since `from`: its price now, the prices before
// and after each audited edit of it since (an item's audit entries carry the item), and both
// sides of each regular-price change applied since (a promotion's return included).
std::set<std::int64_t> prices_since(db::Db& reader, const catalog::Item& item, std::int64_t from) {
  std::set<std::int64_t> prices;
  if (item.price) prices.insert(*item.price);
  AuditFilter filter;
  filter.entity = "item";
  filter.entity_id = item.id;
  filter.from = from;
  filter.limit = price_edits_max;
  for (const auto& e : list_audit(reader, filter)) {
    add_price_of(prices, e.before);
    add_price_of(prices, e.after);
  }
  for (const auto& c : catalog::store::applied_price_changes_after(reader, {item.id}, from)) {
    if (c.tier) continue;
    prices.insert(c.price);
    if (c.old_price) prices.insert(*c.old_price);
  }
  return prices;
}

}  // namespace

SaleDraft draft_sale(db::Db& reader, SaleRequest request) {
  // One read transaction for the settings and every line's item: under a stream of
  // commits each statement on its own would start a read transaction of its own and find
  // the page cache stale again.
  db::ReadSnapshot snapshot(reader);
  SaleDraft d;
  d.settings = load_settings(reader);
  std::vector<PriceLine> price_lines;
  std::optional<std::string> store_tax_category;  // what items without a category sell at here
  // A sale made offline: what it charged may be a price the item had while the register was
  // cut off; prices are checked against the time since its receipt number was reserved.
  std::optional<std::int64_t> reserved_at;
  if (request.sold_at) {
    reserved_at = block_reserved_at(reader, *request.register_id,
                                    block_number_of(*request.register_id, *request.receipt_number));
    if (!reserved_at)
      throw invalid_field("receipt_number", fmt::format("{} is in no receipt block reserved for register {}",
                                                        *request.receipt_number, *request.register_id));
    // To the millisecond: a register's clock says when to the millisecond (JavaScript's Date),
    // so a sale rung up in the millisecond its block was reserved read as before it.
    if (request.sold_at->micros < *reserved_at - *reserved_at % 1000)
      throw invalid_field("sold_at", fmt::format("sold_at {} is before receipt number {} was reserved ({})",
                                                 format_rfc3339(*request.sold_at), *request.receipt_number,
                                                 format_rfc3339(Timestamp{*reserved_at})));
    if (request.sold_at->micros > now().micros + clock_skew_micros)
      throw invalid_field("sold_at", "sold_at is later than now: check the register's clock");
  }
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
                                line.item.kind == catalog::ItemKind::parent ? "a variant parent: sell one of its variants"
                                                                            : word(line.item.status)),
                    path);
    std::optional<std::int64_t> price = line.item.price;
    if (request.price_tier) {
      auto tier = line.item.prices.find(*request.price_tier);
      if (tier != line.item.prices.end()) price = tier->second;
    }
    if (in.unit_price) price = in.unit_price;
    if (in.charged_price && !embedded_price) {
      auto prices = prices_since(reader, line.item, *reserved_at);
      if (!prices.contains(*in.charged_price)) {
        int decimals = settings::currency_decimals(reader);
        std::vector<std::string> had;
        for (auto p : prices) had.push_back(format_money(p, decimals));
        throw Problem(422, "price_not_in_force",
                      fmt::format("{} was not a price of {} ({}) since receipt number {} was reserved (it was {})",
                                  format_money(*in.charged_price, decimals), line.item.sku, line.item.name, *request.receipt_number,
                                  had.empty() ? "none" : fmt::format("{}", fmt::join(had, ", "))),
                      path + ".charged_price");
      }
      if (price != in.charged_price) d.price_differences.push_back(PriceDifference{i, *in.charged_price, price});
      price = in.charged_price;
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
  // A store node asks head office about the notes its tenders name (nothing elsewhere, or offline).
  if (!d.request.training) {
    std::vector<std::string> codes;
    for (const auto& t : d.request.tenders)
      if (t.type == TenderType::store_credit && t.reference) codes.push_back(*t.reference);
    if (!codes.empty()) d.head_office_credits = ask_head_office(codes);
  }
  return d;
}

bj::object quote_sale(db::Db& reader, const Actor& actor, const SaleDraft& draft) {
  Settlement settlement;
  if (!draft.request.tenders.empty()) settlement = settle_sale(draft.priced.total, draft.request.tenders, 0, std::nullopt);
  return quote_json(priced_sale(draft, settlement), draft.discount_bp_max, discount_limit_exceeded(reader, actor, draft));
}

// An offline sale names a number of a block its register reserved (migration 23): it must be
// written as the register writes its numbers and lie in one of its blocks, unused.
static std::string block_receipt_number(db::Db& db, const std::string& register_id, const std::string& given,
                                 const std::string& sale_id) {
  std::int64_t number = block_number_of(register_id, given);
  if (number < 1 || receipt_number(register_id, false, number) != given)
    throw invalid_field("receipt_number", fmt::format("receipt_number is a number of register {} such as {}", register_id,
                                                      receipt_number(register_id, false, 1)));
  if (!use_block_number(db, register_id, number, sale_id))
    throw invalid_field("receipt_number",
                        fmt::format("{} is in no receipt block reserved for register {}", given, register_id));
  return given;
}

Posted post_sale(db::Db& db, const Actor& actor, const SaleDraft& draft, std::int64_t exchange_credit,
                 const std::optional<std::string>& exchange_id) {
  db::assert_in_transaction(db);
  const auto& req = draft.request;
  auto claim = documents::claim(db, req.key, "sale", "sale", [&](const std::string& id) {
    return documents::prior_of(store::sale_request_hash(db, id), req.key);
  });
  if (claim.replay) return Posted{sale_json(*store::load_sale(db, claim.id)), true, claim.id};
  const std::string& sale_id = claim.id;
  auto location = stock::require_location(db, req.location_id, "location_id");
  if (!location.sellable) throw invalid_field("location_id", fmt::format("{} is not a selling location", location.name));
  auto approver = approve_discounts(db, actor, draft, req.override_token);

  auto settlement = settle_sale(draft.priced.total, req.tenders, exchange_credit, exchange_id);
  auto reg = take_register(db, req.register_id.value_or(default_register(location.id)), location.id);
  if (req.register_id && !req.training) require_open_session(db, reg.id);
  Sale row = priced_sale(draft, settlement);
  row.id = sale_id;
  if (req.receipt_number)
    row.receipt_number = block_receipt_number(db, reg.id, *req.receipt_number, sale_id);
  else
    row.receipt_number = receipt_number(reg.id, req.training, store::take_receipt_number(db, reg.id, req.training));
  row.location_id = location.id;
  row.register_id = reg.id;
  row.session_id = reg.session_id;
  row.exchange_id = exchange_id;
  row.created_at = now().micros;
  row.user = actor.user;
  if (!actor.user_id.empty()) row.user_id = actor.user_id;
  if (approver) row.approver = approver->user;
  std::vector<stock::Movement> moves;
  for (std::size_t i = 0; i < draft.lines.size(); ++i) {
    auto& line = row.lines[i];
    line.id = new_uuid_v7();
    if (!req.training) {
      auto m = consumption(draft.lines[i].item, line.quantity, location.id, sale_id, line.id);
      moves.insert(moves.end(), m.begin(), m.end());
    }
  }
  store::insert_sale(db, row, req.key.request_hash);
  const auto& tenders = settlement.tenders;
  // Head office's balance of a note, mirrored into the node's own (sales.hpp, balance_at_node),
  // so the node spends what head office holds and pushes the spend.
  if (!req.training)
    for (const auto& credit : draft.head_office_credits)
      mirror_store_credit(db, actor, credit.code, balance_at_node(credit, store_credit_entries(db, credit.code)), sale_id);
  if (!req.training)
    for (std::size_t i = 0; i < tenders.size(); ++i)
      if (tenders[i].type == TenderType::store_credit) {
        // The request's tenders follow an exchange credit, when there is one.
        std::size_t index = i - (exchange_credit > 0 ? 1 : 0);
        spend_store_credit(db, actor, *tenders[i].reference, tenders[i].amount,
                           fmt::format("tenders[{}].reference", index), sale_id);
      }
  auto flags = stock::post_movements(db, moves,
                                     stock::PostContext{actor.user, reg.id, stock::negative_stock_policy(db)});
  documents::remember(db, req.key, "sale", sale_id);
  auto doc = sale_json(row);
  append_audit(db, actor,
               AuditEntry{"sale.create", "sale", sale_id, std::nullopt,
                          sale_audit(row, draft.lines.size(), approver, draft.discount_bp_max)});
  if (!req.training) append_event(db, "sale.completed", sale_id, bj::serialize(doc));
  add_negative_stock_warnings(doc, flags);
  if (!draft.price_differences.empty()) {
    // Sold offline at a price the item had while the register was cut off: the sale keeps what
    // was charged; the difference from the price now is reported, for a manager to see.
    bj::array lines;
    for (const auto& p : draft.price_differences) {
      const auto& item = draft.lines[p.line].item;
      bj::object line{{"line_id", row.lines[p.line].id}, {"item_id", item.id}, {"sku", item.sku},
                      {"name", item.name}, {"charged", p.charged},
                      {"price_now", p.price_now ? bj::value(*p.price_now) : bj::value(nullptr)}};
      lines.push_back(line);
      auto& warnings = doc["warnings"].is_array() ? doc["warnings"].as_array() : doc["warnings"].emplace_array();
      line["code"] = "offline_price";
      warnings.push_back(std::move(line));
    }
    append_audit(db, actor,
                 AuditEntry{"sale.offline_price", "sale", sale_id, std::nullopt,
                            bj::serialize(bj::object{{"receipt_number", row.receipt_number},
                                                     {"sold_at", format_rfc3339(*req.sold_at)},
                                                     {"lines", std::move(lines)}})});
  }
  return Posted{std::move(doc), false, sale_id};
}

}  // namespace backroom::sales
