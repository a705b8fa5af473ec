// The SQLite backend of db::Db: the embedded file of a one-store shop.
#include <fmt/format.h>
#include <sqlite3.h>

#include <unordered_map>

#include "platform/db_backends.hpp"

namespace backroom::db {
namespace {

DbError::Kind kind_of(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: return DbError::Kind::constraint;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DbError::Kind::busy;
    default: return DbError::Kind::other;
  }
}

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  throw DbError(kind_of(rc), rc, fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

class SqliteStatement final : public Statement {
 public:
  explicit SqliteStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void bind_int64(int index, std::int64_t value) override {
    int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  }
  void bind_text(int index, std::string_view value) override {
    int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  }
  void bind_null(int index) override {
    int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) fail(sqlite3_db_handle(stmt_), rc, "bind");
  }
  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(sqlite3_db_handle(stmt_), rc, fmt::format("step '{:.60}'", sqlite3_sql(stmt_)));
  }
  void run_changing(std::int64_t rows, std::string_view invariant, std::source_location where) override {
    run();
    if (sqlite3_changes64(sqlite3_db_handle(stmt_)) != rows) changed_rows_wrong(rows, invariant, where);
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  bool is_null(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::int64_t int64(int c) const override { return sqlite3_column_int64(stmt_, c); }
  std::string text(int c) const override {
    const unsigned char* t = sqlite3_column_text(stmt_, c);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
             : std::string();
  }
  std::string_view text_view(int c) const override {
    const unsigned char* t = sqlite3_column_text(stmt_, c);
    return t ? std::string_view(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)))
             : std::string_view();
  }
  int column_count() const override { return sqlite3_column_count(stmt_); }
  std::string column_name(int c) const override { return sqlite3_column_name(stmt_, c); }
  bool is_integer(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_INTEGER; }

 private:
  sqlite3_stmt* stmt_;
};

class SqliteDb final : public Db {
 public:
  SqliteDb(sqlite3* db, std::string path) : Db(std::move(path)), db_(db) {}
  ~SqliteDb() override {
    statements_.clear();
    sqlite3_close(db_);
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  void exec(std::string_view sql) override {
    char* error = nullptr;
    std::string text(sql);
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      throw DbError(kind_of(rc), rc, fmt::format("exec '{:.60}': {}", text, message));
    }
  }

  Query query(std::string_view sql) override {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      sqlite3_stmt* stmt = nullptr;
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                  nullptr);
      if (rc != SQLITE_OK) fail(db_, rc, fmt::format("prepare '{:.80}'", sql));
      it = statements_.emplace(std::string(sql), std::make_unique<SqliteStatement>(stmt)).first;
    }
    return Query(it->second.get());
  }

  std::int64_t changes() override { return sqlite3_changes64(db_); }
  std::int64_t last_insert_rowid() override { return sqlite3_last_insert_rowid(db_); }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  void begin_write() override { query("BEGIN IMMEDIATE").run(); }
  void begin_read() override { query("BEGIN").run(); }
  sqlite3* sqlite_handle() override { return db_; }

 private:
  sqlite3* db_;
  struct SqlHash {  // looks statements up by the caller's string_view, without a copy
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>, SqlHash, std::equal_to<>> statements_;
};

}  // namespace

std::unique_ptr<Db> open_sqlite(const std::string& location, Mode mode) {
  // Once per process, before SQLite initialises: every connection belongs to one thread at a
  // time, so the per-connection mutexes are dead weight, and the global memory statistics
  // take a process-wide mutex around every allocation (about 20 % of a sale's writer time).
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  // "file:" is SQLite's own URI form; a plain path stays a path.
  sqlite3* handle = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI |
              (mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(location.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close(handle);
    throw DbError(kind_of(rc), rc, fmt::format("cannot open database '{}': {}", location, message));
  }
  auto db = std::make_unique<SqliteDb>(handle, location);
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

}  // namespace backroom::db
