#include "platform/idempotency.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include "platform/documents.hpp"
#include "platform/problem.hpp"

namespace backroom::idempotency {

std::optional<std::string> key_of(const http::Request& req) {
  auto header = req.header("idempotency-key");
  if (!header) return std::nullopt;
  if (header->empty() || header->size() > documents::idempotency_key_length_max)
    throw Problem(400, "bad_idempotency_key",
                  fmt::format("Idempotency-Key must be 1 to {} characters", documents::idempotency_key_length_max));
  return std::string(*header);
}

std::string caller_of(const http::Request& req) {
  if (req.actor.user_id.empty()) return "public";
  return (req.actor.user.starts_with("apikey:") ? "key:" : "user:") + req.actor.user_id;
}

std::string request_hash(const http::Request& req) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 16);
  auto add = [&](std::string_view s) {
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(s.data()), s.size());
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>("\n"), 1);
  };
  add(req.method);
  add(req.path);
  add(req.body);
  unsigned char digest[16];
  crypto_generichash_final(&state, digest, sizeof digest);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace backroom::idempotency
