// How fast a caller may call (issue 19): a token bucket per caller (an API key, a signed-in
// session). A caller whose role allows N requests a minute holds at most N tokens (a burst
// of N is fine) and gets N/60 back every second; a request takes one. With none left the
// answer is 429 `rate_limited` with Retry-After; every authenticated answer carries
// RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds until the bucket is full
// again), the fields of the IETF RateLimit header draft.
//
// The buckets are this process's: with several `backroom serve` processes behind one
// database each counts its own share (a caller may get up to N per process).
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "platform/types.hpp"

namespace backroom {

// A busy register scans, looks up and sells well under one request a second; 1200 a minute
// (20 a second sustained, bursts of 1200) never stops it, and stops a runaway script.
inline constexpr int rate_per_minute_default = 1200;
inline constexpr int rate_per_minute_max = 1'000'000;

struct RateLimits {
  int default_per_minute = rate_per_minute_default;
  std::map<std::string, int> per_role;  // role name -> requests a minute

  int for_role(const std::string& role) const;
};
// {"default_per_minute": 1200, "roles": {"webshop": 300}}; 422 naming the field when wrong.
// `known_role` says whether a role name exists.
RateLimits rate_limits_from_json(const boost::json::object& body, const std::function<bool(const std::string&)>& known_role);
boost::json::object rate_limits_to_json(const RateLimits& limits);

struct RateDecision {
  bool allowed = true;
  int limit = 0;
  int remaining = 0;               // whole requests left now
  std::int64_t reset_seconds = 0;  // until the bucket is full again
  std::int64_t retry_after_seconds = 0;  // when refused: until one request is back
};

class RateLimiter {
 public:
  RateDecision take(const std::string& caller, int per_minute, Timestamp at);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t at = 0;  // micros of the last refill
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace backroom
