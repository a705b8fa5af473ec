// The unit tests that need a real PostgreSQL (`*OnPostgres*`): ctest's unit_tests.pg names
// the cluster scripts/pg-cluster.sh started (BACKROOM_TEST_PG_STATE) and fails without one
// (BACKROOM_TEST_PG_REQUIRED); the plain unit run skips them.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "platform/db.hpp"

namespace backroom::test {

// The cluster's base URI from the state file scripts/pg-cluster.sh wrote, or empty.
inline std::string pg_cluster_uri() {
  const char* state = std::getenv("BACKROOM_TEST_PG_STATE");
  if (!state) return {};
  std::ifstream in(state);
  std::string line;
  const std::string key = "BACKROOM_TEST_PG_URL=";
  while (std::getline(in, line))
    if (line.starts_with(key)) return line.substr(key.size());
  return {};
}

// Skips the test (fails it under unit_tests.pg) when there is no cluster; use at its start.
#define BACKROOM_NEED_PG_CLUSTER(base)                                                              \
  const std::string base = ::backroom::test::pg_cluster_uri();                                     \
  if (base.empty()) {                                                                               \
    if (std::getenv("BACKROOM_TEST_PG_REQUIRED")) FAIL() << "BACKROOM_TEST_PG_STATE names no cluster"; \
    GTEST_SKIP() << "no PostgreSQL cluster (BACKROOM_TEST_PG_STATE): runs as ctest's unit_tests.pg"; \
  }

// A new database on the cluster for one test, dropped when this goes.
class PgScratchDb {
 public:
  PgScratchDb(const std::string& base, const std::string& label)
      : base_(base), name_(fmt::format("{}_{}", label, ::getpid())) {
    db::Db::open(base_ + "/postgres", db::Mode::read_write)->exec("DROP DATABASE IF EXISTS " + name_);
    db::Db::open(base_ + "/postgres", db::Mode::read_write)->exec("CREATE DATABASE " + name_);
  }
  ~PgScratchDb() {
    try {
      db::Db::open(base_ + "/postgres", db::Mode::read_write)->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
      // left for the cluster's end
    }
  }
  PgScratchDb(const PgScratchDb&) = delete;
  PgScratchDb& operator=(const PgScratchDb&) = delete;
  std::string uri() const { return base_ + "/" + name_; }

 private:
  std::string base_;
  std::string name_;
};

}  // namespace backroom::test
