#include "purchasing/supplier_api.hpp"

namespace backroom::purchasing {

void register_supplier_routes(App&) {}

}  // namespace backroom::purchasing
