// Planted violation for the `layering.compiler` test: compiled as if it were in
// src/catalog/, it includes a header of sales (a room above catalog). The build must refuse.
#include "sales/sales.hpp"
