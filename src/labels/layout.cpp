#include "labels/layout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "platform/money.hpp"
#include "platform/problem.hpp"

namespace backroom::labels {

std::string_view kind_name(LabelKind k) {
  switch (k) {
    case LabelKind::shelf: return "shelf";
    case LabelKind::sticker: return "sticker";
    case LabelKind::case_label: return "case";
    case LabelKind::scale: return "scale";
  }
  return "shelf";
}

std::optional<LabelKind> parse_kind(std::string_view name) {
  for (auto k : {LabelKind::shelf, LabelKind::sticker, LabelKind::case_label, LabelKind::scale})
    if (kind_name(k) == name) return k;
  return std::nullopt;
}

// ---- templates -------------------------------------------------------------------------

namespace {

Template sheet(std::string name, std::string description, double pw, double ph, int cols, int rows, double w, double h,
               double left, double top, double px, double py, LabelKind kind) {
  return Template{std::move(name), std::move(description), false, pw, ph, cols, rows, w, h, left, top, px, py, kind};
}
Template roll(std::string name, std::string description, double w, double h, LabelKind kind) {
  return Template{std::move(name), std::move(description), true, w, h, 1, 1, w, h, 0, 0, w, h, kind};
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::optional<double> parse_mm(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// "AxB" of two numbers (mm or counts).
std::optional<std::pair<double, double>> parse_pair(std::string_view s, char sep) {
  auto at = s.find(sep);
  if (at == std::string_view::npos) return std::nullopt;
  auto a = parse_mm(s.substr(0, at));
  auto b = parse_mm(s.substr(at + 1));
  if (!a || !b) return std::nullopt;
  return std::pair{*a, *b};
}

Problem bad_grid(std::string detail) { return Problem(422, "invalid_template", std::move(detail), "template"); }

Template parse_grid(std::string_view spec) {
  auto parts = split(spec.substr(5), ':');
  if (parts.size() < 2)
    throw bad_grid("a custom grid is grid:COLSxROWS:WIDTHxHEIGHT[:page=a4|letter|WxH][:margin=LEFT,TOP][:pitch=X,Y]");
  auto grid = parse_pair(parts[0], 'x');
  if (!grid || grid->first < 1 || grid->first > 20 || grid->second < 1 || grid->second > 50 ||
      grid->first != std::floor(grid->first) || grid->second != std::floor(grid->second))
    throw bad_grid("grid columns x rows must be whole numbers, 1..20 x 1..50, e.g. 3x10");
  auto size = parse_pair(parts[1], 'x');
  if (!size || size->first < 10 || size->second < 10 || size->first > 300 || size->second > 300)
    throw bad_grid("label size must be WIDTHxHEIGHT in mm, each 10..300, e.g. 70x37");
  Template t;
  t.name = std::string(spec);
  t.description = "custom grid";
  t.columns = static_cast<int>(grid->first);
  t.rows = static_cast<int>(grid->second);
  t.label_width_mm = size->first;
  t.label_height_mm = size->second;
  t.page_width_mm = a4_width_mm;
  t.page_height_mm = a4_height_mm;
  t.pitch_x_mm = size->first;
  t.pitch_y_mm = size->second;
  std::optional<std::pair<double, double>> margin;
  for (std::size_t i = 2; i < parts.size(); ++i) {
    auto eq = parts[i].find('=');
    std::string_view key = parts[i].substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view{} : parts[i].substr(eq + 1);
    if (key == "page") {
      if (value == "a4") {
        t.page_width_mm = a4_width_mm, t.page_height_mm = a4_height_mm;
      } else if (value == "letter") {
        t.page_width_mm = letter_width_mm, t.page_height_mm = letter_height_mm;
      } else if (auto p = parse_pair(value, 'x'); p && p->first >= 10 && p->second >= 10 && p->first <= 1000 &&
                                                    p->second <= 1000) {
        t.page_width_mm = p->first, t.page_height_mm = p->second;
      } else {
        throw bad_grid("page must be a4, letter or WIDTHxHEIGHT in mm");
      }
    } else if (key == "margin") {
      margin = parse_pair(value, ',');
      if (!margin || margin->first < 0 || margin->second < 0) throw bad_grid("margin must be LEFT,TOP in mm, >= 0");
    } else if (key == "pitch") {
      auto p = parse_pair(value, ',');
      if (!p || p->first < size->first || p->second < size->second)
        throw bad_grid("pitch must be X,Y in mm, at least the label's width and height");
      t.pitch_x_mm = p->first, t.pitch_y_mm = p->second;
    } else {
      throw bad_grid(fmt::format("unknown grid option '{}': use page, margin or pitch", std::string(key).substr(0, 20)));
    }
  }
  double used_w = t.pitch_x_mm * (t.columns - 1) + t.label_width_mm;
  double used_h = t.pitch_y_mm * (t.rows - 1) + t.label_height_mm;
  if (margin) {
    t.margin_left_mm = margin->first, t.margin_top_mm = margin->second;
  } else {
    t.margin_left_mm = (t.page_width_mm - used_w) / 2, t.margin_top_mm = (t.page_height_mm - used_h) / 2;
  }
  constexpr double slack_mm = 0.05;
  if (t.margin_left_mm < -slack_mm || t.margin_top_mm < -slack_mm ||
      t.margin_left_mm + used_w > t.page_width_mm + slack_mm || t.margin_top_mm + used_h > t.page_height_mm + slack_mm)
    throw bad_grid(fmt::format("the grid ({:.1f} x {:.1f} mm with its margins) does not fit on the {:.1f} x {:.1f} mm page",
                               used_w, used_h, t.page_width_mm, t.page_height_mm));
  t.margin_left_mm = std::max(t.margin_left_mm, 0.0);
  t.margin_top_mm = std::max(t.margin_top_mm, 0.0);
  t.kind = t.label_height_mm >= 45 ? LabelKind::case_label : LabelKind::shelf;
  return t;
}

}  // namespace

const std::vector<Template>& builtin_templates() {
  static const std::vector<Template> list = {
      sheet("a4-3x8", "A4, 3 x 8 shelf labels 70 x 37 mm", a4_width_mm, a4_height_mm, 3, 8, 70, 37, 0, 0.5, 70, 37,
            LabelKind::shelf),
      sheet("a4-3x10", "A4, 3 x 10 address labels 70 x 29.7 mm", a4_width_mm, a4_height_mm, 3, 10, 70, 29.7, 0, 0, 70,
            29.7, LabelKind::sticker),
      sheet("a4-2x4", "A4, 2 x 4 labels 105 x 74 mm (cases)", a4_width_mm, a4_height_mm, 2, 4, 105, 74, 0, 0.5, 105,
            74, LabelKind::case_label),
      sheet("letter-3x10", "US Letter, 3 x 10 address labels 2 5/8 x 1 in (Avery 5160 layout)", letter_width_mm,
            letter_height_mm, 3, 10, 66.675, 25.4, 4.7625, 12.7, 69.85, 25.4, LabelKind::sticker),
      sheet("letter-2x5", "US Letter, 2 x 5 labels 4 x 2 in (Avery 5163 layout)", letter_width_mm, letter_height_mm, 2,
            5, 101.6, 50.8, 3.96875, 12.7, 106.3625, 50.8, LabelKind::shelf),
      roll("roll-58x40", "thermal roll, 58 x 40 mm (shelf or scale)", 58, 40, LabelKind::shelf),
      roll("roll-50x30", "thermal roll, 50 x 30 mm item stickers", 50, 30, LabelKind::sticker),
      roll("roll-100x50", "thermal roll, 100 x 50 mm case labels", 100, 50, LabelKind::case_label),
  };
  return list;
}

Template find_template(std::string_view spec) {
  if (spec.size() > template_spec_length_max)
    throw Problem(422, "invalid_template", "template is longer than 200 characters", "template");
  if (spec.starts_with("grid:")) return parse_grid(spec);
  for (const auto& t : builtin_templates())
    if (t.name == spec) return t;
  std::string names;
  for (const auto& t : builtin_templates()) names += (names.empty() ? "" : ", ") + t.name;
  throw Problem(422, "unknown_template",
                fmt::format("template '{}' does not exist: use one of {} or a custom grid:COLSxROWS:WxH",
                            std::string(spec).substr(0, 40), names),
                "template");
}

void check_calibration(const Calibration& c) {
  auto ok = [](double v) { return std::isfinite(v) && std::abs(v) <= calibration_offset_mm_max; };
  if (!ok(c.offset_x_mm)) throw invalid_field("offset_x_mm", "offset_x_mm must be within ±20 mm");
  if (!ok(c.offset_y_mm)) throw invalid_field("offset_y_mm", "offset_y_mm must be within ±20 mm");
}

Slot slot_position(const Template& t, std::size_t index, const Calibration& c) {
  auto per_page = static_cast<std::size_t>(t.per_page());
  auto on_page = index % per_page;
  Slot s;
  s.page = static_cast<int>(index / per_page);
  s.x_mm = t.margin_left_mm + static_cast<double>(on_page % static_cast<std::size_t>(t.columns)) * t.pitch_x_mm +
           c.offset_x_mm;
  s.y_mm = t.margin_top_mm + static_cast<double>(on_page / static_cast<std::size_t>(t.columns)) * t.pitch_y_mm +
           c.offset_y_mm;
  return s;
}

std::size_t page_count(const Template& t, std::size_t labels) {
  auto per_page = static_cast<std::size_t>(t.per_page());
  return (labels + per_page - 1) / per_page;
}

// ---- unit prices ----------------------------------------------------------------------

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<Measure> parse_measure(std::string_view text) {
  text = trim(text);
  std::size_t i = 0;
  std::int64_t whole = 0, fraction = 0, fraction_scale = 1;
  bool digits = false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > 1'000'000'000) return std::nullopt;
    whole = whole * 10 + (text[i++] - '0');
    digits = true;
  }
  if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (fraction_scale >= 1'000'000) return std::nullopt;
      fraction = fraction * 10 + (text[i++] - '0');
      fraction_scale *= 10;
      digits = true;
    }
  }
  if (!digits) return std::nullopt;
  std::string unit = lower(trim(text.substr(i)));
  struct U {
    std::string_view name;
    Measure::Base base;
    std::int64_t factor;
  };
  static constexpr U units[] = {{"g", Measure::Base::mass_g, 1},      {"kg", Measure::Base::mass_g, 1000},
                                {"ml", Measure::Base::volume_ml, 1},  {"cl", Measure::Base::volume_ml, 10},
                                {"l", Measure::Base::volume_ml, 1000}, {"m", Measure::Base::length_mm, 1000},
                                {"cm", Measure::Base::length_mm, 10}, {"mm", Measure::Base::length_mm, 1}};
  for (const auto& u : units) {
    if (unit != u.name) continue;
    std::int64_t scaled = (whole * fraction_scale + fraction) * u.factor;
    if (scaled % fraction_scale != 0) return std::nullopt;  // finer than the base unit
    std::int64_t amount = scaled / fraction_scale;
    if (amount <= 0) return std::nullopt;
    return Measure{u.base, amount};
  }
  return std::nullopt;
}

std::optional<Measure> item_measure(const catalog::Item& item) {
  using catalog::Unit;
  if (item.unit == Unit::g) return Measure{Measure::Base::mass_g, 1};
  if (item.unit == Unit::kg) return Measure{Measure::Base::mass_g, 1000};
  if (item.unit == Unit::ml) return Measure{Measure::Base::volume_ml, 1};
  if (item.unit == Unit::l) return Measure{Measure::Base::volume_ml, 1000};
  if (item.unit == Unit::m) return Measure{Measure::Base::length_mm, 1000};
  if (auto it = item.attributes.find("net_content"); it != item.attributes.end() && it->value().is_string())
    if (auto m = parse_measure(std::string_view(it->value().get_string()))) return m;
  // A trailing size in the name: "... 500 g" or "... 500g".
  std::string_view name = trim(item.name);
  auto last_space = name.rfind(' ');
  if (last_space == std::string_view::npos) return std::nullopt;
  if (auto m = parse_measure(name.substr(last_space + 1))) return m;
  auto before = name.substr(0, last_space);
  auto second_space = before.rfind(' ');
  if (second_space == std::string_view::npos) return std::nullopt;
  return parse_measure(name.substr(second_space + 1));
}

std::optional<UnitPrice> unit_price(std::int64_t price_minor, const Measure& measure, UnitPriceBasis basis) {
  if (measure.amount <= 0 || price_minor < 0 || price_minor > money_minor_max) return std::nullopt;
  std::int64_t per_amount = 1000;
  std::string per;
  switch (measure.base) {
    case Measure::Base::mass_g:
      per_amount = basis == UnitPriceBasis::per_hundred ? 100 : 1000;
      per = basis == UnitPriceBasis::per_hundred ? "100 g" : "kg";
      break;
    case Measure::Base::volume_ml:
      per_amount = basis == UnitPriceBasis::per_hundred ? 100 : 1000;
      per = basis == UnitPriceBasis::per_hundred ? "100 ml" : "l";
      break;
    case Measure::Base::length_mm:
      per_amount = 1000;
      per = "m";
      break;
  }
  // price * per / amount, half up: floor((2 * price * per + amount) / (2 * amount)).
  std::int64_t numerator = 2 * price_minor * per_amount + measure.amount;
  return UnitPrice{numerator / (2 * measure.amount), per};
}

std::optional<std::int64_t> weighed_price(std::int64_t price_minor, std::string_view unit, Quantity weight_kg,
                                          bool half_even) {
  std::int64_t grams = weight_kg.milli;
  std::int64_t per_grams = 0;
  if (unit == "kg") per_grams = 1000;
  else if (unit == "g") per_grams = 1;
  else return std::nullopt;
  if (grams <= 0 || price_minor < 0 || price_minor > money_minor_max || grams > 1'000'000'000) return std::nullopt;
  __int128 product = static_cast<__int128>(price_minor) * grams;
  __int128 quotient = product / per_grams, remainder = product % per_grams;
  if (2 * remainder > per_grams || (2 * remainder == per_grams && (!half_even || quotient % 2 == 1))) ++quotient;
  if (quotient > money_minor_max) return std::nullopt;
  return static_cast<std::int64_t>(quotient);
}

std::string format_price(std::int64_t minor, std::string_view currency, int decimals) {
  // The symbol goes between the sign and the amount: "-€2.50".
  const std::string sign = minor < 0 ? "-" : "";
  const std::string amount = format_money(minor, decimals).substr(sign.size());
  if (currency == "EUR") return sign + "\xE2\x82\xAC" + amount;
  if (currency == "USD") return sign + "$" + amount;
  if (currency == "GBP") return sign + "\xC2\xA3" + amount;
  return sign + amount + (currency.empty() ? "" : " " + std::string(currency));
}

// ---- what one label shows -------------------------------------------------------------

namespace {

// The unit barcode a shelf label or sticker carries: the first printable code of one unit.
std::optional<BarcodeSpec> unit_barcode(const catalog::Item& item) {
  for (const auto& b : item.barcodes)
    if (b.pack_quantity == Quantity::units(1))
      if (auto spec = barcode_for(b)) return spec;
  return std::nullopt;
}

std::string unit_label(std::string_view unit) { return std::string(unit); }

}  // namespace

LabelData label_for_item(const catalog::Item& item, const LabelRequest& request, const LabelContext& context) {
  LabelData d;
  d.kind = request.kind;
  d.item_id = item.id;
  d.name = item.name;
  d.sku = item.sku;
  d.date_text = context.date_text;
  auto price = [&](std::int64_t minor) { return format_price(minor, context.currency, context.currency_decimals); };

  if (item.price) {
    d.price_text = price(*item.price);
    if (item.unit != catalog::Unit::each) d.price_text += " / " + unit_label(word(item.unit));
    if (auto measure = item_measure(item)) {
      if (auto up = unit_price(*item.price, *measure, context.basis)) {
        bool same_as_price = up->per == word(item.unit) && (item.unit == catalog::Unit::kg ||
                                                            item.unit == catalog::Unit::l || item.unit == catalog::Unit::m);
        if (!same_as_price) d.unit_price_text = price(up->minor) + " / " + up->per;
      }
    }
  }

  switch (request.kind) {
    case LabelKind::shelf:
    case LabelKind::sticker: {
      auto spec = unit_barcode(item);
      // No unit barcode: the SKU in Code 128, so the shelf still has a scannable code.
      d.barcode = spec ? *spec : BarcodeSpec{Symbology::code128, item.sku};
      break;
    }
    case LabelKind::case_label: {
      std::optional<BarcodeSpec> spec;
      for (const auto& b : item.barcodes) {
        if (b.pack_quantity.milli <= Quantity::scale) continue;
        if ((spec = barcode_for(b))) {
          d.pack_text = "Case of " + format_quantity(b.pack_quantity);
          break;
        }
      }
      if (!spec)
        throw Problem(422, "no_case_barcode",
                      fmt::format("item {} has no case barcode (a barcode with pack_quantity > 1)", item.sku), "kind");
      d.barcode = *spec;
      break;
    }
    case LabelKind::scale: {
      if (!item.sold_by_weight || (item.unit != catalog::Unit::kg && item.unit != catalog::Unit::g))
        throw Problem(422, "not_weighed", fmt::format("item {} is not sold by weight: a scale label needs one", item.sku),
                      "kind");
      if (!request.weight) throw missing_field("weight");
      if (request.weight->milli <= 0 || request.weight->milli > 100'000'000)
        throw invalid_field("weight", "weight must be more than 0 and at most 100000 kg");
      if (!item.price) throw Problem(422, "no_price", fmt::format("item {} has no price to weigh", item.sku), "item_id");
      std::optional<std::string> code;
      for (const auto& b : item.barcodes) {
        if (b.kind != "embedded") continue;
        auto scan = catalog::classify_code(b.code, context.layouts);
        if (scan.kind != catalog::ScanCode::Kind::embedded || !scan.layout) continue;
        const auto& layout = *scan.layout;
        std::string item_code = scan.key.substr(2 + layout.prefix.size());
        auto total = weighed_price(*item.price, word(item.unit), *request.weight, context.half_even);
        if (!total) throw invalid_field("weight", "the weighed price does not fit");
        std::int64_t value = 0;
        auto rescale = [](std::int64_t v, int from_decimals, int to_decimals) {
          for (; from_decimals < to_decimals; ++from_decimals) v *= 10;
          for (; from_decimals > to_decimals; --from_decimals) v = (v + 5) / 10;
          return v;
        };
        if (layout.value == catalog::EmbeddedValue::weight)
          value = rescale(request.weight->milli, 3, layout.decimals);
        else
          value = rescale(*total, context.currency_decimals, layout.decimals);
        code = catalog::make_embedded_barcode(layout, item_code, value);
        if (!code)
          throw invalid_field("weight", fmt::format("{} does not fit the {} digits of the scale barcode",
                                                    layout.value == catalog::EmbeddedValue::weight ? "the weight"
                                                                                                   : "the price",
                                                    layout.value_digits));
        d.price_text = price(*total);
        d.unit_price_text = price(*item.price) + " / " + std::string(word(item.unit));
        d.weight_text = format_quantity(*request.weight) + " kg";
        break;
      }
      if (!code)
        throw Problem(422, "no_scale_barcode",
                      fmt::format("item {} has no price- or weight-embedded barcode under the shop's layouts", item.sku),
                      "kind");
      d.barcode = BarcodeSpec{Symbology::ean13, *code};
      break;
    }
  }

  if (request.symbology && *request.symbology != d.barcode.symbology) {
    if (*request.symbology != Symbology::qr)
      throw Problem(422, "invalid_symbology",
                    fmt::format("item {}'s code prints as {}; only qr may be asked for instead", item.sku,
                                symbology_name(d.barcode.symbology)),
                    "symbology");
    d.barcode = as_qr(d.barcode);
  }
  return d;
}

// ---- boxes on a label -----------------------------------------------------------------

LabelLayout layout_label(const LabelData& data, double w, double h) {
  LabelLayout out;
  out.width_mm = w;
  out.height_mm = h;
  const double pad = std::clamp(std::min(w, h) * 0.055, 1.2, 3.0);
  const double inner_w = w - 2 * pad;
  const double name_size = std::clamp(h * 0.1, 2.2, 5.0);
  const double small = std::clamp(h * 0.065, 1.8, 3.0);
  out.texts.push_back(TextBox{pad, pad, inner_w, name_size, true, Align::left, data.name});
  double top = pad + name_size + 0.8;

  std::string footer;
  switch (data.kind) {
    case LabelKind::shelf: footer = data.sku + (data.date_text.empty() ? "" : "  " + data.date_text); break;
    case LabelKind::sticker: footer = data.sku; break;
    case LabelKind::case_label: footer = data.sku + "  " + data.pack_text; break;
    case LabelKind::scale: footer = data.date_text.empty() ? data.sku : "packed " + data.date_text; break;
  }
  double bottom = h - pad;
  out.texts.push_back(TextBox{pad, bottom - small, inner_w, small, false, Align::left, footer});
  bottom -= small + 0.6;

  BarcodeBox& bar = out.barcode;
  bar.spec = data.barcode;
  if (data.kind == LabelKind::case_label) {
    // Case: the barcode across the whole width under the name and SKU line.
    bar = BarcodeBox{pad, top, inner_w, bottom - top, data.barcode, true};
    return out;
  }

  const double body_h = bottom - top;
  const double bar_column_w = std::max(w * 0.58 - pad, inner_w * 0.5);
  // Side by side only when the symbol fits beside the price at its nominal size.
  const double symbol_w = data.barcode.symbology == Symbology::qr
                              ? body_h
                              : symbol_modules(data.barcode).total() * module_nominal_mm(data.barcode.symbology);
  const bool landscape = w >= h * 1.3 && symbol_w <= bar_column_w;
  if (landscape) {
    const double bar_w = bar_column_w;
    bar = BarcodeBox{pad, top, bar_w, body_h, data.barcode, true};
    const double col_x = pad + bar_w + 1.0;
    const double col_w = w - pad - col_x;
    const double price_size = std::clamp(body_h * 0.34, 3.0, 12.0);
    double y = top + body_h * 0.08;
    if (!data.weight_text.empty()) {
      out.texts.push_back(TextBox{col_x, y, col_w, small, false, Align::right, data.weight_text});
      y += small + 0.8;
    }
    if (!data.price_text.empty()) {
      out.texts.push_back(TextBox{col_x, y, col_w, price_size, true, Align::right, data.price_text});
      y += price_size + 0.8;
    }
    if (!data.unit_price_text.empty())
      out.texts.push_back(TextBox{col_x, y, col_w, small, false, Align::right, data.unit_price_text});
    return out;
  }
  // Portrait or square: price row under the name, barcode below across the width.
  const double price_size = std::clamp(h * 0.12, 3.0, 10.0);
  if (!data.price_text.empty())
    out.texts.push_back(TextBox{pad, top, inner_w, price_size, true, Align::right, data.price_text});
  std::string detail = data.weight_text.empty() ? data.unit_price_text
                                                : data.weight_text + (data.unit_price_text.empty() ? "" : "  " + data.unit_price_text);
  if (!detail.empty()) out.texts.push_back(TextBox{pad, top + price_size - small, inner_w * 0.5, small, false, Align::left, detail});
  top += price_size + 0.8;
  bar = BarcodeBox{pad, top, inner_w, bottom - top, data.barcode, true};
  return out;
}

}  // namespace backroom::labels
