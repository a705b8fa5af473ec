// A realistic demo shop (about 2,000 items): a corner grocery with weighed produce and
// scale labels, packaged goods with case barcodes, apparel with size/color variants, toys
// and board games, books, florist stock with internal barcodes, and gift kits.
// Pure and deterministic for a seed; the CLI writes it through the normal commands.
#pragma once

#include <cstdint>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/item.hpp"

namespace backroom::catalog {

struct DemoItem {
  Item item;
  bool internal_barcode = false;  // issue a restricted-circulation code after creation
};

BarcodeSettings demo_barcode_settings();
// Items in creation order (parents before variants, components before kits), ids set.
std::vector<DemoItem> demo_items(std::uint32_t seed = 42);

}  // namespace backroom::catalog
