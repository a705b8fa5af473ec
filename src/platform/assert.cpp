#include "platform/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace backroom {

void assert_failed(const char* file, int line, std::string_view condition, std::string_view message) {
  // stdio, not the logger: it must work from any thread and whatever state the logger is in.
  std::fprintf(stderr, "%s:%d: assertion failed: %.*s (%.*s)\n", file, line, static_cast<int>(message.size()),
               message.data(), static_cast<int>(condition.size()), condition.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace backroom
