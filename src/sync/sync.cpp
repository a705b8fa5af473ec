// Store nodes at head office (sync/sync.hpp).
#include "sync/sync.hpp"

#include <fmt/format.h>

#include "access/audit.hpp"
#include "access/auth_admin.hpp"
#include "platform/ids.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"

namespace backroom::sync {

namespace bj = boost::json;

IssuedNode add_node(db::Db& db, const Actor& actor, const std::string& location_id) {
  auto location = stock::load_location(db, location_id);
  if (!location || !location->sellable)
    throw invalid_field("location_id", "a store node belongs to a store (a sellable location)");
  Node node;
  node.id = new_uuid_v7();
  node.location_id = location_id;
  node.created_at = now().micros;
  node.created_by = actor.user;
  // The key is granted on the authority of sync.manage, not the caller's own permissions.
  auto issued = auth::create_key(db, Actor::of(actor.user, actor.origin), fmt::format("node {}", node.id), node_role,
                                 {location_id}, std::nullopt);
  node.key_id = issued.row.id;
  store::insert_node(db, node);
  append_audit(db, actor, AuditEntry{"sync_node.add", "sync_node", node.id, std::nullopt,
                                     bj::serialize(bj::object{{"location_id", location_id}, {"key_id", node.key_id}})});
  return IssuedNode{node, issued.key};
}

int receive_documents(db::Db& db, const Node& node, const std::vector<store::Document>& documents) {
  return store::insert_documents(db, node, documents, now().micros);
}

void note_pull(db::Db& db, const std::string& node_id, std::int64_t queue_length) {
  store::touch_node(db, node_id, now().micros, queue_length);
}

bj::object node_to_json(db::Db& db, const Node& n) {
  auto location = stock::load_location(db, n.location_id);
  return bj::object{{"id", n.id},
                    {"location_id", n.location_id},
                    {"location_name", location ? location->name : std::string()},
                    {"key_id", n.key_id},
                    {"created_at", format_rfc3339(Timestamp{n.created_at})},
                    {"created_by", n.created_by},
                    {"last_sync_at", n.last_sync_at ? bj::value(format_rfc3339(Timestamp{*n.last_sync_at}))
                                                    : bj::value(nullptr)},
                    {"queue_length", n.queue_length},
                    {"documents_received", store::count_documents(db, n.id)}};
}

}  // namespace backroom::sync
