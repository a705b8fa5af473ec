// JSON at the edges: exact parsing (numbers with a fraction are kept as their text,
// never rounded through a binary float) and field readers that throw a Problem naming
// the field. Boost.JSON values everywhere else.
#pragma once

#include <boost/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "platform/problem.hpp"
#include "platform/types.hpp"

namespace backroom::json {

namespace bj = boost::json;

inline constexpr std::size_t json_depth_max = 32;

// Parses a request body. Throws Problem 400 malformed_json with the byte offset.
// Numbers with a fraction or exponent become a tagged string only the readers below
// understand; integers stay int64/uint64.
bj::value parse_exact(std::string_view text);
// Parses the body and demands an object (400 otherwise).
bj::object parse_object(std::string_view text);

// Field readers. `path` prefixes field names in messages ("lines[2].quantity").
// A required reader throws 422 missing_field; a wrong type throws 422 invalid_field.
struct Fields {
  const bj::object& object;
  std::string path;  // "" at the top level

  std::string name(std::string_view key) const;  // "lines[2].quantity"
  bool has(std::string_view key) const;          // present and not null
  // Rejects members not in `allowed` (422 unknown_field): a typo never passes silently.
  void only(std::initializer_list<std::string_view> allowed) const;

  std::string text(std::string_view key, std::size_t max_bytes = 200) const;
  std::optional<std::string> opt_text(std::string_view key, std::size_t max_bytes = 200) const;
  // A string read without the free-text rules (identifiers such as SKUs and barcodes,
  // whose callers check their own character set; a GS1 code keeps its GS separators). A NUL
  // is refused (422): PostgreSQL cannot store one.
  std::optional<std::string> opt_identifier(std::string_view key, std::size_t max_bytes = 200) const;
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  std::optional<std::int64_t> opt_integer(std::string_view key, std::int64_t min,
                                          std::int64_t max) const;
  // Money: an integer of minor units, 0..money_minor_max unless `allow_negative`.
  std::int64_t money(std::string_view key, bool allow_negative = false) const;
  std::optional<std::int64_t> opt_money(std::string_view key, bool allow_negative = false) const;
  Quantity quantity(std::string_view key) const;
  std::optional<Quantity> opt_quantity(std::string_view key) const;
  std::optional<bool> opt_boolean(std::string_view key) const;
  const bj::object* opt_object(std::string_view key) const;
  const bj::array* opt_array(std::string_view key) const;
};

// Reads a JSON value as an exact quantity (int or decimal text); nullopt on mismatch.
std::optional<Quantity> as_quantity(const bj::value& v);
// The number as written when `v` is a decimal the exact parser kept as text.
std::optional<std::string_view> decimal_text(const bj::value& v);
// Quantity as a JSON number: 2000 -> 2, 250 -> 0.25 (serialised exactly).
bj::value quantity_value(Quantity q);

std::string serialize(const bj::value& v);
// JSON text a plain bj::serialize wrote (as stored in events, audit entries …) with every
// decimal kept as tagged text turned back into the bare number it was written as.
std::string with_bare_decimals(std::string json_text);

// Rejects control characters and card numbers in free text. Throws 422.
void check_free_text(const std::string& field, std::string_view text);

}  // namespace backroom::json
