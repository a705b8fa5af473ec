// Register set-up's SQL: names, stores and printer paper of the registers.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "access/audit.hpp"
#include "platform/assert.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "sales/registers_api.hpp"
#include "stock/stock.hpp"

namespace backroom::sales {

namespace bj = boost::json;

namespace {

constexpr const char* register_columns =
    "SELECT r.id, r.name, r.location_id, r.printer_width, r.created_at FROM registers r";

// The register's row; its store's name comes from stock.
RegisterSetup read_register(db::Query& q) {
  return RegisterSetup{q.text(0), q.text(1), q.text(2), "", static_cast<int>(q.int64(3)), q.int64(4)};
}

void name_stores(db::Db& db, std::vector<RegisterSetup>& registers) {
  std::map<std::string, std::string> names;
  for (auto& r : registers) {
    auto [it, added] = names.try_emplace(r.location_id);
    if (added) it->second = stock::require_location(db, r.location_id, "location_id").name;
    r.location_name = it->second;
  }
}

stock::Location require_store(db::Db& db, const std::string& location_id) {
  auto l = stock::require_location(db, location_id, "location_id");
  if (l.kind != "store")
    throw invalid_field("location_id", fmt::format("{} is a {}; registers stand in a store", l.name, l.kind));
  return l;
}

void check_name_free(db::Db& db, const std::string& name, const std::string& location_id, const std::string& except_id) {
  auto q = db.query("SELECT id FROM registers WHERE name = ? AND location_id = ? AND id != ?");
  q.bind(1, name).bind(2, location_id).bind(3, except_id);
  if (q.step())
    throw Problem(409, "duplicate_register", fmt::format("register {} at this store is already named '{}'", q.text(0), name),
                  "name");
}

bool register_exists(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT 1 FROM registers WHERE id = ?");
  q.bind(1, id);
  return q.step();
}

}  // namespace

bj::object register_to_json(const RegisterSetup& r) {
  return bj::object{{"id", r.id},
                    {"name", r.name.empty() ? r.id : r.name},
                    {"location", bj::object{{"id", r.location_id}, {"name", r.location_name}}},
                    {"location_id", r.location_id},
                    {"printer_width", r.printer_width},
                    {"created_at", format_rfc3339(Timestamp{r.created_at})}};
}

std::vector<RegisterSetup> list_registers(db::Db& db, const std::string& location_id) {
  std::vector<RegisterSetup> out;
  // API-<tail> rows only number the receipts of channel sales (no till): nobody sells at them.
  auto q = db.query(std::string(register_columns) +
                    " WHERE (?1 = '' OR r.location_id = ?1) AND r.id NOT LIKE 'API-%' ORDER BY r.name, r.id");
  q.bind(1, location_id);
  while (q.step()) out.push_back(read_register(q));
  // By store name, then name and id (text sorts bytewise on both backends).
  name_stores(db, out);
  std::stable_sort(out.begin(), out.end(),
                   [](const RegisterSetup& a, const RegisterSetup& b) { return a.location_name < b.location_name; });
  return out;
}

std::optional<RegisterSetup> load_register(db::Db& db, const std::string& id) {
  auto q = db.query(std::string(register_columns) + " WHERE r.id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  std::vector<RegisterSetup> found{read_register(q)};
  name_stores(db, found);
  return found.front();
}

RegisterSetup create_register(db::Db& db, const Actor& actor, const std::optional<std::string>& id, const std::string& name,
                              const std::string& location_id, int printer_width) {
  db::assert_in_transaction(db);
  auto store = require_store(db, location_id);
  stock::check_location_scope(actor, store.id);
  std::string register_id;
  if (id) {
    if (register_exists(db, *id))
      throw Problem(409, "duplicate_register", fmt::format("a register with id {} exists", *id), "id");
    register_id = *id;
  } else {
    auto count = db.query("SELECT COUNT(*) FROM registers");
    count.step();
    if (static_cast<std::size_t>(count.int64(0)) >= registers_max)
      throw Problem(409, "too_many_registers", fmt::format("a shop has at most {} registers", registers_max));
    for (std::int64_t n = count.int64(0) + 1;; ++n) {
      register_id = fmt::format("REG-{}", n);
      if (!register_exists(db, register_id)) break;
    }
  }
  check_name_free(db, name, store.id, register_id);
  db.query("INSERT INTO registers (id, location_id, name, printer_width, created_at) VALUES (?, ?, ?, ?, ?)")
      .bind(1, register_id)
      .bind(2, store.id)
      .bind(3, name)
      .bind(4, static_cast<std::int64_t>(printer_width))
      .bind(5, now().micros)
      .run();
  auto created = *load_register(db, register_id);
  auto text = bj::serialize(register_to_json(created));
  append_audit(db, actor, AuditEntry{"register.create", "register", register_id, std::nullopt, text});
  append_event(db, "register.created", register_id, text);
  return created;
}

RegisterSetup update_register(db::Db& db, const Actor& actor, const std::string& id, const RegisterPatch& patch) {
  db::assert_in_transaction(db);
  auto before = load_register(db, id);
  if (!before) throw not_found("register", id);
  stock::check_location_scope(actor, before->location_id);
  RegisterSetup after = *before;
  if (patch.location_id && *patch.location_id != before->location_id) {
    auto store = require_store(db, *patch.location_id);
    stock::check_location_scope(actor, store.id);
    auto open = db.query("SELECT id FROM register_sessions WHERE register_id = ? AND status = 'open'");
    open.bind(1, id);
    if (open.step())
      throw Problem(409, "register_session_open",
                    fmt::format("register {} has an open session: close it before moving the register", after.name.empty() ? id : after.name),
                    "location_id");
    after.location_id = store.id;
    after.location_name = store.name;
  }
  if (patch.name) after.name = *patch.name;
  if (patch.printer_width) after.printer_width = *patch.printer_width;
  if (!after.name.empty()) check_name_free(db, after.name, after.location_id, id);
  db.query("UPDATE registers SET name = ?, location_id = ?, printer_width = ? WHERE id = ?")
      .bind(1, after.name)
      .bind(2, after.location_id)
      .bind(3, static_cast<std::int64_t>(after.printer_width))
      .bind(4, id)
      .run();
  auto text = bj::serialize(register_to_json(after));
  append_audit(db, actor, AuditEntry{"register.update", "register", id, bj::serialize(register_to_json(*before)), text});
  append_event(db, "register.updated", id, text);
  return after;
}

}  // namespace backroom::sales
