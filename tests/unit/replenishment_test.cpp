// suggest_for_supplier over a real SQLite file: a supplier with more items than one page of
// supplier_items (500) gets every item exactly once. It once paged with the id of a row it
// had already moved out (an empty string), read the first page again forever and ran the
// server out of memory for any supplier with over 500 items.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <set>

#include "catalog/catalog_store.hpp"
#include "planning/demand_days.hpp"
#include "planning/history_csv.hpp"
#include "planning/planning_json.hpp"
#include "planning/planning_store.hpp"
#include "platform/settings.hpp"
#include "planning/replenishment.hpp"
#include "platform/ids.hpp"
#include "platform/schema.hpp"
#include "purchasing/supplier_store.hpp"
#include "stock/stock.hpp"

namespace backroom::planning {
namespace {

TEST(SuggestForSupplier, EveryItemOfALargeSupplierOnce) {
  auto path = std::filesystem::temp_directory_path() / fmt::format("replenishment_test_{}.db", ::getpid());
  std::filesystem::remove(path);
  auto db = db::Db::open(path.string(), db::Mode::read_write);
  schema::migrate(*db);
  constexpr int items = 1201;  // two full pages and one row
  std::string store_id, supplier_id = new_uuid_v7();
  {
    db::Transaction tx(*db);
    stock::ensure_default_locations(*db);
    for (const auto& l : stock::list_locations(*db))
      if (l.kind == "store") store_id = l.id;
    auto at = now().micros;
    purchasing::Supplier supplier;
    supplier.id = supplier_id;
    supplier.name = "Wholesale";
    supplier.lead_time_days = 3;
    supplier.order_days = purchasing::OrderDays::from_text("mon,thu");
    supplier.created_at = supplier.updated_at = at;
    purchasing::insert_supplier(*db, supplier);
    for (int i = 0; i < items; ++i) {
      catalog::Item it;
      it.id = new_uuid_v7();
      it.sku = fmt::format("BIG-{:05}", i);
      it.name = fmt::format("Item {}", i);
      it.price = 100;
      it.cost = 50;
      it.created_at = it.updated_at = at;
      catalog::store::insert_item(*db, it);
      purchasing::SupplierItem si;
      si.supplier_id = supplier_id;
      si.item_id = it.id;
      si.cost = 50;
      si.case_pack = Quantity::units(1);
      si.preferred = true;
      si.created_at = si.updated_at = at;
      purchasing::put_supplier_item(*db, si);
    }
    tx.commit();
  }
  auto s = suggest_for_supplier(*db, store_id, supplier_id, day_of(now()));
  std::set<std::string> seen;
  for (const auto& i : s.items) seen.insert(i.item_id);
  EXPECT_EQ(s.items.size(), static_cast<std::size_t>(items));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(items));
  db.reset();
  std::filesystem::remove(path);
}


// Kept fits (FitFrom, migration 46): a supplier of 300 items in 3 categories with a year of
// imported history, some items on promotion often enough to learn their own uplift, others
// on one or two promotion days so that their category's pooled evidence counts.
struct FitShop {
  std::filesystem::path path = std::filesystem::temp_directory_path() / fmt::format("kept_fits_test_{}.db", ::getpid());
  std::unique_ptr<db::Db> db;
  std::string store_id, supplier_id = new_uuid_v7();
  std::vector<std::string> item_ids;
  Day today = day_of(now());
  static constexpr int items = 300;  // above parallel_items_min: the two threads' path

  FitShop() {
    std::filesystem::remove(path);
    db = db::Db::open(path.string(), db::Mode::read_write);
    schema::migrate(*db);
    db::Transaction tx(*db);
    stock::ensure_default_locations(*db);
    for (const auto& l : stock::list_locations(*db))
      if (l.kind == "store") store_id = l.id;
    auto at = now().micros;
    purchasing::Supplier supplier;
    supplier.id = supplier_id;
    supplier.name = "Wholesale";
    supplier.lead_time_days = 3;
    supplier.lead_time_sd_days = Quantity{500};
    supplier.order_days = purchasing::OrderDays::from_text("mon,thu");
    supplier.min_order_value = 20000;
    supplier.created_at = supplier.updated_at = at;
    purchasing::insert_supplier(*db, supplier);
    std::mt19937 rng(7);
    std::vector<store::DemandRow> rows;
    for (int i = 0; i < items; ++i) {
      catalog::Item it;
      it.id = new_uuid_v7();
      it.sku = fmt::format("FIT-{:04}", i);
      it.name = fmt::format("Item {}", i);
      it.category = fmt::format("Category {}", i % 3);
      it.price = 100 + i;
      it.cost = 50;
      it.created_at = it.updated_at = at;
      catalog::store::insert_item(*db, it);
      item_ids.push_back(it.id);
      purchasing::SupplierItem si;
      si.supplier_id = supplier_id;
      si.item_id = it.id;
      si.cost = 50;
      si.case_pack = Quantity::units(1 + i % 6);
      si.preferred = true;
      si.created_at = si.updated_at = at;
      purchasing::put_supplier_item(*db, si);
      std::poisson_distribution<int> sold(i % 5 == 0 ? 4.0 : 0.4);
      for (int back = 365; back >= 1; --back) {
        // Every 7th item on promotion one day in 20, every 11th on two days only.
        bool promo = (i % 7 == 0 && back % 20 == 0) || (i % 11 == 0 && (back == 30 || back == 90));
        int units = sold(rng) * (promo ? 3 : 1);
        if (units == 0 && !promo) continue;
        rows.push_back({store_id, it.id, format_date(today - std::chrono::days{back}), units * 1000LL, false, promo,
                        promo && i % 2 == 0 ? std::optional<std::int64_t>(800) : std::nullopt});
      }
    }
    store::put_import_days(*db, rows);
    settings::put(*db, "planning.ledger_start", format_date(today - std::chrono::days{365}));
    tx.commit();
  }
  ~FitShop() {
    db.reset();
    std::filesystem::remove(path);
  }
  int prepare(Day as_of) {
    db::Transaction tx(*db);
    int n = planning::prepare(*db, as_of, today, false);
    tx.commit();
    return n;
  }
  SupplierSuggestions suggest(FitFrom from) { return suggest_for_supplier(*db, store_id, supplier_id, today, from); }
};

// Everything a suggestion says, with all digits, but whether its fit was kept.
std::string everything(const SupplierSuggestions& s) {
  auto json = suggestions_to_json(s);
  json.erase("fits");
  std::string out = boost::json::serialize(json) + "\n";
  for (const auto& i : s.items)
    out += fmt::format("{} {} {:.17g} {:.17g} {} {:.17g} {:.17g} {:.17g} {}\n", i.item_id, pack_forecast(i.forecast),
                       i.suggestion.order_up_to, i.suggestion.safety_stock, format_date(i.fitted_on),
                       i.suggestion.quantity, i.suggestion.position, i.suggestion.topped_up, i.text);
  return out;
}

TEST(KeptFits, PackedForecastComesBackBitForBit) {
  Forecast f;
  f.method = Method::croston_sba;
  f.alpha = 0.15;
  f.mean_per_day = 1.0 / 3.0;
  f.weekday_profile = {0.9, 1.1, 1.0000000000000002, 0.7, 1.3, 0.05, 1.95};
  f.promo_uplift = 2.718281828459045;
  f.uplift_source = UpliftSource::category;
  f.regular_price = 0.999;
  f.price_elasticity = 1.2345678901234567;
  f.elasticity_source = UpliftSource::own;
  f.sigma_per_day = 1e-300;
  f.level_error_ratio = 0.081081081081081086;
  f.promo_sigma_per_day = 12345.678;
  f.sigma_relative_error = 0.0372;
  f.residuals = 361;
  f.own_promo_evidence.promo_units = 17;
  f.own_promo_evidence.baseline_units = 6.5;
  f.own_promo_evidence.promo_periods = 5;
  f.own_promo_evidence.priced_periods = 3;
  f.own_promo_evidence.bands[4] = {3, 1.25, -0.2231435513142097};
  f.own_promo_evidence.bands[19] = {1, 0.5, -3.0};
  f.last_day = Day{std::chrono::days{20000}};
  auto text = pack_forecast(f);
  auto back = unpack_forecast(text);
  ASSERT_TRUE(back.has_value()) << text;
  EXPECT_EQ(pack_forecast(*back), text);
  EXPECT_EQ(back->mean_per_day, f.mean_per_day);
  EXPECT_EQ(back->weekday_profile, f.weekday_profile);
  EXPECT_EQ(back->sigma_per_day, f.sigma_per_day);
  EXPECT_EQ(back->level_error_ratio, f.level_error_ratio);
  EXPECT_EQ(back->regular_price, f.regular_price);
  EXPECT_EQ(back->own_promo_evidence.bands[4].baseline_log_ratio, f.own_promo_evidence.bands[4].baseline_log_ratio);
  EXPECT_EQ(back->own_promo_evidence.bands[19].units, 1);
  EXPECT_EQ(back->own_promo_evidence.bands[5].units, 0);
  EXPECT_EQ(back->last_day, f.last_day);
  EXPECT_EQ(back->uplift_source, UpliftSource::category);
  EXPECT_EQ(back->elasticity_source, UpliftSource::own);
  Forecast empty;  // no history: no price, no last day
  EXPECT_EQ(pack_forecast(*unpack_forecast(pack_forecast(empty))), pack_forecast(empty));
  EXPECT_TRUE(packed_forecast_current(text));
  EXPECT_FALSE(packed_forecast_current("f2 0 0"));
  EXPECT_FALSE(packed_forecast_current("f1"));
  EXPECT_FALSE(unpack_forecast(""));
  EXPECT_FALSE(unpack_forecast("f2 0 0"));
  EXPECT_FALSE(unpack_forecast(text + " 1"));
  EXPECT_FALSE(unpack_forecast(text.substr(0, text.rfind(' '))));  // the last day cut off
}

TEST(KeptFits, ASuggestionFromTheKeptFitIsTheLiveOneWhenNothingChanged) {
  FitShop shop;
  auto before = shop.suggest(FitFrom::kept_when_fresh);
  EXPECT_EQ(before.kept_fits, 0u) << "nothing prepared yet: every item fitted now";
  ASSERT_EQ(shop.prepare(shop.today), 1);
  auto kept = shop.suggest(FitFrom::kept_when_fresh);
  auto live = shop.suggest(FitFrom::history);
  ASSERT_EQ(kept.items.size(), static_cast<std::size_t>(FitShop::items));
  EXPECT_EQ(kept.kept_fits, kept.items.size());
  EXPECT_EQ(live.kept_fits, 0u);
  std::size_t ordered = 0, own_uplift = 0, category_uplift = 0, priced = 0;
  for (const auto& i : kept.items) {
    ordered += i.suggestion.quantity > 0;
    own_uplift += i.forecast.uplift_source == UpliftSource::own;
    category_uplift += i.forecast.uplift_source == UpliftSource::category;
    priced += i.forecast.elasticity_source != UpliftSource::none;
    EXPECT_TRUE(i.forecast_kept);
    EXPECT_EQ(i.fitted_on, shop.today);
  }
  // The fixture reaches what the fit keeps: orders, own and pooled uplifts, elasticities.
  EXPECT_GT(ordered, 0u);
  EXPECT_GT(own_uplift, 0u);
  EXPECT_GT(category_uplift, 0u);
  EXPECT_GT(priced, 0u);
  EXPECT_EQ(everything(kept), everything(live));
  EXPECT_EQ(everything(kept), everything(before));
}

TEST(KeptFits, ThePolicyIsLive) {
  FitShop shop;
  ASSERT_EQ(shop.prepare(shop.today), 1);
  const auto& item = shop.item_ids.at(0);  // a regular seller, 4 a day
  auto quantity = [&](FitFrom from) {
    auto s = shop.suggest(from);
    for (const auto& i : s.items)
      if (i.item_id == item) return std::pair(i.suggestion.quantity, i.forecast_kept);
    return std::pair(-1.0, false);
  };
  auto [before, kept_before] = quantity(FitFrom::kept_when_fresh);
  EXPECT_TRUE(kept_before);
  EXPECT_GT(before, 0);
  {  // 7 received after the fit: the kept fit's suggestion follows the stock
    db::Transaction tx(*shop.db);
    stock::post_movements(*shop.db,
                          {stock::Movement{item, shop.store_id, Quantity::units(7), stock::MovementReason::found,
                                           "adjustment", new_uuid_v7(), std::nullopt}},
                          stock::PostContext{"test", "cli"});
    tx.commit();
  }
  auto [after, kept_after] = quantity(FitFrom::kept_when_fresh);
  EXPECT_TRUE(kept_after);
  EXPECT_EQ(after, quantity(FitFrom::history).first);
  EXPECT_EQ(after, before - 7) << "7 more on hand, 7 fewer to order (cases of 1)";
}

TEST(KeptFits, AFitOfSevenDaysAgoOrOfAnotherCategoryOrBeforeAnImportIsFittedAgain) {
  FitShop shop;
  using std::chrono::days;
  ASSERT_EQ(shop.prepare(shop.today - days{kept_fit_days_max}), 1);
  auto s = shop.suggest(FitFrom::kept_when_fresh);
  EXPECT_EQ(s.kept_fits, 0u) << "fitted 7 days ago: stale";
  for (const auto& i : s.items) EXPECT_EQ(i.fitted_on, shop.today);
  EXPECT_EQ(everything(s), everything(shop.suggest(FitFrom::history)));

  ASSERT_EQ(shop.prepare(shop.today - days{kept_fit_days_max - 1}), 1);
  s = shop.suggest(FitFrom::kept_when_fresh);
  EXPECT_EQ(s.kept_fits, s.items.size()) << "fitted 6 days ago: fresh";
  for (const auto& i : s.items) EXPECT_EQ(i.fitted_on, shop.today - days{kept_fit_days_max - 1});

  // A later preparation of an earlier day keeps the newer fit.
  ASSERT_EQ(shop.prepare(shop.today - days{kept_fit_days_max + 3}), 1);
  s = shop.suggest(FitFrom::kept_when_fresh);
  EXPECT_EQ(s.kept_fits, s.items.size());
  for (const auto& i : s.items) EXPECT_EQ(i.fitted_on, shop.today - days{kept_fit_days_max - 1});

  // An item moved to another category: its fit pooled the old category's evidence.
  ASSERT_EQ(shop.prepare(shop.today), 1);
  {
    db::Transaction tx(*shop.db);
    shop.db->exec(fmt::format("UPDATE items SET category = 'Category 9' WHERE id = '{}'", shop.item_ids.at(4)));
    tx.commit();
  }
  s = shop.suggest(FitFrom::kept_when_fresh);
  EXPECT_EQ(s.kept_fits, s.items.size() - 1);
  for (const auto& i : s.items) EXPECT_EQ(i.forecast_kept, i.item_id != shop.item_ids.at(4));
  EXPECT_EQ(everything(s), everything(shop.suggest(FitFrom::history)));

  // History imported after the fit: the location's fits are forgotten.
  {
    db::Transaction tx(*shop.db);
    store::put_import_days(*shop.db, {{shop.store_id, shop.item_ids.at(1), format_date(shop.today - days{3}), 50000,
                                       false, false, std::nullopt}});
    tx.commit();
  }
  s = shop.suggest(FitFrom::kept_when_fresh);
  EXPECT_EQ(s.kept_fits, 0u);
  EXPECT_EQ(everything(s), everything(shop.suggest(FitFrom::history)));
  ASSERT_EQ(shop.prepare(shop.today), 1);
  EXPECT_EQ(shop.suggest(FitFrom::kept_when_fresh).kept_fits, static_cast<std::size_t>(FitShop::items));
}

}  // namespace
}  // namespace backroom::planning
