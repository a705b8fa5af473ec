// HTTP side of who-may-do-what: installs the Router guard (every non-public route needs a
// valid session cookie or API key and the route's permission; cookie writes need the CSRF
// token) and registers sign-in/out, users, roles, API keys, manager overrides and the
// audit trail (docs/security.md).
// Settings read from the environment at start:
//   BACKROOM_SESSION_IDLE_SECONDS (default 12 h), BACKROOM_SESSION_ABSOLUTE_SECONDS (7 days).
#pragma once

#include "platform/app.hpp"

namespace backroom::auth {

void register_auth_routes(App& app);

}  // namespace backroom::auth
