// platform/settings: what a stored setting text reads as. Every value the program writes
// (std::to_string, bj::serialize) reads back; anything else is "not set", never a throw.
#include <gtest/gtest.h>

#include "platform/settings.hpp"

namespace backroom::settings {
namespace {

TEST(Settings, ReadsWholeNumbersAndNothingElse) {
  struct Case {
    const char* text;
    std::optional<std::int64_t> value;
  };
  const Case cases[] = {
      {"0", 0},       {"2", 2},          {"-5000", -5000}, {"9223372036854775807", 9'223'372'036'854'775'807},
      {"", {}},       {" 2", {}},        {"2 ", {}},       {"2.5", {}},
      {"12abc", {}},  {"+2", {}},        {"0x10", {}},     {"9223372036854775808", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_int64(c.text), c.value) << "'" << c.text << "'";
}

TEST(Settings, ReadsJsonObjectsAndNothingElse) {
  auto rates = parse_object(R"({"standard":2100,"reduced":900})");
  EXPECT_EQ(rates.size(), 2u);
  EXPECT_EQ(rates.at("standard").as_int64(), 2100);
  for (const char* text : {"", "[]", "2100", "{", "\"standard\"", "null"})
    EXPECT_TRUE(parse_object(text).empty()) << text;
}

}  // namespace
}  // namespace backroom::settings
