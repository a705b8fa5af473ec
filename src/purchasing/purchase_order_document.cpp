#include "purchasing/purchase_order_document.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "platform/csv.hpp"
#include "platform/json.hpp"
#include "platform/money.hpp"

namespace backroom::purchasing {

namespace bj = boost::json;

namespace {

std::string text_of(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  if (it->value().is_string()) return std::string(it->value().get_string());
  if (it->value().is_int64()) return std::to_string(it->value().get_int64());
  if (it->value().is_null()) return "";
  if (auto q = json::as_quantity(it->value())) return format_quantity(*q);
  return bj::serialize(it->value());
}

std::int64_t int_of(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_int64() ? it->value().get_int64() : 0;
}

const bj::array& lines_of(const OrderSheet& s) { return s.order.at("lines").as_array(); }

}  // namespace

std::string render_order_csv(const OrderSheet& s) {
  using platform::csv_export_safe;
  using platform::csv_line;
  std::string out = csv_line({"order", "supplier", "supplier_sku", "sku", "name", "cases", "case_pack", "quantity",
                              "unit_cost", "line_total", "expected_on"});
  std::string number = text_of(s.order, "number");
  std::string supplier = text_of(s.order.at("supplier").as_object(), "name");
  std::string expected = text_of(s.order, "expected_on");
  for (const auto& v : lines_of(s)) {
    const auto& l = v.as_object();
    out += csv_line({number, csv_export_safe(supplier), csv_export_safe(text_of(l, "supplier_sku")),
                     csv_export_safe(text_of(l, "sku")), csv_export_safe(text_of(l, "name")), text_of(l, "cases"),
                     text_of(l, "case_pack"), text_of(l, "quantity"),
                     format_money(int_of(l, "unit_cost"), s.currency_decimals),
                     format_money(int_of(l, "total"), s.currency_decimals), expected});
  }
  out += csv_line({number, csv_export_safe(supplier), "", "", "total", "", "", "", "",
                   format_money(int_of(s.order, "total"), s.currency_decimals), expected});
  return out;
}

namespace {

constexpr double page_width_pt = 595.28;   // A4
constexpr double page_height_pt = 841.89;
constexpr double margin_pt = 48;
constexpr double row_pt = 15;

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

// Text that fits `width`: cut with an ellipsis when longer.
std::string fit(cairo_t* cr, std::string text, double width) {
  cairo_text_extents_t ext;
  cairo_text_extents(cr, text.c_str(), &ext);
  if (ext.x_advance <= width) return text;
  while (!text.empty()) {
    // Drop whole UTF-8 characters.
    do text.pop_back();
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80);
    std::string candidate = text + "...";
    cairo_text_extents(cr, candidate.c_str(), &ext);
    if (ext.x_advance <= width) return candidate;
  }
  return "";
}

void show(cairo_t* cr, double x, double y, const std::string& text, double width, bool right = false) {
  auto t = fit(cr, text, width);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, t.c_str(), &ext);
  cairo_move_to(cr, right ? x + width - ext.x_advance : x, y);
  cairo_show_text(cr, t.c_str());
}

}  // namespace

std::string render_order_pdf(const OrderSheet& s) {
  std::string out;
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_pdf_surface_create_for_stream(append_to_string, &out, page_width_pt, page_height_pt));
  std::unique_ptr<cairo_t, ContextDeleter> context(cairo_create(surface.get()));
  cairo_t* cr = context.get();
  cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  const auto& supplier = s.order.at("supplier").as_object();
  std::string number = text_of(s.order, "number");
  // Columns: supplier SKU, name, cases x pack, quantity, unit cost, total.
  const double widths[] = {80, 180, 70, 50, 55, 64};
  auto header = [&](int page) {
    double y = margin_pt + 10;
    cairo_set_font_size(cr, 16);
    show(cr, margin_pt, y, "Purchase order " + number, 330);
    cairo_set_font_size(cr, 9);
    show(cr, page_width_pt - margin_pt - 150, y, fmt::format("page {}", page), 150, true);
    y += 22;
    cairo_set_font_size(cr, 10);
    show(cr, margin_pt, y, s.shop_name, 240);
    show(cr, margin_pt + 260, y, "To: " + text_of(supplier, "name"), 240);
    y += 13;
    show(cr, margin_pt, y, s.shop_address, 240);
    show(cr, margin_pt + 260, y, s.supplier_email, 240);
    y += 13;
    if (!s.shop_tax_number.empty()) show(cr, margin_pt, y, "Tax number: " + s.shop_tax_number, 240);
    show(cr, margin_pt + 260, y, s.supplier_phone, 240);
    y += 13;
    show(cr, margin_pt, y, "Deliver to: " + text_of(s.order.at("location").as_object(), "name"), 240);
    std::string expected = text_of(s.order, "expected_on");
    show(cr, margin_pt + 260, y, "Expected: " + (expected.empty() ? std::string("-") : expected), 240);
    y += 13;
    std::string sent = text_of(s.order, "sent_at");
    show(cr, margin_pt, y, "Status: " + text_of(s.order, "status") + (sent.empty() ? "" : ", sent " + sent.substr(0, 10)),
         240);
    y += 24;
    cairo_set_font_size(cr, 9);
    const char* titles[] = {"Supplier SKU", "Item", "Cases", "Qty", "Unit cost", "Total"};
    double x = margin_pt;
    for (int c = 0; c < 6; ++c) {
      show(cr, x, y, titles[c], widths[c] - 4, c >= 2);
      x += widths[c];
    }
    cairo_move_to(cr, margin_pt, y + 4);
    cairo_line_to(cr, page_width_pt - margin_pt, y + 4);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
    return y + row_pt;
  };
  int page = 1;
  double y = header(page);
  for (const auto& v : lines_of(s)) {
    if (y > page_height_pt - margin_pt - 3 * row_pt) {
      cairo_show_page(cr);
      y = header(++page);
    }
    const auto& l = v.as_object();
    std::string sku = text_of(l, "supplier_sku");
    std::string cells[] = {sku.empty() ? text_of(l, "sku") : sku,
                           text_of(l, "name"),
                           fmt::format("{} x {}", text_of(l, "cases"), text_of(l, "case_pack")),
                           text_of(l, "quantity"),
                           format_money(int_of(l, "unit_cost"), s.currency_decimals),
                           format_money(int_of(l, "total"), s.currency_decimals)};
    double x = margin_pt;
    for (int c = 0; c < 6; ++c) {
      show(cr, x, y, cells[c], widths[c] - 4, c >= 2);
      x += widths[c];
    }
    y += row_pt;
  }
  y += 6;
  cairo_set_font_size(cr, 11);
  show(cr, margin_pt, y, "Total " + text_of(s.order, "currency"), 200);
  show(cr, page_width_pt - margin_pt - 150, y, format_money(int_of(s.order, "total"), s.currency_decimals), 146, true);
  std::string note = text_of(s.order, "note");
  if (!note.empty()) {
    y += 20;
    cairo_set_font_size(cr, 9);
    show(cr, margin_pt, y, note, page_width_pt - 2 * margin_pt);
  }
  cairo_show_page(cr);
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("cairo: ") + cairo_status_to_string(cairo_status(cr)));
  context.reset();
  cairo_surface_finish(surface.get());
  return out;
}

}  // namespace backroom::purchasing
