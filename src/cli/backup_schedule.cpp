#include "cli/backup_schedule.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "cli/backup_cli.hpp"
#include "platform/settings.hpp"
#include "platform/types.hpp"

namespace backroom::cli {

namespace fs = std::filesystem;

ScheduledBackups::ScheduledBackups(App& app, BackupSchedule schedule) : app_(app), schedule_(std::move(schedule)) {
  fs::create_directories(schedule_.dir);
  app_.writer.run([this](db::Db& db) {
    settings::put(db, "backup.every_seconds", std::to_string(schedule_.every_seconds));
    settings::put(db, "backup.scheduled_since", std::to_string(now().micros));
  });
  job_.emplace("scheduled backup", std::chrono::seconds(schedule_.every_seconds), [this] { once(); });
}

void ScheduledBackups::once() {
  auto file = (fs::path(schedule_.dir) / fmt::format("{}{}.brb", scheduled_prefix, backup_cli::file_stamp())).string();
  try {
    auto rows = backup_cli::backup_to(app_.db_path, file, schedule_.key_file);
    auto at = now().micros;
    app_.writer.run([&](db::Db& db) {
      settings::put(db, "backup.last_at", std::to_string(at));
      settings::put(db, "backup.last_file", file);
      settings::put(db, "backup.last_error", "");
    });
    spdlog::info("scheduled backup: {} rows into {}", rows, file);
    prune();
  } catch (const std::exception& e) {
    spdlog::error("scheduled backup into {} failed: {}", file, e.what());
    try {
      std::string error = e.what();
      app_.writer.run([&](db::Db& db) { settings::put(db, "backup.last_error", error.substr(0, 500)); });
    } catch (const std::exception&) {
    }
  }
}

void ScheduledBackups::prune() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(schedule_.dir)) {
    auto name = entry.path().filename().string();
    if (entry.is_regular_file() && name.starts_with(scheduled_prefix) && name.ends_with(".brb"))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(), std::greater<>());  // newest first: the names sort by time
  auto oldest_kept = fs::file_time_type::clock::now() - std::chrono::seconds(schedule_.max_age_seconds);
  for (std::size_t i = 0; i < files.size(); ++i) {
    bool over_count = schedule_.keep > 0 && i >= static_cast<std::size_t>(schedule_.keep);
    bool too_old = schedule_.max_age_seconds > 0 && i > 0 && fs::last_write_time(files[i]) < oldest_kept;
    if (over_count || too_old) {
      std::error_code ec;
      fs::remove(files[i], ec);
      if (!ec) spdlog::info("scheduled backup {} removed ({})", files[i].string(), over_count ? "beyond --backup-keep" : "older than --backup-max-age");
    }
  }
}

}  // namespace backroom::cli
