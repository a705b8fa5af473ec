// The pure parts of store-node sync (sync/sync.hpp): which of a pushed event's ids its stock
// movements are booked under at the node, and the stated rule of every conflict kind.
#include <gtest/gtest.h>

#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {
namespace {

TEST(MovementDocument, EachPushedTypeNamesWhereItsMovementsAreBooked) {
  struct Case {
    const char* type;
    const char* payload;
    std::optional<std::string> expected;
  };
  const Case cases[] = {
      {"sale.completed", "{}", "E"},
      {"return.completed", "{}", "E"},
      {"stock.adjusted", "{}", "E"},
      {"count.approved", "{}", "E"},
      {"receipt.posted", "{}", "E"},
      // A void books under its own id, which only the payload has.
      {"sale.voided", R"({"id":"E","void":{"id":"V","reason":"walk"}})", "V"},
      {"sale.voided", R"({"id":"E","void":null})", std::nullopt},
      {"sale.voided", R"({"void":{"id":5}})", std::nullopt},
      {"sale.voided", "not json", std::nullopt},
      // An exchange's return and sale are documents of their own.
      {"exchange.completed", "{}", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(movement_document_of(c.type, "E", c.payload), c.expected) << c.type << " " << c.payload;
}

TEST(Conflicts, EveryKindHasAWordAndAStatedRule) {
  for (auto kind : {ConflictKind::price_difference, ConflictKind::negative_stock, ConflictKind::held_unit_sold,
                    ConflictKind::rejected, ConflictKind::po_not_receivable, ConflictKind::destination_refused,
                    ConflictKind::store_credit_overdrawn, ConflictKind::cancelled_transfer_received,
                    ConflictKind::not_in_journal, ConflictKind::shipment_cancel_after_receipt,
                    ConflictKind::cancelled_shipment_received, ConflictKind::shipment_cancel_not_applied}) {
    EXPECT_FALSE(conflict_kinds.text(kind).empty());
    EXPECT_EQ(conflict_kinds.parse(conflict_kinds.text(kind)), kind);
    EXPECT_GT(conflict_rule(kind).size(), 20u) << conflict_kinds.text(kind);
  }
  EXPECT_FALSE(conflict_kinds.parse("other").has_value());
}

// A pushed document's payload is parsed once, when the push's body is read (sync_api.cpp sets
// Document::parsed); a document read back from the store has none and is parsed when asked,
// exactly (a decimal stays its text).
TEST(PayloadValue, ThePushsParsedPayloadElseTheTextParsedExactly) {
  store::Document pushed;
  pushed.payload = R"({"id":"from the text"})";
  pushed.parsed = std::make_shared<const boost::json::value>(boost::json::object{{"id", "as pushed"}});
  auto value = store::payload_value(pushed);
  EXPECT_EQ(value.get(), pushed.parsed.get());
  EXPECT_EQ(value->at("id").as_string(), "as pushed");

  store::Document kept;
  kept.payload = R"({"id":"from the text","quantity":1.5})";
  auto parsed = store::payload_value(kept);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->at("id").as_string(), "from the text");
  EXPECT_EQ(json::as_quantity(parsed->at("quantity")), Quantity{1500});
  kept.payload = "not json";
  EXPECT_THROW(store::payload_value(kept), Problem);
}

}  // namespace
}  // namespace backroom::sync
