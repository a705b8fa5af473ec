// SQLite access: a connection with cached prepared statements, and Query, a borrowed
// statement that binds by position and resets itself when it goes out of scope.
// One Db per thread: the writer owns one, each reader thread opens its own (WAL).
// SQL text lives in *_store.cpp files; `?` placeholders keep it portable.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace backroom::db {

// How long a connection waits for a lock held by another before SQLITE_BUSY.
inline constexpr int busy_timeout_ms = 5000;

struct DbError : std::runtime_error {
  int code;
  DbError(int code_, const std::string& what) : std::runtime_error(what), code(code_) {}
  bool is_constraint() const;
  bool is_busy() const;
};

class Query {
 public:
  explicit Query(sqlite3_stmt* stmt);
  Query(Query&& other) noexcept;
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query();

  Query& bind(int index, std::int64_t value);
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, std::string_view value);
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind_null(int index);
  template <class T>
  Query& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // Steps once: true while a row is available.
  bool step();
  // Runs a statement that returns no rows.
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  std::optional<std::string> opt_text(int column) const;
  std::optional<std::int64_t> opt_int64(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

enum class Mode { read_only, read_write };

class Db {
 public:
  // Opens (creating for read_write) with WAL, foreign keys on, busy timeout.
  static std::unique_ptr<Db> open(const std::string& path, Mode mode);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  // A cached prepared statement; `sql` must be a single statement.
  Query query(std::string_view sql);
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

 private:
  Db(sqlite3* db, std::string path);
  sqlite3* db_;
  std::string path_;
  struct SqlHash {  // looks statements up by the caller's string_view, without a copy
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
};

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

// PRAGMA data_version: changes whenever another connection committed (cache invalidation).
std::int64_t data_version(Db& db);

// BEGIN/COMMIT for code that is not behind the writer (migrations, CLI import).
class Transaction {
 public:
  explicit Transaction(Db& db, bool immediate = true);
  ~Transaction();  // rolls back unless committed
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace backroom::db
