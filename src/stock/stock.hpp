// Stock: locations (stores, backrooms, warehouses and each one's special bins), the
// append-only movement ledger and the balances derived from it, adjustments, transfers
// and reservations. Stock changes only through post_movements(), which appends the
// movements and updates on_hand in the same transaction; nothing updates a balance alone.
// Commands here run on the writer's connection inside its transaction.
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"
#include "platform/documents.hpp"
#include "platform/outbox.hpp"
#include "platform/types.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::stock {

inline constexpr std::size_t document_lines_max = 200;
inline constexpr std::size_t location_name_length_max = 100;
inline constexpr std::size_t reason_note_length_max = 500;

inline constexpr std::size_t receipt_line_length_max = 200;    // shop name, address, tax number
inline constexpr std::size_t receipt_footer_length_max = 500;  // return policy and thanks

// What a store prints at the top (shop name, address, tax/VAT number) and bottom (return
// policy) of its receipts. Empty fields are not printed.
struct ReceiptText {
  std::string shop_name;
  std::string address;
  std::string tax_number;
  std::string footer;
};

struct Location {
  std::string id;
  std::string name;
  std::string kind;  // a word of location_kinds (stock/vocabulary.hpp)
  std::optional<std::string> parent_id;
  bool sellable = false;
  std::int64_t created_at = 0;
  ReceiptText receipt;
  std::optional<std::string> default_tax_category;  // items without a category sell at it; none = the shop's
};

// A change to a location; only what is set changes.
struct LocationPatch {
  std::optional<std::string> name;
  std::optional<std::string> shop_name, address, tax_number, footer;
  bool set_default_tax_category = false;
  std::optional<std::string> default_tax_category;  // with set_default_tax_category: nullopt = the shop's
};

boost::json::object location_to_json(const Location& l);

NegativeStock negative_stock_policy(db::Db& db);

struct Movement {
  std::string item_id;
  std::string location_id;
  Quantity quantity;  // signed
  MovementReason reason;
  std::string document_type;
  std::string document_id;
  std::optional<std::string> document_line_id;
};

// Units that holds for online orders gave up because stock moved out (the last-unit rule).
struct HoldsGivenUp {
  std::string item_id;
  std::string location_id;
  Quantity held_before;  // the balance's reserved before the movement
  Quantity on_hand;      // after the movement
  Quantity given_up;
};

struct PostContext {
  std::string user;
  std::string device;  // register id, "api", "cli"
  NegativeStock policy = NegativeStock::allow;
  std::vector<HoldsGivenUp>* holds_given_up = nullptr;  // when set, what the last-unit rule took
};

struct NegativeFlag {
  std::string item_id;
  std::string location_id;
  Quantity on_hand;
};

// Appends the movements and updates balances. Under NegativeStock::refuse a decrease
// that would leave on hand below zero throws 409 insufficient_stock (the writer's
// savepoint then undoes the whole command); units held for online orders never refuse a
// decrease: the last-unit rule (stock/holds.hpp) shortens the latest paid holds instead. Returns the balances that went negative
// (allowed and flagged: each also gets a stock.negative event). On PostgreSQL, under
// NegativeStock::allow, it posts them as post_movement_batch does a one-document batch (the
// same rows and outcome in a few statements: each statement is a round trip there).
std::vector<NegativeFlag> post_movements(db::Db& db, const std::vector<Movement>& movements, const PostContext& ctx);

// One document of a batch for post_movement_batch: its movements, and what posting them found.
struct BatchDocument {
  std::vector<Movement> movements;
  std::vector<NegativeFlag> negative{};   // balances this document's movements took below zero
  std::vector<HoldsGivenUp> given_up{};   // what the last-unit rule took for them
};

// Posts many documents' movements as post_movements would, one document after another,
// under NegativeStock::allow: the same ledger rows in the same order, balances, units sold,
// negative flags with their stock.negative events, the last-unit rule and availability notes.
// The statements are per batch, not per movement (the balances read in one, the movements
// in one db::insert_rows, the balances a hundred rows to a statement): a store node's push at
// head office (sync/sync.cpp), where each statement is a round trip to PostgreSQL. One `at` for
// the batch. Never throws for stock: nothing in it is refused.
void post_movement_batch(db::Db& db, std::vector<BatchDocument>& documents, const std::string& user,
                         const std::string& device);

// What the movements of one document line add up to, per item (by item id): what a sale
// line took (negative) and a return can put back.
std::vector<std::pair<std::string, Quantity>> line_net_by_item(db::Db& db, const std::string& document_id,
                                                               const std::string& document_line_id);

// What all the movements of a document add up to, per item (by item id).
std::vector<std::pair<std::string, Quantity>> document_net_by_item(db::Db& db, const std::string& document_id);

// Reversal of every movement of a document (a void): same items and locations, negated.
std::vector<Movement> reversal_of(db::Db& db, const std::string& document_id, MovementReason reason,
                                  const std::string& document_type, const std::string& reversing_document_id);

// The movements of documents as a store node pushes them to head office (sync/puller.cpp):
// each with the kind of location it moved stock at (head office has its own location ids),
// in ledger order.
struct DocumentMovement {
  std::string document_id;
  std::string item_id;
  std::string location_kind;  // a word of location_kinds
  Quantity quantity;          // signed
  std::string reason;         // a word of movement_reasons
  std::string document_type;
  std::optional<std::string> document_line_id;
};
std::vector<DocumentMovement> movements_of_documents(db::Db& db, const std::vector<std::string>& document_ids);

// Locations.
std::vector<Location> list_locations(db::Db& db);
std::optional<Location> load_location(db::Db& db, const std::string& id);
// The location of that name, ignoring ASCII case.
std::optional<Location> location_by_name(db::Db& db, const std::string& name);
// The location or 422 naming `field`.
Location require_location(db::Db& db, const std::string& id, const std::string& field);
// At head office, a store that has a store node (sync/, docs/sync.md), and that store's bins,
// keep their stock on the node: head office books it only from what the node pushes. An
// adjustment, count, transfer or goods receipt made at head office for it would never reach
// the node and the two sides would part, so it is 409 kept_by_store_node naming `field`.
// (On the node itself there is no such row: it books its own store.)
void require_not_kept_by_node(db::Db& db, const Location& location, const std::string& field);
// A store, backroom or warehouse gets its review, damaged, refurbish and markdown bins.
Location create_location(db::Db& db, const Actor& actor, const std::string& name, const std::string& kind,
                         const std::optional<std::string>& parent_id);
// Renames a location, sets its receipt header and footer or its default tax category.
// 404 when it does not exist, 409 duplicate_location on a taken name, 422 on an unknown
// tax category. Audited, with a location.updated event.
Location update_location(db::Db& db, const Actor& actor, const std::string& id, const LocationPatch& patch);
// The tax category an item without one sells at here: the location's, else the shop's.
std::string default_tax_category_at(db::Db& db, const std::string& location_id);
// A site's bin of `kind` (review, damaged, ...); the site itself for a bin or transit.
std::string bin_of(db::Db& db, const std::string& site_id, const std::string& kind);
std::string transit_location(db::Db& db);
// A new shop (or one upgraded from before locations): one store, its bins, in transit.
void ensure_default_locations(db::Db& db);

// A document's identity from its id or an Idempotency-Key (platform/documents.hpp).
using DocumentKey = documents::DocumentKey;

// Adjustments.
struct AdjustmentInput {
  DocumentKey key;
  std::string item_id;
  std::string location_id;
  Quantity quantity;
  AdjustmentReason reason = AdjustmentReason::correction;
  std::string note;
  // Adjustments past the shop's limits (below zero, over adjustment_confirm_quantity or
  // adjustment_confirm_value) need confirm and a reason_code, and are flagged.
  bool check_limits = false;
  bool confirm = false;
  std::optional<AdjustmentReason> reason_code;
};
// The shop's limits on adjustments made without confirmation (settings/stock).
struct AdjustmentLimits {
  std::optional<Quantity> confirm_quantity;      // |quantity| above it needs confirmation
  std::optional<std::int64_t> confirm_value;     // |quantity| x cost (minor units) above it
};
AdjustmentLimits load_adjustment_limits(db::Db& db);
void save_adjustment_limits(db::Db& db, const Actor& actor, const AdjustmentLimits& limits);
boost::json::object adjustment_limits_to_json(const AdjustmentLimits& limits);
// `limits` with the fields `body` names replaced (PUT /settings/stock's body); throws Problem
// 422 naming the field on a bad value or an unknown field.
AdjustmentLimits adjustment_limits_from_json(const boost::json::object& body, AdjustmentLimits limits);
// Why an adjustment needs confirmation: below_zero, over_quantity, over_value (pure).
std::vector<std::string> adjustment_flags(Quantity on_hand, Quantity quantity, std::optional<std::int64_t> unit_cost,
                                          const AdjustmentLimits& limits);
struct Posted {
  boost::json::object document;
  bool replayed = false;
};
Posted create_adjustment(db::Db& db, const Actor& actor, const AdjustmentInput& in);

// Transfers: ship (from -> in transit), then one or more receipts (in transit -> to, its
// damaged bin), until every line is received + damaged = shipped, or a receipt closes it and
// books the rest short. A transfer stays `in_transit` until then, `received` after; or it is
// cancelled while in transit (`cancelled`: what was still in transit went back to the source).
// Each has a number people read (T-000123), per shop, gap-free, given when it is shipped.
struct TransferLineInput {
  std::string item_id;
  Quantity quantity;
};
struct TransferInput {
  DocumentKey key;
  std::string from_location_id;
  std::string to_location_id;
  std::vector<TransferLineInput> lines;
  std::string note;
};
Posted ship_transfer(db::Db& db, const Actor& actor, const TransferInput& in);
// On a store node, a transfer to one of head office's locations (docs/sync.md, "A store node
// ships"): sync installs this before the server serves; ship_transfer hands it a transfer whose
// destination is not a location of this shop. It answers nullopt when it does not know the
// destination either (then the usual 422 on to_location_id).
using RemoteShipper = std::function<std::optional<Posted>(db::Db&, const Actor&, const TransferInput&)>;
void set_remote_shipper(RemoteShipper shipper);
// "T-000123".
std::string transfer_number_text(std::int64_t number);

struct ReceiveLineInput {
  std::string line_id;    // transfer line id, or an item id (by_item)
  bool by_item = false;   // the request named the line by item_id
  Quantity received;
  Quantity damaged;
};
struct ReceiptInput {
  DocumentKey key;                     // the receipt's id / Idempotency-Key
  bool all = false;                    // no lines given: everything outstanding arrives
  std::vector<ReceiveLineInput> lines;
  bool close = false;                  // book what is still outstanding as short, end it
};
// A transfer line as it stands.
struct TransferLineState {
  std::string id;
  std::string item_id;
  Quantity shipped, received, damaged, short_;
  Quantity returned;  // went back to the source when the transfer was cancelled
  Quantity outstanding() const { return shipped - received - damaged - short_ - returned; }
};
// What one receipt books on a line (index into the transfer's lines).
struct ReceiptLine {
  std::size_t line = 0;
  Quantity received, damaged, short_;
};
// The lines one receipt books (pure). Throws 422 naming the request's line: unknown or
// repeated (`lines[i].line_id` / `.item_id`), negative, or more than is outstanding
// (code over_received, `lines[i].received`). Lines booking nothing are left out.
std::vector<ReceiptLine> plan_receipt(const std::vector<TransferLineState>& lines, const ReceiptInput& in);
// Adds a receipt to a transfer (see plan_receipt). A receipt that books nothing on a
// transfer already received answers it unchanged; on an open one it is 422 (field lines).
Posted receive_transfer(db::Db& db, const Actor& actor, const std::string& transfer_id, const ReceiptInput& in);
std::optional<boost::json::object> load_transfer(db::Db& db, const std::string& id);
// Cancels a transfer still in transit (shipped by mistake, or never leaving): per line, what is
// still outstanding leaves transit and goes back to the source (reason transfer_cancelled;
// the line's `returned`), what a partial receipt booked stays booked, and the transfer is
// `cancelled` with who, when and `reason` (1 to reason_note_length_max bytes, trimmed by the
// caller). Audited transfer.cancel, event transfer.cancelled. 404 for no such transfer; 409
// already_received, already_cancelled; 409 kept_by_store_node when the source is a store
// node's store (or a bin of it): a node's own shipment is not cancelled here (docs/sync.md).
// One to a node's store is noted in the change feed: the node hears of the cancel.
Posted cancel_transfer(db::Db& db, const Actor& actor, const std::string& transfer_id, const std::string& reason);

// Transfers to a store node's store (docs/sync.md, "Transfers to a store node"). At head
// office the node's store itself may be a transfer's destination (not its bins): shipping it
// notes a change of entity `transfer` in the catalog change feed (catalog/changes.hpp), and
// only the node receives it (receive_transfer here is 409 kept_by_store_node).
inline constexpr std::string_view transfer_change = "transfer";
// A location head office issued a store node for (the store itself, not its bins).
bool is_node_store(db::Db& db, const std::string& location_id);
// Notes a `transfer` change for every transfer in transit to `location_id` (a store that has
// just got its node: it receives them).
void note_open_transfers_to(db::Db& db, const std::string& location_id);
// Notes a `transfer` change for `transfer_id` when it left from a node's store (a node shipped
// it): receiving it (here or at another node) is how that node hears it arrived.
void note_if_shipped_by_node(db::Db& db, const std::string& transfer_id, const std::string& from_location_id);
struct NodeReceiptLine {
  std::string line_id;  // head office's transfer line id
  Quantity received, damaged;
};
// At head office, when the node's receipt of transfer `transfer_id` is posted: the node's
// document booked what arrived at the store (and its damaged bin) already, so this books only
// the in-transit side exactly as receive_transfer does (transit -arrived, transit -short for
// what is outstanding and did not arrive), writes receipt `receipt_id` (closing) with the
// lines, and marks the transfer received; event transfer.received.
// A transfer head office **cancelled** while the node received it (the node had not heard):
// the goods are at the store, so the cancel is undone for what arrived — per line the source
// gives up again what arrived of what the cancel returned (reason transfer_cancelled, the
// line's `returned` less it) and it leaves transit as received; what did not arrive stays
// returned (not short). The transfer is received when nothing stays returned, else it stays
// cancelled with the receipt. `after_cancel` says so (the caller lists the conflict).
// `refused` says why nothing was written: not_found, not_in_transit (received already),
// other_store (the transfer goes elsewhere than `node_location_id`), unknown_line,
// over_received (more than was in transit, or than the cancel returned),
// cancelled_by_store_node (a node's shipment its node cancelled: its store is booked from that
// node only, so the cancel is not undone here).
struct NodeClose {
  std::optional<std::string> refused;
  bool after_cancel = false;
};
NodeClose close_transfer_from_node(db::Db& db, const Actor& actor, const std::string& transfer_id,
                                   const std::string& node_location_id, const std::string& receipt_id,
                                   const std::vector<NodeReceiptLine>& lines, std::int64_t at);

// Head office's sites (store, backroom, warehouse) are notes of entity `location` in the change
// feed (written when one is made or renamed): the destinations a store node may ship to.
inline constexpr std::string_view location_change = "location";
// Why head office refuses `to_location_id` as the destination of a transfer the store node of
// `node_location_id` shipped, or nullopt when it may go there: not_found, not_a_site (a bin or
// in transit), own_store, kept_by_store_node (a site inside a node's store, not the store itself).
std::optional<std::string> node_destination_refusal(db::Db& db, const std::string& node_location_id,
                                                    const std::string& to_location_id);
// A transfer a store node shipped from its store, as head office books it when the node's
// document is posted: the node's out-movement is the node document's (booked at the store
// already); this books the in-transit side under the node's transfer id and line ids.
struct NodeShipmentLine {
  std::string id;  // the node's line id (kept: the node's movements carry it)
  std::string item_id;
  Quantity quantity;
};
struct NodeShipment {
  std::string id;  // the node's transfer id
  std::string node_number;  // the node's own number, for people (in the note)
  std::string to_location_id;
  std::string note;
  std::int64_t shipped_at = 0;
  std::string shipped_by;
  std::vector<NodeShipmentLine> lines;
};
// Writes transfer `s.id` from `node_location_id` to its destination, in transit (head office's
// next number; its lines with the node's ids; transit +shipped per line), audited transfer.ship
// with event transfer.shipped; noted in the feed (entity transfer): another node's store receives
// it as head office's own shipments, and the shipping node hears of it (and of its receipt). Returns nullopt when it did, else why not (nothing written): a refusal of
// node_destination_refusal, exists (a transfer or line of that id), unknown_item, no_lines.
std::optional<std::string> ship_transfer_from_node(db::Db& db, const Actor& actor, const std::string& node_location_id,
                                                   const NodeShipment& s);
// A store node cancelled a transfer it shipped (docs/sync.md, "A store node cancels its
// shipment"): the node's document booked the goods back in at its store already (the part head
// office's line still had outstanding under the line's id), so this books only the in-transit
// side: per line what is still outstanding leaves transit (reason transfer_cancelled; the
// line's `returned`), what a receipt booked stays booked, and the transfer is `cancelled` by
// `actor` (the node's store, for people) with the store's reason; audited transfer.cancel, event
// transfer.cancelled, noted in the feed (the shipping node hears head office's status; a
// destination node's copy becomes cancelled). `received_first`: a receipt had booked some of it
// (the caller lists the conflict). A transfer received already is left as it is
// (received_first, nothing written but the feed's note). `refused` says why nothing was written:
// not_found, other_store (not shipped from `node_location_id`), already_cancelled.
struct NodeCancel {
  std::optional<std::string> refused;
  bool received_first = false;
};
NodeCancel cancel_transfer_from_node(db::Db& db, const Actor& actor, const std::string& transfer_id,
                                     const std::string& node_location_id, const std::string& reason, std::int64_t at);
// What each line of transfer `transfer_id` still has in transit (by line id); empty when there
// is no such transfer.
std::map<std::string, std::int64_t> transfer_outstanding(db::Db& db, const std::string& transfer_id);

struct TransferFilter {
  std::string status;                     // in_transit | received | "" (any)
  std::string location_id;                // from or to it; "" = any
  std::vector<std::string> location_ids;  // a scoped caller's locations: from or to one of them; empty = all
  std::int64_t before_number = 0;         // cursor: numbers below it; 0 = from the newest
  int limit = 50;
};
struct ListedTransfer {
  std::int64_t number = 0;  // the next page's cursor when this is the last row
  boost::json::object document;
};
// Up to limit + 1 transfers, newest (highest number) first (the caller pages).
std::vector<ListedTransfer> list_transfers(db::Db& db, const TransferFilter& f);

// Reservations: held quantity that is on hand but not available.
Posted reserve(db::Db& db, const Actor& actor, const DocumentKey& key, const std::string& item_id,
               const std::string& location_id, Quantity quantity, const std::string& reference);
Posted release_reservation(db::Db& db, const Actor& actor, const std::string& id);

// Reads.
struct Balance {
  std::string item_id;
  std::string location_id;
  Quantity on_hand;
  Quantity reserved;
};
boost::json::object balance_to_json(const Balance& b);
Balance balance(db::Db& db, const std::string& item_id, const std::string& location_id);
// On hand as of `at` (inclusive), summed from the ledger; reserved is not historical (0).
Balance balance_as_of(db::Db& db, const std::string& item_id, const std::string& location_id, Timestamp at);
std::vector<Balance> balances_of_item(db::Db& db, const std::string& item_id, std::optional<Timestamp> as_of);

// What planning reads of the ledger (demand history and the inventory position).
struct LedgerMovement {
  std::string item_id;
  std::string location_id;
  Quantity quantity;  // signed
  std::string reason;  // a word of movement_reasons
  std::string document_id;
  Timestamp at;
};
// The ledger position (seq) of the first movement at or after `at`; past the last one when
// there is none.
std::int64_t first_seq_since(db::Db& db, Timestamp at);
// Every movement from ledger position `from_seq` on, in ledger order, with its position.
std::vector<std::pair<std::int64_t, LedgerMovement>> movements_from(db::Db& db, std::int64_t from_seq);
// The ledger position of the newest movement (0 when there is none).
std::int64_t last_seq(db::Db& db);
// On hand just before ledger position `seq` of every stock account that had a movement before it.
std::vector<Balance> balances_before(db::Db& db, std::int64_t seq);
// The balances (on hand and reserved) of every item at a location.
std::vector<Balance> balances_at(db::Db& db, const std::string& location_id);
// Per item, what open transfers to the location still carry (shipped, not yet received,
// damaged or booked short).
std::vector<std::pair<std::string, Quantity>> in_transit_to(db::Db& db, const std::string& location_id);

struct MovementFilter {
  std::string item_id;
  std::string location_id;
  std::string document_id;
  std::int64_t after_seq = 0;
  int limit = 50;
};
// Up to limit + 1 movements (the caller pages).
std::vector<boost::json::object> list_movements(db::Db& db, const MovementFilter& f);

// The ledger summed for the KPI report (src/reports/), on a reader; `at` in micros UTC and a
// day is at / 86,400,000,000 (UTC days). Balances before `before`: every (item, location)
// with a movement before it, with the sum of those movements.
struct BalanceBefore {
  std::string item_id;
  std::string location_id;
  Quantity on_hand;
};
std::vector<BalanceBefore> balances_before(db::Db& db, Timestamp before);
// Movements in [from, to) summed per item, location, UTC day, reason and document type,
// decreases and increases apart; ordered by item, location, day.
struct DailyMovement {
  std::string item_id;
  std::string location_id;
  std::int64_t day = 0;
  std::string reason;         // a word of movement_reasons
  std::string document_type;  // "sale", "adjustment", "count", ...
  Quantity decrease;          // sum of the negative quantities (<= 0)
  Quantity increase;          // sum of the positive quantities (>= 0)
};
std::vector<DailyMovement> daily_movements(db::Db& db, Timestamp from, Timestamp to);

}  // namespace backroom::stock

namespace backroom::stock {
// The ledger half of `backroom check`: balances equal the sum of movements, reservations
// equal active holds, every movement belongs to a document that exists, adjustments and
// transfers have their movements. One line per problem; empty when the ledger holds.
std::vector<std::string> check_ledger(db::Db& db);
}  // namespace backroom::stock

namespace backroom::stock {
// Demo data: opening stock (reason "opening") for every stocked item at every store,
// deterministic for a seed. Runs inside the caller's transaction. Returns adjustments made.
int seed_opening_stock(db::Db& db, const Actor& actor, std::uint32_t seed = 42);
// 403 when the actor (an API key scoped to locations) may not act at `location_id`.
// Checked where the location is known: in the route when the body names it, on the writer
// when it comes from a stored document (the sale a return or a void refers to).
void check_location_scope(const Actor& actor, const std::string& location_id);

}  // namespace backroom::stock
