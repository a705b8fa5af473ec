#include "reports/store_credit.hpp"

#include <algorithm>

namespace backroom::reports {

namespace {

void add(Tally& t, std::int64_t count, std::int64_t amount) {
  t.count += count;
  t.amount += amount;
}

}  // namespace

StoreCreditFigures fold_store_credit(const std::vector<sales::CreditLedgerSum>& sums, std::int64_t balances_now,
                                     const std::vector<sales::CreditShortfall>& shortfalls, const Period& period) {
  StoreCreditFigures f;
  f.liability_now = balances_now;
  std::int64_t moved_after = 0;
  for (const auto& s : sums) {
    if (s.phase == sales::LedgerPhase::before) {
      f.opening_liability += s.amount;
    } else if (s.phase == sales::LedgerPhase::after) {
      moved_after += s.amount;
    } else if (s.document_type == "return") {
      add(f.issued, s.entries, s.amount);
    } else if (s.document_type == "sale") {
      add(f.redeemed, s.entries, -s.amount);
    } else if (s.document_type == "void") {
      add(f.given_back, s.entries, s.amount);
    } else {
      add(f.adjusted, s.entries, s.amount);
    }
  }
  f.closing_liability = balances_now - moved_after;
  f.balanced = f.opening_liability + f.issued.amount - f.redeemed.amount + f.given_back.amount + f.adjusted.amount ==
               f.closing_liability;

  const std::int64_t start = start_of(period.from).micros, end = start_of(period.to + 1).micros;
  for (const auto& s : shortfalls) {
    if (s.at.micros >= end) continue;
    bool settled_by_end = s.settlement && s.settled_at && s.settled_at->micros < end;
    if (!settled_by_end) {
      add(f.open_shortfalls, 1, s.amount);
      continue;
    }
    if (s.settled_at->micros < start) continue;
    if (*s.settlement == "written_off") {
      add(f.written_off, 1, s.amount);
      f.written_off_list.push_back(s);
    } else {
      add(f.collected, 1, s.amount);
    }
  }
  std::stable_sort(f.written_off_list.begin(), f.written_off_list.end(),
                   [](const auto& a, const auto& b) { return a.settled_at->micros < b.settled_at->micros; });
  return f;
}

}  // namespace backroom::reports
