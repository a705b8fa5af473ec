#include "customers/customers_api.hpp"

#include <fmt/format.h>

#include "access/audit.hpp"
#include "access/permissions.hpp"
#include "customers/customer_import.hpp"
#include "customers/customers.hpp"
#include "customers/customers_store.hpp"
#include "platform/csv_import.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/settings.hpp"

namespace backroom::customers {

namespace bj = boost::json;
using http::Reply;
using http::Request;
using http::Response;

namespace {

bool may_see_contact(const Actor& actor) { return actor.can(permission::customers_contact_read); }

std::string id_param(const Request& req) {
  auto id = normalize_uuid(req.param(0));
  if (!id) throw Problem(404, "not_found", fmt::format("customer '{}' does not exist", req.param(0).substr(0, 64)));
  return *id;
}

Response customer_response(int status, const Customer& c, bool show_contact) {
  auto r = http::json_response(status, customer_to_json(c, show_contact));
  r.header("ETag", etag(c.version));
  return r;
}

bj::object calling_code_json(const std::string& code) {
  return bj::object{{"default_calling_code", code.empty() ? bj::value(nullptr) : bj::value(code)}};
}

}  // namespace

void register_customer_routes(App& app) {
  auto& r = app.router;
  const std::string read(permission::customers_read), manage(permission::customers_manage);

  r.add("GET", "/api/v1/customers", read,
        "Page through customers: ?q= a name's beginning or a number (C-000123), ?phone= or ?email= an exact contact (contact data masked "
        "without customers.contact_read)",
        [&app](Request& req, Reply reply) {
          CustomerFilter f;
          f.limit = page_limit(req);
          f.name_prefix = req.query_param("q").value_or("");
          if (f.name_prefix.size() > customer_name_length_max) throw invalid_field("q", "q is longer than 200 bytes");
          // "C-000123": the customer of that number (an online order links to its customer so).
          if (auto n = parse_customer_number(f.name_prefix); n && (f.name_prefix[0] == 'C' || f.name_prefix[0] == 'c')) {
            f.number = n;
            f.name_prefix.clear();
          }
          auto& db = app.read();
          auto code = default_calling_code(db);
          if (auto phone = req.query_param("phone"); phone && !phone->empty()) {
            auto n = normalise_phone(*phone, code);
            if (!n.value) throw Problem(422, "invalid_phone", n.reason, "phone");
            f.phone = n.value;
          }
          if (auto email = req.query_param("email"); email && !email->empty()) {
            auto n = normalise_email(*email);
            if (!n.value) throw Problem(422, "invalid_email", n.reason, "email");
            f.email = n.value;
          }
          f.after_id = req.query_param("cursor").value_or("");
          if (!f.after_id.empty() && !is_uuid(f.after_id))
            throw invalid_field("cursor", "cursor must be the next_cursor of a previous page");
          bool show = may_see_contact(req.actor);
          db::ReadSnapshot snapshot(db);
          reply(list_page("customers", list_customers(db, f), f.limit,
                          [show](const Customer& c) { return customer_to_json(c, show); },
                          [](const Customer& c) { return c.id; }));
        });

  r.add("POST", "/api/v1/customers", manage, "Create a customer (phone normalised to E.164, email checked)",
        [&app](Request& req, Reply reply) {
          auto patch = customer_patch_from_json(json::parse_object(req.body), true, default_calling_code(app.read()));
          Actor actor = req.actor;
          bool show = may_see_contact(actor);
          app.command(req, std::move(reply), [patch = std::move(patch), actor, show](db::Db& db) {
            auto c = create_customer(db, actor, patch);
            auto response = customer_response(201, c, show);
            response.header("Location", "/api/v1/customers/" + c.id);
            return response;
          });
        });

  r.add("POST", "/api/v1/customers/import", manage,
        "Customers from a spreadsheet (text/csv: number, name, phone, email, note, marketing_consent); all rows or "
        "none; ?dry_run=true reports per row what would be created or updated",
        [&app](Request& req, Reply reply) {
          bool dry_run = platform::csv_import_request(req, customer_import_bytes_max, "a customer file");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [csv = req.body, dry_run, actor](db::Db& db) {
            auto report = import_customers(db, actor, csv, dry_run);
            return platform::csv_import_response(customer_import_to_json(report), report.errors.size(), "customers_invalid");
          });
        });

  r.add("GET", "/api/v1/customers/{id}", read, "Read a customer (contact data masked without customers.contact_read)",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto c = load_customer(app.read(), id);
          if (!c) throw not_found("customer", id);
          reply(customer_response(200, *c, may_see_contact(req.actor)));
        });

  r.add("PATCH", "/api/v1/customers/{id}", manage, "Change a customer (If-Match or version required)",
        [&app](Request& req, Reply reply) {
          auto id = id_param(req);
          auto body = json::parse_object(req.body);
          auto version = expected_version(req, &body);
          body.erase("version");
          auto patch = customer_patch_from_json(body, false, default_calling_code(app.read()));
          Actor actor = req.actor;
          bool show = may_see_contact(actor);
          app.command(req, std::move(reply), [id, version, patch = std::move(patch), actor, show](db::Db& db) {
            return customer_response(200, update_customer(db, actor, id, version, patch), show);
          });
        });

  // A stored answer (Idempotency-Key replay) holds the customer's contact data: sealed like the row.
  r.set_idempotency("POST", "/api/v1/customers", http::Idempotency::stored_sealed, "the answer holds contact data");
  r.set_idempotency("PATCH", "/api/v1/customers/{id}", http::Idempotency::stored_sealed, "the answer holds contact data");

  r.add("GET", "/api/v1/settings/customers", read, "The calling code national phone numbers take",
        [&app](Request&, Reply reply) {
          reply(http::json_response(200, calling_code_json(default_calling_code(app.read()))));
        });

  r.add("PUT", "/api/v1/settings/customers", std::string(permission::settings_write),
        "Set the calling code national phone numbers take (\"46\"; null: every number needs its +)",
        [&app](Request& req, Reply reply) {
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"default_calling_code"});
          auto code = f.opt_identifier("default_calling_code", 8).value_or("");
          if (!code.empty() && code[0] == '+') code.erase(0, 1);
          if (!code.empty() && !valid_calling_code(code))
            throw invalid_field("default_calling_code",
                                "default_calling_code is an ITU-T E.164 country code: 1 to 3 digits, not starting with 0");
          Actor actor = req.actor;
          app.command(req, std::move(reply), [code, actor](db::Db& db) {
            auto before = default_calling_code(db);
            if (before != code) {
              settings::put(db, calling_code_setting, code);
              append_audit(db, actor,
                           AuditEntry{"settings.customers", "settings", "customers",
                                      json::serialize(calling_code_json(before)), json::serialize(calling_code_json(code))});
            }
            return http::json_response(200, calling_code_json(code));
          });
        });
}

}  // namespace backroom::customers
