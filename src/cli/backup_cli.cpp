#include "cli/backup_cli.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "access/audit.hpp"
#include "cli/shop.hpp"
#include "platform/backup_file.hpp"
#include "platform/shop_export.hpp"
#include "platform/db.hpp"
#include "platform/db_copy.hpp"
#include "platform/schema.hpp"
#include "platform/secret_box.hpp"
#include "platform/types.hpp"

namespace backroom::backup_cli {
namespace {

namespace fs = std::filesystem;

struct KeyOptions {
  std::string key_file;
  std::string passphrase_file;
};

void add_key_options(CLI::App* cmd, KeyOptions& k) {
  auto* file = cmd->add_option("--key-file", k.key_file, "Key file made by `backroom keys generate`")
                   ->envname("BACKROOM_BACKUP_KEY_FILE");
  auto* pass = cmd->add_option("--passphrase-file", k.passphrase_file,
                               "A file whose first line is the passphrase (at least 12 characters)");
  file->excludes(pass);
}

backup::Key key_of(const KeyOptions& k) {
  if (!k.key_file.empty()) return {backup::Key::Kind::key_file, k.key_file};
  if (k.passphrase_file.empty()) throw backup::BackupError("give --key-file or --passphrase-file");
  std::ifstream in(k.passphrase_file);
  std::string line;
  if (!in || !std::getline(in, line)) throw backup::BackupError(fmt::format("cannot read {}", k.passphrase_file));
  return {backup::Key::Kind::passphrase, line};
}

// An SQLite file for the plain copy, private to this process, removed with its WAL files.
struct TempShop {
  std::string path;
  explicit TempShop(const fs::path& dir) {
    path = (dir / fmt::format(".backroom-{}-{}.db", ::getpid(), fs::file_time_type::clock::now().time_since_epoch().count())).string();
  }
  ~TempShop() {
    for (const char* suffix : {"", "-wal", "-shm", ".partial"}) {
      std::error_code ec;
      fs::remove(path + suffix, ec);
    }
  }
};

// What `check` and `audit verify` say of `db`: empty when both hold.
std::string prove(db::Db& db) {
  auto problems = cli::check_shop(db);
  std::string out;
  for (const auto& p : problems) out += p + "\n";
  if (!problems.empty()) out += fmt::format("the books do NOT hold: {} problem(s)\n", problems.size());
  if (auto broken = verify_audit(db)) out += fmt::format("the audit log is BROKEN at entry {}\n", *broken);
  return out;
}

struct Sealed {
  std::int64_t rows = 0;
  std::size_t tables = 0;
};

// The shop copied inside one read snapshot into a private SQLite file beside `to`, sealed.
Sealed seal_copy(const std::string& db_path, const std::string& to, const backup::Key& key) {
  fs::path target(to);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  Sealed out;
  mode_t old = ::umask(077);
  TempShop plain(dir);
  {
    auto from = db::Db::open(db_path, db::Mode::read_write);
    auto copy = db::Db::open(plain.path, db::Mode::read_write);
    for (const auto& t : db::copy_database(*from, *copy)) out.rows += t.rows, ++out.tables;
  }
  backup::seal_file(plain.path, to, key);
  ::umask(old);
  return out;
}

int backup_shop(const std::string& db_path, const std::string& to, const KeyOptions& k) {
  auto key = key_of(k);
  auto [rows, tables] = seal_copy(db_path, to, key);
  std::cout << fmt::format("backed up {} rows in {} tables of {} into {} ({} bytes, encrypted)", rows, tables,
                           db::Db::open(db_path, db::Mode::read_only)->display_name(), to, fs::file_size(to))
            << std::endl;
  return 0;
}

int export_shop(const std::string& db_path, const std::string& to) {
  auto db = db::Db::open(db_path, db::Mode::read_only);
  if (fs::exists(to)) throw std::runtime_error(fmt::format("{} exists: export into a new file", to));
  auto out = shop_export::export_shop(*db, db_path);
  ::umask(077);  // customer contacts and bank details in clear: for the owner's eyes
  std::ofstream file(to, std::ios::binary | std::ios::trunc);
  file.write(out.zip.data(), static_cast<std::streamsize>(out.zip.size()));
  file.close();
  if (!file) throw std::runtime_error(fmt::format("cannot write {}", to));
  std::int64_t rows = 0;
  for (const auto& f : out.files) rows += f.rows;
  std::cout << fmt::format("exported {} rows in {} CSV files of {} into {} ({} bytes; README.txt says what is left out)",
                           rows, out.files.size(), db->display_name(), to, out.zip.size())
            << std::endl;
  return 0;
}

int restore_shop(const std::string& from, const std::string& db_path, const KeyOptions& k) {
  auto key = key_of(k);
  ::umask(077);
  TempShop plain(fs::temp_directory_path());
  backup::open_file(from, plain.path, key);
  {
    auto copy = db::Db::open(plain.path, db::Mode::read_write);
    // A backup from before an upgrade is brought to this backroom's version (its private copy).
    if (int version = schema::current_version(*copy); version < schema::latest_version()) {
      schema::migrate(*copy);
      std::cout << fmt::format("the backup is at schema version {}: migrated to {}", version, schema::latest_version())
                << std::endl;
    }
    if (auto problems = prove(*copy); !problems.empty()) {
      std::cout << problems << "the backup does NOT verify: nothing was restored" << std::endl;
      return 1;
    }
    auto target = db::Db::open(db_path, db::Mode::read_write);
    std::int64_t rows = 0;
    for (const auto& t : db::copy_database(*copy, *target)) rows += t.rows;
    if (auto problems = prove(*target); !problems.empty()) {
      std::cout << problems << "the restored shop does NOT verify" << std::endl;
      return 1;
    }
    std::cout << fmt::format("restored {} rows into {}: the books hold and the audit log is intact", rows,
                             target->display_name())
              << std::endl;
  }
  return 0;
}

// 20261202T200301Z: a file name that sorts by time.
std::string stamp() {
  std::time_t t = static_cast<std::time_t>(now().micros / 1'000'000);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[20];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

// The backup put back as it was, at its own schema version, for the backroom that wrote it.
int rollback_shop(const std::string& from, const std::string& db_path, KeyOptions k) {
  if (k.key_file.empty() && k.passphrase_file.empty()) k.key_file = secret_box::key_path(db_path);
  auto key = key_of(k);
  bool postgres = db::is_postgres_location(db_path);
  fs::path dir = postgres ? fs::temp_directory_path() : fs::absolute(db_path).parent_path();
  ::umask(077);
  TempShop plain(dir);
  backup::open_file(from, plain.path, key);
  int version = 0;
  {
    auto copy = db::Db::open(plain.path, db::Mode::read_write);
    version = schema::current_version(*copy);
    if (auto broken = verify_audit(*copy)) {
      std::cout << fmt::format("the backup's audit log is BROKEN at entry {}: nothing was rolled back", *broken) << std::endl;
      return 1;
    }
    if (postgres) {
      auto target = db::Db::open(db_path, db::Mode::read_write);
      db::copy_database(*copy, *target);
    }
  }
  std::string kept;
  if (!postgres) {
    // The file in place is kept beside it (with its WAL), never deleted.
    kept = fmt::format("{}.before-rollback-{}", db_path, stamp());
    for (const char* suffix : {"", "-wal", "-shm"})
      if (fs::exists(db_path + suffix)) fs::rename(db_path + suffix, kept + suffix);
    fs::rename(plain.path, db_path);
  }
  std::cout << fmt::format("rolled back {} to the backup {} (schema version {}){}; run the backroom that writes "
                           "version {} on it",
                           db::redact_location(db_path), from, version,
                           kept.empty() ? "" : fmt::format("; the replaced database is kept as {}", kept), version)
            << std::endl;
  return 0;
}

std::string backup_dir_for(const std::string& db_path) {
  if (const char* dir = std::getenv("BACKROOM_BACKUP_DIR"); dir && *dir) return dir;
  if (!db::is_postgres_location(db_path)) return fs::absolute(db_path).parent_path().string();
  return ".";
}

// Runs a command's callback: its exit status, and a BackupError as "<verb> refused: why".
void refusing(const char* verb, const std::function<int()>& run) {
  try {
    if (int rc = run()) throw CLI::RuntimeError(rc);
  } catch (const backup::BackupError& e) {
    std::cout << verb << " refused: " << e.what() << std::endl;
    throw CLI::RuntimeError(1);
  }
}

}  // namespace

std::int64_t backup_to(const std::string& db_path, const std::string& file, const std::string& key_file) {
  return seal_copy(db_path, file, backup::Key{backup::Key::Kind::key_file, key_file}).rows;
}

std::optional<std::int64_t> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || n <= 0) return std::nullopt;
  switch (text.back()) {
    case 's': return n;
    case 'm': return n * 60;
    case 'h': return n * 3600;
    case 'd': return n * 86400;
    default: return std::nullopt;
  }
}

std::string file_stamp() { return stamp(); }

std::string backup_before_upgrade(const std::string& db_path, int from, int to) {
  backup::Key key{backup::Key::Kind::key_file, ""};
  if (const char* file = std::getenv("BACKROOM_BACKUP_KEY_FILE"); file && *file)
    key.secret = file;
  else
    key.secret = secret_box::key_file(db_path);
  fs::path dir = backup_dir_for(db_path);
  fs::create_directories(dir);
  std::string stem = db::is_postgres_location(db_path) ? "postgresql" : fs::path(db_path).stem().string();
  auto file = (dir / fmt::format("{}-v{}-before-v{}-{}.brb", stem, from, to, stamp())).string();
  auto sealed = seal_copy(db_path, file, key);
  std::cerr << fmt::format("before upgrading schema version {} to {}: backed up {} rows into {} (roll back with "
                           "`backroom rollback --to-backup {} --db ...`)",
                           from, to, sealed.rows, file, file)
            << std::endl;
  return file;
}

void add_commands(CLI::App& app) {
  auto* keys = app.add_subcommand("keys", "Backup keys");
  keys->require_subcommand(1);
  auto* generate = keys->add_subcommand("generate", "Make a new backup key file (32 random bytes, mode 0600)");
  static std::string key_to;
  generate->add_option("--to", key_to, "Where to write the key file (never overwritten)")->required();
  generate->callback([] {
    backup::generate_key_file(key_to);
    std::cout << fmt::format("wrote a new backup key to {}: keep a copy away from the backups", key_to) << std::endl;
  });

  static std::string db_path, file;
  static KeyOptions key;
  auto* backup_cmd = app.add_subcommand("backup", "An encrypted, consistent backup of the shop while it runs");
  backup_cmd->add_option("--db", db_path, "The shop's database (path or postgresql:// URI)")->envname("BACKROOM_DB")->required();
  backup_cmd->add_option("--to", file, "The backup file to write")->required();
  add_key_options(backup_cmd, key);
  backup_cmd->callback([] { refusing("backup", [] { return backup_shop(db_path, file, key); }); });

  static std::string export_to;
  auto* export_cmd = app.add_subcommand(
      "export", "Every table of the shop as CSV files in one ZIP, so leaving is always possible (no credentials)");
  export_cmd->add_option("--db", db_path, "The shop's database (path or postgresql:// URI)")->envname("BACKROOM_DB")->required();
  export_cmd->add_option("--to", export_to, "The ZIP file to write (a new file)")->required();
  export_cmd->callback([] { refusing("export", [] { return export_shop(db_path, export_to); }); });

  static std::string rollback_file;
  static KeyOptions rollback_key;
  auto* rollback_cmd = app.add_subcommand("rollback", "Put back the state of a backup taken before an upgrade");
  rollback_cmd->add_option("--to-backup", rollback_file, "The backup (made before the upgrade)")->required();
  rollback_cmd->add_option("--db", db_path, "The shop's SQLite file (swapped, the old one kept), or a new, empty "
                                            "PostgreSQL database")->envname("BACKROOM_DB")->required();
  add_key_options(rollback_cmd, rollback_key);
  rollback_cmd->callback([] { refusing("rollback", [] { return rollback_shop(rollback_file, db_path, rollback_key); }); });

  auto* restore_cmd = app.add_subcommand("restore", "Restore a backup into a new, empty database, verified");
  restore_cmd->add_option("--from", file, "The backup file")->required();
  restore_cmd->add_option("--db", db_path, "A new, empty database (path or postgresql:// URI)")->required();
  add_key_options(restore_cmd, key);
  restore_cmd->callback([] { refusing("restore", [] { return restore_shop(file, db_path, key); }); });
}

}  // namespace backroom::backup_cli
