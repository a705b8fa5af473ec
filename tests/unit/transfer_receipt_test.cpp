// What one receipt of a transfer books (stock::plan_receipt), as a table of cases: the
// outstanding rest, lines named by id or item, receipts that close, and refusals that name
// the request's line.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "platform/problem.hpp"
#include "stock/stock.hpp"

namespace {

using namespace backroom;
using stock::ReceiptInput;
using stock::ReceiveLineInput;
using stock::TransferLineState;

Quantity u(std::int64_t units) { return Quantity::units(units); }

// Apples: 10 shipped, 3 received and 1 damaged so far. Pears: 4 shipped, none yet.
std::vector<TransferLineState> lines() {
  return {TransferLineState{"LA", "apples", u(10), u(3), u(1), {}, {}}, TransferLineState{"LP", "pears", u(4), {}, {}, {}, {}}};
}

struct Booked {
  std::size_t line;
  std::int64_t received, damaged, short_;  // units
  bool operator==(const Booked&) const = default;
};

std::vector<Booked> plan(const ReceiptInput& in) {
  std::vector<Booked> out;
  for (const auto& b : stock::plan_receipt(lines(), in))
    out.push_back(Booked{b.line, b.received.milli / 1000, b.damaged.milli / 1000, b.short_.milli / 1000});
  return out;
}

ReceiptInput receipt(std::vector<ReceiveLineInput> l, bool close = false) {
  ReceiptInput in;
  in.lines = std::move(l);
  in.close = close;
  return in;
}

TEST(TransferReceipt, BooksWhatArrivedOnTheLinesNamed) {
  EXPECT_EQ(plan(receipt({{"LA", false, u(2), u(1)}})), (std::vector<Booked>{{0, 2, 1, 0}}));
  EXPECT_EQ(plan(receipt({{"pears", true, u(4), {}}, {"LA", false, u(6), {}}})),
            (std::vector<Booked>{{0, 6, 0, 0}, {1, 4, 0, 0}}));
  // A line received as 0 books nothing.
  EXPECT_TRUE(plan(receipt({{"LA", false, {}, {}}})).empty());
  EXPECT_TRUE(plan(receipt({})).empty());
}

TEST(TransferReceipt, WithoutLinesEverythingOutstandingArrives) {
  ReceiptInput all;
  all.all = true;
  EXPECT_EQ(plan(all), (std::vector<Booked>{{0, 6, 0, 0}, {1, 4, 0, 0}}));
}

TEST(TransferReceipt, ClosingBooksTheRestShort) {
  EXPECT_EQ(plan(receipt({{"LA", false, u(1), {}}}, true)), (std::vector<Booked>{{0, 1, 0, 5}, {1, 0, 0, 4}}));
  EXPECT_EQ(plan(receipt({}, true)), (std::vector<Booked>{{0, 0, 0, 6}, {1, 0, 0, 4}}));
  // Everything arrives and it closes: nothing short.
  EXPECT_EQ(plan(receipt({{"LA", false, u(5), u(1)}, {"LP", false, u(4), {}}}, true)),
            (std::vector<Booked>{{0, 5, 1, 0}, {1, 4, 0, 0}}));
}

TEST(TransferReceipt, RefusalsNameTheRequestLine) {
  struct Case {
    ReceiptInput in;
    std::string code, field;
  };
  std::vector<Case> cases = {
      {receipt({{"LP", false, u(1), {}}, {"LA", false, u(6), u(1)}}), "over_received", "lines[1].received"},
      {receipt({{"LP", false, u(5), {}}}), "over_received", "lines[0].received"},
      {receipt({{"LX", false, u(1), {}}}), "invalid_field", "lines[0].line_id"},
      {receipt({{"figs", true, u(1), {}}}), "invalid_field", "lines[0].item_id"},
      {receipt({{"LA", false, u(1), {}}, {"apples", true, u(1), {}}}), "invalid_field", "lines[1].item_id"},
      {receipt({{"LA", false, Quantity{-1}, {}}}), "invalid_field", "lines[0].received"},
      {receipt({{"LA", false, {}, Quantity{-1}}}), "invalid_field", "lines[0].damaged"},
  };
  for (const auto& c : cases) {
    try {
      stock::plan_receipt(lines(), c.in);
      ADD_FAILURE() << "accepted; expected " << c.code << " at " << c.field;
    } catch (const Problem& p) {
      EXPECT_EQ(p.status, 422);
      EXPECT_EQ(p.code, c.code) << p.detail;
      EXPECT_EQ(p.field, c.field) << p.detail;
    }
  }
}

TEST(TransferNumber, SixDigitsAtLeast) {
  EXPECT_EQ(stock::transfer_number_text(1), "T-000001");
  EXPECT_EQ(stock::transfer_number_text(123), "T-000123");
  EXPECT_EQ(stock::transfer_number_text(1234567), "T-1234567");
}

}  // namespace
