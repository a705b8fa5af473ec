// ZPL II for Zebra thermal printers: one ^XA ... ^XZ block per label, at 203 or 300 dpi,
// positions from layout.hpp converted to dots, printer calibration applied. Barcode
// fields carry the item's data as ZPL expects it: ^BE (EAN-13) 12 digits, ^BU (UPC-A) 11
// and ^B8 (EAN-8) 7 (the printer adds the check digit), ^BC Code 128 in automatic mode,
// ^BC mode D for GS1-128 "(01)GTIN", ^BQ QR "MA,data". Pure.
#pragma once

#include <string>
#include <vector>

#include "labels/layout.hpp"

namespace backroom::labels {

// Throws Problem 422 invalid_field dpi (not 203 or 300), label_too_small (a symbol does not
// fit at 2 dots per module).
std::string render_zpl(const std::vector<LabelLayout>& labels, int dpi, const Calibration& calibration);

// ZPL field data for a barcode: what goes between ^FD and ^FS.
std::string zpl_barcode_data(const BarcodeSpec& spec);

}  // namespace backroom::labels
