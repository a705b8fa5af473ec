// The JSON edge of webhooks: request bodies checked field by field, documents as the API
// shows them (never a secret).
#include <boost/url.hpp>
#include <fmt/format.h>

#include "integrations/webhooks.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"

namespace backroom::integrations::webhooks {

namespace bj = boost::json;

namespace {

bj::value time_or_null(const std::optional<std::int64_t>& micros) {
  return micros ? bj::value(format_rfc3339(Timestamp{*micros})) : bj::value(nullptr);
}

std::string checked_url(const std::string& field, const std::string& text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed)
    throw invalid_field(field, "url must be an absolute http:// or https:// URL");
  auto scheme = parsed->scheme();
  if (scheme != "http" && scheme != "https")
    throw invalid_field(field, "url must start with http:// or https://");
  if (parsed->encoded_host().empty()) throw invalid_field(field, "url must name a host");
  if (parsed->has_userinfo())
    throw invalid_field(field, "url must not carry a user name or password; the signature authenticates us");
  if (parsed->has_fragment()) throw invalid_field(field, "url must not have a #fragment");
  return text;
}

std::vector<std::string> checked_event_types(const json::Fields& f, const bj::array& list) {
  const std::string field = f.name("event_types");
  if (list.empty()) throw invalid_field(field, "name at least one event type (or \"*\" for all)");
  if (list.size() > event_types_max)
    throw invalid_field(field, fmt::format("at most {} event types", event_types_max));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto item = fmt::format("{}[{}]", field, i);
    if (!list[i].is_string()) throw invalid_field(item, "an event type is a string such as \"sale.completed\"");
    std::string type(list[i].get_string());
    if (!valid_subscription(type))
      throw invalid_field(item, fmt::format("unknown event type '{}'; GET /api/v1/webhooks/event-types lists them",
                                            type.substr(0, 80)));
    if (std::find(out.begin(), out.end(), type) == out.end()) out.push_back(type);
  }
  return out;
}

// A mapping table's name; it must exist, which the command checks.
std::string checked_mapping(const bj::value& v) {
  if (!v.is_string() || !valid_mapping_name(v.get_string()))
    throw invalid_field("mapping", fmt::format("mapping names a mapping table: {} lowercase letters, digits, - or _ "
                                               "(GET /api/v1/mappings lists them)",
                                               mapping_name_length_max));
  return std::string(v.get_string());
}

}  // namespace

EndpointInput endpoint_input_from_json(const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"url", "event_types", "description", "owner", "mapping"});
  EndpointInput in;
  if (auto it = body.find("mapping"); it != body.end() && !it->value().is_null()) in.mapping = checked_mapping(it->value());
  in.url = checked_url(f.name("url"), f.text("url", url_length_max));
  const auto* types = f.opt_array("event_types");
  if (!types) throw missing_field("event_types");
  in.event_types = checked_event_types(f, *types);
  in.description = f.opt_text("description", description_length_max).value_or("");
  in.owner = f.text("owner", owner_length_max);
  if (in.owner.find_first_not_of(" \t") == std::string::npos)
    throw invalid_field("owner", "owner names who is alerted when deliveries fail (a person or team, an email)");
  return in;
}

EndpointPatch endpoint_patch_from_json(const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"url", "event_types", "description", "owner", "enabled", "mapping", "version"});
  EndpointPatch p;
  if (auto it = body.find("mapping"); it != body.end())
    p.mapping = it->value().is_null() ? std::optional<std::string>{} : std::optional<std::string>{checked_mapping(it->value())};
  if (auto url = f.opt_text("url", url_length_max)) p.url = checked_url("url", *url);
  if (const auto* types = f.opt_array("event_types")) p.event_types = checked_event_types(f, *types);
  p.description = f.opt_text("description", description_length_max);
  p.owner = f.opt_text("owner", owner_length_max);
  if (p.owner && p.owner->find_first_not_of(" \t") == std::string::npos)
    throw invalid_field("owner", "owner names who is alerted when deliveries fail");
  p.enabled = f.opt_boolean("enabled");
  return p;
}

bj::object endpoint_to_json(const Endpoint& e) {
  bj::array types;
  for (const auto& t : e.event_types) types.push_back(bj::value(t));
  return bj::object{{"id", e.id},
                    {"url", e.url},
                    {"description", e.description},
                    {"owner", e.owner},
                    {"event_types", std::move(types)},
                    {"mapping", e.mapping ? bj::value(*e.mapping) : bj::value(nullptr)},
                    {"status", e.status},
                    {"disabled_reason", e.disabled_reason ? bj::value(*e.disabled_reason) : bj::value(nullptr)},
                    {"failing_since", time_or_null(e.failing_since)},
                    {"previous_secret_valid_until", time_or_null(e.previous_until)},
                    {"pending", e.pending},
                    {"behind", e.behind},
                    {"dead_letters", e.dead},
                    {"last_delivered_at", time_or_null(e.last_delivered_at)},
                    {"created_at", format_rfc3339(Timestamp{e.created_at})},
                    {"updated_at", format_rfc3339(Timestamp{e.updated_at})},
                    {"version", e.version}};
}

bj::object attempt_to_json(const AttemptRecord& a) {
  return bj::object{{"webhook_id", a.message_id},
                    {"event_type", a.event_type},
                    {"attempt", a.attempt},
                    {"at", format_rfc3339(Timestamp{a.at})},
                    {"status", a.http_status ? bj::value(*a.http_status) : bj::value(nullptr)},
                    {"latency_ms", a.latency_ms},
                    {"error_tag", a.error_tag ? bj::value(*a.error_tag) : bj::value(nullptr)},
                    {"outcome", a.outcome},
                    {"response_excerpt", a.response_excerpt},
                    {"mapping", a.mapping_name ? bj::value(bj::object{{"name", *a.mapping_name},
                                                                        {"version", a.mapping_version.value_or(0)},
                                                                        {"unmapped", a.mapping_unmapped}})
                                               : bj::value(nullptr)}};
}

bj::object message_to_json(const Message& m) {
  bj::error_code ec;
  auto payload = bj::parse(m.payload, ec);
  return bj::object{{"id", m.id},
                    {"endpoint_id", m.endpoint_id},
                    {"event_type", m.event_type},
                    {"status", m.status},
                    {"tries", m.tries},
                    {"next_attempt_at", m.status == "pending" ? bj::value(format_rfc3339(Timestamp{m.next_attempt_at}))
                                                              : bj::value(nullptr)},
                    {"last_error_tag", m.last_error_tag ? bj::value(*m.last_error_tag) : bj::value(nullptr)},
                    {"created_at", format_rfc3339(Timestamp{m.created_at})},
                    {"dead_at", time_or_null(m.dead_at)},
                    {"payload", ec ? bj::value(m.payload) : std::move(payload)}};
}

bj::object alert_to_json(const Alert& a) {
  auto opt = [](const std::optional<std::string>& s) { return s ? bj::value(*s) : bj::value(nullptr); };
  return bj::object{{"id", a.id},
                    {"endpoint_id", a.endpoint_id},
                    {"endpoint_url", a.endpoint_url},
                    {"owner", a.owner},
                    {"error_tag", a.error_tag},
                    {"count", a.count},
                    {"first_at", format_rfc3339(Timestamp{a.first_at})},
                    {"last_at", format_rfc3339(Timestamp{a.last_at})},
                    {"last_detail", a.last_detail},
                    {"status", a.status},
                    {"acknowledged_by", opt(a.acknowledged_by)},
                    {"acknowledged_at", time_or_null(a.acknowledged_at)},
                    {"resolved_by", opt(a.resolved_by)},
                    {"resolved_at", time_or_null(a.resolved_at)},
                    {"note", opt(a.note)}};
}

}  // namespace backroom::integrations::webhooks
