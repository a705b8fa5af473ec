// Store credit across stores: the rule a store node keeps head office's balance by, and the
// hook by which it asks head office (sales.hpp, "Store credit across stores"). No SQL here.
#include <algorithm>
#include <mutex>
#include <set>

#include "sales/sales.hpp"

namespace backroom::sales {

std::int64_t balance_at_node(const HeadOfficeCredit& head_office, const std::vector<CreditEntry>& node_entries) {
  std::set<std::string_view> heard(head_office.document_ids.begin(), head_office.document_ids.end());
  std::int64_t balance = head_office.balance;
  for (const auto& e : node_entries)
    if (e.document_type != "head_office" && !heard.contains(e.document_id)) balance += e.amount;
  return std::max<std::int64_t>(balance, 0);
}

namespace {
std::mutex lookup_mutex;
CreditLookup installed;
}  // namespace

void set_credit_lookup(CreditLookup lookup) {
  std::lock_guard lock(lookup_mutex);
  installed = std::move(lookup);
}

namespace {
CreditLookup installed_lookup() {
  std::lock_guard lock(lookup_mutex);
  return installed;
}
}  // namespace

std::vector<HeadOfficeCredit> ask_head_office(const std::vector<std::string>& codes) {
  auto lookup = installed_lookup();
  std::vector<HeadOfficeCredit> out;
  if (!lookup) return out;
  std::set<std::string> asked;
  for (const auto& code : codes) {
    auto normal = normalize_credit_code(code);
    if (normal.empty() || !asked.insert(normal).second) continue;
    if (auto answer = lookup(normal); answer.credit) out.push_back(std::move(*answer.credit));
  }
  return out;
}

HeadOfficeAnswer ask_head_office_about(const std::string& code) {
  auto lookup = installed_lookup();
  if (!lookup) return HeadOfficeAnswer{};
  auto normal = normalize_credit_code(code);
  if (normal.empty()) return HeadOfficeAnswer{HeadOfficeReach::unknown, std::nullopt};
  return lookup(normal);
}

}  // namespace backroom::sales
