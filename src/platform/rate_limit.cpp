#include "platform/rate_limit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "platform/problem.hpp"

namespace backroom {

int RateLimits::for_role(const std::string& role) const {
  auto it = per_role.find(role);
  return it == per_role.end() ? default_per_minute : it->second;
}

namespace {

int per_minute_of(const boost::json::value& v, const std::string& field) {
  if (!v.is_int64() || v.as_int64() < 1 || v.as_int64() > rate_per_minute_max)
    throw invalid_field(field, fmt::format("{} must be a whole number of requests a minute, 1 to {}", field, rate_per_minute_max));
  return static_cast<int>(v.as_int64());
}

}  // namespace

RateLimits rate_limits_from_json(const boost::json::object& body, const std::function<bool(const std::string&)>& known_role) {
  for (const auto& [key, value] : body)
    if (key != "default_per_minute" && key != "roles") throw invalid_field(std::string(key), fmt::format("unknown field '{}'", std::string(key)));
  RateLimits out;
  if (auto* d = body.if_contains("default_per_minute")) out.default_per_minute = per_minute_of(*d, "default_per_minute");
  if (auto* roles = body.if_contains("roles")) {
    if (!roles->is_object()) throw invalid_field("roles", "roles must be an object of role name -> requests a minute");
    for (const auto& [name, value] : roles->as_object()) {
      std::string role(name);
      std::string field = "roles." + role;
      if (!known_role(role)) throw invalid_field(field, fmt::format("there is no role '{}'", role.substr(0, 64)));
      out.per_role[role] = per_minute_of(value, field);
    }
  }
  return out;
}

boost::json::object rate_limits_to_json(const RateLimits& limits) {
  boost::json::object roles;
  for (const auto& [role, n] : limits.per_role) roles[role] = n;
  return {{"default_per_minute", limits.default_per_minute}, {"roles", std::move(roles)}};
}

RateDecision RateLimiter::take(const std::string& caller, int per_minute, Timestamp at) {
  const double capacity = per_minute;
  const double per_second = per_minute / 60.0;
  std::lock_guard lock(mutex_);
  if (buckets_.size() > 100'000) {
    // Forget callers whose buckets are full again: they start full anyway.
    for (auto it = buckets_.begin(); it != buckets_.end();)
      it = (at.micros - it->second.at) / 1e6 * per_second + it->second.tokens >= capacity ? buckets_.erase(it) : std::next(it);
  }
  auto [it, fresh] = buckets_.try_emplace(caller, Bucket{capacity, at.micros});
  Bucket& b = it->second;
  if (!fresh) {
    double elapsed = std::max<std::int64_t>(0, at.micros - b.at) / 1e6;
    b.tokens = std::min(capacity, b.tokens + elapsed * per_second);
    b.at = std::max(b.at, at.micros);
  }
  RateDecision d;
  d.limit = per_minute;
  if (b.tokens >= 1) {
    b.tokens -= 1;
  } else {
    d.allowed = false;
    d.retry_after_seconds = static_cast<std::int64_t>(std::ceil((1 - b.tokens) / per_second));
  }
  d.remaining = static_cast<int>(std::floor(b.tokens));
  d.reset_seconds = static_cast<std::int64_t>(std::ceil((capacity - b.tokens) / per_second));
  return d;
}

}  // namespace backroom
