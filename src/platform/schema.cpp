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
) WITHOUT ROWID;
CREATE INDEX items_duplicate_key ON items(duplicate_key);
CREATE INDEX items_category ON items(category, id);
CREATE INDEX items_parent ON items(parent_id);

CREATE TABLE item_prices (
  item_id TEXT NOT NULL REFERENCES items(id),
  tier    TEXT NOT NULL,
  price   INTEGER NOT NULL CHECK (price >= 0),
  PRIMARY KEY (item_id, tier)
) WITHOUT ROWID;

CREATE TABLE kit_components (
  kit_id       TEXT NOT NULL REFERENCES items(id),
  component_id TEXT NOT NULL REFERENCES items(id),
  quantity     INTEGER NOT NULL CHECK (quantity > 0),
  position     INTEGER NOT NULL,
  PRIMARY KEY (kit_id, component_id)
) WITHOUT ROWID;

-- One barcode, one item: `code` is the normalised key (GTIN-14, "E:" embedded item
-- code, "T:" text). `display` is the code as it is printed.
CREATE TABLE barcodes (
  code          TEXT PRIMARY KEY,
  item_id       TEXT NOT NULL REFERENCES items(id),
  pack_quantity INTEGER NOT NULL DEFAULT 1000 CHECK (pack_quantity > 0),
  kind          TEXT NOT NULL,
  display       TEXT NOT NULL,
  created_at    INTEGER NOT NULL
) WITHOUT ROWID;
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
      {2, "users, roles, sessions, API keys, overrides, price change requests", R"SQL(
-- Built-in roles are rewritten from the table in platform/auth.cpp at every start;
-- custom roles are the shop's own. NULL limits mean unlimited.
CREATE TABLE roles (
  name                       TEXT PRIMARY KEY,
  description                TEXT NOT NULL DEFAULT '',
  builtin                    INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0,1)),
  superuser                  INTEGER NOT NULL DEFAULT 0 CHECK (superuser IN (0,1)),
  discount_basis_points_max  INTEGER CHECK (discount_basis_points_max >= 0),
  return_without_receipt_max INTEGER CHECK (return_without_receipt_max >= 0),
  created_at                 INTEGER NOT NULL
);

CREATE TABLE role_permissions (
  role       TEXT NOT NULL REFERENCES roles(name),
  permission TEXT NOT NULL,
  PRIMARY KEY (role, permission)
);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL DEFAULT '',
  role          TEXT NOT NULL REFERENCES roles(name),
  password_hash TEXT NOT NULL,
  pin_hash      TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

-- Only hashes of secrets are stored: the token is <prefix>_<id>_<secret>.
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users(id),
  secret_hash  TEXT NOT NULL,
  csrf_token   TEXT NOT NULL,
  origin       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  role         TEXT NOT NULL REFERENCES roles(name),
  location_ids TEXT NOT NULL DEFAULT '[]',
  secret_hash  TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL,
  expires_at   INTEGER,
  revoked_at   INTEGER,
  replaced_by  TEXT,
  last_used_at INTEGER
);
CREATE INDEX api_keys_name ON api_keys(name);

CREATE TABLE sign_in_attempts (
  key             TEXT PRIMARY KEY,
  failures        INTEGER NOT NULL,
  last_failure_at INTEGER NOT NULL
);

CREATE TABLE overrides (
  id             TEXT PRIMARY KEY,
  secret_hash    TEXT NOT NULL,
  permission     TEXT NOT NULL,
  approver_id    TEXT NOT NULL REFERENCES users(id),
  requester_id   TEXT NOT NULL,
  requester_name TEXT NOT NULL,
  reason         TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  used_at        INTEGER
);

CREATE TABLE price_changes (
  id              TEXT PRIMARY KEY,
  item_id         TEXT NOT NULL REFERENCES items(id),
  tier            TEXT,
  price           INTEGER NOT NULL CHECK (price >= 0),
  old_price       INTEGER,
  effective_at    INTEGER NOT NULL,
  reason          TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','applied')),
  requested_by    TEXT NOT NULL,
  requested_by_id TEXT NOT NULL,
  requested_at    INTEGER NOT NULL,
  decided_by      TEXT,
  decided_by_id   TEXT,
  decided_at      INTEGER,
  decision_note   TEXT,
  applied_at      INTEGER
);
CREATE INDEX price_changes_status ON price_changes(status, effective_at);
CREATE INDEX audit_actor ON audit_log(actor, seq);
)SQL"},
      {3, "locations, stock ledger, sales, returns, transfers", R"SQL(
CREATE TABLE locations (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  kind       TEXT NOT NULL CHECK (kind IN ('store','backroom','warehouse','review','damaged','refurbish','markdown','transit')),
  parent_id  TEXT REFERENCES locations(id),
  sellable   INTEGER NOT NULL CHECK (sellable IN (0,1)),
  created_at INTEGER NOT NULL
);

-- The ledger: append-only. Balances below are derived from it in the same transaction.
CREATE TABLE stock_movements (
  seq              INTEGER PRIMARY KEY,
  item_id          TEXT NOT NULL REFERENCES items(id),
  location_id      TEXT NOT NULL REFERENCES locations(id),
  quantity         INTEGER NOT NULL CHECK (quantity <> 0),
  reason           TEXT NOT NULL,
  document_type    TEXT NOT NULL,
  document_id      TEXT NOT NULL,
  document_line_id TEXT,
  at               INTEGER NOT NULL,
  user             TEXT NOT NULL,
  device           TEXT NOT NULL
);
CREATE INDEX stock_movements_item ON stock_movements(item_id, location_id, seq);
CREATE INDEX stock_movements_document ON stock_movements(document_id);

CREATE TABLE stock_balances (
  item_id     TEXT NOT NULL REFERENCES items(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  on_hand     INTEGER NOT NULL DEFAULT 0,
  reserved    INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  last_seq    INTEGER NOT NULL,
  PRIMARY KEY (item_id, location_id)
) WITHOUT ROWID;

CREATE TABLE stock_reservations (
  id          TEXT PRIMARY KEY,
  item_id     TEXT NOT NULL REFERENCES items(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  reference   TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('active','released')),
  created_at  INTEGER NOT NULL,
  released_at INTEGER
);

CREATE TABLE stock_adjustments (
  id           TEXT PRIMARY KEY,
  item_id      TEXT NOT NULL REFERENCES items(id),
  location_id  TEXT NOT NULL REFERENCES locations(id),
  quantity     INTEGER NOT NULL CHECK (quantity <> 0),
  reason       TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  request_hash TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  user         TEXT NOT NULL
);

CREATE TABLE transfers (
  id               TEXT PRIMARY KEY,
  from_location_id TEXT NOT NULL REFERENCES locations(id),
  to_location_id   TEXT NOT NULL REFERENCES locations(id),
  status           TEXT NOT NULL CHECK (status IN ('in_transit','received')),
  note             TEXT NOT NULL DEFAULT '',
  request_hash     TEXT NOT NULL,
  shipped_at       INTEGER NOT NULL,
  shipped_by       TEXT NOT NULL,
  received_at      INTEGER,
  received_by      TEXT
);
CREATE TABLE transfer_lines (
  id          TEXT PRIMARY KEY,
  transfer_id TEXT NOT NULL REFERENCES transfers(id),
  line_no     INTEGER NOT NULL,
  item_id     TEXT NOT NULL REFERENCES items(id),
  shipped     INTEGER NOT NULL CHECK (shipped > 0),
  received    INTEGER CHECK (received >= 0),
  damaged     INTEGER CHECK (damaged >= 0),
  UNIQUE (transfer_id, line_no)
);

-- Idempotency-Key header -> the document it created.
CREATE TABLE idempotency_keys (
  key          TEXT PRIMARY KEY,
  route        TEXT NOT NULL,
  document_id  TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);

CREATE TABLE registers (
  id            TEXT PRIMARY KEY,
  location_id   TEXT NOT NULL REFERENCES locations(id),
  next_receipt  INTEGER NOT NULL DEFAULT 1,
  next_training INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL
);
CREATE TABLE register_sessions (
  id            TEXT PRIMARY KEY,
  register_id   TEXT NOT NULL REFERENCES registers(id),
  status        TEXT NOT NULL CHECK (status IN ('open','closed')),
  opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
  counted_cash  INTEGER,
  opened_at     INTEGER NOT NULL,
  opened_by     TEXT NOT NULL,
  closed_at     INTEGER,
  closed_by     TEXT,
  z_report      TEXT
);
CREATE UNIQUE INDEX register_sessions_one_open ON register_sessions(register_id) WHERE status = 'open';
CREATE TABLE register_cash_movements (
  id         TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES register_sessions(id),
  kind       TEXT NOT NULL CHECK (kind IN ('in','out')),
  amount     INTEGER NOT NULL CHECK (amount > 0),
  reason     TEXT NOT NULL,
  at         INTEGER NOT NULL,
  user       TEXT NOT NULL
);

CREATE TABLE sales (
  id             TEXT PRIMARY KEY,
  receipt_number TEXT NOT NULL UNIQUE,
  location_id    TEXT NOT NULL REFERENCES locations(id),
  register_id    TEXT NOT NULL REFERENCES registers(id),
  session_id     TEXT REFERENCES register_sessions(id),
  exchange_id    TEXT,
  status         TEXT NOT NULL CHECK (status IN ('completed','voided')),
  training       INTEGER NOT NULL CHECK (training IN (0,1)),
  price_tier     TEXT,
  subtotal       INTEGER NOT NULL,
  discount_total INTEGER NOT NULL,
  tax_total      INTEGER NOT NULL,
  total          INTEGER NOT NULL,
  tendered       INTEGER NOT NULL,
  change_due     INTEGER NOT NULL CHECK (change_due >= 0),
  receipt_discount TEXT,
  tax_mode       TEXT NOT NULL,
  request_hash   TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  user           TEXT NOT NULL,
  approver       TEXT
);
CREATE INDEX sales_session ON sales(session_id) WHERE session_id IS NOT NULL;
CREATE TABLE sale_lines (
  id                TEXT PRIMARY KEY,
  sale_id           TEXT NOT NULL REFERENCES sales(id),
  line_no           INTEGER NOT NULL,
  item_id           TEXT NOT NULL REFERENCES items(id),
  sku               TEXT NOT NULL,
  name              TEXT NOT NULL,
  code              TEXT,
  quantity          INTEGER NOT NULL CHECK (quantity > 0),
  unit_price        INTEGER NOT NULL,
  gross             INTEGER NOT NULL,
  line_discount     INTEGER NOT NULL,
  receipt_discount  INTEGER NOT NULL,
  discount_reason   TEXT,
  tax_rate_bp       INTEGER NOT NULL,
  tax               INTEGER NOT NULL,
  total             INTEGER NOT NULL,
  returned_quantity INTEGER NOT NULL DEFAULT 0 CHECK (returned_quantity >= 0 AND returned_quantity <= quantity)
);
CREATE INDEX sale_lines_sale ON sale_lines(sale_id, line_no);
CREATE TABLE sale_tenders (
  sale_id   TEXT NOT NULL REFERENCES sales(id),
  seq       INTEGER NOT NULL,
  type      TEXT NOT NULL CHECK (type IN ('cash','card','store_credit','exchange_credit')),
  amount    INTEGER NOT NULL CHECK (amount > 0),
  reference TEXT,
  PRIMARY KEY (sale_id, seq)
) WITHOUT ROWID;
CREATE TABLE sale_voids (
  sale_id  TEXT PRIMARY KEY REFERENCES sales(id),
  id       TEXT NOT NULL UNIQUE,
  reason   TEXT NOT NULL,
  at       INTEGER NOT NULL,
  user     TEXT NOT NULL,
  approver TEXT
);

CREATE TABLE returns (
  id           TEXT PRIMARY KEY,
  sale_id      TEXT REFERENCES sales(id),
  location_id  TEXT NOT NULL REFERENCES locations(id),
  register_id  TEXT,
  session_id   TEXT REFERENCES register_sessions(id),
  exchange_id  TEXT,
  refund_total INTEGER NOT NULL,
  tax_total    INTEGER NOT NULL,
  request_hash TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  user         TEXT NOT NULL,
  approver     TEXT
);
CREATE INDEX returns_sale ON returns(sale_id);
CREATE INDEX returns_session ON returns(session_id) WHERE session_id IS NOT NULL;
CREATE TABLE return_lines (
  id           TEXT PRIMARY KEY,
  return_id    TEXT NOT NULL REFERENCES returns(id),
  line_no      INTEGER NOT NULL,
  sale_line_id TEXT REFERENCES sale_lines(id),
  item_id      TEXT NOT NULL REFERENCES items(id),
  quantity     INTEGER NOT NULL CHECK (quantity > 0),
  refund       INTEGER NOT NULL,
  tax          INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  condition    TEXT NOT NULL,
  disposition  TEXT NOT NULL CHECK (disposition IN ('restock','review','damaged','refurbish','markdown')),
  location_id  TEXT NOT NULL REFERENCES locations(id)
);
CREATE INDEX return_lines_return ON return_lines(return_id, line_no);
CREATE INDEX return_lines_sale_line ON return_lines(sale_line_id);
CREATE TABLE return_tenders (
  return_id TEXT NOT NULL REFERENCES returns(id),
  seq       INTEGER NOT NULL,
  type      TEXT NOT NULL,
  amount    INTEGER NOT NULL CHECK (amount > 0),
  reference TEXT,
  PRIMARY KEY (return_id, seq)
) WITHOUT ROWID;

CREATE TABLE exchanges (
  id           TEXT PRIMARY KEY,
  return_id    TEXT NOT NULL REFERENCES returns(id),
  sale_id      TEXT NOT NULL REFERENCES sales(id),
  request_hash TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  user         TEXT NOT NULL
);

CREATE TABLE parked_sales (
  id          TEXT PRIMARY KEY,
  location_id TEXT NOT NULL REFERENCES locations(id),
  register_id TEXT,
  note        TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('parked','resumed','deleted')),
  parked_at   INTEGER NOT NULL,
  parked_by   TEXT NOT NULL,
  closed_at   INTEGER
);
CREATE INDEX parked_sales_open ON parked_sales(location_id, parked_at) WHERE status = 'parked';

INSERT OR IGNORE INTO settings (key, value) VALUES
  ('negative_stock', 'allow'),
  ('tax_mode', 'inclusive'),
  ('tax_rounding', 'line'),
  ('rounding', 'half_even'),
  ('tax_rates', '{"standard":2100,"reduced":900,"food":900,"zero":0}');
)SQL"},
      {4, "label queue", R"SQL(
-- Labels waiting to be printed per store. At most one pending entry per store, item and
-- kind: a second reason to print updates it. Printed entries stay as the print history.
CREATE TABLE label_queue (
  id         TEXT PRIMARY KEY,
  store_id   TEXT NOT NULL REFERENCES locations(id),
  item_id    TEXT NOT NULL REFERENCES items(id),
  kind       TEXT NOT NULL CHECK (kind IN ('shelf','sticker','case','scale')),
  reason     TEXT NOT NULL,
  copies     INTEGER NOT NULL DEFAULT 1 CHECK (copies > 0),
  event_seq  INTEGER,
  queued_at  INTEGER NOT NULL,
  printed_at INTEGER,
  printed_by TEXT,
  print_job  TEXT
);
CREATE UNIQUE INDEX label_queue_pending ON label_queue(store_id, item_id, kind) WHERE printed_at IS NULL;
CREATE INDEX label_queue_store ON label_queue(store_id, printed_at, queued_at);
-- The queue fills itself from the outbox; finding an item's previous state needs this.
CREATE INDEX events_entity ON events(entity_id, seq);
-- A shop upgraded to this version starts from its present events, not its whole history.
INSERT OR IGNORE INTO settings (key, value)
  SELECT 'labels.events_cursor', CAST(COALESCE(MAX(seq), 0) AS TEXT) FROM events;
)SQL"},
      {5, "store credit", R"SQL(
-- Credit notes: a code printed on the refund slip, a balance, and the entries that moved
-- it (issued or topped up by a return, spent by a sale, given back by a void).
CREATE TABLE store_credits (
  id         TEXT PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  balance    INTEGER NOT NULL CHECK (balance >= 0),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE store_credit_entries (
  seq           INTEGER PRIMARY KEY,
  credit_id     TEXT NOT NULL REFERENCES store_credits(id),
  amount        INTEGER NOT NULL CHECK (amount <> 0),
  document_type TEXT NOT NULL CHECK (document_type IN ('sale','void','return')),
  document_id   TEXT NOT NULL,
  at            INTEGER NOT NULL,
  user          TEXT NOT NULL
);
CREATE INDEX store_credit_entries_credit ON store_credit_entries(credit_id, seq);
CREATE INDEX store_credit_entries_document ON store_credit_entries(document_id);
)SQL"},
      {6, "stock accounts", R"SQL(
-- Each balance (item at a location) is a stock account with a small integer number, and
-- every movement carries its account. The ledger's history index then holds two integers
-- per movement instead of two 36-character ids: a sale's four movements touch a quarter
-- of the index pages they did (docs/performance.md).
ALTER TABLE stock_balances ADD COLUMN account INTEGER;
UPDATE stock_balances SET account = n.number
  FROM (SELECT item_id AS i, location_id AS l, row_number() OVER (ORDER BY item_id, location_id) AS number
        FROM stock_balances) AS n
  WHERE stock_balances.item_id = n.i AND stock_balances.location_id = n.l;
CREATE UNIQUE INDEX stock_balances_account ON stock_balances(account);
ALTER TABLE stock_movements ADD COLUMN account INTEGER NOT NULL DEFAULT 0;
UPDATE stock_movements SET account = b.account FROM stock_balances AS b
  WHERE b.item_id = stock_movements.item_id AND b.location_id = stock_movements.location_id;
DROP INDEX stock_movements_item;
CREATE INDEX stock_movements_account ON stock_movements(account, seq);
)SQL"},
      {7, "register sessions and channels", R"SQL(
-- Registers get a name people read (NULL: the id is the name). Sales record the channel
-- they came through ('register' at a till, 'api', 'online', ... without one) and the
-- cashier's user id; returns may be training documents; return lines keep their tax rate
-- so a Z report splits refunds by rate; sessions are numbered per register and keep what
-- was counted per tender.
ALTER TABLE registers ADD COLUMN name TEXT;
ALTER TABLE sales ADD COLUMN channel TEXT NOT NULL DEFAULT 'register';
UPDATE sales SET channel = 'api' WHERE register_id LIKE 'API-%';
ALTER TABLE sales ADD COLUMN user_id TEXT;
UPDATE sales SET user_id = (SELECT u.id FROM users u WHERE u.username = sales.user);
CREATE INDEX sales_created ON sales(created_at);
ALTER TABLE returns ADD COLUMN training INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0,1));
ALTER TABLE return_lines ADD COLUMN tax_rate_bp INTEGER NOT NULL DEFAULT 0;
UPDATE return_lines SET tax_rate_bp = COALESCE((SELECT l.tax_rate_bp FROM sale_lines l WHERE l.id = return_lines.sale_line_id), 0);
ALTER TABLE register_sessions ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE register_sessions SET number = n.number
  FROM (SELECT id AS i, row_number() OVER (PARTITION BY register_id ORDER BY opened_at, id) AS number
        FROM register_sessions) AS n
  WHERE register_sessions.id = n.i;
ALTER TABLE register_sessions ADD COLUMN counted TEXT;
-- Cash in and out of the drawer: paid in, paid out, or dropped to the safe.
CREATE TABLE register_cash_movements_7 (
  id         TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES register_sessions(id),
  kind       TEXT NOT NULL CHECK (kind IN ('paid_in','paid_out','safe_drop')),
  amount     INTEGER NOT NULL CHECK (amount > 0),
  reason     TEXT NOT NULL,
  at         INTEGER NOT NULL,
  user       TEXT NOT NULL
);
INSERT INTO register_cash_movements_7
  SELECT id, session_id, CASE kind WHEN 'in' THEN 'paid_in' ELSE 'paid_out' END, amount, reason, at, user
  FROM register_cash_movements;
DROP TABLE register_cash_movements;
ALTER TABLE register_cash_movements_7 RENAME TO register_cash_movements;
CREATE INDEX register_cash_movements_session ON register_cash_movements(session_id);
)SQL"},
      {8, "store set-up: registers, receipt header and footer, default tax category, adjustment checks", R"SQL(
-- Registers know their receipt printer's paper (their name came with migration 7).
ALTER TABLE registers ADD COLUMN printer_width INTEGER NOT NULL DEFAULT 80 CHECK (printer_width IN (58, 80));
-- What a store prints at the top and bottom of its receipts.
ALTER TABLE locations ADD COLUMN receipt_shop_name TEXT NOT NULL DEFAULT '';
ALTER TABLE locations ADD COLUMN receipt_address TEXT NOT NULL DEFAULT '';
ALTER TABLE locations ADD COLUMN receipt_tax_number TEXT NOT NULL DEFAULT '';
ALTER TABLE locations ADD COLUMN receipt_footer TEXT NOT NULL DEFAULT '';
-- The tax category of items that have none, sold at this store (NULL: the shop's default).
ALTER TABLE locations ADD COLUMN default_tax_category TEXT;
-- Adjustments past the shop's limits carry the confirmation they needed.
ALTER TABLE stock_adjustments ADD COLUMN flag_reasons TEXT;
ALTER TABLE stock_adjustments ADD COLUMN reason_code TEXT;
INSERT OR IGNORE INTO settings (key, value) VALUES
  ('default_tax_category', 'standard'),
  ('tax_category_names', '{"standard":"Standard","reduced":"Reduced","food":"Food","zero":"Zero rated"}');
)SQL"},
      {9, "transfer numbers and receipts", R"SQL(
-- Transfers get a number people read (T-000123): per shop, gap-free, in creation order.
ALTER TABLE transfers ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE transfers SET number = n.number
  FROM (SELECT id AS i, row_number() OVER (ORDER BY shipped_at, id) AS number FROM transfers) AS n
  WHERE transfers.id = n.i;
CREATE UNIQUE INDEX transfers_number ON transfers(number);
CREATE INDEX transfers_from ON transfers(from_location_id, number);
CREATE INDEX transfers_to ON transfers(to_location_id, number);
-- A transfer arrives in one or more receipts. A line keeps its running totals (received,
-- damaged, and short: what a closing receipt booked as never arriving); each receipt keeps
-- what it booked per line.
ALTER TABLE transfer_lines ADD COLUMN short INTEGER NOT NULL DEFAULT 0 CHECK (short >= 0);
UPDATE transfer_lines SET short = shipped - received - damaged WHERE received IS NOT NULL;
UPDATE transfer_lines SET received = 0, damaged = 0 WHERE received IS NULL;
CREATE TABLE transfer_receipts (
  id           TEXT PRIMARY KEY,
  transfer_id  TEXT NOT NULL REFERENCES transfers(id),
  number       INTEGER NOT NULL,                       -- 1, 2, ... within its transfer
  closes       INTEGER NOT NULL CHECK (closes IN (0,1)), -- booked the rest short
  request_hash TEXT NOT NULL,
  at           INTEGER NOT NULL,
  user         TEXT NOT NULL,
  UNIQUE (transfer_id, number)
);
CREATE TABLE transfer_receipt_lines (
  receipt_id TEXT NOT NULL REFERENCES transfer_receipts(id),
  line_id    TEXT NOT NULL REFERENCES transfer_lines(id),
  received   INTEGER NOT NULL CHECK (received >= 0),
  damaged    INTEGER NOT NULL CHECK (damaged >= 0),
  short      INTEGER NOT NULL CHECK (short >= 0),
  PRIMARY KEY (receipt_id, line_id)
);
CREATE INDEX transfer_receipt_lines_line ON transfer_receipt_lines(line_id);
-- Before, a transfer was received once, by its own id: that receipt keeps the transfer's id.
INSERT INTO transfer_receipts (id, transfer_id, number, closes, request_hash, at, user)
  SELECT id, id, 1, 1, '', COALESCE(received_at, shipped_at), COALESCE(received_by, shipped_by) FROM transfers
  WHERE status = 'received';
INSERT INTO transfer_receipt_lines (receipt_id, line_id, received, damaged, short)
  SELECT l.transfer_id, l.id, l.received, l.damaged, l.short FROM transfer_lines l
  JOIN transfers t ON t.id = l.transfer_id WHERE t.status = 'received';
)SQL"},
      {10, "suppliers, their items and pending payment changes", R"SQL(
-- Who we buy from (src/purchasing/supplier.hpp). Money in the shop's minor units; order days
-- are words in week order ("mon,thu"); the bank details in force are the ones a second
-- person approved (supplier_changes), never typed straight in.
CREATE TABLE suppliers (
  id                   TEXT PRIMARY KEY,
  name                 TEXT NOT NULL,
  name_key             TEXT NOT NULL,               -- folded name, for search
  email                TEXT NOT NULL DEFAULT '',
  phone                TEXT NOT NULL DEFAULT '',
  lead_time_days       INTEGER NOT NULL DEFAULT 0 CHECK (lead_time_days >= 0),
  lead_time_sd_milli   INTEGER NOT NULL DEFAULT 0 CHECK (lead_time_sd_milli >= 0), -- days x 1000
  order_days           TEXT NOT NULL DEFAULT '',
  min_order_value      INTEGER NOT NULL DEFAULT 0 CHECK (min_order_value >= 0),
  free_freight_value   INTEGER CHECK (free_freight_value >= 0),
  payment_iban         TEXT,
  payment_bic          TEXT,
  payment_account_name TEXT,
  status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),
  version              INTEGER NOT NULL DEFAULT 1,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL
);
CREATE INDEX suppliers_name_key ON suppliers(name_key);

-- What a supplier sells us: its SKU, our cost, its case (case_pack in milli-units like
-- items.case_pack and barcodes.pack_quantity; case_gtin a GTIN-14 also registered as a case
-- barcode of the item), the least it sells (min_order_units, milli-units). At most one
-- preferred supplier per item.
CREATE TABLE supplier_items (
  supplier_id     TEXT NOT NULL REFERENCES suppliers(id),
  item_id         TEXT NOT NULL REFERENCES items(id),
  supplier_sku    TEXT NOT NULL DEFAULT '',
  cost            INTEGER NOT NULL CHECK (cost >= 0),
  case_pack       INTEGER NOT NULL DEFAULT 1000 CHECK (case_pack > 0),
  case_gtin       TEXT,
  min_order_units INTEGER NOT NULL DEFAULT 0 CHECK (min_order_units >= 0),
  preferred       INTEGER NOT NULL DEFAULT 0 CHECK (preferred IN (0,1)),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (supplier_id, item_id)
);
CREATE INDEX supplier_items_item ON supplier_items(item_id);
CREATE INDEX supplier_items_case_gtin ON supplier_items(case_gtin);
CREATE UNIQUE INDEX supplier_items_one_preferred ON supplier_items(item_id) WHERE preferred = 1;
CREATE UNIQUE INDEX supplier_items_sku ON supplier_items(supplier_id, supplier_sku) WHERE supplier_sku <> '';

-- Bank details wait here until a different person approves them (separation of duties).
CREATE TABLE supplier_changes (
  id                   TEXT PRIMARY KEY,
  supplier_id          TEXT NOT NULL REFERENCES suppliers(id),
  kind                 TEXT NOT NULL DEFAULT 'payment' CHECK (kind IN ('payment')),
  payment_iban         TEXT NOT NULL,
  payment_bic          TEXT NOT NULL DEFAULT '',
  payment_account_name TEXT NOT NULL DEFAULT '',
  status               TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected','superseded')),
  requested_by         TEXT NOT NULL,
  requested_by_id      TEXT NOT NULL DEFAULT '',
  requested_at         INTEGER NOT NULL,
  decided_by           TEXT,
  decided_by_id        TEXT,
  decided_at           INTEGER,
  reason               TEXT NOT NULL DEFAULT '',  -- why the filer changes them
  decision_note        TEXT NOT NULL DEFAULT ''   -- why the decider rejected them
);
CREATE INDEX supplier_changes_status ON supplier_changes(status, id);
CREATE INDEX supplier_changes_supplier ON supplier_changes(supplier_id, id);
)SQL"},
      {11, "purchase orders, receipts and the item cost history", R"SQL(
-- Purchase orders (src/purchasing/purchase_orders.hpp): numbered PO-000123 per shop, gap-free
-- in creation order like transfers. Quantities in milli-units, money in minor units. A line
-- keeps what was asked (requested), what is ordered in whole cases (quantity), and its running
-- totals: received (every unit that arrived), damaged (the part of it that is damaged) and
-- cancelled (what closing the order gave up on).
CREATE TABLE purchase_orders (
  id           TEXT PRIMARY KEY,
  number       INTEGER NOT NULL UNIQUE,
  supplier_id  TEXT NOT NULL REFERENCES suppliers(id),
  location_id  TEXT NOT NULL REFERENCES locations(id),
  status       TEXT NOT NULL CHECK (status IN ('draft','sent','partially_received','received','closed','cancelled')),
  expected_on  TEXT,
  exact_cases  INTEGER NOT NULL DEFAULT 0 CHECK (exact_cases IN (0,1)),
  note         TEXT NOT NULL DEFAULT '',
  warnings     TEXT NOT NULL DEFAULT '[]',
  close_reason TEXT,
  request_hash TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL,
  sent_at      INTEGER,
  sent_by      TEXT,
  received_at  INTEGER,
  closed_at    INTEGER,
  closed_by    TEXT,
  cancelled_at INTEGER,
  cancelled_by TEXT
);
CREATE INDEX purchase_orders_status ON purchase_orders(status, number);
CREATE INDEX purchase_orders_supplier ON purchase_orders(supplier_id, number);
CREATE TABLE purchase_order_lines (
  id           TEXT PRIMARY KEY,
  order_id     TEXT NOT NULL REFERENCES purchase_orders(id),
  line_no      INTEGER NOT NULL,
  item_id      TEXT NOT NULL REFERENCES items(id),
  supplier_sku TEXT NOT NULL DEFAULT '',
  requested    INTEGER NOT NULL CHECK (requested > 0),
  quantity     INTEGER NOT NULL CHECK (quantity > 0),
  case_pack    INTEGER NOT NULL CHECK (case_pack > 0),
  unit_cost    INTEGER NOT NULL CHECK (unit_cost >= 0),
  received     INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
  damaged      INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0 AND damaged <= received),
  cancelled    INTEGER NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
  UNIQUE (order_id, line_no)
);
CREATE INDEX purchase_order_lines_item ON purchase_order_lines(item_id);
-- A receipt keeps what it booked per line (and what the line still lacked, or had beyond
-- the order, after it) and the scans it could not place, so a retry under the same
-- Idempotency-Key answers the same receipt again.
CREATE TABLE po_receipts (
  id           TEXT PRIMARY KEY,
  order_id     TEXT NOT NULL REFERENCES purchase_orders(id),
  number       INTEGER NOT NULL,
  request_hash TEXT NOT NULL,
  at           INTEGER NOT NULL,
  user         TEXT NOT NULL,
  approved_by  TEXT,
  not_on_order TEXT NOT NULL DEFAULT '[]',
  UNIQUE (order_id, number)
);
CREATE TABLE po_receipt_lines (
  receipt_id TEXT NOT NULL REFERENCES po_receipts(id),
  line_id    TEXT NOT NULL REFERENCES purchase_order_lines(id),
  received   INTEGER NOT NULL CHECK (received >= 0),
  damaged    INTEGER NOT NULL CHECK (damaged >= 0),
  short_by   INTEGER NOT NULL CHECK (short_by >= 0),  -- the line's short after this receipt
  over_by    INTEGER NOT NULL CHECK (over_by >= 0),   -- ... and what it had beyond the order
  PRIMARY KEY (receipt_id, line_id)
);
CREATE INDEX po_receipt_lines_line ON po_receipt_lines(line_id);
-- Each step of an item's moving-average cost (src/purchasing/cost.hpp): what it was, what
-- arrived at which unit cost on how much stock, what it became.
CREATE TABLE item_cost_history (
  id             TEXT PRIMARY KEY,
  item_id        TEXT NOT NULL REFERENCES items(id),
  at             INTEGER NOT NULL,
  cost_before    INTEGER,
  cost_after     INTEGER NOT NULL,
  received       INTEGER NOT NULL,
  unit_cost      INTEGER NOT NULL,
  on_hand_before INTEGER NOT NULL,
  document_type  TEXT NOT NULL,
  document_id    TEXT NOT NULL,
  order_id       TEXT
);
CREATE INDEX item_cost_history_item ON item_cost_history(item_id, id);
)SQL"},
      {12, "planning: demand history, service levels, reorder points, prepared suggestions, forecast snapshots", R"SQL(
-- Daily demand per item x location (src/planning/planning_store.cpp): units sold minus units
-- returned to stock (milli-units), whether the day ended out of stock (censored: its sales are
-- a lower bound), whether the item sold on promotion that day. source 'ledger' rows are
-- rebuilt from the stock ledger (and sales' prices) from the last day refreshed on; 'import'
-- rows are a shop's past from another system (backroom planning import-history). Days are
-- UTC dates YYYY-MM-DD (shops have no time zone setting yet).
CREATE TABLE demand_history (
  location_id TEXT NOT NULL REFERENCES locations(id),
  item_id     TEXT NOT NULL REFERENCES items(id),
  day         TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('ledger','import')),
  units       INTEGER NOT NULL,
  censored    INTEGER NOT NULL DEFAULT 0 CHECK (censored IN (0,1)),
  promo       INTEGER NOT NULL DEFAULT 0 CHECK (promo IN (0,1)),
  PRIMARY KEY (location_id, item_id, day, source)
);
CREATE INDEX demand_history_day ON demand_history(source, day);

-- Target service level (fraction x 10000: 9500 = 95%) of an item or of a category; an item's
-- own wins over its category's, else the shop's default (95%).
CREATE TABLE planning_service_levels (
  scope            TEXT NOT NULL CHECK (scope IN ('item','category')),
  key              TEXT NOT NULL,
  service_level_bp INTEGER NOT NULL CHECK (service_level_bp > 0 AND service_level_bp < 10000),
  updated_at       INTEGER NOT NULL,
  updated_by       TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);

-- A reorder point the buyer set for an item at a location (milli-units): order only when the
-- inventory position is below it.
CREATE TABLE planning_reorder_points (
  item_id       TEXT NOT NULL REFERENCES items(id),
  location_id   TEXT NOT NULL REFERENCES locations(id),
  reorder_point INTEGER NOT NULL CHECK (reorder_point >= 0),
  updated_at    INTEGER NOT NULL,
  updated_by    TEXT NOT NULL,
  PRIMARY KEY (item_id, location_id)
);

-- What the weekly preparation suggested per supplier and location (the suggestion as JSON).
CREATE TABLE prepared_suggestions (
  location_id TEXT NOT NULL REFERENCES locations(id),
  supplier_id TEXT NOT NULL REFERENCES suppliers(id),
  item_id     TEXT NOT NULL REFERENCES items(id),
  quantity    INTEGER NOT NULL,
  suggestion  TEXT NOT NULL,
  prepared_at INTEGER NOT NULL,
  PRIMARY KEY (location_id, supplier_id, item_id)
);

-- The forecast made for a week (units over its 7 days, milli-units) from data before it, kept
-- to measure accuracy (WAPE, bias, MASE by category) once the week has passed.
CREATE TABLE forecast_snapshots (
  location_id TEXT NOT NULL REFERENCES locations(id),
  item_id     TEXT NOT NULL REFERENCES items(id),
  week_start  TEXT NOT NULL,
  category    TEXT NOT NULL,
  forecast    INTEGER NOT NULL CHECK (forecast >= 0),
  made_at     INTEGER NOT NULL,
  PRIMARY KEY (location_id, item_id, week_start)
);
CREATE INDEX forecast_snapshots_week ON forecast_snapshots(week_start);
)SQL"},
      {13, "cycle counts: ABC classes, counts, their lines, entries and photos", R"SQL(
-- ABC classes per location (src/counts/counts.hpp): from 12 months of units sold x unit cost,
-- recomputed weekly or on demand; count_class_runs says when and with which cut-offs. A pin
-- keeps an item in a class whatever its value says.
CREATE TABLE count_class_runs (
  location_id  TEXT PRIMARY KEY REFERENCES locations(id),
  computed_at  INTEGER NOT NULL,
  period_from  INTEGER NOT NULL,
  period_to    INTEGER NOT NULL,
  a_percent    INTEGER NOT NULL,
  b_percent    INTEGER NOT NULL,
  total_value  INTEGER NOT NULL,
  items        INTEGER NOT NULL
);
CREATE TABLE count_classes (
  location_id TEXT NOT NULL REFERENCES locations(id),
  item_id     TEXT NOT NULL REFERENCES items(id),
  class       TEXT NOT NULL CHECK (class IN ('A','B','C')),
  units_sold  INTEGER NOT NULL,
  value       INTEGER NOT NULL,
  pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0,1)),
  PRIMARY KEY (location_id, item_id)
);
CREATE INDEX count_classes_class ON count_classes(location_id, class, item_id);
CREATE TABLE count_class_pins (
  location_id TEXT NOT NULL REFERENCES locations(id),
  item_id     TEXT NOT NULL REFERENCES items(id),
  class       TEXT NOT NULL CHECK (class IN ('A','B','C')),
  pinned_at   INTEGER NOT NULL,
  pinned_by   TEXT NOT NULL,
  PRIMARY KEY (location_id, item_id)
);
-- A count: what to count at a location (from the day's plan or an ad-hoc list), counted
-- blind, then approved by someone who counted none of it.
CREATE TABLE counts (
  id             TEXT PRIMARY KEY,
  location_id    TEXT NOT NULL REFERENCES locations(id),
  kind           TEXT NOT NULL CHECK (kind IN ('plan','items','supplier','negative','variance')),
  plan_date      TEXT,
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','approved')),
  request_hash   TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  created_by     TEXT NOT NULL,
  approved_at    INTEGER,
  approved_by    TEXT,
  approved_by_id TEXT
);
CREATE INDEX counts_location ON counts(location_id, created_at);
-- One line per item to count. The final figures are kept when the count is approved: what
-- was counted (the recount's when there was one), the ledger as of counted_at, the variance
-- posted, whether it was within the class's tolerance, and the reason given.
CREATE TABLE count_lines (
  id               TEXT PRIMARY KEY,
  count_id         TEXT NOT NULL REFERENCES counts(id),
  line_no          INTEGER NOT NULL,
  item_id          TEXT NOT NULL REFERENCES items(id),
  class            TEXT NOT NULL CHECK (class IN ('A','B','C')),
  counted          INTEGER,
  counted_at       INTEGER,
  expected         INTEGER,
  variance         INTEGER,
  unit_cost        INTEGER,
  within_tolerance INTEGER CHECK (within_tolerance IN (0,1)),
  reason           TEXT,
  approved_at      INTEGER,
  UNIQUE (count_id, item_id),
  UNIQUE (count_id, line_no)
);
CREATE INDEX count_lines_approved ON count_lines(approved_at);
CREATE INDEX count_lines_item ON count_lines(item_id, approved_at);
-- Each time someone counts a line: the first entry is the count, one by another person the
-- recount. counted_at is the moment it was counted (the phone's clock, or when it arrived).
CREATE TABLE count_entries (
  id           TEXT PRIMARY KEY,
  count_id     TEXT NOT NULL REFERENCES counts(id),
  line_id      TEXT NOT NULL REFERENCES count_lines(id),
  counted      INTEGER NOT NULL CHECK (counted >= 0),
  counted_at   INTEGER NOT NULL,
  counter      TEXT NOT NULL,
  counter_id   TEXT NOT NULL,
  photo_id     TEXT,
  request_hash TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX count_entries_line ON count_entries(line_id, created_at);
CREATE INDEX count_entries_count ON count_entries(count_id);
-- A photo of a damaged or mismatched item, as the data: URL the phone sent (a downscaled
-- JPEG or PNG, at most 512 KB of text).
CREATE TABLE count_photos (
  id           TEXT PRIMARY KEY,
  count_id     TEXT NOT NULL REFERENCES counts(id),
  content_type TEXT NOT NULL,
  data_url     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL
);
)SQL"},
      {14, "the weekly review's actions", R"SQL(
-- What the weekly KPI review decided to do (src/reports/): an owner, a due date, a note,
-- photos of the problem shelf; it comes back in the following weeks' reviews until it is
-- closed with its outcome. `week` is the Monday (YYYY-MM-DD, UTC) of the review it came from.
CREATE TABLE review_actions (
  id           TEXT PRIMARY KEY,
  week         TEXT NOT NULL,
  kpi          TEXT CHECK (kpi IN ('stockout_rate','sell_through','days_of_supply','shrink','gmroi')),
  item_id      TEXT REFERENCES items(id),
  location_id  TEXT REFERENCES locations(id),
  note         TEXT NOT NULL,
  owner_id     TEXT NOT NULL REFERENCES users(id),
  due_on       TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','dropped')),
  outcome      TEXT NOT NULL DEFAULT '',
  request_hash TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL,
  closed_at    INTEGER,
  closed_by    TEXT,
  version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX review_actions_week ON review_actions(week, id);
CREATE INDEX review_actions_status ON review_actions(status, week);
-- A photo is kept in the database as base64 text (both backends, backed up with the shop).
CREATE TABLE review_action_photos (
  id           TEXT PRIMARY KEY,
  action_id    TEXT NOT NULL REFERENCES review_actions(id),
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg','image/png','image/webp')),
  bytes        INTEGER NOT NULL CHECK (bytes > 0),
  data         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL
);
CREATE INDEX review_action_photos_action ON review_action_photos(action_id, id);
)SQL"},
      {15, "versioned mapping tables for imports, exports and webhook payloads", R"SQL(
-- A mapping (src/integrations/mappings.hpp) is never updated: every change is a new version.
-- fields and value_maps are JSON objects of strings (theirs -> ours).
CREATE TABLE mappings (
  name          TEXT NOT NULL,
  version       INTEGER NOT NULL CHECK (version > 0),
  fields        TEXT NOT NULL,
  value_maps    TEXT NOT NULL,
  reviewed_on   TEXT,
  changed_by    TEXT NOT NULL,
  changed_by_id TEXT NOT NULL,
  changed_at    INTEGER NOT NULL,
  PRIMARY KEY (name, version)
);
)SQL"},
      {16, "outbound webhooks: endpoints, messages, delivery attempts, alerts", R"SQL(
-- Outbound webhooks (src/integrations/webhooks.hpp, docs/webhooks.md). An endpoint reads the
-- outbox (events) and the ledger (stock_movements, for stock.changed) from its own cursors;
-- a message gets a row only when it must wait (a retry), gave up (the dead-letter queue) or
-- was put back (a replay). Secrets are sealed under the shop key (platform/secret_box.hpp);
-- the old one signs on until previous_until.
CREATE TABLE webhook_endpoints (
  id                TEXT PRIMARY KEY,
  url               TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  owner             TEXT NOT NULL,
  event_types       TEXT NOT NULL,
  secret            TEXT NOT NULL,
  previous_secret   TEXT,
  previous_until    INTEGER,
  status            TEXT NOT NULL CHECK (status IN ('active','disabled')),
  disabled_reason   TEXT,
  failing_since     INTEGER,
  last_delivered_at INTEGER,
  event_cursor      INTEGER NOT NULL,
  stock_cursor      INTEGER NOT NULL,
  lease_owner       TEXT,
  lease_until       INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  version           INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE webhook_messages (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL,
  endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id),
  event_type      TEXT NOT NULL,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending','delivered','dead')),
  tries           INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  last_error_tag  TEXT,
  dead_at         INTEGER
);
CREATE UNIQUE INDEX webhook_messages_id ON webhook_messages(endpoint_id, id);
CREATE INDEX webhook_messages_pending ON webhook_messages(endpoint_id, status, seq);
CREATE INDEX webhook_messages_dead ON webhook_messages(status, dead_at);
CREATE TABLE webhook_attempts (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id       TEXT NOT NULL,
  endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id),
  event_type       TEXT NOT NULL,
  attempt          INTEGER NOT NULL,
  at               INTEGER NOT NULL,
  http_status      INTEGER,
  latency_ms       INTEGER NOT NULL,
  error_tag        TEXT,
  outcome          TEXT NOT NULL CHECK (outcome IN ('delivered','retry','dead')),
  response_excerpt TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts(endpoint_id, seq);
CREATE INDEX webhook_attempts_at ON webhook_attempts(at);
-- Failures grouped by endpoint and error tag, with the endpoint's owner; one open alert per pair.
CREATE TABLE alerts (
  id              TEXT PRIMARY KEY,
  endpoint_id     TEXT NOT NULL REFERENCES webhook_endpoints(id),
  owner           TEXT NOT NULL,
  error_tag       TEXT NOT NULL,
  count           INTEGER NOT NULL,
  first_at        INTEGER NOT NULL,
  last_at         INTEGER NOT NULL,
  last_detail     TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL CHECK (status IN ('open','acknowledged','resolved')),
  acknowledged_by TEXT,
  acknowledged_at INTEGER,
  resolved_by     TEXT,
  resolved_at     INTEGER,
  note            TEXT
);
CREATE UNIQUE INDEX alerts_unresolved ON alerts(endpoint_id, error_tag) WHERE status <> 'resolved';
CREATE INDEX alerts_status ON alerts(status, last_at);
)SQL"},
      {17, "the stored answers of idempotent requests", R"SQL(
-- platform/idempotency.hpp: an Idempotency-Key's first 2xx answer, per caller, kept 24 h.
CREATE TABLE idempotent_requests (
  caller          TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  method          TEXT NOT NULL,
  path            TEXT NOT NULL,
  request_hash    TEXT NOT NULL,
  status          INTEGER NOT NULL,
  content_type    TEXT NOT NULL,
  headers         TEXT NOT NULL,
  body            TEXT NOT NULL,
  sealed          INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (caller, idempotency_key)
);
CREATE INDEX idempotent_requests_age ON idempotent_requests(created_at);
)SQL"},
      {18, "click-and-collect: online orders, their lines and the stock they hold", R"SQL(
-- A hold (src/stock/holds.hpp) is one online order line's claim on stock at its store, made
-- when the order is paid: `held` units of `quantity` (held < quantity: the line is short).
-- stock_balances.reserved = active reservations + every hold's held (backroom check).
CREATE TABLE stock_holds (
  id          TEXT PRIMARY KEY,                  -- the order line's id
  order_id    TEXT NOT NULL,
  item_id     TEXT NOT NULL REFERENCES items(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  held        INTEGER NOT NULL CHECK (held >= 0 AND held <= quantity),
  status      TEXT NOT NULL CHECK (status IN ('active','short','released','collected')),
  paid_at     INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX stock_holds_account ON stock_holds(item_id, location_id, status, paid_at);
CREATE INDEX stock_holds_order ON stock_holds(order_id);

-- Online orders (src/orders/): numbered ON-000123 per shop, picked in the store, staged,
-- collected with their pickup code as a sale. Money in minor units, quantities in milli-units.
CREATE TABLE online_orders (
  id             TEXT PRIMARY KEY,
  number         INTEGER NOT NULL UNIQUE,
  channel        TEXT NOT NULL,
  external_id    TEXT,
  location_id    TEXT NOT NULL REFERENCES locations(id),
  status         TEXT NOT NULL CHECK (status IN ('open','picking','ready','collected','cancelled','expired')),
  promised_at    INTEGER NOT NULL,
  customer_name  TEXT NOT NULL DEFAULT '',
  customer_phone TEXT NOT NULL DEFAULT '',
  customer_email TEXT NOT NULL DEFAULT '',
  pickup_code    TEXT NOT NULL UNIQUE,
  total          INTEGER NOT NULL CHECK (total >= 0),
  paid_at        INTEGER,
  staging_spot   TEXT,
  sale_id        TEXT,
  refund_due     INTEGER NOT NULL DEFAULT 0 CHECK (refund_due >= 0),
  refunded_at    INTEGER,
  refunded_by    TEXT,
  request_hash   TEXT NOT NULL,
  created_by     TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE UNIQUE INDEX online_orders_external ON online_orders(channel, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX online_orders_queue ON online_orders(location_id, status, promised_at);
CREATE INDEX online_orders_expiry ON online_orders(status, promised_at);
CREATE TABLE online_order_lines (
  id         TEXT PRIMARY KEY,
  order_id   TEXT NOT NULL REFERENCES online_orders(id),
  position   INTEGER NOT NULL,
  item_id    TEXT NOT NULL REFERENCES items(id),
  quantity   INTEGER NOT NULL CHECK (quantity > 0),
  unit_price INTEGER NOT NULL CHECK (unit_price >= 0),
  picked     INTEGER NOT NULL DEFAULT 0 CHECK (picked >= 0),
  short      INTEGER NOT NULL DEFAULT 0 CHECK (short >= 0),
  UNIQUE (order_id, position)
);
)SQL"},
      {19, "the availability change feed; web shops that send orders by webhook, and their delivery log", R"SQL(
-- One row per item x location whose availability changed, renumbered on every change, so
-- reading after a cursor gives each changed pair once (coalesced; src/stock/holds.hpp).
CREATE TABLE availability_changes (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  item_id     TEXT NOT NULL,
  location_id TEXT NOT NULL,
  changed_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX availability_changes_pair ON availability_changes(item_id, location_id);

-- Web shops that send their orders by webhook (src/orders/channels.hpp): the HMAC secret
-- sealed under the shop key (platform/secret_box.hpp) and the store their orders are
-- collected at; every delivery, accepted or refused, in the delivery log.
CREATE TABLE order_channels (
  channel     TEXT PRIMARY KEY CHECK (channel IN ('shopify','woocommerce')),
  secret      TEXT NOT NULL,
  location_id TEXT NOT NULL REFERENCES locations(id),
  updated_by  TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE TABLE order_channel_deliveries (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  channel     TEXT NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('created','replayed','refused')),
  http_status INTEGER NOT NULL,
  detail      TEXT NOT NULL DEFAULT '',
  order_id    TEXT,
  body_hash   TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX order_channel_deliveries_channel ON order_channel_deliveries(channel, seq);
)SQL"},
      {20, "daily demand kept in key order (a table without rowids): the year a suggestion reads is one sequential walk", R"SQL(
-- A suggestion for 100,000 items reads 12 million day rows by (location, item, day). In a rowid
-- table each row read through the key index was a second lookup (docs/performance.md).
CREATE TABLE demand_history_by_key (
  location_id TEXT NOT NULL REFERENCES locations(id),
  item_id     TEXT NOT NULL REFERENCES items(id),
  day         TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('ledger','import')),
  units       INTEGER NOT NULL,
  censored    INTEGER NOT NULL DEFAULT 0 CHECK (censored IN (0,1)),
  promo       INTEGER NOT NULL DEFAULT 0 CHECK (promo IN (0,1)),
  PRIMARY KEY (location_id, item_id, day, source)
) WITHOUT ROWID;
INSERT INTO demand_history_by_key (location_id, item_id, day, source, units, censored, promo)
  SELECT location_id, item_id, day, source, units, censored, promo FROM demand_history;
DROP TABLE demand_history;
ALTER TABLE demand_history_by_key RENAME TO demand_history;
CREATE INDEX demand_history_day ON demand_history(source, day);
)SQL"},
      {21, "the catalog change feed: items (with barcodes and prices), scheduled price changes, tax", R"SQL(
-- One row per changed entity, renumbered on every change, so reading after a cursor gives
-- each changed entity once, in the order of its last change (src/catalog/changes.hpp).
-- Written in the transaction of the change; the reader sends the entity as it is now.
CREATE TABLE catalog_changes (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  entity     TEXT NOT NULL CHECK (entity IN ('item','price_change','tax')),
  key        TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX catalog_changes_entity ON catalog_changes(entity, key);
-- A shop upgraded to this version starts its feed with every item and the tax table.
INSERT INTO catalog_changes (entity, key, changed_at) SELECT 'item', id, updated_at FROM items ORDER BY id;
INSERT INTO catalog_changes (entity, key, changed_at)
  SELECT 'price_change', id, requested_at FROM price_changes WHERE status IN ('pending','approved') ORDER BY id;
INSERT INTO catalog_changes (entity, key, changed_at) VALUES ('tax', 'tax', 0);
)SQL"},
      {22, "store nodes that sync with head office", R"SQL(
-- A store node (src/sync/): one store's own server, authenticated by an API key of role
-- store_node scoped to its location. last_sync_at and queue_length are what the node last
-- reported when it pulled the feed.
CREATE TABLE sync_nodes (
  id           TEXT PRIMARY KEY,
  location_id  TEXT NOT NULL REFERENCES locations(id),
  key_id       TEXT NOT NULL REFERENCES api_keys(id),
  created_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL,
  last_sync_at INTEGER,
  queue_length INTEGER NOT NULL DEFAULT 0 CHECK (queue_length >= 0)
);
CREATE INDEX sync_nodes_location ON sync_nodes(location_id);
CREATE UNIQUE INDEX sync_nodes_key ON sync_nodes(key_id);
-- The documents a node pushed (its sales, voids, returns, exchanges as its event feed has
-- them), each once: the document's event id is the key. Received and kept; not yet posted
-- into head office's own sales and stock (docs/sync.md).
CREATE TABLE sync_documents (
  id          TEXT PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES sync_nodes(id),
  location_id TEXT NOT NULL,
  type        TEXT NOT NULL,
  entity_id   TEXT NOT NULL,
  payload     TEXT NOT NULL,
  node_at     INTEGER NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX sync_documents_node ON sync_documents(node_id, received_at);
)SQL"},
      {23, "receipt-number blocks reserved by a register for selling offline", R"SQL(
-- A register reserves a block of its receipt numbers in advance (registers.next_receipt jumps
-- past it), so a browser register that cannot reach the server numbers its sales from the
-- block. Each number of a block is used by at most one sale (receipt_block_uses); the numbers
-- not used are listed with the block (docs/offline-register.md), so a gap is explained.
CREATE TABLE receipt_blocks (
  id           TEXT PRIMARY KEY,
  register_id  TEXT NOT NULL REFERENCES registers(id),
  first_number INTEGER NOT NULL CHECK (first_number >= 1),
  last_number  INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL,
  CHECK (last_number >= first_number)
);
CREATE INDEX receipt_blocks_register ON receipt_blocks(register_id, first_number);
CREATE TABLE receipt_block_uses (
  block_id TEXT NOT NULL REFERENCES receipt_blocks(id),
  number   INTEGER NOT NULL,
  sale_id  TEXT NOT NULL UNIQUE,
  PRIMARY KEY (block_id, number)
);
)SQL"},
      {24, "click-and-collect substitutions: offers a customer accepts or declines by link", R"SQL(
-- A short line may be offered a substitute (src/orders/, docs/orders.md). The customer answers
-- through a link carrying a token; only the token's SHA-256 is kept. An accepted offer adds
-- a line that substitutes the short one: `credit` is what the customer paid for the short
-- units it replaces, so the price difference is the new line's amount less its credit.
ALTER TABLE online_order_lines ADD COLUMN substitute_for TEXT;
ALTER TABLE online_order_lines ADD COLUMN credit INTEGER NOT NULL DEFAULT 0;
CREATE TABLE online_order_substitutions (
  id          TEXT PRIMARY KEY,
  order_id    TEXT NOT NULL REFERENCES online_orders(id),
  line_id     TEXT NOT NULL REFERENCES online_order_lines(id),
  item_id     TEXT NOT NULL REFERENCES items(id),
  quantity    INTEGER NOT NULL CHECK (quantity > 0),
  unit_price  INTEGER NOT NULL CHECK (unit_price >= 0),
  credit      INTEGER NOT NULL CHECK (credit >= 0),
  token_hash  TEXT NOT NULL UNIQUE,
  status      TEXT NOT NULL CHECK (status IN ('offered','accepted','declined','withdrawn')),
  offered_at  INTEGER NOT NULL,
  offered_by  TEXT NOT NULL,
  decided_at  INTEGER,
  new_line_id TEXT
);
CREATE INDEX online_order_substitutions_order ON online_order_substitutions(order_id, offered_at);
)SQL"},
      {25, "the cutover checklist: what must be true before a shop sells on Backroom alone", R"SQL(
-- Five fixed tasks of the rollout (src/reports/cutover.hpp): each with an owner, a date and
-- done; what the shop's own data says of each is computed when the list is read.
CREATE TABLE cutover_tasks (
  key        TEXT PRIMARY KEY,
  position   INTEGER NOT NULL,
  owner_id   TEXT REFERENCES users(id),
  due_on     TEXT,
  done_at    INTEGER,
  done_by    TEXT,
  note       TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);
INSERT INTO cutover_tasks (key, position, updated_at) VALUES
  ('item_master', 1, 0), ('labels', 2, 0), ('registers', 3, 0), ('first_count', 4, 0), ('backup', 5, 0);
)SQL"},
      {26, "training attempts: who took which five-minute module, the steps seen and the quiz score", R"SQL(
-- One row per finished attempt (src/training/modules.hpp grades it); a person is certified for
-- a module by any passed attempt. Modules themselves are data in the binary, not rows.
CREATE TABLE training_attempts (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id),
  module      TEXT NOT NULL,
  score       INTEGER NOT NULL CHECK (score >= 0),
  total       INTEGER NOT NULL CHECK (total > 0 AND score <= total),
  passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
  steps_done  TEXT NOT NULL DEFAULT '',
  at          INTEGER NOT NULL
);
CREATE INDEX training_attempts_user ON training_attempts(user_id, module);
)SQL"},
      {27, "ABC classes at chain size: units sold per stock account and month kept with the ledger (a year is 12 rows an item); class rows without rowids", R"SQL(
-- Kept in the movement's transaction by stock::post_movements for the reasons sale, void
-- and return (units = minus their quantity: sold is positive). month = year * 100 + month of
-- the movement's `at` in UTC. `backroom check` compares it with the ledger per account.
-- The backfill below derives the UTC month of each day that has sales from `at`
-- (microseconds) in integer arithmetic both dialects share (H. Hinnant's civil_from_days),
-- once per distinct day (materialized: inlined, the nested expressions cost 4x the sort).
CREATE TABLE stock_sold_months (
  account INTEGER NOT NULL,
  month   INTEGER NOT NULL,
  units   INTEGER NOT NULL,
  PRIMARY KEY (account, month)
) WITHOUT ROWID;
WITH days AS MATERIALIZED (SELECT DISTINCT at / 86400000000 AS day FROM stock_movements
                           WHERE reason IN ('sale', 'void', 'return')),
     eras AS MATERIALIZED (SELECT day, (day + 719468) / 146097 AS era,
                                  (day + 719468) - ((day + 719468) / 146097) * 146097 AS doe FROM days),
     years AS MATERIALIZED (SELECT day, era, doe, (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 AS yoe FROM eras),
     parts AS MATERIALIZED (SELECT day, yoe + era * 400 AS y, (5 * (doe - (365 * yoe + yoe / 4 - yoe / 100)) + 2) / 153 AS mp
                            FROM years),
     months AS MATERIALIZED (SELECT day, (CASE WHEN mp < 10 THEN y ELSE y + 1 END) * 100
                                         + (CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END) AS month FROM parts)
INSERT INTO stock_sold_months (account, month, units)
SELECT m.account, months.month, -SUM(m.quantity) FROM stock_movements m JOIN months ON months.day = m.at / 86400000000
WHERE m.reason IN ('sale', 'void', 'return') GROUP BY m.account, months.month;

-- The class rows in their key's order, without rowids, and without the index by class: a
-- weekly recompute rewrites every row of a location, and each index is one more b-tree to
-- write (100,000 items: 0.84 s of writing with the rowid table and its index, 0.43 s without).
-- The day's list reads a location's classes once and sorts them (ORDER BY class, item_id).
CREATE TABLE count_classes_by_key (
  location_id TEXT NOT NULL REFERENCES locations(id),
  item_id     TEXT NOT NULL REFERENCES items(id),
  class       TEXT NOT NULL CHECK (class IN ('A','B','C')),
  units_sold  INTEGER NOT NULL,
  value       INTEGER NOT NULL,
  pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0,1)),
  PRIMARY KEY (location_id, item_id)
) WITHOUT ROWID;
INSERT INTO count_classes_by_key (location_id, item_id, class, units_sold, value, pinned)
  SELECT location_id, item_id, class, units_sold, value, pinned FROM count_classes;
DROP TABLE count_classes;
ALTER TABLE count_classes_by_key RENAME TO count_classes;
)SQL"},
      {28, "item photos and shelf places: what a picker looks for, and where", R"SQL(
-- One photo an item (src/catalog/photo.hpp): the bytes as base64 text, the type, and an ETag
-- of the bytes for GET /api/v1/items/{id}/photo. Kept apart from items so reading an item
-- never reads its picture.
CREATE TABLE item_photos (
  item_id      TEXT PRIMARY KEY REFERENCES items(id),
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  data         TEXT NOT NULL,
  bytes        INTEGER NOT NULL CHECK (bytes > 0),
  etag         TEXT NOT NULL,
  updated_at   INTEGER NOT NULL,
  updated_by   TEXT NOT NULL
);
-- Where an item sits in a location: a shelf name the shop chooses (src/stock/shelves.hpp).
CREATE TABLE item_shelves (
  item_id     TEXT NOT NULL REFERENCES items(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  shelf       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL,
  updated_by  TEXT NOT NULL,
  PRIMARY KEY (location_id, item_id)
) WITHOUT ROWID;
)SQL"},
      {29, "daily demand packed by month: a year of an item is about 13 short rows, not 365 day rows", R"SQL(
-- A suggestion for a supplier's 100,000 items read 12 million day rows of two 36-character
-- ids and a date each (docs/performance.md, "Replenishment through the store"). One row per
-- location, item, calendar month (year * 100 + month) and source now holds the month's days
-- as `day:units[:flags]` entries joined by ';' (day of the month, milli-units, c = censored,
-- p = promotion), e.g. '3:2000;7:1000:c'; src/planning/planning_store.cpp reads and writes
-- them. The conversion's aggregate does not promise the entries' order; readers sort.
CREATE TABLE demand_months (
  location_id TEXT NOT NULL REFERENCES locations(id),
  item_id     TEXT NOT NULL REFERENCES items(id),
  month       INTEGER NOT NULL CHECK (month % 100 BETWEEN 1 AND 12),
  source      TEXT NOT NULL CHECK (source IN ('ledger','import')),
  days        TEXT NOT NULL CHECK (days <> ''),
  PRIMARY KEY (location_id, item_id, month, source)
) WITHOUT ROWID;
INSERT INTO demand_months (location_id, item_id, month, source, days)
  SELECT location_id, item_id, CAST(substr(day, 1, 4) AS INTEGER) * 100 + CAST(substr(day, 6, 2) AS INTEGER), source,
         group_concat(CAST(CAST(substr(day, 9, 2) AS INTEGER) AS TEXT) || ':' || CAST(units AS TEXT) ||
                      CASE WHEN censored = 1 AND promo = 1 THEN ':cp' WHEN censored = 1 THEN ':c'
                           WHEN promo = 1 THEN ':p' ELSE '' END, ';')
  FROM demand_history
  GROUP BY location_id, item_id, CAST(substr(day, 1, 4) AS INTEGER) * 100 + CAST(substr(day, 6, 2) AS INTEGER), source;
DROP TABLE demand_history;
CREATE INDEX demand_months_source ON demand_months(source, month);
)SQL"},
      {30, "documents a store node pushed are posted into head office's stock; conflicts are kept", R"SQL(
-- A pushed document now carries the stock movements it made at the node (docs/sync.md).
-- Head office posts them at the node's store as document type 'node_document' (the id is the
-- row here) and keeps what the node sent in `movements`. `status`: 'kept' (pushed before this
-- migration, or a document that moves no stock), 'posted', 'rejected' (not posted; its
-- conflict says why).
ALTER TABLE sync_documents ADD COLUMN movements TEXT;
ALTER TABLE sync_documents ADD COLUMN status TEXT NOT NULL DEFAULT 'kept' CHECK (status IN ('kept','posted','rejected'));
CREATE TABLE sync_conflicts (
  id          TEXT PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES sync_nodes(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  document_id TEXT NOT NULL REFERENCES sync_documents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('price_difference','negative_stock','held_unit_sold','rejected')),
  item_id     TEXT,
  detail      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open','resolved')),
  resolved_at INTEGER,
  resolved_by TEXT,
  note        TEXT
);
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
)SQL"},
      {31, "webhook payloads through the mapping tables: the endpoint's mapping, and the version each attempt used", R"SQL(
-- docs/webhooks.md, "Mapped payloads". mapping names a mapping table (mappings.name);
-- NULL: deliveries in Backroom's own words. An attempt keeps the table's name and version it
-- was rewritten with, and how many values of mapped fields the table did not name.
ALTER TABLE webhook_endpoints ADD COLUMN mapping TEXT;
ALTER TABLE webhook_attempts ADD COLUMN mapping_name TEXT;
ALTER TABLE webhook_attempts ADD COLUMN mapping_version INTEGER;
ALTER TABLE webhook_attempts ADD COLUMN mapping_unmapped INTEGER;
)SQL"},
      {32, "change requests: a store node's edits of master data, sent to head office for a person to apply or reject", R"SQL(
-- docs/sync.md, "Change requests". One table on both sides: on a node, node_id is NULL and
-- sent_at says head office acknowledged the request; at head office, node_id and location_id
-- name the node that sent it. status is decided at head office and learnt back by the node.
CREATE TABLE sync_change_requests (
  id            TEXT PRIMARY KEY,
  node_id       TEXT REFERENCES sync_nodes(id),
  location_id   TEXT REFERENCES locations(id),
  method        TEXT NOT NULL,
  path          TEXT NOT NULL,
  query         TEXT NOT NULL,
  route         TEXT NOT NULL,
  permission    TEXT NOT NULL,
  action        TEXT NOT NULL,
  content_type  TEXT NOT NULL,
  if_match      TEXT,
  body          TEXT NOT NULL,
  subject       TEXT NOT NULL,
  requested_by  TEXT NOT NULL,
  requested_at  INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending','applied','rejected')),
  decided_at    INTEGER,
  decided_by    TEXT,
  note          TEXT,
  result_status INTEGER,
  sent_at       INTEGER
);
CREATE INDEX sync_change_requests_status ON sync_change_requests(status, id);
CREATE INDEX sync_change_requests_node ON sync_change_requests(node_id, id);
)SQL"},
      {33, "availability changes keep their balance's numbers: the delta reads no balances", R"SQL(
-- The delta of the availability feed read each changed pair's balance by a join, a random
-- seek into a million balance rows per change (docs/performance.md, "The delta without the
-- balances"). The change row now keeps on hand and reserved as they were when it was noted
-- (stock::note_availability_change, in the transaction that changed the balance), so the
-- newest row of a pair is its balance; `backroom check` proves it.
ALTER TABLE availability_changes ADD COLUMN on_hand INTEGER NOT NULL DEFAULT 0;
ALTER TABLE availability_changes ADD COLUMN reserved INTEGER NOT NULL DEFAULT 0;
UPDATE availability_changes SET
  on_hand = COALESCE((SELECT b.on_hand FROM stock_balances b
                      WHERE b.item_id = availability_changes.item_id AND b.location_id = availability_changes.location_id), 0),
  reserved = COALESCE((SELECT b.reserved FROM stock_balances b
                       WHERE b.item_id = availability_changes.item_id AND b.location_id = availability_changes.location_id), 0);
)SQL"},
      {34, "customers: a customer master with contact data sealed and found by a keyed blind index", R"SQL(
-- src/customers/. number: C-000123 to people, gap-free (the single writer numbers them).
-- phone (E.164) and email are sealed under the shop key (platform/secret_box.hpp, "sb1:...");
-- phone_index and email_index are keyed blind indexes of the normalised values, for exact
-- look-up without the clear text. No card data: names and notes pass the card-number guard.
CREATE TABLE customers (
  id                   TEXT PRIMARY KEY,
  number               INTEGER NOT NULL UNIQUE CHECK (number > 0),
  name                 TEXT NOT NULL CHECK (name <> ''),
  name_key             TEXT NOT NULL,
  phone                TEXT,
  phone_index          TEXT UNIQUE,
  email                TEXT,
  email_index          TEXT UNIQUE,
  note                 TEXT NOT NULL DEFAULT '',
  marketing_consent    INTEGER NOT NULL DEFAULT 0 CHECK (marketing_consent IN (0,1)),
  marketing_consent_at INTEGER,
  version              INTEGER NOT NULL,
  created_at           INTEGER NOT NULL,
  updated_at           INTEGER NOT NULL,
  CHECK ((phone IS NULL) = (phone_index IS NULL)),
  CHECK ((email IS NULL) = (email_index IS NULL))
);
CREATE INDEX customers_name ON customers(name_key, id);
)SQL"},
      // Existing orders stay unlinked: matching needs the shop key's blind indexes, which SQL
      // here cannot make (`backroom customers link-orders`; docs/operations.md, "Encryption at rest").
      {35, "online orders name their customer in the customer master", R"SQL(
ALTER TABLE online_orders ADD COLUMN customer_id TEXT REFERENCES customers(id);
CREATE INDEX online_orders_customer ON online_orders(customer_id, number);
)SQL"},
      {36, "hybrid logical clocks: a store node stamps its queued documents; head office keeps the stamps and orders by them", R"SQL(
-- docs/sync.md, "Clocks". A stamp is sync/hlc.hpp's packed (l, c): l the milliseconds, c the
-- count of events at that l; it sorts as a number. events.hlc: the stamp a store node gave a
-- document it queued (NULL on head office and for other events). sync_documents.hlc: the
-- stamp the node sent (NULL from a node without clocks). sync_conflicts.hlc: the order of
-- conflicts, the document's stamp or head office's own at arrival (0 before this migration).
ALTER TABLE events ADD COLUMN hlc INTEGER;
ALTER TABLE sync_documents ADD COLUMN hlc INTEGER;
ALTER TABLE sync_conflicts ADD COLUMN hlc INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sync_conflicts_hlc ON sync_conflicts(hlc, id);
)SQL"},
      {37, "head office finds a store node's documents of one type (its cash-ups) without reading them all", R"SQL(
-- GET /api/v1/sync/cash-ups reads the register.closed documents the nodes pushed, newest first.
CREATE INDEX sync_documents_type ON sync_documents(type, node_at, id);
)SQL"},
      {38, "price changes may be flagged a promotion and carry an end, when the price goes back", R"SQL(
-- A flagged change is a promotion even at the same price (a display or end-cap promotion).
-- ends_at: the time the price goes back to what it was before the change (old_price); the
-- scheduler writes ended_at when it has. The status stays 'applied' (the API says 'ended').
ALTER TABLE price_changes ADD COLUMN promotion INTEGER NOT NULL DEFAULT 0 CHECK (promotion IN (0,1));
ALTER TABLE price_changes ADD COLUMN ends_at INTEGER;
ALTER TABLE price_changes ADD COLUMN ended_at INTEGER;
CREATE INDEX price_changes_ends ON price_changes(ends_at) WHERE ends_at IS NOT NULL AND ended_at IS NULL;
)SQL"},
      {39, "the KPI report's days packed by month beside the ledger, kept by its writers: a year of an item at a site is about 13 short rows", R"SQL(
-- src/stock/kpi_days.hpp has the format and who keeps what. stock_day_months: per stock
-- account and UTC calendar month (year * 100 + month), entries 'day:change[:reason=lost,...]'
-- (day = at / 86400000000; change = the day's net movement; lost = negative adjustments and
-- counts by reason). sales_day_months: per location, item and month, entries
-- 'day:sold:net:lines' of completed non-training sale lines on the sale's day and
-- non-training return lines on the return's day. The backfill below makes both from the
-- ledger so an upgraded shop reports what it did before; the month of a day is worked out
-- as migration 27 does (H. Hinnant's civil_from_days), once per distinct day. The
-- aggregates do not promise the entries' order; readers sort.
CREATE TABLE stock_day_months (
  account INTEGER NOT NULL,
  month   INTEGER NOT NULL CHECK (month % 100 BETWEEN 1 AND 12),
  days    TEXT NOT NULL CHECK (days <> ''),
  PRIMARY KEY (account, month)
) WITHOUT ROWID;
CREATE TABLE sales_day_months (
  location_id TEXT NOT NULL,
  item_id     TEXT NOT NULL,
  month       INTEGER NOT NULL CHECK (month % 100 BETWEEN 1 AND 12),
  days        TEXT NOT NULL CHECK (days <> ''),
  PRIMARY KEY (location_id, item_id, month)
) WITHOUT ROWID;
CREATE TABLE kpi_day_month_of (
  day   INTEGER PRIMARY KEY,
  month INTEGER NOT NULL
);
WITH days AS MATERIALIZED (SELECT DISTINCT at / 86400000000 AS day FROM stock_movements
                           UNION SELECT created_at / 86400000000 FROM sales
                           UNION SELECT created_at / 86400000000 FROM returns),
     eras AS MATERIALIZED (SELECT day, (day + 719468) / 146097 AS era,
                                  (day + 719468) - ((day + 719468) / 146097) * 146097 AS doe FROM days),
     years AS MATERIALIZED (SELECT day, era, doe, (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 AS yoe FROM eras),
     parts AS MATERIALIZED (SELECT day, yoe + era * 400 AS y, (5 * (doe - (365 * yoe + yoe / 4 - yoe / 100)) + 2) / 153 AS mp
                            FROM years)
INSERT INTO kpi_day_month_of (day, month)
SELECT day, (CASE WHEN mp < 10 THEN y ELSE y + 1 END) * 100 + (CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END) FROM parts;
WITH d AS MATERIALIZED (SELECT account, at / 86400000000 AS day, SUM(quantity) AS change FROM stock_movements
                        GROUP BY account, at / 86400000000),
     r AS MATERIALIZED (SELECT account, at / 86400000000 AS day, reason, -SUM(quantity) AS lost FROM stock_movements
                        WHERE document_type IN ('adjustment', 'count') AND quantity < 0
                        GROUP BY account, at / 86400000000, reason),
     l AS MATERIALIZED (SELECT account, day, group_concat(reason || '=' || CAST(lost AS TEXT), ',') AS losses FROM r
                        GROUP BY account, day)
INSERT INTO stock_day_months (account, month, days)
SELECT d.account, o.month,
       group_concat(CAST(d.day AS TEXT) || ':' || CAST(d.change AS TEXT) || COALESCE(':' || l.losses, ''), ';')
FROM d JOIN kpi_day_month_of o ON o.day = d.day LEFT JOIN l ON l.account = d.account AND l.day = d.day
GROUP BY d.account, o.month;
WITH t AS MATERIALIZED (SELECT s.location_id AS location_id, l.item_id AS item_id, s.created_at / 86400000000 AS day,
                               l.quantity AS units, l.total - l.tax AS net_value
                        FROM sales s JOIN sale_lines l ON l.sale_id = s.id WHERE s.status = 'completed' AND s.training = 0
                        UNION ALL
                        SELECT r.location_id, rl.item_id, r.created_at / 86400000000, -rl.quantity, -(rl.refund - rl.tax)
                        FROM returns r JOIN return_lines rl ON rl.return_id = r.id WHERE r.training = 0),
     g AS MATERIALIZED (SELECT location_id, item_id, day, SUM(units) AS units, SUM(net_value) AS net, COUNT(*) AS n FROM t
                        GROUP BY location_id, item_id, day)
INSERT INTO sales_day_months (location_id, item_id, month, days)
SELECT g.location_id, g.item_id, o.month,
       group_concat(CAST(g.day AS TEXT) || ':' || CAST(g.units AS TEXT) || ':' || CAST(g.net AS TEXT) || ':' ||
                    CAST(g.n AS TEXT), ';')
FROM g JOIN kpi_day_month_of o ON o.day = g.day
GROUP BY g.location_id, g.item_id, o.month;
DROP TABLE kpi_day_month_of;
)SQL"},
      {40, "a store node keeps the transfers head office ships to its store until its staff receive them", R"SQL(
-- On a store node (src/sync/inbound.hpp): a transfer head office shipped to this node's store,
-- as the change feed brought it (same id and line ids as head office's). Its stock is in
-- transit at head office; receiving it here books what arrived at the store and closes it
-- (what did not arrive is short), and the receipt is pushed as inbound_transfer.received.
CREATE TABLE sync_inbound_transfers (
  id          TEXT PRIMARY KEY,
  number      TEXT NOT NULL,
  from_name   TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  shipped_at  INTEGER NOT NULL,
  arrived_at  INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('in_transit', 'received')),
  location_id TEXT REFERENCES locations(id),
  received_at INTEGER,
  received_by TEXT
);
CREATE INDEX sync_inbound_transfers_status ON sync_inbound_transfers(status, id);
CREATE TABLE sync_inbound_transfer_lines (
  id          TEXT PRIMARY KEY,
  transfer_id TEXT NOT NULL REFERENCES sync_inbound_transfers(id),
  line_no     INTEGER NOT NULL,
  item_id     TEXT NOT NULL,
  sku         TEXT NOT NULL DEFAULT '',
  name        TEXT NOT NULL DEFAULT '',
  shipped     INTEGER NOT NULL CHECK (shipped > 0),
  received    INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
  damaged     INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
  short       INTEGER NOT NULL DEFAULT 0 CHECK (short >= 0),
  UNIQUE (transfer_id, line_no)
);
-- At head office, the change feed carries those transfers (entity 'transfer', stock/stock.hpp):
-- the feed's table is made again with the word allowed, every change keeping its seq (a
-- node's cursor stays where it was).
CREATE TABLE catalog_changes_40 (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  entity     TEXT NOT NULL CHECK (entity IN ('item','price_change','tax','transfer')),
  key        TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
INSERT INTO catalog_changes_40 (seq, entity, key, changed_at) SELECT seq, entity, key, changed_at FROM catalog_changes;
DROP TABLE catalog_changes;
ALTER TABLE catalog_changes_40 RENAME TO catalog_changes;
CREATE UNIQUE INDEX catalog_changes_entity ON catalog_changes(entity, key);
)SQL", R"SQL(
SELECT setval(pg_get_serial_sequence('catalog_changes', 'seq'), COALESCE((SELECT MAX(seq) FROM catalog_changes), 0) + 1, false);
)SQL"},
      {41, "central buying for store nodes: the node keeps head office's purchase orders for its store and receives them", R"SQL(
-- On a store node (src/sync/inbound_orders.hpp): a purchase order head office sent for this
-- node's store, as the change feed brought it (same ids as head office's; no costs). status is
-- the node's view: head office's cancelled or closed, else received when nothing is
-- outstanding, partially_received, sent. Each line's received and damaged are what the node
-- received (head office's figures when the node first learnt of the order).
CREATE TABLE sync_inbound_orders (
  id            TEXT PRIMARY KEY,
  number        TEXT NOT NULL,
  supplier_name TEXT NOT NULL DEFAULT '',
  expected_on   TEXT,
  note          TEXT NOT NULL DEFAULT '',
  sent_at       INTEGER NOT NULL,
  hq_status     TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('sent','partially_received','received','closed','cancelled')),
  arrived_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX sync_inbound_orders_status ON sync_inbound_orders(status, id);
CREATE TABLE sync_inbound_order_lines (
  id        TEXT PRIMARY KEY,
  order_id  TEXT NOT NULL REFERENCES sync_inbound_orders(id),
  line_no   INTEGER NOT NULL,
  item_id   TEXT NOT NULL,
  sku       TEXT NOT NULL DEFAULT '',
  name      TEXT NOT NULL DEFAULT '',
  quantity  INTEGER NOT NULL CHECK (quantity > 0),
  case_pack INTEGER NOT NULL DEFAULT 1000,
  cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
  received  INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
  damaged   INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
  UNIQUE (order_id, line_no)
);
-- Each delivery the node's staff received (pushed as purchase_receipt.received); its
-- movements are document type inbound_po_receipt, document id the receipt's.
CREATE TABLE sync_inbound_order_receipts (
  id          TEXT PRIMARY KEY,
  order_id    TEXT NOT NULL REFERENCES sync_inbound_orders(id),
  number      INTEGER NOT NULL,
  location_id TEXT NOT NULL REFERENCES locations(id),
  at          INTEGER NOT NULL,
  user        TEXT NOT NULL,
  UNIQUE (order_id, number)
);
CREATE TABLE sync_inbound_order_receipt_lines (
  receipt_id TEXT NOT NULL REFERENCES sync_inbound_order_receipts(id),
  line_id    TEXT NOT NULL REFERENCES sync_inbound_order_lines(id),
  received   INTEGER NOT NULL CHECK (received >= 0),
  damaged    INTEGER NOT NULL CHECK (damaged >= 0),
  PRIMARY KEY (receipt_id, line_id)
);
-- At head office, the change feed carries those orders (entity 'purchase_order'), and a
-- receipt for an order head office cancelled or closed meanwhile is a conflict of its own
-- (po_not_receivable): both tables made again with the word allowed, keeping every row (the
-- feed's seq too, so a node's cursor stays where it was).
CREATE TABLE catalog_changes_41 (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  entity     TEXT NOT NULL CHECK (entity IN ('item','price_change','tax','transfer','purchase_order')),
  key        TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
INSERT INTO catalog_changes_41 (seq, entity, key, changed_at) SELECT seq, entity, key, changed_at FROM catalog_changes;
DROP TABLE catalog_changes;
ALTER TABLE catalog_changes_41 RENAME TO catalog_changes;
CREATE UNIQUE INDEX catalog_changes_entity ON catalog_changes(entity, key);
CREATE TABLE sync_conflicts_41 (
  id          TEXT PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES sync_nodes(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  document_id TEXT NOT NULL REFERENCES sync_documents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('price_difference','negative_stock','held_unit_sold','rejected','po_not_receivable')),
  item_id     TEXT,
  detail      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open','resolved')),
  resolved_at INTEGER,
  resolved_by TEXT,
  note        TEXT,
  hlc         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_conflicts_41 (id, node_id, location_id, document_id, kind, item_id, detail, created_at, status,
                               resolved_at, resolved_by, note, hlc)
SELECT id, node_id, location_id, document_id, kind, item_id, detail, created_at, status, resolved_at, resolved_by,
       note, hlc FROM sync_conflicts;
DROP TABLE sync_conflicts;
ALTER TABLE sync_conflicts_41 RENAME TO sync_conflicts;
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
CREATE INDEX sync_conflicts_hlc ON sync_conflicts(hlc, id);
)SQL", R"SQL(
SELECT setval(pg_get_serial_sequence('catalog_changes', 'seq'), COALESCE((SELECT MAX(seq) FROM catalog_changes), 0) + 1, false);
)SQL"},
      {42, "a store node ships to head office's locations: destinations in the feed, shipments pushed", R"SQL(
-- At head office, the change feed carries its sites (entity 'location': stores, backrooms,
-- warehouses) as the places a store node may ship to (sync/outbound.hpp); the feed's table is
-- made again with the word allowed, every change keeping its seq, and every site there is now
-- is noted after the last change (oldest location first).
CREATE TABLE catalog_changes_42 (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  entity     TEXT NOT NULL CHECK (entity IN ('item','price_change','tax','transfer','purchase_order','location')),
  key        TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
INSERT INTO catalog_changes_42 (seq, entity, key, changed_at) SELECT seq, entity, key, changed_at FROM catalog_changes;
DROP TABLE catalog_changes;
ALTER TABLE catalog_changes_42 RENAME TO catalog_changes;
CREATE UNIQUE INDEX catalog_changes_entity ON catalog_changes(entity, key);
INSERT INTO catalog_changes (seq, entity, key, changed_at)
  SELECT top.seq + ROW_NUMBER() OVER (ORDER BY l.created_at, l.id), 'location', l.id, l.created_at
  FROM locations l CROSS JOIN (SELECT COALESCE(MAX(seq), 0) AS seq FROM catalog_changes) top
  WHERE l.kind IN ('store', 'backroom', 'warehouse');
-- A transfer a node shipped whose destination head office refuses is a conflict of its own
-- kind (the node's out-movement stays booked at its store): the conflicts' table is made
-- again with the word allowed, every row kept.
CREATE TABLE sync_conflicts_42 (
  id          TEXT PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES sync_nodes(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  document_id TEXT NOT NULL REFERENCES sync_documents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('price_difference','negative_stock','held_unit_sold','rejected',
                                            'po_not_receivable','destination_refused')),
  item_id     TEXT,
  detail      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open','resolved')),
  resolved_at INTEGER,
  resolved_by TEXT,
  note        TEXT,
  hlc         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_conflicts_42 (id, node_id, location_id, document_id, kind, item_id, detail, created_at, status,
                               resolved_at, resolved_by, note, hlc)
  SELECT id, node_id, location_id, document_id, kind, item_id, detail, created_at, status, resolved_at, resolved_by,
         note, hlc FROM sync_conflicts;
DROP TABLE sync_conflicts;
ALTER TABLE sync_conflicts_42 RENAME TO sync_conflicts;
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
CREATE INDEX sync_conflicts_hlc ON sync_conflicts(hlc, id);
-- On a store node: head office's sites as the feed brought them, destinations only (no stock
-- is kept for them here); `allowed` is head office's word on whether this node may ship there.
CREATE TABLE sync_destinations (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  allowed    INTEGER NOT NULL CHECK (allowed IN (0, 1)),
  updated_at INTEGER NOT NULL
);
CREATE INDEX sync_destinations_name ON sync_destinations(allowed, name, id);
-- On a store node: a transfer its staff shipped from its store to one of those destinations.
-- The out-movement is in the node's ledger (document type outbound_transfer); the rest is
-- head office's (in transit there, received at the destination), so it has no status here.
CREATE TABLE sync_outbound_transfers (
  id               TEXT PRIMARY KEY,
  number           INTEGER NOT NULL UNIQUE,
  from_location_id TEXT NOT NULL REFERENCES locations(id),
  to_id            TEXT NOT NULL,
  to_name          TEXT NOT NULL,
  note             TEXT NOT NULL DEFAULT '',
  request_hash     TEXT NOT NULL,
  shipped_at       INTEGER NOT NULL,
  shipped_by       TEXT NOT NULL
);
CREATE TABLE sync_outbound_transfer_lines (
  id          TEXT PRIMARY KEY,
  transfer_id TEXT NOT NULL REFERENCES sync_outbound_transfers(id),
  line_no     INTEGER NOT NULL,
  item_id     TEXT NOT NULL REFERENCES items(id),
  shipped     INTEGER NOT NULL CHECK (shipped > 0),
  UNIQUE (transfer_id, line_no)
);
)SQL", R"SQL(
SELECT setval(pg_get_serial_sequence('catalog_changes', 'seq'), COALESCE((SELECT MAX(seq) FROM catalog_changes), 0) + 1, false);
)SQL"},
      {43, "a store node hears when its shipment is received; receipts from a node name its store", R"SQL(
-- On a store node: what head office says became of a shipment (sync/outbound.hpp): its status
-- ('shipped' until the destination received it, then 'received'), when, and each line's
-- received, damaged and short, from head office's feed (entity 'transfer').
ALTER TABLE sync_outbound_transfers ADD COLUMN status TEXT NOT NULL DEFAULT 'shipped';
ALTER TABLE sync_outbound_transfers ADD COLUMN received_at INTEGER;
ALTER TABLE sync_outbound_transfer_lines ADD COLUMN received INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_outbound_transfer_lines ADD COLUMN damaged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_outbound_transfer_lines ADD COLUMN short INTEGER NOT NULL DEFAULT 0;
-- At head office: a receipt a node pushed was recorded "by" the node's key
-- ('apikey:node <node id>'); people see the node's store instead ('<store> (store node)').
UPDATE transfers SET received_by = COALESCE((SELECT l.name || ' (store node)' FROM sync_nodes n
  JOIN locations l ON l.id = n.location_id WHERE 'apikey:node ' || n.id = received_by), received_by)
  WHERE received_by LIKE 'apikey:node %';
UPDATE transfer_receipts SET user = COALESCE((SELECT l.name || ' (store node)' FROM sync_nodes n
  JOIN locations l ON l.id = n.location_id WHERE 'apikey:node ' || n.id = user), user)
  WHERE user LIKE 'apikey:node %';
UPDATE po_receipts SET user = COALESCE((SELECT l.name || ' (store node)' FROM sync_nodes n
  JOIN locations l ON l.id = n.location_id WHERE 'apikey:node ' || n.id = user), user)
  WHERE user LIKE 'apikey:node %';
)SQL"},
      {44, "a transfer in transit may be cancelled: its goods go back to the source", R"SQL(
-- A transfer's status may be 'cancelled' (stock/stock.hpp, cancel_transfer): who, when and why
-- are kept on it, and each line keeps what went back to the source (returned). The status
-- CHECK is part of the table, so the four transfer tables are made again (a table others
-- point at cannot be dropped while they do): the new ones point at each other, the old ones
-- go children first, and the renames keep those references (SQLite rewrites them by name,
-- PostgreSQL keeps them by table). Every row keeps its id and values.
CREATE TABLE transfers_44 (
  id               TEXT PRIMARY KEY,
  number           INTEGER NOT NULL,
  from_location_id TEXT NOT NULL REFERENCES locations(id),
  to_location_id   TEXT NOT NULL REFERENCES locations(id),
  status           TEXT NOT NULL CHECK (status IN ('in_transit','received','cancelled')),
  note             TEXT NOT NULL DEFAULT '',
  request_hash     TEXT NOT NULL,
  shipped_at       INTEGER NOT NULL,
  shipped_by       TEXT NOT NULL,
  received_at      INTEGER,
  received_by      TEXT,
  cancelled_at     INTEGER,
  cancelled_by     TEXT,
  cancel_reason    TEXT,
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
INSERT INTO transfers_44 (id, number, from_location_id, to_location_id, status, note, request_hash, shipped_at,
                          shipped_by, received_at, received_by)
  SELECT id, number, from_location_id, to_location_id, status, note, request_hash, shipped_at, shipped_by,
         received_at, received_by FROM transfers;
CREATE TABLE transfer_lines_44 (
  id          TEXT PRIMARY KEY,
  transfer_id TEXT NOT NULL REFERENCES transfers_44(id),
  line_no     INTEGER NOT NULL,
  item_id     TEXT NOT NULL REFERENCES items(id),
  shipped     INTEGER NOT NULL CHECK (shipped > 0),
  received    INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
  damaged     INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
  short       INTEGER NOT NULL DEFAULT 0 CHECK (short >= 0),
  returned    INTEGER NOT NULL DEFAULT 0 CHECK (returned >= 0),
  UNIQUE (transfer_id, line_no)
);
INSERT INTO transfer_lines_44 (id, transfer_id, line_no, item_id, shipped, received, damaged, short)
  SELECT id, transfer_id, line_no, item_id, shipped, COALESCE(received, 0), COALESCE(damaged, 0), short
  FROM transfer_lines;
CREATE TABLE transfer_receipts_44 (
  id           TEXT PRIMARY KEY,
  transfer_id  TEXT NOT NULL REFERENCES transfers_44(id),
  number       INTEGER NOT NULL,
  closes       INTEGER NOT NULL CHECK (closes IN (0,1)),
  request_hash TEXT NOT NULL,
  at           INTEGER NOT NULL,
  user         TEXT NOT NULL,
  UNIQUE (transfer_id, number)
);
INSERT INTO transfer_receipts_44 (id, transfer_id, number, closes, request_hash, at, user)
  SELECT id, transfer_id, number, closes, request_hash, at, user FROM transfer_receipts;
CREATE TABLE transfer_receipt_lines_44 (
  receipt_id TEXT NOT NULL REFERENCES transfer_receipts_44(id),
  line_id    TEXT NOT NULL REFERENCES transfer_lines_44(id),
  received   INTEGER NOT NULL CHECK (received >= 0),
  damaged    INTEGER NOT NULL CHECK (damaged >= 0),
  short      INTEGER NOT NULL CHECK (short >= 0),
  PRIMARY KEY (receipt_id, line_id)
);
INSERT INTO transfer_receipt_lines_44 (receipt_id, line_id, received, damaged, short)
  SELECT receipt_id, line_id, received, damaged, short FROM transfer_receipt_lines;
DROP TABLE transfer_receipt_lines;
DROP TABLE transfer_receipts;
DROP TABLE transfer_lines;
DROP TABLE transfers;
ALTER TABLE transfers_44 RENAME TO transfers;
ALTER TABLE transfer_lines_44 RENAME TO transfer_lines;
ALTER TABLE transfer_receipts_44 RENAME TO transfer_receipts;
ALTER TABLE transfer_receipt_lines_44 RENAME TO transfer_receipt_lines;
CREATE UNIQUE INDEX transfers_number ON transfers(number);
CREATE INDEX transfers_from ON transfers(from_location_id, number);
CREATE INDEX transfers_to ON transfers(to_location_id, number);
CREATE INDEX transfer_receipt_lines_line ON transfer_receipt_lines(line_id);
)SQL", R"SQL(
-- PostgreSQL named the rebuilt tables' constraints (and the indexes behind keys) after the
-- _44 names; they get the names a table made under its own name has.
ALTER TABLE transfers RENAME CONSTRAINT transfers_44_check TO transfers_check;
ALTER TABLE transfers RENAME CONSTRAINT transfers_44_from_location_id_fkey TO transfers_from_location_id_fkey;
ALTER TABLE transfers RENAME CONSTRAINT transfers_44_pkey TO transfers_pkey;
ALTER TABLE transfers RENAME CONSTRAINT transfers_44_status_check TO transfers_status_check;
ALTER TABLE transfers RENAME CONSTRAINT transfers_44_to_location_id_fkey TO transfers_to_location_id_fkey;
ALTER TABLE transfer_lines RENAME CONSTRAINT transfer_lines_44_damaged_check TO transfer_lines_damaged_check;
ALTER TABLE transfer_lines RENAME CONSTRAINT transfer_lines_44_item_id_fkey TO transfer_lines_item_id_fkey;
ALTER TABLE transfer_lines RENAME CONSTRAINT transfer_lines_44_pkey TO transfer_lines_pkey;
ALTER TABLE transfer_lines RENAME CONSTRAINT transfer_lines_44_received_check TO transfer_lines_received_check;
ALTER TABLE transfer_lines RENAME CONSTRAINT transfer_lines_44_returned_check TO transfer_lines_returned_check;
ALTER TABLE transfer_lines RENAME CONSTRAINT transfer_lines_44_shipped_check TO transfer_lines_shipped_check;
ALTER TABLE transfer_lines RENAME CONSTRAINT transfer_lines_44_short_check TO transfer_lines_short_check;
ALTER TABLE transfer_lines RENAME CONSTRAINT transfer_lines_44_transfer_id_fkey TO transfer_lines_transfer_id_fkey;
ALTER TABLE transfer_lines RENAME CONSTRAINT transfer_lines_44_transfer_id_line_no_key TO transfer_lines_transfer_id_line_no_key;
ALTER TABLE transfer_receipts RENAME CONSTRAINT transfer_receipts_44_closes_check TO transfer_receipts_closes_check;
ALTER TABLE transfer_receipts RENAME CONSTRAINT transfer_receipts_44_pkey TO transfer_receipts_pkey;
ALTER TABLE transfer_receipts RENAME CONSTRAINT transfer_receipts_44_transfer_id_fkey TO transfer_receipts_transfer_id_fkey;
ALTER TABLE transfer_receipts RENAME CONSTRAINT transfer_receipts_44_transfer_id_number_key TO transfer_receipts_transfer_id_number_key;
ALTER TABLE transfer_receipt_lines RENAME CONSTRAINT transfer_receipt_lines_44_damaged_check TO transfer_receipt_lines_damaged_check;
ALTER TABLE transfer_receipt_lines RENAME CONSTRAINT transfer_receipt_lines_44_line_id_fkey TO transfer_receipt_lines_line_id_fkey;
ALTER TABLE transfer_receipt_lines RENAME CONSTRAINT transfer_receipt_lines_44_pkey TO transfer_receipt_lines_pkey;
ALTER TABLE transfer_receipt_lines RENAME CONSTRAINT transfer_receipt_lines_44_receipt_id_fkey TO transfer_receipt_lines_receipt_id_fkey;
ALTER TABLE transfer_receipt_lines RENAME CONSTRAINT transfer_receipt_lines_44_received_check TO transfer_receipt_lines_received_check;
ALTER TABLE transfer_receipt_lines RENAME CONSTRAINT transfer_receipt_lines_44_short_check TO transfer_receipt_lines_short_check;
)SQL"},
      {45, "store credit across stores: head office keeps the notes of its store nodes", R"SQL(
-- Store credit across stores (docs/sync.md): head office is the book of record of every credit
-- note, its store nodes' too. A store node keeps head office's balance of a note it asks about
-- (sync/credit.hpp) as a ledger entry of its own kind, 'head_office': the entries' table is made
-- again with the word allowed, every entry keeping its seq.
CREATE TABLE store_credit_entries_45 (
  seq           INTEGER PRIMARY KEY,
  credit_id     TEXT NOT NULL REFERENCES store_credits(id),
  amount        INTEGER NOT NULL CHECK (amount <> 0),
  document_type TEXT NOT NULL CHECK (document_type IN ('sale','void','return','head_office')),
  document_id   TEXT NOT NULL,
  at            INTEGER NOT NULL,
  user          TEXT NOT NULL
);
INSERT INTO store_credit_entries_45 (seq, credit_id, amount, document_type, document_id, at, user)
  SELECT seq, credit_id, amount, document_type, document_id, at, user FROM store_credit_entries;
DROP TABLE store_credit_entries;
ALTER TABLE store_credit_entries_45 RENAME TO store_credit_entries;
CREATE INDEX store_credit_entries_credit ON store_credit_entries(credit_id, seq);
CREATE INDEX store_credit_entries_document ON store_credit_entries(document_id);
-- At head office: what a store node's sale tendered from a note that head office's balance
-- could not cover (spent elsewhere meanwhile, or unknown here). The sale stands; the balance
-- never goes below zero; `backroom check` holds tendered = spent + short for every sale.
CREATE TABLE store_credit_shortfalls (
  sale_id TEXT NOT NULL REFERENCES sales(id),
  code    TEXT NOT NULL,
  amount  INTEGER NOT NULL CHECK (amount > 0),
  at      INTEGER NOT NULL,
  PRIMARY KEY (sale_id, code)
);
-- Such a sale is a conflict of its own kind: the conflicts' table is made again with the word
-- allowed, every row kept.
CREATE TABLE sync_conflicts_45 (
  id          TEXT PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES sync_nodes(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  document_id TEXT NOT NULL REFERENCES sync_documents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('price_difference','negative_stock','held_unit_sold','rejected',
                                            'po_not_receivable','destination_refused','store_credit_overdrawn')),
  item_id     TEXT,
  detail      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open','resolved')),
  resolved_at INTEGER,
  resolved_by TEXT,
  note        TEXT,
  hlc         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_conflicts_45 (id, node_id, location_id, document_id, kind, item_id, detail, created_at, status,
                               resolved_at, resolved_by, note, hlc)
  SELECT id, node_id, location_id, document_id, kind, item_id, detail, created_at, status, resolved_at, resolved_by,
         note, hlc FROM sync_conflicts;
DROP TABLE sync_conflicts;
ALTER TABLE sync_conflicts_45 RENAME TO sync_conflicts;
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
CREATE INDEX sync_conflicts_hlc ON sync_conflicts(hlc, id);
)SQL", R"SQL(
SELECT setval(pg_get_serial_sequence('store_credit_entries', 'seq'), COALESCE((SELECT MAX(seq) FROM store_credit_entries), 0) + 1, false);
)SQL"},
      {46, "the weekly preparation keeps each item's fitted forecast, so a suggestion need not fit it again", R"SQL(
-- One row per store, supplier and item the preparation fitted (src/planning/replenishment.hpp):
-- the forecast fitted on the days before `fitted_on`, packed by planning::pack_forecast, and
-- the category whose pooled promotion evidence it used. A suggestion uses it for 7 days while
-- the item's category is the same; importing history removes the rows of its stores.
CREATE TABLE planning_fits (
  location_id TEXT NOT NULL REFERENCES locations(id),
  supplier_id TEXT NOT NULL,
  item_id     TEXT NOT NULL,
  category    TEXT NOT NULL,
  fitted_on   TEXT NOT NULL,
  fitted_at   INTEGER NOT NULL,
  forecast    TEXT NOT NULL,
  PRIMARY KEY (location_id, supplier_id, item_id)
) WITHOUT ROWID;
)SQL"},
      {47, "a transfer head office cancels on its way to a store node: the node hears of it; one received first is a conflict", R"SQL(
-- On a store node: an inbound transfer head office cancelled before the node received it is
-- `cancelled` (with when the node heard and head office's reason), and can no longer be
-- received. Both tables are made again with the word allowed, every row kept.
CREATE TABLE sync_inbound_transfers_47 (
  id            TEXT PRIMARY KEY,
  number        TEXT NOT NULL,
  from_name     TEXT NOT NULL,
  note          TEXT NOT NULL DEFAULT '',
  shipped_at    INTEGER NOT NULL,
  arrived_at    INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('in_transit', 'received', 'cancelled')),
  location_id   TEXT REFERENCES locations(id),
  received_at   INTEGER,
  received_by   TEXT,
  cancelled_at  INTEGER,
  cancel_reason TEXT
);
INSERT INTO sync_inbound_transfers_47 (id, number, from_name, note, shipped_at, arrived_at, status, location_id,
                                       received_at, received_by)
  SELECT id, number, from_name, note, shipped_at, arrived_at, status, location_id, received_at, received_by
  FROM sync_inbound_transfers;
CREATE TABLE sync_inbound_transfer_lines_47 (
  id          TEXT PRIMARY KEY,
  transfer_id TEXT NOT NULL REFERENCES sync_inbound_transfers_47(id),
  line_no     INTEGER NOT NULL,
  item_id     TEXT NOT NULL,
  sku         TEXT NOT NULL DEFAULT '',
  name        TEXT NOT NULL DEFAULT '',
  shipped     INTEGER NOT NULL CHECK (shipped > 0),
  received    INTEGER NOT NULL DEFAULT 0 CHECK (received >= 0),
  damaged     INTEGER NOT NULL DEFAULT 0 CHECK (damaged >= 0),
  short       INTEGER NOT NULL DEFAULT 0 CHECK (short >= 0),
  UNIQUE (transfer_id, line_no)
);
INSERT INTO sync_inbound_transfer_lines_47 (id, transfer_id, line_no, item_id, sku, name, shipped, received, damaged, short)
  SELECT id, transfer_id, line_no, item_id, sku, name, shipped, received, damaged, short FROM sync_inbound_transfer_lines;
DROP TABLE sync_inbound_transfer_lines;
DROP TABLE sync_inbound_transfers;
ALTER TABLE sync_inbound_transfers_47 RENAME TO sync_inbound_transfers;
ALTER TABLE sync_inbound_transfer_lines_47 RENAME TO sync_inbound_transfer_lines;
CREATE INDEX sync_inbound_transfers_status ON sync_inbound_transfers(status, id);
-- At head office, a node's receipt of a transfer head office cancelled meanwhile is a
-- conflict of its own kind (the receipt stands, the cancel is undone for what arrived), and so
-- is a document whose money the sales journal could not take (its stock is posted).
CREATE TABLE sync_conflicts_47 (
  id          TEXT PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES sync_nodes(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  document_id TEXT NOT NULL REFERENCES sync_documents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('price_difference','negative_stock','held_unit_sold','rejected',
                                            'po_not_receivable','destination_refused','store_credit_overdrawn',
                                            'cancelled_transfer_received','not_in_journal')),
  item_id     TEXT,
  detail      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open','resolved')),
  resolved_at INTEGER,
  resolved_by TEXT,
  note        TEXT,
  hlc         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_conflicts_47 (id, node_id, location_id, document_id, kind, item_id, detail, created_at, status,
                               resolved_at, resolved_by, note, hlc)
  SELECT id, node_id, location_id, document_id, kind, item_id, detail, created_at, status, resolved_at, resolved_by,
         note, hlc FROM sync_conflicts;
DROP TABLE sync_conflicts;
ALTER TABLE sync_conflicts_47 RENAME TO sync_conflicts;
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
CREATE INDEX sync_conflicts_hlc ON sync_conflicts(hlc, id);
)SQL"},
      {48, "a store node cancels its own shipment: the node's copy says so; one received first is a conflict", R"SQL(
-- On a store node: a shipment its staff cancelled before head office said it arrived is
-- `cancelled` (when, by whom, why, and the id of the cancel's document: its movements booked the
-- goods back in). The status column has no CHECK (migration 43 added it), so columns suffice.
ALTER TABLE sync_outbound_transfers ADD COLUMN cancelled_at INTEGER;
ALTER TABLE sync_outbound_transfers ADD COLUMN cancelled_by TEXT;
ALTER TABLE sync_outbound_transfers ADD COLUMN cancel_reason TEXT;
ALTER TABLE sync_outbound_transfers ADD COLUMN cancel_id TEXT;
-- At head office, a store's cancel that arrives after the destination received (part of) the
-- shipment is a conflict of its own kind: the receipt stands and the store's goods are booked
-- back in as well, on the books twice until someone counts.
CREATE TABLE sync_conflicts_48 (
  id          TEXT PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES sync_nodes(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  document_id TEXT NOT NULL REFERENCES sync_documents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('price_difference','negative_stock','held_unit_sold','rejected',
                                            'po_not_receivable','destination_refused','store_credit_overdrawn',
                                            'cancelled_transfer_received','not_in_journal',
                                            'shipment_cancel_after_receipt')),
  item_id     TEXT,
  detail      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open','resolved')),
  resolved_at INTEGER,
  resolved_by TEXT,
  note        TEXT,
  hlc         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_conflicts_48 (id, node_id, location_id, document_id, kind, item_id, detail, created_at, status,
                               resolved_at, resolved_by, note, hlc)
  SELECT id, node_id, location_id, document_id, kind, item_id, detail, created_at, status, resolved_at, resolved_by,
         note, hlc FROM sync_conflicts;
DROP TABLE sync_conflicts;
ALTER TABLE sync_conflicts_48 RENAME TO sync_conflicts;
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
CREATE INDEX sync_conflicts_hlc ON sync_conflicts(hlc, id);
)SQL"},
      {49, "head office settles a store node's store-credit shortfall: written off or collected, by whom and when", R"SQL(
-- At head office (docs/sync.md, "Store credit across stores"): a shortfall is settled when a
-- person resolves its store_credit_overdrawn conflict, as written off (a loss) or collected
-- (the customer paid it); its amount never changes, so `backroom check` holds as before.
ALTER TABLE store_credit_shortfalls ADD COLUMN settlement TEXT CHECK (settlement IN ('written_off','collected'));
ALTER TABLE store_credit_shortfalls ADD COLUMN settled_at INTEGER;
ALTER TABLE store_credit_shortfalls ADD COLUMN settled_by TEXT;
ALTER TABLE store_credit_shortfalls ADD COLUMN settlement_note TEXT;
)SQL"},
      {50, "a store's receipt of a shipment its sender cancelled, and a cancel head office cannot apply, are conflicts", R"SQL(
-- At head office (docs/sync.md, "A store node cancels its shipment"): a node's receipt of a
-- shipment another node's store cancelled before the receiver heard is a conflict of its own
-- kind (the receipt stands: the goods are on the books at both stores until someone counts),
-- and so is a node's cancel that finds neither its transfer nor an open refusal.
CREATE TABLE sync_conflicts_50 (
  id          TEXT PRIMARY KEY,
  node_id     TEXT NOT NULL REFERENCES sync_nodes(id),
  location_id TEXT NOT NULL REFERENCES locations(id),
  document_id TEXT NOT NULL REFERENCES sync_documents(id),
  kind        TEXT NOT NULL CHECK (kind IN ('price_difference','negative_stock','held_unit_sold','rejected',
                                            'po_not_receivable','destination_refused','store_credit_overdrawn',
                                            'cancelled_transfer_received','not_in_journal',
                                            'shipment_cancel_after_receipt','cancelled_shipment_received',
                                            'shipment_cancel_not_applied')),
  item_id     TEXT,
  detail      TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('open','resolved')),
  resolved_at INTEGER,
  resolved_by TEXT,
  note        TEXT,
  hlc         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO sync_conflicts_50 (id, node_id, location_id, document_id, kind, item_id, detail, created_at, status,
                               resolved_at, resolved_by, note, hlc)
  SELECT id, node_id, location_id, document_id, kind, item_id, detail, created_at, status, resolved_at, resolved_by,
         note, hlc FROM sync_conflicts;
DROP TABLE sync_conflicts;
ALTER TABLE sync_conflicts_50 RENAME TO sync_conflicts;
CREATE INDEX sync_conflicts_status ON sync_conflicts(status, id);
CREATE INDEX sync_conflicts_hlc ON sync_conflicts(hlc, id);
)SQL"},
      {51, "the receipt number a register printed offline for a sale whose first try reached the server", R"SQL(
-- A sale caught by the cut (docs/offline-register.md): its first try reached the server and was
-- numbered there, while the register, which never heard the answer, completed it offline and
-- printed a number of one of its blocks. That number is the sale's offline receipt number: the
-- block counts it used by the sale (receipt_block_uses), and the journal finds the sale by it.
CREATE TABLE sale_offline_receipts (
  sale_id        TEXT PRIMARY KEY REFERENCES sales(id),
  receipt_number TEXT NOT NULL UNIQUE,
  created_at     INTEGER NOT NULL,
  created_by     TEXT NOT NULL
);
)SQL"},
      {52, "each packed month of the KPI report keeps its totals beside its days, so a month wholly inside a report is not read day by day", R"SQL(
-- src/stock/kpi_days.hpp (StockMonthTotals, SoldMonthTotals) defines each total; the writers
-- keep them with the days and `backroom check` proves them against the days. stock_day_months:
-- net_change (the month's net change), low_change (the lowest running change at the end of a
-- day, or 0 if higher), day_weighted (the sum of change x day over the days) and losses
-- ('reason=lost,...', '' for none). sales_day_months: sold and net_sales (the sums of the
-- days'). NULL: not known; the report then reads the month's days. The backfill makes them
-- from the ledger as migration 39 made the days (the same days, months and losses).
ALTER TABLE stock_day_months ADD COLUMN net_change INTEGER;
ALTER TABLE stock_day_months ADD COLUMN low_change INTEGER;
ALTER TABLE stock_day_months ADD COLUMN day_weighted INTEGER;
ALTER TABLE stock_day_months ADD COLUMN losses TEXT;
ALTER TABLE sales_day_months ADD COLUMN sold INTEGER;
ALTER TABLE sales_day_months ADD COLUMN net_sales INTEGER;
CREATE TABLE kpi_day_month_of (
  day   INTEGER PRIMARY KEY,
  month INTEGER NOT NULL
);
WITH days AS MATERIALIZED (SELECT DISTINCT at / 86400000000 AS day FROM stock_movements
                           UNION SELECT created_at / 86400000000 FROM sales
                           UNION SELECT created_at / 86400000000 FROM returns),
     eras AS MATERIALIZED (SELECT day, (day + 719468) / 146097 AS era,
                                  (day + 719468) - ((day + 719468) / 146097) * 146097 AS doe FROM days),
     years AS MATERIALIZED (SELECT day, era, doe, (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365 AS yoe FROM eras),
     parts AS MATERIALIZED (SELECT day, yoe + era * 400 AS y, (5 * (doe - (365 * yoe + yoe / 4 - yoe / 100)) + 2) / 153 AS mp
                            FROM years)
INSERT INTO kpi_day_month_of (day, month)
SELECT day, (CASE WHEN mp < 10 THEN y ELSE y + 1 END) * 100 + (CASE WHEN mp < 10 THEN mp + 3 ELSE mp - 9 END) FROM parts;
WITH d AS MATERIALIZED (SELECT m.account AS account, o.month AS month, o.day AS day, SUM(m.quantity) AS change
                        FROM stock_movements m JOIN kpi_day_month_of o ON o.day = m.at / 86400000000
                        GROUP BY m.account, o.month, o.day),
     r AS MATERIALIZED (SELECT account, month, day, change,
                               SUM(change) OVER (PARTITION BY account, month ORDER BY day) AS running FROM d),
     t AS MATERIALIZED (SELECT account, month, SUM(change) AS net_change, MIN(running) AS low,
                               SUM(change * day) AS day_weighted FROM r GROUP BY account, month)
UPDATE stock_day_months SET net_change = t.net_change, low_change = CASE WHEN t.low < 0 THEN t.low ELSE 0 END,
                            day_weighted = t.day_weighted, losses = ''
FROM t WHERE t.account = stock_day_months.account AND t.month = stock_day_months.month;
WITH r AS MATERIALIZED (SELECT m.account AS account, o.month AS month, m.reason AS reason, -SUM(m.quantity) AS lost
                        FROM stock_movements m JOIN kpi_day_month_of o ON o.day = m.at / 86400000000
                        WHERE m.document_type IN ('adjustment', 'count') AND m.quantity < 0
                        GROUP BY m.account, o.month, m.reason),
     l AS MATERIALIZED (SELECT account, month, group_concat(reason || '=' || CAST(lost AS TEXT), ',') AS losses FROM r
                        GROUP BY account, month)
UPDATE stock_day_months SET losses = l.losses
FROM l WHERE l.account = stock_day_months.account AND l.month = stock_day_months.month;
WITH t AS MATERIALIZED (SELECT s.location_id AS location_id, l.item_id AS item_id, s.created_at / 86400000000 AS day,
                               l.quantity AS units, l.total - l.tax AS net_value
                        FROM sales s JOIN sale_lines l ON l.sale_id = s.id WHERE s.status = 'completed' AND s.training = 0
                        UNION ALL
                        SELECT r.location_id, rl.item_id, r.created_at / 86400000000, -rl.quantity, -(rl.refund - rl.tax)
                        FROM returns r JOIN return_lines rl ON rl.return_id = r.id WHERE r.training = 0),
     g AS MATERIALIZED (SELECT t.location_id AS location_id, t.item_id AS item_id, o.month AS month, SUM(t.units) AS sold,
                               SUM(t.net_value) AS net_sales
                        FROM t JOIN kpi_day_month_of o ON o.day = t.day GROUP BY t.location_id, t.item_id, o.month)
UPDATE sales_day_months SET sold = g.sold, net_sales = g.net_sales
FROM g WHERE g.location_id = sales_day_months.location_id AND g.item_id = sales_day_months.item_id
         AND g.month = sales_day_months.month;
DROP TABLE kpi_day_month_of;
)SQL"},
      {53, "each stock balance notes the first month the KPI summary holds of it, so the report need not seek for it", R"SQL(
-- first_month: the earliest month of the account in stock_day_months (NULL: none yet). The
-- writer of the months (stock::add_stock_days) lowers it when it adds an earlier month;
-- `backroom check` proves it. The KPI report asks "did this account move before the window?"
-- of every balance; this answers without a seek into the months.
ALTER TABLE stock_balances ADD COLUMN first_month INTEGER;
UPDATE stock_balances SET first_month = (SELECT MIN(m.month) FROM stock_day_months m WHERE m.account = stock_balances.account);
)SQL"},
      {54, "head office notes how far each store node's pushes reached, so a node may send its next push before the last is answered", R"SQL(
-- pushed_through: the node's push cursor as its last applied push left it (the `through` the
-- push named; NULL: no push has named one). A push sent while the node's previous one is still
-- on the way names that one's `through` as its `after`; head office applies it only when the
-- two agree (sync::push_in_order), so a node's pushes apply in the order it made them.
ALTER TABLE sync_nodes ADD COLUMN pushed_through INTEGER;
)SQL"},
      {55, "on PostgreSQL the ledger's and the sales journal's parents are checked once a statement, not once a row", R"SQL(
-- SQLite keeps its foreign keys as they are (checked in the process, cheap). PostgreSQL's
-- below (postgres_after).
)SQL", R"SQL(
-- On PostgreSQL a foreign key is checked by a query a row: a pushed sale of four lines made 21
-- of them, half of the server's CPU for a push (docs/scaling.md, "Parents checked once a
-- statement"). The foreign keys of the five append-only tables a push writes become one
-- set-based check a statement (a trigger over the statement's new rows), with the same
-- refusal: a row naming a parent that does not exist fails its statement with SQLSTATE 23503.
-- A parent such a row names cannot be deleted either (a trigger a deleted parent row, as the
-- foreign key's NO ACTION). Writing transactions exclude each other (Db::begin_write's
-- advisory lock), so no delete runs between a check and its commit; no code deletes these
-- parents nor changes their ids. `backroom copy` writes these five tables last, parents first.
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conrelid::regclass AS t, conname FROM pg_constraint
           WHERE contype = 'f' AND conrelid IN ('sales'::regclass, 'sale_lines'::regclass, 'sale_tenders'::regclass,
                                                'stock_movements'::regclass, 'sync_documents'::regclass)
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.t, c.conname);
  END LOOP;
END $$;

CREATE FUNCTION backroom_parents_of_sales() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM checked n WHERE NOT EXISTS (SELECT 1 FROM locations p WHERE p.id = n.location_id))
     OR EXISTS (SELECT 1 FROM checked n WHERE NOT EXISTS (SELECT 1 FROM registers p WHERE p.id = n.register_id))
     OR EXISTS (SELECT 1 FROM checked n WHERE n.session_id IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM register_sessions p WHERE p.id = n.session_id)) THEN
    RAISE EXCEPTION 'a sale names a location, register or register session that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION backroom_parents_of_sale_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM checked n WHERE NOT EXISTS (SELECT 1 FROM sales p WHERE p.id = n.sale_id))
     OR EXISTS (SELECT 1 FROM checked n WHERE NOT EXISTS (SELECT 1 FROM items p WHERE p.id = n.item_id)) THEN
    RAISE EXCEPTION 'a sale line names a sale or item that does not exist' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION backroom_parents_of_sale_tenders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM checked n WHERE NOT EXISTS (SELECT 1 FROM sales p WHERE p.id = n.sale_id)) THEN
    RAISE EXCEPTION 'a tender names a sale that does not exist' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION backroom_parents_of_stock_movements() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM checked n WHERE NOT EXISTS (SELECT 1 FROM items p WHERE p.id = n.item_id))
     OR EXISTS (SELECT 1 FROM checked n WHERE NOT EXISTS (SELECT 1 FROM locations p WHERE p.id = n.location_id)) THEN
    RAISE EXCEPTION 'a stock movement names an item or location that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION backroom_parents_of_sync_documents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM checked n WHERE NOT EXISTS (SELECT 1 FROM sync_nodes p WHERE p.id = n.node_id)) THEN
    RAISE EXCEPTION 'a kept document names a store node that does not exist' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER sales_parents_inserted AFTER INSERT ON sales REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_sales();
CREATE TRIGGER sales_parents_updated AFTER UPDATE ON sales REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_sales();
CREATE TRIGGER sale_lines_parents_inserted AFTER INSERT ON sale_lines REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_sale_lines();
CREATE TRIGGER sale_lines_parents_updated AFTER UPDATE ON sale_lines REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_sale_lines();
CREATE TRIGGER sale_tenders_parents_inserted AFTER INSERT ON sale_tenders REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_sale_tenders();
CREATE TRIGGER sale_tenders_parents_updated AFTER UPDATE ON sale_tenders REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_sale_tenders();
CREATE TRIGGER stock_movements_parents_inserted AFTER INSERT ON stock_movements REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_stock_movements();
CREATE TRIGGER stock_movements_parents_updated AFTER UPDATE ON stock_movements REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_stock_movements();
CREATE TRIGGER sync_documents_parents_inserted AFTER INSERT ON sync_documents REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_sync_documents();
CREATE TRIGGER sync_documents_parents_updated AFTER UPDATE ON sync_documents REFERENCING NEW TABLE AS checked
  FOR EACH STATEMENT EXECUTE FUNCTION backroom_parents_of_sync_documents();

-- The parents' side: deleting a row one of the five tables names fails, as it did.
CREATE FUNCTION backroom_named_parent_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE named boolean;
BEGIN
  named := CASE TG_TABLE_NAME
    WHEN 'items' THEN EXISTS (SELECT 1 FROM sale_lines c WHERE c.item_id = OLD.id)
                      OR EXISTS (SELECT 1 FROM stock_movements c WHERE c.item_id = OLD.id)
    WHEN 'locations' THEN EXISTS (SELECT 1 FROM sales c WHERE c.location_id = OLD.id)
                          OR EXISTS (SELECT 1 FROM stock_movements c WHERE c.location_id = OLD.id)
    WHEN 'registers' THEN EXISTS (SELECT 1 FROM sales c WHERE c.register_id = OLD.id)
    WHEN 'register_sessions' THEN EXISTS (SELECT 1 FROM sales c WHERE c.session_id = OLD.id)
    WHEN 'sales' THEN EXISTS (SELECT 1 FROM sale_lines c WHERE c.sale_id = OLD.id)
                      OR EXISTS (SELECT 1 FROM sale_tenders c WHERE c.sale_id = OLD.id)
    WHEN 'sync_nodes' THEN EXISTS (SELECT 1 FROM sync_documents c WHERE c.node_id = OLD.id)
  END;
  IF named THEN
    RAISE EXCEPTION 'a row of % that the ledger or the sales journal names cannot be deleted', TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER items_named_deleted BEFORE DELETE ON items FOR EACH ROW EXECUTE FUNCTION backroom_named_parent_deleted();
CREATE TRIGGER locations_named_deleted BEFORE DELETE ON locations FOR EACH ROW EXECUTE FUNCTION backroom_named_parent_deleted();
CREATE TRIGGER registers_named_deleted BEFORE DELETE ON registers FOR EACH ROW EXECUTE FUNCTION backroom_named_parent_deleted();
CREATE TRIGGER register_sessions_named_deleted BEFORE DELETE ON register_sessions FOR EACH ROW
  EXECUTE FUNCTION backroom_named_parent_deleted();
CREATE TRIGGER sales_named_deleted BEFORE DELETE ON sales FOR EACH ROW EXECUTE FUNCTION backroom_named_parent_deleted();
CREATE TRIGGER sync_nodes_named_deleted BEFORE DELETE ON sync_nodes FOR EACH ROW EXECUTE FUNCTION backroom_named_parent_deleted();
)SQL"},
      {56, "on PostgreSQL a kept document's payload and movements are compressed with lz4", R"SQL(
-- SQLite does not compress. PostgreSQL's below (postgres_after).
)SQL", R"SQL(
-- A kept document's payload and movements (~3 KB a pushed sale) are compressed when written;
-- pglz was the largest single function of the server during a push (docs/scaling.md,
-- "Parents checked once a statement"); lz4 compresses several times faster. Values written
-- before stay as they are (each is read back with the method it was written with). A server
-- built without lz4 keeps pglz: the migration goes on.
DO $$
BEGIN
  ALTER TABLE sync_documents ALTER COLUMN payload SET COMPRESSION lz4;
  ALTER TABLE sync_documents ALTER COLUMN movements SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'this PostgreSQL has no lz4: kept documents stay compressed with pglz';
END $$;
)SQL"},
      {57, "every month's KPI totals of a stock account, and of an item at a location, in one row, and the sales months keyed by month before item: the report reads a year of whole months in one row, not thirteen", R"SQL(
-- stock/kpi_days.hpp has the format (StockMonthEntry, SoldMonthEntry): per stock account
-- (keyed by its item and location, the balances' order, so the report reads them in one pass
-- beside the balances), and per location and item, one entry per month row of
-- stock_day_months / sales_day_months with that row's totals (migration 52), 'month:?' where
-- the row keeps none. Kept by stock::add_stock_days and sales::add_sold_days beside the month
-- rows; `backroom check` proves them. The aggregate does not promise the entries' order;
-- readers sort.
CREATE TABLE stock_month_totals (
  item_id     TEXT NOT NULL,
  location_id TEXT NOT NULL,
  account     INTEGER NOT NULL,
  months      TEXT NOT NULL CHECK (months <> ''),
  PRIMARY KEY (item_id, location_id)
) WITHOUT ROWID;
CREATE TABLE sales_month_totals (
  location_id TEXT NOT NULL,
  item_id     TEXT NOT NULL,
  months      TEXT NOT NULL CHECK (months <> ''),
  PRIMARY KEY (location_id, item_id)
) WITHOUT ROWID;
INSERT INTO stock_month_totals (item_id, location_id, account, months)
SELECT b.item_id, b.location_id, b.account, t.months
FROM stock_balances b
JOIN (SELECT account, group_concat(CAST(month AS TEXT) || ':' ||
                                   COALESCE(CAST(net_change AS TEXT) || ':' || CAST(low_change AS TEXT) || ':' ||
                                            CAST(day_weighted AS TEXT) || ':' || losses, '?'), ';') AS months
      FROM stock_day_months GROUP BY account) t ON t.account = b.account;
INSERT INTO sales_month_totals (location_id, item_id, months)
SELECT location_id, item_id, group_concat(CAST(month AS TEXT) || ':' ||
                                          COALESCE(CAST(sold AS TEXT) || ':' || CAST(net_sales AS TEXT), '?'), ';')
FROM sales_day_months GROUP BY location_id, item_id;
-- The sales months keyed (location, month, item): the report reads the few months it cannot
-- take from the totals rows as one range each, in item order, instead of stepping every month
-- of the location to find them. The writers and the check name all three.
CREATE TABLE sales_day_months_by_month (
  location_id TEXT NOT NULL,
  item_id     TEXT NOT NULL,
  month       INTEGER NOT NULL CHECK (month % 100 BETWEEN 1 AND 12),
  days        TEXT NOT NULL CHECK (days <> ''),
  sold        INTEGER,
  net_sales   INTEGER,
  PRIMARY KEY (location_id, month, item_id)
) WITHOUT ROWID;
INSERT INTO sales_day_months_by_month (location_id, item_id, month, days, sold, net_sales)
SELECT location_id, item_id, month, days, sold, net_sales FROM sales_day_months;
DROP TABLE sales_day_months;
ALTER TABLE sales_day_months_by_month RENAME TO sales_day_months;
)SQL"},
      {58, "each stock account's totals row carries its latest month's days: the KPI report of a period ending this month reads them there instead of seeking every account's month row", R"SQL(
-- latest_month: the account's latest month row; latest_days: that row's days (stock/kpi_days.hpp,
-- the days format). Kept by stock::add_stock_days beside the month rows; `backroom check`
-- proves them. The report of a period that ends in the current month (the usual one: "the last
-- 52 weeks") reads that month's days from the totals rows it reads anyway, in one pass beside
-- the balances, instead of a seek per account into stock_day_months (keyed by account first,
-- so one month's rows are spread over the whole table).
ALTER TABLE stock_month_totals ADD COLUMN latest_month INTEGER;
ALTER TABLE stock_month_totals ADD COLUMN latest_days TEXT;
UPDATE stock_month_totals SET latest_month = (SELECT MAX(m.month) FROM stock_day_months m WHERE m.account = stock_month_totals.account);
UPDATE stock_month_totals SET latest_days = (SELECT m.days FROM stock_day_months m
                                             WHERE m.account = stock_month_totals.account AND m.month = stock_month_totals.latest_month);
)SQL"},
      {59, "the stock months keyed by month before account on SQLite: the KPI report reads the one month it cannot take from the totals rows from that month's rows alone, not from pages spread over the whole table", R"SQL(
-- stock_day_months keyed (month, account): a report of the last 52 weeks reads its first,
-- partial month day by day, a probe per account; keyed (account, month), one month's rows lay
-- on every page of the table (an account's thirteen months share a page), so that probe read
-- nearly the whole table; now it reads that month's pages. Readers name the months they want
-- (stock/kpi_days_store.cpp: ItemStockMonths lists them; the first and latest month of an
-- account come from stock_balances.first_month and the totals rows). PostgreSQL keeps its rows
-- in a heap, where the key does not place them: it keeps (account, month), which its
-- per-account reads use (below).
CREATE TABLE stock_day_months_59 (
  account      INTEGER NOT NULL,
  month        INTEGER NOT NULL CHECK (month % 100 BETWEEN 1 AND 12),
  days         TEXT NOT NULL CHECK (days <> ''),
  net_change   INTEGER,
  low_change   INTEGER,
  day_weighted INTEGER,
  losses       TEXT,
  PRIMARY KEY (month, account)
) WITHOUT ROWID;
INSERT INTO stock_day_months_59 (account, month, days, net_change, low_change, day_weighted, losses)
SELECT account, month, days, net_change, low_change, day_weighted, losses FROM stock_day_months;
DROP TABLE stock_day_months;
ALTER TABLE stock_day_months_59 RENAME TO stock_day_months;
)SQL", R"SQL(
-- PostgreSQL: the key as it was, (account, month), and the names a table made under its own
-- name has.
ALTER TABLE stock_day_months DROP CONSTRAINT stock_day_months_59_pkey;
ALTER TABLE stock_day_months ADD CONSTRAINT stock_day_months_pkey PRIMARY KEY (account, month);
ALTER TABLE stock_day_months RENAME CONSTRAINT stock_day_months_59_month_check TO stock_day_months_month_check;
ALTER TABLE stock_day_months RENAME CONSTRAINT stock_day_months_59_days_check TO stock_day_months_days_check;
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

int migrate(db::Db& db) { return migrate(db, latest_version()); }

int migrate(db::Db& db, int version) {
  int current = current_version(db);
  if (current > latest_version()) {
    throw Problem(500, "schema_too_new",
                  fmt::format("database '{}' is at schema version {}, but this backroom {} knows only up to {}; "
                              "run a newer backroom (never an older one) on this file",
                              db.display_name(), current, BACKROOM_VERSION, latest_version()));
  }
  for (const auto& m : migrations()) {
    if (m.version <= current) continue;
    if (m.version > version) break;
    db::Transaction tx(db);
    db.exec(m.sql);
    if (m.postgres_after && db.dialect() == db::Dialect::postgres) db.exec(m.postgres_after);
    db.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .bind(1, m.version)
        .bind(2, m.name)
        .bind(3, now().micros)
        .run();
    if (db.dialect() == db::Dialect::sqlite) db.exec(fmt::format("PRAGMA user_version = {}", m.version));
    tx.commit();
    current = m.version;
  }
  return current;
}

}  // namespace backroom::schema
