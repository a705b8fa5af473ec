// A store node ships a transfer to one of head office's locations (docs/sync.md, "A store node
// ships"). Head office's sites (stores, backrooms, warehouses: name and kind, never stock) reach
// the node through the change feed as entity `location`, with head office's word on whether
// this node may ship there (`allowed`: not its own store, not a site inside another node's
// store); the node keeps them as destinations only (migration 42, `sync_destinations`),
// read-only. The node's staff ship with the ordinary POST /api/v1/transfers naming such a
// destination (stock::set_remote_shipper hands it here): the node books the out-movement at its
// own site (document type `outbound_transfer`, the transfer's id and line ids), keeps the
// transfer (`sync_outbound_transfers`, numbered S-000001 of its own) and writes the event
// `outbound_transfer.shipped`, pushed like its other documents. Head office, posting it once by
// the document's id, books the node's out-movement at the node's store and the transfer in
// transit to the destination under the same id and line ids (stock::ship_transfer_from_node);
// the destination receives it as any transfer (at head office, or on its own node through
// migration 40's feed). A destination head office refuses is a conflict `destination_refused`,
// which a person may post again (sync::retry_conflict, optionally to another destination). Head
// office notes the transfer in the feed when it puts it in transit and at each receipt; the
// node's key gets it marked `outbound` and keeps head office's status and received figures
// (apply_outbound_transfer, migration 43).
// The node's staff cancel a shipment head office has not said arrived (cancel_outbound,
// migration 48): the goods are booked back in at its site (document type
// `outbound_transfer_cancel`, the cancel's own id, the shipment's line ids) and the event
// `outbound_transfer.cancelled` is pushed; head office takes the rest out of transit
// (stock::cancel_transfer_from_node), resolves an open refusal, or lists a
// shipment_cancel_after_receipt conflict when the destination received it first (docs/sync.md,
// "A store node cancels its shipment").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "platform/actor.hpp"
#include "platform/db.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {

inline constexpr const char* outbound_document_type = "outbound_transfer";
inline constexpr const char* outbound_shipped_event = "outbound_transfer.shipped";
inline constexpr const char* outbound_cancel_document_type = "outbound_transfer_cancel";
inline constexpr const char* outbound_cancelled_event = "outbound_transfer.cancelled";

// One of head office's sites as a node keeps it.
struct Destination {
  std::string id;  // head office's location id
  std::string name;
  std::string kind;  // store | backroom | warehouse
  bool allowed = false;
  std::int64_t updated_at = 0;
};
// The feed's data of a `location` change for the node of `node_location_id` (head office):
// {id, name, kind, allowed}; nullopt for a location that is not a site (bins, in transit).
std::optional<boost::json::value> destination_feed_data(db::Db& db, const std::string& node_location_id,
                                                        const std::string& location_id);
// On the node, in the pull's transaction: keeps (or renames, allows, disallows) a destination.
// Throws 422 on data it cannot read.
void apply_destination(db::Db& db, const boost::json::value& data);
// {id, name, kind}
boost::json::object destination_to_json(const Destination& d);

struct OutboundLine {
  std::string id;
  std::int64_t line_no = 0;
  std::string item_id;
  std::string sku, name;
  Quantity shipped;
  // What head office says arrived (migration 43): all 0 until the destination received it.
  Quantity received, damaged, short_;
};
struct OutboundTransfer {
  std::string id;
  std::int64_t number = 0;
  std::string from_location_id;
  std::string from_name;  // read with the row
  std::string to_id, to_name;
  std::string note;
  std::int64_t shipped_at = 0;
  std::string shipped_by;
  std::string request_hash;
  // shipped | received | refused (head office's word, through its feed) | cancelled (the node's
  // own cancel, kept until head office says otherwise: received, when it arrived first).
  std::string status = "shipped";
  std::optional<std::int64_t> received_at;
  // The node's cancel (migration 48): when, by whom, why, and its document's id.
  std::optional<std::int64_t> cancelled_at;
  std::optional<std::string> cancelled_by, cancel_reason, cancel_id;
  std::vector<OutboundLine> lines;
};
// "S-000001": a node's shipment to head office's side, numbered apart from its own transfers.
std::string outbound_number_text(std::int64_t number);
// GET /api/v1/sync/outbound-transfers/{id} and POST /api/v1/transfers on the node: {id, number,
// status: "shipped" | "received" | "refused", from_location_id, from {id, name}, to_location_id, to {id,
// name}, note, shipped_at, shipped_by, received_at (null until received), lines [{id, item_id,
// sku, name, shipped, received, damaged, short}], lines_count, cancelled_at, cancelled_by,
// cancel_reason} (the last three null unless cancelled).
boost::json::object outbound_to_json(const OutboundTransfer& t);

// Why the node's staff may not cancel shipment `t` (pure): already_cancelled, or
// already_received when head office has said any of it arrived (status received, or a line with
// something received, damaged or short); nullopt when they may (shipped or refused).
std::optional<std::string> outbound_cancel_refusal(const OutboundTransfer& t);
// On the node: cancels shipment `id` (see outbound_cancel_refusal: 409 with that code; 404 for
// no such shipment): books each line's shipped quantity back in at its source (reason
// transfer_cancelled, document type outbound_transfer_cancel under a new id, the line ids),
// marks it cancelled with `reason`, audited outbound_transfer.cancel, event
// outbound_transfer.cancelled {id (the cancel's), transfer_id, number, reason, cancelled_at,
// cancelled_by, from_location_id, lines [{id, item_id, quantity}]}, pushed with its movements.
OutboundTransfer cancel_outbound(db::Db& db, const Actor& actor, const std::string& id, const std::string& reason);

// At head office, a pushed outbound_transfer.cancelled document as head office reads it.
struct PushedCancel {
  std::string transfer_id;
  std::string number;  // the node's S-000001
  std::string reason;
  std::int64_t cancelled_at = 0;
};
std::optional<PushedCancel> pushed_cancel_of(const std::string& payload);
// At head office, the movements of a node's cancel as they are booked (pure): a movement naming
// a line of head office's transfer keeps the line id for at most what that line still has
// outstanding (`outstanding`, by line id: what goes back from transit); the rest of it, goods a
// destination received first, is booked without the line id (on the books twice, the conflict
// says so), so the transfer line's own figures still add up. A line not in `outstanding` (no
// transfer at head office: refused, or put in transit by the same push) keeps all of it.
std::vector<PushedMovement> split_cancel_movements(const std::vector<PushedMovement>& moved,
                                                   const std::map<std::string, std::int64_t>& outstanding);

// The node's remote shipper (stock::set_remote_shipper): nullopt when `in.to_location_id` is not
// a destination; 422 (to_location_id) when head office does not allow it, 422 from_location_id
// for a source that is not a site here (a bin, in transit); items as ship_transfer checks them.
// Idempotent by the request's id / Idempotency-Key as every transfer. Audited
// (outbound_transfer.ship); event outbound_transfer.shipped {id, number, from_location_id,
// to_location_id, to_name, note, shipped_at, shipped_by, lines [{id, item_id, quantity}]}.
std::optional<stock::Posted> ship_outbound(db::Db& db, const Actor& actor, const stock::TransferInput& in);
// Installs ship_outbound as stock's remote shipper (a store node, before it serves).
void install_outbound_shipping();

// On the node, in the pull's transaction: head office's word on one of this node's shipments
// (the feed's `transfer` change marked `outbound`, data as GET /api/v1/transfers/{id}): its
// destination (head office may have put it in transit elsewhere on a retry), status
// (`received` once head office's transfer is, `refused` while head office holds an open
// destination_refused conflict for it, else `shipped`), received_at and each line's received,
// damaged and short. A shipment the node does not hold is passed over. Throws 422 on
// data it cannot read.
void apply_outbound_transfer(db::Db& db, const boost::json::value& data);

// At head office, a pushed outbound_transfer.shipped document's payload as head office books
// it, or nullopt when it cannot read it.
std::optional<stock::NodeShipment> pushed_shipment_of(const std::string& payload, const std::string& entity_id);

namespace store {
void upsert_destination(db::Db& db, const Destination& d);
std::optional<Destination> load_destination(db::Db& db, const std::string& id);
// The allowed destinations by id (head office's ids are time-ordered), after `after` when set.
std::vector<Destination> list_destinations(db::Db& db, const std::optional<std::string>& after, int limit);
void insert_outbound(db::Db& db, const OutboundTransfer& t);
std::optional<OutboundTransfer> load_outbound(db::Db& db, const std::string& id);
// Newest first, before `before` when set.
std::vector<OutboundTransfer> list_outbound(db::Db& db, const std::optional<std::string>& before, int limit);
std::int64_t next_outbound_number(db::Db& db);
// Writes head office's word on shipment `t.id`: to_id, to_name, status, received_at and each
// line's received, damaged and short (lines by id).
void update_outbound_receipt(db::Db& db, const OutboundTransfer& t);
// Writes the node's cancel of shipment `t.id`: status, cancelled_at, cancelled_by, cancel_reason,
// cancel_id.
void update_outbound_cancel(db::Db& db, const OutboundTransfer& t);
// `backroom check`'s part on a node: every outbound_transfer movement belongs to a line of a
// shipment and each line's movements add up to minus what it shipped; every
// outbound_transfer_cancel movement belongs to a cancelled shipment's cancel and gives each line
// back exactly what it shipped.
std::vector<std::string> check_outbound(db::Db& db);
}  // namespace store

}  // namespace backroom::sync
