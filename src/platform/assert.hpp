// BR_ASSERT: an invariant that must hold, checked in every build (never compiled out).
// A broken invariant is a bug, not a user error: it stops the process at once with the
// file, line, condition and message on stderr, and the crash test's restart recovers
// from the last committed state. Never "repaired" silently, never a 500.
#pragma once

#include <source_location>
#include <string_view>

namespace backroom {

[[noreturn]] void assert_failed(const char* file, int line, std::string_view condition, std::string_view message);

}  // namespace backroom

namespace backroom::db {

class Db;

// Stops the process (as BR_ASSERT, naming the caller) unless a transaction is open on
// `db` (sqlite3_get_autocommit == 0). Every store function that writes calls it first, so
// no write ever commits on its own, outside the command that made it.
void assert_in_transaction(Db& db, std::source_location caller = std::source_location::current());

}  // namespace backroom::db

#define BR_ASSERT(condition, message) \
  ((condition) ? static_cast<void>(0) : ::backroom::assert_failed(__FILE__, __LINE__, #condition, (message)))
