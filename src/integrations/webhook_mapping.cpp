#include "integrations/webhook_mapping.hpp"

#include <string>

#include "platform/json.hpp"
#include "platform/problem.hpp"

namespace backroom::integrations::webhooks {

namespace bj = boost::json;

OutboundMapping outbound_mapping(const Mapping& m) {
  OutboundMapping out;
  out.name = m.name;
  out.version = m.version;
  for (const auto& [theirs, ours] : m.fields) out.fields.emplace(ours, theirs);  // first in byte order wins
  for (const auto& [ours, theirs] : out.fields) out.renamed_from.emplace(theirs, ours);
  for (const auto& [map, pairs] : m.values) {
    auto& inverse = out.values[map];
    for (const auto& [theirs, ours] : pairs) inverse.emplace(ours, theirs);
  }
  return out;
}

namespace {

bj::value mapped(const OutboundMapping& m, const bj::value& v, const std::map<std::string, std::string>* value_map,
                 int& unmapped) {
  switch (v.kind()) {
    case bj::kind::object: {
      const auto& in = v.get_object();
      bj::object out;
      out.reserve(in.size());
      for (const auto& [key, child] : in) {
        std::string k(key);
        auto rename = m.fields.find(k);
        if (rename == m.fields.end()) {  // a renamed field of this object takes its name: it wins
          if (auto from = m.renamed_from.find(k); from != m.renamed_from.end() && in.contains(from->second)) continue;
        }
        auto values = m.values.find(k);
        auto value = mapped(m, child, values == m.values.end() ? nullptr : &values->second, unmapped);
        out[rename == m.fields.end() ? k : rename->second] = std::move(value);
      }
      return out;
    }
    case bj::kind::array: {
      bj::array out;
      out.reserve(v.get_array().size());
      for (const auto& child : v.get_array()) out.push_back(mapped(m, child, value_map, unmapped));
      return out;
    }
    case bj::kind::string: {
      if (!value_map || json::decimal_text(v)) return v;  // a fraction is never rewritten
      auto it = value_map->find(std::string(v.get_string()));
      if (it == value_map->end()) {
        ++unmapped;
        return v;
      }
      return bj::value(it->second);
    }
    case bj::kind::int64:
    case bj::kind::uint64: {
      if (!value_map) return v;
      auto text = v.is_int64() ? std::to_string(v.get_int64()) : std::to_string(v.get_uint64());
      auto it = value_map->find(text);
      if (it == value_map->end()) {
        ++unmapped;
        return v;
      }
      return bj::value(it->second);
    }
    default:  // null, booleans, doubles: never rewritten
      return v;
  }
}

}  // namespace

MappedData map_data(const OutboundMapping& m, const bj::value& data) {
  MappedData out;
  out.data = mapped(m, data, nullptr, out.unmapped);
  return out;
}

MappedPayload map_payload(const OutboundMapping& m, std::string_view payload) {
  // Read exactly and written back exactly: a decimal quantity goes out as it came in.
  bj::value parsed;
  try {
    parsed = json::parse_exact(payload);
  } catch (const Problem&) {
    return {std::string(payload), 0};
  }
  if (!parsed.is_object() || !parsed.get_object().contains("data")) return {std::string(payload), 0};
  auto& envelope = parsed.get_object();
  auto result = map_data(m, envelope["data"]);
  envelope["data"] = std::move(result.data);
  return {json::serialize(parsed), result.unmapped};
}

}  // namespace backroom::integrations::webhooks
