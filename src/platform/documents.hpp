// Documents post once (docs/ledger.md, "Documents post once"). Every command that creates
// a document (a sale, a return, an adjustment, a transfer...) learns its identity first:
//
//   1. An Idempotency-Key header maps to the document it created before (table
//      idempotency_keys, per route); the same key on another route or with another body
//      is 422 idempotency_key_reused (field-less, naming the Idempotency-Key).
//   2. Else the body's `id` (a client-made UUID) is the document's id.
//   3. Else the document gets a new UUIDv7.
//
// If a document with that id exists, the command answers it again (a replay: 200, the
// stored document re-read from its rows) and writes nothing — provided the command's own
// table says it came from the same request (the body's hash); another request under the
// same id is 422 idempotency_key_reused. After writing, the command calls remember() so the
// key finds the document next time. Both run on the writer inside the command's
// transaction (claim and remember see and write the same snapshot).
#pragma once

#include <boost/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.hpp"
#include "platform/http.hpp"
#include "platform/types.hpp"

namespace backroom::documents {

inline constexpr std::size_t idempotency_key_length_max = 200;

// A document's identity as its request states it.
struct DocumentKey {
  std::optional<std::string> id;               // the body's id (a UUID)
  std::optional<std::string> idempotency_key;  // header
  std::string request_hash;                    // of the body
};

// The hash that tells a retry (same body) from another request under the same id or key.
std::string request_hash(std::string_view body);

// The HTTP edge: the body's "id" (a UUID, 422 invalid_field `id` otherwise) and the
// Idempotency-Key header (1 to idempotency_key_length_max bytes, 400 bad_idempotency_key
// otherwise), with the hash of the request body.
DocumentKey document_key(const http::Request& req, const boost::json::object& body);
// A path parameter that names a document by id: a UUID, else 404 naming `what`.
std::string id_param(const http::Request& req, std::size_t index, const std::string& what);

// A line of a receipt body (a transfer's, a purchase order's): it names the document's line
// (`line_field`: "line_id", "po_line_id") or else an item ("item_id"), what arrived, and what
// of it is damaged (0 when left out).
struct ReceivedLine {
  std::string key;       // the line's or the item's id, normalized
  bool by_item = false;  // `key` is an item id
  Quantity received;
  Quantity damaged;
};
// The body's "lines" array read so: at most `max_lines` (422 invalid_field "lines"); each line
// an object with only those members (422 unknown_field), one of the ids as a UUID (422
// missing_field / invalid_field naming "lines[i].…"), received an exact quantity.
std::vector<ReceivedLine> received_lines(const boost::json::array& lines, std::string_view line_field,
                                         std::size_t max_lines);

// What a command's own table holds for a document id.
enum class Prior {
  none,           // no such document: post it under this id
  same_request,   // posted before from this request (or the table keeps no hash): replay it
  other_request,  // posted before from another request: 409
};
// Prior of a stored document from the request hash it kept (nullopt: no such document).
Prior prior_of(const std::optional<std::string>& stored_hash, const DocumentKey& key);

struct Claim {
  std::string id;       // the document's id: the one posted before, or the new document's
  bool replay = false;  // the document exists: answer it, write nothing
};

// Steps 1-3 above. `route` scopes the Idempotency-Key ("sale", "transfer", ...); `what`
// names the document in the 409 detail; `prior` looks an id up in the command's table.
Claim claim(db::Db& db, const DocumentKey& key, std::string_view route, std::string_view what,
            const std::function<Prior(const std::string& id)>& prior);
// Records that the key's request created `document_id` (nothing without a key).
void remember(db::Db& db, const DocumentKey& key, std::string_view route, const std::string& document_id);

namespace store {
// idempotency_keys (documents_store.cpp).
struct KeyUse {
  std::string route, document_id, request_hash;
};
std::optional<KeyUse> find_key(db::Db& db, const std::string& key);
void insert_key(db::Db& db, const std::string& key, std::string_view route, const std::string& document_id,
                const std::string& request_hash);
}  // namespace store

}  // namespace backroom::documents
