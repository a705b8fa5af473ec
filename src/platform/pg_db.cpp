// The PostgreSQL backend of db::Db (libpq), for a shop that outgrew one process.
//
// Each statement is prepared once per connection (PQprepare, then PQexecPrepared). Behind
// a transaction-mode pooler, BACKROOM_PG_STATEMENTS=unnamed sends every statement with
// PQexecParams as an unnamed statement instead, so nothing outlives a transaction on the
// server (docs/scaling.md). The SQL is rewritten from the stores' SQLite dialect once per
// connection (pg_sql.hpp).
// Parameters go as text with their type (int8, text; NULL untyped); results come back as
// text and are parsed here.
//
// Pipelining (named statements only; BACKROOM_PG_PIPELINE=off turns it off): inside a transaction, a statement run with
// Query::run() is sent without waiting (libpq pipeline mode); the next statement that is
// waited for sends a Sync and reads every answer in order, throwing the first error. So a
// command's INSERTs travel with its next SELECT, and a transaction's BEGIN (and the
// writer's advisory lock and SAVEPOINT) with its first read: one round trip instead of
// several. RELEASE, ROLLBACK and the COMMIT of a writing transaction always wait; the
// COMMIT of a read-only snapshot is sent (with a Sync, so the server ends the transaction
// at once) and its answer read with the next statement. Outside a transaction nothing
// waits for later: an autocommit write is done when run() returns.
//
// A lost connection fails the statement with DbError::Kind::unavailable (HTTP 503
// database_unavailable). Inside a transaction the connection stays failed until the
// transaction is rolled back, so a reconnect can never run the rest of a command outside
// its transaction; the next statement after that reconnects by itself.
#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

#include "platform/db_backends.hpp"
#include "platform/db_prefetch.hpp"
#include "platform/db_rows.hpp"
#include "platform/pg_sql.hpp"

namespace backroom::db {
namespace {

constexpr Oid int8_oid = 20;
constexpr Oid text_oid = 25;
// The advisory lock every writing transaction holds: "Backroom" in ASCII.
constexpr std::int64_t write_lock_key = 0x4261636B726F6F6D;
// After a failed reconnect, statements fail at once for this long before the next try.
constexpr auto reconnect_pause = std::chrono::milliseconds(500);
// At most this many statements are sent ahead of a wait: the server's answers to them must
// fit in the socket buffers while nobody reads them (a bulk import would otherwise have
// both sides blocked on writing).
constexpr std::size_t pipeline_statements_max = 256;
// Db::stream: the rows a FETCH of a cursor brings. Big enough that the round trips are few
// (the KPI year at 100,000 items steps a few million rows: ~1,000 of them), small enough that
// a batch (a few hundred KB) stays in the caches while it is read.
constexpr int rows_per_fetch = 2000;

bool is_begin(std::string_view sql) { return sql.starts_with("BEGIN") || sql.starts_with("START TRANSACTION"); }
bool is_commit(std::string_view sql) { return sql.starts_with("COMMIT") || sql.starts_with("END"); }
bool is_rollback(std::string_view sql) { return sql.starts_with("ROLLBACK"); }

// libpq's messages span several lines ("connection to server ... failed: FATAL: ...").
std::string one_line(std::string_view message) {
  std::string out;
  bool space = false;
  for (char c : message) {
    if (c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) {
      out += out.back() == ':' || out.back() == ';' ? " " : "; ";
      space = false;
    }
    out += c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

DbError::Kind kind_of_sqlstate(std::string_view state) {
  if (state.starts_with("23")) return DbError::Kind::constraint;
  if (state == "40001" || state == "40P01" || state == "55P03") return DbError::Kind::busy;
  if (state.starts_with("08") || state.starts_with("57P")) return DbError::Kind::unavailable;
  return DbError::Kind::other;
}

class PgDb;

// Query::run_changing: the rows a statement must change (`invariant` is a string literal).
struct ExpectedChanges {
  std::int64_t rows;
  std::string_view invariant;
  std::source_location where;
};

class PgStatement final : public Statement {
 public:
  PgStatement(PgDb& db, std::string sql) : db_(db), sql_(std::move(sql)), count_(parameter_count(sql_)) {
    grow(count_);
  }
  ~PgStatement() override {
    clear();
    drop_ahead();
  }

  void bind_int64(int index, std::int64_t value) override {
    grow(index);
    values_[index - 1] = std::to_string(value);
    types_[index - 1] = int8_oid;
    null_[index - 1] = false;
  }
  void bind_text(int index, std::string_view value) override {
    grow(index);
    values_[index - 1].assign(value);
    types_[index - 1] = text_oid;
    null_[index - 1] = false;
  }
  void bind_null(int index) override {
    grow(index);
    null_[index - 1] = true;
    types_[index - 1] = 0;
  }
  bool step() override;
  void run() override;
  void run_changing(std::int64_t rows, std::string_view invariant, std::source_location where) override;
  void reset() override {
    clear();
    for (std::size_t i = 0; i < null_.size(); ++i) {
      null_[i] = true;
      types_[i] = 0;
    }
  }
  bool is_null(int c) const override { return PQgetisnull(result_, row_, c) != 0; }
  std::int64_t int64(int c) const override {
    const char* v = PQgetvalue(result_, row_, c);
    std::size_t n = static_cast<std::size_t>(PQgetlength(result_, row_, c));
    if (n == 0) return 0;
    if (n == 1 && (v[0] == 't' || v[0] == 'f')) return v[0] == 't';  // a boolean expression
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(v, v + n, out);
    // A numeric with a fraction reads as its integer part, as SQLite's column_int64 does.
    if (ec != std::errc() || (end != v + n && *end != '.'))
      throw DbError(DbError::Kind::other, 0, fmt::format("column {} is not an integer: '{:.40}'", c, std::string_view(v, n)));
    return out;
  }
  std::string text(int c) const override {
    return std::string(PQgetvalue(result_, row_, c), static_cast<std::size_t>(PQgetlength(result_, row_, c)));
  }
  std::string_view text_view(int c) const override {
    return std::string_view(PQgetvalue(result_, row_, c), static_cast<std::size_t>(PQgetlength(result_, row_, c)));
  }
  int column_count() const override { return PQnfields(result_); }
  std::string column_name(int c) const override { return PQfname(result_, c); }
  bool is_integer(int c) const override {
    Oid type = PQftype(result_, c);
    return type == 20 || type == 21 || type == 23;  // int8, int2, int4
  }

 private:
  void grow(int n) {
    if (n <= 0 || static_cast<std::size_t>(n) <= values_.size()) return;
    values_.resize(static_cast<std::size_t>(n));
    types_.resize(static_cast<std::size_t>(n), 0);
    null_.resize(static_cast<std::size_t>(n), true);
  }
  void clear() {
    if (result_) PQclear(result_);
    result_ = nullptr;
    executed_ = false;
    row_ = -1;
  }
  // Forgets a prefetched answer (read or still due: wait_all then reads it for nobody).
  void drop_ahead() {
    if (ahead_result_) PQclear(ahead_result_);
    ahead_result_ = nullptr;
    ahead_ = Ahead::none;
  }
  void keep_bindings_for_ahead() {
    ahead_values_ = values_;
    ahead_types_ = types_;
    ahead_null_ = null_;
  }
  // Whether the statement is bound as it was when prefetched.
  bool bound_as_ahead() const {
    if (ahead_null_ != null_ || ahead_types_ != types_ || ahead_values_.size() != values_.size()) return false;
    for (std::size_t k = 0; k < values_.size(); ++k)
      if (!null_[k] && ahead_values_[k] != values_[k]) return false;
    return true;
  }

  PgDb& db_;
  std::string sql_;
  int count_;
  std::vector<std::string> values_;
  std::vector<Oid> types_;
  std::vector<char> null_;
  std::string name_;  // the prepared statement's name on this connection; empty: not yet
  PGresult* result_ = nullptr;
  bool executed_ = false;
  int row_ = -1;
  // db::prefetch: sent (answer due), answered (ahead_result_ holds it, maybe an error).
  enum class Ahead { none, sent, answered } ahead_ = Ahead::none;
  PGresult* ahead_result_ = nullptr;
  std::vector<std::string> ahead_values_;
  std::vector<Oid> ahead_types_;
  std::vector<char> ahead_null_;
  friend class PgDb;
  friend class PgStream;
};

class PgDb final : public Db {
 public:
  PgDb(PGconn* conn, std::string uri) : Db(std::move(uri)), conn_(conn) { quiet(); }
  ~PgDb() override {
    streams_.clear();  // they name statements below
    statements_.clear();
    PQfinish(conn_);
  }

  Dialect dialect() const override { return Dialect::postgres; }

  void exec(std::string_view sql) override {
    std::string text = to_postgres(sql);
    settle(text);  // PQexec is not allowed in pipeline mode
    if (!usable(text)) return;
    bool was_in_transaction = in_transaction();
    note_sent(text);
    PGresult* r = PQexec(conn_, text.c_str());
    check(r, text, was_in_transaction);
    PQclear(r);
  }

  Query query(std::string_view sql) override { return Query(&statement(sql)); }
  Query stream(std::string_view sql) override;

  // The cached statement of `sql` (the stores' dialect), made on first use.
  PgStatement& statement(std::string_view sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end())
      it = statements_.emplace(std::string(sql), std::make_unique<PgStatement>(*this, to_postgres(sql))).first;
    return *it->second;
  }

  // Db::stream's cursors, only in a read-only transaction: there no savepoint is rolled back
  // under a cursor (which would close it behind the stream's back), and a FETCH sent ahead
  // that fails can undo nothing.
  bool in_read_only_transaction() const { return in_transaction() && read_only_transaction_; }
  // The transaction a cursor was declared in: BEGINs sent so far.
  std::uint64_t transaction_serial() const { return transaction_serial_; }
  // Whether a cursor declared in transaction `serial` is still open on the server: that
  // transaction goes on and has not failed (a failed one takes its cursors with it).
  bool cursor_lives(std::uint64_t serial) const {
    if (serial != transaction_serial_ || !in_transaction()) return false;
    return !pending_.empty() || PQtransactionStatus(conn_) != PQTRANS_INERROR;
  }
  // Before the transaction's first DECLARE: its cursors are planned as the statements read
  // whole are (the planner otherwise favours the first 10 % of a cursor's rows). Sent with
  // the DECLARE, no round trip of its own.
  void before_declare() {
    if (cursors_planned_in_ == transaction_serial_) return;
    query("SET LOCAL cursor_tuple_fraction = 1").run();
    cursors_planned_in_ = transaction_serial_;
  }

  std::int64_t changes() override {
    settle({});
    return changes_;
  }
  std::int64_t last_insert_rowid() override {
    auto q = query("SELECT lastval()");
    q.step();
    return q.int64(0);
  }
  bool in_transaction() const override {
    if (poisoned_) return true;
    if (!pending_.empty()) return transaction_open_;  // as of the statements sent so far
    auto s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
  }
  void begin_write() override {
    query("BEGIN").run();
    query("SELECT pg_advisory_xact_lock(?)").bind(1, write_lock_key).run();
  }
  void begin_read() override { query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run(); }

  // db::insert_rows: `copy` (COPY … FROM STDIN) with `data` (COPY text). libpq runs no COPY
  // in pipeline mode, so what was sent ahead is waited for first (its error is thrown here);
  // the COPY itself is two round trips (its start, then the data and its end).
  void copy_in(const std::string& copy, const std::string& data) {
    settle(copy);
    if (!usable(copy)) return;
    bool was_in_transaction = in_transaction();
    note_sent(copy);
    PGresult* started = PQexec(conn_, copy.c_str());
    if (PQresultStatus(started) != PGRES_COPY_IN) {
      check(started, copy, was_in_transaction);  // throws: a COPY FROM STDIN answers COPY_IN or an error
      PQclear(started);
      throw DbError(DbError::Kind::other, 0, fmt::format("'{:.60}': the server did not start the copy", copy));
    }
    PQclear(started);
    // Sent in pieces of at most 1 MiB (each a CopyData message); a failed send is reported
    // by the result below (libpq's connection error).
    constexpr std::size_t piece_bytes_max = 1 << 20;
    bool sent = true;
    for (std::size_t at = 0; sent && at < data.size(); at += piece_bytes_max) {
      std::size_t n = std::min(piece_bytes_max, data.size() - at);
      sent = PQputCopyData(conn_, data.data() + at, static_cast<int>(n)) == 1;
    }
    PQputCopyEnd(conn_, sent ? nullptr : "the copy's data could not be sent");
    PGresult* r = PQgetResult(conn_);
    // The answer ends with a null; a connection still in COPY_IN (lost mid-copy) gives none.
    if (r && PQresultStatus(r) == PGRES_COPY_IN) {
      PQclear(r);
      r = nullptr;
    }
    while (PGresult* extra = r ? PQgetResult(conn_) : nullptr) {
      bool stuck = PQresultStatus(extra) == PGRES_COPY_IN;
      PQclear(extra);
      if (stuck) break;
    }
    check(r, copy, was_in_transaction);
    note_changes(r);
    PQclear(r);
  }

  // db::prefetch: sends `sql` as `bind` binds it now (pipeline mode, no Sync) when outside a
  // transaction. Its answer is read by the next wait (wait_all) into the statement, for its
  // next step() (take_prefetched), not returned to anyone.
  void prefetch(std::string_view sql, const std::function<void(Query&)>& bind) {
    if (!pipelining_ || poisoned_ || PQstatus(conn_) != CONNECTION_OK || in_transaction()) return;
    auto q = query(sql);
    bind(q);
    prefetch(*statements_.find(sql)->second);
  }
  void prefetch(PgStatement& s) {
    if (in_transaction()) return;
    prefetch_now(s);
  }
  // Db::stream's next FETCH of a cursor, sent while the rows of the one before are read, so
  // the server makes the next batch while the caller folds this one. Only in a read-only
  // transaction: an error of the prefetched FETCH (its own, thrown at the stream's next
  // step) leaves the transaction failed, and the statement waited for next then fails too
  // (as the transaction is aborted), so the read fails as a whole, and nothing was written.
  void prefetch_in_read(PgStatement& s) {
    if (!in_read_only_transaction()) return;
    prefetch_now(s);
  }
  // Forgets `s`'s prefetched answer, reading it first if it is still due (so no answer of a
  // cursor closed meanwhile reaches the statement later). An error there is the
  // connection's: the next statement meets it.
  void drop_prefetched(PgStatement& s) noexcept {
    if (s.ahead_ == PgStatement::Ahead::sent) {
      try {
        settle({});
      } catch (...) {
      }
    }
    s.drop_ahead();
  }
  // step(): the prefetched answer of `s` if it is bound as it was then (waits for it if it
  // is still due), or nullptr to ask again. An error of the prefetched statement is thrown
  // here; one it did not run for (skipped after another's error) is asked again.
  PGresult* take_prefetched(PgStatement& s) {
    if (s.ahead_ == PgStatement::Ahead::sent) settle({});
    PGresult* r = nullptr;
    if (s.ahead_ == PgStatement::Ahead::answered && s.bound_as_ahead()) std::swap(r, s.ahead_result_);
    s.drop_ahead();
    if (!r) return nullptr;
    if (PQresultStatus(r) == PGRES_PIPELINE_ABORTED) {
      PQclear(r);
      return nullptr;
    }
    check(r, s.sql_, in_transaction());  // throws unless it succeeded
    note_changes(r);
    return r;
  }
  void forget_prefetched() noexcept {
    if (prefetched_.empty()) return;
    bool due = std::any_of(prefetched_.begin(), prefetched_.end(),
                           [](PgStatement* s) { return s->ahead_ == PgStatement::Ahead::sent; });
    if (due) {
      try {
        settle({});  // nobody waited after the prefetch (the request failed before it asked)
      } catch (...) {
        // The connection's own trouble: the next statement meets it again.
      }
    }
    for (auto* s : prefetched_) s->drop_ahead();
    prefetched_.clear();
  }
  void prefetch_now(PgStatement& s) {
    if (!pipelining_ || poisoned_ || PQstatus(conn_) != CONNECTION_OK) return;
    if (s.ahead_ == PgStatement::Ahead::sent) return;  // one answer due at a time
    s.drop_ahead();
    send(s, false, std::nullopt, true);
    s.keep_bindings_for_ahead();
    s.ahead_ = PgStatement::Ahead::sent;
    if (std::find(prefetched_.begin(), prefetched_.end(), &s) == prefetched_.end()) prefetched_.push_back(&s);
  }

  // Runs one statement of `s` and waits; returns its result (owned by the statement).
  PGresult* execute(PgStatement& s) {
    if (pipeline_) {
      if (!is_rollback(s.sql_)) {
        send(s, true);
        return wait_all({});
      }
      // After an error the rest of a pipeline up to its Sync is skipped: the ROLLBACK goes
      // after the Sync, on its own.
      settle(s.sql_);
    }
    if (!usable(s.sql_)) {
      // A ROLLBACK of a transaction the lost connection already ended: nothing to return.
      return PQmakeEmptyPGresult(conn_, PGRES_COMMAND_OK);
    }
    Parameters p(s);
    bool was_in_transaction = in_transaction();
    note_sent(s.sql_);
    PGresult* r = nullptr;
    if (named_statements_) {
      if (s.name_.empty()) {
        // Prepared once per connection, with the parameter types of this first use (a NULL
        // leaves its type to the statement, as PQexecParams does).
        std::string name = next_statement_name();
        PGresult* prepared = PQprepare(conn_, name.c_str(), s.sql_.c_str(), p.count, s.types_.empty() ? nullptr : s.types_.data());
        check(prepared, s.sql_, was_in_transaction);
        PQclear(prepared);
        s.name_ = std::move(name);
      }
      r = PQexecPrepared(conn_, s.name_.c_str(), p.count, p.values.data(), p.lengths.data(), nullptr, 0);
    } else {
      r = PQexecParams(conn_, s.sql_.c_str(), p.count, s.types_.empty() ? nullptr : s.types_.data(), p.values.data(),
                       p.lengths.data(), nullptr, 0);
    }
    check(r, s.sql_, was_in_transaction);
    note_changes(r);
    return r;
  }

  // Query::run(): sends `s` without waiting where that is safe (see the top of this file).
  void run(PgStatement& s, std::optional<ExpectedChanges> expect = std::nullopt) {
    if (!may_send_ahead(s.sql_)) {
      s.clear();
      PGresult* r = execute(s);
      PQclear(r);
      if (expect && changes_ != expect->rows) changed_rows_wrong(expect->rows, expect->invariant, expect->where);
      return;
    }
    send(s, false, expect);
    if (is_commit(s.sql_)) {
      // The end of a read-only snapshot: the server ends it now, the answer is read later.
      if (PQpipelineSync(conn_) != 1) lose_pipeline();
      pending_.push_back(Pending{Pending::What::sync, nullptr, nullptr, false});
    } else if (pending_.size() >= pipeline_statements_max) {
      settle({});
    }
  }

 private:
  struct Parameters {
    int count;
    std::vector<const char*> values;
    std::vector<int> lengths;
    explicit Parameters(const PgStatement& s)
        : count(std::max<int>(s.count_, static_cast<int>(s.values_.size()))),
          values(static_cast<std::size_t>(count), nullptr),
          lengths(static_cast<std::size_t>(count), 0) {
      for (std::size_t k = 0; k < values.size(); ++k) {
        if (k < s.values_.size() && !s.null_[k]) {
          values[k] = s.values_[k].c_str();
          lengths[k] = static_cast<int>(s.values_[k].size());
        }
      }
    }
  };
  // What the connection owes an answer for, in the order it was sent.
  struct Pending {
    enum class What { prepare, statement, sync } what;
    // prepare: whose name is void if it failed; statement: the one waited for, or prefetched
    PgStatement* statement;
    const std::string* sql;
    bool keep;  // the waited statement: its result is returned, not cleared
    std::optional<ExpectedChanges> expect = std::nullopt;
    bool prefetch = false;  // db::prefetch: the answer goes to the statement, errors too
  };

  std::string next_statement_name() { return "br" + std::to_string(++statements_prepared_); }

  void note_changes(PGresult* r) {
    const char* tuples = PQcmdTuples(r);
    changes_ = tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
  }

  // Keeps the transaction state of what was sent, for in_transaction() while answers are due.
  void note_sent(std::string_view sql) {
    if (is_begin(sql)) {
      ++transaction_serial_;
      transaction_open_ = true;
      read_only_transaction_ = sql.find("READ ONLY") != std::string_view::npos;
    } else if (is_commit(sql) || (is_rollback(sql) && sql.find(" TO ") == std::string_view::npos)) {
      transaction_open_ = false;
      read_only_transaction_ = false;
    }
  }

  bool may_send_ahead(std::string_view sql) const {
    if (!pipelining_ || poisoned_ || PQstatus(conn_) != CONNECTION_OK) return false;
    if (is_begin(sql)) return true;
    if (!in_transaction()) return false;  // autocommit: done when run() returns
    if (sql.starts_with("RELEASE") || is_rollback(sql)) return false;
    if (is_commit(sql)) return read_only_transaction_;
    return true;
  }

  // Whether a prefetched statement was sent since the last Sync.
  bool prefetch_since_sync() const {
    for (auto it = pending_.rbegin(); it != pending_.rend(); ++it) {
      if (it->what == Pending::What::sync) return false;
      if (it->prefetch) return true;
    }
    return false;
  }

  // Sends `s` in pipeline mode; its answer is read by wait_all().
  void send(PgStatement& s, bool keep, std::optional<ExpectedChanges> expect = std::nullopt, bool prefetch = false) {
    if (pipeline_ && PQstatus(conn_) != CONNECTION_OK) settle({});  // reports the loss
    if (!usable(s.sql_)) {
      // Only ROLLBACK after a lost transaction gets here (usable() throws otherwise): a
      // pipeline never starts on a lost connection, so nothing is pending.
      return;
    }
    if (!pipeline_) {
      transaction_open_ = in_transaction();
      if (PQenterPipelineMode(conn_) != 1) lose_pipeline();
      pipeline_ = true;
    }
    // A prefetched statement shares its implicit transaction (up to the Sync) only with one
    // waited autocommit statement: an error of either then cannot undo anything, and the
    // waited one is simply sent again when the prefetch's error made the server skip it
    // (wait_all). Anything else (a BEGIN, a transaction's statements) starts after a Sync.
    if (!prefetch && prefetch_since_sync() && !(keep && !transaction_open_ && !is_begin(s.sql_))) {
      if (PQpipelineSync(conn_) != 1) lose_pipeline();
      pending_.push_back(Pending{Pending::What::sync, nullptr, nullptr, false});
    }
    Parameters p(s);
    note_sent(s.sql_);
    if (s.name_.empty()) {
      std::string name = next_statement_name();
      if (PQsendPrepare(conn_, name.c_str(), s.sql_.c_str(), p.count, s.types_.empty() ? nullptr : s.types_.data()) != 1)
        lose_pipeline();
      pending_.push_back(Pending{Pending::What::prepare, &s, &s.sql_, false, std::nullopt, prefetch});
      s.name_ = std::move(name);
    }
    if (PQsendQueryPrepared(conn_, s.name_.c_str(), p.count, p.values.data(), p.lengths.data(), nullptr, 0) != 1)
      lose_pipeline();
    pending_.push_back(
        Pending{Pending::What::statement, keep || prefetch ? &s : nullptr, &s.sql_, keep, expect, prefetch});
  }

  // libpq refused to queue a message: the connection is gone. The next wait reports it.
  void lose_pipeline() {
    if (PQstatus(conn_) == CONNECTION_OK) {
      throw DbError(DbError::Kind::other, 0, "the database connection refused a pipelined statement: " +
                                                 one_line(PQerrorMessage(conn_)));
    }
  }

  // wait_all() for a caller that wants no result: the one it makes is freed here.
  void settle(std::string_view next) {
    if (PGresult* r = wait_all(next)) PQclear(r);
  }

  // Reads every answer due (after a Sync); returns the kept statement's result (the caller
  // owns it: PQclear) and throws
  // the first error. Before a ROLLBACK (`next` is the statement that made the wait) the
  // errors are moot and not thrown; a lost connection is, unless the whole transaction is
  // being rolled back (it is gone with the connection).
  PGresult* wait_all(std::string_view next) {
    if (!pipeline_) return nullptr;
    const bool discarding = is_rollback(next);
    const bool ending = discarding && next.find(" TO ") == std::string_view::npos;
    const bool was_in_transaction = transaction_open_;
    if (pending_.empty() || pending_.back().what != Pending::What::sync) {
      if (PQpipelineSync(conn_) == 1) pending_.push_back(Pending{Pending::What::sync, nullptr, nullptr, false});
    }
    PGresult* kept = nullptr;
    PGresult* error = nullptr;
    const std::string* error_sql = nullptr;
    bool lost = false;
    bool prefetch_failed = false;   // a prefetched statement's error made the server skip the rest
    PgStatement* rerun = nullptr;   // the waited statement, skipped for that reason
    while (!pending_.empty() && !lost) {
      Pending p = pending_.front();
      pending_.pop_front();
      PGresult* r = PQgetResult(conn_);
      if (!r) {
        if (p.prefetch && p.what == Pending::What::statement) p.statement->drop_ahead();
        lost = true;
        break;
      }
      auto status = PQresultStatus(r);
      if (p.what == Pending::What::sync) {
        PQclear(r);
        if (status != PGRES_PIPELINE_SYNC) lost = PQstatus(conn_) != CONNECTION_OK;
        continue;
      }
      while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);  // each answer ends with a null
      bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
      if (p.prefetch) {
        // Its answer, error or not, is the statement's; it is not this wait's error.
        if (!ok && status != PGRES_PIPELINE_ABORTED) prefetch_failed = true;
        if (p.what == Pending::What::prepare) {
          if (!ok) p.statement->name_.clear();
          PQclear(r);
        } else {
          p.statement->drop_ahead();
          p.statement->ahead_result_ = r;
          p.statement->ahead_ = PgStatement::Ahead::answered;
        }
        if (PQstatus(conn_) != CONNECTION_OK) lost = true;
        continue;
      }
      if (p.keep && status == PGRES_PIPELINE_ABORTED && prefetch_failed) rerun = p.statement;
      if (p.what == Pending::What::prepare) {
        if (!ok) p.statement->name_.clear();  // not prepared on the server
      } else if (ok) {
        note_changes(r);
        if (p.expect && changes_ != p.expect->rows) changed_rows_wrong(p.expect->rows, p.expect->invariant, p.expect->where);
      }
      if (!ok && status != PGRES_PIPELINE_ABORTED && !error) {
        error = r;
        error_sql = p.sql;
        r = nullptr;
      }
      if (p.keep && ok) {
        kept = r;
        r = nullptr;
      }
      if (r) PQclear(r);
      if (PQstatus(conn_) != CONNECTION_OK) lost = true;
    }
    for (const auto& p : pending_)  // never answered (the connection was lost)
      if (p.prefetch && p.what == Pending::What::statement) p.statement->drop_ahead();
    pending_.clear();
    pipeline_ = false;
    if (!lost && PQexitPipelineMode(conn_) != 1) lost = PQstatus(conn_) != CONNECTION_OK;
    if (lost && ending) {
      if (error) PQclear(error);
      return PQmakeEmptyPGresult(conn_, PGRES_COMMAND_OK);
    }
    if (lost || (error && !discarding)) {
      if (kept) PQclear(kept);
      if (!error) error = PQmakeEmptyPGresult(conn_, PGRES_FATAL_ERROR);
      check(error, error_sql ? std::string_view(*error_sql) : std::string_view("(pipeline)"), was_in_transaction);
    }
    if (error) PQclear(error);
    if (rerun && !discarding) {
      // Skipped only because a prefetched statement before it failed: nothing of it ran.
      if (kept) PQclear(kept);
      return execute(*rerun);
    }
    if (!kept) kept = PQmakeEmptyPGresult(conn_, PGRES_COMMAND_OK);
    return kept;
  }

  void quiet() {
    // NOTICEs ("relation already exists, skipping") are not for the shop's log.
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  }

  static bool is_transaction_end(std::string_view sql) {
    return sql.starts_with("ROLLBACK") && sql.find(" TO ") == std::string_view::npos;
  }

  // Whether to send `sql` now: reconnects when the connection went away outside a
  // transaction; throws unavailable while a lost transaction has not been rolled back.
  bool usable(std::string_view sql) {
    if (poisoned_) {
      if (!is_transaction_end(sql))
        throw DbError(DbError::Kind::unavailable, 0, "the database connection was lost during this transaction");
      poisoned_ = false;
      return false;
    }
    if (PQstatus(conn_) == CONNECTION_OK) return true;
    if (is_transaction_end(sql)) return false;
    auto now = std::chrono::steady_clock::now();
    if (now - last_reset_ < reconnect_pause)
      throw DbError(DbError::Kind::unavailable, 0, "the database is unavailable: " + one_line(PQerrorMessage(conn_)));
    last_reset_ = now;
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK)
      throw DbError(DbError::Kind::unavailable, 0, "the database is unavailable: " + one_line(PQerrorMessage(conn_)));
    quiet();
    for (auto& [sql, statement] : statements_) statement->name_.clear();  // a new session has none prepared
    for (auto* s : prefetched_) s->drop_ahead();
    prefetched_.clear();
    pending_.clear();
    pipeline_ = false;
    return true;
  }
  void check(PGresult* r, std::string_view sql, bool was_in_transaction) {
    auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) return;
    std::string state;
    std::string message;
    if (r) {
      if (const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE)) state = s;
      if (const char* m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)) message = m;
      if (const char* d = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME)) message += fmt::format(" ({})", d);
    }
    if (message.empty()) message = one_line(PQerrorMessage(conn_));
    if (r) PQclear(r);
    auto kind = kind_of_sqlstate(state);
    if (PQstatus(conn_) != CONNECTION_OK) {
      kind = DbError::Kind::unavailable;
      // Whatever the transaction had done is gone with the connection; say so until ROLLBACK.
      poisoned_ = was_in_transaction;
      last_reset_ = {};
    }
    throw DbError(kind, 0, fmt::format("'{:.60}': {}", sql, message), state);
  }

  PGconn* conn_;
  // Named statements, prepared once per connection, unless BACKROOM_PG_STATEMENTS=unnamed
  // (behind a transaction-mode pooler such as PgBouncer 1.18, where the next transaction
  // may run on a server connection that never saw the PREPARE).
  bool named_statements_ = [] {
    const char* mode = std::getenv("BACKROOM_PG_STATEMENTS");
    return !(mode && std::string_view(mode) == "unnamed");
  }();
  // Statements sent ahead (named statements only; BACKROOM_PG_PIPELINE=off waits for each,
  // to compare, or for a proxy that mishandles pipelined messages).
  bool pipelining_ = named_statements_ && [] {
    const char* mode = std::getenv("BACKROOM_PG_PIPELINE");
    return !(mode && std::string_view(mode) == "off");
  }();
  std::int64_t statements_prepared_ = 0;
  std::int64_t changes_ = 0;
  std::deque<Pending> pending_;
  std::vector<PgStatement*> prefetched_;  // since the last forget_prefetched()
  bool pipeline_ = false;
  bool transaction_open_ = false;       // by what was sent: meaningful while answers are due
  bool read_only_transaction_ = false;  // the open transaction began READ ONLY
  bool poisoned_ = false;
  std::chrono::steady_clock::time_point last_reset_{};
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, std::unique_ptr<PgStatement>, SqlHash, std::equal_to<>> statements_;
  std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> streams_;
  std::uint64_t transaction_serial_ = 0;
  std::uint64_t cursors_planned_in_ = 0;  // the transaction that had before_declare()
};

// Db::stream's statement: a cursor over `sql` inside a read-only transaction, the statement
// itself elsewhere. Its parts are cached statements of the connection (so a reconnect forgets
// their preparation with the others'); the cursor's name is the stream's own, so streams can
// be open together, and it is closed when the Query resets (a cursor lives until its
// transaction ends or it is closed, and the next use declares it again).
class PgStream final : public Statement {
 public:
  PgStream(PgDb& db, std::string_view sql, const std::string& cursor)
      : db_(db),
        plain_(db.statement(sql)),
        declare_(db.statement(fmt::format("DECLARE {} NO SCROLL CURSOR FOR {}", cursor, sql))),
        fetch_(db.statement(fmt::format("FETCH FORWARD {} FROM {}", rows_per_fetch, cursor))),
        close_(db.statement(fmt::format("CLOSE {}", cursor))) {}

  void bind_int64(int index, std::int64_t value) override {
    plain_.bind_int64(index, value);
    declare_.bind_int64(index, value);
  }
  void bind_text(int index, std::string_view value) override {
    plain_.bind_text(index, value);
    declare_.bind_text(index, value);
  }
  void bind_null(int index) override {
    plain_.bind_null(index);
    declare_.bind_null(index);
  }
  bool step() override {
    if (state_ == State::idle) {
      if (db_.in_read_only_transaction()) {
        db_.before_declare();
        declare_.run();  // sent with the first FETCH
        serial_ = db_.transaction_serial();
        batch_rows_ = 0;
        fetch_.reset();
        state_ = State::cursor;
      } else {
        state_ = State::plain;
      }
    }
    if (state_ == State::plain) return plain_.step();
    while (state_ == State::cursor) {
      if (fetch_.step()) {
        // A full batch has just come: the next is asked for now, to come while this is read.
        if (++batch_rows_ == 1 && PQntuples(fetch_.result_) == rows_per_fetch) db_.prefetch_in_read(fetch_);
        return true;
      }
      if (batch_rows_ < rows_per_fetch) {
        state_ = State::read;  // a short batch: the cursor has no more
        break;
      }
      fetch_.reset();  // the next batch
      batch_rows_ = 0;
    }
    return false;
  }
  void run_changing(std::int64_t rows, std::string_view invariant, std::source_location where) override {
    plain_.run_changing(rows, invariant, where);  // a stream is for reading; as query() would
  }
  void reset() override {
    if ((state_ == State::cursor || state_ == State::read) && db_.cursor_lives(serial_)) {
      try {
        close_.run();  // sent with the next statement
      } catch (const DbError&) {
        // The connection's own trouble: the next statement meets it; the transaction, and
        // the cursor with it, is gone.
      }
    }
    db_.drop_prefetched(fetch_);  // a batch asked for and not read: not for the next cursor
    plain_.reset();
    declare_.reset();
    fetch_.reset();
    state_ = State::idle;
  }
  bool is_null(int c) const override { return rows().is_null(c); }
  std::int64_t int64(int c) const override { return rows().int64(c); }
  std::string text(int c) const override { return rows().text(c); }
  std::string_view text_view(int c) const override { return rows().text_view(c); }
  int column_count() const override { return rows().column_count(); }
  std::string column_name(int c) const override { return rows().column_name(c); }
  bool is_integer(int c) const override { return rows().is_integer(c); }

 private:
  const PgStatement& rows() const { return state_ == State::plain ? plain_ : fetch_; }

  PgDb& db_;
  PgStatement& plain_;
  PgStatement& declare_;
  PgStatement& fetch_;
  PgStatement& close_;
  // idle: not stepped since the last reset; plain: the statement itself; cursor: declared,
  // batches to come; read: declared, every row read (still open until reset).
  enum class State { idle, plain, cursor, read } state_ = State::idle;
  std::uint64_t serial_ = 0;
  int batch_rows_ = 0;
};

Query PgDb::stream(std::string_view sql) {
  auto it = streams_.find(sql);
  if (it == streams_.end()) {
    auto stream = std::make_unique<PgStream>(*this, sql, fmt::format("br_cursor{}", streams_.size() + 1));
    it = streams_.emplace(std::string(sql), std::move(stream)).first;
  }
  return Query(it->second.get());
}

void PgStatement::run() {
  clear();
  db_.run(*this);
}

void PgStatement::run_changing(std::int64_t rows, std::string_view invariant, std::source_location where) {
  clear();
  db_.run(*this, ExpectedChanges{rows, invariant, where});
}

bool PgStatement::step() {
  if (!executed_) {
    clear();
    if (ahead_ != Ahead::none) result_ = db_.take_prefetched(*this);
    if (!result_) result_ = db_.execute(*this);
    executed_ = true;
  }
  ++row_;
  return row_ < PQntuples(result_);
}

}  // namespace

void prefetch(Db& db, std::string_view sql, const std::function<void(Query&)>& bind) {
  if (auto* pg = dynamic_cast<PgDb*>(&db)) pg->prefetch(sql, bind);
}

bool copy_rows(Db& db, const std::string& copy, const Rows& rows) {
  auto* pg = dynamic_cast<PgDb*>(&db);
  if (!pg) return false;
  pg->copy_in(copy, copy_text(rows));
  return true;
}

void forget_prefetched(Db& db) noexcept {
  if (auto* pg = dynamic_cast<PgDb*>(&db)) pg->forget_prefetched();
}

std::unique_ptr<Db> open_postgres(const std::string& uri, Mode) {
  // connect_timeout comes first so that a value in the URI itself wins.
  std::string timeout = std::to_string(connect_timeout_s);
  const char* keys[] = {"connect_timeout", "application_name", "keepalives_idle", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "backroom", "30", uri.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (!conn) throw DbError(DbError::Kind::unavailable, 0, "cannot open database: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = one_line(PQerrorMessage(conn));
    PQfinish(conn);
    throw DbError(DbError::Kind::unavailable, 0,
                  fmt::format("cannot open database '{}': {}", redact_location(uri), message));
  }
  return std::make_unique<PgDb>(conn, uri);
}

}  // namespace backroom::db
