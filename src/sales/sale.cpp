// The small pure rules of sales' documents (sale.hpp): request words and what an
// exchange's return paid of its sale.
#include "sales/sale.hpp"

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

std::int64_t exchange_credit(const Return& r) {
  std::int64_t credit = 0;
  for (const auto& t : r.tenders)
    if (t.type == TenderType::exchange_credit) credit += t.amount;
  return credit;
}

}  // namespace backroom::sales
