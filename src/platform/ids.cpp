#include "platform/ids.hpp"

#include <sodium.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace backroom {

std::string new_uuid_v7() {
  static const int sodium_ready = sodium_init();  // idempotent, thread-safe
  (void)sodium_ready;
  static std::mutex mutex;
  static std::uint64_t last_ms = 0;
  static std::uint16_t counter = 0;  // the 12-bit rand_a field, used as a sequence within one ms

  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  std::uint64_t ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  {
    std::lock_guard lock(mutex);
    if (ms <= last_ms) {
      ms = last_ms;
      if (++counter > 0x0fff) {  // sequence exhausted: borrow the next millisecond
        ++ms;
        counter = 0;
      }
    } else {
      counter = static_cast<std::uint16_t>(((b[6] & 0x07) << 8) | b[7]);  // random start, room to grow
    }
    last_ms = ms;
    b[6] = static_cast<unsigned char>(0x70 | ((counter >> 8) & 0x0f));
    b[7] = static_cast<unsigned char>(counter & 0xff);
  }
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));

  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(hex[b[i] >> 4]);
    out.push_back(hex[b[i] & 0x0f]);
  }
  return out;
}

bool is_uuid(std::string_view t, bool version7) {
  if (t.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    char c = t[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  if (version7) {
    char variant = static_cast<char>(t[19] | 0x20);
    if (t[14] != '7' || !(variant == '8' || variant == '9' || variant == 'a' || variant == 'b'))
      return false;
  }
  return true;
}

std::optional<std::string> normalize_uuid(std::string_view t) {
  if (!is_uuid(t)) return std::nullopt;
  std::string out(t);
  for (char& c : out)
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c + 32);
  return out;
}

}  // namespace backroom
