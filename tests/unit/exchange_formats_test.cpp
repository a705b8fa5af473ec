// The pure parts of issue 19: Shopify/Square parsing and writing, GTIN checks, mapping
// tables' review dates. Tables of cases, no database.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exchange/formats.hpp"
#include "integrations/mappings.hpp"
#include "platform/problem.hpp"

namespace {

using namespace backroom;
using namespace backroom::exchange;

TEST(ExchangeGtin, TableOfCodes) {
  struct Case {
    const char* text;
    const char* gtin;   // nullptr when refused
    const char* error;  // the refusal's code
  };
  const std::vector<Case> cases = {
      {"4006381333931", "4006381333931", ""},    // EAN-13
      {"036000291452", "036000291452", ""},      // UPC-A
      {"96385074", "96385074", ""},              // EAN-8
      {"10036000291459", "10036000291459", ""},  // GTIN-14
      {" 036000291452 ", "036000291452", ""},
      {"4006381333932", nullptr, "bad_check_digit"},
      {"036000291453", nullptr, "bad_check_digit"},
      {"12345", nullptr, "invalid_barcode"},
      {"ABC-123", nullptr, "invalid_barcode"},
      {"", nullptr, "invalid_barcode"},
      {"97803064061577", nullptr, "bad_check_digit"},
  };
  for (const auto& c : cases) {
    std::string error;
    auto gtin = gtin_of(c.text, error);
    if (c.gtin) {
      ASSERT_TRUE(gtin) << c.text << ": " << error;
      EXPECT_EQ(*gtin, c.gtin) << c.text;
    } else {
      EXPECT_FALSE(gtin) << c.text;
      EXPECT_EQ(error, c.error) << c.text;
    }
  }
}

TEST(ExchangeSlug, Table) {
  EXPECT_EQ(slug("Classic Tee!"), "classic-tee");
  EXPECT_EQ(slug("Ground Coffee 250 g"), "ground-coffee-250-g");
  EXPECT_EQ(slug("  --Mug--  "), "mug");
  EXPECT_EQ(slug("Café au lait"), "caf-au-lait");
}

constexpr const char* shopify_header =
    "Handle,Title,Body (HTML),Vendor,Type,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,"
    "Variant Inventory Qty,Variant Price,Variant Taxable,Variant Barcode,Image Src,Cost per item\r\n";

TEST(ExchangeShopify, ProductsVariantsAndContinuationRows) {
  std::string csv = std::string(shopify_header) +
                    "tee,Tee,\"<p>a, b</p>\",North,Shirts,Size,S,,,TEE-S,5,19.99,TRUE,5012345678900,img1,7.50\r\n"
                    "tee,,,,,,M,,,TEE-M,8,19.99,TRUE,,,\r\n"
                    "tee,,,,,,,,,,,,,,img2,\r\n"
                    "mug,Mug,,,Kitchen,Title,Default Title,,,MUG,12,9.5,FALSE,'036000291452,,\r\n";
  auto parsed = parse_shopify(csv, 2);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].message;
  EXPECT_EQ(parsed.rows, 4u);
  ASSERT_EQ(parsed.products.size(), 2u);
  const auto& tee = parsed.products[0];
  EXPECT_EQ(tee.handle, "tee");
  EXPECT_EQ(tee.description, "<p>a, b</p>");
  EXPECT_EQ(tee.vendor, "North");
  EXPECT_EQ(tee.category, "Shirts");
  EXPECT_EQ(tee.option_names, std::vector<std::string>{"Size"});
  ASSERT_EQ(tee.variants.size(), 2u) << "the image-only row is no variant";
  EXPECT_EQ(tee.variants[1].option_values, std::vector<std::string>{"M"});
  EXPECT_EQ(tee.variants[1].line, 3u);
  EXPECT_EQ(tee.variants[0].price, 1999);
  EXPECT_EQ(tee.variants[0].cost, 750);
  EXPECT_EQ(tee.variants[0].barcode, "5012345678900");
  ASSERT_EQ(tee.variants[0].quantities.size(), 1u);
  EXPECT_EQ(tee.variants[0].quantities[0].second, Quantity::units(5));
  const auto& mug = parsed.products[1];
  EXPECT_TRUE(mug.option_names.empty()) << "Title / Default Title means no options";
  EXPECT_EQ(mug.variants[0].price, 950);
  EXPECT_EQ(mug.variants[0].barcode, "036000291452") << "a spreadsheet's leading quote is dropped";
}

TEST(ExchangeShopify, RowErrorsNameLineColumnAndCode) {
  struct Case {
    std::string row;
    std::size_t line;
    std::string column;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"tee,Tee,,,,Size,S,,,TEE-S,1,19.99,TRUE,5012345678901,,", 2, "Variant Barcode", "bad_check_digit"},
      {"tee,Tee,,,,Size,S,,,TEE-S,1,19.999,TRUE,,,", 2, "Variant Price", "invalid_price"},
      {"tee,Tee,,,,Size,S,,,TEE-S,lots,19.99,TRUE,,,", 2, "Variant Inventory Qty", "invalid_quantity"},
      {",Tee,,,,Size,S,,,TEE-S,1,19.99,TRUE,,,", 2, "Handle", "missing_handle"},
      {"tee,,,,,Size,S,,,TEE-S,1,19.99,TRUE,,,", 2, "Title", "missing_title"},
      {"tee,Tee,,,,Size,,,,TEE-S,1,19.99,TRUE,,,", 2, "Option1 Value", "missing_option_value"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_shopify(std::string(shopify_header) + c.row + "\r\n", 2);
    ASSERT_FALSE(parsed.errors.empty()) << c.row;
    EXPECT_EQ(parsed.errors[0].line, c.line) << c.row;
    EXPECT_EQ(parsed.errors[0].column, c.column) << c.row;
    EXPECT_EQ(parsed.errors[0].code, c.code) << c.row;
  }
  auto missing = parse_shopify("Title,Variant SKU\r\nMug,M\r\n", 2);
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0].code, "missing_column");
  EXPECT_EQ(parse_shopify("", 2).errors.at(0).code, "empty_file");
  EXPECT_EQ(parse_shopify("Handle,Title\r\n\"open,x\r\n", 2).errors.at(0).code, "malformed_csv");
}

TEST(ExchangeSquare, LocationsVariationsAndNewQuantity) {
  std::string csv =
      "Token,Item Name,Variation Name,SKU,Description,Category,GTIN,Price,Default Unit Cost,"
      "Current Quantity [Main Street],New Quantity [Main Street],Current Quantity [Harbour Road],New Quantity [Harbour Road]\r\n"
      "T1,Latte,Small,L-S,,Coffee,,3.20,0.80,,,,\r\n"
      "T2,Latte,Large,L-L,,Coffee,,3.90,1.00,,,,\r\n"
      "T3,Cup,Regular,CUP,,Retail,076300000019,12.00,4.00,6,,1,2\r\n";
  auto parsed = parse_square(csv, 2);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].message;
  EXPECT_EQ(parsed.locations, (std::vector<std::string>{"Main Street", "Harbour Road"}));
  ASSERT_EQ(parsed.products.size(), 2u);
  EXPECT_EQ(parsed.products[0].option_names, std::vector<std::string>{"Variation"});
  EXPECT_EQ(parsed.products[0].variants[1].option_values, std::vector<std::string>{"Large"});
  EXPECT_EQ(parsed.products[0].handle, "latte");
  const auto& cup = parsed.products[1];
  EXPECT_TRUE(cup.option_names.empty());
  ASSERT_EQ(cup.variants[0].quantities.size(), 2u);
  EXPECT_EQ(cup.variants[0].quantities[0], (std::pair<std::string, Quantity>{"Main Street", Quantity::units(6)}));
  EXPECT_EQ(cup.variants[0].quantities[1], (std::pair<std::string, Quantity>{"Harbour Road", Quantity::units(2)}))
      << "New Quantity wins";
}

TEST(ExchangeWriters, WhatIsWrittenReadsBackTheSame) {
  Product tee{1, "tee", "Tee", "<p>a, \"b\"</p>", "North", "Shirts", {"Size", "Colour"}, {}};
  tee.variants.push_back(Variant{0, {"S", "Red"}, "TEE-S-RED", "5012345678900", 1999, 750, "", {{"", Quantity::units(5)}}});
  tee.variants.push_back(Variant{0, {"M", "Red"}, "TEE-M-RED", "", 2150, std::nullopt, "", {{"", Quantity::units(0)}}});
  Product mug{1, "mug", "Mug", "", "", "=cmd", {}, {}};
  mug.variants.push_back(Variant{0, {}, "MUG", "036000291452", 950, 320, "", {{"", Quantity{1500}}}});
  auto shopify = parse_shopify(write_shopify({tee, mug}, 2), 2);
  ASSERT_TRUE(shopify.errors.empty()) << shopify.errors[0].message;
  ASSERT_EQ(shopify.products.size(), 2u);
  EXPECT_EQ(shopify.products[0].description, tee.description);
  EXPECT_EQ(shopify.products[0].option_names, tee.option_names);
  EXPECT_EQ(shopify.products[0].variants[1].option_values, tee.variants[1].option_values);
  EXPECT_EQ(shopify.products[0].variants[1].price, 2150);
  EXPECT_EQ(shopify.products[1].variants[0].quantities[0].second, Quantity{1500});
  EXPECT_EQ(shopify.products[1].category, "'=cmd") << "exports are guarded against formula injection";

  auto square = parse_square(write_square({tee, mug}, {"Main Street"}, 2), 2);
  ASSERT_TRUE(square.errors.empty()) << square.errors[0].message;
  EXPECT_EQ(square.products[0].option_names, tee.option_names);
  EXPECT_EQ(square.products[0].variants[0].sku, "TEE-S-RED");
  EXPECT_EQ(square.products[1].variants[0].barcode, "036000291452");
}

TEST(Mappings, ReviewIsDueNinetyDaysAfterReviewedOn) {
  integrations::Mapping m;
  EXPECT_TRUE(integrations::review_due(m, Timestamp{0})) << "never reviewed";
  m.reviewed_on = "2026-04-01";
  EXPECT_EQ(integrations::review_due_on(m), "2026-06-30");
  constexpr std::int64_t day = 86'400'000'000;
  const std::int64_t june_30 = 20'634 * day;  // 2026-06-30 00:00 UTC
  EXPECT_FALSE(integrations::review_due(m, Timestamp{june_30 - 1}));
  EXPECT_TRUE(integrations::review_due(m, Timestamp{june_30}));
  m.reviewed_on = "2024-12-31";
  EXPECT_EQ(integrations::review_due_on(m), "2025-03-31");
}

TEST(Mappings, BodiesAndLookups) {
  auto m = integrations::mapping_from_json(
      boost::json::parse(R"({"fields":{"Item No":"sku"},"values":{"location":{"Main Street":"L1"}},"reviewed_on":"2026-02-28"})")
          .as_object(),
      "acme");
  EXPECT_EQ(m.fields.at("Item No"), "sku");
  EXPECT_EQ(m.value("location", "Main Street"), "L1");
  EXPECT_EQ(m.value("location", " main street "), "L1") << "case and blanks do not matter on lookup";
  EXPECT_EQ(m.value("location", "Harbour"), std::nullopt);
  EXPECT_EQ(m.value("tax_category", "x"), std::nullopt);
  struct Bad {
    const char* body;
    const char* field;
  };
  for (const auto& bad : std::vector<Bad>{{R"({"reviewed_on":"2026-02-29"})", "reviewed_on"},
                                          {R"({"fields":{"a":""}})", "fields.a"},
                                          {R"({"values":{"x":{"a":1}}})", "values.x.a"},
                                          {R"({"values":{"X":{}}})", "values"},
                                          {R"({"other":1})", "other"}}) {
    try {
      integrations::mapping_from_json(boost::json::parse(bad.body).as_object(), "acme");
      ADD_FAILURE() << bad.body << " was accepted";
    } catch (const Problem& p) {
      EXPECT_EQ(p.field, bad.field) << bad.body;
    }
  }
  EXPECT_TRUE(integrations::valid_mapping_name("square"));
  EXPECT_FALSE(integrations::valid_mapping_name("Square"));
  EXPECT_FALSE(integrations::valid_mapping_name(""));
}

}  // namespace
