// Hybrid logical clocks (sync/hlc.hpp): the paper's rules as tables, nodes whose clocks run
// hours behind or ahead, the text form, and a seeded simulation of several skewed nodes
// exchanging messages (happened-before implies stamp order; l stays within the skew seen).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "sync/hlc.hpp"

namespace backroom::sync::hlc {
namespace {

constexpr std::int64_t hour_ms = 3'600'000;

TEST(Hlc, LocalEventsFollowThePhysicalClockAndCountTies) {
  struct Case {
    Stamp before;
    std::int64_t physical;
    Stamp after;
  };
  const Case cases[] = {
      {{0, 0}, 1000, {1000, 0}},     // the physical clock leads: l takes it, c restarts
      {{1000, 0}, 1000, {1000, 1}},  // same millisecond: c counts
      {{1000, 4}, 1000, {1000, 5}},
      {{1000, 4}, 990, {1000, 5}},   // the physical clock went back: l does not
      {{1000, 4}, 1001, {1001, 0}},
  };
  for (const auto& c : cases) {
    Clock clock(c.before);
    EXPECT_EQ(clock.tick(c.physical), c.after) << c.before.l << "," << c.before.c << " at " << c.physical;
    EXPECT_EQ(clock.last(), c.after);
  }
}

TEST(Hlc, ReceiveTakesTheLargestOfLocalMessageAndPhysical) {
  struct Case {
    Stamp local;
    Stamp message;
    std::int64_t physical;
    Stamp after;
  };
  const Case cases[] = {
      {{100, 3}, {90, 7}, 200, {200, 0}},   // physical largest
      {{100, 3}, {90, 7}, 50, {100, 4}},    // local largest
      {{100, 3}, {150, 7}, 50, {150, 8}},   // message largest
      {{100, 3}, {100, 7}, 50, {100, 8}},   // local = message: max c + 1
      {{100, 9}, {100, 7}, 100, {100, 10}}, // all three equal
      {{100, 3}, {100, 7}, 150, {150, 0}},
  };
  for (const auto& c : cases) {
    Clock clock(c.local);
    EXPECT_EQ(clock.receive(c.message, c.physical), c.after) << c.local.l << " " << c.message.l << " " << c.physical;
  }
}

TEST(Hlc, CounterOverflowMovesLOnAndKeepsOrder) {
  Clock clock(Stamp{500, counter_max});
  auto next = clock.tick(400);
  EXPECT_EQ(next, (Stamp{501, 0}));
  EXPECT_GT(next, (Stamp{500, counter_max}));
}

TEST(Hlc, ANodeHoursBehindOrdersAfterWhatItHeard) {
  // Head office at noon; a store whose clock says 09:00 sells after hearing from it.
  std::int64_t noon = 1'780'000'000'000;
  Clock office, store;
  auto sent = office.tick(noon);
  auto heard = store.receive(sent, noon - 3 * hour_ms);
  auto sale = store.tick(noon - 3 * hour_ms + 5);
  EXPECT_GT(heard, sent);
  EXPECT_GT(sale, heard);
  EXPECT_EQ(sale.l, noon);  // l stays at what it heard until its own clock catches up
  // A node hours ahead pushes head office's l ahead; head office then counts on c.
  Clock ahead;
  auto future = ahead.tick(noon + 2 * hour_ms);
  auto merged = office.receive(future, noon + 1);
  EXPECT_EQ(merged, (Stamp{noon + 2 * hour_ms, 1}));
  EXPECT_EQ(office.tick(noon + 2), (Stamp{noon + 2 * hour_ms, 2}));
}

TEST(Hlc, TextFormSortsAsTheStampsAndRefusesBadText) {
  const Stamp stamps[] = {{0, 0}, {0, 1}, {1, 0}, {1'780'000'000'000, 65535}, {1'780'000'000'001, 0}, {logical_max, counter_max}};
  for (std::size_t i = 0; i < std::size(stamps); ++i) {
    auto text = format(stamps[i]);
    EXPECT_EQ(text.size(), text_length);
    EXPECT_EQ(parse(text), stamps[i]) << text;
    EXPECT_EQ(unpack(pack(stamps[i])), stamps[i]);
    if (i > 0) {
      EXPECT_LT(format(stamps[i - 1]), text);
      EXPECT_LT(pack(stamps[i - 1]), pack(stamps[i]));
    }
  }
  EXPECT_EQ(parse("0000019E6B2E8C000001"), std::nullopt);  // too long
  EXPECT_EQ(parse("019E6B2E8C00000A"), (Stamp{0x19E6B2E8C00, 10}));
  for (const char* bad : {"", "0", "019e6b2e8c00000", "019e6b2e8c00000g", "819e6b2e8c000000", "ffffffffffffffff",
                          " 19e6b2e8c000000", "019e6b2e8c00000-"})
    EXPECT_EQ(parse(bad), std::nullopt) << bad;
  EXPECT_EQ(unpack(-1), std::nullopt);
  // Across nodes: the stamp first, the node's name breaks a tie.
  EXPECT_LT(ordering_key({5, 0}, "b"), ordering_key({5, 1}, "a"));
  EXPECT_LT(ordering_key({5, 1}, "a"), ordering_key({5, 1}, "b"));
  EXPECT_LT(ordering_key({5, 1}, "zzzz"), ordering_key({6, 0}, "a"));
}

// Random interleavings of local events, sends and receives on four nodes whose clocks run
// 3 h behind, right, 37 ms ahead and 2 h ahead; seeded, so a failure replays.
TEST(Hlc, SimulatedSkewedNodesKeepHappenedBeforeAndBoundedDrift) {
  const std::vector<std::int64_t> skews = {-3 * hour_ms, 0, 37, 2 * hour_ms};
  const auto nodes = skews.size();
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 random(seed);
    struct Event {
      Stamp stamp;
      std::vector<int> vector;  // vector clock: the truth of happened-before
    };
    struct Message {
      std::size_t to;
      Event sent;
    };
    std::vector<Clock> clocks(nodes);
    std::vector<std::vector<int>> known(nodes, std::vector<int>(nodes, 0));
    std::vector<Event> events;
    std::vector<Message> in_flight;
    std::int64_t real = 1'780'000'000'000;
    std::int64_t largest_physical_seen = 0;
    for (int step = 0; step < 3000; ++step) {
      real += std::uniform_int_distribution<std::int64_t>(0, 2)(random);
      std::size_t n = random() % nodes;
      std::int64_t pt = real + skews[n];
      // A node's clock also jitters back a little now and then (an NTP step).
      if (random() % 10 == 0) pt -= std::uniform_int_distribution<std::int64_t>(0, 50)(random);
      largest_physical_seen = std::max(largest_physical_seen, pt);
      Stamp stamp;
      auto action = random() % 3;
      if (action == 2 && !in_flight.empty()) {
        auto pick = random() % in_flight.size();
        auto message = in_flight[pick];
        in_flight.erase(in_flight.begin() + static_cast<std::ptrdiff_t>(pick));
        n = message.to;
        pt = real + skews[n];
        largest_physical_seen = std::max(largest_physical_seen, pt);
        for (std::size_t k = 0; k < nodes; ++k) known[n][k] = std::max(known[n][k], message.sent.vector[k]);
        stamp = clocks[n].receive(message.sent.stamp, pt);
      } else {
        stamp = clocks[n].tick(pt);
      }
      ++known[n][n];
      Event event{stamp, known[n]};
      if (action == 1) in_flight.push_back(Message{(n + 1 + random() % (nodes - 1)) % nodes, event});
      // l never trails the node's own clock nor leads the largest clock anyone had.
      ASSERT_GE(stamp.l, pt) << "seed " << seed << " step " << step;
      ASSERT_LE(stamp.l, largest_physical_seen) << "seed " << seed << " step " << step;
      ASSERT_LE(stamp.l - pt, skews.back() - skews.front() + 50) << "seed " << seed;
      events.push_back(std::move(event));
    }
    for (std::size_t i = 0; i < events.size(); ++i) {
      for (std::size_t j = i + 1; j < events.size(); j += 7) {
        const auto& a = events[i].vector;
        const auto& b = events[j].vector;
        bool before = std::equal(a.begin(), a.end(), b.begin(), [](int x, int y) { return x <= y; }) && a != b;
        if (before) {
          ASSERT_LT(events[i].stamp, events[j].stamp) << "seed " << seed << " events " << i << " " << j;
        }
      }
    }
  }
}

}  // namespace
}  // namespace backroom::sync::hlc
