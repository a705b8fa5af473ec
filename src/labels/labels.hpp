// The label queue and print jobs: the imperative shell around layout/render/zpl.
//
// The queue fills itself from the outbox rather than from hooks in other capabilities
// (catalog must not know labels exist). enqueue_from_events() reads events after the
// cursor kept in settings ("labels.events_cursor") and enqueues:
//   item.created                          -> a shelf label in every store (active, sellable)
//   item.updated whose price changed      -> a shelf label in every store
//   price_change.approved (in effect) / price_change.applied -> a shelf label in every store
//   transfer.received, and any "*.received" document with lines (but purchase_order.received)
//                                         -> a shelf label for each received item in the
//                                            receiving store
//   receipt.posted (goods received against a purchase order)
//                                         -> a shelf label in the receiving store for each
//                                            item whose label there is missing (never
//                                            printed) or whose price changed since it was
//                                            last printed
// It runs on the writer, lazily: whenever a queue is read or printed (HTTP or CLI), so the
// queue is never staler than the moment someone looks at it, and nothing runs when no one
// prints labels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/item.hpp"
#include "labels/labels_store.hpp"
#include "labels/layout.hpp"
#include "labels/render.hpp"
#include "platform/db.hpp"
#include "platform/outbox.hpp"

namespace backroom::labels {

inline constexpr std::size_t events_per_sync_max = 5000;
inline constexpr std::size_t reason_length_max = 100;

// Queues a label of `kind` for the item in the store (writer connection, inside the
// caller's transaction). A pending label for the same store, item and kind is kept and
// given the newer reason. Throws 404 not_found for an unknown store or item.
void enqueue(db::Db& db, const std::string& store_id, const std::string& item_id, std::string_view reason,
             LabelKind kind = LabelKind::shelf, int copies = 1);

// Consumes up to `events_max` outbox events after the cursor (writer connection, inside the
// caller's transaction); returns how many were read.
std::size_t enqueue_from_events(db::Db& db, std::size_t events_max = events_per_sync_max);

// A store location by id or by name (case-insensitive); "" picks the only store when there
// is exactly one. Throws 404 unknown_store, 422 missing_field store.
std::string resolve_store(db::Db& db, std::string_view id_or_name);

// Currency, print date, unit-price basis, rounding and scale layouts of the shop.
LabelContext label_context(db::Db& db);

Calibration saved_calibration(db::Db& db);
void save_calibration(db::Db& db, const Actor& actor, const Calibration& calibration);

// Loads an item by id or SKU; throws 404 unknown_item naming `field`.
catalog::Item require_item(db::Db& db, std::string_view id_or_sku, const std::string& field);

struct PrintRequest {
  std::string item;  // id or SKU
  LabelKind kind = LabelKind::shelf;
  int copies = 1;
  std::optional<Quantity> weight;
};
struct PrintOptions {
  std::string template_spec = std::string(default_template_name);
  Format format = Format::pdf;
  int dpi = 0;
  std::optional<Calibration> calibration;  // default: the saved one
  std::optional<Symbology> symbology;      // qr to print QR codes instead
};

// Renders explicit labels (reader connection). Throws Problems for unknown items,
// templates, formats, and labels that cannot carry their barcode.
std::string print_items(db::Db& db, const std::vector<PrintRequest>& requests, const PrintOptions& options);

// One label alone on a page of its own size (previews).
std::string preview(db::Db& db, const PrintRequest& request, const PrintOptions& options);

struct QueueJob {
  std::string job_id;
  std::string bytes;
  std::vector<std::string> entry_ids;
  std::size_t labels = 0;
};
// Renders the store's pending labels, oldest first, up to `limit` entries (reader
// connection). Does not mark them: call mark_printed after the file is delivered.
QueueJob print_queue(db::Db& db, const std::string& store_id, const PrintOptions& options, int limit);

// Marks the job's entries printed, with audit entry and a labels.printed event (writer).
std::int64_t mark_printed(db::Db& db, const Actor& actor, const QueueJob& job, const std::string& store_id,
                          const PrintOptions& options);

}  // namespace backroom::labels
