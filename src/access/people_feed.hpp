// Head office's people for its store nodes (issue 21, docs/sync.md "People"): the roles, and
// the users with their password and PIN hashes (never a password), sent whole to a node whose
// copy is older. Every write of a user or a role (auth_store.cpp) gives the shop a new people
// version (setting `people_version`, a fresh UUIDv7 written in that write's transaction), so
// a node that sends the version it holds learns in one comparison whether anything changed:
// a chain has tens of people, not a feed's worth.
#pragma once

#include <boost/json.hpp>

#include <string>

#include "platform/db.hpp"

namespace backroom::auth {

inline constexpr const char* people_version_setting = "people_version";
// The version of a shop whose people have not changed since this feature came: any node
// asking with another (or none) gets them.
inline constexpr const char* people_version_initial = "initial";

// A user or role was written: the people version changes (inside the write's transaction).
void note_people_changed(db::Db& db);
std::string people_version(db::Db& db);

// {version, roles:[{name, description, builtin, permissions, discount_basis_points_max,
// return_without_receipt_max}], users:[{username, display_name, role, password_hash,
// pin_hash, disabled}]}: what a node needs to let head office's people sign in. For the
// node's key only (sync.node): it carries the hashes. Read inside the caller's snapshot.
boost::json::object people_to_json(db::Db& db);

// On a store node: head office's people become the node's. Roles by name: a custom role is
// created or its description, permissions and limits replaced; a built-in role takes head
// office's description and limits (its permissions are the code's, the same on both sides).
// Users by username (a person is their username across the chain; ids stay each side's own):
// created, or their display name, role, hashes and disabled flag replaced; a user disabled
// this way loses their sessions at once. People the node has and head office does not are
// left as they are. A replica's write: no audit entry here (head office audited the change).
// Throws Problem 422 naming the field on data it cannot read; nothing is applied then (the
// caller's transaction rolls back).
struct PeopleApplied {
  int roles = 0;
  int users = 0;
};
PeopleApplied apply_people(db::Db& db, const boost::json::object& people);

}  // namespace backroom::auth
