// Versioned mapping tables: how another system's words map to Backroom's (docs/formats.md).
// A mapping has a name ("shopify", "square", a webhook receiver ...), field maps (their
// column or field -> ours) and value maps (e.g. "location": {"Main Street": "<location id>"},
// "tax_category": {"TRUE": "standard"}). Every change is a new version, never an update, so an
// import report can name the version it used. A mapping asks for review 90 days after the
// day someone last confirmed it (reviewed_on). Pure: SQL in mappings_store.cpp.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/actor.hpp"
#include "platform/app.hpp"
#include "platform/db.hpp"
#include "platform/types.hpp"

namespace backroom::integrations {

inline constexpr std::size_t mapping_name_length_max = 40;
inline constexpr std::size_t mapping_fields_max = 200;
inline constexpr std::size_t mapping_value_maps_max = 50;
inline constexpr std::size_t mapping_values_per_map_max = 2000;
inline constexpr std::size_t mapping_text_length_max = 200;
inline constexpr int mapping_review_interval_days = 90;
inline constexpr int mapping_versions_page_max = 200;

struct Mapping {
  std::string name;
  std::int64_t version = 0;
  std::map<std::string, std::string> fields;                         // theirs -> ours
  std::map<std::string, std::map<std::string, std::string>> values;  // map name -> (theirs -> ours)
  std::optional<std::string> reviewed_on;                            // YYYY-MM-DD (UTC day)
  std::string changed_by;
  std::string changed_by_id;
  std::int64_t changed_at = 0;

  // The value `key` maps to in value map `map`: an exact key first, else one equal
  // ignoring ASCII case and surrounding blanks; nullopt when the map has neither.
  std::optional<std::string> value(std::string_view map, std::string_view key) const;
};

// Lowercase letters, digits, '-' and '_', 1 to mapping_name_length_max bytes.
bool valid_mapping_name(std::string_view name);

// The body of PUT /api/v1/mappings/{name}: {fields, values, reviewed_on}. Throws Problem 422
// naming the field ("values.location.Main Street").
Mapping mapping_from_json(const boost::json::object& body, const std::string& name);

// reviewed_on + 90 days; nullopt when never reviewed.
std::optional<std::string> review_due_on(const Mapping& m);
// Due when never reviewed or when review_due_on is today (UTC) or earlier.
bool review_due(const Mapping& m, Timestamp now);

boost::json::object mapping_to_json(const Mapping& m, Timestamp now);

// Commands and reads (mappings_store.cpp).
std::optional<Mapping> latest_mapping(db::Db& db, const std::string& name);
std::optional<Mapping> mapping_version(db::Db& db, const std::string& name, std::int64_t version);
// Newest first, at most `limit`, versions below `before` when it is set.
std::vector<Mapping> mapping_versions(db::Db& db, const std::string& name, std::optional<std::int64_t> before,
                                      int limit);
// The newest version of every mapping, by name.
std::vector<Mapping> latest_mappings(db::Db& db);
// Stores `m` as the next version of its name, changed by `actor` now. Audited
// ("mapping.update"), with a mapping.updated event. Writer thread only.
Mapping put_mapping(db::Db& db, const Actor& actor, Mapping m);

void register_mapping_routes(App& app);

}  // namespace backroom::integrations
