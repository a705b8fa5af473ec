// Five-minute training modules per role (issue 22, "training that sticks"; docs/training.md).
// Pure data and grading, no I/O. A module is a scenario done on the real screens (at the
// register in training mode, where nothing touches stock or the books; in the back office by
// opening the screens the role works in), with steps the screens report as they happen, then
// a short quiz. The server grades: an attempt passes when every step was seen and the quiz
// score reaches the pass mark; the answers never leave the server.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace backroom::training {

struct Step {
  std::string id;     // "cash-sale"
  std::string text;   // what the trainee does, in the screen's own words
  std::string event;  // what the screen reports when it is done ("sale.cash"; docs/training.md)
};

struct Question {
  std::string text;
  std::vector<std::string> options;
  std::size_t answer = 0;  // index into options
};

struct Module {
  std::string id;
  std::string role;      // the role it is written for (any signed-in person may take any)
  std::string title;
  std::string scenario;  // the situation, one or two sentences
  std::string where;     // "register" (training mode) or "office"
  std::vector<Step> steps;
  std::vector<Question> quiz;
  int pass_percent = 75;
};

const std::vector<Module>& modules();
const Module* find_module(std::string_view id);

struct Grade {
  int score = 0;  // right answers
  int total = 0;  // questions
  bool passed = false;
  std::vector<std::string> missing_steps;  // step ids not reported
};

// `answers[i]` is the option chosen for question i. Pre: answers.size() == quiz size (the
// API refuses other sizes). Steps reported that the module does not have are ignored.
Grade grade(const Module& module, const std::vector<std::size_t>& answers, const std::vector<std::string>& steps_done);

}  // namespace backroom::training
