#include "platform/db.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <thread>

#include "platform/assert.hpp"
#include "platform/db_backends.hpp"
#include "platform/db_shared_snapshot.hpp"
#include "platform/periodic.hpp"

namespace backroom::db {

bool is_postgres_location(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::string redact_location(std::string_view location) {
  if (!is_postgres_location(location)) return std::string(location);
  // scheme://user:password@host...: the password is between the first ':' after the scheme
  // and the '@' that ends the user info.
  std::size_t start = location.find("://") + 3;
  std::size_t at = location.find('@', start);
  std::size_t slash = location.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) return std::string(location);
  std::size_t colon = location.find(':', start);
  std::string out(location);
  if (colon != std::string_view::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  // A password given as a query parameter (?password=...) is hidden too.
  std::size_t p = out.find("password=");
  if (p != std::string::npos) {
    std::size_t end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
  }
  return out;
}

std::string Db::display_name() const { return redact_location(location_); }

std::unique_ptr<Db> Db::open(const std::string& location, Mode mode) {
  if (is_postgres_location(location)) return open_postgres(location, mode);
  return open_sqlite(location, mode);
}

void changed_rows_wrong(std::int64_t rows, std::string_view invariant, std::source_location where) {
  assert_failed(where.file_name(), static_cast<int>(where.line()), fmt::format("changes() == {}", rows), invariant);
}

void assert_in_transaction(Db& db, std::source_location caller) {
  if (db.in_transaction()) return;
  assert_failed(caller.file_name(), static_cast<int>(caller.line()), "db.in_transaction()",
                fmt::format("{} writes outside a transaction", caller.function_name()));
}

Db& reader(const std::string& path) {
  thread_local std::map<std::string, std::unique_ptr<Db>> readers;
  auto& slot = readers[path];
  if (!slot) slot = Db::open(path, Mode::read_only);
  return *slot;
}

ReadSnapshot::ReadSnapshot(Db& db) : db_(db) {
  if (!db_.in_transaction()) {
    db_.begin_read();
    began_ = true;
  }
}

ReadSnapshot::~ReadSnapshot() {
  if (began_) {
    try {
      db_.query("COMMIT").run();
    } catch (...) {
      try {
        db_.exec("ROLLBACK");
      } catch (...) {
      }
    }
  }
}

namespace {

// PRAGMA data_version: read in a transaction, it is the version of that transaction's snapshot.
std::int64_t data_version(Db& db) {
  auto q = db.query("PRAGMA data_version");
  bool answered = q.step();
  BR_ASSERT(answered, "PRAGMA data_version answers a row");
  return q.int64(0);
}

}  // namespace

SharedReadSnapshot::SharedReadSnapshot(Db& first, const std::vector<Db*>& others, const std::function<void()>& after_first) {
  if (first.in_transaction()) {  // its snapshot may be older than any other can begin
    first_ = std::make_unique<ReadSnapshot>(first);
    return;
  }
  bool versioned = first.sqlite_handle() != nullptr;
  bool exported = first.dialect() == Dialect::postgres && !others.empty();
  for (Db* other : others) {
    BR_ASSERT(!other->in_transaction(), "a shared snapshot begins outside a transaction");
    versioned = versioned && other->sqlite_handle() != nullptr;
    exported = exported && other->dialect() == Dialect::postgres;
  }
  if (exported) {
    // PostgreSQL gives the first transaction's very snapshot to the others: exported by the
    // first, imported by each as its first statement (what pg_dump's parallel workers do).
    first_ = std::make_unique<ReadSnapshot>(first);
    std::string id;
    {
      auto q = first.query("SELECT pg_export_snapshot()");
      if (q.step()) id = q.text(0);
    }
    BR_ASSERT(!id.empty() && id.find_first_not_of("0123456789ABCDEFabcdef-") == std::string::npos,
              "a snapshot id is hexadecimal numbers and dashes");
    if (after_first) after_first();
    for (Db* other : others) {
      others_.push_back(std::make_unique<ReadSnapshot>(*other));
      other->exec("SET TRANSACTION SNAPSHOT '" + id + "'");  // not a parameter: SET takes none
    }
    shared_ = true;
    return;
  }
  for (int tries = 1;; ++tries) {
    std::vector<std::int64_t> before;
    if (versioned)
      for (Db* other : others) before.push_back(data_version(*other));
    first_ = std::make_unique<ReadSnapshot>(first);
    if (versioned) data_version(first);  // BEGIN is deferred: the snapshot starts at the first read
    if (after_first) after_first();
    if (!versioned || others.empty()) return;
    bool same = true;
    for (std::size_t i = 0; i < others.size(); ++i) {
      others_.push_back(std::make_unique<ReadSnapshot>(*others[i]));
      same = same && data_version(*others[i]) == before[i];
    }
    if (same) {
      shared_ = true;
      return;
    }
    others_.clear();
    if (tries == tries_max) return;
    first_.reset();
  }
}

unsigned read_threads(const char* env, unsigned fallback) {
  const auto wanted = std::min<std::int64_t>(env_positive(env, fallback, "number of threads"), read_threads_max);
  return std::clamp(std::min(static_cast<unsigned>(wanted), std::thread::hardware_concurrency()), 1u, read_threads_max);
}

SharedReaders::SharedReaders(Db& first, const std::string& path, unsigned threads, bool on_postgres) {
  if (first.dialect() == Dialect::sqlite || on_postgres)
    for (unsigned i = 1; i < threads; ++i) {
      owned_.push_back(Db::open(path, Mode::read_only));
      helpers_.push_back(owned_.back().get());
    }
  snapshot_.emplace(first, helpers_);
  if (!snapshot_->shared()) helpers_.clear();
}

SharedReadSnapshot::~SharedReadSnapshot() {
  others_.clear();
  first_.reset();
}

Transaction::Transaction(Db& db, bool write) : db_(db) {
  if (write)
    db_.begin_write();
  else
    db_.exec("BEGIN");
}
Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
    }
  }
}
void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace backroom::db
