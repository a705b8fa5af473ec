// What the store-credit report (reports/store_credit.hpp) and the notes' list
// (GET /api/v1/store-credits) read of the store-credit ledger: plain values and the reads that
// make them (store_credit_store.cpp; docs/reports.md, "Store credit").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "platform/types.hpp"

namespace backroom::sales {

// A period is [start, end) in UTC microseconds.
enum class LedgerPhase : std::uint8_t { before, in, after };  // an entry's time against the period
// The sum of one kind of entry (document_type: sale, void, return, head_office) in one phase.
struct CreditLedgerSum {
  std::string document_type;
  LedgerPhase phase = LedgerPhase::in;
  std::int64_t amount = 0;   // signed, as the entries are
  std::int64_t entries = 0;
};
// A store node's sale's shortfall at head office (store_credit_shortfalls), with its settlement.
struct CreditShortfall {
  std::string sale_id;
  std::string receipt_number;
  std::string location_id;   // the sale's store
  std::string code;
  std::int64_t amount = 0;
  Timestamp at;
  std::optional<std::string> settlement;  // written_off or collected; none while open
  std::optional<Timestamp> settled_at;
  std::string settled_by;    // a user name
  std::string note;
};
// One credit note in the notes' list.
struct CreditNoteRow {
  std::string id;
  std::string code;
  std::int64_t balance = 0;
  Timestamp issued_at;                       // when the note was made
  std::optional<Timestamp> last_used_at;     // its last spend (a sale entry); none if never spent
  std::optional<std::string> location_id;    // where its first return was, when the ledger tells
};
// The store-credit report's and list's reads (docs/reports.md, "Store credit"). A note's store
// is where its first return was (`issued_at` filters by it); a shortfall's is its sale's store.
// The sums of every entry, by kind and phase against [start, end).
std::vector<CreditLedgerSum> store_credit_ledger_sums(db::Db& db, Timestamp start, Timestamp end,
                                                      const std::optional<std::string>& issued_at);
// What the notes hold now (the sum of their balances).
std::int64_t store_credit_balances(db::Db& db, const std::optional<std::string>& issued_at);
// The shortfalls that arose before `end` and were not settled before `start` (the ones a period's
// report counts), oldest first, up to `limit`.
std::vector<CreditShortfall> store_credit_shortfalls_for(db::Db& db, Timestamp start, Timestamp end,
                                                         const std::optional<std::string>& sale_location,
                                                         std::size_t limit);
// Notes newest first (by id, a UUIDv7), those before `before_id` when set, up to `limit`;
// `open_only`: balance above zero.
std::vector<CreditNoteRow> list_store_credits(db::Db& db, bool open_only, const std::string& before_id, std::size_t limit);

}  // namespace backroom::sales
