// Backups an operator can trust (issue 22): `backroom keys generate --to FILE`,
// `backroom backup --db DB --to FILE` and `backroom restore --from FILE --db NEW`.
//
// A backup is the whole shop copied inside one read snapshot (db::copy_database, so the
// shop keeps selling and the copy is consistent, on SQLite and PostgreSQL alike) into an
// SQLite file, which is then sealed (platform/backup_file.hpp) and the plain copy removed.
// A restore opens the sealed file (a wrong key or a changed byte is refused in one line),
// proves the copy (`check` and `audit verify`) before it touches the target, copies it into
// the new, empty target database and proves the target again. Exit status 1 when refused.
//
// Upgrades with a way back: before migrations are applied to a shop that has data
// (cli::open_shop, so `serve`, `migrate` and every other command), backup_before_upgrade()
// seals the shop as it is; `backroom rollback --to-backup FILE --db DB` puts that state back
// (an SQLite file is swapped, the replaced one kept beside it; PostgreSQL is restored into a
// new, empty database), for the backroom version that wrote it.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace backroom::backup_cli {

void add_commands(CLI::App& app);

// Seals the shop at `db_path` (at schema version `from`, about to be migrated to `to`) into
// BACKROOM_BACKUP_DIR (default: beside an SQLite file, else the working directory) under
// BACKROOM_BACKUP_KEY_FILE (default: the shop key, platform/secret_box.hpp). Returns the
// file written. Throws when it cannot: no upgrade without its way back.
std::string backup_before_upgrade(const std::string& db_path, int from, int to);

// One backup of the running shop into `file`, sealed with the key file `key_file`; returns
// the rows copied. Throws on failure (nothing is left at `file`).
std::int64_t backup_to(const std::string& db_path, const std::string& file, const std::string& key_file);
// "30s", "15m", "24h", "30d" -> seconds; nullopt for anything else.
std::optional<std::int64_t> parse_duration(std::string_view text);
// 20261202T200301Z: the current UTC time as a file name part that sorts by time.
std::string file_stamp();

}  // namespace backroom::backup_cli
