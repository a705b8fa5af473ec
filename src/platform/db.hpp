// Database access for every *_store file, on either backend:
//   - SQLite (a path or file: URI): the embedded file of a one-store shop (sqlite_db.cpp);
//   - PostgreSQL (postgresql:// or postgres:// URI): a server several processes share
//     (pg_db.cpp, libpq).
// A Db is one connection with cached statements; Query is a borrowed statement that binds by
// position and resets itself when it goes out of scope. One Db per thread: the writer owns
// one, each reader thread opens its own.
//
// Stores write SQL once, in SQLite's dialect with `?` placeholders; the PostgreSQL backend
// rewrites each statement once per connection (platform/pg_sql.hpp), so no capability knows
// which database it runs on.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;

namespace backroom::db {

// How long a connection waits for a lock held by another before giving up as busy.
inline constexpr int busy_timeout_ms = 5000;
// How long opening a PostgreSQL connection may take before it fails (seconds).
inline constexpr int connect_timeout_s = 5;

struct DbError : std::runtime_error {
  enum class Kind {
    other,
    constraint,   // a UNIQUE, CHECK, NOT NULL or FOREIGN KEY rule refused the change
    busy,         // a lock or a serialization conflict: retry the whole command
    unavailable,  // the database server cannot be reached (or went away mid-request)
  };
  Kind kind;
  int code;  // SQLite's extended result code; 0 on PostgreSQL (see sqlstate)
  std::string sqlstate;
  DbError(Kind kind_, int code_, const std::string& what, std::string sqlstate_ = {})
      : std::runtime_error(what), kind(kind_), code(code_), sqlstate(std::move(sqlstate_)) {}
  bool is_constraint() const { return kind == Kind::constraint; }
  bool is_busy() const { return kind == Kind::busy; }
  bool is_unavailable() const { return kind == Kind::unavailable; }
};

// One statement of one connection, as the backend holds it. Stores use Query.
class Statement {
 public:
  virtual ~Statement() = default;
  virtual void bind_int64(int index, std::int64_t value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_null(int index) = 0;
  virtual bool step() = 0;
  // Runs a statement whose rows nobody reads. A backend may send it without waiting for
  // its answer (PostgreSQL, inside a transaction); its error then surfaces at the next
  // statement that is waited for, always before the unit of work ends (see Db).
  virtual void run() {
    while (step()) {
    }
  }
  // run() for a statement that must change exactly `rows` rows: an invariant, so any other
  // count stops the process as BR_ASSERT does (when the answer arrives, which is before the
  // unit of work can end).
  virtual void run_changing(std::int64_t rows, std::string_view invariant, std::source_location where) = 0;
  virtual void reset() = 0;  // forgets bindings and rows
  virtual bool is_null(int column) const = 0;
  virtual std::int64_t int64(int column) const = 0;
  virtual std::string text(int column) const = 0;
  // The text without a copy; valid until the next step() or reset().
  virtual std::string_view text_view(int column) const = 0;
  // What a row looks like (used by `copy`, which moves tables it does not know).
  virtual int column_count() const = 0;
  virtual std::string column_name(int column) const = 0;
  virtual bool is_integer(int column) const = 0;  // the value in this row is an integer
};

class Query {
 public:
  explicit Query(Statement* stmt) : stmt_(stmt) {}
  Query(Query&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    if (stmt_) stmt_->reset();
  }

  Query& bind(int index, std::int64_t value) {
    stmt_->bind_int64(index, value);
    return *this;
  }
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, std::string_view value) {
    stmt_->bind_text(index, value);
    return *this;
  }
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind_null(int index) {
    stmt_->bind_null(index);
    return *this;
  }
  template <class T>
  Query& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Steps once: true while a row is available.
  bool step() { return stmt_->step(); }
  // Runs a statement whose rows are not read (see Statement::run: it may not wait).
  void run() { stmt_->run(); }
  // Runs a statement that must change exactly `rows` rows (see Statement::run_changing).
  void run_changing(std::int64_t rows, std::string_view invariant,
                    std::source_location where = std::source_location::current()) {
    stmt_->run_changing(rows, invariant, where);
  }

  bool is_null(int column) const { return stmt_->is_null(column); }
  std::int64_t int64(int column) const { return stmt_->int64(column); }
  std::string text(int column) const { return stmt_->text(column); }
  std::string_view text_view(int column) const { return stmt_->text_view(column); }
  int column_count() const { return stmt_->column_count(); }
  std::string column_name(int column) const { return stmt_->column_name(column); }
  bool is_integer(int column) const { return stmt_->is_integer(column); }
  std::optional<std::string> opt_text(int column) const {
    if (is_null(column)) return std::nullopt;
    return text(column);
  }
  std::optional<std::int64_t> opt_int64(int column) const {
    if (is_null(column)) return std::nullopt;
    return int64(column);
  }

 private:
  Statement* stmt_;
};

enum class Mode { read_only, read_write };
enum class Dialect { sqlite, postgres };

// True for a location the PostgreSQL backend opens (postgresql:// or postgres://).
bool is_postgres_location(std::string_view location);

// Waiting. On PostgreSQL, inside a transaction, Query::run() sends its statement without
// waiting for the answer (libpq pipeline mode): the statements of a command reach the server
// together with the next one whose rows, changes() or last_insert_rowid() the code reads, in
// one round trip. Nothing is lost or reordered: the server runs them in order, and an error
// of a statement sent earlier is thrown by the next waited statement. A unit of work always
// ends with a wait (RELEASE of a savepoint, COMMIT of a writing transaction), so its errors
// are its own and a commit is durable when it returns. Only the COMMIT of a read-only
// snapshot is sent without waiting (its answer is read with the next statement).
class Db {
 public:
  // Opens `location`: a SQLite path (created for read_write; WAL, foreign keys on, busy
  // timeout) or a PostgreSQL URI (connect timeout connect_timeout_s). Throws DbError with a
  // one-line message that never contains a password.
  static std::unique_ptr<Db> open(const std::string& location, Mode mode);
  virtual ~Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  virtual Dialect dialect() const = 0;
  // Runs one or more statements that return no rows (migrations, BEGIN/COMMIT).
  virtual void exec(std::string_view sql) = 0;
  // A cached statement; `sql` must be a single statement.
  virtual Query query(std::string_view sql) = 0;
  // query() for a SELECT whose rows are many and read once, in order (a report's streams, a
  // copy's tables). SQLite steps rows as it finds them anyway: the same as query(). PostgreSQL,
  // inside a read-only transaction (ReadSnapshot), reads them through a cursor (DECLARE … NO
  // SCROLL CURSOR, FETCH a batch at a time, the next sent while one is read, CLOSE when the
  // Query resets) instead of holding the whole result in memory as libpq does for a statement
  // (hundreds of MB for the KPI year at 100,000 items); elsewhere it is query(). Several may
  // be open at once and be stepped in turn.
  virtual Query stream(std::string_view sql) { return query(sql); }
  // Rows changed by the last INSERT/UPDATE/DELETE (waits for it).
  virtual std::int64_t changes() = 0;
  // The id the last INSERT gave an AUTOINCREMENT / identity column on this connection
  // (SQLite's rowid; lastval() on PostgreSQL, inside the same transaction).
  virtual std::int64_t last_insert_rowid() = 0;
  virtual bool in_transaction() const = 0;
  // Starts a transaction that will write. Writers exclude each other for its whole length,
  // across processes: SQLite's BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped advisory
  // lock (see docs/scaling.md: every change extends one audit hash chain, so writes are
  // serial by design).
  virtual void begin_write() = 0;
  // Starts a read-only transaction that sees one consistent snapshot.
  virtual void begin_read() = 0;
  // The SQLite handle, or nullptr on PostgreSQL (the writer's WAL tuning).
  virtual sqlite3* sqlite_handle() { return nullptr; }

  // The location as given (the key readers are kept under).
  const std::string& path() const { return location_; }
  // The location for messages and logs: a PostgreSQL password is replaced by "***".
  std::string display_name() const;

 protected:
  explicit Db(std::string location) : location_(std::move(location)) {}

 private:
  std::string location_;
};

// `row` (a parenthesised list of `?`) `rows` times, comma-separated: the VALUES of a
// multi-row statement written once for both backends.
inline std::string repeated_rows(std::size_t rows, std::string_view row) {
  std::string out;
  out.reserve(rows * (row.size() + 2));
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) out += ", ";
    out += row;
  }
  return out;
}

// `location` with any password replaced by "***" (for messages and logs).
std::string redact_location(std::string_view location);

// The read connection of the calling thread for `path` (opened on first use).
Db& reader(const std::string& path);

// One consistent snapshot for several reads on a reader connection (and one WAL lock
// instead of one per statement). Does nothing when a transaction is already open.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Db& db);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Db& db_;
  bool began_ = false;
};

// BEGIN/COMMIT for code that is not behind the writer (migrations, CLI import). A writing
// transaction (the default) excludes other writers as Db::begin_write does.
class Transaction {
 public:
  explicit Transaction(Db& db, bool write = true);
  ~Transaction();  // rolls back unless committed
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace backroom::db
