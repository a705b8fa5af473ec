// Change requests (issue 21, docs/sync.md "Change requests"). On a store node master data
// (what head office's change feed carries: items with their barcodes and prices, scheduled
// price changes, tax, the shop settings of shop_settings.hpp) is read-only: a write of a
// route marked master_data is checked as a local write would be, nothing of it is kept, and
// it becomes a change request (202) kept in
// the node's database (migration 32, `sync_change_requests`). The node's puller pushes each
// to head office once (its id is the key) and learns head office's decision back. At head
// office a person with sync.manage applies it (the edit runs through head office's own route,
// as that person, who needs the route's permission too) or rejects it with a note.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "platform/actor.hpp"
#include "platform/app.hpp"
#include "platform/db.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {

// The routes whose writes are master data (docs/sync.md names the same set): each changes
// what the change feed carries. cli/routes.cpp marks them in the route table.
inline const std::vector<std::pair<std::string, std::string>> master_data_routes = {
    {"POST", "/api/v1/items"},
    {"PATCH", "/api/v1/items/{id}"},
    {"POST", "/api/v1/items/import"},
    {"POST", "/api/v1/items/{id}/barcodes"},
    {"DELETE", "/api/v1/items/{id}/barcodes/{code}"},
    {"POST", "/api/v1/price-changes"},
    {"POST", "/api/v1/price-changes/{id}/approve"},
    {"POST", "/api/v1/price-changes/{id}/reject"},
    {"PUT", "/api/v1/tax-categories/{code}"},
    // Head office's shop settings (sync/shop_settings.hpp).
    {"PUT", "/api/v1/settings/sales"},
    {"PUT", "/api/v1/settings/offline-returns"},
    {"PUT", "/api/v1/settings/barcodes"},
    {"PUT", "/api/v1/settings/stock"},
    {"PUT", "/api/v1/settings/purchasing"},
};

// The master-data route `method path` matches ("/api/v1/items/0193…" -> "/api/v1/items/{id}"),
// or nullopt: head office runs a node's request only on one of those routes. Pure.
std::optional<std::string> master_data_route_of(std::string_view method, std::string_view path);

inline constexpr std::size_t change_request_body_max = 512 * 1024;
inline constexpr std::size_t change_request_note_max = 500;
inline constexpr std::size_t change_requests_per_push_max = 100;
inline constexpr std::size_t pending_asked_per_push_max = 500;

struct ChangeRequest {
  std::string id;
  std::optional<std::string> node_id;      // at head office: the node that sent it; on the node: none
  std::optional<std::string> location_id;  // at head office: the node's store
  std::string method;
  std::string path;          // as asked (ids of head office's own items: the node has the same)
  std::string query;         // JSON array of [name, value]
  std::string route;         // the route's pattern
  std::string permission;    // what the route needs (the person applying must hold it)
  std::string action;        // the route's summary, for people
  std::string content_type;
  std::optional<std::string> if_match;
  std::string body;
  std::string subject;       // JSON {item: {id, sku, name}|null, text}: the node's names for display
  std::string requested_by;  // the node's user name
  std::int64_t requested_at = 0;
  std::string status = "pending";  // pending | applied | rejected
  std::optional<std::int64_t> decided_at;
  std::optional<std::string> decided_by;
  std::optional<std::string> note;
  std::optional<std::int64_t> result_status;  // head office's answer to the applied edit
  std::optional<std::int64_t> sent_at;        // on the node: when head office acknowledged it
  std::optional<std::string> location_name;   // read with the list's rows (not stored)
};

// Installs the divert of a store node (platform/master_data.hpp): every master-data write
// answers 202 with {change_request} and keeps the request (audited `sync_change_request.create`).
void divert_master_data();

// Node -> head office. The push body of the unsent requests, and what the node still
// believes pending (to learn decisions).
boost::json::object change_request_push(const ChangeRequest& c);
// Head office keeps those it does not hold yet (by id) for `node`; returns how many were new.
int receive_change_requests(db::Db& db, const Actor& actor, const Node& node, const std::vector<ChangeRequest>& list);
// What the node knows next: {id, status, decided_at, decided_by, note, result_status}.
boost::json::object decision_json(const ChangeRequest& c);

// Head office: the decision of a person. 409 already_decided when it is not pending.
ChangeRequest mark_applied(db::Db& db, const Actor& actor, const std::string& id, int result_status);
ChangeRequest reject_change_request(db::Db& db, const Actor& actor, const std::string& id, const std::string& note);

// GET /api/v1/sync/change-requests rows (names for people, never only ids).
boost::json::object change_request_to_json(db::Db& db, const ChangeRequest& c);

namespace store {
void insert_change_request(db::Db& db, const ChangeRequest& c);
// Inserts those not held yet; returns the ids it inserted.
std::vector<std::string> insert_change_requests(db::Db& db, const std::vector<ChangeRequest>& list);
std::optional<ChangeRequest> load_change_request(db::Db& db, const std::string& id);
// Newest first; ids below `before` when set.
std::vector<ChangeRequest> list_change_requests(db::Db& db, const std::optional<std::string>& status,
                                                const std::optional<std::string>& node_id,
                                                const std::optional<std::string>& before, int limit);
// On the node: not yet acknowledged by head office (oldest first), and sent but still pending.
std::vector<ChangeRequest> unsent_change_requests(db::Db& db, int limit);
std::vector<std::string> pending_sent_change_requests(db::Db& db, int limit);
void mark_change_requests_sent(db::Db& db, const std::vector<std::string>& ids, std::int64_t at);
// Of `ids`, those of `node_id` that are decided.
std::vector<ChangeRequest> decided_change_requests(db::Db& db, const std::string& node_id, const std::vector<std::string>& ids);
// Records a decision; false when the request was no longer pending.
bool decide_change_request(db::Db& db, const std::string& id, std::string_view status, std::int64_t at,
                           const std::string& by, const std::optional<std::string>& note,
                           std::optional<std::int64_t> result_status);
}  // namespace store

}  // namespace backroom::sync
