// Drawing labels: libzint lays out each symbol as vectors (one module = 2 vector units,
// compliant quiet zones, human-readable text) and cairo draws them with the label's text
// onto PDF sheets, an SVG or a PNG. ZPL is the other back end (zpl.hpp).
// Pure in effect: layouts in, file bytes out (no files, no database).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "labels/layout.hpp"

namespace backroom::labels {

enum class Format { pdf, svg, png, zpl };
std::optional<Format> parse_format(std::string_view name);  // "pdf", "svg", "png", "zpl"
std::string_view format_name(Format f);
std::string_view content_type(Format f);

inline constexpr int png_dpi_default = 300;

struct RenderOptions {
  Template sheet;
  Calibration calibration;
  int dpi = 0;  // ZPL: 203 or 300 (default 203); PNG: 72..600 (default 300); PDF/SVG: unused
};

// Places `labels` in the template's slots (a sheet: columns x rows per page; a roll: one
// label per page) and returns the file. SVG and PNG hold one page: more labels than one page
// holds is 422 single_page_format. A symbol that does not fit its box at the smallest
// module size allowed is 422 label_too_small.
std::string render_labels(const std::vector<LabelLayout>& labels, Format format, const RenderOptions& options);

// A PDF page per template page with every label's outline, a cross at each corner, a
// 100 mm scale bar and the offsets in force: print it, measure, enter the correction.
std::string render_calibration_sheet(const Template& sheet, const Calibration& calibration);

}  // namespace backroom::labels
