// The pure part of a store node's shipments to head office's side (sync/outbound.hpp): head
// office reading the pushed outbound_transfer.shipped document back.
#include <gtest/gtest.h>

#include <algorithm>

#include "sync/outbound.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {
namespace {

constexpr const char* transfer_id = "0190a000-0000-7000-8000-000000000001";
constexpr const char* warehouse = "0190a000-0000-7000-8000-0000000000aa";
constexpr const char* line = "0190a000-0000-7000-8000-0000000000b1";
constexpr const char* item = "0190a000-0000-7000-8000-0000000000c1";

std::string payload(const std::string& lines, const std::string& to = warehouse) {
  return std::string(R"({"id":")") + transfer_id + R"(","number":"S-000003","to_location_id":")" + to +
         R"(","to_name":"Warehouse","note":"overstock","shipped_at":"2026-12-05T10:00:00Z","shipped_by":"ann","lines":)" +
         lines + "}";
}

TEST(OutboundShipment, HeadOfficeReadsThePushedShipmentExactly) {
  auto s = pushed_shipment_of(payload(std::string(R"([{"id":")") + line + R"(","item_id":")" + item + R"(","quantity":2.5}])"),
                              transfer_id);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->id, transfer_id);
  EXPECT_EQ(s->to_location_id, warehouse);
  EXPECT_EQ(s->node_number, "S-000003");
  EXPECT_EQ(s->note, "overstock");
  EXPECT_EQ(s->shipped_by, "ann");
  ASSERT_EQ(s->lines.size(), 1u);
  EXPECT_EQ(s->lines[0].id, line);
  EXPECT_EQ(s->lines[0].item_id, item);
  EXPECT_EQ(s->lines[0].quantity.milli, 2500);  // a decimal stays exact (not a double refused)
}

TEST(OutboundShipment, WhatHeadOfficeCannotReadIsNoShipment) {
  const std::string good = std::string(R"([{"id":")") + line + R"(","item_id":")" + item + R"(","quantity":1}])";
  EXPECT_FALSE(pushed_shipment_of("not json", transfer_id));
  EXPECT_FALSE(pushed_shipment_of(payload(good), "not-a-uuid"));
  EXPECT_FALSE(pushed_shipment_of(payload(good, "warehouse"), transfer_id));
  EXPECT_FALSE(pushed_shipment_of(payload(R"([{"id":"x","item_id":"y","quantity":1}])"), transfer_id));
  EXPECT_FALSE(pushed_shipment_of(payload(std::string(R"([{"id":")") + line + R"(","item_id":")" + item + R"("}])"), transfer_id));
  EXPECT_FALSE(pushed_shipment_of(payload(R"("none")"), transfer_id));
}

TEST(OutboundShipment, TheNodePushesItsShipmentsAndNumbersThemApart) {
  EXPECT_NE(std::find(pushed_types.begin(), pushed_types.end(), outbound_shipped_event), pushed_types.end());
  EXPECT_EQ(outbound_number_text(12), "S-000012");
  EXPECT_EQ(conflict_kinds.text(ConflictKind::destination_refused), "destination_refused");
  EXPECT_FALSE(conflict_rule(ConflictKind::destination_refused).empty());
}

OutboundTransfer shipment(const std::string& status, std::int64_t received = 0, std::int64_t short_ = 0) {
  OutboundTransfer t;
  t.status = status;
  t.lines.push_back(OutboundLine{line, 1, item, "A", "A", Quantity{3000}, Quantity{received}, Quantity{}, Quantity{short_}});
  return t;
}

TEST(OutboundCancel, TheStoreCancelsOnlyWhatHeadOfficeHasNotSaidArrived) {
  EXPECT_EQ(outbound_cancel_refusal(shipment("shipped")), std::nullopt);
  EXPECT_EQ(outbound_cancel_refusal(shipment("refused")), std::nullopt);
  EXPECT_EQ(outbound_cancel_refusal(shipment("received", 3000)), "already_received");
  EXPECT_EQ(outbound_cancel_refusal(shipment("cancelled")), "already_cancelled");
  // A partial receipt at head office (still in transit there, the feed gave the figures).
  EXPECT_EQ(outbound_cancel_refusal(shipment("shipped", 1000)), "already_received");
  EXPECT_EQ(outbound_cancel_refusal(shipment("shipped", 0, 1000)), "already_received");
  EXPECT_NE(std::find(pushed_types.begin(), pushed_types.end(), outbound_cancelled_event), pushed_types.end());
}

TEST(OutboundCancel, HeadOfficeReadsThePushedCancel) {
  auto c = pushed_cancel_of(std::string(R"({"id":"x","transfer_id":")") + transfer_id +
                            R"(","number":"S-000003","reason":"van broke","cancelled_at":"2026-12-06T10:00:00Z"})");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->transfer_id, transfer_id);
  EXPECT_EQ(c->number, "S-000003");
  EXPECT_EQ(c->reason, "van broke");
  EXPECT_GT(c->cancelled_at, 0);
  EXPECT_FALSE(pushed_cancel_of(R"({"transfer_id":"nope","cancelled_at":"2026-12-06T10:00:00Z"})"));
  EXPECT_FALSE(pushed_cancel_of(std::string(R"({"transfer_id":")") + transfer_id + R"("})"));
  EXPECT_FALSE(pushed_cancel_of("not json"));
}

TEST(OutboundCancel, WhatArrivedFirstIsBookedWithoutTheLine) {
  constexpr const char* other = "0190a000-0000-7000-8000-0000000000b2";
  auto move = [](const char* line_id, std::int64_t q) {
    PushedMovement m;
    m.item_id = item;
    m.location_kind = "store";
    m.quantity = q;
    m.reason = "transfer_cancelled";
    m.document_type = outbound_cancel_document_type;
    m.document_id = "C";
    if (line_id) m.document_line_id = line_id;
    return m;
  };
  std::vector<PushedMovement> moved{move(line, 3000), move(other, 2000)};
  // No transfer at head office (refused, or put in transit by the same push): all on the lines.
  auto all = split_cancel_movements(moved, {});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].quantity, 3000);
  EXPECT_EQ(all[0].document_line_id, std::optional<std::string>(line));
  // In transit in full: the same.
  EXPECT_EQ(split_cancel_movements(moved, {{line, 3000}, {other, 2000}}).size(), 2u);
  // The first line received 1 of 3 (2 outstanding), the second closed: what arrived has no line.
  auto split = split_cancel_movements(moved, {{line, 2000}, {other, 0}});
  ASSERT_EQ(split.size(), 3u);
  EXPECT_EQ(split[0].quantity, 2000);
  EXPECT_EQ(split[0].document_line_id, std::optional<std::string>(line));
  EXPECT_EQ(split[1].quantity, 1000);
  EXPECT_FALSE(split[1].document_line_id);
  EXPECT_EQ(split[2].quantity, 2000);
  EXPECT_FALSE(split[2].document_line_id);
  std::int64_t total = 0;
  for (const auto& m : split) total += m.quantity;
  EXPECT_EQ(total, 5000);  // item by item the node's figures (check_sync adds them up)
}

}  // namespace
}  // namespace backroom::sync
