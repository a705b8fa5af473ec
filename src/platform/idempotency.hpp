// Idempotency-Key on every mutating route (issue 19; docs/api.md, "Idempotency"). App::command
// runs the check and the remembering inside the command's own writer transaction, so the
// answer is stored exactly when the change is — a crash can lose both, never one:
//   - the same key from the same caller with the same method, path and body: the first 2xx
//     answer again (status, body, Location/ETag), with `Idempotent-Replayed: true`;
//   - the same key with another request: 422 idempotency_key_reused;
//   - the same key while the first request is still running in this process: 409
//     idempotency_in_progress (across processes the writers are serial: the second one finds
//     the first one's answer);
//   - refused requests are not stored: fix the body and send it again with the same key.
// Keys belong to the caller (the API key's or the user's id), so one caller never receives
// another's answer, and are kept at least `keep_hours`. Answers that hold a secret shown once
// (a new API key, a webhook secret) are stored sealed under the shop key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "platform/db.hpp"
#include "platform/http.hpp"

namespace backroom::idempotency {

inline constexpr int keep_hours = 24;

// The request's Idempotency-Key (1 to 200 bytes; 400 bad_idempotency_key otherwise).
std::optional<std::string> key_of(const http::Request& req);
// Who the key belongs to: "key:<id>", "user:<id>", or "public".
std::string caller_of(const http::Request& req);
// The hash that tells a retry from another request: method, path and body.
std::string request_hash(const http::Request& req);

struct Stored {
  std::string request_hash;
  http::Response response;
};
std::optional<Stored> find(db::Db& db, const std::string& caller, const std::string& key,
                           const std::string& db_location);
void remember(db::Db& db, const std::string& caller, const std::string& key, const http::Request& req,
              const std::string& hash, const http::Response& response, bool sealed, const std::string& db_location);
// Forgets answers older than keep_hours (+1 h); how many.
int purge(db::Db& db);
// Seals the stored answers of requests whose path starts with `path_prefix` that were kept
// in the clear (by a release that did not seal that route yet), so that a replay still
// answers the same and the stored body holds no plaintext; how many.
int seal_stored(db::Db& db, const std::string& path_prefix);

}  // namespace backroom::idempotency
