// HTTP routes of the cutover checklist (reports/cutover.hpp; docs/operations.md "Cutover").
#include <fmt/format.h>

#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/text.hpp"
#include "reports/cutover.hpp"
#include "reports/kpi.hpp"

namespace backroom::reports {

namespace bj = boost::json;

void register_cutover_routes(App& app) {
  auto& r = app.router;
  r.add("GET", "/api/v1/cutover", "reports.read",
        "The cutover checklist: five tasks with owner, date, done, and what the shop's data says of each",
        [&app](http::Request&, http::Reply reply) { reply(http::json_response(200, cutover_list(app.read()))); });
  r.add("PATCH", "/api/v1/cutover/{key}", "reports.actions", "Set a cutover task's owner, date, note or done",
        [&app](http::Request& req, http::Reply reply) {
          std::string key(req.param(0));
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"owner_id", "due_on", "done", "note"});
          CutoverPatch patch;
          if (body.contains("owner_id")) {
            if (body.at("owner_id").is_null()) {
              patch.owner_id.emplace();  // set, to nothing (assigning an empty optional would leave it unset)
            } else {
              auto id = normalize_uuid(f.text("owner_id", 64));
              if (!id) throw invalid_field("owner_id", "owner_id is a user's id, or null");
              patch.owner_id = *id;
            }
          }
          if (body.contains("due_on")) {
            if (body.at("due_on").is_null()) {
              patch.due_on.emplace();
            } else {
              auto day = parse_day(f.text("due_on", 10));
              if (!day) throw invalid_field("due_on", "due_on is a date like 2026-12-01, or null");
              patch.due_on = format_day(*day);
            }
          }
          patch.done = f.opt_boolean("done");
          if (f.has("note")) patch.note = std::string(text::trim(f.opt_text("note", cutover_note_length_max).value_or("")));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(200, update_cutover_task(db, actor, key, patch));
          });
        });
}

}  // namespace backroom::reports
