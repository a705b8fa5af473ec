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

}  // namespace
}  // namespace backroom::sync
