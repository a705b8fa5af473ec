// Store nodes and head office (issue 21, docs/sync.md). At head office a store node is a
// row in `sync_nodes` (migration 22) with an API key of the builtin role `store_node`
// scoped to the node's store: the key is shown once and stored hashed like every API key
// (access/auth_admin.hpp). The node authenticates with it (Bearer) and may pull only for its
// own store (the key's location scope).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "platform/actor.hpp"
#include "platform/db.hpp"
#include "platform/vocabulary.hpp"
#include "sync/hlc.hpp"

namespace backroom::sync {

inline constexpr const char* node_role = "store_node";
// The document type of the stock movements head office books for a node's document.
inline constexpr std::string_view node_document_type = "node_document";

struct Node {
  std::string id;
  std::string location_id;
  std::string key_id;
  std::int64_t created_at = 0;
  std::string created_by;
  std::optional<std::int64_t> last_sync_at;
  std::int64_t queue_length = 0;
};

// The event types a node pushes to head office as documents (docs/sync.md).
inline const std::vector<std::string> pushed_types = {"sale.completed",  "sale.voided",    "return.completed",
                                                      "exchange.completed", "stock.adjusted", "count.approved",
                                                      "receipt.posted",  "register.closed", "inbound_transfer.received",
                                                      "purchase_receipt.received",
                                                      "outbound_transfer.shipped", "outbound_transfer.cancelled"};
// The id under which a pushed event's stock movements are booked at the node: the sale, the
// void (its id is in the payload), the return, adjustment, count or goods receipt. nullopt
// for an exchange (its return and sale are pushed as their own documents) and for a payload
// without the void's id, and for a register session's close (its cash-up moves no stock). Pure.
std::optional<std::string> movement_document_of(const std::string& type, const std::string& entity_id,
                                                const std::string& payload);

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

// A movement a node pushed with a document: where (a kind of location at the node's store),
// what and why. Head office books it at its own location for the node's store.
struct PushedMovement {
  std::string item_id;
  std::string location_kind;  // a word of stock::location_kinds other than transit
  std::int64_t quantity = 0;  // milli-units, signed, not 0
  std::string reason;         // a word of stock::movement_reasons
  std::string document_type;
  std::string document_id;
  std::optional<std::string> document_line_id;
};

// A movement as a node pushes it and as head office keeps it (sync_documents.movements):
// {item_id, location_kind, quantity, reason, document_type, document_id, document_line_id}, the
// one serializer of both. `quantity` as the caller writes it: the wire's exact decimal units
// (json::quantity_value), milli-units in head office's kept copy (what check_sync adds up).
boost::json::object movement_json(const PushedMovement& m, boost::json::value quantity);

// What head office finds when it posts a node's document (docs/sync.md, "Conflicts"): shown
// to a person, never hidden, each with its rule.
enum class ConflictKind {
  price_difference,
  negative_stock,
  held_unit_sold,
  rejected,
  po_not_receivable,
  destination_refused,
  cancelled_transfer_received,
  not_in_journal,
  store_credit_overdrawn,
  shipment_cancel_after_receipt,
  cancelled_shipment_received,
  shipment_cancel_not_applied
};
inline constexpr Vocabulary<ConflictKind, 12> conflict_kinds{{{
    {ConflictKind::price_difference, "price_difference"},
    {ConflictKind::negative_stock, "negative_stock"},
    {ConflictKind::held_unit_sold, "held_unit_sold"},
    {ConflictKind::rejected, "rejected"},
    {ConflictKind::po_not_receivable, "po_not_receivable"},
    {ConflictKind::destination_refused, "destination_refused"},
    {ConflictKind::cancelled_transfer_received, "cancelled_transfer_received"},
    {ConflictKind::not_in_journal, "not_in_journal"},
    {ConflictKind::store_credit_overdrawn, "store_credit_overdrawn"},
    {ConflictKind::shipment_cancel_after_receipt, "shipment_cancel_after_receipt"},
    {ConflictKind::cancelled_shipment_received, "cancelled_shipment_received"},
    {ConflictKind::shipment_cancel_not_applied, "shipment_cancel_not_applied"},
}}};
// The stated rule of each kind, in words a manager reads.
std::string_view conflict_rule(ConflictKind kind);

struct Conflict {
  std::string id;
  std::string node_id;
  std::string location_id;
  std::string document_id;
  ConflictKind kind = ConflictKind::rejected;
  std::optional<std::string> item_id;
  std::string detail;  // JSON object, by kind
  std::int64_t created_at = 0;
  bool resolved = false;
  std::optional<std::int64_t> resolved_at;
  std::optional<std::string> resolved_by;
  std::optional<std::string> note;
  // Its order (sync/hlc.hpp, packed): the document's stamp, else head office's at arrival.
  std::int64_t hlc = 0;
  // Read with the row (one join), for people: the store's name, the item's SKU and name.
  std::optional<std::string> location_name;
  std::optional<std::string> item_sku;
  std::optional<std::string> item_name;
  std::optional<std::int64_t> document_at;  // the node's business time of the document
};
inline constexpr std::size_t conflict_note_length_max = 500;

// Where a push stands in its node's sequence (docs/sync.md, "Pushes on the way together"). A
// node may send its next push before head office has answered the one before; that push names
// the earlier one's `through` as its `after`. `through` is the node's push cursor once this push
// is applied. Both are absent from a node that sends one push at a time (and from a node before
// migration 54).
struct PushPlace {
  std::optional<std::int64_t> after;
  std::optional<std::int64_t> through;
};
// Whether a push may be applied now, given the `through` of the node's last applied push
// (`applied`, none if no push named one): a push without `after` always (a node's first push on
// the way, or a retry after a failure: its documents are kept once by their ids whatever the
// order); one with `after` right after the push it names, so that a return never arrives
// before the sale it returns, or again right after itself (a repeat: its answer was lost, or
// the link sent it twice; each document counts as a duplicate). Otherwise head office answers
// 409 push_out_of_order and the node sends it again once the earlier push is answered.
bool push_in_order(const PushPlace& place, std::optional<std::int64_t> applied);

namespace store {
void insert_node(db::Db& db, const Node& node);
// The `through` of the node's last applied push (migration 54); none if it named none.
std::optional<std::int64_t> pushed_through(db::Db& db, const std::string& node_id);
void set_pushed_through(db::Db& db, const std::string& node_id, std::optional<std::int64_t> through);
std::vector<Node> list_nodes(db::Db& db);
std::optional<Node> node_by_key(db::Db& db, const std::string& key_id);
void touch_node(db::Db& db, const std::string& id, std::int64_t at, std::int64_t queue_length);
// A savepoint inside the caller's transaction: release keeps what was written since, roll
// back to drops it (and releases it); either ends it.
void savepoint(db::Db& db, const std::string& name);
void release(db::Db& db, const std::string& name);
void roll_back_to(db::Db& db, const std::string& name);
// Inside a transaction on SQLite: foreign keys are checked at commit (a node applying a page
// of head office's feed in which a kit comes before its component).
void defer_foreign_keys(db::Db& db);
struct Document {
  std::string id;  // the node's event id
  std::string type;
  std::string entity_id;
  std::string payload;  // JSON
  std::int64_t node_at = 0;
  std::optional<std::vector<PushedMovement>> movements;  // none from a node before migration 30
  std::optional<hlc::Stamp> hlc;  // the node's clock; none from a node before migration 35
  // The payload as the push's body was read (json::parse_exact), so that it is parsed once a
  // push; null for a document read back from the store (payload_value parses it then).
  std::shared_ptr<const boost::json::value> parsed;
};
// The payload of `doc` as JSON: `parsed` when the push set it, else `payload` parsed now
// (json::parse_exact; Problem 400 when it is not JSON).
std::shared_ptr<const boost::json::value> payload_value(const Document& doc);
// A document head office keeps, as it was pushed, with its node and status.
struct KeptDocument {
  Document document;
  std::string node_id;
  std::string status;  // kept, posted, rejected
};
std::optional<KeptDocument> load_document(db::Db& db, const std::string& id);
std::optional<Node> load_node(db::Db& db, const std::string& id);
// Those of `documents` head office does not hold yet (by id, one read for the batch; a repeat
// within the batch counts once), in the order pushed.
std::vector<const Document*> unheld_documents(db::Db& db, const std::vector<Document>& documents);
// Keeps `documents` (from unheld_documents, read in the same writing transaction), each with
// its status (kept, posted, rejected) decided before it is written, so that no row is written
// twice. All in one db::insert_rows (COPY on PostgreSQL). No other process can keep one of
// them meanwhile: writing transactions exclude each other (Db::begin_write), so what
// unheld_documents read still holds; were that broken, the key would refuse the second copy
// and the push fail (the node sends it again), never keep a document twice.
// Returns the ids it kept: all of them, in order.
std::vector<std::string> insert_documents(db::Db& db, const Node& node, const std::vector<const Document*>& documents,
                                          const std::vector<std::string_view>& statuses, std::int64_t at);
// What a kept movement list (sync_documents.movements, milli-units) holds.
std::vector<PushedMovement> parse_kept_movements(const std::string& text);
std::int64_t count_documents(db::Db& db, const std::string& node_id);
// A kept document's status changed (a rejected one posted by a retry).
void set_documents_status(db::Db& db, const std::vector<std::string>& ids, std::string_view status);
void insert_conflict(db::Db& db, const Conflict& c);
std::optional<Conflict> load_conflict(db::Db& db, const std::string& id);
// Newest first by their order (hlc, then id) within each status asked for; after the
// conflict `before` (a page's cursor) when set.
// Each row with its store's name and its item's SKU and name (one query).
std::vector<Conflict> list_conflicts(db::Db& db, std::optional<bool> resolved, const std::optional<std::string>& node_id,
                                     const std::optional<std::string>& before, int limit);
void resolve_conflict(db::Db& db, const std::string& id, std::int64_t at, const std::string& by, const std::string& note);
// The open destination_refused conflict of node `node_id` about the shipment (transfer)
// `transfer_id` it pushed, if any: its id and its reason word (detail.reason, else "refused").
struct OpenRefusal {
  std::string id;
  std::string reason;
};
std::optional<OpenRefusal> open_refusal_of(db::Db& db, const std::string& node_id, const std::string& transfer_id);
// Resolves it only while it is open; false when it was resolved already (by another retry).
bool resolve_open_conflict(db::Db& db, const std::string& id, std::int64_t at, const std::string& by,
                           const std::string& note);
// Head office's node_document movements whose document is not posted: (document id) rows.
std::vector<std::string> unposted_movement_documents(db::Db& db);
struct PostedDocument {
  std::string id;
  std::string movements;  // what the node sent (JSON)
  std::map<std::string, std::int64_t> booked;  // item -> net milli-units booked here
};
// Posted documents after `after_id`, at most `limit`, with what was booked for each.
std::vector<PostedDocument> posted_documents(db::Db& db, const std::string& after_id, int limit);
}  // namespace store

// Keeps the documents a node pushed, each once by id, and posts the stock movements of each
// new one at the node's store (document type `node_document`, the document's id), recording
// what it finds as conflicts: a sale at another price than head office's at that moment, a
// balance gone negative, units held for an online order sold at the store (the last-unit
// rule shortens the holds, as for a sale at a register here), or a document head office
// cannot post (an item it does not know): kept, not posted. Returns how many were new.
int receive_documents(db::Db& db, const Actor& actor, const Node& node, const std::vector<store::Document>& documents);

// `backroom check`'s part: every node_document movement belongs to a posted document, and a
// posted document's movements at head office add up, item by item, to what the node sent.
std::vector<std::string> check_sync(db::Db& db);

// GET /api/v1/sync/conflicts rows (the names come with the row: nothing more is read).
boost::json::object conflict_to_json(const Conflict& c);

// A register session a store node closed (its register.closed document, kept at head office):
// GET /api/v1/sync/cash-ups rows. Newest first by the store's time of closing; after the
// document `before` (a page's cursor) when set; up to `limit` rows.
struct CashUp {
  std::string document_id;
  std::string node_id;
  std::string location_id;
  std::optional<std::string> location_name;
  std::int64_t node_at = 0;
  std::string payload;  // the session as the node's register.closed event has it (with its Z report)
};
namespace store {
std::vector<CashUp> list_cash_ups(db::Db& db, const std::optional<std::string>& node_id,
                                  const std::optional<std::string>& before, int limit);
}
// {document_id, node_id, location_id, location_name, register, session_number, opened_at,
// closed_at, closed_by, opening_float, tenders [{type, expected, counted, over_short}],
// cash_over_short, over_short, net_sales, sales_count, returns_count, voids_count}: the Z
// report's figures, for people (names, never ids, besides the keys).
boost::json::object cash_up_to_json(const CashUp& c);
// Marks a conflict resolved with the note a person wrote (409 when it already is). Audited;
// raises sync.conflict_resolved. A store_credit_overdrawn conflict is resolved only with its
// shortfall's `settlement` (written_off or collected; money.hpp settle_overdrawn), and only it
// takes one (422 `settlement` otherwise).
Conflict resolve_conflict(db::Db& db, const Actor& actor, const std::string& id, const std::string& note,
                          const std::optional<std::string>& settlement = std::nullopt);
// Posts a rejected document again, once its cause is fixed (the item made at head office):
// its movements are booked exactly as a push would book them, what that finds is recorded as
// new conflicts, and the rejected conflict is resolved "Posted by retry" (with `note` when
// given). 409 already_resolved when it is resolved, 409 not_rejected for another kind (not
// destination_refused, below), 409
// still_rejected with the reason in words when it still cannot post (nothing is written).
// Audited (sync_conflict.retry); raises sync.conflict_resolved.
// A `destination_refused` shipment is put in transit again the same way
// (stock::ship_transfer_from_node, as the push would): to its own destination once head office
// allows it, or to `to_location_id` (where the goods really went; for that kind only, 422
// otherwise), and the conflict is resolved "Posted by retry"; while it is still refused, 409
// still_refused with the reason (`reason`: a word of ship_transfer_from_node) and nothing
// written. Either kind is claimed by a conditional update (resolved only while open), so a
// retry twice or two at once post once: the other is 409 already_resolved.
Conflict retry_conflict(db::Db& db, const Actor& actor, const std::string& id, const std::optional<std::string>& note,
                        const std::optional<std::string>& to_location_id = std::nullopt);

}  // namespace backroom::sync
