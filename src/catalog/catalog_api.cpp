// HTTP routes of the item master (docs/openapi.yaml: tags items, scan, settings).
#include "catalog/catalog_api.hpp"

#include <fmt/format.h>

#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"

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

}  // namespace

void register_catalog_routes(App& app) {
  auto& r = app.router;

  r.add("GET", "/api/v1/scan/{code}", "items.read", "Resolve a scanned or typed code to an item",
        [&app](Request& req, Reply reply) {
          auto result = scan(app.read(), req.param(0));
          reply(http::json_response(200, scan_to_json(result)));
        });

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
}

}  // namespace backroom::catalog
