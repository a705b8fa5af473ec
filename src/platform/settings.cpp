// Settings: typed views of the stored text (pure parts and the readers built on get()).
#include "platform/settings.hpp"

#include <charconv>

#include "platform/money.hpp"

namespace backroom::settings {

namespace bj = boost::json;

std::optional<std::int64_t> parse_int64(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bj::object parse_object(std::string_view text) {
  bj::error_code ec;
  auto v = bj::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

std::optional<std::int64_t> get_int64(db::Db& db, const std::string& key) {
  auto text = get(db, key);
  return text ? parse_int64(*text) : std::nullopt;
}

bj::object get_object(db::Db& db, const std::string& key) {
  auto text = get(db, key);
  return text ? parse_object(*text) : bj::object{};
}

std::string currency(db::Db& db) { return get(db, "currency").value_or(std::string(currency_default)); }

int currency_decimals(db::Db& db) {
  auto d = get_int64(db, "currency_decimals");
  if (!d || *d < 0 || *d > currency_decimals_max) return currency_decimals_default;
  return static_cast<int>(*d);
}

}  // namespace backroom::settings
