// Asking for a read before it is needed, so that on PostgreSQL it travels with the statement
// the connection waits for next (one round trip for both). See docs/scaling.md.
#pragma once

#include <functional>
#include <string_view>

#include "platform/db.hpp"

namespace backroom::db {

// Sends the statement `sql`, bound by `bind`, now and without waiting (PostgreSQL, outside a
// transaction, with pipelining): its answer comes with the next statement this connection
// waits for. The first step() of the same statement with the same bindings before
// forget_prefetched() reads that answer instead of asking again; with other bindings it asks
// again. An error of the prefetched statement is thrown by that step(), never by the
// statement that was waited for. On SQLite, with unnamed statements (PgBouncer) or with
// BACKROOM_PG_PIPELINE=off it does nothing: step() asks as usual. Hold a Prefetched for as
// long as the answer may be used.
void prefetch(Db& db, std::string_view sql, const std::function<void(Query&)>& bind);

// Drops the answers prefetched on `db` that nobody read (reading them first if they are still
// due): a prefetched answer is never used past the request that asked for it.
void forget_prefetched(Db& db) noexcept;

// What a request prefetched on a connection, forgotten when this ends. Empty when
// default-constructed.
class Prefetched {
 public:
  Prefetched() = default;
  explicit Prefetched(Db& db) : db_(&db) {}
  Prefetched(Prefetched&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Prefetched& operator=(Prefetched&& other) noexcept {
    if (this != &other) {
      if (db_) forget_prefetched(*db_);
      db_ = other.db_;
      other.db_ = nullptr;
    }
    return *this;
  }
  Prefetched(const Prefetched&) = delete;
  Prefetched& operator=(const Prefetched&) = delete;
  ~Prefetched() {
    if (db_) forget_prefetched(*db_);
  }

 private:
  Db* db_ = nullptr;
};

}  // namespace backroom::db
