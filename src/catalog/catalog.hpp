// Item master commands and the scan path. Commands run on the writer's connection inside
// its transaction and write the item rows, the audit entry and the outbox event together;
// `scan` runs on a reader. Every failure is a Problem naming the field.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "catalog/barcode.hpp"
#include "catalog/item.hpp"
#include "platform/db.hpp"
#include "platform/outbox.hpp"

namespace backroom::catalog {

struct CreateResult {
  Item item;
  std::vector<std::string> possible_duplicates;  // ids of active items that look the same
  bool replayed = false;                         // the same id was created before: nothing written
};

// Creates an item from a JSON body (see apply_item_json). When the body carries an `id`
// that exists already with the same SKU, returns that item (a retry) instead of failing.
CreateResult create_item(db::Db& db, const Actor& actor, const boost::json::object& body);
// Creates from an already-built item (CSV import, demo). `item.id` may be empty.
CreateResult create_item(db::Db& db, const Actor& actor, Item item);

// PATCH: applies `body` when the item is at `expected_version` (412 otherwise).
Item update_item(db::Db& db, const Actor& actor, const std::string& id, std::int64_t expected_version,
                 const boost::json::object& body);
// Replaces an item wholesale (import), keeping id, sku, kind and created_at; bumps version.
// The caller checks locked fields where its actor's file may change them (check_locked_fields).
Item replace_item(db::Db& db, const Actor& actor, const Item& before, Item after);
// Cost, prices, tax category and barcodes are locked: a change to any of them needs
// items.locked_fields. Throws 403 forbidden naming the field (and the permission).
void check_locked_fields(const Actor& actor, const Item& before, const Item& after);

Item add_barcode(db::Db& db, const Actor& actor, const std::string& id, const std::string& code, Quantity pack);
Item remove_barcode(db::Db& db, const Actor& actor, const std::string& id, const std::string& code);
// Issues the next restricted-circulation EAN-13 from `prefix` (or the first configured).
Item add_internal_barcode(db::Db& db, const Actor& actor, const std::string& id, const std::string& prefix,
                          Quantity pack);

struct BarcodeSettings {
  std::vector<std::string> internal_prefixes;
  std::vector<EmbeddedLayout> layouts;
};
BarcodeSettings barcode_settings(db::Db& db);
// Refuses overlapping prefixes (422 prefix_overlap) and incoherent layouts.
void set_barcode_settings(db::Db& db, const Actor& actor, const BarcodeSettings& settings);
boost::json::object barcode_settings_to_json(const BarcodeSettings& settings);
BarcodeSettings barcode_settings_from_json(const boost::json::object& body);

struct ScanResult {
  Item item;
  std::string code;  // the normalised key that matched
  Quantity pack_quantity;
  std::optional<std::int64_t> embedded_price;  // minor units
  std::optional<Quantity> embedded_weight;     // kg as milli-units (= grams)
  std::optional<std::string> batch;
  std::optional<std::string> expiry;
};
// The register's hot path. Throws 422 barcode_check_digit, 422 invalid_barcode,
// 404 unknown_barcode.
ScanResult scan(db::Db& db, std::string_view code);
boost::json::object scan_to_json(const ScanResult& result);

// Fills key and kind of each barcode and checks it belongs to no other item (409).
void resolve_barcodes(db::Db& db, Item& item, const std::vector<EmbeddedLayout>& layouts);

}  // namespace backroom::catalog
