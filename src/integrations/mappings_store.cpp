#include <fmt/format.h>

#include <limits>

#include "access/audit.hpp"
#include "integrations/mappings.hpp"
#include "platform/assert.hpp"
#include "platform/json.hpp"
#include "platform/outbox.hpp"
#include "platform/problem.hpp"

namespace backroom::integrations {

namespace bj = boost::json;

namespace {

constexpr const char* columns =
    "SELECT name, version, fields, value_maps, reviewed_on, changed_by, changed_by_id, changed_at FROM mappings ";

std::map<std::string, std::string> strings_of(const bj::value& v) {
  std::map<std::string, std::string> out;
  for (const auto& [k, s] : v.as_object()) out.emplace(std::string(k), std::string(s.as_string()));
  return out;
}

Mapping read(const db::Query& q) {
  Mapping m;
  m.name = q.text(0);
  m.version = q.int64(1);
  m.fields = strings_of(bj::parse(q.text(2)));
  auto values = bj::parse(q.text(3));
  for (const auto& [k, map] : values.as_object()) m.values.emplace(std::string(k), strings_of(map));
  m.reviewed_on = q.opt_text(4);
  m.changed_by = q.text(5);
  m.changed_by_id = q.text(6);
  m.changed_at = q.int64(7);
  return m;
}

std::string stored_json(const Mapping& m, bool values) {
  bj::object o;
  if (values) {
    for (const auto& [name, map] : m.values) {
      bj::object inner;
      for (const auto& [k, v] : map) inner[k] = v;
      o[name] = std::move(inner);
    }
  } else {
    for (const auto& [k, v] : m.fields) o[k] = v;
  }
  return bj::serialize(o);
}

}  // namespace

std::optional<Mapping> latest_mapping(db::Db& db, const std::string& name) {
  auto q = db.query(std::string(columns) + "WHERE name = ? ORDER BY version DESC LIMIT 1");
  q.bind(1, name);
  if (!q.step()) return std::nullopt;
  return read(q);
}

std::optional<Mapping> mapping_version(db::Db& db, const std::string& name, std::int64_t version) {
  auto q = db.query(std::string(columns) + "WHERE name = ? AND version = ?");
  q.bind(1, name).bind(2, version);
  if (!q.step()) return std::nullopt;
  return read(q);
}

std::vector<Mapping> mapping_versions(db::Db& db, const std::string& name, std::optional<std::int64_t> before,
                                      int limit) {
  auto q = db.query(std::string(columns) + "WHERE name = ? AND version < ? ORDER BY version DESC LIMIT ?");
  q.bind(1, name).bind(2, before.value_or(std::numeric_limits<std::int64_t>::max())).bind(3, limit);
  std::vector<Mapping> out;
  while (q.step()) out.push_back(read(q));
  return out;
}

std::vector<Mapping> latest_mappings(db::Db& db) {
  auto q = db.query(std::string(columns) +
                    "WHERE version = (SELECT MAX(m2.version) FROM mappings m2 WHERE m2.name = mappings.name) "
                    "ORDER BY name");
  std::vector<Mapping> out;
  while (q.step()) out.push_back(read(q));
  return out;
}

Mapping put_mapping(db::Db& db, const Actor& actor, Mapping m) {
  db::assert_in_transaction(db);
  auto before = latest_mapping(db, m.name);
  m.version = before ? before->version + 1 : 1;
  m.changed_by = actor.user;
  m.changed_by_id = actor.user_id;
  m.changed_at = now().micros;
  db.query(
        "INSERT INTO mappings (name, version, fields, value_maps, reviewed_on, changed_by, changed_by_id, changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, m.name)
      .bind(2, m.version)
      .bind(3, stored_json(m, false))
      .bind(4, stored_json(m, true))
      .bind(5, m.reviewed_on)
      .bind(6, m.changed_by)
      .bind(7, m.changed_by_id)
      .bind(8, m.changed_at)
      .run();
  Timestamp at{m.changed_at};
  auto after_json = json::serialize(mapping_to_json(m, at));
  append_audit(db, actor,
               AuditEntry{"mapping.update", "mapping", m.name,
                          before ? std::optional<std::string>(json::serialize(mapping_to_json(*before, at)))
                                 : std::nullopt,
                          after_json});
  append_event(db, "mapping.updated", m.name, after_json);
  return m;
}

}  // namespace backroom::integrations
