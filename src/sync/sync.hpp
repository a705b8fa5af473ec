// Store nodes and head office (issue 21, docs/sync.md). At head office a store node is a
// row in `sync_nodes` (migration 22) with an API key of the builtin role `store_node`
// scoped to the node's store: the key is shown once and stored hashed like every API key
// (access/auth_admin.hpp). The node authenticates with it (Bearer) and may pull only for its
// own store (the key's location scope).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "platform/actor.hpp"
#include "platform/db.hpp"

namespace backroom::sync {

inline constexpr const char* node_role = "store_node";

struct Node {
  std::string id;
  std::string location_id;
  std::string key_id;
  std::int64_t created_at = 0;
  std::string created_by;
  std::optional<std::int64_t> last_sync_at;
  std::int64_t queue_length = 0;
};

struct IssuedNode {
  Node node;
  std::string key;  // the only time the secret exists outside the node
};

// A node for the store `location_id` (a sellable location; 422 otherwise) and its key.
// `actor` needs sync.manage (the route's permission); the key's role is granted on that
// authority, so a manager need not hold the node's own permissions.
IssuedNode add_node(db::Db& db, const Actor& actor, const std::string& location_id);
// Records a pull: when, and the queue length the node reported.
void note_pull(db::Db& db, const std::string& node_id, std::int64_t queue_length);

// {id, location_id, location_name, key_id, created_at, created_by, last_sync_at, queue_length}
boost::json::object node_to_json(db::Db& db, const Node& node);

namespace store {
void insert_node(db::Db& db, const Node& node);
std::vector<Node> list_nodes(db::Db& db);
std::optional<Node> node_by_key(db::Db& db, const std::string& key_id);
void touch_node(db::Db& db, const std::string& id, std::int64_t at, std::int64_t queue_length);
// Inside a transaction on SQLite: foreign keys are checked at commit (a node applying a page
// of head office's feed in which a kit comes before its component).
void defer_foreign_keys(db::Db& db);
struct Document {
  std::string id;  // the node's event id
  std::string type;
  std::string entity_id;
  std::string payload;  // JSON
  std::int64_t node_at = 0;
};
// Keeps those of `documents` head office does not hold yet (by id; a repeat within the batch
// counts once) and returns how many it kept. Two round trips for a batch on PostgreSQL, not
// two a document; safe against another process keeping the same one at the same time.
int insert_documents(db::Db& db, const Node& node, const std::vector<Document>& documents, std::int64_t at);
std::int64_t count_documents(db::Db& db, const std::string& node_id);
}  // namespace store

// Keeps the documents a node pushed, each once by id; returns how many were new.
int receive_documents(db::Db& db, const Node& node, const std::vector<store::Document>& documents);

}  // namespace backroom::sync
