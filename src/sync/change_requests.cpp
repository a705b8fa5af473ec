// Change requests (sync/change_requests.hpp).
#include "sync/change_requests.hpp"

#include <fmt/format.h>

#include "access/audit.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/ids.hpp"
#include "platform/master_data.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"

namespace backroom::sync {

namespace bj = boost::json;

namespace {

bj::value opt(const std::optional<std::string>& v) { return v ? bj::value(*v) : bj::value(nullptr); }
bj::value opt_time(const std::optional<std::int64_t>& t) {
  return t ? bj::value(format_rfc3339(Timestamp{*t})) : bj::value(nullptr);
}

bj::value parsed_or_text(const std::string& text) {
  boost::system::error_code ec;
  auto v = bj::parse(text, ec);
  return ec ? bj::value(text) : v;
}

// The node's names of what the request is about: the item (from the answer the edit would
// have had, or the item it names), or the tax category of the path.
bj::object subject_of(db::Db& db, const http::Request& req, const http::Response& would_be) {
  bj::value item = nullptr;
  boost::system::error_code ec;
  auto answer = bj::parse(would_be.body, ec);
  if (!ec && answer.is_object()) {
    const auto& o = answer.get_object();
    const auto* id = o.if_contains("id");
    const auto* sku = o.if_contains("sku");
    const auto* name = o.if_contains("name");
    const auto* item_id = o.if_contains("item_id");
    if (id && sku && name && id->is_string() && sku->is_string() && name->is_string())
      item = bj::object{{"id", *id}, {"sku", *sku}, {"name", *name}};
    else if (item_id && item_id->is_string()) {
      std::string iid(item_id->get_string());
      auto heads = catalog::store::item_heads(db, {iid});
      if (auto h = heads.find(iid); h != heads.end())
        item = bj::object{{"id", iid}, {"sku", h->second.sku}, {"name", h->second.name}};
    }
  }
  if (item.is_null() && req.route && req.route->pattern.starts_with("/api/v1/items/{id}") && !req.params.empty()) {
    auto heads = catalog::store::item_heads(db, {req.params[0]});
    if (auto h = heads.find(req.params[0]); h != heads.end())
      item = bj::object{{"id", req.params[0]}, {"sku", h->second.sku}, {"name", h->second.name}};
  }
  bj::value tax = nullptr;
  if (req.route && req.route->pattern == "/api/v1/tax-categories/{code}" && !req.params.empty()) tax = bj::value(req.params[0]);
  return bj::object{{"item", std::move(item)}, {"tax_category", std::move(tax)}};
}

ChangeRequest loaded(db::Db& db, const std::string& id) {
  auto c = store::load_change_request(db, id);
  if (!c) throw not_found("change request", id);
  return *c;
}

void audit_decision(db::Db& db, const Actor& actor, std::string_view action, const ChangeRequest& c) {
  // Separation of duties: who asked at the node stands next to who decided here.
  append_audit(db, actor,
               AuditEntry{std::string(action), "sync_change_request", c.id, std::nullopt,
                          bj::serialize(bj::object{{"node_id", opt(c.node_id)},
                                                   {"requested_by", c.requested_by},
                                                   {"decided_by", opt(c.decided_by)},
                                                   {"method", c.method},
                                                   {"path", c.path},
                                                   {"status", c.status},
                                                   {"note", opt(c.note)},
                                                   {"result_status", c.result_status ? bj::value(*c.result_status)
                                                                                     : bj::value(nullptr)}})});
}

}  // namespace

std::optional<std::string> master_data_route_of(std::string_view method, std::string_view path) {
  if (path.find_first_of("?#") != std::string_view::npos) return std::nullopt;
  auto split = [](std::string_view p) {
    std::vector<std::string_view> out;
    std::size_t at = 0;
    while (at <= p.size()) {
      auto next = p.find('/', at);
      if (next == std::string_view::npos) next = p.size();
      out.push_back(p.substr(at, next - at));
      at = next + 1;
    }
    return out;
  };
  auto segments = split(path);
  for (const auto& [m, pattern] : master_data_routes) {
    if (m != method) continue;
    auto wanted = split(pattern);
    if (wanted.size() != segments.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < wanted.size() && match; ++i) {
      bool placeholder = wanted[i].size() > 2 && wanted[i].front() == '{' && wanted[i].back() == '}';
      match = placeholder ? !segments[i].empty() && segments[i] != "." && segments[i] != ".." : wanted[i] == segments[i];
    }
    if (match) return pattern;
  }
  return std::nullopt;
}

void divert_master_data() {
  master_data::set_divert([](db::Db& db, const http::Request& req, const http::Response& would_be) {
    // A dry run (an import's check) asks for nothing: its answer as it is (the work was rolled back anyway).
    if (req.query_param("dry_run") == "true") return would_be;
    if (req.body.size() > change_request_body_max)
      throw Problem(413, "payload_too_large",
                    fmt::format("a change request's body is at most {} bytes", change_request_body_max));
    ChangeRequest c;
    c.id = new_uuid_v7();
    c.method = req.method;
    c.path = req.path;
    bj::array query;
    for (const auto& [name, value] : req.query) query.push_back(bj::array{bj::value(name), bj::value(value)});
    c.query = bj::serialize(query);
    c.route = req.route->pattern;
    c.permission = req.route->permission;
    c.action = req.route->summary;
    c.content_type = std::string(req.header("content-type").value_or("application/json"));
    if (auto m = req.header("if-match")) c.if_match = std::string(*m);
    c.body = req.body;
    c.subject = bj::serialize(subject_of(db, req, would_be));
    c.requested_by = req.actor.user;
    c.requested_at = now().micros;
    store::insert_change_request(db, c);
    append_audit(db, req.actor,
                 AuditEntry{"sync_change_request.create", "sync_change_request", c.id, std::nullopt,
                            bj::serialize(bj::object{{"method", c.method}, {"path", c.path}, {"route", c.route}})});
    auto response = http::json_response(202, bj::object{{"change_request", change_request_to_json(db, c)}});
    response.header("Location", "/api/v1/sync/change-requests?status=pending");
    return response;
  });
}

bj::object change_request_push(const ChangeRequest& c) {
  return bj::object{{"id", c.id},
                    {"method", c.method},
                    {"path", c.path},
                    {"query", parsed_or_text(c.query)},
                    {"route", c.route},
                    {"action", c.action},
                    {"content_type", c.content_type},
                    {"if_match", opt(c.if_match)},
                    {"body", c.body},
                    {"subject", parsed_or_text(c.subject)},
                    {"requested_by", c.requested_by},
                    {"requested_at", format_rfc3339(Timestamp{c.requested_at})}};
}

int receive_change_requests(db::Db& db, const Actor& actor, const Node& node, const std::vector<ChangeRequest>& list) {
  std::vector<ChangeRequest> rows;
  for (auto c : list) {
    c.node_id = node.id;
    c.location_id = node.location_id;
    c.status = "pending";
    rows.push_back(std::move(c));
  }
  auto kept = store::insert_change_requests(db, rows);
  if (!kept.empty()) {
    bj::array ids;
    for (const auto& id : kept) ids.push_back(bj::value(id));
    append_audit(db, actor,
                 AuditEntry{"sync_change_requests.receive", "sync_node", node.id, std::nullopt,
                            bj::serialize(bj::object{{"location_id", node.location_id}, {"change_requests", std::move(ids)}})});
  }
  return static_cast<int>(kept.size());
}

bj::object decision_json(const ChangeRequest& c) {
  return bj::object{{"id", c.id},
                    {"status", c.status},
                    {"decided_at", opt_time(c.decided_at)},
                    {"decided_by", opt(c.decided_by)},
                    {"note", opt(c.note)},
                    {"result_status", c.result_status ? bj::value(*c.result_status) : bj::value(nullptr)}};
}

ChangeRequest mark_applied(db::Db& db, const Actor& actor, const std::string& id, int result_status) {
  loaded(db, id);
  if (!store::decide_change_request(db, id, "applied", now().micros, actor.user, std::nullopt, result_status))
    throw Problem(409, "already_decided", "this change request is already applied or rejected", "id");
  auto c = loaded(db, id);
  audit_decision(db, actor, "sync_change_request.apply", c);
  return c;
}

ChangeRequest reject_change_request(db::Db& db, const Actor& actor, const std::string& id, const std::string& note) {
  auto before = loaded(db, id);
  if (!before.node_id) throw not_found("change request", id);  // a node's own request is decided at head office
  if (!store::decide_change_request(db, id, "rejected", now().micros, actor.user, note, std::nullopt))
    throw Problem(409, "already_decided", "this change request is already applied or rejected", "id");
  auto c = loaded(db, id);
  audit_decision(db, actor, "sync_change_request.reject", c);
  return c;
}

bj::object change_request_to_json(db::Db& db, const ChangeRequest& c) {
  boost::system::error_code ec;
  auto subject = bj::parse(c.subject, ec);
  bj::value item = nullptr, tax = nullptr;
  if (!ec && subject.is_object()) {
    if (const auto* i = subject.get_object().if_contains("item")) item = *i;
    if (const auto* t = subject.get_object().if_contains("tax_category")) tax = *t;
  }
  // A row read by the list carries its store's name (one join); a single one is looked up.
  auto location_name = c.location_name;
  if (!location_name && c.location_id)
    if (auto l = stock::load_location(db, *c.location_id)) location_name = l->name;
  return bj::object{{"id", c.id},
                    {"status", c.status},
                    {"node_id", opt(c.node_id)},
                    {"location_id", opt(c.location_id)},
                    {"location_name", opt(location_name)},
                    {"method", c.method},
                    {"path", c.path},
                    {"route", c.route},
                    {"action", c.action},
                    {"body", c.body.empty() ? bj::value(nullptr) : parsed_or_text(c.body)},
                    {"item", std::move(item)},
                    {"tax_category", std::move(tax)},
                    {"requested_by", c.requested_by},
                    {"requested_at", format_rfc3339(Timestamp{c.requested_at})},
                    {"sent", c.node_id ? true : c.sent_at.has_value()},
                    {"decided_at", opt_time(c.decided_at)},
                    {"decided_by", opt(c.decided_by)},
                    {"note", opt(c.note)},
                    {"result_status", c.result_status ? bj::value(*c.result_status) : bj::value(nullptr)}};
}

}  // namespace backroom::sync
