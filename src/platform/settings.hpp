// The shop's settings: one `settings` table of key -> text value that every capability
// shares (currency, tax rates, stock limits, label calibration, event cursors...). A room
// owns the meaning of its keys; this file owns reading and writing them. Reads run on any
// connection; put() runs on the writer's, inside the command's transaction.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"

namespace backroom::settings {

// Reading and writing one key (settings_store.cpp).
std::optional<std::string> get(db::Db& db, const std::string& key);
void put(db::Db& db, const std::string& key, const std::string& value);
// The keys of `keys` that are set, in one query (a command's settings, read per command).
std::map<std::string, std::string> get_many(db::Db& db, const std::vector<std::string>& keys);

// The key read as a whole number; nullopt when it is missing, empty or not a number.
std::optional<std::int64_t> get_int64(db::Db& db, const std::string& key);
// The key read as a JSON object ({"standard":2100,...}); {} when missing or not an object.
boost::json::object get_object(db::Db& db, const std::string& key);

// The shop's currency (ISO 4217 code) and its decimals, as set when the shop was made.
inline constexpr std::string_view currency_default = "EUR";
inline constexpr int currency_decimals_default = 2;
std::string currency(db::Db& db);
int currency_decimals(db::Db& db);

// Pure: what get_int64 and get_object make of a stored text.
std::optional<std::int64_t> parse_int64(std::string_view text);
boost::json::object parse_object(std::string_view text);

}  // namespace backroom::settings
