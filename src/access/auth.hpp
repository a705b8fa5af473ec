// Who may do what. The built-in roles and their permissions (the seed the database is
// synchronised with at every start), the limits on credentials and sign-in attempts, and
// the secret helpers: argon2id for what people type (passwords, PINs), BLAKE2b for the
// high-entropy tokens machines present (API keys, session cookies, override tokens), so
// no request pays for argon2 except a sign-in.
// Pure except the last section (consume_override, role_limits), which runs SQL on the
// connection it is given (auth_store.cpp).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"
#include "platform/outbox.hpp"

namespace backroom::auth {

inline constexpr std::size_t username_length_max = 64;
inline constexpr std::size_t password_length_min = 8;
inline constexpr std::size_t password_length_max = 1024;
inline constexpr std::size_t pin_length_min = 4;
inline constexpr std::size_t pin_length_max = 8;
inline constexpr std::size_t role_permissions_max = 200;
inline constexpr std::int64_t session_idle_seconds_default = 12 * 3600;
inline constexpr std::int64_t session_absolute_seconds_default = 7 * 24 * 3600;
inline constexpr std::int64_t key_rotation_grace_seconds_default = 24 * 3600;
inline constexpr std::int64_t key_rotation_grace_seconds_max = 30 * 24 * 3600;
inline constexpr std::int64_t override_valid_seconds = 120;
inline constexpr std::int64_t last_used_update_interval_seconds = 60;
inline constexpr int sign_in_free_failures = 3;          // failures before any slow-down
inline constexpr int sign_in_lockout_failures = 10;      // failures that lock the account for
inline constexpr std::int64_t sign_in_lockout_seconds = 15 * 60;  // ...this long
inline constexpr std::int64_t sign_in_failure_memory_seconds = 24 * 3600;  // old failures are forgotten

inline constexpr std::int64_t unlimited = std::numeric_limits<std::int64_t>::max();

struct RoleDefinition {
  std::string name;
  std::string description;
  std::vector<std::string> permissions;  // sorted
  bool superuser = false;                // admin: every permission there is
  std::optional<std::int64_t> discount_basis_points_max;   // nullopt = unlimited
  std::optional<std::int64_t> return_without_receipt_max;  // minor units; nullopt = unlimited
};

// cashier, shift_lead, manager, buyer, admin.
const std::vector<RoleDefinition>& builtin_roles();
const RoleDefinition* builtin_role(std::string_view name);
// Every permission name the code knows (sorted); custom roles are built from these.
const std::vector<std::string>& permission_catalogue();
bool known_permission(std::string_view name);

// Lowercases and checks a user name: 1..64 of a-z 0-9 . _ - ; nullopt when unusable.
std::optional<std::string> normalize_username(std::string_view name);
// nullopt when acceptable, else why not.
std::optional<std::string> password_problem(std::string_view password);
std::optional<std::string> pin_problem(std::string_view pin);
// Role names: 1..40 of a-z 0-9 _ .
bool valid_role_name(std::string_view name);

// argon2id (libsodium, INTERACTIVE limits: ~160 ms). Never call on a hot path.
std::string hash_password(std::string_view password);
bool verify_password(const std::string& stored_hash, std::string_view password);
// A hash of an unguessable password, to spend the same time when the user does not exist.
const std::string& dummy_password_hash();

// A token a machine presents: "<prefix>_<id>_<secret>" (brk = API key, bks = session,
// bko = manager override). `id` is 16 lowercase hex, `secret` 64 lowercase hex.
struct Token {
  std::string prefix;
  std::string id;
  std::string secret;
  std::string text() const { return prefix + "_" + id + "_" + secret; }
};
Token new_token(std::string_view prefix);
std::optional<Token> parse_token(std::string_view text, std::string_view prefix);
// BLAKE2b-256 of the secret, hex. Compare with `same_hash` (constant time).
std::string secret_hash(std::string_view secret);
bool same_hash(std::string_view a, std::string_view b);
// A random password for the first admin: 20 characters, easy to type.
std::string generate_password();
// 32 random bytes, hex.
std::string random_hex(std::size_t bytes);

// Seconds a sign-in must wait after `failures` failed attempts, the last at
// `last_failure_at`; 0 when it may proceed now.
std::int64_t sign_in_wait_seconds(int failures, std::int64_t last_failure_micros, std::int64_t now_micros);

// The value of cookie `name` in a Cookie header.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

// --- database-backed (auth_store.cpp) ---

struct RoleLimits {
  std::int64_t discount_basis_points_max;         // 10000 = 100 %
  std::int64_t return_without_receipt_minor_max;  // refund without a receipt, minor units
};
// The limits of the actor's role; system actors (empty role) are unlimited.
RoleLimits role_limits(db::Db& db, const Actor& actor);

// Redeems a manager override token (POST /api/v1/overrides) for `permission` on behalf of
// `requester`. Writer connection only: marks the token used and writes an audit entry
// naming both people. Returns the approver (with their role's permissions), or nullopt
// when the token is unknown, expired, used, for another permission or another requester.
std::optional<Actor> consume_override(db::Db& db, const std::string& token, std::string_view permission,
                                      const Actor& requester);

}  // namespace backroom::auth
