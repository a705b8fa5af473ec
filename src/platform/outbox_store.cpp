#include "platform/ids.hpp"
#include "platform/outbox.hpp"
#include "platform/types.hpp"

namespace backroom {

void append_event(db::Db& db, const std::string& type, const std::string& entity_id, const std::string& payload) {
  db.query("INSERT INTO events (id, at, type, entity_id, payload) VALUES (?, ?, ?, ?, ?)")
      .bind(1, new_uuid_v7())
      .bind(2, now().micros)
      .bind(3, type)
      .bind(4, entity_id)
      .bind(5, payload)
      .run();
}

}  // namespace backroom
