// Pure checks behind item photos and shelves (src/catalog/photo.hpp, src/stock/shelves.hpp).
// Signatures as their specifications give them: PNG, ISO/IEC 15948 §5.2 (89 50 4E 47 0D 0A 1A
// 0A); JPEG, ITU-T T.81 B.2.1 (SOI FF D8, then a marker FF xx); WebP, the RIFF container
// ("RIFF", a 4-byte size, "WEBP"; developers.google.com/speed/webp/docs/riff_container).
#include <gtest/gtest.h>

#include <string>

#include "catalog/photo.hpp"
#include "platform/problem.hpp"
#include "stock/shelves.hpp"

namespace {

using namespace backroom;
using catalog::PhotoType;

TEST(Photo, ContentTypesAreTheThreeIgnoringCaseAndParameters) {
  struct Row {
    const char* header;
    std::optional<PhotoType> type;
  };
  const Row rows[] = {
      {"image/jpeg", PhotoType::jpeg}, {"IMAGE/PNG", PhotoType::png},   {"image/webp; q=1", PhotoType::webp},
      {" image/png ", PhotoType::png}, {"image/jpg", std::nullopt},     {"image/gif", std::nullopt},
      {"", std::nullopt},              {"image/svg+xml", std::nullopt}, {"image/pngimage/png", std::nullopt},
  };
  for (const auto& r : rows) EXPECT_EQ(catalog::photo_type_of(r.header), r.type) << r.header;
  EXPECT_EQ(catalog::content_type_of(PhotoType::webp), "image/webp");
}

TEST(Photo, BytesMustCarryTheirFormatsSignature) {
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
  const std::string jpeg("\xFF\xD8\xFF\xE0\0\x10JFIF", 10);
  const std::string webp("RIFF\x1A\0\0\0WEBPVP8L", 16);
  EXPECT_TRUE(catalog::bytes_are(PhotoType::png, png));
  EXPECT_TRUE(catalog::bytes_are(PhotoType::jpeg, jpeg));
  EXPECT_TRUE(catalog::bytes_are(PhotoType::webp, webp));
  EXPECT_FALSE(catalog::bytes_are(PhotoType::jpeg, png));
  EXPECT_FALSE(catalog::bytes_are(PhotoType::png, png.substr(0, 7)));    // cut short
  EXPECT_FALSE(catalog::bytes_are(PhotoType::jpeg, "\xFF\xD8"));          // SOI without a marker
  EXPECT_FALSE(catalog::bytes_are(PhotoType::webp, "RIFF\0\0\0\0WAVE"));  // another RIFF
  EXPECT_FALSE(catalog::bytes_are(PhotoType::webp, "RIFF"));
  EXPECT_FALSE(catalog::bytes_are(PhotoType::png, ""));
}

TEST(Photo, TheEtagFollowsTheBytes) {
  EXPECT_EQ(catalog::photo_etag("abc"), catalog::photo_etag("abc"));
  EXPECT_NE(catalog::photo_etag("abc"), catalog::photo_etag("abd"));
  EXPECT_EQ(catalog::photo_etag("abc").size(), 2u + 2u + 32u);  // quotes, "p-", 16 bytes in hex
}

TEST(Shelf, NamesAreTrimmedCheckedOrCleared) {
  EXPECT_EQ(stock::normalize_shelf(std::string("  A3-2 ")), std::optional<std::string>("A3-2"));
  EXPECT_EQ(stock::normalize_shelf(std::string("\tCold room, top\t")), std::optional<std::string>("Cold room, top"));
  EXPECT_EQ(stock::normalize_shelf(std::string("   ")), std::nullopt);
  EXPECT_EQ(stock::normalize_shelf(std::nullopt), std::nullopt);
  std::string forty_umlauts;
  for (int i = 0; i < 40; ++i) forty_umlauts += "\xC3\xBC";  // ü: 40 characters, 80 bytes
  EXPECT_EQ(stock::normalize_shelf(forty_umlauts), forty_umlauts);
  EXPECT_THROW(stock::normalize_shelf(forty_umlauts + "x"), Problem);
  EXPECT_THROW(stock::normalize_shelf(std::string("A3\x07")), Problem);
  EXPECT_THROW(stock::normalize_shelf(std::string("A3\x7F")), Problem);
}

}  // namespace
