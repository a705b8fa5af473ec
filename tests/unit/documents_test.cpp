// Documents post once (platform/documents.hpp): which id a command gets, when it replays,
// and when it is 422, against a real in-memory database with the shop's schema. `prior`
// here stands for the command's own table: a map from id to the request hash it kept.
#include <gtest/gtest.h>

#include <map>

#include "platform/db.hpp"
#include "platform/documents.hpp"
#include "platform/ids.hpp"
#include "platform/problem.hpp"
#include "platform/schema.hpp"

namespace backroom {
namespace {

using documents::Claim;
using documents::DocumentKey;
using documents::Prior;

class Documents : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = db::Db::open(":memory:", db::Mode::read_write);
    schema::migrate(*db_);
    tx_ = std::make_unique<db::Transaction>(*db_);
  }

  // The command's table: ids posted so far and the request hash each kept.
  std::map<std::string, std::string> posted_;
  int lookups_ = 0;

  Claim claim(const DocumentKey& key, std::string_view route = "sale") {
    return documents::claim(*db_, key, route, "sale", [this, &key](const std::string& id) {
      ++lookups_;
      auto it = posted_.find(id);
      return documents::prior_of(it == posted_.end() ? std::nullopt : std::optional(it->second), key);
    });
  }
  // What a command does after its rows: keep the hash, remember the key.
  void post(const DocumentKey& key, const Claim& c, std::string_view route = "sale") {
    posted_[c.id] = key.request_hash;
    documents::remember(*db_, key, route, c.id);
  }
  std::int64_t keys_kept() {
    auto q = db_->query("SELECT COUNT(*) FROM idempotency_keys");
    q.step();
    return q.int64(0);
  }
  std::string code_of(const DocumentKey& key, std::string_view route = "sale") {
    try {
      claim(key, route);
    } catch (const Problem& p) {
      EXPECT_EQ(p.status, 422);
      return p.code;
    }
    return "no problem";
  }

  std::unique_ptr<db::Db> db_;
  std::unique_ptr<db::Transaction> tx_;
};

const std::string body_a = documents::request_hash(R"({"lines":[1]})");
const std::string body_b = documents::request_hash(R"({"lines":[2]})");
const std::string id_1 = "01890a5d-ac96-774b-bcce-b302099a8057";

TEST(DocumentsHash, IsStableHexAndTellsBodiesApart) {
  EXPECT_EQ(body_a, documents::request_hash(R"({"lines":[1]})"));
  EXPECT_NE(body_a, body_b);
  EXPECT_EQ(body_a.size(), 32u);
  EXPECT_EQ(body_a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(DocumentsPrior, FromTheStoredHash) {
  DocumentKey key{std::nullopt, std::nullopt, body_a};
  struct Row {
    std::optional<std::string> stored;
    Prior expected;
  };
  for (const auto& row : {Row{std::nullopt, Prior::none}, Row{body_a, Prior::same_request},
                          Row{body_b, Prior::other_request}, Row{std::string(), Prior::other_request}})
    EXPECT_EQ(documents::prior_of(row.stored, key), row.expected) << row.stored.value_or("(none)");
}

TEST_F(Documents, NoIdNoKeyIsANewDocumentWithoutALookup) {
  DocumentKey key{std::nullopt, std::nullopt, body_a};
  auto first = claim(key);
  auto second = claim(key);
  EXPECT_TRUE(is_uuid(first.id, true));
  EXPECT_FALSE(first.replay);
  EXPECT_NE(first.id, second.id);
  EXPECT_EQ(lookups_, 0);
  post(key, first);
  EXPECT_EQ(keys_kept(), 0);  // nothing to remember without a key
}

TEST_F(Documents, TheBodysIdIsTheDocumentsIdAndASecondPostReplaysIt) {
  DocumentKey key{id_1, std::nullopt, body_a};
  auto first = claim(key);
  EXPECT_EQ(first.id, id_1);
  EXPECT_FALSE(first.replay);
  post(key, first);
  auto again = claim(key);
  EXPECT_EQ(again.id, id_1);
  EXPECT_TRUE(again.replay);
}

TEST_F(Documents, TheSameIdWithAnotherBodyIs422) {
  DocumentKey key{id_1, std::nullopt, body_a};
  post(key, claim(key));
  EXPECT_EQ(code_of(DocumentKey{id_1, std::nullopt, body_b}), "idempotency_key_reused");
}

TEST_F(Documents, AKeyFindsTheDocumentItCreated) {
  DocumentKey key{std::nullopt, "till-1-0001", body_a};
  auto first = claim(key);
  EXPECT_FALSE(first.replay);
  post(key, first);
  EXPECT_EQ(keys_kept(), 1);
  auto again = claim(key);
  EXPECT_EQ(again.id, first.id);
  EXPECT_TRUE(again.replay);
}

TEST_F(Documents, AKeyWinsOverTheBodysIdOnceUsed) {
  DocumentKey key{std::nullopt, "till-1-0002", body_a};
  auto first = claim(key);
  post(key, first);
  // The retry names an id too (a client that learned one): the key's document answers.
  auto again = claim(DocumentKey{id_1, "till-1-0002", body_a});
  EXPECT_EQ(again.id, first.id);
  EXPECT_TRUE(again.replay);
}

TEST_F(Documents, AKeyWithAnotherBodyOrOnAnotherRouteIs422) {
  DocumentKey key{std::nullopt, "till-1-0003", body_a};
  post(key, claim(key));
  EXPECT_EQ(code_of(DocumentKey{std::nullopt, "till-1-0003", body_b}), "idempotency_key_reused");
  EXPECT_EQ(code_of(key, "return"), "idempotency_key_reused");
}

TEST_F(Documents, AKeyWhoseDocumentIsGoneGetsThatIdAgain) {
  // A key remembered for an id the command's table does not hold (a document that keeps no
  // row until later): the command posts under the remembered id.
  DocumentKey key{std::nullopt, "till-1-0004", body_a};
  documents::remember(*db_, key, "sale", id_1);
  auto c = claim(key);
  EXPECT_EQ(c.id, id_1);
  EXPECT_FALSE(c.replay);
}

TEST_F(Documents, ATableWithoutHashesReplaysWhateverExists) {
  // Parked sales, sessions and reservations keep no request hash: existing means replay.
  DocumentKey key{id_1, std::nullopt, body_b};
  auto c = documents::claim(*db_, key, "parked", "parked sale", [](const std::string&) { return Prior::same_request; });
  EXPECT_TRUE(c.replay);
  EXPECT_EQ(c.id, id_1);
}

}  // namespace
}  // namespace backroom
