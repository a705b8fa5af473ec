// The small pure rules of sales' documents (sale.hpp): request words and what an
// exchange's return paid of its sale.
#include "sales/sale.hpp"

#include <algorithm>
#include <cctype>

namespace backroom::sales {

bool valid_register_id(std::string_view id) {
  if (id.empty() || id.size() > register_id_length_max) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

bool valid_channel(std::string_view channel) {
  if (channel.empty() || channel.size() > channel_length_max || channel == "register") return false;
  for (char c : channel)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

bool is_return_reason(std::string_view r) {
  static constexpr std::array reasons = {"defective", "wrong_item", "wrong_size", "changed_mind", "not_as_described",
                                         "damaged_in_transit", "late_delivery", "other"};
  return std::find(reasons.begin(), reasons.end(), r) != reasons.end();
}
bool is_condition(std::string_view c) {
  static constexpr std::array conditions = {"new", "opened", "used", "damaged", "defective"};
  return std::find(conditions.begin(), conditions.end(), c) != conditions.end();
}
bool is_disposition(std::string_view d) {
  static constexpr std::array dispositions = {"restock", "review", "damaged", "refurbish", "markdown"};
  return std::find(dispositions.begin(), dispositions.end(), d) != dispositions.end();
}

std::int64_t exchange_credit(const Return& r) {
  std::int64_t credit = 0;
  for (const auto& t : r.tenders)
    if (t.type == TenderType::exchange_credit) credit += t.amount;
  return credit;
}

}  // namespace backroom::sales
