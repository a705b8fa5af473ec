// Administration commands on people and keys, shared by the HTTP API and the CLI: each
// validates, refuses privilege escalation (nobody hands out a role with permissions they
// lack), writes its rows and its audit entry on the connection it is given (the writer's,
// or a CLI transaction). Password hashing happens before, off the writer (argon2 is slow).
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "access/auth_store.hpp"
#include "platform/outbox.hpp"

namespace backroom::auth {

// 422 unknown_role when the role does not exist; 403 forbidden when `actor` lacks one of
// the role's permissions (or it is a superuser role and the actor is not).
void check_can_grant(db::Db& db, const Actor& actor, const std::string& role);

// Fills id and times; 409 duplicate_username. `user.password_hash`/`pin_hash` already hashed.
store::UserRow create_user(db::Db& db, const Actor& actor, store::UserRow user);

struct UserChange {
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<bool> disabled;
  std::optional<std::string> password_hash;
  std::optional<std::optional<std::string>> pin_hash;  // set, or {nullopt} to remove the PIN
};
// Disabling a user or changing their password ends their sessions. 409 last_admin when it
// would leave no enabled superuser.
store::UserRow update_user(db::Db& db, const Actor& actor, const std::string& id, const UserChange& change);

struct IssuedKey {
  store::KeyRow row;
  std::string key;  // the only time the secret exists outside the caller's hands
};
IssuedKey create_key(db::Db& db, const Actor& actor, const std::string& name, const std::string& role,
                     std::vector<std::string> location_ids, std::optional<std::int64_t> expires_at);
// A new key with the same name, role and scope; the old one keeps working `grace_seconds`.
IssuedKey rotate_key(db::Db& db, const Actor& actor, const std::string& id, std::int64_t grace_seconds);
store::KeyRow revoke_key(db::Db& db, const Actor& actor, const std::string& id);

boost::json::object user_to_json(const store::UserRow& user);
boost::json::object key_to_json(const store::KeyRow& key);
boost::json::object role_to_json(const store::RoleRow& role);
// "active", "expired", "revoked", "rotated" (still valid in its grace period) at `now_micros`.
std::string key_status(const store::KeyRow& key, std::int64_t now_micros);

// Seeded by `backroom init`/`demo` and the CLI: creates the user when the name is free.
// Returns false when it existed already. Hashes inline (CLI only).
bool ensure_user(db::Db& db, const std::string& username, const std::string& role, const std::string& password,
                 const std::optional<std::string>& pin, const std::string& display_name);

}  // namespace backroom::auth
