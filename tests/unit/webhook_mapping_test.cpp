#include "integrations/webhook_mapping.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "integrations/events.hpp"
#include "integrations/webhooks.hpp"
#include "platform/db.hpp"
#include "platform/outbox.hpp"
#include "platform/schema.hpp"

namespace backroom::integrations::webhooks {
namespace {

namespace bj = boost::json;

// A receiver's table as PUT /api/v1/mappings/{name} stores it: theirs -> ours.
Mapping acme() {
  Mapping m;
  m.name = "acme";
  m.version = 3;
  m.fields = {{"store", "location_id"}, {"article", "sku"}, {"qty", "quantity"}, {"vat", "tax_category"},
              {"rows", "lines"}};
  m.values = {{"location_id", {{"S-01", "loc-main"}, {"S-02", "loc-mall"}}},
              {"tax_category", {{"A", "standard"}, {"B", "reduced"}}},
              {"tax_rate_bp", {{"A", "2000"}}}};
  return m;
}

TEST(WebhookMapping, TheTableIsInverted) {
  auto out = outbound_mapping(acme());
  EXPECT_EQ(out.name, "acme");
  EXPECT_EQ(out.version, 3);
  EXPECT_EQ(out.fields.at("location_id"), "store");
  EXPECT_EQ(out.values.at("tax_category").at("reduced"), "B");
}

TEST(WebhookMapping, TwoOfTheirsForOneOfOursTakeTheFirstInByteOrder) {
  Mapping m;
  m.fields = {{"b_store", "location_id"}, {"a_store", "location_id"}};
  m.values = {{"tax_category", {{"Z", "standard"}, {"A", "standard"}}}};
  auto out = outbound_mapping(m);
  EXPECT_EQ(out.fields.at("location_id"), "a_store");
  EXPECT_EQ(out.values.at("tax_category").at("standard"), "A");
}

struct Case {
  const char* name;
  const char* data;      // ours
  const char* expected;  // theirs
  int unmapped;
};

TEST(WebhookMapping, Table) {
  const Case cases[] = {
      {"flat rename and value", R"({"location_id":"loc-main","total":"9.90"})", R"({"store":"S-01","total":"9.90"})", 0},
      {"unmapped fields pass through", R"({"id":"x","note":null,"n":3,"ok":true})",
       R"({"id":"x","note":null,"n":3,"ok":true})", 0},
      {"nested object", R"({"sale":{"location_id":"loc-mall","meta":{"tax_category":"reduced"}}})",
       R"({"sale":{"store":"S-02","meta":{"vat":"B"}}})", 0},
      {"array of lines, the array itself renamed",
       R"({"lines":[{"sku":"A1","quantity":"2","tax_category":"standard"},{"sku":"B2","quantity":"1","tax_category":"reduced"}]})",
       R"({"rows":[{"article":"A1","qty":"2","vat":"A"},{"article":"B2","qty":"1","vat":"B"}]})", 0},
      {"a value the map does not name stays and is counted",
       R"({"location_id":"loc-new","lines":[{"tax_category":"zero"}]})",
       R"({"store":"loc-new","rows":[{"vat":"zero"}]})", 2},
      {"a value map applies to arrays of strings", R"({"location_id":["loc-main","loc-mall"]})",
       R"({"store":["S-01","S-02"]})", 0},
      {"integers by their text; null, booleans and fractions never", R"({"tax_rate_bp":2000,"location_id":7,"tax_category":null,"t":true,"f":1.5})",
       R"({"tax_rate_bp":"A","store":7,"vat":null,"t":true,"f":1.5})", 1},
      {"a renamed field replaces an unrenamed one of the same name", R"({"store":"ours","location_id":"loc-main"})",
       R"({"store":"S-01"})", 0},
      {"values are matched exactly (our ids)", R"({"location_id":"LOC-MAIN"})", R"({"store":"LOC-MAIN"})", 1},
      {"not an object", R"(["loc-main"])", R"(["loc-main"])", 0},
  };
  auto m = outbound_mapping(acme());
  for (const auto& c : cases) {
    auto result = map_data(m, bj::parse(c.data));
    EXPECT_EQ(bj::serialize(result.data), bj::serialize(bj::parse(c.expected))) << c.name;  // in the same order
    EXPECT_EQ(result.unmapped, c.unmapped) << c.name;
  }
}

TEST(WebhookMapping, OnlyDataOfTheEnvelopeIsRewritten) {
  auto m = outbound_mapping(acme());
  auto out = map_payload(m, R"({"type":"sale.completed","timestamp":"2026-12-04T10:00:00Z","data":{"location_id":"loc-main"}})");
  EXPECT_EQ(out.body, R"({"type":"sale.completed","timestamp":"2026-12-04T10:00:00Z","data":{"store":"S-01"}})");
  EXPECT_EQ(out.unmapped, 0);
  // Not a Standard Webhooks body: sent as it is.
  EXPECT_EQ(map_payload(m, "not json").body, "not json");
  EXPECT_EQ(map_payload(m, R"({"location_id":"loc-main"})").body, R"({"location_id":"loc-main"})");
}

TEST(WebhookMapping, AnEmptyTableChangesNothing) {
  OutboundMapping none;
  const char* body = R"({"type":"t","timestamp":"x","data":{"a":[{"b":"c"}],"d":{"e":1}}})";
  EXPECT_EQ(map_payload(none, body).body, body);
}

TEST(WebhookMapping, DecimalsLeaveExactlyAsWritten) {
  // A weighed quantity and a fractional balance: read exactly, written back as the same
  // bare numbers (a binary double would come out as 1.5E0, the parser's own form as a string).
  OutboundMapping m;
  m.fields.emplace("quantity", "qty");
  m.renamed_from.emplace("qty", "quantity");
  const char* body = R"({"type":"sale.completed","timestamp":"x","data":{"lines":[{"quantity":1.5},{"quantity":0.125}],"on_hand":8.5}})";
  EXPECT_EQ(map_payload(m, body).body,
            R"({"type":"sale.completed","timestamp":"x","data":{"lines":[{"qty":1.5},{"qty":0.125}],"on_hand":8.5}})");
  EXPECT_EQ(map_payload(OutboundMapping{}, body).body, body);
  // A fraction in a field with a value map is never rewritten nor counted (as before).
  auto coded = outbound_mapping(acme());
  auto out = map_payload(coded, R"({"type":"t","timestamp":"x","data":{"tax_rate_bp":2.5}})");
  EXPECT_EQ(out.body, R"({"type":"t","timestamp":"x","data":{"tax_rate_bp":2.5}})");
  EXPECT_EQ(out.unmapped, 0);
}

}  // namespace
}  // namespace backroom::integrations::webhooks

// The shared window of outbox events (webhooks.hpp EventWindow) answers what events_after
// answers, from any cursor, while it fills, slides and is read from behind its start.
namespace backroom::integrations::webhooks {
namespace {

struct TempDb {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("backroom-event-window-test-" + std::to_string(::getpid()) + ".db"))
                         .string();
  TempDb() { remove(); }
  ~TempDb() { remove(); }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
};

TEST(EventWindow, AnswersWhatTheOutboxHoldsFromAnyCursor) {
  TempDb file;
  auto db = db::Db::open(file.path, db::Mode::read_write);
  schema::migrate(*db);
  auto add = [&](int n) {
    for (int i = 0; i < n; ++i)
      append_event(*db, i % 3 == 0 ? "sale.completed" : "internal.note", "e", R"({"location_id":"L1"})");
  };
  EventWindow window(8);  // small, so it slides
  auto seqs = [](const auto& list) {
    std::vector<std::int64_t> out;
    for (const auto& e : list) out.push_back(e.seq);
    return out;
  };
  add(5);
  for (int round = 0; round < 4; ++round) {
    for (std::int64_t cursor : {std::int64_t{0}, std::int64_t{2}, std::int64_t{5 * round}, std::int64_t{5 * round + 3}}) {
      auto direct = events_after(*db, cursor, 4, "");
      auto shared = window.after(*db, cursor, 4);
      auto expected = seqs(direct);
      auto got = seqs(shared);
      // From behind the window's start it stops at the window's end (the rest comes next read).
      ASSERT_LE(got.size(), expected.size()) << "round " << round << " cursor " << cursor;
      ASSERT_TRUE(std::equal(got.begin(), got.end(), expected.begin())) << "round " << round << " cursor " << cursor;
      if (!direct.empty()) {
        ASSERT_FALSE(got.empty()) << "round " << round << " cursor " << cursor;
      }
      for (const auto& e : shared) {
        if (e.type == "sale.completed") {
          ASSERT_TRUE(e.body);
          EXPECT_NE(e.body->find(R"("type":"sale.completed")"), std::string::npos);
        } else {
          EXPECT_FALSE(e.body) << "an unpublished type has no body";
        }
      }
    }
    add(5);
  }
  // One body per event, shared: two reads of the same event hand out the same string.
  auto a = window.after(*db, 18, 1);  // event 19 is a sale.completed
  auto b = window.after(*db, 18, 1);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  ASSERT_TRUE(a[0].body);
  EXPECT_EQ(a[0].body.get(), b[0].body.get());
}

}  // namespace
}  // namespace backroom::integrations::webhooks
