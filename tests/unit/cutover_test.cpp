// What the cutover checklist says of each task from the shop's facts (reports/cutover.hpp).
#include <gtest/gtest.h>

#include "reports/cutover.hpp"

namespace backroom::reports {
namespace {

constexpr std::int64_t hour = 3'600'000'000;

TEST(CutoverEvidence, EachTaskFromTheFacts) {
  CutoverFacts clean;
  clean.items_active = 412;
  clean.labels_printed = 412;
  clean.registers = 2;
  clean.registers_with_closed_session = 2;
  clean.counts_approved = 1;
  clean.backup_last_at = 100 * hour;
  clean.backup_every_seconds = 3600;
  const std::int64_t now = 101 * hour;
  struct Row {
    const char* key;
    CutoverFacts facts;
    bool ok;
    const char* text;
  };
  auto with = [&](auto change) {
    CutoverFacts f = clean;
    change(f);
    return f;
  };
  const Row rows[] = {
      {"item_master", clean, true, "412 items; 0 without a price, 0 without a barcode"},
      {"item_master", with([](CutoverFacts& f) { f.items_without_barcode = 3; }), false, "412 items; 0 without a price, 3 without a barcode"},
      {"item_master", CutoverFacts{}, false, "no items yet: import the item list"},
      {"labels", clean, true, "412 labels printed, 0 waiting to print"},
      {"labels", with([](CutoverFacts& f) { f.labels_waiting = 5; }), false, "412 labels printed, 5 waiting to print"},
      {"labels", CutoverFacts{}, false, "no labels printed yet"},
      {"registers", with([](CutoverFacts& f) { f.registers_with_closed_session = 1; }), false, "1 of 2 registers opened and closed at least once"},
      {"registers", clean, true, "2 of 2 registers opened and closed at least once"},
      {"first_count", clean, true, "1 count approved"},
      {"first_count", CutoverFacts{}, false, "no count approved yet"},
      {"backup", clean, true, "last backup 1970-01-05 04:00 UTC"},
      {"backup", with([](CutoverFacts& f) { f.backup_last_at = 90 * hour; }), false, "last backup 1970-01-04 18:00 UTC — late"},
      {"backup", CutoverFacts{}, false, "no backup yet: schedule one (--backup-dir)"},
  };
  for (const auto& r : rows) {
    auto e = cutover_evidence(r.key, r.facts, now);
    EXPECT_EQ(e.ok, r.ok) << r.key << ": " << r.text;
    EXPECT_EQ(e.text, r.text) << r.key;
  }
}

}  // namespace
}  // namespace backroom::reports
