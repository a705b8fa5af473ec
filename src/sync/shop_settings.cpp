#include "sync/shop_settings.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "platform/actor.hpp"
#include "platform/problem.hpp"
#include "sales/sales.hpp"
#include "sales/sales_json.hpp"

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

std::string digest(const bj::object& sales) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64: a change detector, not a secret
  for (unsigned char c : bj::serialize(sales)) h = (h ^ c) * 1099511628211ULL;
  return fmt::format("{:016x}", h);
}

}  // namespace

bj::object shop_settings_to_json(db::Db& db) {
  auto sales = sales_settings(db);
  auto version = digest(sales);
  return bj::object{{"version", version}, {"sales", std::move(sales)}};
}

std::string shop_settings_version(db::Db& db) { return digest(sales_settings(db)); }

void apply_shop_settings(db::Db& db, const bj::object& settings) {
  const auto* given = settings.if_contains("sales");
  if (!given || !given->is_object()) throw invalid_field("settings.sales", "head office's settings carry sales");
  bj::object selling = given->get_object(), offline;
  for (const char* key : offline_keys) {
    if (const auto* v = selling.if_contains(key)) offline[key] = *v;
    selling.erase(key);
  }
  // Read with the same checks as the routes that write them at head office.
  auto s = sales::settings_from_json(selling, sales::load_settings(db));
  if (!offline.empty()) s = sales::offline_returns_from_json(offline, s);
  sales::save_settings(db, Actor::of("head office", "sync"), s);
}

}  // namespace backroom::sync
