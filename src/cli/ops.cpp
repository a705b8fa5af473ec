// `backroom doctor` (cli/ops.hpp): what an operator checks first, one line each.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>

#include "cli/ops.hpp"
#include "platform/backup_file.hpp"
#include "platform/schema.hpp"
#include "platform/secret_box.hpp"
#include "platform/settings.hpp"
#include "platform/types.hpp"
#include "sync/puller.hpp"
#include "sync/sync.hpp"

namespace backroom::cli::ops {

namespace {

enum class Level { ok, warn, fail };

struct Report {
  int fails = 0, warns = 0;
  void line(Level level, std::string_view check, const std::string& text) {
    const char* tag = level == Level::ok ? "OK  " : level == Level::warn ? "WARN" : "FAIL";
    if (level == Level::fail) ++fails;
    if (level == Level::warn) ++warns;
    std::cout << fmt::format("{} {:<9} {}", tag, check, text) << std::endl;
  }
};

std::string human_bytes(std::uintmax_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return fmt::format("{:.1f} {}", v, units[u]);
}

std::string human_age(std::int64_t seconds) {
  if (seconds < 120) return fmt::format("{} s", seconds);
  if (seconds < 7200) return fmt::format("{} min", seconds / 60);
  if (seconds < 172800) return fmt::format("{:.1f} h", static_cast<double>(seconds) / 3600.0);
  return fmt::format("{:.1f} days", static_cast<double>(seconds) / 86400.0);
}

// Store nodes (docs/sync.md): at head office one line per node (its last pull and the queue it
// reported; WARN when it has not pulled for 15 minutes); on a node what waits for head office.
void sync_lines(Report& r, db::Db& db, const DoctorOptions& o, std::int64_t now_micros) {
  for (const auto& n : sync::store::list_nodes(db)) {
    auto named = sync::node_to_json(db, n);
    const auto* store = named.if_contains("location_name");
    std::string name = store && store->is_string() ? std::string(store->get_string()) : n.location_id;
    if (!n.last_sync_at) {
      r.line(Level::warn, "sync", fmt::format("store node of {}: has never pulled (is it installed and its key set?)", name));
      continue;
    }
    auto age = (now_micros - *n.last_sync_at) / 1'000'000;
    r.line(age > 900 ? Level::warn : Level::ok, "sync",
           fmt::format("store node of {}: last pull {} ago, {} document(s) waiting as it reported", name, human_age(age),
                       n.queue_length));
  }
  if (!settings::get(db, sync::upstream_cursor_setting)) return;  // not a store node
  auto waiting = sync::waiting_documents(db);
  r.line(waiting > o.backlog_warn ? Level::warn : Level::ok, "sync",
         fmt::format("{} document(s) waiting for head office", waiting));
}

void check_disk(Report& r, const DoctorOptions& o, bool postgres) {
  namespace fs = std::filesystem;
  fs::path where = postgres ? fs::current_path() : fs::absolute(o.db_path).parent_path();
  std::error_code ec;
  auto space = fs::space(where, ec);
  if (ec) {
    r.line(Level::fail, "disk", fmt::format("cannot read the free space of {}: {}", where.string(), ec.message()));
    return;
  }
  double percent = space.capacity > 0 ? 100.0 * static_cast<double>(space.available) / static_cast<double>(space.capacity) : 0;
  auto text = fmt::format("{} free of {} ({:.1f} %) where {}", human_bytes(space.available), human_bytes(space.capacity),
                          percent, postgres ? fmt::format("backroom runs ({}; the database server's disk is not checked from here)", where.string())
                                            : fmt::format("the database is ({})", where.string()));
  r.line(percent < o.disk_fail_percent ? Level::fail : percent < o.disk_warn_percent ? Level::warn : Level::ok, "disk", text);
}

}  // namespace

int doctor(const DoctorOptions& o) {
  Report r;
  std::unique_ptr<db::Db> db;
  try {
    db = db::Db::open(o.db_path, db::Mode::read_write);
  } catch (const std::exception& e) {
    r.line(Level::fail, "database", fmt::format("cannot open: {}", e.what()));
    std::cout << "1 check failed" << std::endl;
    return 1;
  }
  bool postgres = db->dialect() == db::Dialect::postgres;
  r.line(Level::ok, "database", fmt::format("{} ({})", db->display_name(), postgres ? "PostgreSQL" : "SQLite"));
  check_disk(r, o, postgres);

  auto version = schema_version(*db);
  int binary = schema::latest_version();
  if (!version)
    r.line(Level::fail, "schema", "no schema_migrations table: not a backroom database (run `backroom init`)");
  else if (*version > binary)
    r.line(Level::fail, "schema", fmt::format("database at version {}, newer than this binary ({}): run the newer backroom", *version, binary));
  else if (*version < binary)
    r.line(Level::warn, "schema", fmt::format("database at version {}, this binary expects {}: `backroom migrate` (the server migrates on start)", *version, binary));
  else
    r.line(Level::ok, "schema", fmt::format("version {}, as this binary expects", *version));

  if (version && *version <= binary) {
    Snapshot s;
    bool read = false;
    try {
      s = read_snapshot(*db);
      read = true;
    } catch (const std::exception& e) {
      r.line(Level::fail, "queues", fmt::format("cannot read: {}", e.what()));
    }
    if (read) {
      auto now_micros = now().micros;
      if (s.backup_last_at <= 0) {
        r.line(s.backup_every_seconds > 0 ? Level::fail : Level::warn, "backup",
               s.backup_every_seconds > 0 ? "scheduled, but no backup has succeeded yet"
                                          : "no backup recorded (serve --backup-dir, or run `backroom backup` from cron)");
      } else {
        auto age = (now_micros - s.backup_last_at) / 1'000'000;
        std::int64_t since_seconds = (now_micros - std::max(s.backup_last_at, s.backup_scheduled_since)) / 1'000'000;
        bool late = s.backup_every_seconds > 0 && since_seconds > 2 * s.backup_every_seconds;
        Level level = late ? Level::fail : age > o.backup_warn_hours * 3600 ? Level::warn : Level::ok;
        r.line(level, "backup",
               fmt::format("last success {} ago ({}){}{}", human_age(age), format_rfc3339(Timestamp{s.backup_last_at}),
                           s.backup_every_seconds > 0 ? fmt::format(", scheduled every {}", human_age(s.backup_every_seconds)) : "",
                           late ? ": LATE" : ""));
      }
      if (!s.backup_last_error.empty())
        r.line(Level::warn, "backup", fmt::format("the last scheduled backup failed: {}", s.backup_last_error));
      Level queue_level = s.webhook_dead > 0 || s.outbox_backlog_events > o.backlog_warn || s.webhook_pending > o.backlog_warn
                              ? Level::warn
                              : Level::ok;
      r.line(queue_level, "queues",
             fmt::format("outbox backlog {} event(s) over {} active webhook endpoint(s); webhook messages {} pending, {} dead",
                         s.outbox_backlog_events, s.webhook_endpoints_active, s.webhook_pending, s.webhook_dead));
      sync_lines(r, *db, o, now_micros);
    }
  }

  if (postgres) {
    try {
      auto before = now().micros;
      auto server = server_clock_micros(*db);
      auto after = now().micros;
      if (server) {
        auto skew_ms = (*server - (before + after) / 2) / 1000;
        auto level = std::llabs(skew_ms) >= o.skew_fail_ms ? Level::fail
                     : std::llabs(skew_ms) >= o.skew_warn_ms ? Level::warn
                                                             : Level::ok;
        r.line(level, "clock", fmt::format("database server clock {} this machine's by {} ms (round trip {} ms)",
                                           skew_ms >= 0 ? "ahead of" : "behind", std::llabs(skew_ms), (after - before) / 1000));
      }
    } catch (const std::exception& e) {
      r.line(Level::fail, "clock", fmt::format("cannot read the database server's clock: {}", e.what()));
    }
  } else {
    r.line(Level::ok, "clock", "SQLite: one machine's clock, no skew to check");
  }
  std::cout << fmt::format("{} failed, {} warning(s)", r.fails, r.warns) << std::endl;
  return r.fails > 0 ? 1 : 0;
}

int rotate_keys(const std::string& db_path) {
  namespace fs = std::filesystem;
  std::string key = secret_box::key_path(db_path);
  if (!fs::exists(key)) {
    std::cerr << fmt::format("error: no shop key at {} (nothing is sealed yet, or BACKROOM_KEY_FILE names another file)", key)
              << std::endl;
    return 1;
  }
  std::string next = key + ".next";
  if (fs::exists(next)) {
    std::cerr << fmt::format(
                     "error: {} exists: an earlier rotation stopped half-way. If the database opens with it "
                     "(`backroom keys rotate` committed), move it to {}; else delete it. Then run again.",
                     next, key)
              << std::endl;
    return 1;
  }
  backup::generate_key_file(next);
  std::int64_t values = 0;
  try {
    auto db = db::Db::open(db_path, db::Mode::read_write);
    secret_box::Resealer reseal(key, next);
    db->begin_write();
    try {
      values = reseal_all(*db, reseal);
      db->exec("COMMIT");
    } catch (...) {
      try {
        db->exec("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
  } catch (const std::exception& e) {
    fs::remove(next);
    std::cerr << fmt::format("error: nothing changed, the old key stays: {}", e.what()) << std::endl;
    return 1;
  }
  auto stamp = format_rfc3339(now());
  for (char& c : stamp)
    if (c == ':') c = '-';
  std::string retired = fmt::format("{}.retired-{}", key, stamp);
  fs::rename(key, retired);
  fs::rename(next, key);
  std::cout << fmt::format("re-encrypted {} sealed values under a new shop key {}; the old key is kept as {} "
                           "(backups sealed with it need it; restart the server)",
                           values, key, retired)
            << std::endl;
  return 0;
}

}  // namespace backroom::cli::ops
