// Tendering, pure (tendering.hpp).
#include "sales/tendering.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "platform/problem.hpp"

namespace backroom::sales {

namespace bj = boost::json;

Settlement settle_tenders(std::int64_t total, std::vector<Tender> tenders) {
  Settlement out;
  std::int64_t cash = 0;
  for (const auto& t : tenders) {
    out.tendered += t.amount;
    if (t.type == TenderType::cash) cash += t.amount;
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

Settlement settle_sale(std::int64_t total, const std::vector<Tender>& tenders, std::int64_t exchange_credit,
                       const std::optional<std::string>& exchange_id) {
  std::vector<Tender> all;
  if (exchange_credit > 0) all.push_back(Tender{TenderType::exchange_credit, exchange_credit, exchange_id});
  all.insert(all.end(), tenders.begin(), tenders.end());
  return settle_tenders(total, std::move(all));
}

std::vector<Tender> refund_capacity(std::vector<Tender> cap, std::int64_t change_due,
                                    const std::vector<Refunded>& refunded_before) {
  for (auto& t : cap)
    if (t.type == TenderType::exchange_credit) t.type = TenderType::store_credit;
  for (auto it = cap.rbegin(); it != cap.rend() && change_due > 0; ++it) {
    if (it->type != TenderType::cash) continue;
    std::int64_t take = std::min(change_due, it->amount);
    it->amount -= take;
    change_due -= take;
  }
  for (const auto& r : refunded_before) {
    std::int64_t used = r.amount;
    for (auto& c : cap) {
      if (used == 0) break;
      if (c.type != r.type || c.reference != r.reference) continue;
      std::int64_t take = std::min(used, c.amount);
      c.amount -= take;
      used -= take;
    }
  }
  std::stable_sort(cap.begin(), cap.end(), [](const Tender& a, const Tender& b) {
    return (a.type == TenderType::cash) < (b.type == TenderType::cash);
  });
  return cap;
}

RefundPlan plan_refund(const RefundAsk& ask) {
  RefundPlan out;
  out.credit = std::min(ask.exchange_credit_max, ask.refund_total);
  auto& tenders = out.tenders;
  if (out.credit > 0) tenders.push_back(Tender{TenderType::exchange_credit, out.credit, ask.exchange_id});
  std::int64_t to_refund = ask.refund_total - out.credit;
  if (!ask.refund_tenders.empty()) {
    std::int64_t given = 0;
    for (const auto& t : ask.refund_tenders) given += t.amount;
    if (given != to_refund)
      throw invalid_field("refund_tenders", fmt::format("refund tenders add up to {}, the refund is {}", given, to_refund));
    tenders.insert(tenders.end(), ask.refund_tenders.begin(), ask.refund_tenders.end());
  } else if (ask.to_store_credit) {
    // A training return names no note: it tops up nothing and issues nothing.
    if (to_refund > 0)
      tenders.push_back(Tender{TenderType::store_credit, to_refund, ask.training ? std::nullopt : ask.store_credit_code});
  } else if (to_refund > 0) {
    if (ask.with_receipt) {
      for (const auto& c : ask.capacity) {
        if (to_refund == 0) break;
        std::int64_t take = std::min(to_refund, c.amount);
        if (take <= 0) continue;
        tenders.push_back(Tender{c.type, take, c.reference});
        to_refund -= take;
      }
    }
    if (to_refund > 0) {
      // With a receipt, what the sale's card and credit tenders cannot take goes back as
      // cash; without one, the shop's policy decides (a new credit note by default).
      bool cash = ask.with_receipt || ask.no_receipt_refund_cash;
      tenders.push_back(Tender{cash ? TenderType::cash : TenderType::store_credit, to_refund, std::nullopt});
    }
  }
  return out;
}

std::vector<DrawerLine> count_drawer(const DrawerTotals& t, const Counted* counted) {
  auto of = [](const std::map<TenderType, std::int64_t>& m, TenderType type) {
    auto it = m.find(type);
    return it == m.end() ? std::int64_t{0} : it->second;
  };
  auto moved = [&t](CashMovementKind kind) {
    auto it = t.cash_moves.find(kind);
    return it == t.cash_moves.end() ? std::int64_t{0} : it->second;
  };
  std::set<TenderType> types{TenderType::cash, TenderType::card};
  for (const auto& [type, amount] : t.taken) types.insert(type);
  for (const auto& [type, amount] : t.refunded) types.insert(type);
  if (counted)
    for (const auto& [word, amount] : *counted)
      if (auto type = tender_types.parse(word)) types.insert(*type);
  std::vector<DrawerLine> out;
  for (TenderType type : counted_tenders) {
    if (!types.count(type)) continue;
    DrawerLine line{type, 0, std::nullopt, std::nullopt};
    switch (type) {
      case TenderType::cash:
        line.expected = t.opening_float + of(t.taken, type) - of(t.refunded, type) + moved(CashMovementKind::paid_in) -
                        moved(CashMovementKind::paid_out) - moved(CashMovementKind::safe_drop);
        break;
      case TenderType::card:
        line.expected = of(t.taken, type) - of(t.refunded, type);
        break;
      default:
        line.expected = of(t.taken, type);
    }
    if (counted) {
      auto it = counted->find(std::string(word(type)));
      std::int64_t c = it == counted->end() ? 0 : it->second;
      line.counted = c;
      line.over_short = c - line.expected;
    }
    out.push_back(line);
  }
  return out;
}

}  // namespace backroom::sales
