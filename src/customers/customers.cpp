#include "customers/customers.hpp"

#include <fmt/format.h>

#include "access/audit.hpp"
#include "customers/customers_store.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/text.hpp"
#include "platform/types.hpp"

namespace backroom::customers {

namespace {

// The audit trail is hash-chained, not sealed: contact data goes in masked. No event is
// published: the event feed and webhooks carry no personal data.
std::string audited(const Customer& c) { return json::serialize(customer_to_json(c, false)); }

}  // namespace

void check_contact_free(db::Db& db, const Customer& c, const std::string& except_id) {
  if (c.phone)
    if (auto other = customer_by_phone(db, *c.phone); other && other->id != except_id)
      throw Problem(409, "customer_phone_taken",
                    fmt::format("customer {} ({}) has this phone number already", customer_number_text(other->number),
                                other->name.substr(0, 80)),
                    "phone");
  if (c.email)
    if (auto other = customer_by_email(db, *c.email); other && other->id != except_id)
      throw Problem(409, "customer_email_taken",
                    fmt::format("customer {} ({}) has this email address already", customer_number_text(other->number),
                                other->name.substr(0, 80)),
                    "email");
}

Customer create_customer(db::Db& db, const Actor& actor, const CustomerPatch& patch) {
  Customer c;
  std::int64_t at = now().micros;
  apply_patch(c, patch, at);
  if (c.name.empty()) throw missing_field("name");
  check_contact_free(db, c, "");
  c.id = new_uuid_v7();
  // Gap-free: the single writer numbers customers one at a time; a failed command's savepoint
  // takes its number back.
  c.number = next_customer_number(db);
  c.version = 1;
  c.created_at = c.updated_at = at;
  insert_customer(db, c);
  append_audit(db, actor, AuditEntry{"customer.create", "customer", c.id, std::nullopt, audited(c)});
  return c;
}

Customer update_customer(db::Db& db, const Actor& actor, const std::string& id, std::int64_t expected_version,
                         const CustomerPatch& patch) {
  auto before = load_customer(db, id);
  if (!before) throw not_found("customer", id);
  if (before->version != expected_version)
    throw Problem(412, "version_mismatch",
                  fmt::format("customer {} is at version {}, not {}: read it again", customer_number_text(before->number),
                              before->version, expected_version));
  Customer after = *before;
  std::int64_t at = now().micros;
  if (!apply_patch(after, patch, at)) return after;
  check_contact_free(db, after, after.id);
  after.version = before->version + 1;
  after.updated_at = at;
  update_customer_row(db, after);
  append_audit(db, actor, AuditEntry{"customer.update", "customer", after.id, audited(*before), audited(after)});
  return after;
}

std::optional<Customer> customer_for_order(db::Db& db, const Actor& actor, const OrderContact& contact) {
  auto phone = contact.phone.empty() ? std::nullopt : normalise_phone(contact.phone, default_calling_code(db)).value;
  auto email = contact.email.empty() ? std::nullopt : normalise_email(contact.email).value;
  if (!phone && !email) return std::nullopt;
  auto by_phone = phone ? customer_by_phone(db, *phone) : std::nullopt;
  auto by_email = email ? customer_by_email(db, *email) : std::nullopt;
  if (auto found = by_phone ? by_phone : by_email) {
    CustomerPatch fill;
    if (phone && !found->phone && !by_phone) fill.phone = phone;
    if (email && !found->email && !by_email) fill.email = email;
    if (!fill.phone && !fill.email) return found;
    return update_customer(db, actor, found->id, found->version, fill);
  }
  CustomerPatch created;
  auto name = std::string(text::trim(contact.name));
  created.name = name.empty() || name == contact.email ? std::string(unnamed_order_customer)
                                                       : name;
  created.phone = phone;
  created.email = email;
  created.marketing_consent = false;
  return create_customer(db, actor, created);
}

}  // namespace backroom::customers
