#include "labels/render.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fmt/format.h>
#include <zint.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

#include "labels/zpl.hpp"
#include "platform/problem.hpp"

namespace backroom::labels {

std::optional<Format> parse_format(std::string_view name) {
  for (auto f : {Format::pdf, Format::svg, Format::png, Format::zpl})
    if (format_name(f) == name) return f;
  return std::nullopt;
}

std::string_view format_name(Format f) {
  switch (f) {
    case Format::pdf: return "pdf";
    case Format::svg: return "svg";
    case Format::png: return "png";
    case Format::zpl: return "zpl";
  }
  return "pdf";
}

std::string_view content_type(Format f) {
  switch (f) {
    case Format::pdf: return "application/pdf";
    case Format::svg: return "image/svg+xml";
    case Format::png: return "image/png";
    case Format::zpl: return "application/vnd.zebra-zpl";  // x-zpl in some drivers; text either way
  }
  return "application/octet-stream";
}

namespace {

constexpr double points_per_mm = 72.0 / 25.4;
constexpr const char* font_family = "DejaVu Sans";
// zint's vector output: one module is this many units at scale 1.
constexpr double units_per_module = 2.0;
// Bars no taller than bar_height_max_mm (symbology.hpp): taller labels get whitespace, not bars.
constexpr double bar_height_mm_min = 5.0;

struct ZintDeleter {
  void operator()(zint_symbol* s) const { ZBarcode_Delete(s); }
};
using Symbol = std::unique_ptr<zint_symbol, ZintDeleter>;

struct CairoDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Encodes the spec; `height_modules` is the bar height in X-dimensions (1D symbols).
Symbol encode(const BarcodeSpec& spec, bool human_readable, double height_modules) {
  Symbol s(ZBarcode_Create());
  if (!s) throw std::runtime_error("zint: out of memory");
  std::string data = spec.data;
  switch (spec.symbology) {
    case Symbology::ean13:
    case Symbology::ean8: s->symbology = BARCODE_EANX_CHK; break;
    case Symbology::upca: s->symbology = BARCODE_UPCA_CHK; break;
    case Symbology::code128: s->symbology = BARCODE_CODE128; break;
    case Symbology::gs1_128:
      s->symbology = BARCODE_GS1_128;
      data = "[01]" + spec.data;
      break;
    case Symbology::qr:
      s->symbology = BARCODE_QRCODE;
      s->option_1 = 2;  // error correction level M
      break;
  }
  s->output_options |= BARCODE_QUIET_ZONES;
  s->show_hrt = human_readable ? 1 : 0;
  s->scale = 1;
  if (spec.symbology != Symbology::qr) s->height = static_cast<float>(height_modules);
  int rc = ZBarcode_Encode(s.get(), reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  if (rc >= ZINT_ERROR)
    throw Problem(422, "invalid_barcode",
                  fmt::format("{} cannot encode '{}': {}", symbology_name(spec.symbology), spec.data.substr(0, 64),
                              s->errtxt),
                  "barcode");
  rc = ZBarcode_Buffer_Vector(s.get(), 0);
  if (rc >= ZINT_ERROR) throw std::runtime_error(std::string("zint vector: ") + s->errtxt);
  return s;
}

void fill_rect(cairo_t* cr, double x, double y, double w, double h, double grey) {
  cairo_set_source_rgb(cr, grey, grey, grey);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
}

// Draws the symbol in `box` (mm, cairo already in mm): the largest module up to nominal
// that fits, never below the symbology's minimum.
void draw_barcode(cairo_t* cr, const BarcodeBox& box) {
  const auto& spec = box.spec;
  Symbol probe = encode(spec, box.human_readable, 50);
  double width_modules = probe->vector->width / units_per_module;
  double module = module_nominal_mm(spec.symbology);
  Symbol symbol;
  if (spec.symbology == Symbology::qr) {
    module = std::min({box.width_mm / width_modules, box.height_mm / width_modules, 1.0});
    if (module < module_min_mm(spec.symbology))
      throw Problem(422, "label_too_small",
                    fmt::format("the QR code needs {:.1f} mm and the label has {:.1f} mm", width_modules * module_min_mm(spec.symbology),
                                std::min(box.width_mm, box.height_mm)),
                    "template");
    symbol = std::move(probe);
  } else {
    module = std::min(module, box.width_mm / width_modules);
    if (module < module_min_mm(spec.symbology))
      throw Problem(422, "label_too_small",
                    fmt::format("{} {} needs {:.1f} mm with its quiet zones at the smallest module ({:.3f} mm); the "
                                "label has {:.1f} mm",
                                symbology_name(spec.symbology), spec.scanned(), width_modules * module_min_mm(spec.symbology),
                                module_min_mm(spec.symbology), box.width_mm),
                    "template");
    double extra_modules = probe->vector->height / units_per_module - 50;  // text and guard bars below the bars
    double bar_mm = std::min(box.height_mm - extra_modules * module, bar_height_max_mm(spec.symbology));
    if (bar_mm < bar_height_mm_min)
      throw Problem(422, "label_too_small",
                    fmt::format("the label leaves {:.1f} mm for the bars of {}; at least {:.0f} mm are needed", bar_mm,
                                spec.scanned(), bar_height_mm_min),
                    "template");
    symbol = encode(spec, box.human_readable, bar_mm / module);
  }
  const auto* v = symbol->vector;
  double unit = module / units_per_module;
  double drawn_w = v->width * unit;
  cairo_save(cr);
  cairo_translate(cr, box.x_mm + (box.width_mm - drawn_w) / 2, box.y_mm);
  fill_rect(cr, 0, 0, drawn_w, v->height * unit, 1.0);  // quiet zones stay white on any background
  cairo_scale(cr, unit, unit);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (auto* r = v->rectangles; r; r = r->next) {
    if (r->colour == 8) continue;  // white
    cairo_rectangle(cr, r->x, r->y, r->width, r->height);
  }
  cairo_fill(cr);
  cairo_select_font_face(cr, font_family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  for (auto* s = v->strings; s; s = s->next) {
    cairo_set_font_size(cr, s->fsize);
    const char* text = reinterpret_cast<const char*>(s->text);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text, &ext);
    double advance = ext.x_advance;
    if (s->width > 0 && advance > s->width) {
      cairo_set_font_size(cr, s->fsize * s->width / advance);
      cairo_text_extents(cr, text, &ext);
      advance = ext.x_advance;
    }
    double x = s->halign == 1 ? s->x : s->halign == 2 ? s->x - advance : s->x - advance / 2;
    cairo_move_to(cr, x, s->y);
    cairo_show_text(cr, text);
  }
  cairo_restore(cr);
}

void draw_text(cairo_t* cr, const TextBox& t) {
  if (t.text.empty()) return;
  cairo_select_font_face(cr, font_family, CAIRO_FONT_SLANT_NORMAL, t.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  double size = t.size_mm;
  cairo_set_font_size(cr, size);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, t.text.c_str(), &ext);
  if (ext.x_advance > t.width_mm && ext.x_advance > 0) {
    size *= t.width_mm / ext.x_advance;
    cairo_set_font_size(cr, size);
    cairo_text_extents(cr, t.text.c_str(), &ext);
  }
  double x = t.align == Align::left    ? t.x_mm
             : t.align == Align::right ? t.x_mm + t.width_mm - ext.x_advance
                                       : t.x_mm + (t.width_mm - ext.x_advance) / 2;
  // Baseline so that the text's full height (ascent + descent, about 1.0 em here) sits in the box.
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_move_to(cr, x, t.y_mm + t.size_mm * 0.78);
  cairo_show_text(cr, t.text.c_str());
}

void draw_label(cairo_t* cr, const LabelLayout& label, double x_mm, double y_mm) {
  cairo_save(cr);
  cairo_translate(cr, x_mm, y_mm);
  for (const auto& t : label.texts) draw_text(cr, t);
  draw_barcode(cr, label.barcode);
  cairo_restore(cr);
}

struct Surface {
  std::unique_ptr<cairo_surface_t, CairoDeleter> surface;
  double scale = points_per_mm;  // device units per mm
};

Surface make_surface(Format format, double width_mm, double height_mm, int dpi, std::string& out) {
  Surface s;
  switch (format) {
    case Format::pdf:
      s.surface.reset(cairo_pdf_surface_create_for_stream(append_to_string, &out, width_mm * points_per_mm,
                                                          height_mm * points_per_mm));
      break;
    case Format::svg: {
      // User units are mm and width/height say "mm", so converters know the physical size.
      auto* svg = cairo_svg_surface_create_for_stream(append_to_string, &out, width_mm, height_mm);
      cairo_svg_surface_set_document_unit(svg, CAIRO_SVG_UNIT_MM);
      s.surface.reset(svg);
      s.scale = 1.0;
      break;
    }
    case Format::png: {
      s.scale = dpi / 25.4;
      int w = static_cast<int>(std::lround(width_mm * s.scale)), h = static_cast<int>(std::lround(height_mm * s.scale));
      s.surface.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h));
      break;
    }
    case Format::zpl: break;
  }
  if (!s.surface || cairo_surface_status(s.surface.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cairo: cannot create the surface");
  return s;
}

void start_page(cairo_t* cr, double w_mm, double h_mm) {
  cairo_save(cr);
  fill_rect(cr, 0, 0, w_mm, h_mm, 1.0);
  cairo_restore(cr);
}

void finish(cairo_t* cr, Surface& s, Format format, std::string& out) {
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("cairo: ") + cairo_status_to_string(cairo_status(cr)));
  if (format == Format::png) {
    cairo_surface_flush(s.surface.get());
    cairo_surface_write_to_png_stream(s.surface.get(), append_to_string, &out);
  } else {
    cairo_surface_finish(s.surface.get());
  }
}

}  // namespace

std::string render_labels(const std::vector<LabelLayout>& labels, Format format, const RenderOptions& options) {
  const Template& t = options.sheet;
  check_calibration(options.calibration);
  if (labels.empty()) throw Problem(422, "nothing_to_print", "there are no labels to print");
  if (labels.size() > labels_per_job_max)
    throw Problem(422, "too_many_labels", fmt::format("one job prints at most {} labels", labels_per_job_max));
  if (format == Format::zpl) return render_zpl(labels, options.dpi == 0 ? 203 : options.dpi, options.calibration);
  int dpi = options.dpi == 0 ? png_dpi_default : options.dpi;
  if (format == Format::png && (dpi < 72 || dpi > 600)) throw invalid_field("dpi", "dpi must be 72..600 for PNG");
  std::size_t pages = page_count(t, labels.size());
  if ((format == Format::svg || format == Format::png) && pages > 1)
    throw Problem(422, "single_page_format",
                  fmt::format("{} holds one page and these {} labels need {} pages of {}: use pdf", format_name(format),
                              labels.size(), pages, t.name),
                  "format");
  std::string out;
  Surface s = make_surface(format, t.page_width_mm, t.page_height_mm, dpi, out);
  std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(s.surface.get()));
  cairo_scale(cr.get(), s.scale, s.scale);
  int page = -1;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    Slot slot = slot_position(t, i, options.calibration);
    if (slot.page != page) {
      if (page >= 0) cairo_show_page(cr.get());
      page = slot.page;
      start_page(cr.get(), t.page_width_mm, t.page_height_mm);
    }
    draw_label(cr.get(), labels[i], slot.x_mm, slot.y_mm);
  }
  finish(cr.get(), s, format, out);
  cr.reset();
  s.surface.reset();
  return out;
}

std::string render_calibration_sheet(const Template& t, const Calibration& calibration) {
  check_calibration(calibration);
  std::string out;
  Surface s = make_surface(Format::pdf, t.page_width_mm, t.page_height_mm, 0, out);
  std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(s.surface.get()));
  cairo_t* c = cr.get();
  cairo_scale(c, s.scale, s.scale);
  cairo_set_line_width(c, 0.2);
  cairo_select_font_face(c, font_family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(c, 2.5);
  for (int i = 0; i < t.per_page(); ++i) {
    Slot slot = slot_position(t, static_cast<std::size_t>(i), calibration);
    cairo_set_source_rgb(c, 0.5, 0.5, 0.5);
    cairo_rectangle(c, slot.x_mm, slot.y_mm, t.label_width_mm, t.label_height_mm);
    cairo_stroke(c);
    cairo_set_source_rgb(c, 0, 0, 0);
    for (auto [cx, cy] : {std::pair{slot.x_mm + 3, slot.y_mm + 3},
                          std::pair{slot.x_mm + t.label_width_mm - 3, slot.y_mm + t.label_height_mm - 3}}) {
      cairo_move_to(c, cx - 2, cy);
      cairo_line_to(c, cx + 2, cy);
      cairo_move_to(c, cx, cy - 2);
      cairo_line_to(c, cx, cy + 2);
      cairo_stroke(c);
    }
    cairo_move_to(c, slot.x_mm + 6, slot.y_mm + 6);
    cairo_show_text(c, fmt::format("{} · crosses 3 mm in from the corners", i + 1).c_str());
  }
  double y = std::min(t.page_height_mm - 8, t.margin_top_mm + t.pitch_y_mm * t.rows + 4);
  if (t.roll) y = t.page_height_mm / 2;
  double bar = std::min(100.0, t.page_width_mm - 20);
  cairo_move_to(c, 10, y);
  cairo_line_to(c, 10 + bar, y);
  cairo_stroke(c);
  cairo_move_to(c, 10, y - 1.5);
  cairo_show_text(c, fmt::format("{} — this line is {:.0f} mm; offsets in force x {:+.2f} mm, y {:+.2f} mm", t.name, bar,
                                 calibration.offset_x_mm, calibration.offset_y_mm)
                         .c_str());
  finish(c, s, Format::pdf, out);
  cr.reset();
  s.surface.reset();
  return out;
}

}  // namespace backroom::labels
