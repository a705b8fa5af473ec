// The pure parts of store-node sync (sync/sync.hpp): which of a pushed event's ids its stock
// movements are booked under at the node, the stated rule of every conflict kind, and the
// order in which a node's pushes apply.
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

// docs/sync.md, "Pushes on the way together": a node's pushes apply in the order it made them.
TEST(PushOrder, APushNamingAnEarlierOneWaitsForIt) {
  using std::nullopt;
  struct Case {
    PushPlace place;
    std::optional<std::int64_t> applied;  // the `through` of the node's last applied push
    bool in_order;
    const char* why;
  };
  const Case cases[] = {
      {{nullopt, nullopt}, nullopt, true, "one push at a time, as a node before migration 54"},
      {{nullopt, 40}, nullopt, true, "the first push on the way names nothing"},
      {{nullopt, 40}, 90, true, "a retry after a failure starts again from the node's cursor"},
      {{40, 90}, 40, true, "right after the push it names"},
      {{40, 90}, nullopt, false, "the push it names has not been applied"},
      {{40, 90}, 10, false, "an earlier push is applied, not the one it names"},
      {{40, 90}, 120, false, "a later push is applied: not this one's turn"},
      {{40, 90}, 90, true, "its own repeat (its answer was lost, or the link sent it twice)"},
      {{40, nullopt}, 40, true, "names its place but not its end"},
      {{40, nullopt}, nullopt, false, "names its place, the one before it not applied"},
  };
  for (const auto& c : cases) EXPECT_EQ(push_in_order(c.place, c.applied), c.in_order) << c.why;
}

}  // namespace
}  // namespace backroom::sync
