#include "integrations/mappings.hpp"

#include <fmt/format.h>

#include <chrono>
#include <charconv>

#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/text.hpp"

namespace backroom::integrations {

namespace bj = boost::json;
namespace chr = std::chrono;

namespace {

std::string lower_trimmed(std::string_view s) {
  std::string out(text::trim(s));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<chr::sys_days> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    int v = 0;
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + len, v);
    if (ec != std::errc() || end != text.data() + at + len) return std::nullopt;
    return v;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  chr::year_month_day ymd{chr::year{*y}, chr::month{static_cast<unsigned>(*m)}, chr::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return chr::sys_days{ymd};
}

std::string format_date(chr::sys_days day) {
  chr::year_month_day ymd{day};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

// A key or value of a map: a non-empty string of at most mapping_text_length_max bytes.
std::string map_text(const bj::value& v, const std::string& field) {
  if (!v.is_string()) throw invalid_field(field, fmt::format("{} must be a string", field));
  std::string s(v.get_string());
  if (s.empty() || s.size() > mapping_text_length_max)
    throw invalid_field(field, fmt::format("{} must be 1 to {} bytes", field, mapping_text_length_max));
  json::check_free_text(field, s);
  return s;
}

std::map<std::string, std::string> string_map(const bj::object& object, const std::string& path, std::size_t max) {
  if (object.size() > max) throw invalid_field(path, fmt::format("{} holds at most {} entries", path, max));
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : object) {
    std::string field = path + "." + std::string(key);
    map_text(bj::value(key), path);
    out.emplace(std::string(key), map_text(value, field));
  }
  return out;
}

}  // namespace

std::optional<std::string> Mapping::value(std::string_view map, std::string_view key) const {
  auto m = values.find(std::string(map));
  if (m == values.end()) return std::nullopt;
  if (auto it = m->second.find(std::string(key)); it != m->second.end()) return it->second;
  std::string wanted = lower_trimmed(key);
  for (const auto& [k, v] : m->second)
    if (lower_trimmed(k) == wanted) return v;
  return std::nullopt;
}

bool valid_mapping_name(std::string_view name) {
  return !name.empty() && name.size() <= mapping_name_length_max &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string_view::npos;
}

Mapping mapping_from_json(const bj::object& body, const std::string& name) {
  json::Fields f{body, ""};
  f.only({"fields", "values", "reviewed_on"});
  Mapping m;
  m.name = name;
  if (f.has("fields")) {
    const auto* fields = f.opt_object("fields");
    m.fields = string_map(*fields, "fields", mapping_fields_max);
  }
  if (f.has("values")) {
    const auto* values = f.opt_object("values");
    if (values->size() > mapping_value_maps_max)
      throw invalid_field("values", fmt::format("values holds at most {} maps", mapping_value_maps_max));
    for (const auto& [key, map] : *values) {
      std::string field = "values." + std::string(key);
      if (!valid_mapping_name(key))
        throw invalid_field("values", fmt::format("value map name '{}' must be lowercase letters, digits, - or _",
                                                  std::string(key).substr(0, 64)));
      if (!map.is_object()) throw invalid_field(field, fmt::format("{} must be an object of strings", field));
      m.values.emplace(std::string(key), string_map(map.get_object(), field, mapping_values_per_map_max));
    }
  }
  if (auto text = f.opt_identifier("reviewed_on", 10)) {
    if (!parse_date(*text)) throw invalid_field("reviewed_on", "reviewed_on must be a date, YYYY-MM-DD");
    m.reviewed_on = *text;
  }
  return m;
}

std::optional<std::string> review_due_on(const Mapping& m) {
  if (!m.reviewed_on) return std::nullopt;
  auto day = parse_date(*m.reviewed_on);
  if (!day) return std::nullopt;
  return format_date(*day + chr::days{mapping_review_interval_days});
}

bool review_due(const Mapping& m, Timestamp now) {
  auto due = review_due_on(m);
  if (!due) return true;
  auto today = chr::floor<chr::days>(chr::sys_time<chr::microseconds>(chr::microseconds{now.micros}));
  return *parse_date(*due) <= today;
}

bj::object mapping_to_json(const Mapping& m, Timestamp now) {
  bj::object fields;
  for (const auto& [k, v] : m.fields) fields[k] = v;
  bj::object values;
  for (const auto& [name, map] : m.values) {
    bj::object o;
    for (const auto& [k, v] : map) o[k] = v;
    values[name] = std::move(o);
  }
  auto due_on = review_due_on(m);
  return bj::object{{"name", m.name},
                    {"version", m.version},
                    {"fields", std::move(fields)},
                    {"values", std::move(values)},
                    {"reviewed_on", m.reviewed_on ? bj::value(*m.reviewed_on) : bj::value(nullptr)},
                    {"review_due_on", due_on ? bj::value(*due_on) : bj::value(nullptr)},
                    {"review_due", review_due(m, now)},
                    {"changed_by", m.changed_by},
                    {"changed_at", format_rfc3339(Timestamp{m.changed_at})}};
}

}  // namespace backroom::integrations
