#include "purchasing/supplier_store.hpp"

#include "catalog/barcode.hpp"
#include "platform/secret_box.hpp"
#include "platform/text.hpp"

namespace backroom::purchasing {

namespace {

// Bank details are sealed under the shop key (platform/secret_box.hpp, docs/operations.md).
std::string seal(db::Db& db, const std::string& plaintext) { return secret_box::seal(db.path(), plaintext); }
std::string reveal(db::Db& db, const std::string& stored) { return secret_box::reveal(db.path(), stored); }

constexpr const char* supplier_columns =
    "id, name, email, phone, lead_time_days, lead_time_sd_milli, order_days, min_order_value, free_freight_value, "
    "payment_iban, payment_bic, payment_account_name, status, version, created_at, updated_at";

Supplier supplier_from(db::Db& db, const db::Query& q) {
  Supplier s;
  s.id = q.text(0);
  s.name = q.text(1);
  s.email = q.text(2);
  s.phone = q.text(3);
  s.lead_time_days = q.int64(4);
  s.lead_time_sd_days = Quantity{q.int64(5)};
  s.order_days = OrderDays::from_text(q.text(6));
  s.min_order_value = q.int64(7);
  s.free_freight_value = q.opt_int64(8);
  if (auto iban = q.opt_text(9))
    s.payment = Payment{reveal(db, *iban), reveal(db, q.opt_text(10).value_or("")), reveal(db, q.opt_text(11).value_or(""))};
  s.status = supplier_statuses.parse(q.text(12)).value_or(SupplierStatus::active);
  s.version = q.int64(13);
  s.created_at = q.int64(14);
  s.updated_at = q.int64(15);
  return s;
}

constexpr const char* item_columns =
    "supplier_id, item_id, supplier_sku, cost, case_pack, case_gtin, min_order_units, preferred, created_at, "
    "updated_at";

SupplierItem item_from(const db::Query& q) {
  SupplierItem i;
  i.supplier_id = q.text(0);
  i.item_id = q.text(1);
  i.supplier_sku = q.text(2);
  i.cost = q.int64(3);
  i.case_pack = Quantity{q.int64(4)};
  i.case_gtin = q.opt_text(5);
  i.min_order_units = Quantity{q.int64(6)};
  i.preferred = q.int64(7) != 0;
  i.created_at = q.int64(8);
  i.updated_at = q.int64(9);
  return i;
}

std::optional<SupplierItem> one_item(db::Query q) {
  if (!q.step()) return std::nullopt;
  return item_from(q);
}

constexpr const char* change_columns =
    "id, supplier_id, payment_iban, payment_bic, payment_account_name, status, requested_by, requested_by_id, "
    "requested_at, decided_by, decided_by_id, decided_at, reason, decision_note";

SupplierChange change_from(db::Db& db, const db::Query& q) {
  SupplierChange c;
  c.id = q.text(0);
  c.supplier_id = q.text(1);
  c.payment = Payment{reveal(db, q.text(2)), reveal(db, q.text(3)), reveal(db, q.text(4))};
  c.status = change_statuses.parse(q.text(5)).value_or(ChangeStatus::pending);
  c.requested_by = q.text(6);
  c.requested_by_id = q.text(7);
  c.requested_at = q.int64(8);
  c.decided_by = q.opt_text(9);
  c.decided_by_id = q.opt_text(10);
  c.decided_at = q.opt_int64(11);
  c.reason = q.text(12);
  c.decision_note = q.text(13);
  return c;
}

std::string sql(const char* head, const char* columns, const char* tail) {
  return std::string(head) + columns + tail;
}

}  // namespace

std::optional<Supplier> load_supplier(db::Db& db, const std::string& id) {
  auto q = db.query(sql("SELECT ", supplier_columns, " FROM suppliers WHERE id = ?"));
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return supplier_from(db, q);
}

std::vector<Supplier> list_suppliers(db::Db& db, const SupplierFilter& f) {
  std::string words = text::fold(f.q);
  auto q = db.query(sql("SELECT ", supplier_columns,
                        " FROM suppliers WHERE (?1 = '' OR name_key LIKE ?2) AND (?3 = '' OR status = ?3) "
                        "AND id > ?4 ORDER BY id LIMIT ?5"));
  q.bind(1, words).bind(2, "%" + words + "%").bind(3, f.status).bind(4, f.after_id);
  q.bind(5, static_cast<std::int64_t>(f.limit) + 1);
  std::vector<Supplier> out;
  while (q.step()) out.push_back(supplier_from(db, q));
  return out;
}

std::optional<std::string> supplier_id_by_name(db::Db& db, const std::string& name) {
  auto q = db.query("SELECT id FROM suppliers WHERE name_key = ? ORDER BY id LIMIT 1");
  q.bind(1, text::fold(name));
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

void insert_supplier(db::Db& db, const Supplier& s) {
  db.query(
        "INSERT INTO suppliers (id, name, name_key, email, phone, lead_time_days, lead_time_sd_milli, order_days, "
        "min_order_value, free_freight_value, payment_iban, payment_bic, payment_account_name, status, version, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, s.id)
      .bind(2, s.name)
      .bind(3, text::fold(s.name))
      .bind(4, s.email)
      .bind(5, s.phone)
      .bind(6, s.lead_time_days)
      .bind(7, s.lead_time_sd_days.milli)
      .bind(8, s.order_days.text())
      .bind(9, s.min_order_value)
      .bind(10, s.free_freight_value)
      .bind(11, s.payment ? std::optional(seal(db, s.payment->iban)) : std::nullopt)
      .bind(12, s.payment ? std::optional(seal(db, s.payment->bic)) : std::nullopt)
      .bind(13, s.payment ? std::optional(seal(db, s.payment->account_name)) : std::nullopt)
      .bind(14, supplier_statuses.text(s.status))
      .bind(15, s.version)
      .bind(16, s.created_at)
      .bind(17, s.updated_at)
      .run();
}

void update_supplier(db::Db& db, const Supplier& s) {
  db.query(
        "UPDATE suppliers SET name = ?, name_key = ?, email = ?, phone = ?, lead_time_days = ?, "
        "lead_time_sd_milli = ?, order_days = ?, min_order_value = ?, free_freight_value = ?, status = ?, "
        "version = ?, updated_at = ? WHERE id = ?")
      .bind(1, s.name)
      .bind(2, text::fold(s.name))
      .bind(3, s.email)
      .bind(4, s.phone)
      .bind(5, s.lead_time_days)
      .bind(6, s.lead_time_sd_days.milli)
      .bind(7, s.order_days.text())
      .bind(8, s.min_order_value)
      .bind(9, s.free_freight_value)
      .bind(10, supplier_statuses.text(s.status))
      .bind(11, s.version)
      .bind(12, s.updated_at)
      .bind(13, s.id)
      .run();
}

void apply_payment(db::Db& db, const std::string& supplier_id, const Payment& p, std::int64_t at) {
  db.query(
        "UPDATE suppliers SET payment_iban = ?, payment_bic = ?, payment_account_name = ?, version = version + 1, "
        "updated_at = ? WHERE id = ?")
      .bind(1, seal(db, p.iban))
      .bind(2, seal(db, p.bic))
      .bind(3, seal(db, p.account_name))
      .bind(4, at)
      .bind(5, supplier_id)
      .run();
}

std::optional<SupplierItem> supplier_item(db::Db& db, const std::string& supplier_id, const std::string& item_id) {
  auto q = db.query(sql("SELECT ", item_columns, " FROM supplier_items WHERE supplier_id = ? AND item_id = ?"));
  q.bind(1, supplier_id).bind(2, item_id);
  return one_item(std::move(q));
}

std::optional<SupplierItem> supplier_item_by_case_gtin(db::Db& db, const std::string& code) {
  auto gtin = catalog::to_gtin14(text::trim(code));
  if (gtin.empty()) return std::nullopt;
  auto q = db.query(sql("SELECT ", item_columns,
                        " FROM supplier_items WHERE case_gtin = ? ORDER BY preferred DESC, created_at, supplier_id "
                        "LIMIT 1"));
  q.bind(1, gtin);
  return one_item(std::move(q));
}

std::optional<SupplierItem> supplier_item_by_case_gtin(db::Db& db, const std::string& supplier_id,
                                                       const std::string& code) {
  auto gtin = catalog::to_gtin14(text::trim(code));
  if (gtin.empty()) return std::nullopt;
  auto q = db.query(sql("SELECT ", item_columns,
                        " FROM supplier_items WHERE supplier_id = ? AND case_gtin = ? ORDER BY item_id LIMIT 1"));
  q.bind(1, supplier_id).bind(2, gtin);
  return one_item(std::move(q));
}

std::optional<SupplierItem> supplier_item_by_sku(db::Db& db, const std::string& supplier_id,
                                                 const std::string& supplier_sku) {
  auto q = db.query(sql("SELECT ", item_columns, " FROM supplier_items WHERE supplier_id = ? AND supplier_sku = ?"));
  q.bind(1, supplier_id).bind(2, supplier_sku);
  return one_item(std::move(q));
}

std::optional<SupplierItem> preferred_supplier_item(db::Db& db, const std::string& item_id) {
  auto q = db.query(sql("SELECT ", item_columns, " FROM supplier_items WHERE item_id = ? AND preferred = 1"));
  q.bind(1, item_id);
  return one_item(std::move(q));
}

std::vector<SupplierItem> supplier_items(db::Db& db, const std::string& supplier_id,
                                         const std::string& after_item_id, int limit) {
  auto q = db.query(sql("SELECT ", item_columns,
                        " FROM supplier_items WHERE supplier_id = ? AND item_id > ? ORDER BY item_id LIMIT ?"));
  q.bind(1, supplier_id).bind(2, after_item_id).bind(3, static_cast<std::int64_t>(limit) + 1);
  std::vector<SupplierItem> out;
  while (q.step()) out.push_back(item_from(q));
  return out;
}

std::vector<SupplierItem> suppliers_of_item(db::Db& db, const std::string& item_id) {
  auto q = db.query(
      sql("SELECT ", item_columns, " FROM supplier_items WHERE item_id = ? ORDER BY preferred DESC, supplier_id"));
  q.bind(1, item_id);
  std::vector<SupplierItem> out;
  while (q.step()) out.push_back(item_from(q));
  return out;
}

void put_supplier_item(db::Db& db, const SupplierItem& i) {
  if (i.preferred)
    db.query("UPDATE supplier_items SET preferred = 0, updated_at = ? WHERE item_id = ? AND preferred = 1 "
             "AND supplier_id <> ?")
        .bind(1, i.updated_at)
        .bind(2, i.item_id)
        .bind(3, i.supplier_id)
        .run();
  auto exists = db.query("SELECT 1 FROM supplier_items WHERE supplier_id = ? AND item_id = ?");
  exists.bind(1, i.supplier_id).bind(2, i.item_id);
  bool update = exists.step();
  if (update) {
    db.query(
          "UPDATE supplier_items SET supplier_sku = ?, cost = ?, case_pack = ?, case_gtin = ?, min_order_units = ?, "
          "preferred = ?, updated_at = ? WHERE supplier_id = ? AND item_id = ?")
        .bind(1, i.supplier_sku)
        .bind(2, i.cost)
        .bind(3, i.case_pack.milli)
        .bind(4, i.case_gtin)
        .bind(5, i.min_order_units.milli)
        .bind(6, static_cast<std::int64_t>(i.preferred ? 1 : 0))
        .bind(7, i.updated_at)
        .bind(8, i.supplier_id)
        .bind(9, i.item_id)
        .run();
    return;
  }
  db.query(
        "INSERT INTO supplier_items (supplier_id, item_id, supplier_sku, cost, case_pack, case_gtin, "
        "min_order_units, preferred, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, i.supplier_id)
      .bind(2, i.item_id)
      .bind(3, i.supplier_sku)
      .bind(4, i.cost)
      .bind(5, i.case_pack.milli)
      .bind(6, i.case_gtin)
      .bind(7, i.min_order_units.milli)
      .bind(8, static_cast<std::int64_t>(i.preferred ? 1 : 0))
      .bind(9, i.created_at)
      .bind(10, i.updated_at)
      .run();
}

std::optional<SupplierChange> load_change(db::Db& db, const std::string& id) {
  auto q = db.query(sql("SELECT ", change_columns, " FROM supplier_changes WHERE id = ?"));
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return change_from(db, q);
}

std::optional<SupplierChange> pending_change_of(db::Db& db, const std::string& supplier_id) {
  auto q = db.query(sql("SELECT ", change_columns,
                        " FROM supplier_changes WHERE supplier_id = ? AND status = 'pending' ORDER BY id DESC "
                        "LIMIT 1"));
  q.bind(1, supplier_id);
  if (!q.step()) return std::nullopt;
  return change_from(db, q);
}

std::vector<SupplierChange> list_changes(db::Db& db, const ChangeFilter& f) {
  auto q = db.query(sql("SELECT ", change_columns,
                        " FROM supplier_changes WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR supplier_id = ?2) "
                        "AND id > ?3 ORDER BY id LIMIT ?4"));
  q.bind(1, f.status).bind(2, f.supplier_id).bind(3, f.after_id).bind(4, static_cast<std::int64_t>(f.limit) + 1);
  std::vector<SupplierChange> out;
  while (q.step()) out.push_back(change_from(db, q));
  return out;
}

void insert_change(db::Db& db, const SupplierChange& c) {
  db.query("UPDATE supplier_changes SET status = 'superseded', decided_by = ?, decided_by_id = ?, decided_at = ? "
           "WHERE supplier_id = ? AND status = 'pending'")
      .bind(1, c.requested_by)
      .bind(2, c.requested_by_id)
      .bind(3, c.requested_at)
      .bind(4, c.supplier_id)
      .run();
  db.query(
        "INSERT INTO supplier_changes (id, supplier_id, kind, payment_iban, payment_bic, payment_account_name, "
        "status, requested_by, requested_by_id, requested_at, reason) VALUES (?, ?, 'payment', ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, c.id)
      .bind(2, c.supplier_id)
      .bind(3, seal(db, c.payment.iban))
      .bind(4, seal(db, c.payment.bic))
      .bind(5, seal(db, c.payment.account_name))
      .bind(6, change_statuses.text(c.status))
      .bind(7, c.requested_by)
      .bind(8, c.requested_by_id)
      .bind(9, c.requested_at)
      .bind(10, c.reason)
      .run();
}

void decide_change(db::Db& db, const SupplierChange& c) {
  db.query("UPDATE supplier_changes SET status = ?, decided_by = ?, decided_by_id = ?, decided_at = ?, "
           "decision_note = ? WHERE id = ?")
      .bind(1, change_statuses.text(c.status))
      .bind(2, c.decided_by)
      .bind(3, c.decided_by_id)
      .bind(4, c.decided_at)
      .bind(5, c.decision_note)
      .bind(6, c.id)
      .run();
}

}  // namespace backroom::purchasing
