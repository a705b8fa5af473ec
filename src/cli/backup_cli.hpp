// Backups an operator can trust (issue 22): `backroom keys generate --to FILE`,
// `backroom backup --db DB --to FILE` and `backroom restore --from FILE --db NEW`.
//
// A backup is the whole shop copied inside one read snapshot (db::copy_database, so the
// shop keeps selling and the copy is consistent, on SQLite and PostgreSQL alike) into an
// SQLite file, which is then sealed (platform/backup_file.hpp) and the plain copy removed.
// A restore opens the sealed file (a wrong key or a changed byte is refused in one line),
// proves the copy (`check` and `audit verify`) before it touches the target, copies it into
// the new, empty target database and proves the target again. Exit status 1 when refused.
#pragma once

#include <CLI/CLI.hpp>

namespace backroom::backup_cli {

void add_commands(CLI::App& app);

}  // namespace backroom::backup_cli
