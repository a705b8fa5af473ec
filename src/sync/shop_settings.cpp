#include "sync/shop_settings.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "catalog/catalog.hpp"
#include "platform/actor.hpp"
#include "platform/problem.hpp"
#include "purchasing/purchase_order.hpp"
#include "purchasing/purchase_orders.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"
#include "stock/stock.hpp"

namespace backroom::sync {
namespace bj = boost::json;

namespace {

constexpr const char* offline_keys[] = {"offline_returns", "offline_return_limit"};

bj::object sales_settings(db::Db& db) {
  auto s = sales::load_settings(db);
  auto all = sales::settings_to_json(s);
  for (const auto& [key, value] : sales::offline_returns_to_json(s)) all[key] = value;
  return all;
}

// Every group head office sends, each as its own GET route answers it.
bj::object groups(db::Db& db) {
  return bj::object{
      {"sales", sales_settings(db)},
      {"barcodes", catalog::barcode_settings_to_json(catalog::barcode_settings(db))},
      {"stock", stock::adjustment_limits_to_json(stock::load_adjustment_limits(db))},
      {"purchasing", bj::object{{"over_receive_tolerance_bp", purchasing::over_receive_tolerance_bp(db)}}}};
}

std::string digest(const bj::object& groups) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64: a change detector, not a secret
  for (unsigned char c : bj::serialize(groups)) h = (h ^ c) * 1099511628211ULL;
  return fmt::format("{:016x}", h);
}

// The group `name` of head office's answer, or nullptr when it has none (a head office of an
// earlier release sends sales only). Not an object: 422 naming it.
const bj::object* group(const bj::object& settings, const char* name) {
  const auto* given = settings.if_contains(name);
  if (!given) return nullptr;
  if (!given->is_object()) throw invalid_field(fmt::format("settings.{}", name), fmt::format("settings.{} is an object", name));
  return &given->get_object();
}

void apply_sales(db::Db& db, const Actor& by, const bj::object& given) {
  bj::object selling = given, offline;
  for (const char* key : offline_keys) {
    if (const auto* v = selling.if_contains(key)) offline[key] = *v;
    selling.erase(key);
  }
  // Read with the same checks as the routes that write them at head office.
  auto s = sales::settings_from_json(selling, sales::load_settings(db));
  if (!offline.empty()) s = sales::offline_returns_from_json(offline, s);
  sales::save_settings(db, by, s);
}

}  // namespace

bj::object shop_settings_to_json(db::Db& db) {
  auto all = groups(db);
  auto version = digest(all);
  all.emplace("version", version);
  return all;
}

std::string shop_settings_version(db::Db& db) { return digest(groups(db)); }

void apply_shop_settings(db::Db& db, const bj::object& settings) {
  const auto* sales = group(settings, "sales");
  if (!sales) throw invalid_field("settings.sales", "head office's settings carry sales");
  const auto* barcodes = group(settings, "barcodes");
  const auto* stock = group(settings, "stock");
  const auto* purchasing = group(settings, "purchasing");
  // A group is saved only when it differs from the node's, so the node's audit log holds
  // the changes head office made, not a copy of every group at each one.
  const auto mine = groups(db);
  const auto differs = [&](const char* name, const bj::object* given) { return given && mine.at(name) != bj::value(*given); };
  const auto by = Actor::of("head office", "sync");
  if (differs("sales", sales)) apply_sales(db, by, *sales);
  if (differs("barcodes", barcodes)) catalog::set_barcode_settings(db, by, catalog::barcode_settings_from_json(*barcodes));
  if (differs("stock", stock))
    stock::save_adjustment_limits(db, by, stock::adjustment_limits_from_json(*stock, stock::load_adjustment_limits(db)));
  if (differs("purchasing", purchasing))
    purchasing::set_over_receive_tolerance_bp(db, by, purchasing::over_receive_tolerance_from_json(*purchasing));
}

}  // namespace backroom::sync
