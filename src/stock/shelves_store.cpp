#include <fmt/format.h>

#include <algorithm>

#include <boost/json.hpp>

#include "access/audit.hpp"
#include "catalog/catalog_store.hpp"
#include "platform/problem.hpp"
#include "stock/shelves.hpp"
#include "stock/stock.hpp"
#include "stock/vocabulary.hpp"

namespace backroom::stock {

namespace bj = boost::json;

std::optional<std::string> normalize_shelf(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::string_view t = *text;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.empty()) return std::nullopt;
  auto characters = std::count_if(t.begin(), t.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; });
  if (static_cast<std::size_t>(characters) > shelf_length_max)
    throw invalid_field("shelf", fmt::format("a shelf's name is at most {} characters", shelf_length_max));
  for (unsigned char c : t)
    if (c < 0x20 || c == 0x7F) throw invalid_field("shelf", "a shelf's name has no control characters");
  return std::string(t);
}

namespace {

std::optional<std::string> shelf_of(db::Db& db, const std::string& item_id, const std::string& location_id) {
  auto q = db.query("SELECT shelf FROM item_shelves WHERE item_id = ? AND location_id = ?");
  q.bind(1, item_id).bind(2, location_id);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

}  // namespace

ItemShelf put_shelf(db::Db& db, const Actor& actor, const std::string& item_id, const std::string& location_id,
                const std::optional<std::string>& shelf) {
  auto name = normalize_shelf(shelf);
  auto item_kind = catalog::store::item_kind(db, item_id);
  if (!item_kind) throw not_found("item", item_id);
  if (*item_kind == catalog::ItemKind::parent)
    throw invalid_field("item_id", fmt::format("item '{}' is a variant parent; its variants have shelves", item_id));
  auto location = require_location(db, location_id, "location_id");
  auto site = location_kinds.parse(location.kind);
  if (!site || !is_site(*site))
    throw invalid_field("location_id",
                        fmt::format("{} is not a store, backroom or warehouse: shelves are kept for those", location.name));
  check_location_scope(actor, location_id);
  auto before = shelf_of(db, item_id, location_id);
  if (before != name) {
    db.query("DELETE FROM item_shelves WHERE item_id = ? AND location_id = ?").bind(1, item_id).bind(2, location_id).run();
    if (name)
      db.query("INSERT INTO item_shelves (item_id, location_id, shelf, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)")
          .bind(1, item_id)
          .bind(2, location_id)
          .bind(3, *name)
          .bind(4, now().micros)
          .bind(5, actor.user)
          .run();
    auto text = [&](const std::optional<std::string>& b) {
      return bj::serialize(bj::object{{"location_id", location_id}, {"shelf", b ? bj::value(*b) : bj::value(nullptr)}});
    };
    append_audit(db, actor, AuditEntry{"item.shelf", "item", item_id, text(before), text(name)});
  }
  return ItemShelf{location.id, location.name, name};
}

std::vector<ItemShelf> shelves_of_item(db::Db& db, const std::string& item_id) {
  std::vector<ItemShelf> out;
  auto q = db.query(
      "SELECT l.id, l.name, b.shelf FROM locations l LEFT JOIN item_shelves b ON b.location_id = l.id AND b.item_id = ? "
      "WHERE l.kind IN ('store', 'backroom', 'warehouse') ORDER BY l.name, l.id");
  q.bind(1, item_id);
  while (q.step())
    out.push_back(ItemShelf{q.text(0), q.text(1), q.is_null(2) ? std::nullopt : std::optional<std::string>(q.text(2))});
  return out;
}

std::map<std::string, std::string> shelves_at(db::Db& db, const std::string& location_id,
                                           const std::vector<std::string>& item_ids) {
  std::map<std::string, std::string> out;
  if (item_ids.empty()) return out;
  bj::array ids(item_ids.begin(), item_ids.end());
  auto q = db.query(
      "SELECT item_id, shelf FROM item_shelves WHERE location_id = ? AND item_id IN (SELECT value FROM json_each(?))");
  q.bind(1, location_id).bind(2, bj::serialize(ids));
  while (q.step()) out.emplace(q.text(0), q.text(1));
  return out;
}

}  // namespace backroom::stock
