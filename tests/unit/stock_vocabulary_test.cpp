// Stock's vocabularies (stock/vocabulary.hpp): the words stored in the database and used
// in JSON stay exactly the ones docs/ledger.md lists and existing shops hold, every enum
// value has one word, and a word from outside that is not in a table is a 422 naming the
// field and listing the allowed words.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "platform/problem.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::stock {
namespace {

// The words, in table order; a rename here is a data migration, not a refactor.
template <class Enum, std::size_t N>
std::vector<std::string> words_of(const Vocabulary<Enum, N>& v) {
  std::vector<std::string> out;
  for (const auto& w : v.words) out.emplace_back(w.text);
  return out;
}

template <class Enum, std::size_t N>
void expect_round_trip(const Vocabulary<Enum, N>& v) {
  std::set<std::string_view> seen_words;
  std::set<Enum> seen_values;
  for (const auto& w : v.words) {
    EXPECT_TRUE(seen_words.insert(w.text).second) << "word twice: " << w.text;
    EXPECT_TRUE(seen_values.insert(w.value).second) << "value twice: " << w.text;
    EXPECT_EQ(v.text(w.value), w.text);
    EXPECT_EQ(v.parse(w.text), w.value) << w.text;
  }
}

TEST(StockVocabulary, MovementReasonsAreTheLedgerWords) {
  EXPECT_EQ(words_of(movement_reasons),
            (std::vector<std::string>{"sale", "void", "return", "shrink", "damage", "theft", "found", "expired",
                                      "correction", "opening", "count", "transfer_out", "transfer_in",
                                      "transfer_damaged", "transfer_short", "transfer_cancelled", "receipt", "receipt_damaged", "admin_error",
                                      "supplier_short", "unknown"}));
  expect_round_trip(movement_reasons);
}

TEST(StockVocabulary, AMovementReasonLiteralIsCheckedWhenCompiling) {
  static_assert(MovementReason("sale") == MovementReason::sale);
  static_assert(MovementReason("void") == MovementReason::sale_void);
  static_assert(MovementReason("return") == MovementReason::sale_return);
  static_assert(MovementReason("transfer_short") == MovementReason::transfer_short);
  // MovementReason("sold") does not build: "not a movement reason".
  Movement m{"I", "L", Quantity::units(-1), "sale", "sale", "S", std::nullopt};
  m.reason = "return";
  EXPECT_EQ(word(m.reason), "return");
}

TEST(StockVocabulary, AdjustmentReasonsAndTheirDirections) {
  EXPECT_EQ(words_of(adjustment_reasons), (std::vector<std::string>{"shrink", "damage", "theft", "found", "expired",
                                                                      "correction", "opening", "count"}));
  expect_round_trip(adjustment_reasons);
  // docs/ledger.md: shrink, damage, theft, expired (< 0), found, opening (> 0), correction, count.
  const std::pair<AdjustmentReason, Direction> directions[] = {
      {AdjustmentReason::shrink, Direction::decrease},  {AdjustmentReason::damage, Direction::decrease},
      {AdjustmentReason::theft, Direction::decrease},   {AdjustmentReason::expired, Direction::decrease},
      {AdjustmentReason::found, Direction::increase},   {AdjustmentReason::opening, Direction::increase},
      {AdjustmentReason::correction, Direction::either}, {AdjustmentReason::count, Direction::either},
  };
  for (auto [reason, way] : directions) EXPECT_EQ(direction(reason), way) << word(reason);
  // An adjustment's movement carries the same word.
  for (const auto& w : adjustment_reasons.words) EXPECT_EQ(word(movement_reason(w.value)), w.text);
}

TEST(StockVocabulary, LocationKindsAndDispositions) {
  EXPECT_EQ(words_of(location_kinds), (std::vector<std::string>{"store", "backroom", "warehouse", "review", "damaged",
                                                                  "refurbish", "markdown", "transit"}));
  expect_round_trip(location_kinds);
  for (const auto& w : location_kinds.words) {
    const bool site = w.value == LocationKind::store || w.value == LocationKind::backroom ||
                      w.value == LocationKind::warehouse;
    EXPECT_EQ(is_site(w.value), site) << w.text;
    EXPECT_EQ(is_bin(w.value), !site && w.value != LocationKind::transit) << w.text;
  }
  EXPECT_EQ(words_of(dispositions),
            (std::vector<std::string>{"restock", "review", "damaged", "refurbish", "markdown"}));
  expect_round_trip(dispositions);
  // docs/ledger.md: restock -> the sellable location, review / damaged / refurbish / markdown -> that bin.
  EXPECT_FALSE(bin_kind(Disposition::restock).has_value());
  for (const auto& w : dispositions.words) {
    if (w.value == Disposition::restock) continue;
    EXPECT_EQ(word(*bin_kind(w.value)), w.text);
  }
  EXPECT_EQ(words_of(transfer_statuses), (std::vector<std::string>{"in_transit", "received", "cancelled"}));
  expect_round_trip(transfer_statuses);
}

TEST(StockVocabulary, AnUnknownWordIsA422NamingTheFieldAndTheAllowedWords) {
  EXPECT_EQ(adjustment_reasons.require("theft", "reason"), AdjustmentReason::theft);
  try {
    (void)adjustment_reasons.require("stolen", "reason");
    FAIL() << "an unknown reason was accepted";
  } catch (const Problem& p) {
    EXPECT_EQ(p.status, 422);
    EXPECT_EQ(p.code, "invalid_field");
    EXPECT_EQ(p.field, "reason");
    EXPECT_EQ(p.detail, "reason is shrink, damage, theft, found, expired, correction, opening or count");
  }
  for (std::string_view near : {"", "Theft", "theft ", "transfer_in"})
    EXPECT_FALSE(adjustment_reasons.parse(near).has_value()) << "'" << near << "'";
  EXPECT_EQ(transfer_statuses.allowed(), "in_transit, received or cancelled");
  EXPECT_EQ(dispositions.allowed(), "restock, review, damaged, refurbish or markdown");
}

}  // namespace
}  // namespace backroom::stock
