// HTTP routes of the item master (docs/openapi.yaml: tags items, scan, settings).
#include "catalog/catalog_api.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "access/audit.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/changes.hpp"
#include "catalog/photo.hpp"
#include "catalog/scan_prefetch.hpp"
#include "platform/metrics.hpp"
#include "platform/http_prefetch.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/text.hpp"

namespace backroom::catalog {

namespace bj = boost::json;
using http::Reply;
using http::Request;
using http::Response;

namespace {

Response item_response(int status, const Item& item) {
  auto r = http::json_response(status, item_to_json(item));
  r.header("ETag", etag(item.version));
  return r;
}

std::string item_id_param(const Request& req) {
  auto id = normalize_uuid(req.param(0));
  if (!id) throw Problem(404, "not_found", fmt::format("item '{}' does not exist", req.param(0).substr(0, 64)));
  return *id;
}

bool valid_tax_category_code(std::string_view code) {
  if (code.empty() || code.size() > 40) return false;
  for (char c : code)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

void register_catalog_routes(App& app) {
  auto& r = app.router;

  // The scan's statement goes with the guard's (the API key and its grants) in one round trip
  // on PostgreSQL; its answer is read only once the guard let the request through.
  r.add("GET", "/api/v1/scan/{code}", "items.read", "Resolve a scanned or typed code to an item",
        http::PrefetchingHandler{[&app](const Request& req) {
                                   auto& db = app.read();
                                   prefetch_scan(db, req.param(0));
                                   return db::Prefetched(db);
                                 },
                                 [&app](Request& req, Reply reply) {
                                   auto result = scan(app.read(), req.param(0));
                                   metrics::global().scans.fetch_add(1, std::memory_order_relaxed);
                                   reply(http::json_response(200, scan_to_json(result)));
                                 }});

  r.add("GET", "/api/v1/items", "items.read", "Search and page through items", [&app](Request& req, Reply reply) {
    store::ItemFilter filter;
    filter.limit = page_limit(req);
    filter.q = req.query_param("q").value_or("");
    filter.category = req.query_param("category").value_or("");
    filter.status = req.query_param("status").value_or("");
    filter.kind = req.query_param("kind").value_or("");
    filter.parent_id = req.query_param("parent_id").value_or("");
    filter.after_id = req.query_param("cursor").value_or("");
    if (filter.q.size() > 200) throw invalid_field("q", "q is longer than 200 bytes");
    if (!filter.after_id.empty() && !is_uuid(filter.after_id))
      throw invalid_field("cursor", "cursor must be the next_cursor of a previous page");
    auto items = store::list_items(app.read(), filter);
    bj::object out;
    bool more = static_cast<int>(items.size()) > filter.limit;
    if (more) items.pop_back();
    bj::array list;
    for (const auto& it : items) list.push_back(item_to_json(it));
    out["items"] = std::move(list);
    out["next_cursor"] = more ? bj::value(items.back().id) : bj::value(nullptr);
    reply(http::json_response(200, out));
  });

  r.add("POST", "/api/v1/items", "items.create", "Create an item", [&app](Request& req, Reply reply) {
    auto body = json::parse_object(req.body);
    Actor actor = req.actor;
    app.command(req, std::move(reply), [body = std::move(body), actor](db::Db& db) {
      auto result = create_item(db, actor, body);
      auto json = item_to_json(result.item);
      if (!result.possible_duplicates.empty()) {
        bj::array ids;
        for (const auto& id : result.possible_duplicates) ids.push_back(bj::value(id));
        json["possible_duplicates"] = std::move(ids);
      }
      auto response = http::json_response(result.replayed ? 200 : 201, json);
      response.header("ETag", etag(result.item.version));
      response.header("Location", "/api/v1/items/" + result.item.id);
      return response;
    });
  });

  r.add("GET", "/api/v1/items/duplicates", "items.read", "Groups of active items that look like duplicates",
        [&app](Request& req, Reply reply) {
          auto groups = store::duplicate_groups(app.read(), page_limit(req));
          bj::array out;
          for (const auto& group : groups) {
            bj::array items;
            for (const auto& it : group) items.push_back(item_to_json(it));
            out.push_back(bj::object{{"key", duplicate_key(group.front())}, {"items", std::move(items)}});
          }
          reply(http::json_response(200, bj::object{{"groups", std::move(out)}}));
        });

  r.add("GET", "/api/v1/items/{id}", "items.read", "Read one item", [&app](Request& req, Reply reply) {
    auto id = item_id_param(req);
    auto item = store::load_item(app.read(), id);
    if (!item) throw not_found("item", id);
    if (auto none_match = req.header("if-none-match"); none_match && *none_match == etag(item->version)) {
      Response r;
      r.status = 304;
      r.header("ETag", etag(item->version));
      reply(std::move(r));
      return;
    }
    reply(item_response(200, *item));
  });

  r.add("PATCH", "/api/v1/items/{id}", "items.update", "Change an item (If-Match required)",
        [&app](Request& req, Reply reply) {
          auto id = item_id_param(req);
          auto body = json::parse_object(req.body);
          auto version = expected_version(req, &body);
          body.erase("version");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [id, version, body = std::move(body), actor](db::Db& db) {
            return item_response(200, update_item(db, actor, id, version, body));
          });
        });

  r.add("POST", "/api/v1/items/{id}/barcodes", "items.barcodes", "Add a barcode to an item (or issue an internal one)",
        [&app](Request& req, Reply reply) {
          auto id = item_id_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"code", "pack_quantity", "internal", "prefix"});
          auto pack = f.opt_quantity("pack_quantity").value_or(Quantity::units(1));
          if (pack.milli <= 0) throw invalid_field("pack_quantity", "pack_quantity must be greater than 0");
          bool internal = f.opt_boolean("internal").value_or(false);
          auto code = f.opt_identifier("code", barcode_text_length_max);
          auto prefix = f.opt_text("prefix", 3).value_or("");
          if (!internal && !code) throw Problem(422, "missing_field", "give 'code', or 'internal': true to issue one", "code");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            Item item = internal ? add_internal_barcode(db, actor, id, prefix, pack) : add_barcode(db, actor, id, *code, pack);
            return item_response(201, item);
          });
        });

  r.add("DELETE", "/api/v1/items/{id}/barcodes/{code}", "items.barcodes", "Remove a barcode from an item",
        [&app](Request& req, Reply reply) {
          auto id = item_id_param(req);
          std::string code = req.param(1);
          Actor actor = req.actor;
          app.command(req, std::move(reply),
                      [=](db::Db& db) { return item_response(200, remove_barcode(db, actor, id, code)); });
        });

  r.add("GET", "/api/v1/items/{id}/photo", "items.read", "The item's photo (JPEG, PNG or WebP; ETag, 304 when unchanged)",
        [&app](Request& req, Reply reply) {
          auto id = item_id_param(req);
          auto photo = store::load_photo(app.read(), id);
          if (!photo) throw Problem(404, "no_photo", fmt::format("item '{}' has no photo", id));
          reply(photo_response(std::move(*photo), req.header("if-none-match")));
        });

  r.add("PUT", "/api/v1/items/{id}/photo", "items.update",
        "Set the item's photo: the picture itself as the body, Content-Type image/jpeg, image/png or image/webp, at most 256 KiB",
        [&app](Request& req, Reply reply) {
          auto id = item_id_param(req);
          std::string type(req.header("content-type").value_or(""));
          if (!photo_type_of(type))
            throw Problem(415, "unsupported_photo_type",
                          fmt::format("a photo is sent as image/jpeg, image/png or image/webp, not '{}'", type.substr(0, 64)),
                          "content-type");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [id, type, body = req.body, actor](db::Db& db) {
            auto etag = put_photo(db, actor, id, type, body);
            return http::json_response(200, bj::object{{"item_id", id},
                                                       {"content_type", content_type_of(*photo_type_of(type))},
                                                       {"bytes", body.size()},
                                                       {"etag", etag},
                                                       {"url", fmt::format("/api/v1/items/{}/photo", id)}});
          });
        });

  r.add("DELETE", "/api/v1/items/{id}/photo", "items.update", "Remove the item's photo",
        [&app](Request& req, Reply reply) {
          auto id = item_id_param(req);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [id, actor](db::Db& db) {
            if (!remove_photo(db, actor, id)) throw Problem(404, "no_photo", fmt::format("item '{}' has no photo", id));
            return http::json_response(200, bj::object{{"item_id", id}, {"removed", true}});
          });
        });

  r.add("GET", "/api/v1/settings/barcodes", "items.read", "Internal prefixes and price/weight-embedded layouts",
        [&app](Request&, Reply reply) {
          reply(http::json_response(200, barcode_settings_to_json(barcode_settings(app.read()))));
        });

  r.add("PUT", "/api/v1/settings/barcodes", "settings.write", "Replace barcode prefixes and layouts",
        [&app](Request& req, Reply reply) {
          auto settings = barcode_settings_from_json(json::parse_object(req.body));
          Actor actor = req.actor;
          app.command(req, std::move(reply), [settings, actor](db::Db& db) {
            set_barcode_settings(db, actor, settings);
            return http::json_response(200, barcode_settings_to_json(settings));
          });
        });

  r.add("GET", "/api/v1/catalog/changes", "items.read",
        "Items (with barcodes and prices), scheduled price changes and the tax table changed after a cursor, each "
        "once, in order (a register's offline copy)",
        [&app](Request& req, Reply reply) {
          auto cursor = number_cursor(req, 0, 0);
          int limit = page_limit(req);
          if (auto location = req.query_param("location")) {
            auto id = normalize_uuid(*location);
            if (!id) throw invalid_field("location", "location is a location id");
            const auto& scope = req.actor.location_ids;
            if (!scope.empty() && std::find(scope.begin(), scope.end(), *id) == scope.end())
              throw Problem(403, "forbidden", fmt::format("this key may not act at location {}", *id));
          }
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto page = changes_after(db, cursor, limit);
          reply(http::json_response(200, bj::object{{"changes", std::move(page.changes)},
                                                    {"next_cursor", std::to_string(page.next_cursor)},
                                                    {"more", page.more}}));
        });

  r.add("GET", "/api/v1/tax-categories", "items.read", "Tax categories with their rates, and the shop's default",
        [&app](Request&, Reply reply) { reply(http::json_response(200, tax_categories_to_json(app.read()))); });

  r.add("PUT", "/api/v1/tax-categories/{code}", "settings.write",
        "Add or change a tax category (name, rate in basis points), optionally making it the default",
        [&app](Request& req, Reply reply) {
          std::string code = req.param(0);
          if (!valid_tax_category_code(code))
            throw invalid_field("code", "a tax category code is 1 to 40 characters of a-z, 0-9, _ or -");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"name", "rate", "default"});
          auto name = std::string(text::trim(f.text("name", tax_category_name_length_max)));
          if (name.empty()) throw invalid_field("name", "name must not be blank");
          store::TaxCategory category{code, name, f.integer("rate", 0, tax_category_rate_bp_max)};
          bool make_default = f.opt_boolean("default").value_or(false);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto before = tax_categories_to_json(db);
            store::put_tax_category(db, category, make_default);
            auto after = tax_categories_to_json(db);
            append_audit(db, actor, AuditEntry{"tax_category.put", "tax_category", category.code,
                                               bj::serialize(before), bj::serialize(after)});
            append_event(db, "tax_category.changed", category.code,
                         bj::serialize(bj::object{{"code", category.code}, {"name", category.name},
                                                  {"rate", category.rate_bp}, {"default", make_default}}));
            return http::json_response(200, after);
          });
        });
}

}  // namespace backroom::catalog
