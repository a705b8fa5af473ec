// Demo suppliers for `backroom demo`: a grocery wholesaler whose bank details were filed and
// approved by two different people, and a toy distributor whose details still wait for a
// manager, each with supplier items (cost, case pack, the case GTIN the demo items carry).
#pragma once

#include "platform/actor.hpp"
#include "platform/db.hpp"

namespace backroom::purchasing {

// Runs inside the caller's transaction, after the demo catalog exists.
void seed_demo_suppliers(db::Db& db, const Actor& actor);

}  // namespace backroom::purchasing
