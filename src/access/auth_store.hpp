// The SQL of users, roles, sessions, API keys, sign-in attempts and override tokens.
// Every function takes the connection it runs on: a reader's for lookups (the request
// guard), the writer's (inside its transaction) or a CLI transaction for changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "access/auth.hpp"
#include "platform/db.hpp"

namespace backroom::auth::store {

struct RoleRow {
  std::string name;
  std::string description;
  bool builtin = false;
  bool superuser = false;
  std::vector<std::string> permissions;  // sorted
  std::optional<std::int64_t> discount_basis_points_max;
  std::optional<std::int64_t> return_without_receipt_max;
};
// Rewrites the built-in roles' permissions from the code's table; keeps their limits
// (which the shop may have changed). Idempotent.
void sync_builtin_roles(db::Db& db);
std::vector<RoleRow> list_roles(db::Db& db);
std::optional<RoleRow> load_role(db::Db& db, const std::string& name);
// Only the role's permissions (sorted) and whether it is a superuser: the guard's query.
std::optional<std::pair<bool, std::vector<std::string>>> role_grants(db::Db& db, const std::string& name);
void insert_role(db::Db& db, const RoleRow& role);
void update_role(db::Db& db, const RoleRow& role);

struct UserRow {
  std::string id;
  std::string username;
  std::string display_name;
  std::string role;
  std::string password_hash;
  std::optional<std::string> pin_hash;
  bool disabled = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};
std::optional<UserRow> user_by_name(db::Db& db, const std::string& username);
std::optional<UserRow> user_by_id(db::Db& db, const std::string& id);
std::vector<UserRow> list_users(db::Db& db);
// A page: `limit` + 1 users by username after `after_username` ("" = from the start).
std::vector<UserRow> list_users(db::Db& db, const std::string& after_username, int limit);
void insert_user(db::Db& db, const UserRow& user);
void update_user(db::Db& db, const UserRow& user);
std::int64_t count_users(db::Db& db);
// Enabled users whose role is a superuser role.
std::int64_t count_active_superusers(db::Db& db);

struct SessionRow {
  std::string id;
  std::string user_id;
  std::string secret_hash;
  std::string csrf_token;
  std::string origin;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;
};
void insert_session(db::Db& db, const SessionRow& session);
std::optional<SessionRow> load_session(db::Db& db, const std::string& id);
void delete_session(db::Db& db, const std::string& id);
void delete_user_sessions(db::Db& db, const std::string& user_id);
void touch_session(db::Db& db, const std::string& id, std::int64_t at);

struct KeyRow {
  std::string id;
  std::string name;
  std::string role;
  std::vector<std::string> location_ids;
  std::string secret_hash;
  std::int64_t created_at = 0;
  std::string created_by;
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> revoked_at;
  std::optional<std::string> replaced_by;
  std::optional<std::int64_t> last_used_at;
};
void insert_key(db::Db& db, const KeyRow& key);
std::optional<KeyRow> load_key(db::Db& db, const std::string& id);
// The key and its role's grants (as role_grants, but a superuser role's list left empty: it
// holds every permission; nullopt when the role is gone) in one statement: every request with an API key asks this, and on PostgreSQL a statement is a
// network round trip.
struct KeyGrants {
  KeyRow key;
  std::optional<std::pair<bool, std::vector<std::string>>> grants;
};
std::optional<KeyGrants> load_key_with_grants(db::Db& db, const std::string& id);
std::vector<KeyRow> list_keys(db::Db& db);
// A page: `limit` + 1 keys by id after `after_id` ("" = from the start).
std::vector<KeyRow> list_keys(db::Db& db, const std::string& after_id, int limit);
// The current key of that name: not revoked and not replaced by a rotation.
std::optional<KeyRow> current_key_by_name(db::Db& db, const std::string& name);
void revoke_key(db::Db& db, const std::string& id, std::int64_t at);
void retire_key(db::Db& db, const std::string& id, const std::string& replaced_by, std::int64_t expires_at);
void touch_key(db::Db& db, const std::string& id, std::int64_t at);

struct Attempts {
  int failures = 0;
  std::int64_t last_failure_at = 0;
};
std::optional<Attempts> sign_in_attempts(db::Db& db, const std::string& key);
// Counts one more failure (starting again when the last one is long past); returns the count.
int record_sign_in_failure(db::Db& db, const std::string& key, std::int64_t at);
void clear_sign_in_failures(db::Db& db, const std::string& key);

struct OverrideRow {
  std::string id;
  std::string secret_hash;
  std::string permission;
  std::string approver_id;
  std::string requester_id;
  std::string requester_name;
  std::string reason;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> used_at;
};
void insert_override(db::Db& db, const OverrideRow& row);
std::optional<OverrideRow> load_override(db::Db& db, const std::string& id);
// Marks it used; false when it was used already (a race lost).
bool mark_override_used(db::Db& db, const std::string& id, std::int64_t at);

}  // namespace backroom::auth::store
