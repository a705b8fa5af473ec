// HTTP routes of register set-up (docs/openapi.yaml, section "Registers").
#include "sales/registers_api.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/text.hpp"
#include "sales/sales.hpp"
#include "stock/stock_api.hpp"

namespace backroom::sales {

namespace bj = boost::json;
using http::Reply;
using http::Request;

namespace {

std::string register_id_param(const Request& req) {
  if (!valid_register_id(req.param(0))) throw not_found("register", req.param(0).substr(0, 64));
  return req.param(0);
}

std::optional<std::string> register_name(const json::Fields& f) {
  auto name = f.opt_text("name", register_name_length_max);
  if (!name) {
    if (f.object.contains("name")) throw invalid_field("name", "name must not be null");
    return std::nullopt;
  }
  std::string trimmed(text::trim(*name));
  if (trimmed.empty()) throw invalid_field("name", "name must not be blank");
  return trimmed;
}

std::optional<std::string> location_of(const json::Fields& f) {
  auto text = f.opt_identifier("location_id", 64);
  if (!text) {
    if (f.object.contains("location_id")) throw invalid_field("location_id", "location_id must not be null");
    return std::nullopt;
  }
  auto id = normalize_uuid(*text);
  if (!id) throw invalid_field("location_id", "location_id must be a UUID");
  return *id;
}

std::optional<int> printer_width(const json::Fields& f) {
  if (!f.has("printer_width")) {
    if (f.object.contains("printer_width")) throw invalid_field("printer_width", "printer_width is 58 or 80");
    return std::nullopt;
  }
  auto w = f.integer("printer_width", 0, 1000);
  if (w != 58 && w != 80) throw invalid_field("printer_width", "printer_width is 58 or 80 (mm of paper)");
  return static_cast<int>(w);
}

}  // namespace

void register_register_routes(App& app) {
  auto& r = app.router;

  r.add("GET", "/api/v1/registers", "registers.read", "Registers, by store", [&app](Request& req, Reply reply) {
    std::string location;
    if (auto v = req.query_param("location_id"); v && !v->empty()) {
      auto id = normalize_uuid(*v);
      if (!id) throw invalid_field("location_id", "location_id must be a UUID");
      location = *id;
    }
    const auto& scope = req.actor.location_ids;
    bj::array list;
    for (const auto& reg : list_registers(app.read(), location))
      if (scope.empty() || std::find(scope.begin(), scope.end(), reg.location_id) != scope.end())
        list.push_back(register_to_json(reg));
    reply(http::json_response(200, bj::object{{"registers", std::move(list)}}));
  });

  r.add("POST", "/api/v1/registers", "locations.manage", "Set up a register: name, store, receipt paper",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"id", "name", "location_id", "printer_width"});
          std::optional<std::string> id;
          if (auto given = f.opt_identifier("id", 64)) {
            if (!valid_register_id(*given))
              throw invalid_field("id", fmt::format("a register id is 1 to {} letters, digits, - or _", register_id_length_max));
            if (given->rfind("API-", 0) == 0)
              throw invalid_field("id", "register ids starting API- are kept for channel sales made without a register");
            id = *given;
          }
          auto name = register_name(f);
          if (!name) throw missing_field("name");
          auto location = location_of(f);
          if (!location) throw missing_field("location_id");
          int width = printer_width(f).value_or(80);
          stock::check_location_scope(req.actor, *location);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            auto created = create_register(db, actor, id, *name, *location, width);
            auto response = http::json_response(201, register_to_json(created));
            response.header("Location", "/api/v1/registers/" + created.id);
            return response;
          });
        });

  r.add("GET", "/api/v1/registers/{id}", "registers.read", "A register's set-up", [&app](Request& req, Reply reply) {
    auto id = register_id_param(req);
    auto reg = load_register(app.read(), id);
    if (!reg) throw not_found("register", id);
    stock::check_location_scope(req.actor, reg->location_id);
    reply(http::json_response(200, register_to_json(*reg)));
  });

  r.add("POST", "/api/v1/registers/{id}/receipt-blocks", "sales.create",
        "Reserve a block of the register's receipt numbers for sales it may complete offline",
        [&app](Request& req, Reply reply) {
          auto id = register_id_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"size"});
          std::int64_t size = f.has("size") ? f.integer("size", 1, receipt_block_size_max) : 50;
          auto reg = load_register(app.read(), id);
          if (!reg) throw not_found("register", id);
          stock::check_location_scope(req.actor, reg->location_id);
          Actor actor = req.actor;
          app.command(req, std::move(reply), [=](db::Db& db) {
            return http::json_response(201, receipt_block_to_json(reserve_receipt_block(db, actor, id, size)));
          });
        });

  r.add("GET", "/api/v1/registers/{id}/receipt-blocks", "registers.read",
        "The register's receipt blocks, newest first, with the numbers used and unused", [&app](Request& req, Reply reply) {
          auto id = register_id_param(req);
          auto& db = app.read();
          auto reg = load_register(db, id);
          if (!reg) throw not_found("register", id);
          stock::check_location_scope(req.actor, reg->location_id);
          bj::array list;
          for (const auto& b : list_receipt_blocks(db, id)) list.push_back(receipt_block_to_json(b));
          reply(http::json_response(200, bj::object{{"receipt_blocks", std::move(list)}}));
        });

  r.add("PATCH", "/api/v1/registers/{id}", "locations.manage", "Rename a register, move it or change its receipt paper",
        [&app](Request& req, Reply reply) {
          auto id = register_id_param(req);
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"name", "location_id", "printer_width"});
          RegisterPatch patch{register_name(f), location_of(f), printer_width(f)};
          Actor actor = req.actor;
          app.command(req, std::move(reply),
                      [=](db::Db& db) { return http::json_response(200, register_to_json(update_register(db, actor, id, patch))); });
        });
}

}  // namespace backroom::sales
