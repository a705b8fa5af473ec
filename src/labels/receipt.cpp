#include "labels/receipt.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <memory>

#include <zint.h>

#include "labels/layout.hpp"
#include "platform/json.hpp"
#include "platform/money.hpp"
#include "platform/problem.hpp"
#include "platform/text.hpp"

namespace backroom::labels {

int characters_per_line(PaperWidth w) { return w == PaperWidth::mm80 ? 48 : 32; }

std::vector<ReceiptTax> taxes_by_rate(const std::vector<ReceiptLine>& lines) {
  std::vector<ReceiptTax> out;
  for (const auto& l : lines) {
    if (!l.tax_rate_bp) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const ReceiptTax& t) { return t.rate_bp == *l.tax_rate_bp; });
    if (it == out.end()) it = out.insert(out.end(), ReceiptTax{*l.tax_rate_bp, 0, 0});
    it->taxable += l.total - l.tax;
    it->tax += l.tax;
  }
  std::sort(out.begin(), out.end(), [](const ReceiptTax& a, const ReceiptTax& b) { return a.rate_bp < b.rate_bp; });
  return out;
}

std::string rate_text(std::int64_t rate_bp) {
  std::string whole = std::to_string(rate_bp / 100);
  std::int64_t fraction = rate_bp % 100;
  if (fraction == 0) return whole + "%";
  std::string digits = fmt::format("{:02}", fraction);
  if (digits.back() == '0') digits.pop_back();
  return whole + "." + digits + "%";
}

namespace {

std::string money(std::int64_t minor, const ReceiptDoc& doc) { return format_money(minor, doc.currency_decimals); }

// The store credit code under its tender: whole on a refund slip (it is the credit), only
// the last four characters on a sale receipt (anyone holding the code can spend it).
std::string credit_note_text(const ReceiptDoc& doc, const ReceiptTender& t) {
  if (t.type != "store_credit" || t.reference.empty()) return "";
  if (doc.refund) return "Credit note " + t.reference;
  return "Credit note ..." + t.reference.substr(t.reference.size() > 4 ? t.reference.size() - 4 : 0);
}

std::string tender_name(const std::string& type) {
  if (type == "cash") return "Cash";
  if (type == "card") return "Card";
  if (type == "store_credit") return "Store credit";
  if (type == "exchange_credit") return "Exchange credit";
  return type;
}

// Decodes UTF-8 to code points; invalid bytes become U+FFFD.
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

// PC858 (PC850 with the euro sign at 0xD5) for the Latin-1 letters shops print most.
char to_pc858(char32_t cp) {
  if (cp >= 0x20 && cp < 0x7F) return static_cast<char>(cp);
  struct M {
    char32_t cp;
    unsigned char byte;
  };
  static constexpr M map[] = {
      {0x20AC, 0xD5}, {0xC7, 0x80}, {0xFC, 0x81}, {0xE9, 0x82}, {0xE2, 0x83}, {0xE4, 0x84}, {0xE0, 0x85},
      {0xE5, 0x86},   {0xE7, 0x87}, {0xEA, 0x88}, {0xEB, 0x89}, {0xE8, 0x8A}, {0xEF, 0x8B}, {0xEE, 0x8C},
      {0xEC, 0x8D},   {0xC4, 0x8E}, {0xC5, 0x8F}, {0xC9, 0x90}, {0xE6, 0x91}, {0xC6, 0x92}, {0xF4, 0x93},
      {0xF6, 0x94},   {0xF2, 0x95}, {0xFB, 0x96}, {0xF9, 0x97}, {0xFF, 0x98}, {0xD6, 0x99}, {0xDC, 0x9A},
      {0xF8, 0x9B},   {0xA3, 0x9C}, {0xD8, 0x9D}, {0xD7, 0x9E}, {0xE1, 0xA0}, {0xED, 0xA1}, {0xF3, 0xA2},
      {0xFA, 0xA3},   {0xF1, 0xA4}, {0xD1, 0xA5}, {0xBF, 0xA8}, {0xA1, 0xAD}, {0xC1, 0xB5}, {0xC2, 0xB6},
      {0xC0, 0xB7},   {0xE3, 0xC6}, {0xC3, 0xC7}, {0xCA, 0xD2}, {0xCB, 0xD3}, {0xC8, 0xD4}, {0xCD, 0xD6},
      {0xCE, 0xD7},   {0xCF, 0xD8}, {0xCC, 0xDE}, {0xD3, 0xE0}, {0xDF, 0xE1}, {0xD4, 0xE2}, {0xD2, 0xE3},
      {0xF5, 0xE4},   {0xD5, 0xE5}, {0xDA, 0xE9}, {0xDB, 0xEA}, {0xD9, 0xEB}, {0xB0, 0xF8},
  };
  for (const auto& m : map)
    if (m.cp == cp) return static_cast<char>(m.byte);
  return '?';
}

// Text for the printer: one byte per character, so widths are counted in characters.
std::string printer_text(std::string_view utf8) {
  std::string out;
  for (char32_t cp : code_points(utf8)) out += to_pc858(cp);
  return out;
}

std::string fit(std::string s, std::size_t width) {
  if (s.size() > width) s.resize(width);
  return s;
}

// "left ........ right" in `width` characters (left cut to make room).
std::string two_columns(std::string left, const std::string& right, std::size_t width) {
  std::size_t room = right.size() + 1 >= width ? 0 : width - right.size() - 1;
  left = fit(std::move(left), room);
  return left + std::string(width - left.size() - right.size(), ' ') + right;
}

// Words wrapped to `width` characters (a word longer than a line is cut).
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> out;
  std::string line;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = fit(text.substr(start, end - start), width);
    if (!word.empty()) {
      if (!line.empty() && line.size() + 1 + word.size() > width) {
        out.push_back(line);
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
    }
    start = end + 1;
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

std::string tax_label(const ReceiptDoc& doc, const ReceiptTax& t) {
  return fmt::format("{} {} of {}", doc.tax_inclusive ? "incl. tax" : "Tax", rate_text(t.rate_bp), money(t.taxable, doc));
}

std::string quantity_line(const ReceiptLine& l, const ReceiptDoc& doc) {
  return fmt::format("  {} x {}", format_quantity(l.quantity), money(l.unit_price, doc));
}

using text::html_escape;

constexpr char ESC = 0x1B, GS = 0x1D, LF = 0x0A;

// The receipt number as an inline SVG Code 128 (bars only; the number is printed below it
// as text), so a reprint from the browser scans like the thermal one. "" if zint refuses.
std::string code128_svg(const std::string& data) {
  struct Deleter {
    void operator()(zint_symbol* s) const { ZBarcode_Delete(s); }
  };
  std::unique_ptr<zint_symbol, Deleter> s(ZBarcode_Create());
  if (!s) return "";
  s->symbology = BARCODE_CODE128;
  s->output_options |= BARCODE_QUIET_ZONES;
  s->show_hrt = 0;
  s->scale = 1;
  s->height = 30;
  if (ZBarcode_Encode(s.get(), reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size())) >=
          ZINT_ERROR ||
      ZBarcode_Buffer_Vector(s.get(), 0) >= ZINT_ERROR)
    return "";
  const auto* v = s->vector;
  std::string out = fmt::format(
      "<svg class=\"receipt-barcode\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"100%\" "
      "height=\"12mm\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{}\"><rect width=\"{}\" height=\"{}\" "
      "fill=\"#fff\"/>",
      v->width, v->height, html_escape(data), v->width, v->height);
  for (auto* r = v->rectangles; r; r = r->next)
    if (r->colour != 8) out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", r->x, r->y, r->width, r->height);
  return out + "</svg>";
}

}  // namespace

std::string render_receipt_escpos(const ReceiptDoc& doc, PaperWidth paper) {
  const auto width = static_cast<std::size_t>(characters_per_line(paper));
  std::string out;
  auto cmd = [&out](std::initializer_list<int> bytes) {
    for (int b : bytes) out += static_cast<char>(b);
  };
  auto line = [&out](const std::string& text) { out += text + LF; };
  auto align = [&](int a) { cmd({ESC, 'a', a}); };
  auto bold = [&](bool on) { cmd({ESC, 'E', on ? 1 : 0}); };
  auto size = [&](int n) { cmd({GS, '!', n}); };

  cmd({ESC, '@'});
  cmd({ESC, 't', 19});
  align(1);
  if (doc.training || doc.voided || doc.refund) {
    bold(true);
    line(doc.voided ? "*** VOID ***" : doc.refund ? "*** REFUND ***" : "*** TRAINING - NOT A RECEIPT ***");
    bold(false);
  }
  bold(true);
  size(0x11);
  line(fit(printer_text(doc.shop_name), width / 2));
  size(0);
  bold(false);
  for (const auto& h : doc.header_lines)
    for (const auto& part : wrap(printer_text(h), width)) line(part);
  line(fit(printer_text(doc.time_text), width));
  if (!doc.register_name.empty()) line(fit(printer_text("Register: " + doc.register_name), width));
  if (!doc.cashier.empty()) line(fit(printer_text("Cashier: " + doc.cashier), width));
  align(0);
  line(std::string(width, '-'));
  for (const auto& l : doc.lines) {
    line(two_columns(printer_text(l.name), money(l.total + l.discount, doc), width));
    if (l.quantity != Quantity::units(1)) line(fit(quantity_line(l, doc), width));
    if (l.discount != 0)
      line(two_columns("  " + printer_text(l.discount_reason.empty() ? "Discount" : l.discount_reason),
                       money(-l.discount, doc), width));
  }
  line(std::string(width, '-'));
  if (doc.discount_total != 0) line(two_columns("Discounts", money(-doc.discount_total, doc), width));
  bold(true);
  size(0x01);  // double height
  line(two_columns((doc.refund ? "REFUND " : "TOTAL ") + doc.currency, money(doc.total, doc), width));
  size(0);
  bold(false);
  line(two_columns(doc.tax_inclusive ? "incl. tax" : "Tax", money(doc.tax_total, doc), width));
  for (const auto& t : doc.taxes) line(two_columns("  " + tax_label(doc, t), money(t.tax, doc), width));
  for (const auto& t : doc.tenders) {
    line(two_columns(printer_text(tender_name(t.type)), money(t.amount, doc), width));
    if (auto note = credit_note_text(doc, t); !note.empty()) {
      if (doc.refund) bold(true);
      line(fit("  " + printer_text(note), width));
      if (doc.refund) bold(false);
    }
  }
  if (doc.change_due != 0) line(two_columns("Change", money(doc.change_due, doc), width));
  line(std::string(width, '-'));
  align(1);
  for (const auto& f : doc.footer_lines)
    for (const auto& part : wrap(printer_text(f), width)) line(part);
  line((doc.refund ? "Return " : "Receipt ") + printer_text(doc.receipt_number));
  // Code 128, code set B: GS h height, GS w module width, GS H 2 HRI below, GS k 73 n data.
  std::string data = "{B" + printer_text(doc.receipt_number);
  if (data.size() <= 255 && doc.receipt_number.size() > 0 && !doc.refund) {
    cmd({GS, 'h', 80});
    cmd({GS, 'w', 2});
    cmd({GS, 'H', 2});
    cmd({GS, 'k', 73, static_cast<int>(data.size())});
    out += data;
    out += LF;
  }
  align(0);
  cmd({ESC, 'd', 4});
  cmd({GS, 'V', 66, 0});
  return out;
}

std::string render_receipt_html(const ReceiptDoc& doc, PaperWidth paper) {
  const char* mm = paper == PaperWidth::mm80 ? "80mm" : "58mm";
  const char* body_mm = paper == PaperWidth::mm80 ? "72mm" : "48mm";
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  h += fmt::format("<title>Receipt {}</title>\n", html_escape(doc.receipt_number));
  h += fmt::format(
      "<style>@page {{ size: {} auto; margin: 4mm; }} body {{ width: {}; margin: 0 auto; font: 10pt/1.3 'DejaVu Sans "
      "Mono', monospace; }} h1 {{ font-size: 14pt; text-align: center; margin: 0; }} .c {{ text-align: center; }} "
      "table {{ width: 100%; border-collapse: collapse; }} td.r {{ text-align: right; white-space: nowrap; }} "
      ".total td {{ font-weight: bold; font-size: 12pt; border-top: 1px dashed #000; }} .sub td {{ padding-left: 1em; "
      "font-size: 9pt; }} .banner {{ text-align: center; font-weight: bold; border: 2px solid #000; }}</style>\n",
      mm, body_mm);
  h += "</head><body>\n";
  if (doc.voided) h += "<p class=\"banner\">VOID</p>\n";
  if (doc.training) h += "<p class=\"banner\">TRAINING &mdash; NOT A RECEIPT</p>\n";
  if (doc.refund) h += "<p class=\"banner\">REFUND</p>\n";
  h += fmt::format("<h1>{}</h1>\n", html_escape(doc.shop_name));
  for (const auto& l : doc.header_lines) h += fmt::format("<div class=\"c\">{}</div>\n", html_escape(l));
  h += fmt::format("<div class=\"c\">{}</div>\n", html_escape(doc.time_text));
  if (!doc.register_name.empty())
    h += fmt::format("<div class=\"c register\">Register: {}</div>\n", html_escape(doc.register_name));
  if (!doc.cashier.empty()) h += fmt::format("<div class=\"c cashier\">Cashier: {}</div>\n", html_escape(doc.cashier));
  h += "<table>\n";
  for (const auto& l : doc.lines) {
    h += fmt::format("<tr><td>{}</td><td class=\"r\">{}</td></tr>\n", html_escape(l.name), money(l.total + l.discount, doc));
    if (l.quantity != Quantity::units(1))
      h += fmt::format("<tr class=\"sub\"><td>{} &times; {}</td><td></td></tr>\n", format_quantity(l.quantity),
                       money(l.unit_price, doc));
    if (l.discount != 0)
      h += fmt::format("<tr class=\"sub\"><td>{}</td><td class=\"r\">{}</td></tr>\n",
                       html_escape(l.discount_reason.empty() ? "Discount" : l.discount_reason), money(-l.discount, doc));
  }
  if (doc.discount_total != 0)
    h += fmt::format("<tr><td>Discounts</td><td class=\"r\">{}</td></tr>\n", money(-doc.discount_total, doc));
  h += fmt::format("<tr class=\"total\"><td>{} {}</td><td class=\"r\">{}</td></tr>\n", doc.refund ? "REFUND" : "TOTAL",
                   html_escape(doc.currency), money(doc.total, doc));
  h += fmt::format("<tr><td>{}</td><td class=\"r\">{}</td></tr>\n", doc.tax_inclusive ? "incl. tax" : "Tax",
                   money(doc.tax_total, doc));
  for (const auto& t : doc.taxes)
    h += fmt::format("<tr class=\"sub tax\"><td>{}</td><td class=\"r\">{}</td></tr>\n", html_escape(tax_label(doc, t)),
                     money(t.tax, doc));
  for (const auto& t : doc.tenders) {
    h += fmt::format("<tr><td>{}</td><td class=\"r\">{}</td></tr>\n", html_escape(tender_name(t.type)), money(t.amount, doc));
    if (auto note = credit_note_text(doc, t); !note.empty())
      h += fmt::format("<tr class=\"sub\"><td class=\"credit-note\">{}{}{}</td><td></td></tr>\n", doc.refund ? "<b>" : "",
                       html_escape(note), doc.refund ? "</b>" : "");
  }
  if (doc.change_due != 0) h += fmt::format("<tr><td>Change</td><td class=\"r\">{}</td></tr>\n", money(doc.change_due, doc));
  h += "</table>\n";
  for (const auto& f : doc.footer_lines) h += fmt::format("<div class=\"c\">{}</div>\n", html_escape(f));
  if (!doc.refund && !doc.receipt_number.empty()) h += "<div class=\"c\">" + code128_svg(doc.receipt_number) + "</div>\n";
  h += fmt::format("<div class=\"c\">{} <span class=\"receipt-number\">{}</span></div>\n</body></html>\n",
                   doc.refund ? "Return" : "Receipt", html_escape(doc.receipt_number));
  return h;
}

namespace {

// What sale receipts and refund slips read alike: time, cashier, tenders, and each line
// (the line reader fills what differs).
void read_common(const json::Fields& f, ReceiptDoc& doc,
                 const std::function<ReceiptLine(const json::Fields&)>& read_line) {
  if (auto at = f.opt_text("created_at", 40); at && at->size() >= 16) {
    doc.time_text = at->substr(0, 16) + " UTC";  // documents keep UTC; shops have no time zone setting yet
    doc.time_text[10] = ' ';
  }
  if (auto user = f.opt_text("user", 100)) doc.cashier = *user;
  const auto* lines = f.opt_array("lines");
  if (!lines) throw missing_field("lines");
  if (lines->size() > receipt_lines_max) throw invalid_field("lines", "a receipt has at most 500 lines");
  for (std::size_t i = 0; i < lines->size(); ++i) {
    const auto* o = (*lines)[i].if_object();
    if (!o) throw invalid_field(fmt::format("lines[{}]", i), "a line is an object");
    json::Fields lf{*o, fmt::format("lines[{}]", i)};
    ReceiptLine l = read_line(lf);
    l.name = lf.opt_text("name", 200).value_or(lf.opt_text("sku", 64).value_or(""));
    doc.lines.push_back(std::move(l));
  }
  if (const auto* tenders = f.opt_array("tenders")) {
    for (std::size_t i = 0; i < tenders->size() && i < 20; ++i) {
      const auto* o = (*tenders)[i].if_object();
      if (!o) continue;
      json::Fields tf{*o, fmt::format("tenders[{}]", i)};
      doc.tenders.push_back(ReceiptTender{tf.text("type", 40), tf.money("amount", true),
                                          tf.opt_text("reference", 100).value_or("")});
    }
  }
}

}  // namespace

ReceiptDoc receipt_from_sale_json(const boost::json::object& sale) {
  json::Fields f{sale, ""};
  ReceiptDoc doc;
  doc.receipt_number = f.text("receipt_number", 64);
  doc.subtotal = f.opt_money("subtotal", true).value_or(0);
  doc.discount_total = f.opt_money("discount_total", true).value_or(0);
  doc.tax_total = f.money("tax_total", true);
  doc.total = f.money("total", true);
  doc.change_due = f.opt_money("change_due").value_or(0);
  if (auto mode = f.opt_text("tax_mode", 20)) doc.tax_inclusive = *mode != "exclusive";
  if (auto status = f.opt_text("status", 20)) doc.voided = *status == "voided";
  doc.training = f.opt_boolean("training").value_or(false);
  read_common(f, doc, [](const json::Fields& lf) {
    ReceiptLine l;
    l.quantity = lf.quantity("quantity");
    l.unit_price = lf.money("unit_price", true);
    l.discount = lf.opt_money("line_discount", true).value_or(0) + lf.opt_money("receipt_discount", true).value_or(0);
    l.total = lf.opt_money("total", true).value_or(0);
    if (!lf.has("total")) l.total = lf.money("gross", true) - l.discount;
    l.discount_reason = lf.opt_text("discount_reason", 200).value_or("");
    l.tax_rate_bp = lf.opt_integer("tax_rate_bp", 0, 100'000);
    l.tax = lf.opt_money("tax", true).value_or(0);
    return l;
  });
  doc.taxes = taxes_by_rate(doc.lines);
  return doc;
}

ReceiptDoc receipt_from_return_json(const boost::json::object& ret, const std::string& sale_receipt_number) {
  json::Fields f{ret, ""};
  ReceiptDoc doc;
  doc.refund = true;
  doc.receipt_number = f.text("id", 64);
  if (!sale_receipt_number.empty()) doc.header_lines.push_back("Refund of receipt " + sale_receipt_number);
  doc.total = f.money("refund_total", true);
  doc.subtotal = doc.total;
  doc.tax_total = f.opt_money("tax_total", true).value_or(0);
  if (auto mode = f.opt_text("tax_mode", 20)) doc.tax_inclusive = *mode != "exclusive";
  read_common(f, doc, [](const json::Fields& lf) {
    ReceiptLine l;
    l.quantity = lf.quantity("quantity");
    l.total = lf.money("refund", true);
    l.unit_price = l.quantity.milli > 0 ? l.total * Quantity::scale / l.quantity.milli : l.total;
    l.tax = lf.opt_money("tax", true).value_or(0);
    l.tax_rate_bp = lf.opt_integer("tax_rate_bp", 0, 100'000);
    return l;
  });
  doc.taxes = taxes_by_rate(doc.lines);
  return doc;
}

}  // namespace backroom::labels
