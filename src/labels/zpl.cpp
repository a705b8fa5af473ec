#include "labels/zpl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "platform/problem.hpp"

namespace backroom::labels {

namespace {

struct Dots {
  int dpi;
  int operator()(double mm) const { return std::max(0, static_cast<int>(std::lround(mm * dpi / 25.4))); }
};

// ^FH\ escapes: the three characters ZPL reads as commands, written as hex.
std::string escape_field(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '^') out += "\\5E";
    else if (c == '~') out += "\\7E";
    else if (c == '\\') out += "\\5C";
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  return out;
}

// Cuts text to what fits `width` dots in font 0 at `height` dots (about 0.55 em a character).
std::string fit_text(const std::string& text, int width, int height) {
  std::size_t max_chars = static_cast<std::size_t>(std::max(1.0, width / (0.55 * height)));
  std::size_t chars = 0, i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (chars == max_chars) return text.substr(0, i);
    i += len;
    ++chars;
  }
  return text;
}

}  // namespace

std::string zpl_barcode_data(const BarcodeSpec& spec) {
  switch (spec.symbology) {
    case Symbology::ean13:
    case Symbology::upca:
    case Symbology::ean8: return spec.data.substr(0, spec.data.size() - 1);
    case Symbology::code128: {
      // In ^BC '>' starts an invocation code; a literal '>' is "><".
      std::string out;
      for (char c : spec.data) out += c == '>' ? std::string("><") : std::string(1, c);
      return escape_field(out);
    }
    case Symbology::gs1_128: return "(01)" + spec.data;
    case Symbology::qr: return "MA," + escape_field(spec.data);
  }
  return spec.data;
}

std::string render_zpl(const std::vector<LabelLayout>& labels, int dpi, const Calibration& calibration) {
  if (dpi != 203 && dpi != 300) throw invalid_field("dpi", "dpi must be 203 or 300 for ZPL");
  Dots dots{dpi};
  auto at_x = [&](double mm) { return dots(mm + calibration.offset_x_mm); };
  auto at_y = [&](double mm) { return dots(mm + calibration.offset_y_mm); };
  std::string out;
  for (const auto& label : labels) {
    out += "^XA\n^CI28\n";
    out += fmt::format("^PW{}\n^LL{}\n^LH0,0\n", dots(label.width_mm), dots(label.height_mm));
    for (const auto& t : label.texts) {
      if (t.text.empty()) continue;
      int w = std::max(1, dots(t.width_mm));
      int h = std::max(10, dots(t.size_mm));
      // Shrink a long text to the box (as cairo does); cut it only below the smallest font.
      int chars = static_cast<int>(std::count_if(t.text.begin(), t.text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
      if (chars > 0 && chars * 0.55 * h > w) h = std::max(10, static_cast<int>(w / (chars * 0.55)));
      char justify = t.align == Align::left ? 'L' : t.align == Align::right ? 'R' : 'C';
      out += fmt::format("^FO{},{}^A0N,{},{}^FB{},1,0,{}^FH\\^FD{}^FS\n", at_x(t.x_mm), at_y(t.y_mm), h, h, w, justify,
                         escape_field(fit_text(t.text, w, h)));
    }
    const auto& b = label.barcode;
    auto modules = symbol_modules(b.spec);
    int box_w = dots(b.width_mm), box_h = dots(b.height_mm);
    int nominal = std::max(2, static_cast<int>(std::lround(module_nominal_mm(b.spec.symbology) * dpi / 25.4)));
    if (b.spec.symbology == Symbology::qr) {
      int side = std::min(box_w, box_h);
      int magnification = std::clamp(side / modules.total(), 1, 10);
      if (magnification * 25.4 / dpi < module_min_mm(Symbology::qr) && side / modules.total() < 2)
        throw Problem(422, "label_too_small", "the QR code does not fit this label", "template");
      int x = at_x(b.x_mm) + (box_w - magnification * modules.total()) / 2 + magnification * modules.quiet_left;
      out += fmt::format("^FO{},{}^BQN,2,{}^FH\\^FD{}^FS\n", x, at_y(b.y_mm), magnification, zpl_barcode_data(b.spec));
    } else {
      int module = std::min(nominal, box_w / modules.total());
      if (module < 2)
        throw Problem(422, "label_too_small",
                      fmt::format("{} {} does not fit a {:.0f} mm wide barcode area at {} dpi",
                                  symbology_name(b.spec.symbology), b.spec.scanned(), b.width_mm, dpi),
                      "template");
      int text_h = b.human_readable ? dots(3.0) : 0;
      int bar_h = std::max(dots(5.0), std::min(box_h - text_h, dots(bar_height_max_mm(b.spec.symbology))));
      int x = at_x(b.x_mm) + (box_w - module * modules.total()) / 2 + module * modules.quiet_left;
      char hrt = b.human_readable ? 'Y' : 'N';
      std::string command;
      switch (b.spec.symbology) {
        case Symbology::ean13: command = fmt::format("^BEN,{},{},N", bar_h, hrt); break;
        case Symbology::upca: command = fmt::format("^BUN,{},{},N,Y", bar_h, hrt); break;
        case Symbology::ean8: command = fmt::format("^B8N,{},{},N", bar_h, hrt); break;
        case Symbology::code128: command = fmt::format("^BCN,{},{},N,N,A", bar_h, hrt); break;
        case Symbology::gs1_128: command = fmt::format("^BCN,{},{},N,N,D", bar_h, hrt); break;
        case Symbology::qr: break;
      }
      out += fmt::format("^FO{},{}^BY{}{}^FH\\^FD{}^FS\n", x, at_y(b.y_mm), module, command, zpl_barcode_data(b.spec));
    }
    out += "^PQ1\n^XZ\n";
  }
  return out;
}

}  // namespace backroom::labels
