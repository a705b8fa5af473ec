// The cutover checklist's rules and commands (reports/cutover.hpp).
#include "reports/cutover.hpp"

#include <fmt/format.h>

#include "access/audit.hpp"
#include "access/auth_store.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"

namespace backroom::reports {

namespace bj = boost::json;

namespace {
std::string plural(std::int64_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); }

bj::value opt(const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); }
}  // namespace

std::string cutover_title(const std::string& key) {
  if (key == "item_master") return "Item master clean";
  if (key == "labels") return "Shelf labels printed";
  if (key == "registers") return "Registers tested";
  if (key == "first_count") return "First count done";
  if (key == "backup") return "Backup working";
  return key;
}

Evidence cutover_evidence(const std::string& key, const CutoverFacts& f, std::int64_t now_micros) {
  if (key == "item_master") {
    if (f.items_active == 0) return {false, "no items yet: import the item list"};
    bool ok = f.items_without_price == 0 && f.items_without_barcode == 0;
    return {ok, fmt::format("{}; {} without a price, {} without a barcode", plural(f.items_active, "item", "items"),
                            f.items_without_price, f.items_without_barcode)};
  }
  if (key == "labels") {
    if (f.labels_printed == 0 && f.labels_waiting == 0) return {false, "no labels printed yet"};
    return {f.labels_waiting == 0,
            fmt::format("{} printed, {} waiting to print", plural(f.labels_printed, "label", "labels"), f.labels_waiting)};
  }
  if (key == "registers") {
    if (f.registers == 0) return {false, "no register set up"};
    return {f.registers_with_closed_session == f.registers,
            fmt::format("{} of {} opened and closed at least once", f.registers_with_closed_session,
                        plural(f.registers, "register", "registers"))};
  }
  if (key == "first_count") {
    return {f.counts_approved > 0, f.counts_approved > 0 ? fmt::format("{} approved", plural(f.counts_approved, "count", "counts"))
                                                         : std::string("no count approved yet")};
  }
  if (key == "backup") {
    if (f.backup_last_at == 0)
      return {false, f.backup_every_seconds > 0 ? "scheduled, but no backup has succeeded yet" : "no backup yet: schedule one (--backup-dir)"};
    bool late = f.backup_every_seconds > 0 && now_micros - f.backup_last_at > 2 * f.backup_every_seconds * 1'000'000;
    auto at = format_rfc3339(Timestamp{f.backup_last_at});  // to the minute: "2026-12-04 05:30 UTC"
    return {!late, fmt::format("last backup {} {} UTC{}", at.substr(0, 10), at.substr(11, 5), late ? " — late" : "")};
  }
  return {false, ""};
}

namespace {
bj::object task_json(db::Db& db, const CutoverTask& t, const CutoverFacts& facts, std::int64_t at) {
  std::string owner;
  if (t.owner_id)
    if (auto u = auth::store::user_by_id(db, *t.owner_id)) owner = u->display_name.empty() ? u->username : u->display_name;
  auto e = cutover_evidence(t.key, facts, at);
  return bj::object{{"key", t.key},
                    {"title", cutover_title(t.key)},
                    {"owner_id", opt(t.owner_id)},
                    {"owner", t.owner_id ? bj::value(owner) : bj::value(nullptr)},
                    {"due_on", opt(t.due_on)},
                    {"done", t.done_at.has_value()},
                    {"done_at", t.done_at ? bj::value(format_rfc3339(Timestamp{*t.done_at})) : bj::value(nullptr)},
                    {"done_by", opt(t.done_by)},
                    {"note", t.note},
                    {"evidence", bj::object{{"ok", e.ok}, {"text", e.text}}}};
}
}  // namespace

bj::object cutover_list(db::Db& db) {
  auto facts = store::cutover_facts(db);
  auto at = now().micros;
  bj::array tasks;
  for (const auto& t : store::cutover_tasks(db)) tasks.push_back(task_json(db, t, facts, at));
  return bj::object{{"tasks", std::move(tasks)}};
}

bj::object update_cutover_task(db::Db& db, const Actor& actor, const std::string& key, const CutoverPatch& patch) {
  auto t = store::cutover_task(db, key);
  if (!t) throw not_found("cutover task", key);
  auto before = *t;
  if (patch.owner_id) {
    if (*patch.owner_id) {
      auto user = auth::store::user_by_id(db, **patch.owner_id);
      if (!user || user->disabled) throw invalid_field("owner_id", "owner_id is a person who may sign in (GET /api/v1/reports/owners)");
    }
    t->owner_id = *patch.owner_id;
  }
  if (patch.due_on) t->due_on = *patch.due_on;
  if (patch.note) t->note = *patch.note;
  if (patch.done) {
    if (*patch.done && !t->done_at) {
      t->done_at = now().micros;
      t->done_by = actor.user;
    } else if (!*patch.done) {
      t->done_at.reset();
      t->done_by.reset();
    }
  }
  t->updated_at = now().micros;
  store::save_cutover_task(db, *t);
  auto text = [](const CutoverTask& x) {
    return json::serialize(bj::object{{"key", x.key}, {"owner_id", opt(x.owner_id)}, {"due_on", opt(x.due_on)},
                                      {"done", x.done_at.has_value()}, {"note", x.note}});
  };
  append_audit(db, actor, AuditEntry{"cutover.update", "cutover_task", key, text(before), text(*t)});
  append_event(db, "cutover.updated", key, text(*t));
  return task_json(db, *t, store::cutover_facts(db), now().micros);
}

}  // namespace backroom::reports
