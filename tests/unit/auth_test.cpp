// Who may do what, the pure parts: the built-in role table, token and cookie parsing,
// secret hashing, the sign-in slow-down curve, credential rules, the card-number guard
// (Luhn vectors); and consume_override / role_limits against a real SQLite file.
#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "access/audit.hpp"
#include "access/auth.hpp"
#include "access/auth_admin.hpp"
#include "access/auth_store.hpp"
#include "access/people_feed.hpp"
#include "access/permissions.hpp"
#include "platform/json.hpp"
#include "platform/schema.hpp"
#include "platform/text.hpp"
#include "platform/types.hpp"

namespace backroom::auth {
namespace {

bool has(const RoleDefinition& r, std::string_view p) {
  return std::binary_search(r.permissions.begin(), r.permissions.end(), p);
}
bool includes(const RoleDefinition& big, const RoleDefinition& small) {
  return std::includes(big.permissions.begin(), big.permissions.end(), small.permissions.begin(),
                       small.permissions.end());
}

TEST(Roles, BuiltinTableIsLeastPrivilege) {
  const auto* cashier = builtin_role("cashier");
  const auto* lead = builtin_role("shift_lead");
  const auto* manager = builtin_role("manager");
  const auto* buyer = builtin_role("buyer");
  const auto* admin = builtin_role("admin");
  ASSERT_TRUE(cashier && lead && manager && buyer && admin);
  EXPECT_EQ(builtin_role("root"), nullptr);
  EXPECT_TRUE(includes(*lead, *cashier));
  EXPECT_TRUE(includes(*manager, *lead));
  EXPECT_TRUE(admin->superuser);
  EXPECT_EQ(admin->permissions, permission_catalogue());
  for (const auto* frontline : {cashier, lead}) {
    for (auto locked : {permission::items_locked, permission::items_barcodes, permission::prices_approve,
                        permission::users_manage, permission::apikeys_manage, permission::audit_read}) {
      EXPECT_FALSE(has(*frontline, locked)) << frontline->name << " " << locked;
    }
  }
  EXPECT_TRUE(has(*cashier, permission::sales_create));
  EXPECT_TRUE(has(*cashier, permission::registers_operate));
  EXPECT_TRUE(has(*lead, permission::sales_void));
  EXPECT_TRUE(has(*manager, permission::prices_approve));
  EXPECT_TRUE(has(*manager, permission::audit_read));
  EXPECT_TRUE(has(*buyer, permission::items_barcodes));
  EXPECT_FALSE(has(*buyer, permission::prices_approve));
  // Price SoD: no one but the superuser edits prices directly.
  for (const auto& r : builtin_roles())
    if (!r.superuser) {
      EXPECT_FALSE(has(r, permission::items_locked)) << r.name;
    }
  EXPECT_EQ(cashier->discount_basis_points_max, 1000);
  EXPECT_EQ(cashier->return_without_receipt_max, 0);
  EXPECT_EQ(lead->discount_basis_points_max, 2500);
  EXPECT_EQ(lead->return_without_receipt_max, 5000);
  EXPECT_FALSE(manager->discount_basis_points_max);
}

TEST(Roles, EveryRolePermissionIsKnownAndSorted) {
  for (const auto& r : builtin_roles()) {
    EXPECT_TRUE(std::is_sorted(r.permissions.begin(), r.permissions.end())) << r.name;
    for (const auto& p : r.permissions) EXPECT_TRUE(known_permission(p)) << r.name << " " << p;
  }
  EXPECT_FALSE(known_permission("items.fly"));
  EXPECT_FALSE(known_permission(permission::authenticated));
  EXPECT_TRUE(valid_role_name("night_shift"));
  EXPECT_FALSE(valid_role_name("Night Shift"));
  EXPECT_FALSE(valid_role_name(""));
}

TEST(Tokens, RoundTripAndRejectMalformed) {
  auto t = new_token("brk");
  EXPECT_EQ(t.id.size(), 16u);
  EXPECT_EQ(t.secret.size(), 64u);
  auto parsed = parse_token(t.text(), "brk");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->id, t.id);
  EXPECT_EQ(parsed->secret, t.secret);
  EXPECT_FALSE(parse_token(t.text(), "bks")) << "the prefix says what kind of token it is";
  std::string good = "brk_0123456789abcdef_" + std::string(64, 'a');
  EXPECT_TRUE(parse_token(good, "brk"));
  for (std::string bad : {std::string(""), std::string("brk"), good.substr(1), good + "a", good.substr(0, good.size() - 1),
                          "brk-0123456789abcdef_" + std::string(64, 'a'), "brk_0123456789ABCDEF_" + std::string(64, 'a'),
                          "brk_0123456789abcdeg_" + std::string(64, 'a'), "brk_0123456789abcdef_" + std::string(64, ' ')})
    EXPECT_FALSE(parse_token(bad, "brk")) << bad;
  EXPECT_NE(new_token("brk").text(), new_token("brk").text());
}

TEST(Tokens, SecretHashIsBlake2bAndComparedWhole) {
  auto h = secret_hash("secret");
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h, secret_hash("secret"));
  EXPECT_NE(h, secret_hash("secreT"));
  EXPECT_TRUE(same_hash(h, secret_hash("secret")));
  EXPECT_FALSE(same_hash(h, secret_hash("other")));
  EXPECT_FALSE(same_hash(h, h.substr(0, 63)));
  EXPECT_FALSE(same_hash("", "a"));
}

TEST(Cookies, FindsTheSessionCookie) {
  EXPECT_EQ(cookie_value("backroom_session=abc", "backroom_session"), "abc");
  EXPECT_EQ(cookie_value("a=1; backroom_session=abc; b=2", "backroom_session"), "abc");
  EXPECT_EQ(cookie_value("a=1;backroom_session=\"abc\"", "backroom_session"), "abc");
  EXPECT_FALSE(cookie_value("xbackroom_session=abc", "backroom_session"));
  EXPECT_FALSE(cookie_value("", "backroom_session"));
  EXPECT_FALSE(cookie_value("backroom_session", "backroom_session"));
}

TEST(SignIn, SlowDownGrowsThenLocksOut) {
  const std::int64_t t0 = 1'000'000'000'000'000;
  EXPECT_EQ(sign_in_wait_seconds(0, t0, t0), 0);
  EXPECT_EQ(sign_in_wait_seconds(sign_in_free_failures - 1, t0, t0), 0);
  EXPECT_EQ(sign_in_wait_seconds(sign_in_free_failures, t0, t0), 1);
  EXPECT_EQ(sign_in_wait_seconds(sign_in_free_failures + 1, t0, t0), 2);
  EXPECT_EQ(sign_in_wait_seconds(sign_in_free_failures + 3, t0, t0), 8);
  EXPECT_EQ(sign_in_wait_seconds(sign_in_lockout_failures, t0, t0), sign_in_lockout_seconds);
  EXPECT_EQ(sign_in_wait_seconds(50, t0, t0), sign_in_lockout_seconds);
  EXPECT_EQ(sign_in_wait_seconds(sign_in_free_failures + 1, t0, t0 + 1'500'000), 1) << "rounds up";
  EXPECT_EQ(sign_in_wait_seconds(sign_in_free_failures + 1, t0, t0 + 2'000'000), 0);
}

TEST(Credentials, Rules) {
  EXPECT_EQ(normalize_username(" Anna"), std::nullopt);
  EXPECT_EQ(normalize_username("Anna.B"), "anna.b");
  EXPECT_EQ(normalize_username(std::string(65, 'a')), std::nullopt);
  EXPECT_EQ(normalize_username(""), std::nullopt);
  EXPECT_FALSE(password_problem("eight ch"));
  EXPECT_TRUE(password_problem("seven c"));
  EXPECT_TRUE(password_problem("with\ttab"));
  EXPECT_FALSE(pin_problem("1234"));
  EXPECT_TRUE(pin_problem("123"));
  EXPECT_TRUE(pin_problem("12a4"));
  EXPECT_TRUE(pin_problem("123456789"));
  auto generated = generate_password();
  EXPECT_EQ(generated.size(), 23u);
  EXPECT_FALSE(password_problem(generated));
}

TEST(Credentials, Argon2idHashesVerify) {
  ASSERT_GE(sodium_init(), 0);
  auto h = hash_password("correct horse");
  EXPECT_TRUE(h.starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password(h, "correct horse"));
  EXPECT_FALSE(verify_password(h, "correct horsE"));
  EXPECT_NE(h, hash_password("correct horse")) << "salted";
}

TEST(CardNumbers, LuhnVectors) {
  for (auto pan : {"4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "4012888888881881",
                   "3530111333300000", "79927398713"})
    EXPECT_TRUE(text::luhn_valid(pan)) << pan;
  for (auto no : {"4111111111111112", "79927398710", "1234567812345678"}) EXPECT_FALSE(text::luhn_valid(no)) << no;
  EXPECT_TRUE(text::contains_card_number("paid with 4111 1111 1111 1111 yesterday"));
  EXPECT_TRUE(text::contains_card_number("4111-1111-1111-1111"));
  EXPECT_FALSE(text::contains_card_number("79927398713")) << "too short to be a card";
  EXPECT_FALSE(text::contains_card_number("order 4111111111111112"));
  try {
    json::check_free_text("reason", "card 5555555555554444");
    FAIL() << "a card number passed";
  } catch (const Problem& p) {
    EXPECT_EQ(p.status, 422);
    EXPECT_EQ(p.code, "card_number_not_allowed");
    EXPECT_EQ(p.field, "reason");
  }
}

// consume_override and role_limits on a real database.
class OverrideStore : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    path_ = (std::filesystem::temp_directory_path() / ("auth_test_" + random_hex(6) + ".db")).string();
    db_ = db::Db::open(path_, db::Mode::read_write);
    schema::migrate(*db_);
    db::Transaction tx(*db_);  // as `backroom init` does: users are written in a transaction
    store::sync_builtin_roles(*db_);
    ensure_user(*db_, "admin", "admin", "admin password", std::nullopt, "Admin");
    ensure_user(*db_, "cash", "cashier", "cash password", std::string("1111"), "Cash");
    ensure_user(*db_, "lead", "shift_lead", "lead password", std::string("2222"), "Lead");
    tx.commit();
    cashier_ = actor_of("cash");
  }
  void TearDown() override {
    db_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }
  Actor actor_of(const std::string& name) {
    auto u = *store::user_by_name(*db_, name);
    Actor a = Actor::of(u.username, "test");
    a.user_id = u.id;
    a.role = u.role;
    a.permissions = store::role_grants(*db_, u.role)->second;
    return a;
  }
  std::string grant(const std::string& approver, const std::string& permission, std::int64_t valid_micros) {
    auto t = new_token("bko");
    auto at = now().micros;
    store::insert_override(*db_, store::OverrideRow{t.id, secret_hash(t.secret), permission,
                                                    store::user_by_name(*db_, approver)->id, cashier_.user_id,
                                                    cashier_.user, "", at, at + valid_micros, std::nullopt});
    return t.text();
  }
  std::string path_;
  std::unique_ptr<db::Db> db_;
  Actor cashier_;
};

TEST_F(OverrideStore, ConsumesOnceForTheRightPermissionAndRequester) {
  auto token = grant("lead", "sales.void", 60'000'000);
  EXPECT_FALSE(consume_override(*db_, token, "returns.no_receipt", cashier_)) << "another permission";
  EXPECT_FALSE(consume_override(*db_, token, "sales.void", actor_of("admin"))) << "another requester";
  auto approver = consume_override(*db_, token, "sales.void", cashier_);
  ASSERT_TRUE(approver);
  EXPECT_EQ(approver->user, "lead");
  EXPECT_EQ(approver->role, "shift_lead");
  EXPECT_TRUE(approver->can("sales.void"));
  EXPECT_FALSE(consume_override(*db_, token, "sales.void", cashier_)) << "single use";
  auto audit = list_audit(*db_, AuditFilter{"override", "", "", "override.use", {}, {}, {}, 10});
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].actor, "cash");
  EXPECT_NE(audit[0].after->find("\"approver\":\"lead\""), std::string::npos);
}

TEST_F(OverrideStore, RefusesExpiredForgedAndUnheldPermissions) {
  EXPECT_FALSE(consume_override(*db_, grant("lead", "sales.void", -1), "sales.void", cashier_)) << "expired";
  auto token = grant("lead", "sales.void", 60'000'000);
  auto forged = token.substr(0, token.size() - 1) + (token.back() == '0' ? "1" : "0");
  EXPECT_FALSE(consume_override(*db_, forged, "sales.void", cashier_));
  EXPECT_FALSE(consume_override(*db_, "garbage", "sales.void", cashier_));
  EXPECT_FALSE(consume_override(*db_, grant("lead", "prices.approve", 60'000'000), "prices.approve", cashier_))
      << "a lead does not hold prices.approve";
}

TEST_F(OverrideStore, RoleLimitsComeFromTheDatabase) {
  auto cash = role_limits(*db_, cashier_);
  EXPECT_EQ(cash.discount_basis_points_max, 1000);
  EXPECT_EQ(cash.return_without_receipt_minor_max, 0);
  auto lead = role_limits(*db_, actor_of("lead"));
  EXPECT_EQ(lead.discount_basis_points_max, 2500);
  EXPECT_EQ(lead.return_without_receipt_minor_max, 5000);
  EXPECT_EQ(role_limits(*db_, actor_of("admin")).discount_basis_points_max, unlimited);
  EXPECT_EQ(role_limits(*db_, Actor::of("cli", "cli")).return_without_receipt_minor_max, unlimited);
  auto role = *store::load_role(*db_, "cashier");
  role.discount_basis_points_max = 500;
  {
    db::Transaction tx(*db_);
    store::update_role(*db_, role);
    tx.commit();
  }
  EXPECT_EQ(role_limits(*db_, cashier_).discount_basis_points_max, 500);
  store::sync_builtin_roles(*db_);
  EXPECT_EQ(role_limits(*db_, cashier_).discount_basis_points_max, 500) << "a restart keeps the shop's limits";
}

}  // namespace
// Head office's people at a store node (access/people_feed.hpp): what one shop sends another
// applies by username, a second time changes nothing, a disabled user loses their sessions,
// and a bad row names its field and applies nothing.
TEST_F(OverrideStore, PeopleApplyByUsernameOnceAndRefuseBadRows) {
  auto people = people_to_json(*db_);
  EXPECT_EQ(people.at("version").as_string(), people_version(*db_));
  auto& users = people.at("users").as_array();
  ASSERT_EQ(users.size(), 3u);
  // Another shop (the node): its own admin, and nobody else yet.
  auto node_path = path_ + "-node.db";
  auto node = db::Db::open(node_path, db::Mode::read_write);
  schema::migrate(*node);
  {
    db::Transaction tx(*node);
    store::sync_builtin_roles(*node);
    ensure_user(*node, "admin", "admin", "node admin password", std::nullopt, "Node admin");
    ensure_user(*node, "local", "cashier", "local password", std::nullopt, "Local");
    tx.commit();
  }
  auto local_admin = *store::user_by_name(*node, "admin");
  store::SessionRow session{"S1", local_admin.id, "h", "c", "o", 1, 1, std::numeric_limits<std::int64_t>::max()};
  {
    db::Transaction tx(*node);
    auto applied = apply_people(*node, people);
    EXPECT_EQ(applied.users, 3);  // admin replaced by head office's, cash and lead created
    store::insert_session(*node, session);
    tx.commit();
  }
  auto admin = *store::user_by_name(*node, "admin");
  EXPECT_EQ(admin.id, local_admin.id) << "each side keeps its own ids";
  EXPECT_EQ(admin.display_name, "Admin");
  EXPECT_EQ(admin.password_hash, store::user_by_name(*db_, "admin")->password_hash);
  EXPECT_EQ(store::user_by_name(*node, "cash")->pin_hash, store::user_by_name(*db_, "cash")->pin_hash);
  EXPECT_TRUE(store::user_by_name(*node, "local")) << "the node's own person stays";
  {
    db::Transaction tx(*node);
    auto again = apply_people(*node, people);
    EXPECT_EQ(again.users, 0);
    EXPECT_EQ(again.roles, 0);
    tx.commit();
  }
  // Disabled at head office: the session at the node ends.
  for (auto& u : users)
    if (u.as_object().at("username") == "admin") u.as_object()["disabled"] = true;
  {
    db::Transaction tx(*node);
    EXPECT_EQ(apply_people(*node, people).users, 1);
    tx.commit();
  }
  EXPECT_TRUE(store::user_by_name(*node, "admin")->disabled);
  EXPECT_FALSE(store::load_session(*node, "S1"));
  // A row it cannot read names the field.
  for (auto& u : users)
    if (u.as_object().at("username") == "cash") u.as_object()["role"] = "no_such_role";
  {
    db::Transaction tx(*node);
    try {
      apply_people(*node, people);
      ADD_FAILURE() << "an unknown role is refused";
    } catch (const Problem& p) {
      EXPECT_EQ(p.status, 422);
      EXPECT_EQ(p.field, "people.users[1].role");
    }
  }
  node.reset();
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(node_path + suffix);
}

}  // namespace backroom::auth
