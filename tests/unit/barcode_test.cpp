// Barcode arithmetic and parsing, checked against published vectors.
//
// Sources of the vectors:
//  [GS1]   GS1 General Specifications (check digit 7.9.1, price/weight verifier 7.9.2-7.9.3,
//          predefined-length AI table), incl. the GS1 example GTIN 9501101530003.
//  [WIKI]  Wikipedia "International Article Number" (4006381333931, EAN-8 96385074),
//          "Universal Product Code" (036000291452), "ISBN" (0-306-40615-2 -> 978-0-306-40615-7,
//          0-8044-2957-X).
//  [UPCT]  Ibotta/ruby_upc_tools spec/upc_tools_spec.rb: check digits, UPC-E <-> UPC-A pairs,
//          type-2 UPC codes, price verifier digits (2875 -> 9, 14685 -> 6, 10485 -> 3, ...).
//  [AIDC]  aidc-toolkit/gs1 src/check.ts + test/check.test.ts: the weighting-factor tables and
//          the 5-digit "inverse 5-" step, re-derived below from the arithmetic definition.
//  [BCP]   BarcodeParser (JavaScript, "A parsed GS1 barcode" spec): a ]C1 GS1-128 string with
//          AIs 01, 17, 10, 3932, 3103, 3922, 421.
//  [FEAT]  A GS1 element-string parser feature file (010541234500001310ABC123<GS>17290331,
//          31030001890105412345000013<GS>10XYZ).
#include "catalog/barcode.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace backroom::catalog {
namespace {

const std::string GS = "\x1D";

// ---------------------------------------------------------------------------------------------
// GS1 check digits

struct CheckDigitCase {
  const char* digits;
  int check;
};

TEST(Gs1CheckDigit, PublishedVectors) {
  const CheckDigitCase cases[] = {
      {"400638133393", 1},       // [WIKI] EAN-13 4006381333931
      {"03600029145", 2},        // [WIKI] UPC-A 036000291452
      {"950110153000", 3},       // [GS1] GTIN-13 9501101530003
      {"9638507", 4},            // [WIKI] EAN-8 96385074
      {"12345678901", 2},        // [UPCT]
      {"98765432109", 8},        // [UPCT]
      {"876543214587", 4},       // [UPCT]
      {"000000456789", 9},       // [UPCT]
      {"5874139845602", 0},      // [UPCT]
      {"37610425002123456", 9},  // [UPCT] SSCC body
      {"978030640615", 7},       // [WIKI] ISBN-13 978-0-306-40615-7
      {"", 0},
  };
  for (const auto& c : cases) EXPECT_EQ(gs1_check_digit(c.digits), c.check) << c.digits;
}

TEST(Gs1CheckDigit, ValidCodes) {
  const std::pair<const char*, bool> cases[] = {
      {"4006381333931", true},
      {"036000291452", true},
      {"9501101530003", true},
      {"96385074", true},
      {"58741398456020", true},
      {"376104250021234569", true},  // [UPCT]
      {"4006381333932", false},
      {"58741398456029", false},
      {"376104250021234561", false},
      {"", false},
      {"0", false},
      {"40063813339a1", false},
      {" 4006381333931", false},
  };
  for (const auto& [code, valid] : cases) EXPECT_EQ(gs1_check_digit_valid(code), valid) << code;
}

TEST(Gs1CheckDigit, HugeInputIsSafe) {
  const std::string many(1'000'000, '9');
  const int d = gs1_check_digit(many);
  EXPECT_GE(d, 0);
  EXPECT_LE(d, 9);
  EXPECT_TRUE(gs1_check_digit_valid(many + std::to_string(d)));
}

// ---------------------------------------------------------------------------------------------
// UPC-E

struct ConversionCase {
  const char* from;
  const char* to;
};

TEST(UpcE, ExpandsToUpcA) {
  const ConversionCase cases[] = {
      {"01234565", "012345000065"},  // brief / barcodeisland
      {"04252614", "042100005264"},  // [UPCT]
      {"01234500", "012000003450"},  // [UPCT] last digit 0..2
      {"01234510", "012100003450"}, {"01234520", "012200003450"},
      {"01234530", "012300000450"},  // [UPCT] last digit 3
      {"01234540", "012340000050"},  // [UPCT] last digit 4
      {"01234550", "012345000050"},  // [UPCT] last digit 5..9
      {"01234560", "012345000060"}, {"01234570", "012345000070"},
      {"01234580", "012345000080"}, {"01234590", "012345000090"},
      {"12720123", "127200002013"},  // [UPCT] number system 1
  };
  for (const auto& c : cases) EXPECT_EQ(upce_to_upca(c.from), c.to) << c.from;
}

TEST(UpcE, RejectsWhatIsNotUpcE) {
  for (const char* bad : {"21234565", "91234565", "0123456", "012345655", "0123456a", ""}) {
    EXPECT_EQ(upce_to_upca(bad), std::nullopt) << bad;
  }
}

TEST(UpcE, SuppressesZerosFromUpcA) {
  const ConversionCase cases[] = {
      {"042100005264", "04252614"}, {"020200004417", "02044127"},  // [UPCT]
      {"020600000019", "02060139"}, {"040350000077", "04035747"}, {"020201000050", "02020150"},
      {"020204000064", "02020464"}, {"023456000073", "02345673"}, {"020204000088", "02020488"},
      {"020201000098", "02020198"}, {"043000000854", "04308504"}, {"127200002013", "12720123"},
      {"012345000065", "01234565"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(upca_to_upce(c.from), c.to) << c.from;
    EXPECT_EQ(upce_to_upca(c.to), c.from) << c.to;  // and back again
  }
}

TEST(UpcE, RejectsUpcAThatCannotBeSuppressed) {
  for (const char* bad : {"212345678992",  // [UPCT] number system 2
                          "036000291452",  // product 29145 has no leading zeros
                          "012345100065",  // product 10006
                          "01234500006",   // 11 digits
                          "0123450000x5"}) {
    EXPECT_EQ(upca_to_upce(bad), std::nullopt) << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// ISBN-10

TEST(Isbn10, ConvertsToBookland) {
  const ConversionCase cases[] = {
      {"0306406152", "9780306406157"},     // [WIKI]
      {"0-306-40615-2", "9780306406157"},  // hyphenated
      {"0 306 40615 2", "9780306406157"},  // spaced
      {"080442957X", "9780804429573"},     // [WIKI] check digit X
      {"0-8044-2957-x", "9780804429573"},
  };
  for (const auto& c : cases) EXPECT_EQ(isbn10_to_ean13(c.from), c.to) << c.from;
}

TEST(Isbn10, RejectsInvalid) {
  for (const char* bad : {"0306406153",   // wrong mod-11 check digit
                          "0804429579",   // X replaced by 9
                          "X306406152",   // X only allowed last
                          "030640615",    // 9 characters
                          "03064061522",  // 11 characters
                          "03064O6152",   // letter O
                          "", "----------"}) {
    EXPECT_EQ(isbn10_to_ean13(bad), std::nullopt) << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// GTIN-14

TEST(Gtin14, PadsValidGtins) {
  const ConversionCase cases[] = {
      {"96385074", "00000096385074"},
      {"036000291452", "00036000291452"},
      {"4006381333931", "04006381333931"},
      {"09501101530003", "09501101530003"},
      {"4006381333932", ""},  // bad check digit
      {"400638133393", ""},   // 12 digits, but check digit wrong for UPC-A
      {"123456", ""},
      {"40063813339311", ""},
      {"", ""},
      {"4006381333g31", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(to_gtin14(c.from), c.to) << c.from;
}

// ---------------------------------------------------------------------------------------------
// Price/weight verifier digit

TEST(PriceVerifier, PublishedVectors) {
  const CheckDigitCase cases[] = {
      {"2875", 9},   // [GS1] 7.9.3 four-digit example, [UPCT]
      {"0300", 8},   // [UPCT] 203374803004
      {"1365", 7},   // [UPCT] 220812713657
      {"0512", 3},   // [UPCT]
      {"14685", 6},  // [GS1] five-digit example, [UPCT]
      {"10485", 3},  // [UPCT] 2003493104857
  };
  for (const auto& c : cases) EXPECT_EQ(price_verifier_digit(c.digits), c.check) << c.digits;
}

// The weighting factors as GS1 defines them: multiply, then add (+) or subtract (-) the tens
// digit of the product, keep the units digit [AIDC].
int weighted(int digit, int weight, int sign) {
  const int product = digit * weight;
  return (product + sign * (product / 10)) % 10;
}

TEST(PriceVerifier, MatchesArithmeticDefinitionForEveryValue) {
  for (int v = 0; v < 10'000; ++v) {
    std::string s = std::to_string(v);
    s.insert(0, 4 - s.size(), '0');
    const int d[] = {s[0] - '0', s[1] - '0', s[2] - '0', s[3] - '0'};
    const int sum = weighted(d[0], 2, -1) + weighted(d[1], 2, -1) + weighted(d[2], 3, 0) +
                    weighted(d[3], 5, -1);
    ASSERT_EQ(price_verifier_digit(s), sum * 3 % 10) << s;
  }
  for (int v = 0; v < 100'000; ++v) {
    std::string s = std::to_string(v);
    s.insert(0, 5 - s.size(), '0');
    const int d[] = {s[0] - '0', s[1] - '0', s[2] - '0', s[3] - '0', s[4] - '0'};
    const int sum = weighted(d[0], 5, +1) + weighted(d[1], 2, -1) + weighted(d[2], 5, -1) +
                    weighted(d[3], 5, +1) + weighted(d[4], 2, -1);
    // The verifier is the digit whose 5- product brings the sum to a multiple of ten.
    const int verifier = price_verifier_digit(s);
    ASSERT_EQ((sum + weighted(verifier, 5, -1)) % 10, 0) << s;
  }
}

TEST(PriceVerifier, OutOfContractInputStaysInRange) {
  for (const char* odd : {"", "1", "123", "123456", "12a4", "\xff\xff\xff\xff\xff"}) {
    const int d = price_verifier_digit(odd);
    EXPECT_GE(d, 0);
    EXPECT_LE(d, 9);
  }
}

// ---------------------------------------------------------------------------------------------
// Layouts and prefixes

EmbeddedLayout layout(std::string prefix, int item_digits, EmbeddedValue value, int value_digits,
                      int decimals, bool verifier) {
  EmbeddedLayout l;
  l.prefix = std::move(prefix);
  l.item_digits = item_digits;
  l.value = value;
  l.value_digits = value_digits;
  l.decimals = decimals;
  l.verifier = verifier;
  return l;
}

// A shop's configuration: "21" price without verifier, "22" price with a 4-digit verifier,
// "23" weight with a 5-digit verifier, "24" weight in grams without verifier.
std::vector<EmbeddedLayout> shop_layouts() {
  return {
      layout("21", 5, EmbeddedValue::price, 5, 2, false),
      layout("22", 5, EmbeddedValue::price, 4, 2, true),
      layout("23", 4, EmbeddedValue::weight, 5, 3, true),
      layout("24", 5, EmbeddedValue::weight, 5, 3, false),
  };
}

TEST(Layout, CoherentLayoutsPass) {
  for (const auto& l : shop_layouts()) EXPECT_EQ(validate_layout(l), "") << l.prefix;
  EXPECT_EQ(validate_layout(layout("2", 5, EmbeddedValue::price, 5, 2, true)), "");
  EXPECT_EQ(validate_layout(layout("290", 3, EmbeddedValue::weight, 6, 3, false)), "");
}

struct BadLayoutCase {
  EmbeddedLayout layout;
  const char* error_part;
};

TEST(Layout, IncoherentLayoutsNameTheProblem) {
  const BadLayoutCase cases[] = {
      {layout("", 5, EmbeddedValue::price, 5, 2, false), "prefix must be 1 to 3 digits"},
      {layout("2a", 5, EmbeddedValue::price, 5, 2, false), "prefix must be 1 to 3 digits"},
      {layout("2100", 4, EmbeddedValue::price, 4, 2, false), "prefix must be 1 to 3 digits"},
      {layout("21", 0, EmbeddedValue::price, 5, 2, false), "item code"},
      {layout("21", -7, EmbeddedValue::price, 5, 2, false), "item code"},
      {layout("21", 2'000'000'000, EmbeddedValue::price, 5, 2, false), "item code"},
      {layout("21", 4, EmbeddedValue::price, 6, 2, true), "verifier digit needs a value of 4 or 5"},
      {layout("21", 3, EmbeddedValue::price, 7, 2, false), "value must have 1 to 6 digits"},
      {layout("21", 5, EmbeddedValue::price, 5, 7, false), "decimals must be 0 to 6"},
      {layout("21", 5, EmbeddedValue::price, 5, -1, false), "decimals must be 0 to 6"},
      {layout("21", 5, EmbeddedValue::price, 5, 2, true), "make 14 digits, not 13"},
      {layout("21", 4, EmbeddedValue::price, 5, 2, false), "make 12 digits, not 13"},
  };
  for (const auto& c : cases) {
    const std::string error = validate_layout(c.layout);
    EXPECT_NE(error.find(c.error_part), std::string::npos) << error;
    EXPECT_NE(error.find("\"" + c.layout.prefix + "\""), std::string::npos) << error;
  }
}

struct PrefixCase {
  std::vector<std::string> internal;
  std::vector<std::string> layout_prefixes;
  std::vector<const char*> error_parts;  // empty: expect no error
};

TEST(Prefixes, OverlapsAreNamed) {
  const PrefixCase cases[] = {
      {{"20"}, {"21"}, {}},
      {{"20", "25"}, {"21", "22", "23"}, {}},
      {{}, {}, {}},
      {{"20"}, {"2"}, {"internal prefix \"20\"", "embedded layout prefix \"2\"", "overlaps"}},
      {{"2"}, {"21"}, {"internal prefix \"2\"", "embedded layout prefix \"21\""}},
      {{}, {"21", "21"}, {"\"21\"", "same prefix"}},
      {{"20", "20"}, {}, {"internal prefix \"20\"", "same prefix"}},
      {{"20", "201"}, {}, {"\"20\"", "\"201\""}},
      {{}, {"2", "29"}, {"\"2\"", "\"29\""}},
      {{""}, {"21"}, {"must be one or more digits"}},
      {{"2x"}, {}, {"\"2x\"", "digits"}},
  };
  for (const auto& c : cases) {
    std::vector<EmbeddedLayout> layouts;
    for (const auto& p : c.layout_prefixes) {
      layouts.push_back(layout(p, 5, EmbeddedValue::price, 5, 2, false));
    }
    const std::string error = validate_prefixes(c.internal, layouts);
    if (c.error_parts.empty()) {
      EXPECT_EQ(error, "");
    } else {
      for (const char* part : c.error_parts) {
        EXPECT_NE(error.find(part), std::string::npos) << "'" << part << "' not in: " << error;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Making barcodes

TEST(InternalBarcode, PrefixSequenceCheckDigit) {
  struct Case {
    const char* prefix;
    std::uint64_t sequence;
    std::optional<std::string> code;
  };
  const Case cases[] = {
      {"20", 1, "2000000000015"},
      {"20", 0, "2000000000008"},
      {"20", 9'999'999'999, "2099999999998"},
      {"20", 10'000'000'000, std::nullopt},  // needs 11 digits, 10 left
      {"2", 12345, "2000000123455"},
      {"29912345678", 9, "2991234567897"},
      {"299123456789", 0, std::nullopt},  // no digit left for the sequence
      {"", 1, std::nullopt},
      {"2a", 1, std::nullopt},
      {"20", UINT64_MAX, std::nullopt},
  };
  for (const auto& c : cases) {
    const auto code = make_internal_barcode(c.prefix, c.sequence);
    EXPECT_EQ(code, c.code) << c.prefix << " " << c.sequence;
    if (code) {
      EXPECT_TRUE(gs1_check_digit_valid(*code)) << *code;
    }
  }
}

TEST(EmbeddedBarcode, BuildsPublishedCodes) {
  // [UPCT] 2003493104857: prefix 2, item 00349, price verifier 3, price 104.85.
  EXPECT_EQ(make_embedded_barcode(layout("2", 5, EmbeddedValue::price, 5, 2, true), "00349", 10485),
            "2003493104857");
  EXPECT_EQ(make_embedded_barcode(layout("2", 5, EmbeddedValue::price, 5, 2, true), "349", 10485),
            "2003493104857");  // item code zero-padded
  const auto shop = shop_layouts();
  EXPECT_EQ(make_embedded_barcode(shop[0], "12345", 1999), "2112345019994");
  EXPECT_EQ(make_embedded_barcode(shop[1], "20812", 1365), "2220812713655");  // verifier 7 [UPCT]
  EXPECT_EQ(make_embedded_barcode(shop[2], "1234", 1250), "2312347012508");
  EXPECT_EQ(make_embedded_barcode(shop[3], "12345", 750), "2412345007503");
}

TEST(EmbeddedBarcode, RefusesWhatDoesNotFit) {
  const auto shop = shop_layouts();
  EXPECT_EQ(make_embedded_barcode(shop[0], "123456", 1), std::nullopt);  // item too long
  EXPECT_EQ(make_embedded_barcode(shop[0], "12a45", 1), std::nullopt);
  EXPECT_EQ(make_embedded_barcode(shop[0], "", 1), std::nullopt);
  EXPECT_EQ(make_embedded_barcode(shop[0], "12345", 100'000), std::nullopt);  // 6 digits
  EXPECT_EQ(make_embedded_barcode(shop[1], "12345", 10'000), std::nullopt);
  EXPECT_EQ(make_embedded_barcode(shop[0], "12345", -1), std::nullopt);
  EXPECT_EQ(make_embedded_barcode(shop[0], "12345", INT64_MAX), std::nullopt);
  EXPECT_EQ(make_embedded_barcode(layout("21", 5, EmbeddedValue::price, 5, 2, true), "1", 1),
            std::nullopt);  // incoherent layout
}

TEST(EmbeddedValue, ConvertsExactly) {
  struct Case {
    EmbeddedLayout layout;
    std::int64_t raw;
    int currency_decimals;
    std::optional<std::int64_t> units;
  };
  const Case cases[] = {
      {layout("21", 5, EmbeddedValue::price, 5, 2, false), 1999, 2, 1999},
      {layout("21", 5, EmbeddedValue::price, 5, 0, false), 19, 2, 1900},  // whole currency units
      {layout("21", 5, EmbeddedValue::price, 5, 1, false), 199, 2, 1990},
      {layout("21", 5, EmbeddedValue::price, 5, 3, false), 19990, 2, 1999},
      {layout("21", 5, EmbeddedValue::price, 5, 3, false), 19995, 2, std::nullopt},  // inexact
      {layout("21", 5, EmbeddedValue::price, 5, 2, false), 1999, 0, std::nullopt},
      {layout("21", 5, EmbeddedValue::price, 5, 2, false), 1900, 0, 19},
      {layout("21", 5, EmbeddedValue::price, 5, 2, false), 1999, 3, 19990},
      {layout("24", 5, EmbeddedValue::weight, 5, 3, false), 1250, 2, 1250},  // 1.250 kg
      {layout("24", 5, EmbeddedValue::weight, 5, 2, false), 125, 2, 1250},   // 1.25 kg
      {layout("24", 5, EmbeddedValue::weight, 5, 0, false), 2, 2, 2000},
      {layout("24", 5, EmbeddedValue::weight, 5, 4, false), 12500, 2, 1250},
      {layout("24", 5, EmbeddedValue::weight, 5, 4, false), 12345, 2, std::nullopt},
      {layout("21", 5, EmbeddedValue::price, 5, 0, false), INT64_MAX, 2, std::nullopt},
      {layout("21", 5, EmbeddedValue::price, 5, 0, false), INT64_MIN, 2, std::nullopt},
      {layout("21", 5, EmbeddedValue::price, 5, 0, false), 0, 40, 0},
      {layout("21", 5, EmbeddedValue::price, 5, 0, false), 1, 40, std::nullopt},
      {layout("21", 5, EmbeddedValue::price, 5, 2, false), 1, -40, std::nullopt},
      {layout("21", 5, EmbeddedValue::price, 5, 2, false), -150, 2, -150},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(embedded_value_in_units(c.layout, c.raw, c.currency_decimals), c.units)
        << c.raw << " with " << c.layout.decimals << " decimals";
  }
}

// ---------------------------------------------------------------------------------------------
// Element strings

TEST(ElementString, GtinExpiryBatchInEveryForm) {
  const std::string forms[] = {
      "(01)09501101530003(17)260101(10)AB12",
      "01095011015300031726010110AB12",
      "]C101095011015300031726010110AB12",
      "]e001095011015300031726010110AB12",
      "]d201095011015300031726010110AB12",
      GS + "01095011015300031726010110AB12",
      "0109501101530003" + GS + "17260101" + GS + "10AB12",  // redundant GS after fixed fields
      "10AB12" + GS + "0109501101530003" + "17260101",       // variable field first
  };
  for (const auto& text : forms) {
    std::string error = "untouched";
    const auto e = parse_element_string(text, error);
    ASSERT_TRUE(e.has_value()) << text << ": " << error;
    EXPECT_EQ(error, "untouched");
    EXPECT_EQ(e->gtin, "09501101530003");
    EXPECT_EQ(e->expiry, "2026-01-01");
    EXPECT_EQ(e->batch, "AB12");
    EXPECT_TRUE(e->other.empty());
  }
}

TEST(ElementString, BarcodeParserVector) {
  // [BCP]
  const std::string text = "]C101040123456789011715012910ABC123" + GS + "39329714711" + GS +
                           "310300052539224711" + GS + "42127649716";
  std::string error;
  const auto e = parse_element_string(text, error);
  ASSERT_TRUE(e.has_value()) << error;
  EXPECT_EQ(e->gtin, "04012345678901");
  EXPECT_EQ(e->expiry, "2015-01-29");
  EXPECT_EQ(e->batch, "ABC123");
  EXPECT_EQ(e->net_weight_g, 525);  // 3103 000525 = 0.525 kg
  EXPECT_EQ(e->price_minor, 4711);  // 3922 4711 = 47.11
  EXPECT_EQ(e->price_decimals, 2);
  const std::vector<std::pair<std::string, std::string>> other = {{"3932", "9714711"},
                                                                  {"421", "27649716"}};
  EXPECT_EQ(e->other, other);
}

struct ElementCase {
  std::string text;
  std::optional<std::string> gtin;
  std::optional<std::string> batch;
  std::optional<std::string> expiry;
  std::optional<std::int64_t> grams;
  std::optional<std::int64_t> price_minor;
  int price_decimals;
};

TEST(ElementString, FieldsAndUnits) {
  const ElementCase cases[] = {
      // [FEAT]
      {"010541234500001310ABC123" + GS + "17290331",
       "05412345000013",
       "ABC123",
       "2029-03-31",
       {},
       {},
       0},
      {"31030001890105412345000013" + GS + "10XYZ", "05412345000013", "XYZ", {}, 189, {}, 0},
      // Weight 3103 001250 = 1.250 kg; price 3922 01999 = 19.99.
      {"(01)09501101530003(3103)001250(3922)01999", "09501101530003", {}, {}, 1250, 1999, 2},
      {"0109501101530003310300125039220199", "09501101530003", {}, {}, 1250, 199, 2},
      {"(01)09501101530003(3102)000525", "09501101530003", {}, {}, 5250, {}, 0},
      {"(01)09501101530003(3100)000002", "09501101530003", {}, {}, 2000, {}, 0},
      {"(01)09501101530003(3105)012300", "09501101530003", {}, {}, 123, {}, 0},
      {"(01)09501101530003(3920)19", "09501101530003", {}, {}, {}, 1900, 0},
      {"(01)09501101530003(3921)123", "09501101530003", {}, {}, {}, 1230, 1},
      {"(01)09501101530003(3923)19990", "09501101530003", {}, {}, {}, 1999, 3},
      {"(01)09501101530003(3922)999999999999999",
       "09501101530003",
       {},
       {},
       {},
       999'999'999'999'999,
       2},
      {"(01)09501101530003(3920)999999999999999",
       "09501101530003",
       {},
       {},
       {},
       99'999'999'999'999'900,
       0},
      // Day 00 = end of month, kept as written; 2024 is a leap year.
      {"(01)09501101530003(17)260200", "09501101530003", {}, "2026-02-00", {}, {}, 0},
      {"(01)09501101530003(17)240229", "09501101530003", {}, "2024-02-29", {}, {}, 0},
      {"(10)LOT-7/x", {}, "LOT-7/x", {}, {}, {}, 0},
  };
  for (const auto& c : cases) {
    std::string error;
    const auto e = parse_element_string(c.text, error);
    ASSERT_TRUE(e.has_value()) << c.text << ": " << error;
    EXPECT_EQ(e->gtin, c.gtin) << c.text;
    EXPECT_EQ(e->batch, c.batch) << c.text;
    EXPECT_EQ(e->expiry, c.expiry) << c.text;
    EXPECT_EQ(e->net_weight_g, c.grams) << c.text;
    EXPECT_EQ(e->price_minor, c.price_minor) << c.text;
    EXPECT_EQ(e->price_decimals, c.price_decimals) << c.text;
  }
}

TEST(ElementString, OtherAisKeptInOrder) {
  std::string error;
  const auto e = parse_element_string(
      "(01)09501101530003(21)12345(11)250101(00)106141412345678908(20)07(91)x", error);
  ASSERT_TRUE(e.has_value()) << error;
  const std::vector<std::pair<std::string, std::string>> other = {
      {"21", "12345"}, {"11", "250101"}, {"00", "106141412345678908"}, {"20", "07"}, {"91", "x"}};
  EXPECT_EQ(e->other, other);
}

TEST(ElementString, RepeatedIdenticalAiIsTolerated) {
  std::string error;
  const auto e = parse_element_string("(01)09501101530003(10)A(01)09501101530003(10)A", error);
  ASSERT_TRUE(e.has_value()) << error;
  EXPECT_EQ(e->gtin, "09501101530003");
  EXPECT_TRUE(e->other.empty());
}

struct MalformedCase {
  std::string text;
  const char* error_part;
};

TEST(ElementString, MalformedInputNamesTheProblem) {
  const MalformedCase cases[] = {
      {"", "empty"},
      {"]C1", "empty"},
      {GS, "empty"},
      {"]d1010950110153000317260101", "does not carry GS1 data"},
      {"(01)09501101530004", "check digit of 09501101530004 should be 3"},
      {"0109501101530004", "check digit of 09501101530004 should be 3"},
      {"(01)0950110153000", "needs exactly 14 characters, not 13"},
      {"(01)095011015300031", "needs exactly 14 characters, not 15"},
      {"0109501101530", "needs 14 characters but only 11 remain"},
      {"(01)0950110153000X", "must be all digits"},
      {"(18)123456", "unknown application identifier starting \"18\""},
      {"(04)123456", "unknown application identifier"},
      {"(1)2", "unknown application identifier"},
      {"(010)09501101530003", "should have 2 digits"},
      {"(31)001250", "needs 4 digits"},
      {"(01)09501101530003(17)261301", "month 13"},
      {"(01)09501101530003(17)260001", "month 0"},
      {"(01)09501101530003(17)250229", "day 29 but that month has 28 days"},
      {"(01)09501101530003(17)260431", "day 31"},
      {"(01)09501101530003(3106)001250", "decimal digit must be 0 to 5"},
      {"(01)09501101530003(3105)001234", "not a whole number of grams"},
      {"(01)09501101530003(3925)12345", "not a whole number of cents"},
      {"(01)09501101530003(3922)1234567890123456", "1 to 15 digits"},
      {"(01)09501101530003(3922)12A4", "1 to 15 digits"},
      {"(10)", "has no data"},
      {"10" + GS + "0109501101530003", "has no data"},
      {"(10)ABCDEFGHIJKLMNOPQRSTU", "at most 20 characters"},
      {"(10)AB CD", "invalid character 0x20"},
      {"(10)AB" + GS + "CD", "invalid character 0x1D"},
      {"(10)AB\xC3\xA9", "invalid character 0xC3"},
      {"(01)09501101530003(01)09501101530010", "appears twice with different data"},
      {"(01", "unclosed"},
      {"01)09501101530003", "must be all digits"},
      {"(01)09501101530003)", "needs exactly 14 characters, not 15"},
      {"x(01)09501101530003", "unknown application identifier"},
      {"0109501101530003" + GS + GS + "10AB", "unknown application identifier"},
      {std::string(5000, '9'), "at most 4096"},
  };
  for (const auto& c : cases) {
    std::string error;
    const auto e = parse_element_string(c.text, error);
    EXPECT_FALSE(e.has_value()) << c.text;
    EXPECT_NE(error.find(c.error_part), std::string::npos)
        << c.text << " -> '" << error << "' lacks '" << c.error_part << "'";
  }
}

// ---------------------------------------------------------------------------------------------
// Classification

using Kind = ScanCode::Kind;

struct ClassifyCase {
  std::string code;
  Kind kind;
  std::string key;  // or, for invalid kinds, a part of the error
  std::optional<std::string> alt_key = std::nullopt;
  std::optional<std::int64_t> embedded_value = std::nullopt;
};

TEST(Classify, PublishedAndConfiguredCodes) {
  const ClassifyCase cases[] = {
      // GTINs
      {"4006381333931", Kind::gtin, "04006381333931"},        // [WIKI]
      {"  4006381333931\r\n", Kind::gtin, "04006381333931"},  // scanner suffix
      {"]E04006381333931", Kind::gtin, "04006381333931"},     // AIM EAN-13
      {"036000291452", Kind::gtin, "00036000291452"},         // [WIKI]
      {"]E0036000291452", Kind::gtin, "00036000291452"},
      {"0036000291452", Kind::gtin, "00036000291452"},   // UPC-A as EAN-13
      {"9501101530003", Kind::gtin, "09501101530003"},   // [GS1]
      {"09501101530003", Kind::gtin, "09501101530003"},  // GTIN-14
      {"9780306406157", Kind::gtin, "09780306406157"},   // ISBN-13
      {"220812713657", Kind::gtin, "00220812713657"},    // [UPCT] UPC type 2, not special
      {"2003493104857", Kind::gtin, "02003493104857"},   // "20" is no configured layout
      // 8 digits: UPC-E, EAN-8, or both
      {"96385074", Kind::gtin, "00000096385074"},                    // [WIKI] EAN-8
      {"]E496385074", Kind::gtin, "00000096385074"},                 // AIM EAN-8
      {"04252614", Kind::gtin, "00042100005264"},                    // [UPCT] UPC-E only
      {"01234565", Kind::gtin, "00012345000065", "00000001234565"},  // valid both ways
      // ISBN-10
      {"0306406152", Kind::gtin, "09780306406157"},  // [WIKI]
      {"080442957X", Kind::gtin, "09780804429573"},  // [WIKI]
      // Embedded price/weight (shop_layouts)
      {"2112345019994", Kind::embedded, "E:2112345", {}, 1999},  // 19.99
      {"2220812713655", Kind::embedded, "E:2220812", {}, 1365},  // verifier 7 [UPCT]
      {"2312347012508", Kind::embedded, "E:231234", {}, 1250},   // 1.250 kg
      {"2412345007503", Kind::embedded, "E:2412345", {}, 750},   // 0.750 kg
      // Element strings
      {"]C101095011015300031726010110AB12", Kind::element_string, "09501101530003"},
      {"(01)09501101530003(17)260101(10)AB12", Kind::element_string, "09501101530003"},
      {"0109501101530003" + GS + "10AB12", Kind::element_string, "09501101530003"},
      {"]e00109501101530003", Kind::element_string, "09501101530003"},
      // Text codes
      {"123456", Kind::text, "T:123456"},
      {"0306406153", Kind::text, "T:0306406153"},  // 10 digits, not an ISBN
      {"01095011015300031726010110AB12", Kind::text, "T:01095011015300031726010110AB12"},
      {"ABC-123", Kind::text, "T:ABC-123"},
      {"]C0ABC-123", Kind::text, "T:ABC-123"},  // plain Code 128
      {"Caf\xC3\xA9 cr\xC3\xA8me", Kind::text, "T:Caf\xC3\xA9 cr\xC3\xA8me"},
      {"]A", Kind::text, "T:]A"},  // not a complete AIM identifier
      {std::string(128, 'A'), Kind::text, "T:" + std::string(128, 'A')},
      // Wrong check digits
      {"4006381333932", Kind::invalid_check_digit, "check digit of 4006381333932 should be 1"},
      {"036000291453", Kind::invalid_check_digit, "should be 2"},
      {"09501101530004", Kind::invalid_check_digit, "should be 3"},
      {"96385075", Kind::invalid_check_digit, "check digit of 96385075 should be 4."},
      {"01234567", Kind::invalid_check_digit, "should be 5 (as EAN-8) or 5 (as UPC-E)"},
      {"2112345019995", Kind::invalid_check_digit, "should be 4"},  // layout prefix, bad check
      // Invalid
      {"", Kind::invalid, "empty"},
      {" \t ", Kind::invalid, "empty"},
      {"]E0", Kind::invalid, "empty"},
      {std::string(129, 'A'), Kind::invalid, "at most 128"},
      {"AB\x07"
       "C",
       Kind::invalid, "control character 0x07 at byte 2"},
      {"AB\x7F", Kind::invalid, "control character 0x7F"},
      {"AB\xC2\x85", Kind::invalid, "control character U+0085"},
      {"AB\xC3", Kind::invalid, "truncated UTF-8"},
      {"AB\xFF", Kind::invalid, "invalid UTF-8 byte 0xFF"},
      {"\xC0\xAF", Kind::invalid, "invalid UTF-8"},      // overlong '/'
      {"\xED\xA0\x80", Kind::invalid, "invalid UTF-8"},  // surrogate
      {"2220812813652", Kind::invalid, "price verifier digit of 2220812813652 is 8"},
      {"2312341012504", Kind::invalid, "weight verifier digit"},
      {"(10)AB12", Kind::invalid, "no GTIN"},
      {"(01)09501101530004", Kind::invalid, "should be 3"},
      {"]C1", Kind::invalid, "empty"},
      {"AB" + GS + "CD", Kind::invalid, "malformed GS1 element string"},
  };
  const auto layouts = shop_layouts();
  for (const auto& c : cases) {
    const ScanCode scan = classify_code(c.code, layouts);
    EXPECT_EQ(scan.kind, c.kind) << c.code << " -> " << scan.key << scan.error;
    if (c.kind == Kind::invalid || c.kind == Kind::invalid_check_digit) {
      EXPECT_NE(scan.error.find(c.key), std::string::npos)
          << c.code << " -> '" << scan.error << "' lacks '" << c.key << "'";
      continue;
    }
    EXPECT_EQ(scan.key, c.key) << c.code;
    EXPECT_EQ(scan.alt_key, c.alt_key) << c.code;
    EXPECT_EQ(scan.embedded_value, c.embedded_value) << c.code;
    EXPECT_EQ(scan.error, "") << c.code;
    EXPECT_EQ(scan.layout.has_value(), c.kind == Kind::embedded) << c.code;
    EXPECT_EQ(scan.element.has_value(), c.kind == Kind::element_string) << c.code;
  }
}

TEST(Classify, EmbeddedCarriesItsLayout) {
  const auto scan = classify_code("2312347012508", shop_layouts());
  ASSERT_EQ(scan.kind, Kind::embedded);
  ASSERT_TRUE(scan.layout.has_value());
  EXPECT_EQ(scan.layout->prefix, "23");
  EXPECT_EQ(scan.layout->value, EmbeddedValue::weight);
}

TEST(Classify, ElementStringCarriesItsFields) {
  const auto scan = classify_code("]C10109501101530003310300125039220199", shop_layouts());
  ASSERT_EQ(scan.kind, Kind::element_string) << scan.error;
  ASSERT_TRUE(scan.element.has_value());
  EXPECT_EQ(scan.element->net_weight_g, 1250);
  EXPECT_EQ(scan.element->price_minor, 199);
}

TEST(Classify, LongestMatchingLayoutWinsAndIncoherentLayoutsAreIgnored) {
  const std::vector<EmbeddedLayout> layouts = {
      layout("2", 6, EmbeddedValue::price, 5, 2, false),
      layout("21", 5, EmbeddedValue::price, 5, 2, false),
      layout("24", 5, EmbeddedValue::price, 5, 2, true),  // 14 digits: incoherent
  };
  EXPECT_EQ(classify_code("2112345019994", layouts).key, "E:2112345");
  const auto fallback = classify_code("2412345007503", layouts);  // "24" is unusable: "2" reads it
  ASSERT_EQ(fallback.kind, Kind::embedded);
  EXPECT_EQ(fallback.layout->prefix, "2");
  EXPECT_EQ(fallback.embedded_value, 750);
  EXPECT_EQ(classify_code("2412345007503", {}).key, "02412345007503");
}

TEST(Classify, RoundTripsMadeBarcodes) {
  const auto layouts = shop_layouts();
  for (const auto& l : layouts) {
    for (std::int64_t value : {0, 1, 99, 1234, 9999}) {
      const auto code = make_embedded_barcode(l, "42", value);
      ASSERT_TRUE(code.has_value()) << l.prefix << " " << value;
      const auto scan = classify_code(*code, layouts);
      ASSERT_EQ(scan.kind, Kind::embedded) << *code << ": " << scan.error;
      EXPECT_EQ(scan.embedded_value, embedded_value_in_units(l, value, 2)) << *code;
      EXPECT_EQ(scan.key, "E:" + l.prefix +
                              std::string(static_cast<std::size_t>(l.item_digits) - 2, '0') + "42");
    }
  }
  for (std::uint64_t sequence : {0ULL, 1ULL, 123456ULL}) {
    const auto code = make_internal_barcode("20", sequence);
    ASSERT_TRUE(code.has_value());
    const auto scan = classify_code(*code, layouts);
    EXPECT_EQ(scan.kind, Kind::gtin);
    EXPECT_EQ(scan.key, "0" + *code);
  }
}

}  // namespace
}  // namespace backroom::catalog
