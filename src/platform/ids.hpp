// Document and entity ids: UUIDv7 (RFC 9562), time-ordered, made where the document is
// created so offline registers never collide. Ids are also idempotency keys.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace backroom {

// A new UUIDv7 in canonical lowercase text form; monotonic within this process.
std::string new_uuid_v7();
// True for a canonical 8-4-4-4-12 hex UUID (any version); `version7` also demands v7.
bool is_uuid(std::string_view text, bool version7 = false);
// Lowercases a valid UUID; nullopt otherwise.
std::optional<std::string> normalize_uuid(std::string_view text);

}  // namespace backroom
