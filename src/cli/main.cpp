// `backroom`: the one binary. Every subcommand that touches a shop takes --db
// (or BACKROOM_DB); flags also read BACKROOM_* environment variables.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "access/audit.hpp"
#include "access/auth_api.hpp"
#include "access/permissions.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_api.hpp"
#include "catalog/catalog_store.hpp"
#include "catalog/item_csv.hpp"
#include "catalog/price_changes_api.hpp"
#include "cli/auth_cli.hpp"
#include "cli/backup_cli.hpp"
#include "cli/backup_schedule.hpp"
#include "cli/labels_cli.hpp"
#include "cli/ops.hpp"
#include "cli/planning_cli.hpp"
#include "cli/customers_cli.hpp"
#include "cli/planning_import.hpp"
#include "exchange/exchange.hpp"
#include "cli/routes.hpp"
#include "cli/shop.hpp"
#include "cli/stock_cli.hpp"
#include "cli/sync_cli.hpp"
#include "sync/change_requests.hpp"
#include "sync/node_clock.hpp"
#include "sync/outbound.hpp"
#include "sync/puller.hpp"
#include "integrations/events.hpp"
#include "integrations/webhook_delivery.hpp"
#include "platform/idempotency.hpp"
#include "platform/periodic.hpp"
#include "labels/labels_api.hpp"
#include "platform/app.hpp"
#include "platform/http_server.hpp"
#include "platform/json.hpp"
#include "platform/log.hpp"
#include "platform/metrics.hpp"
#include "platform/outbox.hpp"
#include "platform/db_copy.hpp"
#include "platform/schema.hpp"
#include "platform/secret_box.hpp"
#include "sales/registers_api.hpp"
#include "sales/sales.hpp"
#include "sales/sales_api.hpp"
#include "stock/stock_api.hpp"

namespace backroom::cli {
namespace {

namespace bj = boost::json;

struct Listen {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
};

Listen parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) throw CLI::ValidationError("--listen", "expected HOST:PORT, e.g. 127.0.0.1:8080");
  Listen l;
  l.host = text.substr(0, colon);
  if (l.host.size() > 2 && l.host.front() == '[' && l.host.back() == ']') l.host = l.host.substr(1, l.host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(text.substr(colon + 1));
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) throw CLI::ValidationError("--listen", "port must be 0..65535");
  l.port = static_cast<std::uint16_t>(port);
  return l;
}

std::string default_static_dir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  for (fs::path candidate : {exe.parent_path() / "web", exe.parent_path().parent_path() / "web" / "dist",
                             fs::current_path() / "web" / "dist"}) {
    if (fs::is_regular_file(candidate / "index.html", ec)) return candidate.string();
  }
  return "";
}


struct Tls {
  std::string cert_file, key_file;
};

int serve(const std::string& db_path, const std::string& listen, int threads, std::string static_dir,
          bool access_log, BackupSchedule backups, const std::string& upstream, const std::string& node_key,
          const Tls& tls) {
  auto l = parse_listen(listen);
  { open_shop(db_path); }  // create and migrate before anyone reads
  // A store node's documents queued for head office carry its clock (before any writer runs).
  if (!upstream.empty()) sync::stamp_queued_documents();
  App app(db_path);
  add_routes(app);
  metrics::global().bind_routes(app.router);  // the route table is fixed from here on
  // Outbound webhooks (docs/webhooks.md); BACKROOM_WEBHOOKS=off leaves delivery to another process.
  std::unique_ptr<integrations::webhooks::DeliveryWorker> webhooks;
  if (std::string_view(std::getenv("BACKROOM_WEBHOOKS") ? std::getenv("BACKROOM_WEBHOOKS") : "on") != "off")
    webhooks = std::make_unique<integrations::webhooks::DeliveryWorker>(
        app.writer, db_path, integrations::webhooks::DeliveryOptions::from_environment());
  // Idempotency-Key answers are kept a day (platform/idempotency.hpp), then forgotten.
  PeriodicWriterJob forget_keys(app.writer, "idempotency keys", std::chrono::seconds(3600),
                                [](db::Db& db) { idempotency::purge(db); });
  std::unique_ptr<ScheduledBackups> scheduled;
  if (!backups.dir.empty()) {
    if (backups.key_file.empty()) backups.key_file = secret_box::key_file(db_path);
    scheduled = std::make_unique<ScheduledBackups>(app, backups);
  }
  // A store node pulls head office's change feed (docs/sync.md).
  std::unique_ptr<sync::Puller> puller;
  if (!upstream.empty()) {
    if (node_key.empty()) throw CLI::ValidationError("--node-key", "a store node needs --node-key (or BACKROOM_NODE_KEY)");
    sync::divert_master_data();  // master data is head office's: edits become change requests
    sync::install_outbound_shipping();  // a transfer may go to one of head office's locations
    puller = std::make_unique<sync::Puller>(app.writer, upstream, node_key);
  }
  http::ServerOptions options;
  options.host = l.host;
  options.port = l.port;
  options.threads = threads;
  options.static_dir = static_dir.empty() ? default_static_dir() : static_dir;
  options.access_log = access_log;
  options.tls_cert_file = tls.cert_file;
  options.tls_key_file = tls.key_file;
  http::Server server(options, app.router);
  auto port = server.listen();
  std::cout << fmt::format("backroom {} listening on {}://{}:{}  (database {})", BACKROOM_VERSION,
                           server.tls() ? "https" : "http",
                           l.host.find(':') != std::string::npos ? "[" + l.host + "]" : l.host, port,
                           db::redact_location(db_path))
            << std::endl;
  server.run();
  spdlog::info("stopped");
  return 0;
}

void print_problem(const Problem& p) {
  std::cerr << "error: " << p.detail << " [" << p.code << "]" << std::endl;
}

int import_items(const std::string& db_path, const std::string& file, bool dry_run) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << file << std::endl;
    return 2;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string csv = buffer.str();
  auto db = open_shop(db_path);
  bool tty = isatty(STDERR_FILENO);
  auto progress = [tty](std::size_t done, std::size_t total) {
    if (!tty || total == 0) return;
    int width = 40;
    int filled = static_cast<int>(done * static_cast<std::size_t>(width) / total);
    std::cerr << fmt::format("\r[{:<{}}] {:3}%", std::string(static_cast<std::size_t>(filled), '#'), width,
                             done * 100 / total)
              << std::flush;
  };
  db::Transaction tx(*db);
  auto report = catalog::import_items_csv(*db, Actor::of("cli", "cli"), csv, dry_run, progress);
  tx.commit();
  if (tty) std::cerr << "\n";
  for (const auto& e : report.errors)
    std::cerr << fmt::format("{}:{}{}: {} [{}]", file, e.line, e.column.empty() ? "" : " column " + e.column, e.reason,
                             e.code)
              << "\n";
  std::cout << fmt::format("{} rows: {} to create, {} to update, {} unchanged, {} errors — {}", report.rows,
                           report.created, report.updated, report.unchanged, report.errors.size(),
                           report.applied ? "imported"
                           : dry_run      ? "dry run, nothing written"
                                          : "nothing written (an import is all or nothing)")
            << std::endl;
  return report.errors.empty() ? 0 : 1;
}

// `backroom items import --format shopify|square`: the same all-or-nothing import as the API.
int import_exchange(const std::string& db_path, const std::string& file, const std::string& format_text, bool dry_run) {
  auto format = exchange::parse_format(format_text);
  if (!format) {
    std::cerr << "error: --format is backroom, shopify or square" << std::endl;
    return 2;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read " << file << std::endl;
    return 2;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto db = open_shop(db_path);
  db::Transaction tx(*db);
  auto report = exchange::import_file(*db, Actor::of("cli", "cli"), *format, buffer.str(), dry_run);
  tx.commit();
  for (const auto& e : report.errors)
    std::cerr << fmt::format("{}:{}{}: {} [{}]", file, e.line, e.column.empty() ? "" : " column " + e.column, e.message,
                             e.code)
              << "\n";
  std::cout << fmt::format("{} rows, {} products: {} created, {} updated, {} unchanged, {} stock movements, {} errors, "
                           "mapping {} — {}",
                           report.rows, report.products, report.created, report.updated, report.unchanged,
                           report.stock_movements, report.errors.size(),
                           report.mapping_name ? fmt::format("{} v{}", *report.mapping_name, *report.mapping_version)
                                               : std::string("none"),
                           report.applied ? "imported"
                           : dry_run      ? "dry run, nothing written"
                                          : "nothing written (an import is all or nothing)")
            << std::endl;
  return report.errors.empty() ? 0 : 1;
}

int export_items(const std::string& db_path, const std::string& out_path, const std::string& format_text) {
  std::optional<exchange::Format> format;
  if (format_text != "backroom") {
    format = exchange::parse_format(format_text);
    if (!format) {
      std::cerr << "error: --format is backroom, shopify or square" << std::endl;
      return 2;
    }
  }
  auto db = open_shop(db_path);
  std::ofstream file;
  if (!out_path.empty() && out_path != "-") {
    file.open(out_path, std::ios::binary);
    if (!file) {
      std::cerr << "error: cannot write " << out_path << std::endl;
      return 2;
    }
  }
  std::ostream& out = file.is_open() ? static_cast<std::ostream&>(file) : std::cout;
  if (format) {
    out << exchange::export_file(*db, *format);
    return 0;
  }
  catalog::export_items_csv(*db, [&out](std::string_view chunk) { out.write(chunk.data(), static_cast<std::streamsize>(chunk.size())); });
  return 0;
}

int scan_code(const std::string& db_path, const std::string& code) {
  auto db = open_shop(db_path);
  auto result = catalog::scan(*db, code);
  std::cout << json::serialize(catalog::scan_to_json(result)) << std::endl;
  return 0;
}

// Copies a shop, then checks the copy as `check` and `audit verify` would.
int copy_shop(const std::string& from_path, const std::string& to_path) {
  auto from = db::Db::open(from_path, db::Mode::read_write);
  auto to = db::Db::open(to_path, db::Mode::read_write);
  auto tables = db::copy_database(*from, *to);
  std::int64_t rows = 0;
  for (const auto& t : tables) rows += t.rows;
  std::cout << fmt::format("copied {} rows in {} tables from {} to {}", rows, tables.size(), from->display_name(),
                           to->display_name())
            << std::endl;
  auto problems = check_shop(*to);
  for (const auto& p : problems) std::cout << p << "\n";
  auto broken = verify_audit(*to);
  if (!problems.empty() || broken) {
    std::cout << fmt::format("the copy does NOT verify: {} problem(s) in the books{}", problems.size(),
                             broken ? fmt::format(", audit log broken at entry {}", *broken) : "")
              << std::endl;
    return 1;
  }
  std::cout << "the copy verifies: the books hold and the audit log is intact" << std::endl;
  return 0;
}

int demo(const std::string& db_path) {
  std::string admin_password;
  auto db = open_shop(db_path, InitOptions{"EUR", "Backroom Corner Shop", ""}, &admin_password);
  int created = seed_demo(*db);
  auto credentials = seed_demo_users(*db, admin_password);
  std::cout << credentials << std::flush;
  if (const char* file = std::getenv("BACKROOM_CREDENTIALS_FILE")) {
    // Keep an earlier file that still knows the admin password this run cannot show.
    if (!admin_password.empty() || !std::filesystem::exists(file)) {
      std::ofstream out(file, std::ios::trunc);
      out << credentials;
      if (!out) std::cerr << "warning: could not write " << file << std::endl;
    }
  }
  if (created > 0)
    std::cout << fmt::format("demo shop seeded: {} items in {}", created, db->display_name()) << std::endl;
  else
    std::cout << fmt::format("{} already has items; nothing seeded", db->display_name()) << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::cerr << "error: libsodium failed to initialise" << std::endl;
    return 2;
  }
  auto logger = spdlog::stderr_color_mt("backroom");
  spdlog::set_default_logger(logger);
  if (const char* level = std::getenv("BACKROOM_LOG_LEVEL")) spdlog::set_level(spdlog::level::from_str(level));

  CLI::App app{"Backroom: item master, stock, registers, labels and receipts for small shops"};
  app.require_subcommand(1);
  app.set_version_flag("--version", BACKROOM_VERSION);
  std::string db_path = "backroom.db";
  auto add_db = [&db_path](CLI::App* sub) {
    sub->add_option("--db", db_path, "SQLite database file of the shop")->envname("BACKROOM_DB")->capture_default_str();
  };

  auto* init = app.add_subcommand("init", "Create (or migrate) a shop database");
  add_db(init);
  InitOptions init_options;
  init->add_option("--currency", init_options.currency, "ISO 4217 currency of the shop")->envname("BACKROOM_CURRENCY");
  init->add_option("--shop-name", init_options.shop_name, "Shop name")->envname("BACKROOM_SHOP_NAME");
  init->add_option("--admin-password", init_options.admin_password, "Password of the first admin (user 'admin')")
      ->envname("BACKROOM_ADMIN_PASSWORD");

  auto* serve_cmd = app.add_subcommand("serve", "Serve the API and the web UI");
  add_db(serve_cmd);
  std::string listen = "127.0.0.1:8080";
  int threads = 2;
  std::string static_dir;
  bool access_log = true;
  serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free one)")
      ->envname("BACKROOM_LISTEN")
      ->capture_default_str();
  serve_cmd->add_option("--threads", threads, "HTTP worker threads")->envname("BACKROOM_THREADS")->check(CLI::Range(1, 64));
  serve_cmd->add_option("--static-dir", static_dir, "Directory of the built web UI")->envname("BACKROOM_STATIC_DIR");
  serve_cmd->add_option("--access-log", access_log, "Log every request")->envname("BACKROOM_ACCESS_LOG");
  std::string upstream, node_key;
  serve_cmd->add_option("--upstream", upstream, "Head office's URL: serve as a store node that pulls its change feed")
      ->envname("BACKROOM_UPSTREAM");
  serve_cmd->add_option("--node-key", node_key, "This store node's key (backroom node add at head office)")
      ->envname("BACKROOM_NODE_KEY");
  BackupSchedule backups;
  std::string backup_every = "24h", backup_max_age;
  serve_cmd->add_option("--backup-dir", backups.dir, "Take encrypted backups into this directory while serving")
      ->envname("BACKROOM_BACKUP_DIR_SCHEDULED");
  serve_cmd->add_option("--backup-every", backup_every, "How often: 30s, 15m, 24h ...")->capture_default_str();
  serve_cmd->add_option("--backup-keep", backups.keep, "Keep the newest N scheduled backups (0: all)");
  serve_cmd->add_option("--backup-max-age", backup_max_age, "Delete scheduled backups older than this (30d ...)");
  serve_cmd->add_option("--backup-key-file", backups.key_file, "Key file of the backups (default: the shop key)")
      ->envname("BACKROOM_BACKUP_KEY_FILE");

  logging::Options log_options;
  std::string log_format = "text";
  serve_cmd->add_option("--log-file", log_options.file, "Write the log to this file, rotated by size (default: standard error)")
      ->envname("BACKROOM_LOG_FILE");
  serve_cmd->add_option("--log-format", log_format, "text or json (one JSON object a line, with the request id)")
      ->envname("BACKROOM_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  serve_cmd->add_option("--log-max-bytes", log_options.max_bytes, "Rotate the log file past this size")
      ->envname("BACKROOM_LOG_MAX_BYTES")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 40))
      ->capture_default_str();
  serve_cmd->add_option("--log-max-files", log_options.max_files, "Rotated log files kept")
      ->envname("BACKROOM_LOG_MAX_FILES")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  Tls tls;
  serve_cmd->add_option("--tls-cert", tls.cert_file, "Serve HTTPS (TLS 1.2+) with this PEM certificate chain; reloaded on SIGHUP")
      ->envname("BACKROOM_TLS_CERT");
  serve_cmd->add_option("--tls-key", tls.key_file, "The PEM private key of --tls-cert")->envname("BACKROOM_TLS_KEY");
  std::string metrics_token;
  serve_cmd->add_option("--metrics-token", metrics_token,
                        "Serve GET /metrics to clients sending this Bearer token (unset: /metrics answers 404)")
      ->envname("BACKROOM_METRICS_TOKEN");

  auto* doctor_cmd = app.add_subcommand("doctor", "What an operator checks first: disk, backups, queues, schema, clock");
  add_db(doctor_cmd);
  ops::DoctorOptions doctor_options;
  doctor_cmd->add_option("--disk-warn-percent", doctor_options.disk_warn_percent, "WARN below this much free disk")
      ->capture_default_str();
  doctor_cmd->add_option("--disk-fail-percent", doctor_options.disk_fail_percent, "FAIL below this much free disk")
      ->capture_default_str();
  doctor_cmd->add_option("--backup-warn-hours", doctor_options.backup_warn_hours, "WARN when the last backup is older")
      ->capture_default_str();

  auto* demo_cmd = app.add_subcommand("demo", "Create a demo shop (about 2,000 items) if the database is empty");
  add_db(demo_cmd);

  auto* items = app.add_subcommand("items", "Item master CSV import and export (docs/csv.md)");
  items->require_subcommand(1);
  auto* import_cmd = items->add_subcommand("import", "Import items from CSV: all rows or none");
  add_db(import_cmd);
  std::string import_file;
  bool dry_run = false;
  import_cmd->add_option("file", import_file, "CSV file")->required();
  import_cmd->add_flag("--dry-run", dry_run, "Check and report, write nothing");
  std::string import_format = "backroom";
  import_cmd->add_option("--format", import_format, "backroom (docs/csv.md), shopify or square (docs/formats.md)");
  auto* export_cmd = items->add_subcommand("export", "Export the item master as CSV");
  add_db(export_cmd);
  std::string export_file;
  export_cmd->add_option("-o,--output", export_file, "Output file (default: standard output)");
  std::string export_format = "backroom";
  export_cmd->add_option("--format", export_format, "backroom (docs/csv.md), shopify or square (docs/formats.md)");

  auto* scan_cmd = app.add_subcommand("scan", "Resolve a barcode as the register would");
  add_db(scan_cmd);
  std::string code;
  scan_cmd->add_option("code", code, "Scanned code")->required();

  auto* migrate_cmd = app.add_subcommand(
      "migrate", "Bring a shop database to this backroom's schema version (a backup is taken first)");
  add_db(migrate_cmd);
  bool migrate_dry_run = false;
  int migrate_to = 0;
  migrate_cmd->add_flag("--dry-run", migrate_dry_run, "List the migrations that would be applied; change nothing");
  migrate_cmd->add_option("--to-version", migrate_to, "Apply the pending migrations up to this version only");

  auto* copy_cmd = app.add_subcommand(
      "copy", "Copy a whole shop into a new, empty database (SQLite -> PostgreSQL or back), then verify it");
  std::string copy_from, copy_to;
  copy_cmd->add_option("--from", copy_from, "The shop's database (path or postgresql:// URI)")->required();
  copy_cmd->add_option("--to", copy_to, "A new, empty database (path or postgresql:// URI)")->required();

  auto* audit = app.add_subcommand("audit", "Audit trail");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the hash chain of the audit log");
  add_db(verify);

  // Capability subcommands run from their CLI11 callbacks; they throw CLI::RuntimeError(code)
  // to set the exit status.
  auth_cli::add_commands(app, db_path, [](App& routes_app) { add_routes(routes_app); });
  stock_cli::add_commands(app, db_path);
  sync_cli::add_commands(app, db_path);
  backup_cli::add_commands(app);
  auto* rotate_cmd = app.get_subcommand("keys")->add_subcommand(
      "rotate", "A new shop key: every sealed value (bank details, customer contact, webhook secrets) re-encrypted");
  add_db(rotate_cmd);
  labels_cli::add_commands(app, db_path);
  planning_cli::add_commands(app, db_path);  // the `planning` group and its backtest
  planning_import::add_command(*planning_cli::planning_group(app), db_path);
  customers_cli::add_commands(app, db_path);

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::Error& e) {
      return app.exit(e);
    }
    if (init->parsed()) {
      std::string admin_password;
      auto db = open_shop(db_path, init_options, &admin_password);
      std::cout << fmt::format("{} is at schema version {}", db->display_name(), schema::current_version(*db))
                << std::endl;
      if (!admin_password.empty())
        std::cout << fmt::format("first admin: user name 'admin', password '{}' (shown only once)", admin_password)
                  << std::endl;
      return 0;
    }
    if (migrate_cmd->parsed()) {
      auto db = db::Db::open(db_path, db::Mode::read_write);
      int before = schema::current_version(*db);
      int target = migrate_to > 0 ? std::min(migrate_to, schema::latest_version()) : schema::latest_version();
      if (migrate_dry_run) {
        int pending = 0;
        for (const auto& m : schema::migrations())
          if (m.version > before && m.version <= target) {
            std::cout << fmt::format("would apply {}: {}", m.version, m.name) << std::endl;
            ++pending;
          }
        std::cout << fmt::format("{}: schema version {}; {} migration{} pending, nothing changed", db->display_name(),
                                 before, pending, pending == 1 ? "" : "s")
                  << std::endl;
        return 0;
      }
      if (before > 0 && before < target) {
        db.reset();
        backup_cli::backup_before_upgrade(db_path, before, target);
        db = db::Db::open(db_path, db::Mode::read_write);
      }
      int after = schema::migrate(*db, target);
      std::cout << fmt::format("{}: schema version {} -> {}", db->display_name(), before, after) << std::endl;
      return 0;
    }
    if (copy_cmd->parsed()) return copy_shop(copy_from, copy_to);
    if (serve_cmd->parsed()) {
      if (!backups.dir.empty()) {
        auto every = backup_cli::parse_duration(backup_every);
        auto max_age = backup_max_age.empty() ? std::optional<std::int64_t>(0) : backup_cli::parse_duration(backup_max_age);
        if (!every || !max_age) {
          std::cerr << "error: --backup-every and --backup-max-age take a number and s, m, h or d (15m, 24h, 30d)" << std::endl;
          return 2;
        }
        backups.every_seconds = *every;
        backups.max_age_seconds = *max_age;
      }
      if (!metrics_token.empty() && metrics_token.size() < 16) {
        std::cerr << "error: --metrics-token must be at least 16 characters" << std::endl;
        return 2;
      }
      ops::set_metrics_token(metrics_token);
      log_options.format = log_format == "json" ? logging::Format::json : logging::Format::text;
      try {
        logging::configure(log_options);
      } catch (const std::exception& e) {
        std::cerr << "error: cannot open the log file " << log_options.file << ": " << e.what() << std::endl;
        return 2;
      }
      return serve(db_path, listen, threads, static_dir, access_log, backups, upstream, node_key, tls);
    }
    if (rotate_cmd->parsed()) return ops::rotate_keys(db_path);
    if (doctor_cmd->parsed()) {
      doctor_options.db_path = db_path;
      return ops::doctor(doctor_options);
    }
    if (demo_cmd->parsed()) return demo(db_path);
    if (import_cmd->parsed())
      return import_format == "backroom" ? import_items(db_path, import_file, dry_run)
                                         : import_exchange(db_path, import_file, import_format, dry_run);
    if (export_cmd->parsed()) return export_items(db_path, export_file, export_format);
    if (scan_cmd->parsed()) return scan_code(db_path, code);
    if (verify->parsed()) {
      auto db = open_shop(db_path);
      if (auto broken = verify_audit(*db)) {
        std::cout << fmt::format("audit log BROKEN at entry {}: its content or chain does not match its hash", *broken)
                  << std::endl;
        if (auto e = audit_entry(*db, *broken))
          std::cout << fmt::format("  entry {}: {} {} {} {} by {} from {}", e->seq, format_rfc3339(Timestamp{e->at}),
                                   e->action, e->entity, e->entity_id, e->actor, e->origin)
                    << std::endl;
        return 1;
      }
      std::cout << "audit log intact" << std::endl;
      return 0;
    }
  } catch (const Problem& p) {
    print_problem(p);
    return p.status >= 500 ? 2 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    return 2;
  }
  return 0;
}

}  // namespace backroom::cli

int main(int argc, char** argv) { return backroom::cli::main(argc, argv); }
