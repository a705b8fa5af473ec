// HTTP routes of store nodes at head office (sync/sync.hpp): node keys (sync.manage) and the
// change feed a node pulls with its own key (sync.node).
#include "sync/sync_api.hpp"

#include <fmt/format.h>

#include <memory>
#include <vector>
#include <optional>

#include "access/permissions.hpp"
#include "catalog/changes.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "platform/types.hpp"
#include "sync/puller.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {
inline constexpr std::int64_t queue_length_max = 1'000'000'000;
inline constexpr std::size_t documents_per_push_max = 500;

std::vector<store::Document> read_documents(const bj::object& body) {
  json::Fields f{body, ""};
  f.only({"documents"});
  auto list = f.opt_array("documents");
  if (!list) throw missing_field("documents");
  if (list->size() > documents_per_push_max)
    throw invalid_field("documents", fmt::format("at most {} documents a push", documents_per_push_max));
  std::vector<store::Document> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string path = fmt::format("documents[{}]", i);
    if (!(*list)[i].is_object()) throw invalid_field(path, "a document is an object");
    json::Fields d{(*list)[i].get_object(), path};
    d.only({"id", "type", "entity_id", "at", "payload"});
    store::Document doc;
    auto id = d.opt_text("id", 64);
    if (!id) throw missing_field(d.name("id"));
    auto uuid = normalize_uuid(*id);
    if (!uuid) throw invalid_field(d.name("id"), "a document id is a UUID");
    doc.id = *uuid;
    auto type = d.opt_identifier("type", 40);
    if (!type) throw missing_field(d.name("type"));
    doc.type = *type;
    auto entity = d.opt_identifier("entity_id", 64);
    if (!entity) throw missing_field(d.name("entity_id"));
    doc.entity_id = *entity;
    auto at = d.opt_text("at", 40);
    auto parsed = at ? parse_rfc3339(*at) : std::nullopt;
    if (!parsed) throw invalid_field(d.name("at"), "at is the node's time of the document (RFC 3339)");
    doc.node_at = parsed->micros;
    auto payload = d.opt_object("payload");
    if (!payload) throw missing_field(d.name("payload"));
    doc.payload = bj::serialize(*payload);
    out.push_back(std::move(doc));
  }
  return out;
}
}  // namespace

void register_sync_routes(App& app) {
  auto& r = app.router;
  r.add("GET", "/api/v1/sync/nodes", std::string(permission::sync_manage),
        "Store nodes: their store, when each last pulled and how many documents it reported waiting",
        [&app](Request&, Reply reply) {
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          bj::array nodes;
          for (const auto& n : store::list_nodes(db)) nodes.push_back(node_to_json(db, n));
          reply(http::json_response(200, bj::object{{"nodes", std::move(nodes)}}));
        });

  r.add("POST", "/api/v1/sync/nodes", std::string(permission::sync_manage),
        "Add a store node for a store; its key is in this response only", [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"location_id"});
          auto raw = f.opt_text("location_id", 64);
          if (!raw) throw missing_field("location_id");
          auto location_id = normalize_uuid(*raw);
          if (!location_id) throw invalid_field("location_id", "location_id is a location id");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=, id = *location_id](db::Db& db) {
            auto issued = add_node(db, actor, id);
            auto json = node_to_json(db, issued.node);
            json["key"] = issued.key;
            return http::json_response(201, json);
          });
        });
  r.set_idempotency("POST", "/api/v1/sync/nodes", http::Idempotency::stored_sealed,
                    "the answer holds the node's key, shown once");

  r.add("POST", "/api/v1/sync/documents", std::string(permission::sync_node),
        "A store node pushes its documents (sales, voids, returns, exchanges) in a batch; each is kept once by its id",
        [&app](Request& req, Reply reply) {
          auto documents = read_documents(json::parse_object(req.body));
          auto node = store::node_by_key(app.read(), req.actor.user_id);
          if (!node) throw Problem(403, "not_a_node", "documents are pushed with a store node's key");
          app.command(req, std::move(reply), [node = *node, documents = std::move(documents)](db::Db& db) {
            int fresh = receive_documents(db, node, documents);
            return http::json_response(200, bj::object{{"received", static_cast<std::int64_t>(documents.size())},
                                                        {"new", fresh},
                                                        {"duplicates", static_cast<std::int64_t>(documents.size()) - fresh}});
          });
        });

  r.add("GET", "/api/v1/sync/status", std::string(permission::registers_read),
        "This server's link to head office: online, offline since, last sync, the feed cursor",
        [&app](Request&, Reply reply) {
          auto& db = app.read();
          db::ReadSnapshot snapshot(db);
          auto cursor = settings::get_int64(db, upstream_cursor_setting).value_or(0);
          auto link = link_status();
          auto json = link_status_to_json(link, cursor);
          json["queue_length"] = link.node ? waiting_documents(db) : 0;
          reply(http::json_response(200, json));
        });

  r.add("GET", "/api/v1/sync/changes", std::string(permission::sync_node),
        "A store node pulls the catalog change feed after its cursor (items with barcodes and prices, scheduled price "
        "changes, tax); queue_length reports its waiting documents",
        [&app](Request& req, Reply reply) {
          auto cursor = number_cursor(req, 0, 0);
          int limit = page_limit(req);
          std::int64_t queue_length = 0;
          if (auto q = req.query_param("queue_length")) {
            try {
              std::size_t used = 0;
              queue_length = std::stoll(*q, &used);
              if (used != q->size() || queue_length < 0 || queue_length > queue_length_max) throw std::out_of_range("");
            } catch (const std::exception&) {
              throw invalid_field("queue_length", "queue_length is a count of documents");
            }
          }
          std::string key_id = req.actor.user_id;
          // The page is read on a reader (a snapshot); the writer only records the pull. A
          // caller that is not a node (an admin looking) reads the feed and records nothing.
          auto& reader = app.read();
          std::optional<Node> node;
          auto answer = std::make_shared<http::Response>();
          {
            db::ReadSnapshot snapshot(reader);
            node = store::node_by_key(reader, key_id);
            auto page = catalog::changes_after(reader, cursor, limit);
            *answer = http::json_response(200, bj::object{{"changes", std::move(page.changes)},
                                                           {"next_cursor", std::to_string(page.next_cursor)},
                                                           {"more", page.more}});
          }
          if (!node) return reply(std::move(*answer));
          app.command(req, std::move(reply), [answer, id = node->id, queue_length](db::Db& db) {
            note_pull(db, id, queue_length);
            return *answer;
          });
        });
}

}  // namespace backroom::sync
