// The customer master's rules as tables (src/customers/customer.hpp): phone numbers to
// ITU-T E.164 (Recommendation E.164 (11/2010) section 6: a country code of 1-3 digits and at
// most 15 digits in all), e-mail addresses to the accepted subset of RFC 5322 addr-spec
// (dot-atom local part, section 3.2.3; LDH domain labels, RFC 1035 section 2.3.1; lengths of
// RFC 5321 section 4.5.3.1), consent words, customer numbers and the masked forms.
#include "customers/customer.hpp"

#include <gtest/gtest.h>

#include "customers/customer_import.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"

namespace backroom::customers {
namespace {

struct PhoneCase {
  const char* typed;
  const char* calling_code;
  const char* e164;  // nullptr: refused
  const char* why;
};

TEST(Customer, PhoneNumbersToE164) {
  const PhoneCase cases[] = {
      {"+46 70-123 45 67", "", "+46701234567", "separators dropped"},
      {"0046 70 123 45 67", "", "+46701234567", "00 is the international prefix"},
      {"070-123 45 67", "46", "+46701234567", "national: trunk 0 dropped, shop's code added"},
      {"70 123 45 67", "46", "+46701234567", "national without trunk prefix"},
      {"(202) 555-0143", "1", "+12025550143", "NANP with parentheses"},
      {"+1 202.555.0143", "46", "+12025550143", "a + wins over the shop's code"},
      {"+44 (0)20 7946 0958", "", "+4402079460958", "the (0) is kept: E.164 has no notation for it"},
      {" +358 40 1234567 ", "", "+358401234567", "trimmed"},
      {"070-123 45 67", "", nullptr, "national without a shop code is ambiguous"},
      {"+0 123 4567", "", nullptr, "a country code never starts with 0"},
      {"+46 70 123 45 67 89 01 2", "", nullptr, "16 digits: beyond E.164's 15"},
      {"+46 12", "", nullptr, "too short"},
      {"+46 70 CALL ME", "", nullptr, "letters"},
      {"46+70", "", nullptr, "a + only at the start"},
      {"", "46", nullptr, "empty"},
      {"---", "46", nullptr, "no digits"},
  };
  for (const auto& c : cases) {
    auto n = normalise_phone(c.typed, c.calling_code);
    if (c.e164) {
      ASSERT_TRUE(n.value) << c.typed << ": " << c.why << " (" << n.reason << ")";
      EXPECT_EQ(*n.value, c.e164) << c.why;
    } else {
      EXPECT_FALSE(n.value) << c.typed << ": " << c.why;
      EXPECT_FALSE(n.reason.empty()) << c.typed;
    }
  }
}

TEST(Customer, EmailAddressesInTheAcceptedSubset) {
  const std::pair<const char*, const char*> cases[] = {
      {"Anna.Berg@Example.SE", "anna.berg@example.se"},
      {" anna+shop@mail.example.com ", "anna+shop@mail.example.com"},
      {"o'brien@example.ie", "o'brien@example.ie"},
      {"x@xn--bcher-kva.example", "x@xn--bcher-kva.example"},
      {"a@b.xn--p1ai", "a@b.xn--p1ai"},
      {"anna", nullptr},
      {"@example.com", nullptr},
      {"anna@", nullptr},
      {"anna@localhost", nullptr},
      {".anna@example.com", nullptr},
      {"an..na@example.com", nullptr},
      {"anna.@example.com", nullptr},
      {"\"anna\"@example.com", nullptr},
      {"anna@[192.0.2.1]", nullptr},
      {"anna@-example.com", nullptr},
      {"anna@example-.com", nullptr},
      {"anna@exa_mple.com", nullptr},
      {"anna@example.c0m", nullptr},
      {"anna@example..com", nullptr},
      {"an na@example.com", nullptr},
      {"anna@bücher.de", nullptr},
  };
  for (const auto& [typed, normal] : cases) {
    auto n = normalise_email(typed);
    if (normal) {
      ASSERT_TRUE(n.value) << typed << " (" << n.reason << ")";
      EXPECT_EQ(*n.value, normal);
    } else {
      EXPECT_FALSE(n.value) << typed;
    }
  }
  EXPECT_TRUE(normalise_email(std::string(64, 'a') + "@example.com").value);
  EXPECT_FALSE(normalise_email(std::string(65, 'a') + "@example.com").value) << "RFC 5321: 64 bytes of local part";
  EXPECT_FALSE(normalise_email("a@" + std::string(64, 'b') + ".com").value) << "RFC 1035: 63 bytes a label";
  std::string long_domain;
  for (int i = 0; i < 5; ++i) long_domain += std::string(60, 'd') + ".";
  EXPECT_FALSE(normalise_email("a@" + long_domain + "com").value) << "254 bytes in all";
}

TEST(Customer, ConsentNumbersAndCallingCodes) {
  for (const char* yes : {"yes", "YES", "y", "true", "1", " Yes "}) EXPECT_EQ(parse_consent(yes), true) << yes;
  for (const char* no : {"", "no", "N", "false", "0"}) EXPECT_EQ(parse_consent(no), false) << no;
  for (const char* bad : {"maybe", "2", "ja"}) EXPECT_EQ(parse_consent(bad), std::nullopt) << bad;
  EXPECT_EQ(customer_number_text(123), "C-000123");
  EXPECT_EQ(parse_customer_number("C-000123"), 123);
  EXPECT_EQ(parse_customer_number("c-7"), 7);
  EXPECT_EQ(parse_customer_number("42"), 42);
  for (const char* bad : {"", "C-", "C-0", "-3", "C-12a", "P-1", "1234567890123"})
    EXPECT_EQ(parse_customer_number(bad), std::nullopt) << bad;
  for (const char* ok : {"1", "46", "358"}) EXPECT_TRUE(valid_calling_code(ok)) << ok;
  for (const char* bad : {"", "0", "046", "1234", "4a"}) EXPECT_FALSE(valid_calling_code(bad)) << bad;
}

TEST(Customer, MaskedContactKeepsOnlyWhatTheTillNeeds) {
  EXPECT_EQ(mask_phone("+46701234567"), "+46 ••• 67");
  EXPECT_EQ(mask_email("anna.berg@example.se"), "a•••@example.se");
  Customer c;
  c.id = "0190b6f4-0000-7000-8000-000000000001";
  c.number = 5;
  c.name = "Anna Berg";
  c.phone = "+46701234567";
  c.email = "anna.berg@example.se";
  auto masked = json::serialize(customer_to_json(c, false));
  EXPECT_EQ(masked.find("1234567"), std::string::npos) << masked;
  EXPECT_EQ(masked.find("anna.berg@"), std::string::npos) << masked;
  auto clear = customer_to_json(c, true);
  EXPECT_EQ(clear.at("phone").as_string(), "+46701234567");
  EXPECT_EQ(clear.at("number").as_string(), "C-000005");
}

TEST(Customer, BodiesAreCheckedFieldByField) {
  auto code_of = [](const char* body, bool create) -> std::pair<std::string, std::string> {
    try {
      customer_patch_from_json(json::parse_object(body), create, "46");
    } catch (const Problem& p) {
      return {p.code, p.field};
    }
    return {"", ""};
  };
  EXPECT_EQ(code_of(R"({"name":"Anna","phone":"070-123 45 67"})", true), std::make_pair(std::string(), std::string()));
  EXPECT_EQ(code_of(R"({"phone":"070"})", true).second, "name");
  EXPECT_EQ(code_of(R"({"name":"Anna","phone":"abc"})", true), std::make_pair(std::string("invalid_phone"), std::string("phone")));
  EXPECT_EQ(code_of(R"({"name":"Anna","email":"x@y"})", true), std::make_pair(std::string("invalid_email"), std::string("email")));
  EXPECT_EQ(code_of(R"({"name":"Anna","card":"1"})", true), std::make_pair(std::string("unknown_field"), std::string("card")));
  EXPECT_EQ(code_of(R"({"name":"Anna","note":"card 4111 1111 1111 1111"})", true).first, "card_number_not_allowed");
  EXPECT_EQ(code_of(R"({"name":"   "})", true).second, "name");
  EXPECT_EQ(code_of(R"({"marketing_consent":"yes"})", false).second, "marketing_consent");

  auto p = customer_patch_from_json(json::parse_object(R"({"phone":"","email":null})"), false, "");
  ASSERT_TRUE(p.phone && p.email);
  EXPECT_FALSE(*p.phone) << "\"\" removes the phone";
  EXPECT_FALSE(*p.email) << "null removes the email";
  EXPECT_FALSE(p.name);
}

TEST(Customer, ConsentChangesAreDated) {
  Customer c;
  CustomerPatch yes;
  yes.marketing_consent = true;
  EXPECT_TRUE(apply_patch(c, yes, 100));
  EXPECT_EQ(c.marketing_consent_at, 100);
  EXPECT_FALSE(apply_patch(c, yes, 200)) << "the same answer again changes nothing";
  EXPECT_EQ(c.marketing_consent_at, 100);
  CustomerPatch no;
  no.marketing_consent = false;
  EXPECT_TRUE(apply_patch(c, no, 300));
  EXPECT_EQ(c.marketing_consent_at, 300);
}

}  // namespace
}  // namespace backroom::customers
