// The staging label's pure parts (src/orders/staging_label.hpp).
#include <gtest/gtest.h>

#include "orders/staging_label.hpp"

using namespace backroom;

TEST(StagingLabel, FirstNameIsTheFirstWord) {
  struct Case { const char* name; const char* first; };
  for (auto c : {Case{"Anna Berg", "Anna"}, Case{"  Bo  Lind ", "Bo"}, Case{"Cher", "Cher"}, Case{"", "customer"},
                 Case{"   ", "customer"}, Case{"Jean-Luc\tPicard", "Jean-Luc"}})
    EXPECT_EQ(orders::first_name(c.name), c.first) << '"' << c.name << '"';
}

TEST(StagingLabel, CarriesNumberSpotNameAndThePickupCodeAsCode128) {
  auto l = orders::staging_label_layout("ON-000042", "Anna Berg", "Shelf B2", "K7M3QXHT");
  EXPECT_EQ(l.width_mm, 100);
  EXPECT_EQ(l.height_mm, 50);
  std::string all;
  for (const auto& t : l.texts) {
    all += t.text + "|";
    EXPECT_LE(t.x_mm + t.width_mm, l.width_mm) << t.text;
  }
  EXPECT_NE(all.find("ON-000042"), std::string::npos);
  EXPECT_NE(all.find("Shelf B2"), std::string::npos);
  EXPECT_NE(all.find("Anna"), std::string::npos);
  EXPECT_EQ(all.find("Berg"), std::string::npos) << "only the first name is on a bag anyone can see";
  EXPECT_EQ(l.barcode.spec.symbology, labels::Symbology::code128);
  EXPECT_EQ(l.barcode.spec.data, "K7M3QXHT");
  EXPECT_LE(l.barcode.y_mm + l.barcode.height_mm, l.height_mm);
}
