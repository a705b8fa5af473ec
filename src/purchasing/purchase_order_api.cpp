#include "purchasing/purchase_order_api.hpp"

namespace backroom::purchasing {

void register_purchase_order_routes(App&) {}

}  // namespace backroom::purchasing
