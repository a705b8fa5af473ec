// HTTP routes of cycle counts: settings, ABC classes and pins, today's list, counts, their
// lines (blind), approval, photos, and count accuracy for the KPI review.
#include "counts/counts_api.hpp"

#include <fmt/format.h>

#include <charconv>

#include "access/permissions.hpp"
#include "catalog/catalog_store.hpp"
#include "counts/counts_store.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "stock/stock.hpp"

namespace backroom::counts {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

std::string uuid_query(const Request& req, const char* name, bool required) {
  auto v = req.query_param(name);
  if (!v || v->empty()) {
    if (required) throw missing_field(name);
    return "";
  }
  auto id = normalize_uuid(*v);
  if (!id) throw invalid_field(name, fmt::format("{} must be a UUID", name));
  return *id;
}

std::string uuid_field(const json::Fields& f, std::string_view key) {
  auto id = normalize_uuid(f.text(key, 64));
  if (!id) throw invalid_field(f.name(key), fmt::format("{} must be a UUID", key));
  return *id;
}

Date date_query(const Request& req, const char* name, Date otherwise) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return otherwise;
  auto d = parse_date(*v);
  if (!d) throw invalid_field(name, fmt::format("{} is a date, YYYY-MM-DD", name));
  return *d;
}

bj::object class_rows_json(db::Db& db, const std::vector<ClassRow>& rows) {
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.item_id);
  auto heads = catalog::store::item_heads(db, ids);
  bj::array items;
  for (const auto& r : rows) {
    const auto& h = heads[r.item_id];
    items.push_back(bj::object{{"item_id", r.item_id},
                               {"sku", h.sku},
                               {"name", h.name},
                               {"class", word(r.count_class)},
                               {"units_sold", json::quantity_value(Quantity{r.units_sold})},
                               {"value", r.value},
                               {"pinned", r.pinned}});
  }
  return bj::object{{"items", std::move(items)}};
}

bj::object classes_json(db::Db& db, const std::string& location_id, std::optional<CountClass> only, int offset,
                        int limit) {
  auto run = class_run(db, location_id);
  auto rows = list_classes(db, location_id, only, offset, limit + 1);
  bool more = static_cast<int>(rows.size()) > limit;
  if (more) rows.pop_back();
  auto doc = class_rows_json(db, rows);
  auto sizes = class_sizes(db, location_id);
  doc["location_id"] = location_id;
  doc["computed_at"] = run ? bj::value(format_rfc3339(Timestamp{run->computed_at})) : bj::value(nullptr);
  doc["total_value"] = run ? run->total_value : 0;
  doc["cutoffs"] = bj::object{{"a_percent", run ? run->cutoffs.a_percent : 0}, {"b_percent", run ? run->cutoffs.b_percent : 0}};
  doc["sizes"] = bj::object{{"A", sizes["A"]}, {"B", sizes["B"]}, {"C", sizes["C"]}};
  doc["next_cursor"] = more ? bj::value(std::to_string(offset + limit)) : bj::value(nullptr);
  return doc;
}

bj::object today_json(db::Db& db, const std::string& location_id, Date day) {
  auto due = due_items(db, location_id, day);
  std::vector<std::string> ids;
  for (const auto& d : due) ids.push_back(d.item_id);
  auto heads = catalog::store::item_heads(db, ids);
  bj::array items;
  for (const auto& d : due) {
    const auto& h = heads[d.item_id];
    items.push_back(bj::object{{"item_id", d.item_id},
                               {"sku", h.sku},
                               {"name", h.name},
                               {"category", h.category},
                               {"class", word(d.count_class)}});
  }
  return bj::object{{"location_id", location_id},
                    {"date", format_date(day)},
                    {"working_day", load_settings(db).working_days.works_on(day)},
                    {"items", std::move(items)}};
}

http::Response posted_response(const Posted& p) {
  return http::json_response(p.replayed ? 200 : 201, p.document);
}

}  // namespace

void register_count_routes(App& app) {
  auto& r = app.router;
  namespace p = permission;

  r.add("GET", "/api/v1/counts/settings", std::string(p::counts_manage),
        "ABC cut-offs, count frequencies, working days and tolerance per class", [&app](Request&, Reply reply) {
          reply(http::json_response(200, settings_to_json(load_settings(app.read()))));
        });

  r.add("PUT", "/api/v1/counts/settings", std::string(p::counts_manage),
        "Set ABC cut-offs, count frequencies, working days and tolerance per class", [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          auto s = settings_from_json(body);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [s, actor](db::Db& db) {
            save_settings(db, actor, s);
            return http::json_response(200, settings_to_json(s));
          });
        });

  r.add("GET", "/api/v1/counts/classes", std::string(p::counts_manage),
        "ABC classes of a location by 12-month consumption value (recomputed when a week old)",
        [&app](Request& req, Reply reply) {
          auto location = uuid_query(req, "location_id", true);
          std::optional<CountClass> only;
          if (auto c = req.query_param("class"); c && !c->empty()) only = count_classes.require(*c, "class");
          int limit = page_limit(req);
          int offset = 0;
          if (auto c = req.query_param("cursor"); c && !c->empty()) {
            auto [end, ec] = std::from_chars(c->data(), c->data() + c->size(), offset);
            if (ec != std::errc() || end != c->data() + c->size() || offset < 0)
              throw invalid_field("cursor", "cursor must be the next_cursor of a previous page");
          }
          auto& db = app.read();
          if (!stock::load_location(db, location)) throw invalid_field("location_id", fmt::format("location '{}' does not exist", location));
          stock::check_location_scope(req.actor, location);
          if (!classes_stale(db, location, now())) {
            reply(http::json_response(200, classes_json(db, location, only, offset, limit)));
            return;
          }
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& wdb) {
            if (classes_stale(wdb, location, now())) recompute_classes(wdb, actor, location, now());
            return http::json_response(200, classes_json(wdb, location, only, offset, limit));
          });
        });

  r.add("POST", "/api/v1/counts/classes/recompute", std::string(p::counts_manage),
        "Recompute a location's ABC classes now", [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"location_id"});
          auto location = uuid_field(f, "location_id");
          stock::check_location_scope(req.actor, location);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            recompute_classes(db, actor, location, now());
            return http::json_response(200, classes_json(db, location, std::nullopt, 0, page_limit_default));
          });
        });

  r.add("POST", "/api/v1/counts/classes/pins", std::string(p::counts_manage),
        "Pin an item to a class at a location (class null removes the pin)", [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"location_id", "item_id", "class"});
          auto location = uuid_field(f, "location_id");
          auto item = uuid_field(f, "item_id");
          if (!body.contains("class")) throw missing_field("class");
          std::optional<CountClass> cls;
          if (auto c = f.opt_text("class", 4)) cls = count_classes.require(*c, "class");
          stock::check_location_scope(req.actor, location);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            pin_class(db, actor, location, item, cls);
            return http::json_response(200, bj::object{{"location_id", location},
                                                       {"item_id", item},
                                                       {"class", cls ? bj::value(word(*cls)) : bj::value(nullptr)}});
          });
        });

  r.add("GET", "/api/v1/counts/today", std::string(p::counts_count),
        "What a location counts today (or on ?date=), spread over its working days", [&app](Request& req, Reply reply) {
          auto location = uuid_query(req, "location_id", true);
          Date day = date_query(req, "date", date_of(now()));
          auto& db = app.read();
          if (!stock::load_location(db, location)) throw invalid_field("location_id", fmt::format("location '{}' does not exist", location));
          stock::check_location_scope(req.actor, location);
          if (!classes_stale(db, location, now())) {
            reply(http::json_response(200, today_json(db, location, day)));
            return;
          }
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& wdb) {
            if (classes_stale(wdb, location, now())) recompute_classes(wdb, actor, location, now());
            return http::json_response(200, today_json(wdb, location, day));
          });
        });

  r.add("GET", "/api/v1/counts/accuracy", std::string(p::reports_read),
        "Count accuracy by class: approved lines within tolerance, from..to (dates, inclusive)",
        [&app](Request& req, Reply reply) {
          Date today = date_of(now());
          Date from = date_query(req, "from", today), to = date_query(req, "to", today);
          if (to < from) throw invalid_field("to", "to is on or after from");
          auto location = uuid_query(req, "location_id", false);
          constexpr std::int64_t day_micros = 86'400'000'000;
          auto rows = count_accuracy(app.read(), Timestamp{days_from_civil(from) * day_micros},
                                     Timestamp{(days_from_civil(to) + 1) * day_micros}, location);
          bj::array classes;
          for (const auto& a : rows)
            classes.push_back(bj::object{{"class", word(a.count_class)},
                                         {"lines", a.lines},
                                         {"within_tolerance", a.within_tolerance}});
          reply(http::json_response(200, bj::object{{"from", format_date(from)},
                                                    {"to", format_date(to)},
                                                    {"location_id", location.empty() ? bj::value(nullptr) : bj::value(location)},
                                                    {"classes", std::move(classes)}}));
        });

  r.add("GET", "/api/v1/counts", std::string(p::counts_count), "Counts, newest first (by location, status)",
        [&app](Request& req, Reply reply) {
          CountFilter f;
          f.location_id = uuid_query(req, "location_id", false);
          if (auto s = req.query_param("status"); s && !s->empty()) f.status = count_statuses.require(*s, "status");
          f.limit = page_limit(req);
          bj::array list;
          for (auto& c : list_counts(app.read(), f)) list.push_back(std::move(c));
          reply(http::json_response(200, bj::object{{"counts", std::move(list)}}));
        });

  r.add("POST", "/api/v1/counts", std::string(p::counts_count),
        "Start a count: today's plan (counts.count) or an ad-hoc list (counts.manage)", [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "location_id", "item_ids", "plan", "supplier_id", "date"});
          CreateCount in;
          in.key = documents::document_key(req, body);
          in.location_id = uuid_field(f, "location_id");
          int sources = (f.has("item_ids") ? 1 : 0) + (f.has("plan") ? 1 : 0) + (f.has("supplier_id") ? 1 : 0);
          if (sources != 1) throw invalid_field("plan", "give one of item_ids, plan or supplier_id");
          if (auto* ids = f.opt_array("item_ids")) {
            in.kind = CountKind::items;
            if (ids->empty()) throw invalid_field("item_ids", "item_ids lists at least one item");
            if (ids->size() > count_items_max)
              throw invalid_field("item_ids", fmt::format("at most {} items per count", count_items_max));
            for (std::size_t i = 0; i < ids->size(); ++i) {
              auto field = fmt::format("item_ids[{}]", i);
              if (!(*ids)[i].is_string()) throw invalid_field(field, "an item id is a string");
              auto id = normalize_uuid(std::string((*ids)[i].as_string()));
              if (!id) throw invalid_field(field, "an item id is a UUID");
              in.item_ids.push_back(*id);
            }
          } else if (f.has("supplier_id")) {
            in.kind = CountKind::supplier;
            in.supplier_id = uuid_field(f, "supplier_id");
          } else {
            auto plan = f.text("plan", 20);
            if (plan == "today") {
              in.kind = CountKind::plan;
            } else if (plan == "negative") {
              in.kind = CountKind::negative;
            } else if (plan == "recent_variance") {
              in.kind = CountKind::variance;
            } else {
              throw invalid_field("plan", "plan is today, negative or recent_variance");
            }
          }
          in.plan_date = date_of(now());
          if (auto d = f.opt_text("date", 10)) {
            if (in.kind != CountKind::plan) throw invalid_field("date", "date goes with plan: today");
            auto parsed = parse_date(*d);
            if (!parsed) throw invalid_field("date", "date is YYYY-MM-DD");
            in.plan_date = *parsed;
          }
          if (in.kind != CountKind::plan && !req.actor.can(p::counts_manage))
            throw Problem(403, "forbidden", "an ad-hoc count needs counts.manage; counters start today's plan");
          stock::check_location_scope(req.actor, in.location_id);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [in, actor](db::Db& db) { return posted_response(create_count(db, actor, in)); });
        });

  r.add("GET", "/api/v1/counts/{id}", std::string(p::counts_count),
        "A count: what to count (blind); with counts.approve also entries, variances and flags",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "count");
          auto doc = load_count(app.read(), id, req.actor, req.actor.can(p::counts_approve));
          if (!doc) throw not_found("count", id);
          reply(http::json_response(200, *doc));
        });

  r.add("POST", "/api/v1/counts/{id}/lines", std::string(p::counts_count),
        "Record a counted line (the same item by another person is the recount)", [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "count");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "item_id", "counted", "counted_at", "photo"});
          LineInput in;
          in.key = documents::document_key(req, body);
          in.item_id = uuid_field(f, "item_id");
          in.counted = f.quantity("counted");
          if (in.counted.milli < 0) throw invalid_field("counted", "counted is 0 or more");
          if (auto t = f.opt_text("counted_at", 40)) {
            in.counted_at = parse_rfc3339(*t);
            if (!in.counted_at) throw invalid_field("counted_at", "counted_at is an RFC 3339 time, e.g. 2026-01-31T18:00:00Z");
          }
          if (f.has("photo")) {
            const auto& v = body.at("photo");
            if (!v.is_string()) throw invalid_field("photo", "photo is a data: URL");
            if (v.as_string().size() > photo_data_url_bytes_max)
              throw invalid_field("photo", fmt::format("photo is at most {} KB", photo_data_url_bytes_max / 1024));
            in.photo = std::string(v.as_string());
          }
          Actor actor = req.actor;
          app.command(req, std::move(reply), [id, in, actor](db::Db& db) { return posted_response(post_line(db, actor, id, in)); });
        });

  r.add("POST", "/api/v1/counts/{id}/approve", std::string(p::counts_approve),
        "Approve a count: post each variance with its reason code (by someone who counted none of it)",
        [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "count");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"reasons"});
          std::map<std::string, VarianceReason> reasons;
          if (auto* list = f.opt_array("reasons")) {
            if (list->size() > count_items_max)
              throw invalid_field("reasons", fmt::format("at most {} reasons", count_items_max));
            for (std::size_t i = 0; i < list->size(); ++i) {
              auto path = fmt::format("reasons[{}]", i);
              if (!(*list)[i].is_object()) throw invalid_field(path, "a reason is an object {item_id, reason}");
              json::Fields rf{(*list)[i].get_object(), path};
              rf.only({"item_id", "reason"});
              auto item = uuid_field(rf, "item_id");
              auto reason = variance_reasons.require(rf.text("reason", 40), rf.name("reason"));
              if (!reasons.emplace(item, reason).second)
                throw invalid_field(rf.name("item_id"), "one reason per item");
            }
          } else if (body.contains("reasons")) {
            throw invalid_field("reasons", "reasons is a list of {item_id, reason}");
          }
          Actor actor = req.actor;
          app.command(req, std::move(reply), [id, reasons, actor](db::Db& db) {
            return http::json_response(200, approve_count(db, actor, id, reasons));
          });
        });

  r.add("GET", "/api/v1/counts/{id}/photos/{photo_id}", std::string(p::counts_approve),
        "A photo taken while counting, as a data: URL", [&app](Request& req, Reply reply) {
          auto id = documents::id_param(req, 0, "count");
          auto photo = documents::id_param(req, 1, "photo");
          auto doc = load_photo(app.read(), id, photo);
          if (!doc) throw not_found("photo", photo);
          reply(http::json_response(200, *doc));
        });
}

}  // namespace backroom::counts
