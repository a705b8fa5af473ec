// Transfers head office ships to a store node's store (docs/sync.md, "Transfers to a store
// node"). Head office notes a change of entity `transfer` in its change feed when it ships a
// transfer to a node's store; the node's pull keeps it (migration 40,
// `sync_inbound_transfers` and its lines: head office's ids, number, source's name, items and
// quantities shipped). The node's staff receive it once: what arrived per line (received,
// damaged), the rest of each line short. Receiving books the arrivals at the node's store
// (and its damaged bin) in the node's ledger (document type `inbound_transfer`, document id
// the transfer's, line ids head office's) and writes the event `inbound_transfer.received`,
// which the node pushes like its other documents. Head office posts its movements at the
// node's store and closes its transfer (stock::close_transfer_from_node): in transit cleared,
// the received, damaged and short quantities per line, status received.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "platform/actor.hpp"
#include "platform/db.hpp"
#include "platform/types.hpp"

namespace backroom::sync {

inline constexpr const char* inbound_document_type = "inbound_transfer";
inline constexpr const char* inbound_received_event = "inbound_transfer.received";

struct InboundLine {
  std::string id;  // head office's transfer line id
  std::int64_t line_no = 0;
  std::string item_id;
  std::string sku, name;
  Quantity shipped, received, damaged, short_;
};
struct InboundTransfer {
  std::string id;      // head office's transfer id
  std::string number;  // head office's number (T-000123)
  std::string from_name;
  std::string note;
  std::int64_t shipped_at = 0;
  std::int64_t arrived_at = 0;  // when the node learnt of it
  std::string status;           // in_transit | received | cancelled (by head office, before it arrived)
  std::optional<std::string> location_id;  // the node's location it was received at
  std::optional<std::int64_t> received_at;
  std::optional<std::string> received_by;
  std::optional<std::int64_t> cancelled_at;  // when the node heard of head office's cancel
  std::optional<std::string> cancel_reason;  // head office's words
  std::vector<InboundLine> lines;
};

// What a person at the node says arrived on a line: by line id or item id.
struct InboundReceiptLine {
  std::string key;  // a line id, or an item id (by_item)
  bool by_item = false;
  Quantity received, damaged;
};
struct InboundReceipt {
  bool all = false;  // no lines given: everything shipped arrived
  std::vector<InboundReceiptLine> lines;
  std::optional<std::string> location_id;  // the node's store; default its only store
};
// Each line's received, damaged and short (pure): lines not named arrived short. Throws 422
// naming the request's line: unknown or repeated (`lines[i].line_id` / `.item_id`), an item
// on several lines named by item, or more than was shipped (over_received, `lines[i].received`).
std::vector<InboundLine> plan_inbound_receipt(const std::vector<InboundLine>& lines, const InboundReceipt& in);

// The JSON of GET /api/v1/sync/inbound-transfers/{id} (and the list's rows).
boost::json::object inbound_to_json(const InboundTransfer& t);

// On the node, in the pull's transaction: keeps a transfer the feed carries (`data` as head
// office's GET /api/v1/transfers/{id}) when it is in transit and new here; one it holds
// already is left as it is (its receipt is the node's) — unless head office cancelled it and
// the node has not received it: then it is `cancelled` here too, with head office's reason,
// and can no longer be received (one received first stays received: head office undoes its
// cancel for what arrived when the receipt is pushed). Throws 422 on data it cannot read.
void apply_inbound_transfer(db::Db& db, const boost::json::value& data);

// The node's store goods from head office are received at: the one asked for (a store: 422
// naming location_id otherwise), else its only store (422 missing location_id when it has
// several); within the actor's location scope.
std::string receiving_store(db::Db& db, const Actor& actor, const std::optional<std::string>& asked);

// Receives an inbound transfer (see plan_inbound_receipt). 404 when unknown, 409
// already_received once received, 409 transfer_cancelled once head office cancelled it. Audited (inbound_transfer.receive); event
// inbound_transfer.received {id, number, location_id, received_at, received_by, lines
// [{line_id, item_id, shipped, received, damaged, short}]}.
InboundTransfer receive_inbound_transfer(db::Db& db, const Actor& actor, const std::string& id, const InboundReceipt& in);

// At head office, for a pushed inbound_transfer.received document (payload as above): the
// receipt lines it names, or nullopt when it names none it can read.
struct PushedReceipt {
  std::string transfer_id;
  std::vector<std::pair<std::string, std::pair<Quantity, Quantity>>> lines;  // line id -> received, damaged
};
std::optional<PushedReceipt> pushed_receipt_of(const std::string& payload, const std::string& entity_id);

namespace store {
void insert_inbound(db::Db& db, const InboundTransfer& t);
// An inbound transfer still in transit becomes cancelled; false when it was not in transit.
bool mark_inbound_cancelled(db::Db& db, const std::string& id, std::int64_t at, const std::string& reason);
std::optional<InboundTransfer> load_inbound(db::Db& db, const std::string& id);
// Newest first (by id: head office's ids are time-ordered), after `before` when set.
std::vector<InboundTransfer> list_inbound(db::Db& db, const std::string& status, const std::optional<std::string>& before,
                                          int limit);
void mark_inbound_received(db::Db& db, const InboundTransfer& t);
// `backroom check`'s part on a node: every inbound_transfer movement belongs to a received
// inbound transfer's line and the movements of each line add up to its received + damaged.
std::vector<std::string> check_inbound(db::Db& db);
}  // namespace store

}  // namespace backroom::sync
