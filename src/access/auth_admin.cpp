#include "access/audit.hpp"
#include "access/auth_admin.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "platform/ids.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"

namespace backroom::auth {

namespace bj = boost::json;

namespace {

bj::value opt_time(const std::optional<std::int64_t>& micros) {
  return micros ? bj::value(format_rfc3339(Timestamp{*micros})) : bj::value(nullptr);
}

Problem forbidden_grant(const std::string& role, const std::string& permission) {
  Problem p(403, "forbidden",
            fmt::format("you cannot hand out role '{}': it grants '{}', which you do not have", role, permission));
  p.extra_json = bj::serialize(bj::object{{"permission", permission}, {"role", role}});
  return p;
}

void audit_user(db::Db& db, const Actor& actor, const std::string& action, const std::optional<store::UserRow>& before,
                const store::UserRow& after) {
  append_audit(db, actor,
               AuditEntry{action, "user", after.id,
                          before ? std::optional<std::string>(bj::serialize(user_to_json(*before))) : std::nullopt,
                          bj::serialize(user_to_json(after))});
}

}  // namespace

void check_can_grant(db::Db& db, const Actor& actor, const std::string& role_name) {
  auto role = store::load_role(db, role_name);
  if (!role) throw Problem(422, "unknown_role", fmt::format("there is no role '{}'", role_name), "role");
  if (actor.role.empty()) return;
  auto mine = store::role_grants(db, actor.role);
  if (mine && mine->first) return;  // a superuser may grant anything
  if (role->superuser) throw forbidden_grant(role_name, "*");
  for (const auto& p : role->permissions)
    if (!actor.can(p)) throw forbidden_grant(role_name, p);
}

store::UserRow create_user(db::Db& db, const Actor& actor, store::UserRow user) {
  check_can_grant(db, actor, user.role);
  if (store::user_by_name(db, user.username))
    throw Problem(409, "duplicate_username", fmt::format("user name '{}' is taken", user.username), "username");
  user.id = new_uuid_v7();
  user.created_at = user.updated_at = now().micros;
  store::insert_user(db, user);
  audit_user(db, actor, "user.create", std::nullopt, user);
  return user;
}

store::UserRow update_user(db::Db& db, const Actor& actor, const std::string& id, const UserChange& change) {
  auto before = store::user_by_id(db, id);
  if (!before) throw not_found("user", id);
  // Changing someone who holds more than you is escalation too.
  check_can_grant(db, actor, before->role);
  store::UserRow after = *before;
  if (change.display_name) after.display_name = *change.display_name;
  if (change.role) {
    check_can_grant(db, actor, *change.role);
    after.role = *change.role;
  }
  if (change.disabled) after.disabled = *change.disabled;
  if (change.password_hash) after.password_hash = *change.password_hash;
  if (change.pin_hash) after.pin_hash = *change.pin_hash;
  after.updated_at = now().micros;
  store::update_user(db, after);
  if (store::count_active_superusers(db) == 0)
    throw Problem(409, "last_admin", "this would leave no enabled admin; make someone else admin first");
  if (after.disabled || change.password_hash || after.role != before->role) store::delete_user_sessions(db, id);
  bool secret_changed = change.password_hash || change.pin_hash;
  auto after_json = user_to_json(after);
  if (secret_changed) after_json["credentials_changed"] = true;
  append_audit(db, actor,
               AuditEntry{"user.update", "user", id, bj::serialize(user_to_json(*before)), bj::serialize(after_json)});
  return after;
}

IssuedKey create_key(db::Db& db, const Actor& actor, const std::string& name, const std::string& role,
                     std::vector<std::string> location_ids, std::optional<std::int64_t> expires_at) {
  check_can_grant(db, actor, role);
  if (store::current_key_by_name(db, name))
    throw Problem(409, "duplicate_key_name",
                  fmt::format("an API key named '{}' exists; rotate or revoke it instead", name), "name");
  auto at = now().micros;
  if (expires_at && *expires_at <= at) throw invalid_field("expires_at", "expires_at must be in the future");
  auto token = new_token("brk");
  store::KeyRow row{token.id,   name,       role, std::move(location_ids), secret_hash(token.secret), at,
                    actor.user, expires_at, {},   {},                      {}};
  store::insert_key(db, row);
  append_audit(db, actor, AuditEntry{"apikey.create", "api_key", row.id, std::nullopt, bj::serialize(key_to_json(row))});
  return IssuedKey{row, token.text()};
}

IssuedKey rotate_key(db::Db& db, const Actor& actor, const std::string& id, std::int64_t grace_seconds) {
  auto old = store::load_key(db, id);
  if (!old) throw not_found("API key", id);
  check_can_grant(db, actor, old->role);
  auto at = now().micros;
  if (old->revoked_at) throw Problem(409, "key_revoked", fmt::format("API key {} is revoked", id));
  if (old->replaced_by) throw Problem(409, "key_rotated", fmt::format("API key {} was already rotated to {}", id, *old->replaced_by));
  if (old->expires_at && *old->expires_at <= at) throw Problem(409, "key_expired", fmt::format("API key {} has expired", id));
  auto token = new_token("brk");
  store::KeyRow fresh{token.id, old->name, old->role, old->location_ids, secret_hash(token.secret), at,
                      actor.user, old->expires_at, {}, {}, {}};
  store::insert_key(db, fresh);
  store::retire_key(db, old->id, fresh.id, at + grace_seconds * 1'000'000);
  auto retired = store::load_key(db, old->id);
  append_audit(db, actor,
               AuditEntry{"apikey.rotate", "api_key", old->id, bj::serialize(key_to_json(*old)),
                          bj::serialize(bj::object{{"old", key_to_json(*retired)}, {"new", key_to_json(fresh)}})});
  return IssuedKey{fresh, token.text()};
}

store::KeyRow revoke_key(db::Db& db, const Actor& actor, const std::string& id) {
  auto before = store::load_key(db, id);
  if (!before) throw not_found("API key", id);
  check_can_grant(db, actor, before->role);
  store::revoke_key(db, id, now().micros);
  auto after = store::load_key(db, id);
  append_audit(db, actor,
               AuditEntry{"apikey.revoke", "api_key", id, bj::serialize(key_to_json(*before)), bj::serialize(key_to_json(*after))});
  return *after;
}

std::string key_status(const store::KeyRow& k, std::int64_t at) {
  if (k.revoked_at) return "revoked";
  if (k.expires_at && *k.expires_at <= at) return "expired";
  if (k.replaced_by) return "rotated";
  return "active";
}

bj::object user_to_json(const store::UserRow& u) {
  return bj::object{{"id", u.id},
                    {"username", u.username},
                    {"display_name", u.display_name},
                    {"role", u.role},
                    {"disabled", u.disabled},
                    {"has_pin", u.pin_hash.has_value()},
                    {"created_at", format_rfc3339(Timestamp{u.created_at})},
                    {"updated_at", format_rfc3339(Timestamp{u.updated_at})}};
}

bj::object key_to_json(const store::KeyRow& k) {
  bj::array locations;
  for (const auto& l : k.location_ids) locations.push_back(bj::value(l));
  return bj::object{{"id", k.id},
                    {"name", k.name},
                    {"role", k.role},
                    {"location_ids", std::move(locations)},
                    {"status", key_status(k, now().micros)},
                    {"created_at", format_rfc3339(Timestamp{k.created_at})},
                    {"created_by", k.created_by},
                    {"expires_at", opt_time(k.expires_at)},
                    {"revoked_at", opt_time(k.revoked_at)},
                    {"replaced_by", k.replaced_by ? bj::value(*k.replaced_by) : bj::value(nullptr)},
                    {"last_used_at", opt_time(k.last_used_at)}};
}

bj::object role_to_json(const store::RoleRow& r) {
  bj::array permissions;
  for (const auto& p : r.superuser ? permission_catalogue() : r.permissions) permissions.push_back(bj::value(p));
  auto limit = [&](const std::optional<std::int64_t>& v) { return r.superuser || !v ? bj::value(nullptr) : bj::value(*v); };
  return bj::object{{"name", r.name},
                    {"description", r.description},
                    {"builtin", r.builtin},
                    {"superuser", r.superuser},
                    {"permissions", std::move(permissions)},
                    {"limits", bj::object{{"discount_basis_points_max", limit(r.discount_basis_points_max)},
                                          {"return_without_receipt_max", limit(r.return_without_receipt_max)}}}};
}

bool ensure_user(db::Db& db, const std::string& username, const std::string& role, const std::string& password,
                 const std::optional<std::string>& pin, const std::string& display_name) {
  if (store::user_by_name(db, username)) return false;
  store::UserRow u;
  u.username = username;
  u.display_name = display_name;
  u.role = role;
  u.password_hash = hash_password(password);
  if (pin) u.pin_hash = hash_password(*pin);
  create_user(db, Actor::of("cli", "cli"), std::move(u));
  return true;
}

}  // namespace backroom::auth
