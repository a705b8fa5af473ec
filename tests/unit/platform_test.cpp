// Pure platform pieces: exact quantities, RFC 3339 times, UUIDv7, exact JSON numbers,
// free-text rules (Luhn card guard), SKU normalisation and duplicate keys.
#include <gtest/gtest.h>

#include <set>

#include "catalog/item.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/text.hpp"
#include "platform/types.hpp"

namespace backroom {
namespace {

TEST(Quantity, ParsesExactDecimalsIntoMilliUnits) {
  struct Case {
    const char* text;
    std::optional<std::int64_t> milli;
  };
  const Case cases[] = {
      {"2", 2000},     {"0.25", 250},  {"-1.5", -1500}, {"1.500", 1500}, {"0.001", 1},    {"1.0000", 1000},
      {"1.0001", {}},  {"", {}},       {"-", {}},       {".5", {}},      {"1.", {}},      {"1e3", {}},
      {"+1", {}},      {" 1", {}},     {"1,5", {}},     {"1000000000", 1'000'000'000'000}, {"1000000001", {}},
      {"99999999999999999999", {}},
  };
  for (const auto& c : cases) {
    auto q = parse_quantity(c.text);
    if (c.milli) {
      ASSERT_TRUE(q) << c.text;
      EXPECT_EQ(q->milli, *c.milli) << c.text;
    } else {
      EXPECT_FALSE(q) << c.text;
    }
  }
}

TEST(Quantity, FormatsShortestExactDecimal) {
  EXPECT_EQ(format_quantity(Quantity{2000}), "2");
  EXPECT_EQ(format_quantity(Quantity{250}), "0.25");
  EXPECT_EQ(format_quantity(Quantity{-1500}), "-1.5");
  EXPECT_EQ(format_quantity(Quantity{1}), "0.001");
  EXPECT_EQ(format_quantity(Quantity{0}), "0");
  EXPECT_EQ(format_quantity(Quantity{INT64_MIN}), "-9223372036854775.808");
}

TEST(Time, Rfc3339RoundTripAndOffsets) {
  auto t = parse_rfc3339("2026-11-28T02:00:05.123456Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t), "2026-11-28T02:00:05.123456Z");
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z")->micros, 0);
  EXPECT_EQ(parse_rfc3339("1970-01-01T01:00:00+01:00")->micros, 0);
  EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00Z")->micros, 1709164800LL * 1'000'000);
  EXPECT_FALSE(parse_rfc3339("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("2026-11-28 02:00:05Z"));
  EXPECT_FALSE(parse_rfc3339("2026-11-28T02:00:05"));
  EXPECT_FALSE(parse_rfc3339("2026-13-01T00:00:00Z"));
}

TEST(Uuid, Version7IsTimeOrderedAndUnique) {
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 20000; ++i) {
    auto id = new_uuid_v7();
    ASSERT_TRUE(is_uuid(id, true)) << id;
    ASSERT_GT(id, previous);
    ASSERT_TRUE(seen.insert(id).second);
    previous = id;
  }
  EXPECT_FALSE(is_uuid("01936f5e-8a00-4abc-8def-0123456789ab", true));  // v4
  EXPECT_TRUE(is_uuid("01936F5E-8A00-4ABC-8DEF-0123456789AB"));
  EXPECT_EQ(*normalize_uuid("01936F5E-8A00-7ABC-8DEF-0123456789AB"), "01936f5e-8a00-7abc-8def-0123456789ab");
  EXPECT_FALSE(is_uuid("01936f5e8a007abc8def0123456789ab"));
}

TEST(Json, DecimalsAreKeptExactlyAsWritten) {
  auto v = json::parse_exact(R"({"q": 0.1, "w": 2.675, "i": 3, "big": 1e400})");
  auto& o = v.as_object();
  EXPECT_EQ(json::as_quantity(o["q"])->milli, 100);
  EXPECT_EQ(json::as_quantity(o["w"])->milli, 2675);  // 2.675 is 2.67499999... as a double
  EXPECT_EQ(json::as_quantity(o["i"])->milli, 3000);
  EXPECT_FALSE(json::as_quantity(o["big"]));
  EXPECT_EQ(json::serialize(boost::json::object{{"q", json::quantity_value(Quantity{2675})}}), R"({"q":2.675})");
}

TEST(Json, AnIdentifierWithANulIsRefusedNotCut) {
  auto body = json::parse_object(R"({"type": "sale\u0000.completed", "code": "\u001d0105012345678900"})");
  json::Fields f{body, "documents[3]"};
  try {
    f.opt_identifier("type");
    FAIL();
  } catch (const Problem& p) {
    EXPECT_EQ(p.status, 422);
    EXPECT_EQ(p.field, "documents[3].type");
  }
  EXPECT_EQ(f.opt_identifier("code")->size(), 17u) << "a GS1 code keeps its GS separator";
}

TEST(Json, FieldReadersNameTheField) {
  auto body = json::parse_object(R"({"price": 19.99, "name": 5, "qty": "2"})");
  json::Fields f{body, "lines[0]"};
  try {
    f.money("price");
    FAIL();
  } catch (const Problem& p) {
    EXPECT_EQ(p.status, 422);
    EXPECT_EQ(p.field, "lines[0].price");
  }
  EXPECT_THROW(f.text("name"), Problem);
  EXPECT_THROW(f.quantity("qty"), Problem);
  try {
    f.text("missing");
    FAIL();
  } catch (const Problem& p) {
    EXPECT_EQ(p.code, "missing_field");
  }
  try {
    f.only({"price"});
    FAIL();
  } catch (const Problem& p) {
    EXPECT_EQ(p.code, "unknown_field");
  }
}

TEST(Json, MalformedBodiesAre400) {
  for (const char* bad : {"", "{", "{\"a\":}", "[1]", "{\"a\":1} x", "nul"}) {
    try {
      json::parse_object(bad);
      FAIL() << bad;
    } catch (const Problem& p) {
      EXPECT_EQ(p.status, 400) << bad;
      EXPECT_EQ(p.code, "malformed_json") << bad;
    }
  }
  std::string deep(100, '[');
  EXPECT_THROW(json::parse_exact(deep), Problem);
}

TEST(Text, LuhnAndCardGuard) {
  // Published test card numbers (network test PANs) and near misses.
  EXPECT_TRUE(text::luhn_valid("4111111111111111"));
  EXPECT_TRUE(text::luhn_valid("5555555555554444"));
  EXPECT_TRUE(text::luhn_valid("378282246310005"));
  EXPECT_TRUE(text::luhn_valid("79927398713"));  // the classic example
  EXPECT_FALSE(text::luhn_valid("79927398710"));
  EXPECT_TRUE(text::contains_card_number("paid with 4111 1111 1111 1111 thanks"));
  EXPECT_TRUE(text::contains_card_number("ref 5555-5555-5555-4444"));
  EXPECT_FALSE(text::contains_card_number("4111 1111 1111 1112"));
  EXPECT_FALSE(text::contains_card_number("order 12345, table 7"));
  // Ids whose digit groups happen to pass Luhn are identifiers, not card numbers.
  EXPECT_TRUE(text::luhn_valid("1234567812346"));
  EXPECT_FALSE(text::contains_card_number("12345678-1234-6abc-8def-0123456789ab"));
  EXPECT_FALSE(text::contains_card_number("01a22062-4111111111111111-x"));
  EXPECT_TRUE(text::contains_card_number("card: 4111-1111-1111-1111."));
  EXPECT_TRUE(text::free_text_problem("a\x01" "b"));
  EXPECT_TRUE(text::free_text_problem("\xc3\x28"));
  EXPECT_FALSE(text::free_text_problem("Crème brûlée, 2 × 🍰"));
}

TEST(Text, FoldMakesLookAlikesEqual) {
  EXPECT_EQ(text::fold("Red  T-Shirt!"), "red t shirt");
  EXPECT_EQ(text::fold("  red t shirt "), "red t shirt");
}

TEST(Catalog, SkuNormalisation) {
  EXPECT_EQ(*catalog::normalize_sku(" ab-12/x "), "AB-12/X");
  EXPECT_FALSE(catalog::normalize_sku(""));
  EXPECT_FALSE(catalog::normalize_sku("a b"));
  EXPECT_FALSE(catalog::normalize_sku(std::string(65, 'A')));
}

TEST(Catalog, DuplicateKeyIncludesVariantOptionsInKeyOrder) {
  catalog::Item a;
  a.name = "Crew T-Shirt";
  a.kind = catalog::ItemKind::variant;
  a.options = boost::json::object{{"size", "M"}, {"color", "Navy"}};
  catalog::Item b = a;
  b.name = "crew t shirt";
  b.options = boost::json::object{{"color", "navy"}, {"size", "m"}};
  EXPECT_EQ(catalog::duplicate_key(a), catalog::duplicate_key(b));
  EXPECT_EQ(catalog::duplicate_key(a), "crew t shirt|color=navy|size=m");
}

}  // namespace
}  // namespace backroom
