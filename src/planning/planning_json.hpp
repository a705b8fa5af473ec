// Planning's JSON, in one place: suggestions with their reasons, the "why this number"
// series, accuracy by week and category, and the settings (service levels, reorder points).
// Decimal numbers go out exactly to 3 places (json::quantity_value), fractions as fractions.
#pragma once

#include <boost/json.hpp>

#include <vector>

#include "planning/planning_store.hpp"
#include "planning/replenishment.hpp"

namespace backroom::planning {

// {location_id, supplier_id, date, top_up:{...}, suggestions:[{item_id, sku, name, quantity,
// cases, unit_cost, reason:{...}}]}: the items to order (quantity > 0).
boost::json::object suggestions_to_json(const SupplierSuggestions& s);
boost::json::object series_to_json(const std::string& location_id, const std::string& item_id, const SeriesView& v);
boost::json::object accuracy_to_json(const std::vector<AccuracyWeek>& weeks);
boost::json::object settings_to_json(const std::vector<store::ServiceLevel>& levels,
                                     const std::vector<store::ReorderPoint>& points);

}  // namespace backroom::planning
