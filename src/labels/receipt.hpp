// Receipts from a sale document: HTML for screens and office printers (80 mm and 58 mm
// paper) and an ESC/POS byte stream for thermal receipt printers (text styles, alignment,
// the receipt number as a Code 128 barcode so returns can scan it, paper cut).
// Pure functions over ReceiptDoc, a plain struct, so they depend on no sales code;
// receipt_from_sale_json adapts the sale JSON of the API (issue 4) to it.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/types.hpp"

namespace backroom::labels {

inline constexpr std::size_t receipt_lines_max = 500;

struct ReceiptLine {
  std::string name;
  Quantity quantity = Quantity::units(1);
  std::int64_t unit_price = 0;  // minor units
  std::int64_t discount = 0;    // line + share of receipt discounts, positive = off
  std::int64_t total = 0;       // what the customer pays for the line
  std::string discount_reason;
  std::optional<std::int64_t> tax_rate_bp;  // basis points; unknown on a refund without its sale
  std::int64_t tax = 0;
};

// The tax of one rate over a receipt: `taxable` is the amount without tax.
struct ReceiptTax {
  std::int64_t rate_bp = 0;
  std::int64_t taxable = 0;
  std::int64_t tax = 0;
};

struct ReceiptTender {
  std::string type;  // cash, card, store_credit, exchange_credit
  std::int64_t amount = 0;
  std::string reference;
};

struct ReceiptDoc {
  std::string shop_name;
  std::vector<std::string> header_lines;  // address, VAT number...
  std::string receipt_number;
  std::string time_text;  // in the shop's time zone, e.g. "2026-03-01 14:05"
  std::string cashier;        // the cashier's display name (or user name)
  std::string register_name;  // "" when the document was not made at a register
  std::string currency = "EUR";
  int currency_decimals = 2;
  std::vector<ReceiptLine> lines;
  std::int64_t subtotal = 0;
  std::int64_t discount_total = 0;
  std::int64_t tax_total = 0;
  bool tax_inclusive = true;
  std::int64_t total = 0;
  std::vector<ReceiptTax> taxes;  // by rate, ascending (taxes_by_rate)
  std::vector<ReceiptTender> tenders;
  std::int64_t change_due = 0;
  bool training = false;
  bool voided = false;
  // A refund slip: REFUND banner, what went back per tender, the full code of a store
  // credit note (the customer's only proof of it), no barcode; receipt_number is the
  // return's id.
  bool refund = false;
  std::vector<std::string> footer_lines;
};

// Sums the lines' tax per rate (lines of unknown rate are left out). A line's total is what
// the customer pays, tax included in either tax mode.
std::vector<ReceiptTax> taxes_by_rate(const std::vector<ReceiptLine>& lines);
// "21%", "9.5%", "0%".
std::string rate_text(std::int64_t rate_bp);

enum class PaperWidth { mm80, mm58 };
int characters_per_line(PaperWidth w);  // font A: 48 on 80 mm, 32 on 58 mm

// A standalone HTML page sized for the paper (CSS @page), text escaped.
std::string render_receipt_html(const ReceiptDoc& doc, PaperWidth width);

// ESC/POS: ESC @, code page PC858 (ESC t 19; UTF-8 text is mapped to it, '?' when it has
// no such character), ESC a alignment, ESC E bold, GS ! sizes, GS k 73 Code 128 of the
// receipt number with HRI below, feed and partial cut (GS V 66).
std::string render_receipt_escpos(const ReceiptDoc& doc, PaperWidth width);

// From the sale JSON (lines[].name/quantity/unit_price/line_discount/receipt_discount/total,
// subtotal, discount_total, tax_total, total, tenders[].type/amount, change_due,
// receipt_number, created_at, status, training). Throws Problem 422 on a missing field.
ReceiptDoc receipt_from_sale_json(const boost::json::object& sale);

// From the return JSON (id, refund_total, tax_total, created_at, user, lines[].name/
// quantity/refund, tenders[]) and the receipt number of the sale it returns ("" for none).
ReceiptDoc receipt_from_return_json(const boost::json::object& ret, const std::string& sale_receipt_number);

}  // namespace backroom::labels
