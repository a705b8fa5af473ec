// Receipt-number blocks (migration 23): a register reserves numbers in advance for the sales
// it may have to complete offline (docs/offline-register.md).
#include <fmt/format.h>

#include "access/audit.hpp"
#include "platform/assert.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"
#include "sales/registers_api.hpp"

namespace backroom::sales {

namespace bj = boost::json;

bj::object receipt_block_to_json(const ReceiptBlock& b) {
  auto label = [&](std::int64_t n) { return fmt::format("{}-{:06}", b.register_id, n); };
  bj::array used;
  for (auto n : b.used) used.push_back(n);
  // The unused numbers, as ranges: the gap a block leaves is listed, never hidden.
  bj::array unused;
  std::int64_t next = b.first;
  auto add_range = [&](std::int64_t from, std::int64_t to) {
    if (from <= to) unused.push_back(bj::object{{"from", from}, {"to", to}});
  };
  for (auto n : b.used) {
    add_range(next, n - 1);
    next = n + 1;
  }
  add_range(next, b.last);
  return bj::object{{"id", b.id},
                    {"register_id", b.register_id},
                    {"from", b.first},
                    {"to", b.last},
                    {"size", b.last - b.first + 1},
                    {"first_receipt_number", label(b.first)},
                    {"last_receipt_number", label(b.last)},
                    {"used", std::move(used)},
                    {"unused", std::move(unused)},
                    {"created_at", format_rfc3339(Timestamp{b.created_at})},
                    {"created_by", b.created_by}};
}

ReceiptBlock reserve_receipt_block(db::Db& db, const Actor& actor, const std::string& register_id, std::int64_t size) {
  db::assert_in_transaction(db);
  db.query("UPDATE registers SET next_receipt = next_receipt + ? WHERE id = ?").bind(1, size).bind(2, register_id).run();
  auto q = db.query("SELECT next_receipt FROM registers WHERE id = ?");
  q.bind(1, register_id);
  if (!q.step()) throw not_found("register", register_id);
  ReceiptBlock b;
  b.id = new_uuid_v7();
  b.register_id = register_id;
  b.last = q.int64(0) - 1;
  b.first = b.last - size + 1;
  b.created_at = now().micros;
  b.created_by = actor.user;
  db.query(
        "INSERT INTO receipt_blocks (id, register_id, first_number, last_number, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, b.id)
      .bind(2, b.register_id)
      .bind(3, b.first)
      .bind(4, b.last)
      .bind(5, b.created_at)
      .bind(6, b.created_by)
      .run();
  append_audit(db, actor,
               AuditEntry{"register.receipt_block", "register", register_id, std::nullopt,
                          bj::serialize(bj::object{{"block_id", b.id}, {"from", b.first}, {"to", b.last}})});
  return b;
}

bool use_block_number(db::Db& db, const std::string& register_id, std::int64_t number, const std::string& sale_id) {
  db::assert_in_transaction(db);
  auto q = db.query("SELECT id FROM receipt_blocks WHERE register_id = ? AND first_number <= ? AND last_number >= ?");
  q.bind(1, register_id).bind(2, number).bind(3, number);
  if (!q.step()) return false;
  std::string block = q.text(0);
  auto used = db.query("SELECT sale_id FROM receipt_block_uses WHERE block_id = ? AND number = ?");
  used.bind(1, block).bind(2, number);
  if (used.step())
    throw Problem(409, "receipt_number_used",
                  fmt::format("receipt number {}-{:06} is already on another sale", register_id, number), "receipt_number");
  db.query("INSERT INTO receipt_block_uses (block_id, number, sale_id) VALUES (?, ?, ?)")
      .bind(1, block)
      .bind(2, number)
      .bind(3, sale_id)
      .run();
  return true;
}

std::optional<std::int64_t> block_number_used_by(db::Db& db, const std::string& sale_id) {
  auto q = db.query("SELECT number FROM receipt_block_uses WHERE sale_id = ?");
  q.bind(1, sale_id);
  if (!q.step()) return std::nullopt;
  return q.int64(0);
}

std::optional<std::int64_t> block_reserved_at(db::Db& db, const std::string& register_id, std::int64_t number) {
  auto q = db.query("SELECT created_at FROM receipt_blocks WHERE register_id = ? AND first_number <= ? AND last_number >= ?");
  q.bind(1, register_id).bind(2, number).bind(3, number);
  if (!q.step()) return std::nullopt;
  return q.int64(0);
}

std::vector<ReceiptBlock> list_receipt_blocks(db::Db& db, const std::string& register_id) {
  std::vector<ReceiptBlock> out;
  {
    auto q = db.query(
        "SELECT id, first_number, last_number, created_at, created_by FROM receipt_blocks WHERE register_id = ? "
        "ORDER BY first_number DESC LIMIT 200");
    q.bind(1, register_id);
    while (q.step())
      out.push_back(ReceiptBlock{q.text(0), register_id, q.int64(1), q.int64(2), q.int64(3), q.text(4), {}});
  }
  for (auto& b : out) {
    auto u = db.query("SELECT number FROM receipt_block_uses WHERE block_id = ? ORDER BY number");
    u.bind(1, b.id);
    while (u.step()) b.used.push_back(u.int64(0));
  }
  return out;
}

}  // namespace backroom::sales
