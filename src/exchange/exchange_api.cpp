// POST /api/v1/items/import?format=shopify|square and GET /api/v1/items/export?format=...
#include <fmt/format.h>

#include "access/permissions.hpp"
#include "exchange/exchange.hpp"
#include "platform/problem.hpp"

namespace backroom::exchange {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

Format format_param(const Request& req) {
  auto text = req.query_param("format");
  if (!text) throw missing_field("format");
  auto f = parse_format(*text);
  if (!f) throw invalid_field("format", "format is shopify or square");
  return *f;
}

}  // namespace

void register_exchange_routes(App& app) {
  auto& r = app.router;

  r.add("POST", "/api/v1/items/import", std::string(permission::items_create),
        "Import a Shopify product CSV or Square item library (?format=shopify|square, &dry_run=true): all rows or none",
        [&app](Request& req, Reply reply) {
          auto format = format_param(req);
          bool dry_run = false;
          if (auto text = req.query_param("dry_run")) {
            if (*text != "true" && *text != "false") throw invalid_field("dry_run", "dry_run is true or false");
            dry_run = *text == "true";
          }
          std::string csv = req.body;
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto report = import_file(db, actor, format, csv, dry_run);
            if (!report.errors.empty()) {
              const auto& first = report.errors.front();
              Problem p(422, "import_rejected",
                        fmt::format("nothing was imported: {} problem(s), the first on row {}: {}", report.errors.size(),
                                    first.line, first.message),
                        first.column);
              p.extra_json = bj::serialize(bj::object{{"report", report_to_json(report)}});
              throw p;
            }
            return http::json_response(200, report_to_json(report));
          });
        });

  r.add("GET", "/api/v1/items/export", std::string(permission::items_read),
        "The catalog as a Shopify product CSV or Square item library (?format=shopify|square)",
        [&app](Request& req, Reply reply) {
          auto format = format_param(req);
          http::Response resp;
          resp.body = export_file(app.read(), format);
          resp.content_type = "text/csv; charset=utf-8";
          resp.header("Content-Disposition", fmt::format("attachment; filename=\"{}-items.csv\"", format_name(format)));
          reply(std::move(resp));
        });
}

}  // namespace backroom::exchange
