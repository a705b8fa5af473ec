#include "cli/auth_cli.hpp"

#include <fmt/format.h>

#include <iostream>

#include "access/auth.hpp"
#include "access/auth_admin.hpp"
#include "access/auth_store.hpp"
#include "access/permissions.hpp"
#include "cli/shop.hpp"
#include "platform/json.hpp"
#include "platform/master_data.hpp"
#include "platform/types.hpp"

namespace backroom::cli::auth_cli {

namespace bj = boost::json;

namespace {

Actor cli_actor() { return Actor::of("cli", "cli"); }

std::string time_or_dash(const std::optional<std::int64_t>& micros) {
  return micros ? format_rfc3339(Timestamp{*micros}) : "-";
}

auth::store::KeyRow pick_key(db::Db& db, const std::string& name, const std::string& id) {
  if (!id.empty()) {
    auto k = auth::store::load_key(db, id);
    if (!k) throw not_found("API key", id);
    return *k;
  }
  if (name.empty()) throw Problem(422, "missing_field", "give --name or --id", "name");
  auto k = auth::store::current_key_by_name(db, name);
  if (!k) throw Problem(404, "not_found", fmt::format("no current API key is named '{}'", name));
  return *k;
}

}  // namespace

void add_commands(CLI::App& app, std::string& db_path, std::function<void(App&)> add_routes) {
  auto add_db = [&db_path](CLI::App* sub) {
    sub->add_option("--db", db_path, "SQLite database file of the shop")->envname("BACKROOM_DB")->capture_default_str();
  };

  // --- users ---
  auto* user = app.add_subcommand("user", "People who sign in: add, list, disable");
  user->require_subcommand(1);

  struct UserAdd {
    std::string username, role, password, display_name, pin;
  };
  auto add_opts = std::make_shared<UserAdd>();
  auto* add = user->add_subcommand("add", "Add a user (the password is generated and printed when not given)");
  add_db(add);
  add->add_option("--username", add_opts->username, "User name (a-z 0-9 . _ -)")->required();
  add->add_option("--role", add_opts->role, "Role: cashier, shift_lead, manager, buyer, admin or a custom role")->required();
  add->add_option("--password", add_opts->password, "Password (at least 8 characters)")->envname("BACKROOM_USER_PASSWORD");
  add->add_option("--display-name", add_opts->display_name, "Name shown in the UI");
  add->add_option("--pin", add_opts->pin, "Register PIN (4 to 8 digits)");
  add->callback([&db_path, add_opts] {
    auto username = auth::normalize_username(add_opts->username);
    if (!username) throw CLI::ValidationError("--username", "a user name is 1 to 64 of a-z, 0-9, '.', '_' and '-'");
    bool generated = add_opts->password.empty();
    std::string password = generated ? auth::generate_password() : add_opts->password;
    if (auto why = auth::password_problem(password)) throw CLI::ValidationError("--password", *why);
    std::optional<std::string> pin;
    if (!add_opts->pin.empty()) {
      if (auto why = auth::pin_problem(add_opts->pin)) throw CLI::ValidationError("--pin", *why);
      pin = add_opts->pin;
    }
    if (!add_opts->display_name.empty()) json::check_free_text("display_name", add_opts->display_name);
    auto db = open_shop(db_path);
    db::Transaction tx(*db);
    auth::store::UserRow row;
    row.username = *username;
    row.display_name = add_opts->display_name.empty() ? *username : add_opts->display_name;
    row.role = add_opts->role;
    row.password_hash = auth::hash_password(password);
    if (pin) row.pin_hash = auth::hash_password(*pin);
    auto created = auth::create_user(*db, cli_actor(), row);
    tx.commit();
    std::cout << fmt::format("user '{}' ({}) created, id {}", created.username, created.role, created.id) << std::endl;
    if (generated) std::cout << fmt::format("password: {}  (shown only once)", password) << std::endl;
  });

  auto* list = user->add_subcommand("list", "List users");
  add_db(list);
  list->callback([&db_path] {
    auto db = open_shop(db_path);
    std::cout << fmt::format("{:<20} {:<12} {:<9} {:<4} {}", "USERNAME", "ROLE", "STATUS", "PIN", "ID") << "\n";
    for (const auto& u : auth::store::list_users(*db))
      std::cout << fmt::format("{:<20} {:<12} {:<9} {:<4} {}", u.username, u.role, u.disabled ? "disabled" : "active",
                               u.pin_hash ? "yes" : "no", u.id)
                << "\n";
    std::cout << std::flush;
  });

  auto disable_name = std::make_shared<std::string>();
  auto* disable = user->add_subcommand("disable", "Disable a user (ends their sessions)");
  add_db(disable);
  disable->add_option("--username", *disable_name, "User name")->required();
  disable->callback([&db_path, disable_name] {
    auto db = open_shop(db_path);
    db::Transaction tx(*db);
    auto u = auth::store::user_by_name(*db, auth::normalize_username(*disable_name).value_or(*disable_name));
    if (!u) throw Problem(404, "not_found", fmt::format("no user is named '{}'", *disable_name));
    auth::UserChange change;
    change.disabled = true;
    auth::update_user(*db, cli_actor(), u->id, change);
    tx.commit();
    std::cout << fmt::format("user '{}' disabled", u->username) << std::endl;
  });

  // --- API keys ---
  auto* apikey = app.add_subcommand("apikey", "API keys for integrations: create, list, revoke, rotate");
  apikey->require_subcommand(1);

  struct KeyOptions {
    std::string name, role, id;
    std::vector<std::string> locations;
    std::int64_t expires_in_days = 0;
    std::int64_t grace_seconds = auth::key_rotation_grace_seconds_default;
  };
  auto key_opts = std::make_shared<KeyOptions>();

  auto* create = apikey->add_subcommand("create", "Create a key for a role; prints the key once");
  add_db(create);
  create->add_option("--name", key_opts->name, "Name of the integration")->required();
  create->add_option("--role", key_opts->role, "Role the key acts with")->required();
  create->add_option("--location", key_opts->locations, "Limit the key to these location ids (repeatable)");
  create->add_option("--expires-in-days", key_opts->expires_in_days, "Expire after this many days (0 = never)")
      ->check(CLI::Range(0, 3650));
  create->callback([&db_path, key_opts] {
    json::check_free_text("name", key_opts->name);
    auto db = open_shop(db_path);
    db::Transaction tx(*db);
    std::optional<std::int64_t> expires;
    if (key_opts->expires_in_days > 0) expires = now().micros + key_opts->expires_in_days * 86'400'000'000;
    auto issued = auth::create_key(*db, cli_actor(), key_opts->name, key_opts->role, key_opts->locations, expires);
    tx.commit();
    std::cout << issued.key << std::endl;
    std::cerr << fmt::format("API key '{}' (role {}, id {}) created; the key above is shown only once",
                             issued.row.name, issued.row.role, issued.row.id)
              << std::endl;
  });

  auto* keys = apikey->add_subcommand("list", "List keys (never their secrets)");
  add_db(keys);
  keys->callback([&db_path] {
    auto db = open_shop(db_path);
    auto at = now().micros;
    std::cout << fmt::format("{:<16} {:<24} {:<12} {:<8} {:<27} {}", "ID", "NAME", "ROLE", "STATUS", "EXPIRES",
                             "LAST USED")
              << "\n";
    for (const auto& k : auth::store::list_keys(*db))
      std::cout << fmt::format("{:<16} {:<24} {:<12} {:<8} {:<27} {}", k.id, k.name, k.role, auth::key_status(k, at),
                               time_or_dash(k.expires_at), time_or_dash(k.last_used_at))
                << "\n";
    std::cout << std::flush;
  });

  auto* revoke = apikey->add_subcommand("revoke", "Revoke a key at once (by --name or --id)");
  add_db(revoke);
  revoke->add_option("--name", key_opts->name, "Name of the current key");
  revoke->add_option("--id", key_opts->id, "Key id");
  revoke->callback([&db_path, key_opts] {
    auto db = open_shop(db_path);
    db::Transaction tx(*db);
    auto k = pick_key(*db, key_opts->name, key_opts->id);
    auth::revoke_key(*db, cli_actor(), k.id);
    tx.commit();
    std::cout << fmt::format("API key '{}' ({}) revoked", k.name, k.id) << std::endl;
  });

  auto* rotate = apikey->add_subcommand("rotate", "New key; the old one works for --grace-seconds more");
  add_db(rotate);
  rotate->add_option("--name", key_opts->name, "Name of the current key");
  rotate->add_option("--id", key_opts->id, "Key id");
  rotate->add_option("--grace-seconds", key_opts->grace_seconds, "How long the old key keeps working")
      ->check(CLI::Range(std::int64_t{0}, auth::key_rotation_grace_seconds_max));
  rotate->callback([&db_path, key_opts] {
    auto db = open_shop(db_path);
    db::Transaction tx(*db);
    auto k = pick_key(*db, key_opts->name, key_opts->id);
    auto issued = auth::rotate_key(*db, cli_actor(), k.id, key_opts->grace_seconds);
    tx.commit();
    std::cout << issued.key << std::endl;
    std::cerr << fmt::format("API key '{}' rotated: new id {}; the old key {} works for {} more seconds", k.name,
                             issued.row.id, k.id, key_opts->grace_seconds)
              << std::endl;
  });

  // --- the permission vocabulary (web/scripts/permissions.mjs generates the UI's copy) ---
  auto* vocabulary = app.add_subcommand("permissions", "Print the permission vocabulary roles and routes use");
  vocabulary->group("");  // hidden
  auto vocabulary_json = std::make_shared<bool>(false);
  vocabulary->add_flag("--json", *vocabulary_json, "JSON output");
  vocabulary->callback([vocabulary_json] {
    if (*vocabulary_json) {
      bj::array names;
      for (auto p : permission::catalogue) names.push_back(bj::value(std::string(p)));
      std::cout << json::serialize(bj::object{{"permissions", std::move(names)},
                                               {"authenticated", std::string(permission::authenticated)},
                                               {"public", std::string(permission::public_route)}})
                << std::endl;
      return;
    }
    for (auto p : permission::catalogue) std::cout << p << "\n";
    std::cout << std::flush;
  });

  // --- route table (for tests and docs) ---
  auto* routes = app.add_subcommand("routes", "Print every route with its permission, and the roles");
  routes->group("");  // hidden
  auto json_flag = std::make_shared<bool>(false);
  routes->add_flag("--json", *json_flag, "JSON output");
  routes->callback([json_flag, add_routes] {
    App table(":memory:");
    add_routes(table);
    bj::array out;
    for (const auto& r : table.router.routes())
      out.push_back(bj::object{{"method", r.method},
                               {"pattern", r.pattern},
                               {"permission", r.permission},  // "public" for no credentials
                               {"summary", r.summary},
                               {"idempotency", std::string(http::idempotency_name(r.idempotency))},
                               {"idempotency_note", r.idempotency_note},
                               {"master_data", master_data::marked(r)}});
    bj::object roles;
    bj::array superusers;
    for (const auto& role : auth::builtin_roles()) {
      if (role.superuser) superusers.push_back(bj::value(role.name));
      bj::array permissions;
      for (const auto& p : role.permissions) permissions.push_back(bj::value(p));
      roles[role.name] = std::move(permissions);
    }
    bj::array catalogue;
    for (const auto& p : auth::permission_catalogue()) catalogue.push_back(bj::value(p));
    if (*json_flag) {
      std::cout << json::serialize(bj::object{{"routes", std::move(out)}, {"roles", std::move(roles)},
                                               {"superuser_roles", std::move(superusers)}, {"permissions", std::move(catalogue)}})
                << std::endl;
      return;
    }
    for (const auto& r : table.router.routes())
      std::cout << fmt::format("{:<7} {:<45} {}", r.method, r.pattern, r.permission == permission::public_route ? "(public)" : r.permission)
                << "\n";
    std::cout << std::flush;
  });
}

}  // namespace backroom::cli::auth_cli
