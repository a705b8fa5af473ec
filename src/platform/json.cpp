#include "platform/json.hpp"

#include <fmt/format.h>

#include <boost/json/basic_parser_impl.hpp>
#include <charconv>

#include "platform/text.hpp"

namespace backroom::json {

namespace {

// Tag that marks a decimal kept as text. Control characters are refused in every free-text
// field, so a client string can never pass for a number.
constexpr std::string_view decimal_tag = "\x1e" "dec:";
constexpr std::string_view decimal_tag_escaped = "\"\\u001edec:";

// A basic_parser handler that builds values like boost::json::parser does, but keeps
// every non-integer number as its source text.
class ExactHandler {
 public:
  static constexpr std::size_t max_object_size = 10'000;
  static constexpr std::size_t max_array_size = 100'000;
  static constexpr std::size_t max_key_size = 1'000;
  static constexpr std::size_t max_string_size = 1'000'000;

  bj::value_stack stack;
  std::string number;

  bool on_document_begin(bj::error_code&) {
    stack.reset();
    return true;
  }
  bool on_document_end(bj::error_code&) { return true; }
  bool on_array_begin(bj::error_code&) { return true; }
  bool on_array_end(std::size_t n, bj::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_object_begin(bj::error_code&) { return true; }
  bool on_object_end(std::size_t n, bj::error_code&) {
    stack.push_object(n);
    return true;
  }
  bool on_string_part(bj::string_view s, std::size_t, bj::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(bj::string_view s, std::size_t, bj::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_key_part(bj::string_view s, std::size_t, bj::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(bj::string_view s, std::size_t, bj::error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_number_part(bj::string_view s, bj::error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, bj::string_view, bj::error_code&) {
    number.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, bj::string_view, bj::error_code&) {
    number.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double, bj::string_view s, bj::error_code&) {
    number.append(s.data(), s.size());
    std::string tagged(decimal_tag);
    tagged += number;
    number.clear();
    stack.push_string(tagged);
    return true;
  }
  bool on_bool(bool b, bj::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(bj::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(bj::string_view, bj::error_code&) { return true; }
  bool on_comment(bj::string_view, bj::error_code&) { return true; }
};

std::string_view kind_name(const bj::value& v) {
  if (decimal_text(v)) return "a number";
  switch (v.kind()) {
    case bj::kind::null: return "null";
    case bj::kind::bool_: return "a boolean";
    case bj::kind::int64:
    case bj::kind::uint64:
    case bj::kind::double_: return "a number";
    case bj::kind::string: return "a string";
    case bj::kind::array: return "an array";
    case bj::kind::object: return "an object";
  }
  return "a value";
}

}  // namespace

bj::value parse_exact(std::string_view text) {
  bj::parse_options options;
  options.max_depth = json_depth_max;
  bj::basic_parser<ExactHandler> parser(options);
  bj::error_code ec;
  std::size_t n = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && n < text.size()) ec = bj::error::extra_data;
  if (ec) {
    throw Problem(400, "malformed_json",
                  fmt::format("request body is not valid JSON: {} at byte {}", ec.message(), n));
  }
  return parser.handler().stack.release();
}

bj::object parse_object(std::string_view text) {
  if (text.empty()) throw Problem(400, "malformed_json", "request body is empty; a JSON object is expected");
  bj::value v = parse_exact(text);
  if (!v.is_object())
    throw Problem(400, "malformed_json", fmt::format("request body must be a JSON object, not {}", kind_name(v)));
  return std::move(v.as_object());
}

std::optional<std::string_view> decimal_text(const bj::value& v) {
  if (!v.is_string()) return std::nullopt;
  std::string_view s = v.get_string();
  if (s.substr(0, decimal_tag.size()) != decimal_tag) return std::nullopt;
  return s.substr(decimal_tag.size());
}

std::optional<Quantity> as_quantity(const bj::value& v) {
  if (v.is_int64()) {
    std::int64_t i = v.get_int64();
    if (i > quantity_units_max || i < -quantity_units_max) return std::nullopt;
    return Quantity::units(i);
  }
  if (auto text = decimal_text(v)) return parse_quantity(*text);
  return std::nullopt;
}

bj::value quantity_value(Quantity q) {
  if (q.milli % Quantity::scale == 0) return bj::value(q.milli / Quantity::scale);
  std::string tagged(decimal_tag);
  tagged += format_quantity(q);
  return bj::value(tagged);
}

std::string serialize(const bj::value& v) { return with_bare_decimals(bj::serialize(v)); }

std::string with_bare_decimals(std::string out) {
  std::size_t pos = 0;
  while ((pos = out.find(decimal_tag_escaped, pos)) != std::string::npos) {
    std::size_t end = out.find('"', pos + decimal_tag_escaped.size());
    if (end == std::string::npos) break;  // not text a serializer wrote
    std::string number = out.substr(pos + decimal_tag_escaped.size(), end - pos - decimal_tag_escaped.size());
    out.replace(pos, end + 1 - pos, number);
    pos += number.size();
  }
  return out;
}

std::string Fields::name(std::string_view key) const {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

bool Fields::has(std::string_view key) const {
  auto it = object.find(key);
  return it != object.end() && !it->value().is_null();
}

void Fields::only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& member : object) {
    bool known = false;
    for (auto a : allowed) known = known || member.key() == a;
    if (!known) {
      std::string key(member.key());
      throw Problem(422, "unknown_field", fmt::format("field '{}' is not recognised", name(key)), name(key));
    }
  }
}

std::optional<std::string> Fields::opt_text(std::string_view key, std::size_t max_bytes) const {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return std::nullopt;
  const bj::value& v = it->value();
  if (!v.is_string() || decimal_text(v))
    throw invalid_field(name(key), fmt::format("'{}' must be a string, not {}", name(key), kind_name(v)));
  std::string s(v.get_string());
  if (s.size() > max_bytes)
    throw invalid_field(name(key), fmt::format("'{}' is longer than {} bytes", name(key), max_bytes));
  check_free_text(name(key), s);
  return s;
}

std::optional<std::string> Fields::opt_identifier(std::string_view key, std::size_t max_bytes) const {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return std::nullopt;
  const bj::value& v = it->value();
  if (!v.is_string() || decimal_text(v))
    throw invalid_field(name(key), fmt::format("'{}' must be a string, not {}", name(key), kind_name(v)));
  std::string s(v.get_string());
  if (s.size() > max_bytes)
    throw invalid_field(name(key), fmt::format("'{}' is longer than {} bytes", name(key), max_bytes));
  // PostgreSQL cannot keep a NUL in text, and SQLite would: refused on both alike, never cut.
  if (s.find('\0') != std::string::npos)
    throw invalid_field(name(key), fmt::format("'{}' contains a NUL character", name(key)));
  return s;
}

std::string Fields::text(std::string_view key, std::size_t max_bytes) const {
  auto s = opt_text(key, max_bytes);
  if (!s) throw missing_field(name(key));
  return *s;
}

std::optional<std::int64_t> Fields::opt_integer(std::string_view key, std::int64_t min,
                                                std::int64_t max) const {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return std::nullopt;
  const bj::value& v = it->value();
  if (!v.is_int64()) {
    if (v.is_uint64() || decimal_text(v))
      throw invalid_field(name(key), fmt::format("'{}' must be a whole number between {} and {}", name(key), min, max));
    throw invalid_field(name(key), fmt::format("'{}' must be a number, not {}", name(key), kind_name(v)));
  }
  std::int64_t i = v.get_int64();
  if (i < min || i > max)
    throw invalid_field(name(key), fmt::format("'{}' must be between {} and {}", name(key), min, max));
  return i;
}

std::int64_t Fields::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  auto i = opt_integer(key, min, max);
  if (!i) throw missing_field(name(key));
  return *i;
}

std::optional<std::int64_t> Fields::opt_money(std::string_view key, bool allow_negative) const {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return std::nullopt;
  if (decimal_text(it->value()))
    throw invalid_field(name(key), fmt::format("'{}' is money in minor units (cents) and must be a whole number, e.g. 1999 for 19.99", name(key)));
  return opt_integer(key, allow_negative ? -money_minor_max : 0, money_minor_max);
}

std::int64_t Fields::money(std::string_view key, bool allow_negative) const {
  auto m = opt_money(key, allow_negative);
  if (!m) throw missing_field(name(key));
  return *m;
}

std::optional<Quantity> Fields::opt_quantity(std::string_view key) const {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return std::nullopt;
  auto q = as_quantity(it->value());
  if (!q)
    throw invalid_field(name(key), fmt::format("'{}' must be a number with at most 3 decimals and at most {} in size",
                                               name(key), quantity_units_max));
  return q;
}

Quantity Fields::quantity(std::string_view key) const {
  auto q = opt_quantity(key);
  if (!q) throw missing_field(name(key));
  return *q;
}

std::optional<bool> Fields::opt_boolean(std::string_view key) const {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_bool())
    throw invalid_field(name(key), fmt::format("'{}' must be true or false, not {}", name(key), kind_name(it->value())));
  return it->value().get_bool();
}

const bj::object* Fields::opt_object(std::string_view key) const {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return nullptr;
  if (!it->value().is_object())
    throw invalid_field(name(key), fmt::format("'{}' must be an object, not {}", name(key), kind_name(it->value())));
  return &it->value().get_object();
}

const bj::array* Fields::opt_array(std::string_view key) const {
  auto it = object.find(key);
  if (it == object.end() || it->value().is_null()) return nullptr;
  if (!it->value().is_array())
    throw invalid_field(name(key), fmt::format("'{}' must be an array, not {}", name(key), kind_name(it->value())));
  return &it->value().get_array();
}

void check_free_text(const std::string& field, std::string_view text) {
  if (auto problem = text::free_text_problem(text)) {
    if (problem->starts_with("card"))
      throw Problem(422, "card_number_not_allowed",
                    fmt::format("'{}' looks like it contains a payment card number; card data is never stored", field),
                    field);
    throw invalid_field(field, fmt::format("'{}' {}", field, *problem));
  }
}

}  // namespace backroom::json
