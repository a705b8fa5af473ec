// Redacting the contact older releases wrote into an online order's documents
// (orders::redact_order_contact, issue 22; `backroom audit redact-contacts`). Each row is a
// document as a release before migration 35 stored it (an audit entry's after-image, an
// order.paid event, a webhook batch) and what it must read after redaction: every
// `customer` with a name, phone or email beside an order `id` becomes that order's customer
// reference; anything else is left byte for byte.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "orders/order.hpp"

namespace backroom::orders {
namespace {

namespace bj = boost::json;

bj::object ref_of(const std::string& order_id) {
  return bj::object{{"id", "cust-of-" + order_id}, {"number", "C-" + order_id}};
}

struct Row {
  const char* what;
  const char* before;
  const char* after;  // == before when nothing changes
  bool changed;
};

TEST(RedactOrderContact, Table) {
  const std::vector<Row> rows{
      {"an order's after-image with name, phone and email",
       R"({"id":"o1","status":"paid","customer":{"name":"Ada","phone":"+31612345678","email":"ada@example.com"}})",
       R"({"id":"o1","status":"paid","customer":{"id":"cust-of-o1","number":"C-o1"}})", true},
      {"a contact with an email only",
       R"({"id":"o2","customer":{"email":"ada@example.com"}})",
       R"({"id":"o2","customer":{"id":"cust-of-o2","number":"C-o2"}})", true},
      {"an event whose data is the order",
       R"({"type":"order.paid","data":{"id":"o3","customer":{"name":"Bo","phone":"+441234"}}})",
       R"({"type":"order.paid","data":{"id":"o3","customer":{"id":"cust-of-o3","number":"C-o3"}}})", true},
      {"a webhook batch: every order in the array, each by its own id",
       R"([{"id":"o4","customer":{"name":"A"}},{"id":"o5","customer":{"name":"B"}},{"id":"o6","customer":{"id":"c6","number":"C-6"}}])",
       R"([{"id":"o4","customer":{"id":"cust-of-o4","number":"C-o4"}},{"id":"o5","customer":{"id":"cust-of-o5","number":"C-o5"}},{"id":"o6","customer":{"id":"c6","number":"C-6"}}])",
       true},
      {"already a reference (a later release's document): unchanged",
       R"({"id":"o7","customer":{"id":"c7","number":"C-000007"}})", R"({"id":"o7","customer":{"id":"c7","number":"C-000007"}})",
       false},
      {"a contact without an order id beside it: not guessed, unchanged",
       R"({"order":"o8","customer":{"name":"Cy"}})", R"({"order":"o8","customer":{"name":"Cy"}})", false},
      {"an id that is not a string: unchanged", R"({"id":9,"customer":{"name":"Di"}})",
       R"({"id":9,"customer":{"name":"Di"}})", false},
      {"a customer that is not an object: unchanged", R"({"id":"o10","customer":"Ed"})",
       R"({"id":"o10","customer":"Ed"})", false},
      {"no customer anywhere (a sale)", R"({"id":"s1","lines":[{"item_id":"i1","quantity":1}]})",
       R"({"id":"s1","lines":[{"item_id":"i1","quantity":1}]})", false},
      {"a scalar", R"("ada@example.com")", R"("ada@example.com")", false},
  };
  for (const auto& r : rows) {
    bj::value doc = bj::parse(r.before);
    bool changed = redact_order_contact(doc, ref_of);
    EXPECT_EQ(changed, r.changed) << r.what;
    EXPECT_EQ(doc, bj::parse(r.after)) << r.what << "\n got: " << bj::serialize(doc);
  }
}

// Redacting twice changes nothing the second time (the CLI's second run reports 0), and no
// contact field survives anywhere in a redacted document.
TEST(RedactOrderContact, IdempotentAndLeavesNoContact) {
  bj::value doc = bj::parse(
      R"({"entries":[{"after":{"id":"o1","customer":{"name":"Ada","phone":"+31612345678","email":"ada@example.com"}}},)"
      R"({"before":{"id":"o1","customer":{"name":"Ada","phone":"+31612345678"}},"after":{"id":"o1","customer":{"name":"Ada"}}}]})");
  EXPECT_TRUE(redact_order_contact(doc, ref_of));
  auto text = bj::serialize(doc);
  for (const char* contact : {"Ada", "+31612345678", "ada@example.com", "\"phone\"", "\"email\""})
    EXPECT_EQ(text.find(contact), std::string::npos) << contact << " left in " << text;
  EXPECT_FALSE(redact_order_contact(doc, ref_of));
  EXPECT_EQ(bj::serialize(doc), text);
}

}  // namespace
}  // namespace backroom::orders
