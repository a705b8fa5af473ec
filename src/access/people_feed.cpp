// Head office's people for its store nodes (access/people_feed.hpp).
#include "access/people_feed.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "access/auth.hpp"
#include "access/auth_store.hpp"
#include "platform/assert.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "platform/types.hpp"

namespace backroom::auth {

namespace bj = boost::json;

void note_people_changed(db::Db& db) { settings::put(db, people_version_setting, new_uuid_v7()); }

std::string people_version(db::Db& db) {
  return settings::get(db, people_version_setting).value_or(people_version_initial);
}

namespace {
bj::value optional_number(const std::optional<std::int64_t>& v) { return v ? bj::value(*v) : bj::value(nullptr); }
}  // namespace

bj::object people_to_json(db::Db& db) {
  bj::array roles;
  for (const auto& r : store::list_roles(db)) {
    bj::array permissions;
    for (const auto& p : r.permissions) permissions.push_back(bj::value(p));
    roles.push_back(bj::object{{"name", r.name},
                               {"description", r.description},
                               {"builtin", r.builtin},
                               {"permissions", std::move(permissions)},
                               {"discount_basis_points_max", optional_number(r.discount_basis_points_max)},
                               {"return_without_receipt_max", optional_number(r.return_without_receipt_max)}});
  }
  bj::array users;
  for (const auto& u : store::list_users(db))
    users.push_back(bj::object{{"username", u.username},
                               {"display_name", u.display_name},
                               {"role", u.role},
                               {"password_hash", u.password_hash},
                               {"pin_hash", u.pin_hash ? bj::value(*u.pin_hash) : bj::value(nullptr)},
                               {"disabled", u.disabled}});
  return bj::object{{"version", people_version(db)}, {"roles", std::move(roles)}, {"users", std::move(users)}};
}

namespace {

const bj::array& array_field(const bj::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (!v || !v->is_array()) throw invalid_field(fmt::format("people.{}", name), "a list");
  return v->get_array();
}

struct RowFields {
  const bj::object& o;
  std::string path;
  std::string text(std::string_view name) const {
    const auto* v = o.if_contains(name);
    if (!v || !v->is_string()) throw invalid_field(fmt::format("{}.{}", path, name), "a string");
    return std::string(v->get_string());
  }
  std::optional<std::string> opt_text(std::string_view name) const {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return std::nullopt;
    return text(name);
  }
  bool flag(std::string_view name) const {
    const auto* v = o.if_contains(name);
    if (!v || !v->is_bool()) throw invalid_field(fmt::format("{}.{}", path, name), "true or false");
    return v->get_bool();
  }
  std::optional<std::int64_t> opt_count(std::string_view name) const {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_int64() || v->get_int64() < 0) throw invalid_field(fmt::format("{}.{}", path, name), "a count or null");
    return v->get_int64();
  }
};

const bj::object& row(const bj::value& v, const std::string& path) {
  if (!v.is_object()) throw invalid_field(path, "an object");
  return v.get_object();
}

}  // namespace

PeopleApplied apply_people(db::Db& db, const bj::object& people) {
  db::assert_in_transaction(db);
  PeopleApplied applied;
  const auto& roles = array_field(people, "roles");
  for (std::size_t i = 0; i < roles.size(); ++i) {
    RowFields f{row(roles[i], fmt::format("people.roles[{}]", i)), fmt::format("people.roles[{}]", i)};
    store::RoleRow r;
    r.name = f.text("name");
    if (!valid_role_name(r.name)) throw invalid_field(f.path + ".name", "a role name");
    r.description = f.text("description");
    r.discount_basis_points_max = f.opt_count("discount_basis_points_max");
    r.return_without_receipt_max = f.opt_count("return_without_receipt_max");
    const auto* list = f.o.if_contains("permissions");
    if (!list || !list->is_array()) throw invalid_field(f.path + ".permissions", "a list of permissions");
    for (const auto& p : list->get_array()) {
      if (!p.is_string()) throw invalid_field(f.path + ".permissions", "a list of permissions");
      r.permissions.emplace_back(p.get_string());
    }
    std::sort(r.permissions.begin(), r.permissions.end());
    auto here = store::load_role(db, r.name);
    if (!here) {
      // A built-in role head office has and this binary does not: a newer head office. The
      // node cannot make it built-in; it waits for the node's own upgrade.
      if (f.flag("builtin")) continue;
      store::insert_role(db, r);
    } else {
      r.builtin = here->builtin;
      if (here->description == r.description && here->discount_basis_points_max == r.discount_basis_points_max &&
          here->return_without_receipt_max == r.return_without_receipt_max &&
          (here->builtin || here->permissions == r.permissions))
        continue;
      store::update_role(db, r);
    }
    ++applied.roles;
  }
  const auto& users = array_field(people, "users");
  auto at = now().micros;
  for (std::size_t i = 0; i < users.size(); ++i) {
    RowFields f{row(users[i], fmt::format("people.users[{}]", i)), fmt::format("people.users[{}]", i)};
    store::UserRow u;
    u.username = f.text("username");
    u.display_name = f.text("display_name");
    u.role = f.text("role");
    u.password_hash = f.text("password_hash");
    u.pin_hash = f.opt_text("pin_hash");
    u.disabled = f.flag("disabled");
    if (u.username.empty() || u.password_hash.empty()) throw invalid_field(f.path, "a user with a name and a password hash");
    if (!store::load_role(db, u.role))
      throw invalid_field(f.path + ".role", fmt::format("role '{}' is not among head office's roles", u.role));
    auto here = store::user_by_name(db, u.username);
    if (!here) {
      u.id = new_uuid_v7();
      u.created_at = u.updated_at = at;
      store::insert_user(db, u);
    } else {
      if (here->display_name == u.display_name && here->role == u.role && here->password_hash == u.password_hash &&
          here->pin_hash == u.pin_hash && here->disabled == u.disabled)
        continue;
      u.id = here->id;
      u.created_at = here->created_at;
      u.updated_at = at;
      store::update_user(db, u);
      if (u.disabled && !here->disabled) store::delete_user_sessions(db, u.id);
    }
    ++applied.users;
  }
  return applied;
}

}  // namespace backroom::auth
