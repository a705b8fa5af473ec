// Supplier rules: IBAN (ISO 13616 mod-97) and BIC (ISO 9362) checks, masking, order days
// and who may decide a payment change.
//
// Sources of the vectors:
//  [ECBS]  ECBS/SWIFT IBAN registry examples, as listed by Wikipedia "International Bank
//          Account Number" (GB82 WEST 1234 5698 7654 32 valid; GB82 TEST ... invalid) and the
//          registry's per-country example IBANs (DE, FR, NL, BE, CH, GR, NO, AT, ES, IT, SA, MT,
//          LC, KW: shortest 15, longest 32 characters).
//  [9362]  ISO 9362 examples: DEUTDEFF, DEUTDEFF500, NEDSZAJJXXX.
#include "purchasing/supplier.hpp"

#include <gtest/gtest.h>

#include <string>

namespace backroom::purchasing {
namespace {

struct IbanCase {
  const char* text;
  const char* normalised;  // nullptr: refused
};

const IbanCase iban_cases[] = {
    {"GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"},              // [ECBS]
    {"DE89 3704 0044 0532 0130 00", "DE89370400440532013000"},              // [ECBS]
    {"FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"},   // [ECBS]
    {"NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"},                       // [ECBS]
    {"BE68 5390 0754 7034", "BE68539007547034"},                            // [ECBS]
    {"CH93 0076 2011 6238 5295 7", "CH9300762011623852957"},                // [ECBS]
    {"GR16 0110 1250 0000 0001 2300 695", "GR1601101250000000012300695"},   // [ECBS]
    {"NO93 8601 1117 947", "NO9386011117947"},                              // [ECBS] shortest
    {"AT61 1904 3002 3457 3201", "AT611904300234573201"},                   // [ECBS]
    {"ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332"},          // [ECBS]
    {"IT60 X054 2811 1010 0000 0123 456", "IT60X0542811101000000123456"},   // [ECBS]
    {"SA03 8000 0000 6080 1016 7519", "SA0380000000608010167519"},          // [ECBS]
    {"MT84 MALT 0110 0001 2345 MTLC AST0 01S", "MT84MALT011000012345MTLCAST001S"},  // [ECBS]
    {"LC55 HEMM 0001 0001 0012 0012 0002 3015", "LC55HEMM000100010012001200023015"},  // [ECBS] longest
    {"KW81 CBKU 0000 0000 0000 1234 5601 01", "KW81CBKU0000000000001234560101"},  // [ECBS]
    {"gb82west12345698765432", "GB82WEST12345698765432"},  // typed in lower case, no spaces
    {"GB82 TEST 1234 5698 7654 32", nullptr},     // [ECBS] check digits do not match
    {"GB82 WEST 1234 5698 7654 33", nullptr},     // one digit off
    {"DE89 3704 0044 0532 0130 01", nullptr},     // one digit off
    {"DE89 3704 0044 0532 0130 0", nullptr},      // German IBANs have 22 characters
    {"GB28 WEST 1234 5698 7654 32", nullptr},     // transposed check digits
    {"DE89-3704-0044-0532-0130-00", nullptr},     // dashes are not spaces
    {"1289 3704 0044 0532 0130 00", nullptr},     // no country code
    {"DEAB 3704 0044 0532 0130 00", nullptr},     // letters for check digits
    {"", nullptr},
    {"DE89", nullptr},
    {"XX00 1234 5678 9012 3456 7890 1234 5678 9012", nullptr},  // longer than 34
};

TEST(Iban, PublishedValidAndInvalid) {
  for (const auto& c : iban_cases) {
    auto n = normalize_iban(c.text);
    if (c.normalised) {
      ASSERT_TRUE(n.has_value()) << c.text << ": " << iban_problem(c.text).value_or("");
      EXPECT_EQ(*n, c.normalised) << c.text;
      EXPECT_FALSE(iban_problem(c.text).has_value()) << c.text;
    } else {
      EXPECT_FALSE(n.has_value()) << c.text;
      EXPECT_TRUE(iban_problem(c.text).has_value()) << c.text;
    }
  }
}

TEST(Iban, ProblemsSaySomethingUseful) {
  EXPECT_NE(iban_problem("DE89 3704 0044 0532 0130 0")->find("22"), std::string::npos);
  EXPECT_NE(iban_problem("GB82 TEST 1234 5698 7654 32")->find("check digits"), std::string::npos);
}

TEST(Iban, MaskShowsOnlyTheLastFour) {
  EXPECT_EQ(mask_iban("DE89370400440532013000"), "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2 3000");
  EXPECT_EQ(mask_iban("AB"), "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2");
  EXPECT_EQ(mask_iban("DE89370400440532013000").find("0532"), std::string::npos);
}

TEST(Bic, Format) {
  EXPECT_EQ(normalize_bic("DEUTDEFF"), "DEUTDEFF");        // [9362]
  EXPECT_EQ(normalize_bic("deutdeff500"), "DEUTDEFF500");  // [9362]
  EXPECT_EQ(normalize_bic("NEDS ZA JJ XXX"), "NEDSZAJJXXX");  // [9362], spaces dropped
  EXPECT_FALSE(normalize_bic("DEUTDEF"));       // 7 characters
  EXPECT_FALSE(normalize_bic("DEUTDEFF50"));    // 10 characters
  EXPECT_FALSE(normalize_bic("DEU1DEFF"));      // a digit in the bank code
  EXPECT_FALSE(normalize_bic("DEUTD3FF"));      // a digit in the country code
  EXPECT_FALSE(normalize_bic("DEUT-DEFF"));
  EXPECT_FALSE(normalize_bic(""));
}

TEST(OrderDays, WeekOrderAndRoundTrip) {
  OrderDays days;
  days.add(OrderDay::thu);
  days.add(OrderDay::mon);
  EXPECT_EQ(days.text(), "mon,thu");
  EXPECT_EQ(OrderDays::from_text("mon,thu"), days);
  EXPECT_TRUE(days.contains(OrderDay::mon));
  EXPECT_FALSE(days.contains(OrderDay::tue));
  EXPECT_TRUE(OrderDays::from_text("").empty());
  EXPECT_EQ(OrderDays::from_text("sun,sat").text(), "sat,sun");
}

TEST(SupplierChange, TheFilerIsNotTheApprover) {
  SupplierChange c;
  c.requested_by = "buyer";
  c.requested_by_id = "u-1";
  EXPECT_TRUE(same_person(c, "buyer", "u-1"));
  EXPECT_TRUE(same_person(c, "renamed", "u-1"));  // the id decides when both have one
  EXPECT_FALSE(same_person(c, "manager", "u-2"));
  c.requested_by_id.clear();                      // filed from the CLI: compared by name
  EXPECT_TRUE(same_person(c, "buyer", ""));
  EXPECT_FALSE(same_person(c, "manager", "u-2"));
}

}  // namespace
}  // namespace backroom::purchasing
