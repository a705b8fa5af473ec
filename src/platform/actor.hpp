// Who does something, and from where: the principal a request runs as (set by the access
// room's guard) and every audit entry names.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace backroom {

struct Actor {
  std::string user = "system";   // user name or "apikey:<name>" or "system"/"cli"
  std::string origin = "local";  // remote address, "cli", ...
  std::string user_id;           // users.id or api_keys.id; empty for system/cli
  std::string role;              // role name; empty for system/cli (which may do anything)
  std::vector<std::string> permissions;   // granted by the role (sorted)
  std::vector<std::string> location_ids;  // API keys scoped to locations; empty = all

  // A system actor (CLI, demo seeding, scheduled jobs) that may do anything.
  static Actor of(std::string user, std::string origin) {
    Actor a;
    a.user = std::move(user);
    a.origin = std::move(origin);
    return a;
  }

  bool can(std::string_view permission) const {
    return role.empty() || std::binary_search(permissions.begin(), permissions.end(), permission);
  }
};

}  // namespace backroom
