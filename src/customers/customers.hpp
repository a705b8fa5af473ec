// Creating and changing customers: one person's phone or email belongs to one customer, a
// change names the version it read (If-Match), and every change is in the audit trail with
// contact data masked (the trail is not sealed). Writer thread only.
#pragma once

#include <cstdint>
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

}  // namespace backroom::customers
