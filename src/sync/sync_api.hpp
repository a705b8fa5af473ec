// HTTP routes of store nodes at head office (docs/openapi.yaml tag sync; docs/sync.md).
#pragma once

#include "platform/app.hpp"

namespace backroom::sync {
void register_sync_routes(App& app);
}
