// The reason a buyer reads next to a suggested quantity, in plain words and the shop's
// numbers, e.g. "Sells about 4.2 a day (weekdays more); the next delivery after this one
// arrives in 9 days; keeping 95% of customers served needs 51; you have 12 and 24 on order;
// 15 rounded up to 3 cases of 6 = 18." Pure: values in, text out.
#pragma once

#include <string>

#include "planning/forecast.hpp"
#include "planning/policy.hpp"

namespace backroom::planning {

struct ExplainTopUp {
  TopUpTarget target = TopUpTarget::none;
  std::string target_value_text;  // the value as the shop shows money, e.g. "150.00"
};

// One sentence per decision; the last clause says the rounding ("15 rounded up to 3 cases
// of 6 = 18.", "15 rounded up to the minimum order of 24.", "so order 15.") or why nothing
// is ordered ("no order needed."). When suggestion.topped_up > 0 a sentence follows:
// "Topped up by 6 to 24 to reach the supplier's minimum order of 150.00." (or "...
// free-freight value of 250.00."). A discontinued item reads "Discontinued: never
// reordered." Quantities show as whole numbers when whole, else up to 3 decimals.
std::string reason_text(const Forecast& forecast, const PolicyInput& input, const Suggestion& suggestion,
                        const ExplainTopUp& top_up = {});

// "weekdays more", "weekends more" or "" from the weekday profile (10 % apart or more).
std::string weekday_pattern(const Forecast& forecast);
// The first planned promotion within the days the order covers, or nullptr.
const PromoWindow* first_promotion(const PolicyInput& input, const Suggestion& suggestion);

}  // namespace backroom::planning
