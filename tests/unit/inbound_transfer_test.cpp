// The pure parts of a store node's transfers from head office (sync/inbound.hpp): what one
// receipt books per line, and reading the pushed receipt back at head office.
#include <gtest/gtest.h>

#include "platform/problem.hpp"
#include "sync/inbound.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {
namespace {

std::vector<InboundLine> two_lines() {
  InboundLine a;
  a.id = "L1";
  a.item_id = "A";
  a.shipped = Quantity::units(5);
  InboundLine b;
  b.id = "L2";
  b.item_id = "B";
  b.shipped = Quantity::units(3);
  return {a, b};
}

TEST(InboundReceipt, WhatALineDoesNotAccountForIsShort) {
  InboundReceipt in;
  in.lines = {{"A", true, Quantity::units(5), {}}, {"L2", false, Quantity::units(1), Quantity::units(1)}};
  auto out = plan_inbound_receipt(two_lines(), in);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].received, Quantity::units(5));
  EXPECT_EQ(out[0].short_, Quantity{});
  EXPECT_EQ(out[1].received, Quantity::units(1));
  EXPECT_EQ(out[1].damaged, Quantity::units(1));
  EXPECT_EQ(out[1].short_, Quantity::units(1));
}

TEST(InboundReceipt, ALineNotNamedArrivedShortAndNoLinesMeansAllArrived) {
  InboundReceipt some;
  some.lines = {{"L1", false, Quantity::units(2), {}}};
  auto out = plan_inbound_receipt(two_lines(), some);
  EXPECT_EQ(out[0].short_, Quantity::units(3));
  EXPECT_EQ(out[1].received, Quantity{});
  EXPECT_EQ(out[1].short_, Quantity::units(3));
  InboundReceipt all;
  all.all = true;
  for (const auto& l : plan_inbound_receipt(two_lines(), all)) {
    EXPECT_EQ(l.received, l.shipped);
    EXPECT_EQ(l.short_, Quantity{});
  }
}

TEST(InboundReceipt, RefusesOverUnknownRepeatedAndNegative) {
  auto refused = [](std::vector<InboundReceiptLine> lines, const char* code, const char* field) {
    InboundReceipt in;
    in.lines = std::move(lines);
    try {
      plan_inbound_receipt(two_lines(), in);
      ADD_FAILURE() << "accepted " << field;
    } catch (const Problem& p) {
      EXPECT_EQ(p.code, code) << field;
      EXPECT_EQ(p.field, field);
    }
  };
  refused({{"L1", false, Quantity::units(5), Quantity::units(1)}}, "over_received", "lines[0].received");
  refused({{"L9", false, Quantity::units(1), {}}}, "invalid_field", "lines[0].line_id");
  refused({{"L1", false, Quantity::units(1), {}}, {"L1", false, Quantity::units(1), {}}}, "invalid_field", "lines[1].line_id");
  refused({{"Z", true, Quantity::units(1), {}}}, "invalid_field", "lines[0].item_id");
  refused({{"L1", false, Quantity{-1}, {}}}, "invalid_field", "lines[0].received");
}

TEST(InboundReceipt, HeadOfficeReadsThePushedLines) {
  auto r = pushed_receipt_of(R"({"lines":[{"line_id":"L1","received":5,"damaged":0},{"line_id":"L2","received":2,"damaged":0.5}]})", "T");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->transfer_id, "T");
  ASSERT_EQ(r->lines.size(), 2u);
  EXPECT_EQ(r->lines[1].first, "L2");
  EXPECT_EQ(r->lines[1].second.first, Quantity::units(2));
  EXPECT_EQ(r->lines[1].second.second, Quantity{500});
  EXPECT_FALSE(pushed_receipt_of("not json", "T"));
  EXPECT_FALSE(pushed_receipt_of(R"({"lines":[{"line_id":"L1"}]})", "T"));
  // Its movements are booked under the transfer's id.
  EXPECT_EQ(movement_document_of(inbound_received_event, "T", "{}"), "T");
}

}  // namespace
}  // namespace backroom::sync
