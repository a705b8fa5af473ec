// GET/PUT /api/v1/mappings/{name}, its versions, and the list with review reminders.
#include <fmt/format.h>

#include <charconv>

#include "access/permissions.hpp"
#include "integrations/mappings.hpp"
#include "platform/app.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"

namespace backroom::integrations {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

std::string name_param(const Request& req) {
  const auto& name = req.param(0);
  if (!valid_mapping_name(name))
    throw invalid_field("name", fmt::format("a mapping name is 1 to {} lowercase letters, digits, - or _",
                                            mapping_name_length_max));
  return name;
}

}  // namespace

void register_mapping_routes(App& app) {
  auto& r = app.router;

  r.add("GET", "/api/v1/mappings", std::string(permission::integrations_read),
        "The newest version of every mapping table, with its review reminder", [&app](Request&, Reply reply) {
          Timestamp at = now();
          bj::array list;
          int due = 0;
          for (const auto& m : latest_mappings(app.read())) {
            if (review_due(m, at)) ++due;
            list.push_back(mapping_to_json(m, at));
          }
          reply(http::json_response(200, bj::object{{"mappings", std::move(list)}, {"review_due", due}}));
        });

  r.add("GET", "/api/v1/mappings/{name}", std::string(permission::integrations_read),
        "A mapping table's newest version (?version= for an older one)", [&app](Request& req, Reply reply) {
          auto name = name_param(req);
          std::optional<Mapping> m;
          if (auto text = req.query_param("version")) {
            std::int64_t v = 0;
            auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
            if (ec != std::errc() || end != text->data() + text->size() || v < 1)
              throw invalid_field("version", "version must be a positive integer");
            m = mapping_version(app.read(), name, v);
            if (!m) throw not_found("mapping version", fmt::format("{} v{}", name, v));
          } else {
            m = latest_mapping(app.read(), name);
            if (!m) throw not_found("mapping", name);
          }
          reply(http::json_response(200, mapping_to_json(*m, now())));
        });

  r.add("PUT", "/api/v1/mappings/{name}", std::string(permission::integrations_manage),
        "Store a mapping table as its next version ({fields, values, reviewed_on})",
        [&app](Request& req, Reply reply) {
          auto name = name_param(req);
          auto mapping = mapping_from_json(json::parse_object(req.body), name);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto stored = put_mapping(db, actor, mapping);
            return http::json_response(stored.version == 1 ? 201 : 200, mapping_to_json(stored, now()));
          });
        });

  r.add("GET", "/api/v1/mappings/{name}/versions", std::string(permission::integrations_read),
        "Every version of a mapping table, newest first (?cursor=<next_cursor> pages on; ?before= is the old name)",
        [&app](Request& req, Reply reply) {
          auto name = name_param(req);
          std::optional<std::int64_t> before;
          if (auto c = req.query_param("cursor"); c && !c->empty()) {
            before = number_cursor(req);
          } else if (auto text = req.query_param("before")) {
            std::int64_t v = 0;
            auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
            if (ec != std::errc() || end != text->data() + text->size() || v < 1)
              throw invalid_field("before", "before must be a version number (next_cursor)");
            before = v;
          }
          int limit = std::min(page_limit(req), mapping_versions_page_max);
          auto versions = mapping_versions(app.read(), name, before, limit + 1);
          if (versions.empty() && !before && !latest_mapping(app.read(), name)) throw not_found("mapping", name);
          bool more = static_cast<int>(versions.size()) > limit;
          if (more) versions.pop_back();
          Timestamp at = now();
          bj::array list;
          for (const auto& m : versions) list.push_back(mapping_to_json(m, at));
          reply(http::json_response(
              200, bj::object{{"name", name},
                              {"versions", std::move(list)},
                              {"next_cursor", more ? bj::value(std::to_string(versions.back().version))
                                                  : bj::value(nullptr)}}));
        });
}

}  // namespace backroom::integrations
