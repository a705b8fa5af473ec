#include "labels/symbology.hpp"

#include "catalog/barcode.hpp"

namespace backroom::labels {

std::string_view symbology_name(Symbology s) {
  switch (s) {
    case Symbology::ean13: return "ean13";
    case Symbology::upca: return "upca";
    case Symbology::ean8: return "ean8";
    case Symbology::code128: return "code128";
    case Symbology::gs1_128: return "gs1-128";
    case Symbology::qr: return "qr";
  }
  return "code128";
}

std::optional<Symbology> parse_symbology(std::string_view name) {
  for (auto s : {Symbology::ean13, Symbology::upca, Symbology::ean8, Symbology::code128, Symbology::gs1_128,
                 Symbology::qr})
    if (symbology_name(s) == name) return s;
  return std::nullopt;
}

std::string BarcodeSpec::scanned() const {
  if (symbology == Symbology::gs1_128) return "01" + data;
  return data;
}

namespace {
bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
}  // namespace

std::optional<BarcodeSpec> barcode_for(const catalog::ItemBarcode& barcode) {
  if (barcode.kind == "gtin") {
    const std::string& gtin14 = barcode.key;
    if (gtin14.size() != 14 || !catalog::gs1_check_digit_valid(gtin14)) return std::nullopt;
    if (gtin14[0] != '0') return BarcodeSpec{Symbology::gs1_128, gtin14};
    // An 8-digit code keyed as itself is an EAN-8; one keyed as a UPC-A is a UPC-E,
    // which prints as its UPC-A (the register reads the same GTIN).
    if (barcode.code.size() == 8 && all_digits(barcode.code) && catalog::to_gtin14(barcode.code) == gtin14)
      return BarcodeSpec{Symbology::ean8, barcode.code};
    std::string gtin13 = gtin14.substr(1);
    if (gtin13[0] == '0') return BarcodeSpec{Symbology::upca, gtin13.substr(1)};
    return BarcodeSpec{Symbology::ean13, gtin13};
  }
  if (barcode.kind == "embedded") {
    if (barcode.code.size() == 13 && catalog::gs1_check_digit_valid(barcode.code))
      return BarcodeSpec{Symbology::ean13, barcode.code};
    return std::nullopt;
  }
  if (barcode.kind == "text") {
    std::string text = barcode.key.starts_with("T:") ? barcode.key.substr(2) : barcode.code;
    if (text.empty()) return std::nullopt;
    for (unsigned char c : text)
      if (c < 0x20 || c > 0x7e) return std::nullopt;  // Code 128 code sets A/B: printable ASCII
    return BarcodeSpec{Symbology::code128, text};
  }
  return std::nullopt;
}

BarcodeSpec as_qr(const BarcodeSpec& spec) { return BarcodeSpec{Symbology::qr, spec.scanned()}; }

double module_min_mm(Symbology s) {
  switch (s) {
    case Symbology::ean13:
    case Symbology::upca:
    case Symbology::ean8: return 0.264;
    case Symbology::code128: return 0.19;  // 7.5 mil: long internal codes on small stickers
    case Symbology::gs1_128: return 0.25;
    case Symbology::qr: return 0.4;
  }
  return 0.25;
}

double module_nominal_mm(Symbology s) {
  switch (s) {
    case Symbology::ean13:
    case Symbology::upca:
    case Symbology::ean8: return 0.33;
    case Symbology::code128: return 0.33;
    case Symbology::gs1_128: return 0.495;
    case Symbology::qr: return 0.6;
  }
  return 0.33;
}

double bar_height_max_mm(Symbology s) { return s == Symbology::gs1_128 ? 31.75 : 22.85; }

}  // namespace backroom::labels

namespace backroom::labels {

namespace {
// Code 128 symbol characters for `text`: code set C packs digit pairs of runs of 4 or more
// (or a whole all-digit text of even length), code set B takes the rest, one per switch.
int code128_characters(std::string_view text) {
  int chars = 0;
  std::size_t i = 0;
  bool in_c = false;
  while (i < text.size()) {
    std::size_t run = 0;
    while (i + run < text.size() && text[i + run] >= '0' && text[i + run] <= '9') ++run;
    bool whole = run == text.size();
    if (run >= 4 || (whole && run % 2 == 0 && run >= 2)) {
      std::size_t pairs = run / 2;
      chars += static_cast<int>(pairs) + (in_c || i == 0 ? 0 : 1);
      in_c = true;
      i += pairs * 2;
      continue;
    }
    std::size_t n = run == 0 ? 1 : run;
    chars += static_cast<int>(n) + (in_c ? 1 : 0);
    in_c = false;
    i += n;
  }
  return chars;
}

int qr_version_modules(std::size_t bytes) {
  static constexpr std::size_t capacity_m[] = {14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362};
  int version = 1;
  for (auto c : capacity_m) {
    if (bytes <= c) break;
    ++version;
  }
  return 17 + 4 * version;
}
}  // namespace

SymbolModules symbol_modules(const BarcodeSpec& spec) {
  switch (spec.symbology) {
    case Symbology::ean13: return {95, 11, 7};
    case Symbology::upca: return {95, 9, 9};
    case Symbology::ean8: return {67, 7, 7};
    case Symbology::code128: return {11 * (code128_characters(spec.data) + 2) + 13, 10, 10};
    case Symbology::gs1_128: return {11 * (code128_characters(spec.data) + 2 + 2) + 13, 10, 10};  // + FNC1 + AI 01 pair
    case Symbology::qr: {
      int m = qr_version_modules(spec.scanned().size());
      return {m, 4, 4};
    }
  }
  return {0, 0, 0};
}

}  // namespace backroom::labels
