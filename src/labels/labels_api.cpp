// HTTP routes of labels: templates, previews, explicit print jobs, the per-store queue and
// printer calibration.
#include "labels/labels_api.hpp"

#include <fmt/format.h>

#include <map>

#include "access/audit.hpp"
#include "access/auth_store.hpp"
#include "access/permissions.hpp"
#include "catalog/catalog_store.hpp"
#include "labels/labels.hpp"
#include "labels/receipt.hpp"
#include "platform/settings.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "sales/registers_api.hpp"
#include "sales/sales.hpp"
#include "stock/stock.hpp"

namespace backroom::labels {

namespace bj = boost::json;
using http::Reply;
using http::Request;
using http::Response;

namespace {

Format format_from(std::optional<std::string> text, Format fallback) {
  if (!text) return fallback;
  auto f = parse_format(*text);
  if (!f)
    throw Problem(422, "invalid_format",
                  fmt::format("format '{}' is not one of pdf, svg, png, zpl", text->substr(0, 20)), "format");
  return *f;
}

LabelKind kind_from(std::optional<std::string> text, LabelKind fallback, const std::string& field = "kind") {
  if (!text) return fallback;
  auto k = parse_kind(*text);
  if (!k) throw Problem(422, "invalid_kind", fmt::format("kind '{}' is not one of shelf, sticker, case, scale", text->substr(0, 20)), field);
  return *k;
}

std::optional<Symbology> symbology_from(std::optional<std::string> text) {
  if (!text) return std::nullopt;
  auto s = parse_symbology(*text);
  if (!s)
    throw Problem(422, "invalid_symbology",
                  fmt::format("symbology '{}' is not one of ean13, upca, ean8, code128, gs1-128, qr", text->substr(0, 20)),
                  "symbology");
  return s;
}

int dpi_from(std::optional<std::string> text) {
  if (!text) return 0;
  if (text->size() > 4) throw invalid_field("dpi", "dpi must be 203 or 300 (ZPL) or 72..600 (PNG)");
  try {
    std::size_t used = 0;
    int v = std::stoi(*text, &used);
    if (used != text->size()) throw std::invalid_argument("dpi");
    return v;
  } catch (const std::exception&) {
    throw invalid_field("dpi", "dpi must be 203 or 300 (ZPL) or 72..600 (PNG)");
  }
}

std::optional<Quantity> quantity_from(std::optional<std::string> text, const std::string& field) {
  if (!text) return std::nullopt;
  auto q = parse_quantity(*text);
  if (!q) throw invalid_field(field, field + " must be a number with at most 3 decimals");
  return q;
}

std::optional<double> mm_from_body(const json::Fields& f, std::string_view key) {
  auto q = f.opt_quantity(key);
  if (!q) return std::nullopt;
  return static_cast<double>(q->milli) / 1000.0;
}

PrintOptions options_from_body(const json::Fields& f, PrintOptions o) {
  if (auto t = f.opt_identifier("template", template_spec_length_max)) o.template_spec = *t;
  o.format = format_from(f.opt_text("format", 10), o.format);
  if (auto dpi = f.opt_integer("dpi", 72, 600)) o.dpi = static_cast<int>(*dpi);
  o.symbology = symbology_from(f.opt_text("symbology", 10));
  auto x = mm_from_body(f, "offset_x_mm"), y = mm_from_body(f, "offset_y_mm");
  if (x || y) {
    o.calibration = Calibration{x.value_or(0), y.value_or(0)};
    check_calibration(*o.calibration);
  }
  return o;
}

Response file_response(std::string bytes, Format format, const std::string& name) {
  Response r;
  r.status = 200;
  r.content_type = std::string(content_type(format));
  if (format == Format::zpl) r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(bytes);
  r.header("Content-Disposition", fmt::format("attachment; filename=\"{}.{}\"", name, format_name(format)));
  return r;
}

bj::object entry_to_json(const store::QueueEntry& e) {
  return bj::object{{"id", e.id},
                    {"store_id", e.store_id},
                    {"item_id", e.item_id},
                    {"sku", e.sku},
                    {"name", e.name},
                    {"price", e.price ? bj::value(*e.price) : bj::value(nullptr)},
                    {"kind", e.kind},
                    {"reason", e.reason},
                    {"copies", e.copies},
                    {"queued_at", format_rfc3339(Timestamp{e.queued_at})}};
}

bj::object template_to_json(const Template& t) {
  return bj::object{{"name", t.name},
                    {"description", t.description},
                    {"media", t.roll ? "roll" : "sheet"},
                    {"page_width_mm", t.page_width_mm},
                    {"page_height_mm", t.page_height_mm},
                    {"columns", t.columns},
                    {"rows", t.rows},
                    {"label_width_mm", t.label_width_mm},
                    {"label_height_mm", t.label_height_mm},
                    {"margin_left_mm", t.margin_left_mm},
                    {"margin_top_mm", t.margin_top_mm},
                    {"pitch_x_mm", t.pitch_x_mm},
                    {"pitch_y_mm", t.pitch_y_mm},
                    {"kind", kind_name(t.kind)}};
}

// Brings the queue up to date with the outbox (on the writer), then returns.
void sync_queue(App& app) {
  app.writer.run([](db::Db& db) { enqueue_from_events(db); });
}

std::string default_template_for(LabelKind kind) {
  switch (kind) {
    case LabelKind::shelf: return "a4-3x8";
    case LabelKind::sticker: return "a4-3x10";
    case LabelKind::case_label: return "a4-2x4";
    case LabelKind::scale: return "roll-58x40";
  }
  return "a4-3x8";
}

}  // namespace

void register_label_routes(App& app) {
  auto& r = app.router;
  namespace p = permission;

  r.add("GET", "/api/v1/labels/templates", std::string(p::labels_read), "Label templates (sheets and rolls)",
        [](Request&, Reply reply) {
          bj::array list;
          for (const auto& t : builtin_templates()) list.push_back(template_to_json(t));
          reply(http::json_response(200, bj::object{{"templates", std::move(list)}}));
        });

  r.add("GET", "/api/v1/labels/preview", std::string(p::labels_read), "One label of an item as SVG, PNG, PDF or ZPL",
        [&app](Request& req, Reply reply) {
          auto item = req.query_param("item_id");
          if (!item) item = req.query_param("sku");
          if (!item) throw missing_field("item_id");
          PrintRequest pr{*item, kind_from(req.query_param("kind"), LabelKind::shelf), 1,
                          quantity_from(req.query_param("weight"), "weight")};
          PrintOptions o;
          o.template_spec = req.query_param("template").value_or(default_template_for(pr.kind));
          o.format = format_from(req.query_param("format"), Format::svg);
          o.dpi = dpi_from(req.query_param("dpi"));
          o.symbology = symbology_from(req.query_param("symbology"));
          auto bytes = preview(app.read(), pr, o);
          auto response = file_response(std::move(bytes), o.format, "label");
          response.headers.clear();
          reply(std::move(response));
        });

  r.add("POST", "/api/v1/labels/print", std::string(p::labels_print), "Print labels of given items to PDF, SVG, PNG or ZPL",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"items", "template", "format", "dpi", "symbology", "kind", "offset_x_mm", "offset_y_mm"});
          PrintOptions o = options_from_body(f, PrintOptions{});
          LabelKind kind = kind_from(f.opt_text("kind", 10), find_template(o.template_spec).kind);
          const auto* items = f.opt_array("items");
          if (!items || items->empty()) throw missing_field("items");
          if (items->size() > labels_per_job_max)
            throw Problem(422, "too_many_labels", fmt::format("one job prints at most {} labels", labels_per_job_max), "items");
          std::vector<PrintRequest> requests;
          for (std::size_t i = 0; i < items->size(); ++i) {
            std::string field = fmt::format("items[{}]", i);
            const auto* o_item = (*items)[i].if_object();
            if (!o_item) throw invalid_field(field, "each item is an object with item_id or sku");
            json::Fields itf{*o_item, field};
            itf.only({"item_id", "sku", "kind", "copies", "weight"});
            auto id = itf.opt_identifier("item_id", 100);
            if (!id) id = itf.opt_identifier("sku", 100);
            if (!id) throw missing_field(field + ".item_id");
            requests.push_back(PrintRequest{*id, kind_from(itf.opt_text("kind", 10), kind, field + ".kind"),
                                            static_cast<int>(itf.opt_integer("copies", 1, copies_max).value_or(1)),
                                            itf.opt_quantity("weight")});
          }
          auto bytes = print_items(app.read(), requests, o);
          reply(file_response(std::move(bytes), o.format, "labels"));
        });

  r.set_idempotency("POST", "/api/v1/labels/print", http::Idempotency::natural, "renders labels and changes nothing: the same request renders the same labels");
  r.add("GET", "/api/v1/labels/queue", std::string(p::labels_read), "A store's pending labels, oldest first",
        [&app](Request& req, Reply reply) {
          sync_queue(app);
          auto& db = app.read();
          std::string store_id = resolve_store(db, req.query_param("store").value_or(""));
          int limit = page_limit(req);
          std::string after = req.query_param("cursor").value_or("");
          if (after.size() > 64) throw invalid_field("cursor", "cursor must be the next_cursor of a previous page");
          auto entries = store::pending(db, store_id, after, limit + 1);
          bool more = static_cast<int>(entries.size()) > limit;
          if (more) entries.pop_back();
          bj::array list;
          for (const auto& e : entries) list.push_back(entry_to_json(e));
          reply(http::json_response(200, bj::object{{"store_id", store_id},
                                                    {"pending", store::pending_count(db, store_id)},
                                                    {"entries", std::move(list)},
                                                    {"next_cursor", more ? bj::value(entries.back().id) : bj::value(nullptr)}}));
        });

  r.add("POST", "/api/v1/labels/queue", std::string(p::labels_print), "Queue a label for an item in a store",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"store", "store_id", "item_id", "sku", "kind", "copies", "reason"});
          auto store_key = f.opt_identifier("store_id", 100);
          if (!store_key) store_key = f.opt_identifier("store", 100);
          auto item_key = f.opt_identifier("item_id", 100);
          if (!item_key) item_key = f.opt_identifier("sku", 100);
          if (!item_key) throw missing_field("item_id");
          LabelKind kind = kind_from(f.opt_text("kind", 10), LabelKind::shelf);
          int copies = static_cast<int>(f.opt_integer("copies", 1, copies_max).value_or(1));
          std::string reason = f.opt_text("reason", reason_length_max).value_or("manual");
          Actor actor = req.actor;
          std::string store_text = store_key.value_or("");
          std::string item_text = *item_key;
          app.command(req, std::move(reply), [=](db::Db& db) {
            std::string store_id = resolve_store(db, store_text);
            auto item = require_item(db, item_text, "item_id");
            enqueue(db, store_id, item.id, reason, kind, copies);
            auto text = json::serialize(bj::object{{"store_id", store_id}, {"item_id", item.id}, {"kind", kind_name(kind)},
                                                   {"reason", reason}, {"copies", copies}});
            append_audit(db, actor, AuditEntry{"labels.enqueue", "item", item.id, std::nullopt, text});
            append_event(db, "labels.queued", item.id, text);
            return http::json_response(202, bj::parse(text));
          });
        });

  r.add("POST", "/api/v1/labels/queue/print", std::string(p::labels_print),
        "Print a store's pending labels to PDF or ZPL and mark them printed", [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body.empty() ? std::string_view("{}") : std::string_view(req.body));
          json::Fields f{body, ""};
          f.only({"store", "store_id", "template", "format", "dpi", "symbology", "offset_x_mm", "offset_y_mm", "limit",
                  "mark"});
          PrintOptions o = options_from_body(f, PrintOptions{});
          int limit = static_cast<int>(f.opt_integer("limit", 1, static_cast<std::int64_t>(labels_per_job_max)).value_or(500));
          bool mark = f.opt_boolean("mark").value_or(true);
          auto store_key = f.opt_identifier("store_id", 100);
          if (!store_key) store_key = f.opt_identifier("store", 100);
          sync_queue(app);
          auto& db = app.read();
          std::string store_id = resolve_store(db, store_key.value_or(""));
          auto job = std::make_shared<QueueJob>(print_queue(db, store_id, o, limit));
          auto respond = [job, o](std::int64_t marked) {
            auto response = file_response(job->bytes, o.format, "labels-" + job->job_id);
            response.header("X-Print-Job", job->job_id);
            response.header("X-Label-Count", std::to_string(job->labels));
            response.header("X-Entries-Marked", std::to_string(marked));
            return response;
          };
          if (!mark) {
            reply(respond(0));
            return;
          }
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& wdb) { return respond(mark_printed(wdb, actor, *job, store_id, o)); });
        });

  // Receipts and refund slips share paper, format, and the header and footer of the store
  // the document was made at (the shop-wide settings where the store has none).
  auto send_receipt = [&app](Request& req, Reply& reply, const std::function<ReceiptDoc(db::Db&, bj::object&)>& make) {
    auto format = req.query_param("format").value_or("html");
    if (format != "html" && format != "escpos")
      throw Problem(422, "invalid_format", "format must be html or escpos", "format");
    auto width_text = req.query_param("width").value_or("80");
    if (width_text != "80" && width_text != "58") throw invalid_field("width", "width must be 80 or 58 (mm of paper)");
    auto width = width_text == "80" ? PaperWidth::mm80 : PaperWidth::mm58;
    auto& db = app.read();
    bj::object source;
    auto doc = make(db, source);
    auto text_of = [&source](const char* key) {
      auto* v = source.if_contains(key);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    std::optional<stock::Location> location;
    if (auto id = text_of("location_id"); !id.empty()) location = stock::load_location(db, id);
    stock::ReceiptText store_text = location ? location->receipt : stock::ReceiptText{};
    bool width_given = req.query_param("width").has_value();
    if (auto register_id = text_of("register_id"); !register_id.empty()) {
      if (auto reg = sales::load_register(db, register_id)) {
        doc.register_name = reg->name.empty() ? reg->id : reg->name;
        if (!width_given) width = reg->printer_width == 58 ? PaperWidth::mm58 : PaperWidth::mm80;
      } else {
        doc.register_name = register_id;
      }
    }
    if (auto user = text_of("user"); !user.empty()) {
      auto row = auth::store::user_by_name(db, user);
      doc.cashier = row && !row->display_name.empty() ? row->display_name : user;
    }
    doc.shop_name = !store_text.shop_name.empty() ? store_text.shop_name
                                                  : settings::get(db, "shop_name").value_or(location ? location->name : "");
    doc.currency = settings::currency(db);
    doc.currency_decimals = label_context(db).currency_decimals;
    std::vector<std::string> header;
    if (!store_text.address.empty()) header.push_back(store_text.address);
    if (!store_text.tax_number.empty()) header.push_back("VAT no. " + store_text.tax_number);
    if (header.empty())
      if (auto h = settings::get(db, "receipt_header")) header.push_back(*h);
    doc.header_lines.insert(doc.header_lines.begin(), header.begin(), header.end());
    if (!store_text.footer.empty()) doc.footer_lines.push_back(store_text.footer);
    else if (auto footer = settings::get(db, "receipt_footer")) doc.footer_lines.push_back(*footer);
    Response r;
    if (format == "html") {
      r.content_type = "text/html; charset=utf-8";
      r.body = render_receipt_html(doc, width);
    } else {
      r.content_type = "application/octet-stream";
      r.body = render_receipt_escpos(doc, width);
      r.header("Content-Disposition",
               fmt::format("attachment; filename=\"{}-{}.bin\"", doc.refund ? "refund" : "receipt", doc.receipt_number));
    }
    reply(std::move(r));
  };

  r.add("GET", "/api/v1/sales/{id}/receipt", std::string(p::sales_read),
        "A sale's receipt as HTML (80 or 58 mm) or ESC/POS bytes, for reprints", [send_receipt](Request& req, Reply reply) {
          auto id = normalize_uuid(req.param(0));
          if (!id) throw not_found("sale", req.param(0).substr(0, 64));
          send_receipt(req, reply, [&id](db::Db& db, bj::object& source) {
            auto sale = sales::load_sale(db, *id);
            if (!sale) throw not_found("sale", *id);
            source = *sale;
            return receipt_from_sale_json(*sale);
          });
        });

  r.add("GET", "/api/v1/returns/{id}/receipt", std::string(p::sales_read),
        "A return's refund slip (with the full code of a store credit note it issued) as HTML or ESC/POS",
        [send_receipt](Request& req, Reply reply) {
          auto id = normalize_uuid(req.param(0));
          if (!id) throw not_found("return", req.param(0).substr(0, 64));
          send_receipt(req, reply, [&id](db::Db& db, bj::object& source) {
            auto ret = sales::load_return(db, *id);
            if (!ret) throw not_found("return", *id);
            std::string receipt_number;
            if (ret->at("sale_id").is_string())
              if (auto sale = sales::load_sale(db, std::string(ret->at("sale_id").as_string()))) {
                receipt_number = std::string(sale->at("receipt_number").as_string());
                // Each returned line is taxed at the rate its sale line was sold at.
                std::map<std::string, std::int64_t> rates;
                for (const auto& l : sale->at("lines").as_array())
                  rates[std::string(l.at("id").as_string())] = l.at("tax_rate_bp").as_int64();
                for (auto& l : ret->at("lines").as_array()) {
                  auto& line = l.as_object();
                  if (line.at("sale_line_id").is_string())
                    if (auto r = rates.find(std::string(line.at("sale_line_id").as_string())); r != rates.end())
                      line["tax_rate_bp"] = r->second;
                }
                if (auto* mode = sale->if_contains("tax_mode")) (*ret)["tax_mode"] = *mode;
              }
            source = *ret;
            return receipt_from_return_json(*ret, receipt_number);
          });
        });

  r.add("GET", "/api/v1/labels/calibration", std::string(p::labels_read), "Printer offset calibration in mm",
        [&app](Request& req, Reply reply) {
          auto c = saved_calibration(app.read());
          if (auto t = req.query_param("template")) {
            reply(file_response(render_calibration_sheet(find_template(*t), c), Format::pdf, "calibration"));
            return;
          }
          reply(http::json_response(200, bj::object{{"offset_x_mm", c.offset_x_mm}, {"offset_y_mm", c.offset_y_mm}}));
        });

  r.add("PUT", "/api/v1/labels/calibration", std::string(p::labels_print), "Set the printer offset calibration in mm",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"offset_x_mm", "offset_y_mm"});
          Calibration c{mm_from_body(f, "offset_x_mm").value_or(0), mm_from_body(f, "offset_y_mm").value_or(0)};
          check_calibration(c);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            save_calibration(db, actor, c);
            return http::json_response(200, bj::object{{"offset_x_mm", c.offset_x_mm}, {"offset_y_mm", c.offset_y_mm}});
          });
        });
}

}  // namespace backroom::labels
