// Hybrid logical clocks (sync/hlc.hpp).
#include "sync/hlc.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace backroom::sync::hlc {

std::int64_t pack(Stamp s) { return (s.l << 16) | s.c; }

std::optional<Stamp> unpack(std::int64_t packed) {
  if (packed < 0) return std::nullopt;
  return Stamp{packed >> 16, packed & counter_max};
}

std::string format(Stamp s) { return fmt::format("{:016x}", static_cast<std::uint64_t>(pack(s))); }

std::optional<Stamp> parse(std::string_view text) {
  if (text.size() != text_length) return std::nullopt;
  std::uint64_t value = 0;
  for (char ch : text) {
    int digit = 0;
    if (ch >= '0' && ch <= '9') digit = ch - '0';
    else if (ch >= 'a' && ch <= 'f') digit = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F') digit = ch - 'A' + 10;
    else return std::nullopt;
    value = value << 4 | static_cast<std::uint64_t>(digit);
  }
  if (value > static_cast<std::uint64_t>(pack(Stamp{logical_max, counter_max}))) return std::nullopt;
  return unpack(static_cast<std::int64_t>(value));
}

std::string ordering_key(Stamp s, std::string_view node) { return fmt::format("{}.{}", format(s), node); }

Stamp Clock::settle(std::int64_t l, std::int64_t c) {
  if (c > counter_max) {
    ++l;
    c = 0;
  }
  last_ = Stamp{std::min(l, logical_max), c};
  return last_;
}

Stamp Clock::tick(std::int64_t physical_ms) {
  auto pt = std::clamp<std::int64_t>(physical_ms, 0, logical_max);
  if (pt > last_.l) return settle(pt, 0);
  return settle(last_.l, last_.c + 1);
}

Stamp Clock::receive(Stamp message, std::int64_t physical_ms) {
  auto pt = std::clamp<std::int64_t>(physical_ms, 0, logical_max);
  auto l = std::max({last_.l, message.l, pt});
  if (l == last_.l && l == message.l) return settle(l, std::max(last_.c, message.c) + 1);
  if (l == last_.l) return settle(l, last_.c + 1);
  if (l == message.l) return settle(l, message.c + 1);
  return settle(l, 0);
}

}  // namespace backroom::sync::hlc
