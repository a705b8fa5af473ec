#include "access/audit.hpp"
#include "access/auth_store.hpp"
#include "access/people_feed.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>

#include "platform/types.hpp"

namespace backroom::auth {

namespace bj = boost::json;

namespace store {

namespace {

std::vector<std::string> role_permissions(db::Db& db, const std::string& role) {
  std::vector<std::string> out;
  auto q = db.query("SELECT permission FROM role_permissions WHERE role = ? ORDER BY permission");
  q.bind(1, role);
  while (q.step()) out.push_back(q.text(0));
  return out;
}

void replace_permissions(db::Db& db, const std::string& role, const std::vector<std::string>& permissions) {
  db.query("DELETE FROM role_permissions WHERE role = ?").bind(1, role).run();
  for (const auto& p : permissions)
    db.query("INSERT INTO role_permissions (role, permission) VALUES (?, ?)").bind(1, role).bind(2, p).run();
}

constexpr const char* user_columns =
    "SELECT id, username, display_name, role, password_hash, pin_hash, disabled, created_at, updated_at FROM users ";

UserRow read_user(const db::Query& q) {
  return UserRow{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.opt_text(5), q.int64(6) != 0, q.int64(7),
                 q.int64(8)};
}

constexpr const char* key_columns =
    "SELECT id, name, role, location_ids, secret_hash, created_at, created_by, expires_at, revoked_at, replaced_by, "
    "last_used_at FROM api_keys ";

KeyRow read_key(const db::Query& q) {
  KeyRow k{q.text(0), q.text(1), q.text(2), {}, q.text(4), q.int64(5), q.text(6), q.opt_int64(7), q.opt_int64(8),
           q.opt_text(9), q.opt_int64(10)};
  bj::error_code ec;
  auto locations = bj::parse(q.text(3), ec);
  if (!ec && locations.is_array())
    for (const auto& l : locations.as_array())
      if (l.is_string()) k.location_ids.emplace_back(l.get_string());
  return k;
}

}  // namespace

void sync_builtin_roles(db::Db& db) {
  for (const auto& r : builtin_roles()) {
    db.query(
          "INSERT OR IGNORE INTO roles (name, description, builtin, superuser, discount_basis_points_max, "
          "return_without_receipt_max, created_at) VALUES (?, ?, 1, ?, ?, ?, ?)")
        .bind(1, r.name)
        .bind(2, r.description)
        .bind(3, r.superuser)
        .bind(4, r.discount_basis_points_max)
        .bind(5, r.return_without_receipt_max)
        .bind(6, now().micros)
        .run();
    db.query("UPDATE roles SET description = ?, builtin = 1, superuser = ? WHERE name = ?")
        .bind(1, r.description)
        .bind(2, r.superuser)
        .bind(3, r.name)
        .run();
    if (role_permissions(db, r.name) != r.permissions) replace_permissions(db, r.name, r.permissions);
  }
}

std::vector<RoleRow> list_roles(db::Db& db) {
  std::vector<std::string> names;
  {
    auto q = db.query("SELECT name FROM roles ORDER BY builtin DESC, name");
    while (q.step()) names.push_back(q.text(0));
  }
  std::vector<RoleRow> out;
  for (const auto& n : names)
    if (auto r = load_role(db, n)) out.push_back(std::move(*r));
  return out;
}

std::optional<RoleRow> load_role(db::Db& db, const std::string& name) {
  RoleRow r;
  {
    auto q = db.query(
        "SELECT name, description, builtin, superuser, discount_basis_points_max, return_without_receipt_max "
        "FROM roles WHERE name = ?");
    q.bind(1, name);
    if (!q.step()) return std::nullopt;
    r = RoleRow{q.text(0), q.text(1), q.int64(2) != 0, q.int64(3) != 0, {}, q.opt_int64(4), q.opt_int64(5)};
  }
  r.permissions = role_permissions(db, name);
  return r;
}

std::optional<std::pair<bool, std::vector<std::string>>> role_grants(db::Db& db, const std::string& name) {
  // One statement (every request's authentication asks this): the role's row, joined to
  // each of its permissions; a role without any gives one row with a NULL permission.
  auto q = db.query(
      "SELECT r.superuser, p.permission FROM roles r LEFT JOIN role_permissions p ON p.role = r.name "
      "WHERE r.name = ? ORDER BY p.permission");
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  std::pair<bool, std::vector<std::string>> grants{q.int64(0) != 0, {}};
  do {
    if (!q.is_null(1)) grants.second.push_back(q.text(1));
  } while (q.step());
  return grants;
}

void insert_role(db::Db& db, const RoleRow& r) {
  db.query(
        "INSERT INTO roles (name, description, builtin, superuser, discount_basis_points_max, "
        "return_without_receipt_max, created_at) VALUES (?, ?, 0, 0, ?, ?, ?)")
      .bind(1, r.name)
      .bind(2, r.description)
      .bind(3, r.discount_basis_points_max)
      .bind(4, r.return_without_receipt_max)
      .bind(5, now().micros)
      .run();
  replace_permissions(db, r.name, r.permissions);
  note_people_changed(db);  // store nodes learn it (people_feed.hpp)
}

void update_role(db::Db& db, const RoleRow& r) {
  db.query(
        "UPDATE roles SET description = ?, discount_basis_points_max = ?, return_without_receipt_max = ? WHERE name = ?")
      .bind(1, r.description)
      .bind(2, r.discount_basis_points_max)
      .bind(3, r.return_without_receipt_max)
      .bind(4, r.name)
      .run();
  if (!r.builtin) replace_permissions(db, r.name, r.permissions);
  note_people_changed(db);  // store nodes learn it (people_feed.hpp)
}

std::optional<UserRow> user_by_name(db::Db& db, const std::string& username) {
  auto q = db.query(std::string(user_columns) + "WHERE username = ?");
  q.bind(1, username);
  if (!q.step()) return std::nullopt;
  return read_user(q);
}

std::optional<UserRow> user_by_id(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(user_columns) + "WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_user(q);
}

std::vector<UserRow> list_users(db::Db& db) {
  std::vector<UserRow> out;
  auto q = db.query(std::string(user_columns) + "ORDER BY username");
  while (q.step()) out.push_back(read_user(q));
  return out;
}

std::vector<UserRow> list_users(db::Db& db, const std::string& after_username, int limit) {
  std::vector<UserRow> out;
  auto q = db.query(std::string(user_columns) + "WHERE username > ? ORDER BY username LIMIT ?");
  q.bind(1, after_username).bind(2, limit + 1);
  while (q.step()) out.push_back(read_user(q));
  return out;
}

void insert_user(db::Db& db, const UserRow& u) {
  db.query(
        "INSERT INTO users (id, username, display_name, role, password_hash, pin_hash, disabled, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, u.id)
      .bind(2, u.username)
      .bind(3, u.display_name)
      .bind(4, u.role)
      .bind(5, u.password_hash)
      .bind(6, u.pin_hash)
      .bind(7, u.disabled)
      .bind(8, u.created_at)
      .bind(9, u.updated_at)
      .run();
  note_people_changed(db);  // store nodes learn it (people_feed.hpp)
}

void update_user(db::Db& db, const UserRow& u) {
  db.query(
        "UPDATE users SET display_name = ?, role = ?, password_hash = ?, pin_hash = ?, disabled = ?, updated_at = ? "
        "WHERE id = ?")
      .bind(1, u.display_name)
      .bind(2, u.role)
      .bind(3, u.password_hash)
      .bind(4, u.pin_hash)
      .bind(5, u.disabled)
      .bind(6, u.updated_at)
      .bind(7, u.id)
      .run();
  note_people_changed(db);  // store nodes learn it (people_feed.hpp)
}

std::int64_t count_users(db::Db& db) {
  auto q = db.query("SELECT COUNT(*) FROM users");
  q.step();
  return q.int64(0);
}

std::int64_t count_active_superusers(db::Db& db) {
  auto q = db.query(
      "SELECT COUNT(*) FROM users JOIN roles ON roles.name = users.role WHERE roles.superuser = 1 AND "
      "users.disabled = 0");
  q.step();
  return q.int64(0);
}

void insert_session(db::Db& db, const SessionRow& s) {
  db.query(
        "INSERT INTO sessions (id, user_id, secret_hash, csrf_token, origin, created_at, last_seen_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, s.id)
      .bind(2, s.user_id)
      .bind(3, s.secret_hash)
      .bind(4, s.csrf_token)
      .bind(5, s.origin)
      .bind(6, s.created_at)
      .bind(7, s.last_seen_at)
      .bind(8, s.expires_at)
      .run();
}

std::optional<SessionRow> load_session(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, user_id, secret_hash, csrf_token, origin, created_at, last_seen_at, expires_at FROM sessions "
      "WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return SessionRow{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.int64(5), q.int64(6), q.int64(7)};
}

void delete_session(db::Db& db, const std::string& id) { db.query("DELETE FROM sessions WHERE id = ?").bind(1, id).run(); }

void delete_user_sessions(db::Db& db, const std::string& user_id) {
  db.query("DELETE FROM sessions WHERE user_id = ?").bind(1, user_id).run();
}

void touch_session(db::Db& db, const std::string& id, std::int64_t at) {
  db.query("UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?) WHERE id = ?").bind(1, at).bind(2, id).run();
}

void insert_key(db::Db& db, const KeyRow& k) {
  bj::array locations;
  for (const auto& l : k.location_ids) locations.push_back(bj::value(l));
  db.query(
        "INSERT INTO api_keys (id, name, role, location_ids, secret_hash, created_at, created_by, expires_at, "
        "revoked_at, replaced_by, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, k.id)
      .bind(2, k.name)
      .bind(3, k.role)
      .bind(4, bj::serialize(locations))
      .bind(5, k.secret_hash)
      .bind(6, k.created_at)
      .bind(7, k.created_by)
      .bind(8, k.expires_at)
      .bind(9, k.revoked_at)
      .bind(10, k.replaced_by)
      .bind(11, k.last_used_at)
      .run();
}

std::optional<KeyRow> load_key(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(key_columns) + "WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_key(q);
}

std::optional<KeyGrants> load_key_with_grants(db::Db& db, const std::string& id) {
  // The key's row, its role's (NULL when gone) and the role's permissions as a JSON array; not
  // for a superuser role, which holds every permission whatever rows it has (auth_api.cpp
  // ignores them): building the array of the admin role's 56 and parsing it back was work on
  // every request with an admin key (docs/performance.md, "Sales throughput", 2026-12-06).
  static const std::string sql =
      "SELECT k.id, k.name, k.role, k.location_ids, k.secret_hash, k.created_at, k.created_by, k.expires_at, "
      "k.revoked_at, k.replaced_by, k.last_used_at, r.name, r.superuser, "
      "CASE WHEN r.superuser = 1 THEN NULL "
      "ELSE (SELECT json_group_array(permission) FROM role_permissions WHERE role = r.name) END FROM api_keys k "
      "LEFT JOIN roles r ON r.name = k.role WHERE k.id = ?";
  auto q = db.query(sql);
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  KeyGrants out{read_key(q), std::nullopt};
  if (q.is_null(11)) return out;
  out.grants.emplace(q.int64(12) != 0, std::vector<std::string>{});
  if (!q.is_null(13)) {  // an empty group: '[]' on SQLite, NULL on PostgreSQL
    bj::error_code ec;
    auto permissions = bj::parse(q.text(13), ec);
    if (!ec && permissions.is_array())
      for (const auto& p : permissions.as_array())
        if (p.is_string()) out.grants->second.emplace_back(p.get_string());
  }
  std::sort(out.grants->second.begin(), out.grants->second.end());
  return out;
}

std::vector<KeyRow> list_keys(db::Db& db) {
  std::vector<KeyRow> out;
  auto q = db.query(std::string(key_columns) + "ORDER BY name, created_at");
  while (q.step()) out.push_back(read_key(q));
  return out;
}

std::vector<KeyRow> list_keys(db::Db& db, const std::string& after_id, int limit) {
  std::vector<KeyRow> out;
  auto q = db.query(std::string(key_columns) + "WHERE id > ? ORDER BY id LIMIT ?");
  q.bind(1, after_id).bind(2, limit + 1);
  while (q.step()) out.push_back(read_key(q));
  return out;
}

std::optional<KeyRow> current_key_by_name(db::Db& db, const std::string& name) {
  auto q = db.query(std::string(key_columns) +
                    "WHERE name = ? AND revoked_at IS NULL AND replaced_by IS NULL ORDER BY created_at DESC LIMIT 1");
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  return read_key(q);
}

void revoke_key(db::Db& db, const std::string& id, std::int64_t at) {
  db.query("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").bind(1, at).bind(2, id).run();
}

void retire_key(db::Db& db, const std::string& id, const std::string& replaced_by, std::int64_t expires_at) {
  db.query(
        "UPDATE api_keys SET replaced_by = ?, expires_at = MIN(COALESCE(expires_at, ?), ?) WHERE id = ?")
      .bind(1, replaced_by)
      .bind(2, expires_at)
      .bind(3, expires_at)
      .bind(4, id)
      .run();
}

void touch_key(db::Db& db, const std::string& id, std::int64_t at) {
  db.query("UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?")
      .bind(1, at)
      .bind(2, id)
      .run();
}

std::optional<Attempts> sign_in_attempts(db::Db& db, const std::string& key) {
  auto q = db.query("SELECT failures, last_failure_at FROM sign_in_attempts WHERE key = ?");
  q.bind(1, key);
  if (!q.step()) return std::nullopt;
  return Attempts{static_cast<int>(q.int64(0)), q.int64(1)};
}

int record_sign_in_failure(db::Db& db, const std::string& key, std::int64_t at) {
  auto previous = sign_in_attempts(db, key);
  int failures = 1;
  if (previous && at - previous->last_failure_at < sign_in_failure_memory_seconds * 1'000'000)
    failures = previous->failures + 1;
  db.query(
        "INSERT INTO sign_in_attempts (key, failures, last_failure_at) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at")
      .bind(1, key)
      .bind(2, failures)
      .bind(3, at)
      .run();
  return failures;
}

void clear_sign_in_failures(db::Db& db, const std::string& key) {
  db.query("DELETE FROM sign_in_attempts WHERE key = ?").bind(1, key).run();
}

void insert_override(db::Db& db, const OverrideRow& o) {
  db.query(
        "INSERT INTO overrides (id, secret_hash, permission, approver_id, requester_id, requester_name, reason, "
        "created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, o.id)
      .bind(2, o.secret_hash)
      .bind(3, o.permission)
      .bind(4, o.approver_id)
      .bind(5, o.requester_id)
      .bind(6, o.requester_name)
      .bind(7, o.reason)
      .bind(8, o.created_at)
      .bind(9, o.expires_at)
      .bind(10, o.used_at)
      .run();
}

std::optional<OverrideRow> load_override(db::Db& db, const std::string& id) {
  auto q = db.query(
      "SELECT id, secret_hash, permission, approver_id, requester_id, requester_name, reason, created_at, "
      "expires_at, used_at FROM overrides WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return OverrideRow{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4),
                     q.text(5), q.text(6), q.int64(7), q.int64(8), q.opt_int64(9)};
}

bool mark_override_used(db::Db& db, const std::string& id, std::int64_t at) {
  db.query("UPDATE overrides SET used_at = ? WHERE id = ? AND used_at IS NULL").bind(1, at).bind(2, id).run();
  return db.changes() == 1;
}

}  // namespace store

RoleLimits role_limits(db::Db& db, const Actor& actor) {
  if (actor.role.empty()) return RoleLimits{unlimited, unlimited};
  auto role = store::load_role(db, actor.role);
  if (!role) return RoleLimits{0, 0};
  if (role->superuser) return RoleLimits{unlimited, unlimited};
  return RoleLimits{role->discount_basis_points_max.value_or(unlimited),
                    role->return_without_receipt_max.value_or(unlimited)};
}

std::optional<Actor> consume_override(db::Db& db, const std::string& token, std::string_view permission,
                                      const Actor& requester) {
  auto parsed = parse_token(token, "bko");
  if (!parsed) return std::nullopt;
  auto row = store::load_override(db, parsed->id);
  if (!row || !same_hash(row->secret_hash, secret_hash(parsed->secret))) return std::nullopt;
  auto at = now().micros;
  if (row->used_at || row->expires_at <= at || row->permission != permission) return std::nullopt;
  if (!requester.user_id.empty() && row->requester_id != requester.user_id) return std::nullopt;
  auto approver = store::user_by_id(db, row->approver_id);
  if (!approver || approver->disabled) return std::nullopt;
  auto grants = store::role_grants(db, approver->role);
  if (!grants) return std::nullopt;
  Actor a;
  a.user = approver->username;
  a.origin = requester.origin;
  a.user_id = approver->id;
  a.role = approver->role;
  a.permissions = grants->first ? permission_catalogue() : grants->second;
  if (!a.can(permission)) return std::nullopt;
  if (!store::mark_override_used(db, row->id, at)) return std::nullopt;
  bj::object after{{"permission", row->permission},
                   {"approver", approver->username},
                   {"approver_id", approver->id},
                   {"requester", requester.user},
                   {"requester_id", requester.user_id},
                   {"reason", row->reason}};
  append_audit(db, requester, AuditEntry{"override.use", "override", row->id, std::nullopt, bj::serialize(after)});
  return a;
}

}  // namespace backroom::auth
