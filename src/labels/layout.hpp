// Label layout in millimetres, before any drawing: the label kinds and what each shows,
// sheet and roll templates (A4, US Letter, custom grids) with printer offset calibration,
// unit prices (per kg / l / 100 g) and scale-label values. The drawing back ends (cairo in
// render.cpp, ZPL in zpl.cpp) place exactly these boxes. Pure: values in, values out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/barcode.hpp"
#include "catalog/item.hpp"
#include "labels/symbology.hpp"
#include "platform/types.hpp"

namespace backroom::labels {

inline constexpr std::size_t labels_per_job_max = 2000;
inline constexpr int copies_max = 100;
inline constexpr double calibration_offset_mm_max = 20.0;
inline constexpr std::size_t template_spec_length_max = 200;

enum class LabelKind { shelf, sticker, case_label, scale };
std::string_view kind_name(LabelKind k);  // "shelf", "sticker", "case", "scale"
std::optional<LabelKind> parse_kind(std::string_view name);

// ---- templates -------------------------------------------------------------------------

// A sheet of pre-cut labels (A4, US Letter) or a roll of single labels (thermal printers).
// Label i sits at column i % columns, row (i / columns) % rows of page i / per_page.
struct Template {
  std::string name;
  std::string description;
  bool roll = false;           // one label per page, page = label
  double page_width_mm = 0;
  double page_height_mm = 0;
  int columns = 1;
  int rows = 1;
  double label_width_mm = 0;
  double label_height_mm = 0;
  double margin_left_mm = 0;   // page edge to the first label's left edge
  double margin_top_mm = 0;
  double pitch_x_mm = 0;       // left edge to left edge of neighbouring labels
  double pitch_y_mm = 0;
  LabelKind kind = LabelKind::shelf;  // what it is made for (a default, not a limit)

  int per_page() const { return columns * rows; }
};

inline constexpr double a4_width_mm = 210.0, a4_height_mm = 297.0;
inline constexpr double letter_width_mm = 215.9, letter_height_mm = 279.4;

const std::vector<Template>& builtin_templates();
inline constexpr std::string_view default_template_name = "a4-3x8";

// A built-in name, or a custom grid:
//   "grid:COLSxROWS,WIDTHxHEIGHT[,page=a4|letter|PWxPH][,margin=LEFT,TOP][,pitch=X,Y]"
// in millimetres, e.g. "grid:4x10,48.5x25.4,page=a4,margin=8,21.5". Without margin the
// grid is centred; without pitch labels touch. Throws Problem 422 unknown_template or
// invalid_template (the grid must fit on the page).
Template find_template(std::string_view spec);

// A printer's correction: added to every position on the page. Print the calibration sheet,
// measure how far its marks are from where they should be, and enter the opposite.
struct Calibration {
  double offset_x_mm = 0;  // + moves everything right
  double offset_y_mm = 0;  // + moves everything down
};
// Throws Problem 422 invalid_field when an offset is beyond ±calibration_offset_mm_max.
void check_calibration(const Calibration& c);

struct Slot {
  int page = 0;
  double x_mm = 0;  // top-left corner of the label on its page, calibration applied
  double y_mm = 0;
};
Slot slot_position(const Template& t, std::size_t index, const Calibration& c);
std::size_t page_count(const Template& t, std::size_t labels);

// ---- unit prices ----------------------------------------------------------------------

// The net content of one sale unit in base units: grams, millilitres or millimetres.
struct Measure {
  enum class Base { mass_g, volume_ml, length_mm } base = Base::mass_g;
  std::int64_t amount = 0;
};
// "500 g", "1 kg", "0.75 l", "330ml", "1,5 kg", "2 m"; nullopt when not a measure.
std::optional<Measure> parse_measure(std::string_view text);
// The item's measure: its unit when sold by g/kg/ml/l/m (price is per that unit), else the
// attribute "net_content", else a trailing size in the name ("Coffee Beans 500 g").
std::optional<Measure> item_measure(const catalog::Item& item);

enum class UnitPriceBasis { per_kilo, per_hundred };  // per kg/l/m, or per 100 g/100 ml
struct UnitPrice {
  std::int64_t minor = 0;
  std::string per;  // "kg", "l", "m", "100 g", "100 ml"
};
// price / measure scaled to the basis, rounded half up to the minor unit. Lengths are
// always per m. nullopt when the measure is empty.
std::optional<UnitPrice> unit_price(std::int64_t price_minor, const Measure& measure, UnitPriceBasis basis);

// Price of a weighed portion: price per `unit` (g or kg) x weight, rounded half up (or half
// to even). nullopt when the unit is not a mass or the product does not fit.
std::optional<std::int64_t> weighed_price(std::int64_t price_minor, std::string_view unit, Quantity weight_kg,
                                          bool half_even);

// "€12.99", "$3.50", "12.99 CHF".
std::string format_price(std::int64_t minor, std::string_view currency, int decimals);

// ---- what one label shows -------------------------------------------------------------

struct LabelData {
  LabelKind kind = LabelKind::shelf;
  std::string item_id;
  std::string name;
  std::string sku;
  std::string price_text;       // "" when the item has no price
  std::string unit_price_text;  // "€2.58 / kg", "" when none
  std::string date_text;        // print date (shelf), packed date (scale)
  std::string pack_text;        // case: "Case of 12"
  std::string weight_text;      // scale: "0.512 kg"
  BarcodeSpec barcode;
};

struct LabelContext {
  std::string currency = "EUR";
  int currency_decimals = 2;
  std::string date_text;  // "2026-03-01"
  UnitPriceBasis basis = UnitPriceBasis::per_kilo;
  bool half_even = true;
  std::vector<catalog::EmbeddedLayout> layouts;
};

struct LabelRequest {
  LabelKind kind = LabelKind::shelf;
  std::optional<Symbology> symbology;  // only qr may override the code's own symbology
  std::optional<Quantity> weight;      // scale labels: kg as milli-units (grams)
};

// What a label of `item` shows. Throws Problem 422 with a stable code: no_barcode (nothing
// printable), no_case_barcode, not_weighed (scale label for an item not sold by weight),
// missing_field weight, invalid_symbology.
LabelData label_for_item(const catalog::Item& item, const LabelRequest& request, const LabelContext& context);

// ---- boxes on a label -----------------------------------------------------------------

enum class Align { left, centre, right };
struct TextBox {
  double x_mm = 0, y_mm = 0;  // top-left of the box
  double width_mm = 0;        // text is shrunk (cairo) or cut (ZPL) to fit
  double size_mm = 3;         // cap-to-descender height of the font
  bool bold = false;
  Align align = Align::left;
  std::string text;
};
struct BarcodeBox {
  double x_mm = 0, y_mm = 0, width_mm = 0, height_mm = 0;  // the symbol with its quiet zones and text
  BarcodeSpec spec;
  bool human_readable = true;
};
struct LabelLayout {
  double width_mm = 0, height_mm = 0;
  std::vector<TextBox> texts;
  BarcodeBox barcode;
};

LabelLayout layout_label(const LabelData& data, double width_mm, double height_mm);

}  // namespace backroom::labels
