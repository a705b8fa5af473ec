// The cutover checklist (issue 22, the field guide's rollout weeks): five things that must be
// true before a shop sells on Backroom alone — the item master clean, shelf labels printed,
// the registers tested, a first count done, the backup working. Each task has an owner, a
// date and done, set by a manager; next to each, what the shop's own data says (evidence),
// computed when the list is read, so "done" can be checked against the books.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/actor.hpp"
#include "platform/app.hpp"
#include "platform/db.hpp"

namespace backroom::reports {

struct CutoverTask {
  std::string key;  // item_master, labels, registers, first_count, backup
  std::int64_t position = 0;
  std::optional<std::string> owner_id;
  std::optional<std::string> due_on;  // YYYY-MM-DD
  std::optional<std::int64_t> done_at;
  std::optional<std::string> done_by;
  std::string note;
  std::int64_t updated_at = 0;
};

// What the data says: the facts read for the evidence.
struct CutoverFacts {
  std::int64_t items_active = 0, items_without_price = 0, items_without_barcode = 0;
  std::int64_t labels_printed = 0, labels_waiting = 0;
  std::int64_t registers = 0, registers_with_closed_session = 0;
  std::int64_t counts_approved = 0;
  std::int64_t backup_last_at = 0, backup_every_seconds = 0;
};
struct Evidence {
  bool ok = false;
  std::string text;
};
// Pure: the task's title and what the facts say of it (at `now_micros`).
std::string cutover_title(const std::string& key);
Evidence cutover_evidence(const std::string& key, const CutoverFacts& facts, std::int64_t now_micros);

struct CutoverPatch {
  std::optional<std::optional<std::string>> owner_id;  // set, or cleared (null)
  std::optional<std::optional<std::string>> due_on;
  std::optional<bool> done;
  std::optional<std::string> note;
};
inline constexpr std::size_t cutover_note_length_max = 500;

boost::json::object cutover_list(db::Db& db);
// 404 for an unknown key; owner_id must be a person who may sign in (422).
boost::json::object update_cutover_task(db::Db& db, const Actor& actor, const std::string& key, const CutoverPatch& patch);

void register_cutover_routes(App& app);

namespace store {
std::vector<CutoverTask> cutover_tasks(db::Db& db);
std::optional<CutoverTask> cutover_task(db::Db& db, const std::string& key);
void save_cutover_task(db::Db& db, const CutoverTask& task);
CutoverFacts cutover_facts(db::Db& db);
}  // namespace store

}  // namespace backroom::reports
