#include "platform/id_filter.hpp"

#include <boost/json.hpp>

namespace backroom::db {

IdFilter::IdFilter(const std::vector<std::string>& ids) : whole_(ids.size() > whole_read_at) {
  if (whole_) {
    wanted_.reserve(ids.size());
    for (const auto& id : ids) wanted_.insert(id);
    return;
  }
  boost::json::array list;
  list.reserve(ids.size());
  for (const auto& id : ids) list.emplace_back(id);
  json_ = boost::json::serialize(list);
}

}  // namespace backroom::db
