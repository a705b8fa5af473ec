// Creating and changing customers: one person's phone or email belongs to one customer, a
// change names the version it read (If-Match), and every change is in the audit trail with
// contact data masked (the trail is not sealed). Writer thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "customers/customer.hpp"
#include "platform/actor.hpp"
#include "platform/db.hpp"

namespace backroom::customers {

// 409 customer_phone_taken / customer_email_taken when another customer has that phone or
// email (`except_id`: the customer being changed).
void check_contact_free(db::Db& db, const Customer& c, const std::string& except_id);

Customer create_customer(db::Db& db, const Actor& actor, const CustomerPatch& patch);
// 404 for an unknown id, 412 version_mismatch when `expected_version` is not the current one.
// A patch that changes nothing writes nothing.
Customer update_customer(db::Db& db, const Actor& actor, const std::string& id, std::int64_t expected_version,
                         const CustomerPatch& patch);

// The contact an online order was placed with, as its channel typed it.
struct OrderContact {
  std::string name, phone, email;
};
// A customer made from an order that gives no name (a web shop may send none).
inline constexpr const char* unnamed_order_customer = "Online customer";

// The customer an online order's contact names (docs/orders.md, "The order's customer"):
// - the phone and the e-mail are normalised (the shop's calling code); one that does not
//   normalise is not used, neither usable: nullopt (the order names no customer);
// - found by the phone first, else by the e-mail: an exact match of the normal forms through
//   the blind indexes, so a phone of one customer and an e-mail of another links the phone's;
// - a found customer keeps its name, phone and e-mail; one it lacks is filled from the order
//   when no other customer has it (customer.update, audited masked);
// - else a new customer (customer.create): the order's name (unnamed_order_customer when it
//   gives none, or gives its e-mail as the name), the usable contact, no marketing consent.
std::optional<Customer> customer_for_order(db::Db& db, const Actor& actor, const OrderContact& contact);

}  // namespace backroom::customers
