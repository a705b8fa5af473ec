#include "platform/db.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <map>

#include "platform/assert.hpp"

namespace backroom::db {

namespace {

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  throw DbError(rc, fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}
}  // namespace

bool DbError::is_constraint() const { return (code & 0xff) == SQLITE_CONSTRAINT; }
bool DbError::is_busy() const { return (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED; }

Query::Query(sqlite3_stmt* stmt) : stmt_(stmt) {}
Query::Query(Query&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
Query::~Query() {
  if (stmt_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Query& Query::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}
Query& Query::bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}
Query& Query::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  return *this;
}

bool Query::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(sqlite3_db_handle(stmt_), rc, fmt::format("step '{:.60}'", sqlite3_sql(stmt_)));
}

void Query::run() {
  while (step()) {
  }
}

bool Query::is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
std::int64_t Query::int64(int c) const { return sqlite3_column_int64(stmt_, c); }
std::string Query::text(int c) const {
  const unsigned char* t = sqlite3_column_text(stmt_, c);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
           : std::string();
}
std::optional<std::string> Query::opt_text(int c) const {
  if (is_null(c)) return std::nullopt;
  return text(c);
}
std::optional<std::int64_t> Query::opt_int64(int c) const {
  if (is_null(c)) return std::nullopt;
  return int64(c);
}

std::unique_ptr<Db> Db::open(const std::string& path, Mode mode) {
  // Once per process, before SQLite initialises: every connection belongs to one thread at a
  // time, so the per-connection mutexes are dead weight, and the global memory statistics
  // take a process-wide mutex around every allocation (about 20 % of a sale's writer time).
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* handle = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close(handle);
    throw DbError(rc, fmt::format("cannot open database '{}': {}", path, message));
  }
  std::unique_ptr<Db> db(new Db(handle, path));
  sqlite3_busy_timeout(handle, busy_timeout_ms);
  sqlite3_extended_result_codes(handle, 1);
  db->exec("PRAGMA foreign_keys = ON");
  // Each connection keeps up to 16 MiB of hot pages; the rest comes from the OS page cache.
  // (A memory map was faster per read but counted the whole file once per thread in RSS.)
  db->exec("PRAGMA cache_size = -16000");
  if (mode == Mode::read_write) {
    db->exec("PRAGMA journal_mode = WAL");
    // Durable: a command is acknowledged only after its commit reached the disk.
    db->exec("PRAGMA synchronous = FULL");
  }
  return db;
}

Db::Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Db::~Db() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

void Db::exec(std::string_view sql) {
  char* error = nullptr;
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw DbError(rc, fmt::format("exec '{:.60}': {}", text, message));
  }
}

Query Db::query(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, fmt::format("prepare '{:.80}'", sql));
    it = statements_.emplace(std::string(sql), stmt).first;
  }
  return Query(it->second);
}

void assert_in_transaction(Db& db, std::source_location caller) {
  if (sqlite3_get_autocommit(db.handle()) == 0) return;
  assert_failed(caller.file_name(), static_cast<int>(caller.line()), "sqlite3_get_autocommit(db) == 0",
                fmt::format("{} writes outside a transaction", caller.function_name()));
}

std::int64_t Db::changes() const { return sqlite3_changes64(db_); }
std::int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

Db& reader(const std::string& path) {
  thread_local std::map<std::string, std::unique_ptr<Db>> readers;
  auto& slot = readers[path];
  if (!slot) slot = Db::open(path, Mode::read_only);
  return *slot;
}

ReadSnapshot::ReadSnapshot(Db& db) : db_(db) {
  if (sqlite3_get_autocommit(db_.handle())) {
    db_.query("BEGIN").run();
    began_ = true;
  }
}

ReadSnapshot::~ReadSnapshot() {
  if (began_) {
    try {
      db_.query("COMMIT").run();
    } catch (...) {
    }
  }
}

std::int64_t data_version(Db& db) {
  auto q = db.query("PRAGMA data_version");
  q.step();
  return q.int64(0);
}

Transaction::Transaction(Db& db, bool immediate) : db_(db) {
  db_.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
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
