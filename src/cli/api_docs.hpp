// The API reference the binary serves, so an integrator needs nothing but the server:
// GET /api/docs, an HTML page of every route of the route table (method, path, the
// permission it needs, what it does), and GET /api/openapi.yaml, the contract
// (docs/openapi.yaml, built into the binary). Both need a signed-in user or an API key:
// the public surface stays /healthz and sign-in.
#pragma once

#include "platform/app.hpp"

namespace backroom::cli {

void register_api_docs(App& app);

}  // namespace backroom::cli
