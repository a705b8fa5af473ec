// The SQL of training attempts (migration 26). Writes run on the writer's connection inside its
// transaction; reads on a reader's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/db.hpp"

namespace backroom::training::store {

struct Attempt {
  std::string id;
  std::string user_id;
  std::string module;
  int score = 0;
  int total = 0;
  bool passed = false;
  std::vector<std::string> steps_done;
  std::int64_t at = 0;
};

void insert_attempt(db::Db& db, const Attempt& attempt);

// One person's standing in one module: their best attempt and when they first passed.
struct Standing {
  std::string user_id;
  std::string username;
  std::string display_name;
  std::string role;
  std::string module;
  int best_score = 0;
  int total = 0;
  std::int64_t attempts = 0;
  std::optional<std::int64_t> passed_at;  // the first passed attempt
  std::int64_t last_at = 0;
};
// Every (person, module) with at least one attempt; `user_id` "" for everyone. By person, then module.
std::vector<Standing> standings(db::Db& db, const std::string& user_id);

}  // namespace backroom::training::store
