// HTTP routes of the training modules (training/modules.hpp; docs/training.md):
//   GET  /api/v1/training/modules   (authenticated) the modules, without answers, with the caller's standing
//   POST /api/v1/training/attempts  (authenticated) {module, steps_done, answers} -> graded, stored, audited
//   GET  /api/v1/training/results   (training.read) every person's standing per module
#pragma once

#include "platform/app.hpp"

namespace backroom::training {

void register_training_routes(App& app);

}  // namespace backroom::training
