// The store-credit report's maths (docs/reports.md, "Store credit"): what the shop owes on its
// credit notes when a period starts and ends, what moved it in between, and the shortfalls store
// nodes' sales left (open at the end, written off, collected). Pure: the ledger's sums and the
// shortfalls come from sales' store (store_credit_store.cpp), read by reports_api.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "reports/kpi.hpp"
#include "sales/credit_ledger.hpp"

namespace backroom::reports {

// The longest period one report covers, and the most shortfalls one report reads.
inline constexpr int store_credit_period_days_max = 366;
inline constexpr std::size_t store_credit_shortfalls_max = 10'000;

struct Tally {
  std::int64_t count = 0;
  std::int64_t amount = 0;  // minor units
};

struct StoreCreditFigures {
  std::int64_t opening_liability = 0;  // what the notes held when the period began
  Tally issued;                        // returns and exchanges refunded to a note
  Tally redeemed;                      // sales paid from a note (amount > 0)
  Tally given_back;                    // voids of such sales
  Tally adjusted;                      // a store node's copy set to head office's balance (signed)
  std::int64_t closing_liability = 0;  // what the notes held when the period ended
  std::int64_t liability_now = 0;      // what they hold now
  // opening + issued - redeemed + given back + adjusted = closing, the closing worked out from
  // the notes' balances now less what moved them since; false when the ledger disagrees.
  bool balanced = true;
  Tally open_shortfalls;               // arisen by the end and not settled by then
  Tally written_off;                   // settled as a loss in the period
  Tally collected;                     // settled as paid in the period
  std::vector<sales::CreditShortfall> written_off_list;  // oldest settlement first
};

// Folds the ledger's sums (every entry, by kind and phase against the period), the notes'
// balances now and the shortfalls (store_credit_shortfalls_for) into the period's figures.
// A shortfall counts where its times fall against [start, end) of the period.
StoreCreditFigures fold_store_credit(const std::vector<sales::CreditLedgerSum>& sums, std::int64_t balances_now,
                                     const std::vector<sales::CreditShortfall>& shortfalls, const Period& period);

}  // namespace backroom::reports
