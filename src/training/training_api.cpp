#include "training/training_api.hpp"

#include <fmt/format.h>

#include "access/audit.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/types.hpp"
#include "training/modules.hpp"
#include "training/training_store.hpp"

namespace backroom::training {

namespace bj = boost::json;

namespace {

constexpr std::size_t steps_reported_max = 32;

// A signed-in person: not an API key, not the system. Only a person is trained and certified.
bool is_person(const Actor& a) { return !a.user_id.empty() && !a.user.starts_with("apikey:"); }

bj::object standing_json(const store::Standing& s) {
  const auto* m = find_module(s.module);
  return bj::object{{"user", bj::object{{"username", s.username},
                                        {"display_name", s.display_name.empty() ? s.username : s.display_name},
                                        {"role", s.role}}},
                    {"module", s.module},
                    {"title", m ? m->title : s.module},
                    {"best_score", s.best_score},
                    {"total", s.total},
                    {"attempts", s.attempts},
                    {"passed", s.passed_at.has_value()},
                    {"passed_at", s.passed_at ? bj::value(format_rfc3339(Timestamp{*s.passed_at})) : bj::value(nullptr)},
                    {"last_at", format_rfc3339(Timestamp{s.last_at})}};
}

// A module as the trainee sees it: the quiz without its answers.
bj::object module_json(const Module& m, const store::Standing* mine) {
  bj::array steps, quiz;
  for (const auto& s : m.steps) steps.push_back(bj::object{{"id", s.id}, {"text", s.text}, {"event", s.event}});
  for (const auto& q : m.quiz) {
    bj::array options;
    for (const auto& o : q.options) options.push_back(bj::string(o));
    quiz.push_back(bj::object{{"text", q.text}, {"options", std::move(options)}});
  }
  return bj::object{{"id", m.id},
                    {"role", m.role},
                    {"title", m.title},
                    {"scenario", m.scenario},
                    {"where", m.where},
                    {"pass_percent", m.pass_percent},
                    {"steps", std::move(steps)},
                    {"quiz", std::move(quiz)},
                    {"mine", mine ? bj::value(standing_json(*mine)) : bj::value(nullptr)}};
}

}  // namespace

void register_training_routes(App& app) {
  auto& r = app.router;
  r.add("GET", "/api/v1/training/modules", "authenticated",
        "The five-minute training modules (steps and quiz, never the answers), each with the caller's best result",
        [&app](http::Request& req, http::Reply reply) {
          auto mine = is_person(req.actor) ? store::standings(app.read(), req.actor.user_id)
                                           : std::vector<store::Standing>{};
          bj::array list;
          for (const auto& m : modules()) {
            const store::Standing* found = nullptr;
            for (const auto& s : mine)
              if (s.module == m.id) found = &s;
            list.push_back(module_json(m, found));
          }
          reply(http::json_response(200, bj::object{{"modules", std::move(list)}}));
        });

  r.add("POST", "/api/v1/training/attempts", "authenticated",
        "Finish a training module: the steps the screens reported and the quiz answers; graded here, kept, audited",
        [&app](http::Request& req, http::Reply reply) {
          if (!is_person(req.actor))
            throw Problem(409, "person_required",
                          "training is taken by a signed-in person: an API key has no one to certify");
          auto body = json::parse_object(req.body);
          json::Fields f{body, ""};
          f.only({"module", "steps_done", "answers"});
          auto id = f.text("module", 64);
          const auto* module = find_module(id);
          if (!module) throw Problem(422, "unknown_module", fmt::format("there is no training module '{}'", id.substr(0, 64)), "module");
          std::vector<std::string> steps;
          if (const auto* done = f.opt_array("steps_done")) {
            if (done->size() > steps_reported_max)
              throw invalid_field("steps_done", fmt::format("steps_done lists at most {} steps", steps_reported_max));
            for (std::size_t i = 0; i < done->size(); ++i) {
              const auto& v = (*done)[i];
              if (!v.is_string() || v.get_string().size() > 64)
                throw invalid_field(fmt::format("steps_done[{}]", i), "a step is named by its id, e.g. \"card\"");
              steps.emplace_back(v.get_string());
            }
          } else if (f.has("steps_done")) {
            throw invalid_field("steps_done", "steps_done is a list of step ids");
          }
          const auto* given = f.opt_array("answers");
          if (!given) throw missing_field("answers");
          if (given->size() != module->quiz.size())
            throw invalid_field("answers", fmt::format("this quiz has {} questions: give one answer each", module->quiz.size()));
          std::vector<std::size_t> answers;
          for (std::size_t i = 0; i < given->size(); ++i) {
            const auto& v = (*given)[i];
            auto options = module->quiz[i].options.size();
            if (!v.is_int64() || v.as_int64() < 0 || static_cast<std::size_t>(v.as_int64()) >= options)
              throw invalid_field(fmt::format("answers[{}]", i), fmt::format("an answer is an option's number, 0 to {}", options - 1));
            answers.push_back(static_cast<std::size_t>(v.as_int64()));
          }
          Actor actor = req.actor;
          app.command(req, std::move(reply), [module, steps, answers, actor](db::Db& db) {
            auto g = grade(*module, answers, steps);
            store::Attempt a;
            a.id = new_uuid_v7();
            a.user_id = actor.user_id;
            a.module = module->id;
            a.score = g.score;
            a.total = g.total;
            a.passed = g.passed;
            for (const auto& s : module->steps)
              if (std::find(steps.begin(), steps.end(), s.id) != steps.end()) a.steps_done.push_back(s.id);
            a.at = now().micros;
            store::insert_attempt(db, a);
            bj::array missing;
            for (const auto& m : g.missing_steps) missing.push_back(bj::string(m));
            bj::object out{{"id", a.id},
                           {"module", module->id},
                           {"title", module->title},
                           {"score", g.score},
                           {"total", g.total},
                           {"passed", g.passed},
                           {"missing_steps", std::move(missing)},
                           {"at", format_rfc3339(Timestamp{a.at})}};
            append_audit(db, actor, AuditEntry{"training.attempt", "training_attempt", a.id, std::nullopt, json::serialize(out)});
            return http::json_response(201, out);
          });
        });

  r.add("GET", "/api/v1/training/results", "training.read",
        "Every person's standing per training module: best score, attempts, passed (certified) and when",
        [&app](http::Request&, http::Reply reply) {
          bj::array list;
          for (const auto& s : store::standings(app.read(), "")) list.push_back(standing_json(s));
          reply(http::json_response(200, bj::object{{"results", std::move(list)}}));
        });
}

}  // namespace backroom::training
