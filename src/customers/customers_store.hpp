// The customers table (migration 34): every SQL statement about customers, on SQLite and
// PostgreSQL alike. Phone and email are sealed under the shop key on write and opened on
// read (platform/secret_box.hpp); their blind indexes are written beside them and are what
// an exact look-up by phone or email compares. Writes run on the writer's connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "customers/customer.hpp"
#include "platform/db.hpp"

namespace backroom::customers {

// The settings key of the shop's default calling code ("46"; absent: numbers need a +).
inline constexpr const char* calling_code_setting = "customers.default_calling_code";
std::string default_calling_code(db::Db& db);

// Blind index purposes (secret_box::blind_index).
inline constexpr std::string_view phone_purpose = "customer.phone";
inline constexpr std::string_view email_purpose = "customer.email";

struct CustomerFilter {
  std::string name_prefix;            // folded (text::fold) before it is compared
  std::optional<std::string> phone;   // E.164
  std::optional<std::string> email;   // normal form
  std::optional<std::int64_t> number;
  std::string after_id;               // cursor
  int limit = 50;                     // one more row is read to tell whether a next page exists
};

std::vector<Customer> list_customers(db::Db& db, const CustomerFilter& f);
std::optional<Customer> load_customer(db::Db& db, const std::string& id);
std::optional<Customer> customer_by_number(db::Db& db, std::int64_t number);
std::optional<Customer> customer_by_phone(db::Db& db, const std::string& e164);
std::optional<Customer> customer_by_email(db::Db& db, const std::string& email);
std::int64_t next_customer_number(db::Db& db);
// A customer's number without opening its contact (what an online order's document names).
std::optional<std::int64_t> customer_number(db::Db& db, const std::string& id);
void insert_customer(db::Db& db, const Customer& c);
void update_customer_row(db::Db& db, const Customer& c);

}  // namespace backroom::customers
