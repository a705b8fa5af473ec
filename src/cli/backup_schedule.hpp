// Scheduled backups from the running server (`serve --backup-dir DIR --backup-every 15m
// --backup-keep 48 --backup-max-age 30d`, key from --backup-key-file or the shop key): one
// thread takes a backup (backup_cli::backup_to, its own read snapshot, never the writer's
// transaction) every period into DIR/scheduled-<time>.brb, then deletes the oldest beyond
// `keep` and those older than `max_age`. Each outcome is recorded in the settings
// (backup.last_at, backup.last_file, backup.last_error) through the writer, where
// GET /api/v1/system/status reads it and says when the backup is late.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "platform/app.hpp"
#include "platform/periodic.hpp"

namespace backroom::cli {

struct BackupSchedule {
  std::string dir;                // empty = no scheduled backups
  std::int64_t every_seconds = 0;
  int keep = 0;                   // 0 = no limit by count
  std::int64_t max_age_seconds = 0;  // 0 = no limit by age
  std::string key_file;
};

inline constexpr std::string_view scheduled_prefix = "scheduled-";

class ScheduledBackups {
 public:
  ScheduledBackups(App& app, BackupSchedule schedule);

 private:
  void once();
  void prune();

  App& app_;
  BackupSchedule schedule_;
  std::optional<PeriodicJob> job_;  // last: started once the rest is in place
};

}  // namespace backroom::cli
