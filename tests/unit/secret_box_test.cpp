#include "platform/secret_box.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace backroom::secret_box {
namespace {

std::string temp_db(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / ("secret_box_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto db = dir / name;
  std::filesystem::remove(db.string() + ".key");
  return db.string();
}

TEST(SecretBox, KeyPathFollowsTheDatabase) {
  ::unsetenv("BACKROOM_KEY_FILE");
  EXPECT_EQ(key_path("/srv/shop.db"), "/srv/shop.db.key");
  EXPECT_EQ(key_path("file:/srv/shop.db?mode=rwc"), "/srv/shop.db.key");
  ::setenv("HOME", "/home/shop", 1);
  EXPECT_EQ(key_path("postgresql://backroom:pw@db.example:6543/shop?sslmode=require"),
            "/home/shop/.config/backroom/keys/db.example_6543_shop.key");
  EXPECT_EQ(key_path("postgresql://other:changed@db.example:6543/shop"),
            "/home/shop/.config/backroom/keys/db.example_6543_shop.key")
      << "the key follows the server and database, not the credentials";
  ::setenv("BACKROOM_KEY_FILE", "/etc/backroom/shop.key", 1);
  EXPECT_EQ(key_path("/srv/shop.db"), "/etc/backroom/shop.key");
  ::unsetenv("BACKROOM_KEY_FILE");
}

TEST(SecretBox, SealsAndOpensWithAPrivateKeyFile) {
  ::unsetenv("BACKROOM_KEY_FILE");
  std::string db = temp_db("a.db");
  std::string sealed = seal(db, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  EXPECT_EQ(sealed.rfind("sb1:", 0), 0u);
  EXPECT_EQ(sealed.find("MfKQ9r8"), std::string::npos) << "never in the clear";
  EXPECT_EQ(open(db, sealed), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  EXPECT_NE(seal(db, "same"), seal(db, "same")) << "a fresh nonce per seal";
  EXPECT_EQ(open(db, seal(db, "")), "");
  auto mode = std::filesystem::status(db + ".key").permissions();
  EXPECT_EQ(mode & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
}

TEST(SecretBox, RefusesAnotherKeyOrAChangedByte) {
  ::unsetenv("BACKROOM_KEY_FILE");
  std::string a = temp_db("b.db"), b = temp_db("c.db");
  std::string sealed = seal(a, "secret");
  EXPECT_THROW(open(b, sealed), std::runtime_error);
  std::string changed = sealed;
  changed[changed.size() - 3] = changed[changed.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_THROW(open(a, changed), std::runtime_error);
  EXPECT_THROW(open(a, "secret"), std::runtime_error);
  EXPECT_THROW(open(a, "sb1:!!"), std::runtime_error);
}

TEST(SecretBox, BlindIndexIsKeyedAndFollowsARotation) {
  ::unsetenv("BACKROOM_KEY_FILE");
  std::string a = temp_db("d.db"), b = temp_db("e.db");
  auto index = blind_index(a, "customer.phone", "+46701234567");
  EXPECT_EQ(index.size(), 32u) << "16 bytes as hex";
  EXPECT_EQ(index.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(blind_index(a, "customer.phone", "+46701234567"), index) << "deterministic: found by exact value";
  EXPECT_NE(blind_index(a, "customer.phone", "+46701234568"), index);
  EXPECT_NE(blind_index(a, "customer.email", "+46701234567"), index) << "another purpose, another index";
  EXPECT_NE(blind_index(b, "customer.phone", "+46701234567"), index) << "another shop key, another index";
  // A rotation from a's key to b's makes b's index from a value sealed under a's key.
  Resealer reseal(key_file(a), key_file(b));
  EXPECT_EQ(reseal.reindex("customer.phone", seal(a, "+46701234567")), blind_index(b, "customer.phone", "+46701234567"));
  EXPECT_EQ(reseal.reindex("customer.phone", "+46701234567"), blind_index(b, "customer.phone", "+46701234567"))
      << "a value stored before sealing is taken as plaintext";
}

}  // namespace
}  // namespace backroom::secret_box
