#include "platform/schema.hpp"

#include <fmt/format.h>

#include "platform/problem.hpp"
#include "platform/types.hpp"

namespace backroom::schema {

// The schema is the one thing every capability shares, so its history lives in one
// ordered list. Never edit a migration that has shipped: add the next one.
const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, "platform and item master", R"SQL(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE items (
  id             TEXT PRIMARY KEY,
  sku            TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  duplicate_key  TEXT NOT NULL,
  description    TEXT NOT NULL DEFAULT '',
  category       TEXT NOT NULL DEFAULT '',
  brand          TEXT NOT NULL DEFAULT '',
  unit           TEXT NOT NULL DEFAULT 'each' CHECK (unit IN ('each','g','kg','ml','l','m')),
  sold_by_weight INTEGER NOT NULL DEFAULT 0 CHECK (sold_by_weight IN (0,1)),
  cost           INTEGER CHECK (cost >= 0),
  price          INTEGER CHECK (price >= 0),
  tax_category   TEXT NOT NULL DEFAULT 'standard',
  case_pack      INTEGER NOT NULL DEFAULT 1000 CHECK (case_pack > 0),
  status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','discontinued')),
  kind           TEXT NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard','parent','variant','kit')),
  parent_id      TEXT REFERENCES items(id),
  options        TEXT NOT NULL DEFAULT '{}',
  attributes     TEXT NOT NULL DEFAULT '{}',
  kit_consumes   TEXT CHECK (kit_consumes IN ('components','assembled')),
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX items_duplicate_key ON items(duplicate_key);
CREATE INDEX items_category ON items(category, id);
CREATE INDEX items_parent ON items(parent_id);

CREATE TABLE item_prices (
  item_id TEXT NOT NULL REFERENCES items(id),
  tier    TEXT NOT NULL,
  price   INTEGER NOT NULL CHECK (price >= 0),
  PRIMARY KEY (item_id, tier)
);

CREATE TABLE kit_components (
  kit_id       TEXT NOT NULL REFERENCES items(id),
  component_id TEXT NOT NULL REFERENCES items(id),
  quantity     INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (kit_id, component_id)
);

-- One barcode, one item: `code` is the normalised key (GTIN-14, "E:" embedded item
-- code, "T:" text). `display` is the code as it is printed.
CREATE TABLE barcodes (
  code          TEXT PRIMARY KEY,
  item_id       TEXT NOT NULL REFERENCES items(id),
  pack_quantity INTEGER NOT NULL DEFAULT 1000 CHECK (pack_quantity > 0),
  kind          TEXT NOT NULL,
  display       TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX barcodes_item ON barcodes(item_id);

CREATE TABLE embedded_layouts (
  prefix       TEXT PRIMARY KEY,
  item_digits  INTEGER NOT NULL,
  value_kind   TEXT NOT NULL CHECK (value_kind IN ('price','weight')),
  value_digits INTEGER NOT NULL,
  decimals     INTEGER NOT NULL,
  verifier     INTEGER NOT NULL CHECK (verifier IN (0,1))
);

-- Restricted-circulation numbers are never reused: the sequence only grows.
CREATE TABLE internal_prefixes (
  prefix        TEXT PRIMARY KEY,
  next_sequence INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  origin    TEXT NOT NULL,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  before    TEXT,
  after     TEXT,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

CREATE TABLE events (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  id        TEXT NOT NULL UNIQUE,
  at        INTEGER NOT NULL,
  type      TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  payload   TEXT NOT NULL
);
)SQL"},
  };
  return list;
}

int latest_version() { return migrations().back().version; }

int current_version(db::Db& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at INTEGER NOT NULL)");
  auto q = db.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  q.step();
  return static_cast<int>(q.int64(0));
}

int migrate(db::Db& db) {
  int current = current_version(db);
  if (current > latest_version()) {
    throw Problem(500, "schema_too_new",
                  fmt::format("database '{}' is at schema version {}, but this backroom {} knows only up to {}; "
                              "run a newer backroom (never an older one) on this file",
                              db.path(), current, BACKROOM_VERSION, latest_version()));
  }
  for (const auto& m : migrations()) {
    if (m.version <= current) continue;
    db::Transaction tx(db);
    db.exec(m.sql);
    db.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .bind(1, m.version)
        .bind(2, m.name)
        .bind(3, now().micros)
        .run();
    db.exec(fmt::format("PRAGMA user_version = {}", m.version));
    tx.commit();
    current = m.version;
  }
  return current;
}

}  // namespace backroom::schema
