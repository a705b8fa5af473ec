#include <fmt/format.h>

#include <charconv>

#include "integrations/events.hpp"
#include "platform/types.hpp"

namespace backroom::integrations {

namespace bj = boost::json;

bj::object event_to_json(const Event& e) {
  bj::error_code ec;
  auto payload = bj::parse(e.payload, ec);
  return bj::object{{"seq", e.seq},
                    {"id", e.id},
                    {"type", e.type},
                    {"entity_id", e.entity_id},
                    {"at", format_rfc3339(Timestamp{e.at})},
                    {"data", ec ? bj::value(nullptr) : payload}};
}

void register_event_routes(App& app) {
  app.router.add("GET", "/api/v1/events", "events.read", "Committed changes after a cursor, oldest first",
                 [&app](http::Request& req, http::Reply reply) {
                   std::int64_t after = 0;
                   if (auto text = req.query_param("after")) {
                     auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), after);
                     if (ec != std::errc() || end != text->data() + text->size() || after < 0)
                       throw invalid_field("after", "after must be a cursor (next_cursor) from a previous page");
                   }
                   auto type = req.query_param("type").value_or("");
                   auto events = events_after(app.read(), after, page_limit(req), type);
                   bj::array list;
                   for (const auto& e : events) list.push_back(event_to_json(e));
                   std::int64_t next = events.empty() ? after : events.back().seq;
                   reply(http::json_response(200, bj::object{{"events", std::move(list)},
                                                             {"next_cursor", std::to_string(next)}}));
                 });
}

}  // namespace backroom::integrations
