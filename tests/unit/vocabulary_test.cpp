// Catalog's and sales' vocabularies (catalog/vocabulary.hpp, sales/sale.hpp): the words
// stored in the database and spoken in JSON and CSV stay exactly the ones existing shops
// hold, every enum value has one word, and an unknown word from outside is the 422 it has
// always been, naming the field and the allowed words.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "catalog/item.hpp"
#include "catalog/vocabulary.hpp"
#include "platform/problem.hpp"
#include "sales/sale.hpp"

namespace backroom {
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
    EXPECT_EQ(v.stored(w.text), w.value) << w.text;
  }
}

// The problem `f` throws: status, code, field and detail.
template <class F>
Problem problem_of(F f) {
  try {
    f();
  } catch (const Problem& p) {
    return p;
  }
  ADD_FAILURE() << "no problem thrown";
  return Problem(0, "", "");
}

TEST(CatalogVocabulary, TheItemWordsExistingShopsHold) {
  using namespace catalog;
  EXPECT_EQ(words_of(item_kinds), (std::vector<std::string>{"standard", "parent", "variant", "kit"}));
  EXPECT_EQ(words_of(item_statuses), (std::vector<std::string>{"active", "discontinued"}));
  EXPECT_EQ(words_of(units), (std::vector<std::string>{"each", "g", "kg", "ml", "l", "m"}));
  EXPECT_EQ(words_of(kit_consumes_words), (std::vector<std::string>{"components", "assembled"}));
  expect_round_trip(item_kinds);
  expect_round_trip(item_statuses);
  expect_round_trip(units);
  expect_round_trip(kit_consumes_words);
  Item fresh;  // what an item is when a body does not say
  EXPECT_EQ(word(fresh.kind), "standard");
  EXPECT_EQ(word(fresh.status), "active");
  EXPECT_EQ(word(fresh.unit), "each");
}

TEST(CatalogVocabulary, AnUnknownWordIsThe422ItAlwaysWas) {
  using namespace catalog;
  struct Case {
    std::function<void()> read;
    std::string field, detail;
  };
  std::vector<Case> cases = {
      {[] { require_unit("bushel"); }, "unit", "unit 'bushel' is not one of each, g, kg, ml, l, m"},
      {[] { require_item_kind("bundle"); }, "kind", "kind 'bundle' is not one of standard, parent, variant, kit"},
      {[] { require_item_status("retired"); }, "status", "status must be 'active' or 'discontinued'"},
      {[] { require_kit_consumes("parts"); }, "kit.consumes",
       "a kit says whether a sale consumes 'components' or 'assembled' kit stock"},
      {[] {
         Item item;
         apply_item_json(boost::json::object{{"sku", "A"}, {"name", "A"}, {"price", 1}, {"unit", "KG"}}, item, true);
       },
       "unit", "unit 'KG' is not one of each, g, kg, ml, l, m"},
  };
  for (const auto& c : cases) {
    auto p = problem_of(c.read);
    EXPECT_EQ(p.status, 422);
    EXPECT_EQ(p.code, "invalid_field");
    EXPECT_EQ(p.field, c.field);
    EXPECT_EQ(p.detail, c.detail);
  }
  EXPECT_EQ(require_unit("kg"), Unit::kg);
}

TEST(SalesVocabulary, ReturnWordsAndSettingsWords) {
  using namespace sales;
  EXPECT_EQ(words_of(return_reasons),
            (std::vector<std::string>{"defective", "wrong_item", "wrong_size", "changed_mind", "not_as_described",
                                      "damaged_in_transit", "late_delivery", "other"}));
  EXPECT_EQ(words_of(return_conditions), (std::vector<std::string>{"new", "opened", "used", "damaged", "defective"}));
  EXPECT_EQ(words_of(tax_modes), (std::vector<std::string>{"inclusive", "exclusive"}));
  EXPECT_EQ(words_of(tax_roundings), (std::vector<std::string>{"line", "receipt"}));
  EXPECT_EQ(words_of(rounding_modes), (std::vector<std::string>{"half_even", "half_up"}));
  EXPECT_EQ(words_of(no_receipt_refunds), (std::vector<std::string>{"store_credit", "cash"}));
  EXPECT_EQ(words_of(stock::negative_stock_policies), (std::vector<std::string>{"allow", "refuse"}));
  expect_round_trip(return_reasons);
  expect_round_trip(return_conditions);
  expect_round_trip(tax_modes);
  expect_round_trip(tax_roundings);
  expect_round_trip(rounding_modes);
  expect_round_trip(stock::negative_stock_policies);
  EXPECT_EQ(return_reasons.allowed(),
            "defective, wrong_item, wrong_size, changed_mind, not_as_described, damaged_in_transit, late_delivery or other");
  EXPECT_EQ(return_conditions.allowed(), "new, opened, used, damaged or defective");
}

}  // namespace
}  // namespace backroom
