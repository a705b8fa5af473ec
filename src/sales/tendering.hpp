// Tendering, pure: what the customer hands over against a total and the change (given only
// from cash), where a refund goes back to (the sale's own tenders, cards first, else cash or
// a credit note), and what a register's drawer should hold per tender. Values in, values
// out; the Problems thrown are 422s naming the field at fault.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sales/sale.hpp"

namespace backroom::sales {

// Tenders against a total: what was tendered and the change.
struct Settlement {
  std::vector<Tender> tenders;
  std::int64_t tendered = 0;
  std::int64_t change = 0;
};
// Throws 422 insufficient_tender (with total and tendered) or change_exceeds_cash.
Settlement settle_tenders(std::int64_t total, std::vector<Tender> tenders);
// A sale's settlement: `exchange_credit` (from the exchange `exchange_id`'s return) pays
// first, then the request's tenders.
Settlement settle_sale(std::int64_t total, const std::vector<Tender>& tenders, std::int64_t exchange_credit,
                       const std::optional<std::string>& exchange_id);

// What may still go back to each of a sale's tenders: its tenders (an exchange credit
// counts as store credit), less the change from its cash tenders, less what earlier
// (non-training) returns refunded to each type and reference; cards and credit first,
// cash last.
std::vector<Tender> refund_capacity(std::vector<Tender> sale_tenders, std::int64_t change_due,
                                    const std::vector<Refunded>& refunded_before);

// Where a return's refund goes.
struct RefundAsk {
  std::int64_t refund_total = 0;
  std::int64_t exchange_credit_max = 0;  // kept for the exchange's sale, first
  std::optional<std::string> exchange_id;
  std::vector<Tender> refund_tenders;  // as asked; must add up to what is refunded
  bool to_store_credit = false;
  std::optional<std::string> store_credit_code;
  bool training = false;
  bool with_receipt = false;
  std::vector<Tender> capacity;  // with a receipt: refund_capacity of the sale
  bool no_receipt_refund_cash = false;
};
struct RefundPlan {
  std::vector<Tender> tenders;
  std::int64_t credit = 0;  // the exchange credit
};
// Throws 422 invalid_field refund_tenders when they do not add up to the refund.
RefundPlan plan_refund(const RefundAsk& ask);

// A register's drawer over a session: expected per tender (cash = float + cash sales -
// cash refunds + paid in - paid out - safe drops; card = card sales - card refunds; store
// credit = credit notes taken) and, at close, counted and over/short.
struct DrawerTotals {
  std::int64_t opening_float = 0;
  std::map<TenderType, std::int64_t> taken;     // by completed sales, change already taken off cash
  std::map<TenderType, std::int64_t> refunded;  // by returns
  std::map<CashMovementKind, std::int64_t> cash_moves;
};
// Cash and card always; store credit when it was taken, refunded or counted.
std::vector<DrawerLine> count_drawer(const DrawerTotals& totals, const Counted* counted);

}  // namespace backroom::sales
