// Which barcode symbol a label carries for an item barcode, and what a scanner reads back
// from it. The register must scan a label to exactly the code the item master holds, so
// the choice follows the code: GTIN-13 -> EAN-13, 12-digit UPC-A -> UPC-A, EAN-8 -> EAN-8,
// price/weight-embedded -> EAN-13, GTIN-14 case codes -> GS1-128 with AI (01), anything
// else -> Code 128. QR is available on request for any code. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "catalog/item.hpp"

namespace backroom::labels {

enum class Symbology { ean13, upca, ean8, code128, gs1_128, qr };

std::string_view symbology_name(Symbology s);  // "ean13", "upca", "ean8", "code128", "gs1-128", "qr"
std::optional<Symbology> parse_symbology(std::string_view name);

struct BarcodeSpec {
  Symbology symbology = Symbology::code128;
  // EAN/UPC: all digits including the check digit; GS1-128: the GTIN-14 of AI (01);
  // Code 128 and QR: the text.
  std::string data;

  // What a scanner returns for the symbol (GS1-128: "01" + GTIN-14, without the FNC1).
  std::string scanned() const;
};

// The symbol for one of an item's barcodes (kind "gtin", "embedded" or "text", key set).
// nullopt when the barcode is not printable as any of them.
std::optional<BarcodeSpec> barcode_for(const catalog::ItemBarcode& barcode);

// The same data as a QR code (what a scanner reads back is unchanged).
BarcodeSpec as_qr(const BarcodeSpec& spec);

// Smallest module (X-dimension) in mm a label may print the symbol at: 80% of the GS1
// nominal 0.33 mm for EAN/UPC, 0.19 mm for Code 128, 0.25 mm for GS1-128, 0.4 mm for QR.
double module_min_mm(Symbology s);
// The module size a label prints at when there is room: 100% for EAN/UPC. GS1-128 carries a
// case's GTIN-14, a trade item scanned in general distribution (the back door, a pallet at arm's
// length), so it aims at the GS1 General Specifications' symbol specification table 2 for
// that: X 0.495 mm (its minimum and target; 1.016 mm at most); at the 0.33 mm of a retail
// symbol, heavy print noise defeated every case label of the decode sweep (docs/labels.md).
double module_nominal_mm(Symbology s);
// The tallest bars a label prints when it has the room: an EAN-13's nominal 22.85 mm, and for
// GS1-128 table 2's minimum symbol height of 31.75 mm (shorter is printed where the label
// leaves less, down to 5 mm).
double bar_height_max_mm(Symbology s);

}  // namespace backroom::labels

namespace backroom::labels {

// Width of a symbol in modules, without and with its quiet zones, as the printers and
// libzint lay it out (Code 128 uses code set C for even runs of 4+ digits; QR assumes
// byte mode at error correction level M). For layout decisions; drawing measures exactly.
struct SymbolModules {
  int symbol = 0;
  int quiet_left = 0;
  int quiet_right = 0;
  int total() const { return symbol + quiet_left + quiet_right; }
};
SymbolModules symbol_modules(const BarcodeSpec& spec);

}  // namespace backroom::labels
