#include "customers/customers_store.hpp"

#include "platform/secret_box.hpp"
#include "platform/settings.hpp"
#include "platform/text.hpp"

namespace backroom::customers {

namespace {

constexpr const char* customer_columns =
    "id, number, name, phone, email, note, marketing_consent, marketing_consent_at, version, created_at, updated_at";

Customer customer_from(db::Db& db, const db::Query& q) {
  Customer c;
  c.id = q.text(0);
  c.number = q.int64(1);
  c.name = q.text(2);
  if (auto v = q.opt_text(3)) c.phone = secret_box::reveal(db.path(), *v);
  if (auto v = q.opt_text(4)) c.email = secret_box::reveal(db.path(), *v);
  c.note = q.text(5);
  c.marketing_consent = q.int64(6) != 0;
  c.marketing_consent_at = q.opt_int64(7);
  c.version = q.int64(8);
  c.created_at = q.int64(9);
  c.updated_at = q.int64(10);
  return c;
}

std::optional<Customer> one(db::Db& db, db::Query q) {
  if (!q.step()) return std::nullopt;
  return customer_from(db, q);
}

std::optional<std::string> sealed(db::Db& db, const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return secret_box::seal(db.path(), *v);
}

std::optional<std::string> index_of(db::Db& db, std::string_view purpose, const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return secret_box::blind_index(db.path(), purpose, *v);
}

std::string select_where(const char* where) {
  return std::string("SELECT ") + customer_columns + " FROM customers WHERE " + where;
}

}  // namespace

std::string default_calling_code(db::Db& db) { return settings::get(db, calling_code_setting).value_or(""); }

std::vector<Customer> list_customers(db::Db& db, const CustomerFilter& f) {
  std::string prefix = text::fold(f.name_prefix);
  auto q = db.query(select_where("(?1 = '' OR name_key LIKE ?2) AND (?3 = '' OR phone_index = ?3) "
                                 "AND (?4 = '' OR email_index = ?4) AND (?7 = 0 OR number = ?7) AND id > ?5 ORDER BY id LIMIT ?6"));
  q.bind(1, prefix).bind(2, prefix + "%");
  q.bind(3, index_of(db, phone_purpose, f.phone).value_or(""));
  q.bind(4, index_of(db, email_purpose, f.email).value_or(""));
  q.bind(5, f.after_id).bind(6, static_cast<std::int64_t>(f.limit) + 1).bind(7, f.number.value_or(0));
  std::vector<Customer> out;
  while (q.step()) out.push_back(customer_from(db, q));
  return out;
}

std::optional<Customer> load_customer(db::Db& db, const std::string& id) {
  auto q = db.query(select_where("id = ?"));
  q.bind(1, id);
  return one(db, std::move(q));
}

std::optional<Customer> customer_by_number(db::Db& db, std::int64_t number) {
  auto q = db.query(select_where("number = ?"));
  q.bind(1, number);
  return one(db, std::move(q));
}

std::optional<Customer> customer_by_phone(db::Db& db, const std::string& e164) {
  auto q = db.query(select_where("phone_index = ?"));
  q.bind(1, secret_box::blind_index(db.path(), phone_purpose, e164));
  return one(db, std::move(q));
}

std::optional<Customer> customer_by_email(db::Db& db, const std::string& email) {
  auto q = db.query(select_where("email_index = ?"));
  q.bind(1, secret_box::blind_index(db.path(), email_purpose, email));
  return one(db, std::move(q));
}

std::int64_t next_customer_number(db::Db& db) {
  auto q = db.query("SELECT COALESCE(MAX(number), 0) + 1 FROM customers");
  q.step();
  return q.int64(0);
}

std::optional<std::int64_t> customer_number(db::Db& db, const std::string& id) {
  auto q = db.query("SELECT number FROM customers WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return q.int64(0);
}

namespace {

// The columns a write sets, in this order, bound from ?1 to ?11 (phone and email sealed, their
// blind indexes beside them).
constexpr const char* written_columns =
    "name, name_key, phone, phone_index, email, email_index, note, marketing_consent, marketing_consent_at, version, "
    "updated_at";

db::Query& bind_written(db::Db& db, db::Query& q, const Customer& c) {
  return q.bind(1, c.name)
      .bind(2, text::fold(c.name))
      .bind(3, sealed(db, c.phone))
      .bind(4, index_of(db, phone_purpose, c.phone))
      .bind(5, sealed(db, c.email))
      .bind(6, index_of(db, email_purpose, c.email))
      .bind(7, c.note)
      .bind(8, static_cast<std::int64_t>(c.marketing_consent ? 1 : 0))
      .bind(9, c.marketing_consent_at)
      .bind(10, c.version)
      .bind(11, c.updated_at);
}

}  // namespace

void insert_customer(db::Db& db, const Customer& c) {
  auto q = db.query(std::string("INSERT INTO customers (") + written_columns +
                    ", id, number, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  bind_written(db, q, c).bind(12, c.id).bind(13, c.number).bind(14, c.created_at).run();
}

void update_customer_row(db::Db& db, const Customer& c) {
  auto q = db.query(
      "UPDATE customers SET name = ?, name_key = ?, phone = ?, phone_index = ?, email = ?, email_index = ?, "
      "note = ?, marketing_consent = ?, marketing_consent_at = ?, version = ?, updated_at = ? WHERE id = ?");
  bind_written(db, q, c).bind(12, c.id).run();
}

}  // namespace backroom::customers
