// The reports room's own SQL: the review's actions and their photos (tables of migration 14).
// Reads take a reader; writes run on the writer inside the command's transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "reports/actions.hpp"

namespace backroom::reports::store {

std::optional<std::string> action_request_hash(db::Db& db, const std::string& id);
void insert_action(db::Db& db, const Action& a, const std::string& request_hash);
// Changes what may change (note, owner, due date, status, outcome, closing) and bumps version.
void update_action(db::Db& db, const Action& a);
std::optional<Action> load_action(db::Db& db, const std::string& id);
// The review of the week starting on `monday`: its own actions, and earlier weeks' that are
// still open or were closed at or after `week_start` (micros). Oldest week first.
std::vector<Action> actions_for_week(db::Db& db, const std::string& monday, std::int64_t week_start);

int photo_count(db::Db& db, const std::string& action_id);
void insert_photo(db::Db& db, const std::string& action_id, const PhotoHead& head, std::string_view bytes,
                  std::int64_t at, const std::string& user);
struct Photo {
  std::string content_type;
  std::string bytes;
};
std::optional<Photo> load_photo(db::Db& db, const std::string& action_id, const std::string& photo_id);

}  // namespace backroom::reports::store
