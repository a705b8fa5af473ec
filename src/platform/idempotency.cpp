#include "platform/idempotency.hpp"

#include <fmt/format.h>

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
  return documents::request_hash(req.method + "\n" + req.path + "\n" + req.body);
}

}  // namespace backroom::idempotency
