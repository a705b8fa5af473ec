// The pure parts of a store node's purchase orders from head office (sync/inbound_orders.hpp):
// the node's view of an order's status, a request's lines by item, and reading the pushed
// receipt back at head office.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "platform/db.hpp"
#include "platform/problem.hpp"
#include "platform/schema.hpp"
#include "sync/inbound_orders.hpp"

namespace backroom::sync {
namespace {

InboundOrder two_lines() {
  InboundOrder o;
  o.id = "PO1";
  o.hq_status = "sent";
  InboundOrderLine a;
  a.id = "L1";
  a.item_id = "A";
  a.quantity = Quantity::units(6);
  a.case_pack = Quantity::units(1);
  InboundOrderLine b = a;
  b.id = "L2";
  b.item_id = "B";
  b.quantity = Quantity::units(4);
  o.lines = {a, b};
  return o;
}

TEST(InboundOrder, StatusFollowsWhatTheStoreReceived) {
  auto o = two_lines();
  EXPECT_EQ(node_status(o), "sent");
  o.lines[0].received = Quantity::units(4);
  EXPECT_EQ(node_status(o), "partially_received");
  o.lines[0].received = Quantity::units(6);
  o.lines[1].received = Quantity::units(5);  // over on one line: nothing outstanding
  EXPECT_EQ(node_status(o), "received");
}

TEST(InboundOrder, HeadOfficesCancelOrCloseWinsOverWhatArrived) {
  auto o = two_lines();
  o.lines[0].received = Quantity::units(2);
  o.hq_status = "cancelled";
  EXPECT_EQ(node_status(o), "cancelled");
  o.hq_status = "closed";
  EXPECT_EQ(node_status(o), "closed");
  // Head office received the order in full (before the store had its node): received here too.
  auto done = two_lines();
  done.hq_status = "received";
  done.lines[0].received = Quantity::units(6);
  done.lines[1].received = Quantity::units(4);
  EXPECT_EQ(node_status(done), "received");
}

TEST(InboundOrder, ClosedShortLinesAreNotOutstanding) {
  auto o = two_lines();
  o.lines[0].received = Quantity::units(4);
  o.lines[0].cancelled = Quantity::units(2);
  o.lines[1].received = Quantity::units(4);
  EXPECT_EQ(node_status(o), "received");
  auto lines = order_lines_of(o);
  EXPECT_EQ(lines[0].outstanding(), Quantity{});
  EXPECT_EQ(lines[0].short_(), Quantity::units(2));
}

TEST(InboundOrder, AnItemLandsOnItsLineAndAnItemNotOnTheOrderIsRefusedByIndex) {
  auto o = two_lines();
  InboundOrderReceipt in;
  in.lines = {{"B", true, Quantity::units(3), Quantity::units(1)}, {"L1", false, Quantity::units(2), {}}};
  auto out = receipt_lines_of(o, in);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].po_line_id, "L2");
  EXPECT_EQ(out[0].received, Quantity::units(3));
  EXPECT_EQ(out[0].damaged, Quantity::units(1));
  EXPECT_EQ(out[1].po_line_id, "L1");
  InboundOrderReceipt stranger;
  stranger.lines = {{"A", true, Quantity::units(1), {}}, {"Z", true, Quantity::units(1), {}}};
  try {
    receipt_lines_of(o, stranger);
    FAIL() << "an item not on the order was placed";
  } catch (const Problem& p) {
    EXPECT_EQ(p.status, 422);
    EXPECT_EQ(p.field, "lines[1].item_id");
  }
}

TEST(InboundOrder, HeadOfficeReadsThePushedReceiptExactly) {
  auto r = pushed_order_receipt_of(
      R"({"id":"R1","purchase_order_id":"PO1","lines":[{"po_line_id":"L1","item_id":"A","received":2.5,"damaged":0.5},)"
      R"({"po_line_id":"L2","item_id":"B","received":4,"damaged":0}]})");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->order_id, "PO1");
  ASSERT_EQ(r->lines.size(), 2u);
  EXPECT_EQ(r->lines[0].po_line_id, "L1");
  EXPECT_EQ(r->lines[0].received.milli, 2500);
  EXPECT_EQ(r->lines[0].damaged.milli, 500);
  EXPECT_EQ(r->lines[1].received, Quantity::units(4));
  EXPECT_FALSE(r->approved_by.has_value());
  auto approved = pushed_order_receipt_of(
      R"({"purchase_order_id":"PO1","approved_by":"maria","lines":[{"po_line_id":"L1","received":9,"damaged":0}]})");
  ASSERT_TRUE(approved.has_value());
  EXPECT_EQ(approved->approved_by, "maria");
  EXPECT_FALSE(pushed_order_receipt_of(R"({"lines":[]})").has_value());
  EXPECT_FALSE(pushed_order_receipt_of(R"({"purchase_order_id":"PO1","lines":[{"po_line_id":"L1"}]})").has_value());
  EXPECT_FALSE(pushed_order_receipt_of("not json").has_value());
}

// backroom check at head office: a purchase-order receipt recorded from a node's document must
// have received what that document's movements booked on each line.
TEST(InboundOrder, CheckFindsANodeReceiptThatDiffersFromItsDocumentsMovements) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("backroom-inbound-order-" + std::to_string(::getpid()) + ".db")).string();
  auto cleanup = [&] { for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix); };
  cleanup();
  {
    auto db = db::Db::open(path, db::Mode::read_write);
    schema::migrate(*db);
    // The rows a pushed delivery leaves (their node, order and item are not this test's: keys off).
    db->exec("PRAGMA foreign_keys = OFF;"
             "INSERT INTO sync_documents (id, node_id, location_id, type, entity_id, payload, node_at, received_at, status) "
             "VALUES ('D1', 'N1', 'L1', 'purchase_receipt.received', 'R1', '{}', 1, 1, 'posted');"
             "INSERT INTO po_receipt_lines (receipt_id, line_id, received, damaged, short_by, over_by) VALUES "
             "('D1', 'PL1', 4000, 1000, 2000, 0), ('D1', 'PL2', 4000, 0, 0, 0);"
             "INSERT INTO stock_movements (item_id, location_id, quantity, reason, document_type, document_id, "
             "document_line_id, at, user, device) VALUES "
             "('A', 'L1', 3000, 'receipt', 'node_document', 'D1', 'PL1', 1, 'u', 'node'),"
             "('A', 'L2', 1000, 'receipt_damaged', 'node_document', 'D1', 'PL1', 1, 'u', 'node'),"
             "('B', 'L1', 4000, 'receipt', 'node_document', 'D1', 'PL2', 1, 'u', 'node');");
    EXPECT_TRUE(store::check_node_order_receipts(*db).empty());
    db->exec("UPDATE po_receipt_lines SET received = 5000 WHERE line_id = 'PL2'");
    auto problems = store::check_node_order_receipts(*db);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("line PL2: 5 received, but the node's document booked 4"), std::string::npos) << problems[0];
  }
  cleanup();
}

}  // namespace
}  // namespace backroom::sync
