// Registers as a shop sets them up: a name, the store they stand in and the paper of their
// receipt printer (docs/openapi.yaml, section "Registers"). Sessions, sales and receipt
// numbers live in the rest of sales; a register first seen in a sale is recorded there with
// its id only, and is named here.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "platform/app.hpp"
#include "platform/db.hpp"
#include "platform/outbox.hpp"

namespace backroom::sales {

inline constexpr std::size_t register_name_length_max = 100;
inline constexpr std::size_t registers_max = 1000;  // per shop

struct RegisterSetup {
  std::string id;  // 1 to 40 letters, digits, - or _ (it prefixes receipt numbers)
  std::string name;
  std::string location_id;
  std::string location_name;
  int printer_width = 80;  // mm of paper: 58 or 80
  std::int64_t created_at = 0;
};

boost::json::object register_to_json(const RegisterSetup& r);

// Reads (any connection).
std::vector<RegisterSetup> list_registers(db::Db& db, const std::string& location_id);
std::optional<RegisterSetup> load_register(db::Db& db, const std::string& id);

// Commands (the writer). A new register gets `id` or the next free REG-<n>; 409
// duplicate_register when the id or the name at that store is taken; 422 when the
// location is not a store. An update may not move a register with an open session.
RegisterSetup create_register(db::Db& db, const Actor& actor, const std::optional<std::string>& id, const std::string& name,
                              const std::string& location_id, int printer_width);
struct RegisterPatch {
  std::optional<std::string> name;
  std::optional<std::string> location_id;
  std::optional<int> printer_width;
};
RegisterSetup update_register(db::Db& db, const Actor& actor, const std::string& id, const RegisterPatch& patch);

// Receipt-number blocks (migration 23, docs/offline-register.md). A register reserves `size`
// of its numbers in advance: next_receipt jumps past them, so the online path numbers on
// after the block, and an offline sale posted later names a number of the block.
inline constexpr std::int64_t receipt_block_size_max = 1000;
struct ReceiptBlock {
  std::string id;
  std::string register_id;
  std::int64_t first = 0, last = 0;
  std::int64_t created_at = 0;
  std::string created_by;
  std::vector<std::int64_t> used;  // ascending
};
boost::json::object receipt_block_to_json(const ReceiptBlock& b);
// 404 when the register does not exist; audited.
ReceiptBlock reserve_receipt_block(db::Db& db, const Actor& actor, const std::string& register_id, std::int64_t size);
// Marks `number` of one of the register's blocks used by `sale_id`: false when no block of the
// register holds it; 409 receipt_number_used when another sale has it.
bool use_block_number(db::Db& db, const std::string& register_id, std::int64_t number, const std::string& sale_id);
// The block number `sale_id` uses (posted offline, or its offline receipt), if any.
std::optional<std::int64_t> block_number_used_by(db::Db& db, const std::string& sale_id);
// When the block of the register that holds `number` was reserved (micros); nullopt when no
// block holds it.
std::optional<std::int64_t> block_reserved_at(db::Db& db, const std::string& register_id, std::int64_t number);
// The register's blocks, newest first, with the numbers used.
std::vector<ReceiptBlock> list_receipt_blocks(db::Db& db, const std::string& register_id);

void register_register_routes(App& app);

}  // namespace backroom::sales
