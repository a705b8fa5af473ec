// The SQL of documents: which document each Idempotency-Key created (idempotency_keys).
#include "platform/assert.hpp"
#include "platform/documents.hpp"
#include "platform/types.hpp"

namespace backroom::documents::store {

std::optional<KeyUse> find_key(db::Db& db, const std::string& key) {
  auto q = db.query("SELECT route, document_id, request_hash FROM idempotency_keys WHERE key = ?");
  q.bind(1, key);
  if (!q.step()) return std::nullopt;
  return KeyUse{q.text(0), q.text(1), q.text(2)};
}

void insert_key(db::Db& db, const std::string& key, std::string_view route, const std::string& document_id,
                const std::string& request_hash) {
  db::assert_in_transaction(db);
  db.query("INSERT INTO idempotency_keys (key, route, document_id, request_hash, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(1, key)
      .bind(2, std::string(route))
      .bind(3, document_id)
      .bind(4, request_hash)
      .bind(5, now().micros)
      .run();
}

}  // namespace backroom::documents::store
