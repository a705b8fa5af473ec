#include "cli/labels_cli.hpp"

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/shop.hpp"
#include "labels/labels.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"

namespace backroom::cli::labels_cli {

namespace {

struct PrintArgs {
  std::vector<std::string> skus;
  std::string queue;
  std::string template_spec;
  std::string format = "pdf";
  std::string output;
  std::string kind;
  std::string symbology;
  std::string weight;
  int copies = 1;
  int dpi = 0;
  std::optional<double> offset_x;
  std::optional<double> offset_y;
  bool no_mark = false;
  int limit = 500;
};

void write_file(const std::string& path, const std::string& bytes) {
  if (path == "-") {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw Problem(500, "cannot_write", fmt::format("cannot write {}", path));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw Problem(500, "cannot_write", fmt::format("cannot write {}", path));
}

// Runs `work`, turning a Problem into a message and CLI::RuntimeError(exit status).
template <class F>
void guarded(F&& work) {
  try {
    work();
  } catch (const Problem& p) {
    std::cerr << "error: " << p.detail << " [" << p.code << "]" << std::endl;
    throw CLI::RuntimeError(p.status >= 500 ? 2 : 1);
  } catch (const CLI::Error&) {
    throw;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << std::endl;
    throw CLI::RuntimeError(2);
  }
}

void run_print(const std::string& db_path, const PrintArgs& a) {
  using namespace backroom::labels;
  if (a.skus.empty() == a.queue.empty()) throw Problem(422, "invalid_arguments", "give either --sku SKU... or --queue STORE");
  PrintOptions o;
  auto format = parse_format(a.format);
  if (!format) throw Problem(422, "invalid_format", fmt::format("format '{}' is not one of pdf, svg, png, zpl", a.format));
  o.format = *format;
  o.dpi = a.dpi;
  if (!a.symbology.empty()) {
    o.symbology = parse_symbology(a.symbology);
    if (!o.symbology) throw Problem(422, "invalid_symbology", fmt::format("symbology '{}' is unknown", a.symbology));
  }
  std::optional<LabelKind> kind;
  if (!a.kind.empty()) {
    kind = parse_kind(a.kind);
    if (!kind) throw Problem(422, "invalid_kind", fmt::format("kind '{}' is not one of shelf, sticker, case, scale", a.kind));
  }
  if (a.offset_x || a.offset_y) o.calibration = Calibration{a.offset_x.value_or(0), a.offset_y.value_or(0)};
  if (!a.template_spec.empty()) o.template_spec = a.template_spec;
  else if (kind == LabelKind::case_label) o.template_spec = "a4-2x4";
  else if (kind == LabelKind::scale) o.template_spec = "roll-58x40";
  auto db = open_shop(db_path);
  if (!a.skus.empty()) {
    std::optional<Quantity> weight;
    if (!a.weight.empty()) {
      weight = parse_quantity(a.weight);
      if (!weight) throw invalid_field("weight", "--weight is kg with at most 3 decimals, e.g. 0.512");
    }
    LabelKind k = kind.value_or(find_template(o.template_spec).kind);
    std::vector<PrintRequest> requests;
    for (const auto& sku : a.skus) requests.push_back(PrintRequest{sku, k, a.copies, weight});
    auto bytes = print_items(*db, requests, o);
    write_file(a.output, bytes);
    std::cerr << fmt::format("{} label(s) written to {}", requests.size() * static_cast<std::size_t>(a.copies), a.output)
              << std::endl;
    return;
  }
  {
    db::Transaction tx(*db);
    enqueue_from_events(*db);
    tx.commit();
  }
  std::string store_id = resolve_store(*db, a.queue);
  auto job = print_queue(*db, store_id, o, a.limit);
  write_file(a.output, job.bytes);
  std::int64_t marked = 0;
  if (!a.no_mark) {
    db::Transaction tx(*db);
    marked = mark_printed(*db, Actor::of("cli", "cli"), job, store_id, o);
    tx.commit();
  }
  std::cerr << fmt::format("{} label(s) from {} queue entries written to {}; {} marked printed (job {})", job.labels,
                           job.entry_ids.size(), a.output, marked, job.job_id)
            << std::endl;
}

}  // namespace

void add_commands(CLI::App& app, std::string& db_path) {
  auto* labels_cmd = app.add_subcommand("labels", "Shelf labels, stickers, case and scale labels (docs/labels.md)");
  labels_cmd->require_subcommand(1);
  auto add_db = [&db_path](CLI::App* sub) {
    sub->add_option("--db", db_path, "SQLite database file of the shop")->envname("BACKROOM_DB")->capture_default_str();
  };

  auto args = std::make_shared<PrintArgs>();
  auto* print = labels_cmd->add_subcommand("print", "Print labels of items (--sku) or a store's queue (--queue)");
  add_db(print);
  print->add_option("--sku", args->skus, "Item SKU or id (repeatable)");
  print->add_option("--queue", args->queue, "Store (id or name) whose pending labels to print and mark printed");
  print->add_option("--template", args->template_spec, "Template name or grid:COLSxROWS:WxH[...] (default a4-3x8)");
  print->add_option("--format", args->format, "pdf, svg, png or zpl")->capture_default_str();
  print->add_option("-o,--output", args->output, "Output file ('-' for standard output)")->required();
  print->add_option("--kind", args->kind, "shelf, sticker, case or scale (default: the template's)");
  print->add_option("--symbology", args->symbology, "qr to print QR codes instead of the code's own symbology");
  print->add_option("--weight", args->weight, "Scale labels: weight in kg, e.g. 0.512");
  print->add_option("--copies", args->copies, "Copies of each label")->check(CLI::Range(1, labels::copies_max));
  print->add_option("--dpi", args->dpi, "ZPL: 203 or 300; PNG: 72..600");
  print->add_option("--offset-x", args->offset_x, "Printer offset correction in mm (+ = right)");
  print->add_option("--offset-y", args->offset_y, "Printer offset correction in mm (+ = down)");
  print->add_flag("--no-mark", args->no_mark, "Queue: print without marking the entries printed");
  print->add_option("--limit", args->limit, "Queue: at most this many entries")->check(CLI::Range(1, 2000));
  print->callback([&db_path, args] { guarded([&] { run_print(db_path, *args); }); });

  auto* templates = labels_cmd->add_subcommand("templates", "List the label templates");
  templates->callback([] {
    for (const auto& t : labels::builtin_templates())
      std::cout << fmt::format("{:<12} {:<6} {}x{} of {:.1f} x {:.1f} mm  {}", t.name, t.roll ? "roll" : "sheet", t.columns,
                               t.rows, t.label_width_mm, t.label_height_mm, t.description)
                << "\n";
  });

  auto calibration_template = std::make_shared<std::string>(labels::default_template_name);
  auto calibration_output = std::make_shared<std::string>();
  auto* calibrate = labels_cmd->add_subcommand("calibrate", "Write a calibration sheet (PDF) for a template");
  add_db(calibrate);
  calibrate->add_option("--template", *calibration_template, "Template")->capture_default_str();
  calibrate->add_option("-o,--output", *calibration_output, "Output PDF")->required();
  calibrate->callback([&db_path, calibration_template, calibration_output] {
    guarded([&] {
      auto db = open_shop(db_path);
      auto t = labels::find_template(*calibration_template);
      write_file(*calibration_output, labels::render_calibration_sheet(t, labels::saved_calibration(*db)));
    });
  });
}

}  // namespace backroom::cli::labels_cli
