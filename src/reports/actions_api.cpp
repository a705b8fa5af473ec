// The weekly review's action routes: list a week's actions (with those that came back from
// earlier weeks), add one, change it or close it with its outcome, attach photos. Every
// change writes its audit entry and event in the same transaction.
#include <fmt/format.h>

#include "access/audit.hpp"
#include "access/auth_store.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/documents.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"
#include "reports/reports.hpp"
#include "reports/reports_store.hpp"
#include "stock/stock.hpp"

namespace backroom::reports {

namespace bj = boost::json;
using documents::id_param;
using http::Reply;
using http::Request;

namespace {

std::string day_field(const json::Fields& f, const char* key) {
  auto text = f.text(key, 10);
  auto day = parse_day(text);
  if (!day) throw invalid_field(f.name(key), fmt::format("{} is a date like 2026-12-01", key));
  return format_day(*day);
}

void require_owner(db::Db& db, const std::string& id) {
  auto user = auth::store::user_by_id(db, id);
  if (!user || user->disabled) throw invalid_field("owner_id", "owner_id is a person who may sign in (GET /api/v1/reports/owners)");
}

ActionNames names_of(db::Db& db, const Action& a) {
  ActionNames n;
  if (auto user = auth::store::user_by_id(db, a.owner_id))
    n.owner = user->display_name.empty() ? user->username : user->display_name;
  if (a.item_id) {
    auto heads = catalog::store::item_heads(db, {*a.item_id});
    if (auto it = heads.find(*a.item_id); it != heads.end()) {
      n.item_sku = it->second.sku;
      n.item_name = it->second.name;
    }
  }
  if (a.location_id)
    if (auto l = stock::load_location(db, *a.location_id)) n.location = l->name;
  return n;
}

bj::object json_of(db::Db& db, const Action& a) { return action_to_json(a, names_of(db, a), a.week); }

std::string serialized(db::Db& db, const Action& a) { return json::serialize(json_of(db, a)); }

void record(db::Db& db, const Actor& actor, const char* action, const Action& a,
            const std::optional<std::string>& before) {
  auto after = serialized(db, a);
  append_audit(db, actor, AuditEntry{action, "review_action", a.id, before, after});
  append_event(db, action, a.id, after);
}

}  // namespace

void register_action_routes(App& app) {
  auto& r = app.router;
  r.add("GET", "/api/v1/reports/actions", "reports.read",
        "The weekly review's actions: the week's own and earlier weeks' still open or closed this week (?week=)",
        [&app](Request& req, Reply reply) {
          Day day = day_of(now());
          if (auto w = req.query_param("week")) {
            auto d = parse_day(*w);
            if (!d) throw invalid_field("week", "week is a date like 2026-12-01 (any day of the week)");
            day = *d;
          }
          Day monday = week_of(day);
          auto week = format_day(monday);
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          bj::array list;
          for (const auto& a : store::actions_for_week(db, week, start_of(monday).micros))
            list.push_back(action_to_json(a, names_of(db, a), week));
          reply(http::json_response(200, bj::object{{"week", week},
                                                    {"week_to", format_day(monday + 6)},
                                                    {"actions", std::move(list)}}));
        });

  r.add("GET", "/api/v1/reports/owners", "reports.actions", "People who may own a review action (enabled users)",
        [&app](Request&, Reply reply) {
          bj::array people;
          for (const auto& u : auth::store::list_users(app.read()))
            if (!u.disabled)
              people.push_back(bj::object{{"id", u.id}, {"name", u.display_name.empty() ? u.username : u.display_name}});
          reply(http::json_response(200, bj::object{{"owners", std::move(people)}}));
        });

  r.add("POST", "/api/v1/reports/actions", "reports.actions",
        "Add an action to a week's review: note, owner, due date, optionally the KPI, item and location it is about",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "week", "note", "owner_id", "due_on", "kpi", "item_id", "location_id"});
          auto key = documents::document_key(req, body);
          Action a;
          a.note = f.text("note", action_note_bytes_max);
          if (a.note.empty()) throw invalid_field("note", "note says what is to be done");
          a.owner_id = f.text("owner_id", 64);
          a.due_on = day_field(f, "due_on");
          Day week_day = day_of(now());
          if (f.has("week")) week_day = *parse_day(day_field(f, "week"));
          a.week = format_day(week_of(week_day));
          if (auto k = f.opt_text("kpi", 32)) a.kpi = kpis.require(*k, "kpi");
          a.item_id = f.opt_text("item_id", 64);
          a.location_id = f.opt_text("location_id", 64);
          app.command(req, std::move(reply), [a = std::move(a), key, actor = req.actor](db::Db& db) mutable {
            auto claim = documents::claim(db, key, "review_action", "action", [&](const std::string& id) {
              return documents::prior_of(store::action_request_hash(db, id), key);
            });
            if (claim.replay) return http::json_response(200, json_of(db, *store::load_action(db, claim.id)));
            require_owner(db, a.owner_id);
            if (a.item_id && catalog::store::item_heads(db, {*a.item_id}).empty())
              throw invalid_field("item_id", "item_id names no item");
            if (a.location_id) stock::require_location(db, *a.location_id, "location_id");
            a.id = claim.id;
            a.created_at = now().micros;
            a.created_by = actor.user;
            store::insert_action(db, a, key.request_hash);
            documents::remember(db, key, "review_action", a.id);
            record(db, actor, "review_action.created", a, std::nullopt);
            auto response = http::json_response(201, json_of(db, a));
            response.header("Location", "/api/v1/reports/actions/" + a.id);
            return response;
          });
        });

  r.add("PATCH", "/api/v1/reports/actions/{id}", "reports.actions",
        "Change an action (If-Match or version): note, owner, due date; close it (done, dropped) with its outcome",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "action");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"version", "note", "owner_id", "due_on", "status", "outcome"});
          auto version = expected_version(req, &body);
          auto note = f.opt_text("note", action_note_bytes_max);
          if (note && note->empty()) throw invalid_field("note", "note says what is to be done");
          auto owner = f.opt_text("owner_id", 64);
          std::optional<std::string> due;
          if (f.has("due_on")) due = day_field(f, "due_on");
          std::optional<ActionStatus> status;
          if (auto s = f.opt_text("status", 16)) status = action_statuses.require(*s, "status");
          auto outcome = f.opt_text("outcome", action_outcome_bytes_max);
          app.command(req, std::move(reply), [=, actor = req.actor](db::Db& db) {
            auto a = store::load_action(db, id);
            if (!a) throw not_found("action", id);
            if (a->version != version)
              throw Problem(412, "version_mismatch",
                            fmt::format("the action changed meanwhile (version {}, not {}): reload it", a->version, version));
            auto before = serialized(db, *a);
            if (note) a->note = *note;
            if (owner) {
              require_owner(db, *owner);
              a->owner_id = *owner;
            }
            if (due) a->due_on = *due;
            if (outcome) a->outcome = *outcome;
            if (status && *status != a->status) {
              a->status = *status;
              if (*status == ActionStatus::open) {
                a->closed_at.reset();
                a->closed_by.reset();
              } else {
                a->closed_at = now().micros;
                a->closed_by = actor.user;
              }
            }
            if (a->status != ActionStatus::open && a->outcome.empty())
              throw invalid_field("outcome", "a closed action says its outcome");
            store::update_action(db, *a);
            a->version += 1;
            record(db, actor, "review_action.updated", *a, before);
            return http::json_response(200, json_of(db, *a));
          });
        });

  r.add("POST", "/api/v1/reports/actions/{id}/photos", "reports.actions",
        "Attach a photo of the problem shelf (the body is the image: image/jpeg, image/png or image/webp)",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "action");
          if (req.body.empty()) throw Problem(422, "missing_field", "send the photo as the request body", "photo");
          if (req.body.size() > action_photo_bytes_max)
            throw Problem(413, "body_too_large", fmt::format("a photo is at most {} bytes", action_photo_bytes_max));
          auto type = image_type(req.body);
          if (!type) throw Problem(415, "unsupported_media_type", "a photo is a JPEG, PNG or WebP image");
          app.command(req, std::move(reply), [id, type = *type, bytes = req.body, actor = req.actor](db::Db& db) {
            auto a = store::load_action(db, id);
            if (!a) throw not_found("action", id);
            if (store::photo_count(db, id) >= action_photos_max)
              throw Problem(409, "too_many_photos", fmt::format("an action keeps at most {} photos", action_photos_max));
            PhotoHead head{new_uuid_v7(), type, static_cast<std::int64_t>(bytes.size())};
            store::insert_photo(db, id, head, bytes, now().micros, actor.user);
            a->photos.push_back(head);
            append_audit(db, actor,
                         AuditEntry{"review_action.photo_added", "review_action", id, std::nullopt,
                                    json::serialize(bj::object{{"photo_id", head.id},
                                                               {"content_type", head.content_type},
                                                               {"bytes", head.bytes}})});
            append_event(db, "review_action.updated", id, serialized(db, *a));
            return http::json_response(201, json_of(db, *a));
          });
        });

  r.add("GET", "/api/v1/reports/actions/{id}/photos/{photo_id}", "reports.read", "A photo of an action, as its image",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req, 0, "action");
          auto photo_id = id_param(req, 1, "photo");
          auto photo = store::load_photo(app.read(), id, photo_id);
          if (!photo) throw not_found("photo", photo_id);
          http::Response resp;
          resp.content_type = photo->content_type;
          resp.body = std::move(photo->bytes);
          resp.header("cache-control", "private, max-age=86400");
          reply(std::move(resp));
        });
}

}  // namespace backroom::reports
