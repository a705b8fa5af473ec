// Grading a training module (training/modules.hpp): a table of attempts against one module of
// four questions at a 75% pass mark, then the modules themselves checked as data (every answer
// is one of its options, step ids unique, every step names the event its screen reports).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "training/modules.hpp"

namespace backroom::training {
namespace {

Module four_questions() {
  Module m;
  m.id = "t";
  m.steps = {{"a", "do a", "x.a"}, {"b", "do b", "x.b"}};
  for (int i = 0; i < 4; ++i) m.quiz.push_back(Question{"q", {"no", "yes", "maybe"}, 1});
  m.pass_percent = 75;
  return m;
}

struct Row {
  const char* what;
  std::vector<std::size_t> answers;
  std::vector<std::string> steps;
  int score;
  bool passed;
  std::vector<std::string> missing;
};

TEST(TrainingGrade, Table) {
  const auto m = four_questions();
  const std::vector<Row> rows{
      {"all right, all steps", {1, 1, 1, 1}, {"a", "b"}, 4, true, {}},
      {"three of four is the pass mark", {1, 1, 1, 0}, {"b", "a"}, 3, true, {}},
      {"two of four fails", {1, 0, 1, 0}, {"a", "b"}, 2, false, {}},
      {"a missing step fails a perfect quiz", {1, 1, 1, 1}, {"a"}, 4, false, {"b"}},
      {"steps the module lacks are ignored", {1, 1, 1, 1}, {"a", "zz", "b"}, 4, true, {}},
      {"no steps at all", {1, 1, 1, 1}, {}, 4, false, {"a", "b"}},
      {"all wrong", {0, 2, 0, 2}, {"a", "b"}, 0, false, {}},
  };
  for (const auto& r : rows) {
    auto g = grade(m, r.answers, r.steps);
    EXPECT_EQ(g.score, r.score) << r.what;
    EXPECT_EQ(g.total, 4) << r.what;
    EXPECT_EQ(g.passed, r.passed) << r.what;
    EXPECT_EQ(g.missing_steps, r.missing) << r.what;
  }
}

TEST(TrainingModules, AreSoundData) {
  std::set<std::string> ids;
  std::set<std::string> roles;
  for (const auto& m : modules()) {
    EXPECT_TRUE(ids.insert(m.id).second) << m.id << " twice";
    roles.insert(m.role);
    EXPECT_TRUE(m.where == "register" || m.where == "office") << m.id;
    EXPECT_FALSE(m.steps.empty()) << m.id;
    EXPECT_GE(m.quiz.size(), 3u) << m.id;
    std::set<std::string> steps;
    for (const auto& s : m.steps) {
      EXPECT_TRUE(steps.insert(s.id).second) << m.id << " step " << s.id << " twice";
      EXPECT_FALSE(s.event.empty()) << m.id << " " << s.id;
    }
    for (const auto& q : m.quiz) {
      EXPECT_GE(q.options.size(), 2u) << q.text;
      EXPECT_LT(q.answer, q.options.size()) << q.text;
    }
    // The right answers pass, whatever the pass mark.
    std::vector<std::size_t> right;
    std::vector<std::string> all;
    for (const auto& q : m.quiz) right.push_back(q.answer);
    for (const auto& s : m.steps) all.push_back(s.id);
    EXPECT_TRUE(grade(m, right, all).passed) << m.id;
    EXPECT_EQ(find_module(m.id), &m);
  }
  EXPECT_EQ(roles, (std::set<std::string>{"cashier", "shift_lead", "buyer", "clerk", "manager"}));
  EXPECT_EQ(find_module("no-such-module"), nullptr);
}

// The scenarios practised on the real screens (issue 22): which module asks for which event, in
// which place. Offline mode is the cashier's (at the register, in training mode); the short
// delivery is the clerk's (the clerk receives; the buyer does not).
TEST(TrainingModules, ScenariosPractised) {
  struct Practised {
    const char* module;
    const char* step;
    const char* event;
    const char* where;
  };
  const std::vector<Practised> rows{
      {"cashier-basics", "offline", "sale.offline", "register"},
      {"clerk-backroom", "short", "receive.short", "office"},
      {"buyer-receiving", "why", "reorder.why", "office"},
      {"manager-oversight", "reason", "count.reason", "office"},
      {"lead-corrections", "void", "sale.voided", "register"},
      {"lead-corrections", "damaged", "return.damaged", "register"},
      {"lead-corrections", "no-receipt", "return.no_receipt", "register"},
  };
  for (const auto& r : rows) {
    const Module* m = find_module(r.module);
    ASSERT_NE(m, nullptr) << r.module;
    EXPECT_EQ(m->where, r.where) << r.module;
    auto s = std::find_if(m->steps.begin(), m->steps.end(), [&](const Step& x) { return x.id == r.step; });
    ASSERT_NE(s, m->steps.end()) << r.module << " has no step " << r.step;
    EXPECT_EQ(s->event, r.event) << r.module << " " << r.step;
    // Every other step done and a perfect quiz: without this one step the module fails.
    std::vector<std::size_t> right;
    std::vector<std::string> others;
    for (const auto& q : m->quiz) right.push_back(q.answer);
    for (const auto& x : m->steps)
      if (x.id != r.step) others.push_back(x.id);
    auto g = grade(*m, right, others);
    EXPECT_FALSE(g.passed) << r.module << " passed without " << r.step;
    EXPECT_EQ(g.missing_steps, std::vector<std::string>{r.step}) << r.module;
  }
  // No other module waits for these two events: the buyer's module does not receive.
  for (const auto& m : modules()) {
    for (const auto& s : m.steps) {
      if (s.event == "sale.offline" || s.event == "receive.short") {
        EXPECT_TRUE(m.id == "cashier-basics" || m.id == "clerk-backroom") << m.id << " waits for " << s.event;
      }
    }
  }
}

}  // namespace
}  // namespace backroom::training
