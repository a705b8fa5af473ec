// The store-credit report's folding (reports/store_credit.hpp): the ledger's sums and the
// shortfalls of a period worked out by hand, row by row. The period is days 100..106.
#include <gtest/gtest.h>

#include "reports/store_credit.hpp"

namespace {

using namespace backroom;
using namespace backroom::reports;
using sales::CreditLedgerSum;
using sales::CreditShortfall;
using sales::LedgerPhase;

constexpr Period week{100, 106};
const std::int64_t start = start_of(100).micros;
const std::int64_t end = start_of(107).micros;
constexpr std::int64_t hour = 3'600'000'000;

CreditShortfall shortfall(std::string sale, std::int64_t amount, std::int64_t at,
                          std::optional<std::string> settlement = std::nullopt, std::int64_t settled_at = 0) {
  CreditShortfall f;
  f.sale_id = std::move(sale);
  f.amount = amount;
  f.at = Timestamp{at};
  f.settlement = std::move(settlement);
  if (f.settlement) f.settled_at = Timestamp{settled_at};
  return f;
}

struct LedgerCase {
  const char* name;
  std::vector<CreditLedgerSum> sums;
  std::int64_t balances_now;
  std::int64_t opening, issued, redeemed, given_back, adjusted, closing;
  bool balanced;
};

// Each row: the sums, the balances now, then what the report must say.
const LedgerCase ledger_cases[] = {
    {"nothing at all", {}, 0, 0, 0, 0, 0, 0, 0, true},
    // 2000 issued before; in the week 1000 issued, 700 spent, its void gives 700 back, 500 spent:
    // 2000 + 1000 - 1200 + 700 = 2500 at the end; 300 spent after: 2200 now.
    {"a week of every kind",
     {{"return", LedgerPhase::before, 2000, 1},
      {"return", LedgerPhase::in, 1000, 1},
      {"sale", LedgerPhase::in, -1200, 2},
      {"void", LedgerPhase::in, 700, 1},
      {"sale", LedgerPhase::after, -300, 1}},
     2200, 2000, 1000, 1200, 700, 0, 2500, true},
    // Spending before the period lowers the opening; a void after raises what is held now only.
    {"before and after",
     {{"return", LedgerPhase::before, 1500, 1}, {"sale", LedgerPhase::before, -1500, 1}, {"void", LedgerPhase::after, 400, 1}},
     400, 0, 0, 0, 0, 0, 0, true},
    // A store node's copy set to head office's balance (+800, then -200) is its own figure.
    {"a node's copy", {{"head_office", LedgerPhase::in, 800, 1}, {"head_office", LedgerPhase::in, -200, 1}}, 600, 0, 0, 0, 0, 600, 600,
     true},
    // The notes hold 100 more than their entries say: the books differ.
    {"books that differ", {{"return", LedgerPhase::in, 1000, 1}}, 1100, 0, 1000, 0, 0, 0, 1100, false},
};

TEST(StoreCreditReport, FoldsTheLedgersSums) {
  for (const auto& c : ledger_cases) {
    auto f = fold_store_credit(c.sums, c.balances_now, {}, week);
    EXPECT_EQ(f.opening_liability, c.opening) << c.name;
    EXPECT_EQ(f.issued.amount, c.issued) << c.name;
    EXPECT_EQ(f.redeemed.amount, c.redeemed) << c.name;
    EXPECT_EQ(f.given_back.amount, c.given_back) << c.name;
    EXPECT_EQ(f.adjusted.amount, c.adjusted) << c.name;
    EXPECT_EQ(f.closing_liability, c.closing) << c.name;
    EXPECT_EQ(f.liability_now, c.balances_now) << c.name;
    EXPECT_EQ(f.balanced, c.balanced) << c.name;
  }
}

TEST(StoreCreditReport, CountsEntriesPerFigure) {
  auto f = fold_store_credit(ledger_cases[1].sums, ledger_cases[1].balances_now, {}, week);
  EXPECT_EQ(f.issued.count, 1);
  EXPECT_EQ(f.redeemed.count, 2);
  EXPECT_EQ(f.given_back.count, 1);
  EXPECT_EQ(f.adjusted.count, 0);
}

TEST(StoreCreditReport, SortsShortfallsByWhereTheirTimesFall) {
  std::vector<CreditShortfall> shortfalls = {
      // Arose before the week, still open: open at its end.
      shortfall("s1", 100, start - hour),
      // Arose in the week, written off in it.
      shortfall("s2", 200, start + hour, "written_off", start + 5 * hour),
      // Arose before, collected in the week.
      shortfall("s3", 300, start - 2 * hour, "collected", start + hour),
      // Written off after the week: open at its end, not a write-off of this week.
      shortfall("s4", 400, start + hour, "written_off", end + hour),
      // Arose after the week: not counted.
      shortfall("s5", 500, end),
      // Settled before the week (the store would not send it; the fold skips it too).
      shortfall("s6", 600, start - 3 * hour, "written_off", start - hour),
      // Written off in the week, earlier than s2: listed first.
      shortfall("s7", 700, start - hour, "written_off", start + 2 * hour),
  };
  auto f = fold_store_credit({}, 0, shortfalls, week);
  EXPECT_EQ(f.open_shortfalls.count, 2);
  EXPECT_EQ(f.open_shortfalls.amount, 100 + 400);
  EXPECT_EQ(f.written_off.count, 2);
  EXPECT_EQ(f.written_off.amount, 200 + 700);
  EXPECT_EQ(f.collected.count, 1);
  EXPECT_EQ(f.collected.amount, 300);
  ASSERT_EQ(f.written_off_list.size(), 2u);
  EXPECT_EQ(f.written_off_list[0].sale_id, "s7");
  EXPECT_EQ(f.written_off_list[1].sale_id, "s2");
}

}  // namespace
