// Master data marks and the store node's divert (platform/master_data.hpp).
#include "platform/master_data.hpp"

#include <fmt/format.h>

#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

namespace backroom::master_data {

namespace {
std::mutex marks_mutex;
std::set<std::string, std::less<>>& marks() {
  static std::set<std::string, std::less<>> set;
  return set;
}
std::string key(std::string_view method, std::string_view pattern) { return fmt::format("{} {}", method, pattern); }
Divert& installed() {
  static Divert d;
  return d;
}
}  // namespace

void mark(const http::Router& router, std::string_view method, std::string_view pattern) {
  for (const auto& r : router.routes())
    if (r.method == method && r.pattern == pattern) {
      if (r.idempotency == http::Idempotency::not_mutating)
        throw std::invalid_argument(fmt::format("master data: route {} {} does not change anything", method, pattern));
      std::lock_guard lock(marks_mutex);
      marks().insert(key(method, pattern));
      return;
    }
  throw std::invalid_argument(fmt::format("master data: no route {} {}", method, pattern));
}

bool marked(const http::Route& route) {
  std::lock_guard lock(marks_mutex);
  return marks().contains(key(route.method, route.pattern));
}

void set_divert(Divert divert) { installed() = std::move(divert); }
const Divert& divert() { return installed(); }

}  // namespace backroom::master_data
