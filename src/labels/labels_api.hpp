// Registers the label and receipt HTTP routes on the app (docs/labels.md).
#pragma once

#include "platform/app.hpp"

namespace backroom::labels {
void register_label_routes(App& app);
}
