// A store node's sales money in head office's journal (docs/sync.md, "The money at head
// office"). When head office posts a pushed `sale.completed`, `return.completed`,
// `sale.voided` or `exchange.completed`, it writes the sale, return, void or exchange into its
// own sales journal (sales, sale_lines, sale_tenders, returns, sale_voids, exchanges) through
// the sales store's writers, exactly once: the journal row's id is the node's sale / return /
// exchange id (a repeat writes nothing), with
// what the store charged and refunded as sent, the node's receipt number and register, the
// store's business time, and NO stock movement (the document's movements are already posted
// as `node_document`).
//
// A node's register is a register row of its own at head office, `node:<node>:<register>`
// (`<node>` the last 12 characters of the node's id), at the node's store: a register id
// head office makes can hold no ':' (sales::valid_register_id), so no node register is
// ever one of head office's own and nothing at head office sells at it. Its receipt number
// at head office is the store's own followed by `@<node>` ("REG-1-000042@3fa9c0d21b7e"):
// receipt numbers are unique across head office, and a receipt lookup by the store's number
// alone finds it (sales::store::find_sale_ids).
#pragma once

#include <string>
#include <vector>

#include "platform/db.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {

// What writing `doc` into the journal did: `written` "sale", "return", "void" or "exchange",
// or empty when it wrote nothing (another type; already in the journal; a void of a sale the
// journal does not hold); `skipped` the reason when the payload does not make a whole document (a field
// missing, money that does not add up, a row the journal refuses): then nothing of it is
// written and the push goes on (its stock is posted; the reason is in the push's audit entry).
//
// Store credit (docs/sync.md, "Store credit across stores"): head office is the book of record
// of the nodes' credit notes. Writing a node's return refunded to store credit adds its amount to
// the note with the code the node printed (made with that code when head office has none);
// writing a node's sale spends its store-credit tenders from the notes they name, up to what
// each holds: what is not covered is in `overdrawn` (the caller lists it as a
// store_credit_overdrawn conflict); writing a node's void gives back what its sale spent here.
// All of it only when the journal row is written, so a repeat changes nothing.
struct Overdrawn {
  std::string code;
  std::int64_t tendered = 0;   // what the store's sale took from the note
  std::int64_t uncovered = 0;  // what head office's balance could not cover
};
struct Journaled {
  Journaled() = default;
  Journaled(std::string written_, std::string skipped_, std::vector<Overdrawn> overdrawn_ = {})
      : written(std::move(written_)), skipped(std::move(skipped_)), overdrawn(std::move(overdrawn_)) {}
  std::string written;
  std::string skipped;
  std::vector<Overdrawn> overdrawn;  // a sale's store-credit tenders head office could not cover
};
Journaled journal_node_document(db::Db& db, const Node& node, const store::Document& doc);
// Settles the shortfall a store_credit_overdrawn conflict lists (its `detail`: sale_id, code):
// `settlement` written_off or collected (sales::settle_store_credit_shortfall), by `actor`,
// with `note`. Answers {sale_id, code, amount} for the resolution's audit entry.
boost::json::object settle_overdrawn(db::Db& db, const Actor& actor, const std::string& detail,
                                     std::string_view settlement, const std::string& note);
// The same for each of a push's `documents`, in order, each answer at its document's position,
// and the same rows as journal_node_document one at a time: the sales written together
// (sales::store::insert_sales), what the journal would skip or refuse decided first by set
// reads (a refused sale then goes through journal_node_document, after the others); a void,
// return or exchange, or a second document of a sale, after the sales before it. A batch the
// database refuses all the same is rolled back and its sales written one at a time.
std::vector<Journaled> journal_node_documents(db::Db& db, const Node& node,
                                              const std::vector<const store::Document*>& documents);

// The register id and receipt number a node's sale has at head office.
std::string node_register_id(const std::string& node_id, const std::string& node_register);
std::string node_receipt_number(const std::string& node_id, const std::string& node_receipt);

}  // namespace backroom::sync
