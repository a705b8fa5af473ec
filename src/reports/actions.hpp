// The weekly review's actions: what the shop decided to do about a number (an owner, a due
// date, a note, photos of the problem shelf). An action belongs to the review week it came
// from and comes back in every later week's review until it is closed (done or dropped)
// with its outcome; the week it is closed in shows it one last time with that outcome.
// Values and rules here; SQL in reports_store.cpp; routes in actions_api.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/vocabulary.hpp"
#include "reports/kpi.hpp"

namespace backroom::reports {

enum class ActionStatus : std::uint8_t { open, done, dropped };
inline constexpr Vocabulary<ActionStatus, 3> action_statuses{{{
    {ActionStatus::open, "open"},
    {ActionStatus::done, "done"},
    {ActionStatus::dropped, "dropped"},
}}};

inline constexpr std::size_t action_note_bytes_max = 2000;
inline constexpr std::size_t action_outcome_bytes_max = 2000;
inline constexpr std::size_t action_photo_bytes_max = 1000 * 1000;  // under the server's body limit
inline constexpr int action_photos_max = 6;
inline constexpr int actions_per_week_max = 500;

struct PhotoHead {
  std::string id;
  std::string content_type;
  std::int64_t bytes = 0;
};

struct Action {
  std::string id;
  std::string week;  // the Monday of the review week it came from, YYYY-MM-DD
  std::optional<Kpi> kpi;
  std::optional<std::string> item_id, location_id;
  std::string note;
  std::string owner_id;
  std::string due_on;  // YYYY-MM-DD
  ActionStatus status = ActionStatus::open;
  std::string outcome;
  std::int64_t created_at = 0;
  std::string created_by;
  std::optional<std::int64_t> closed_at;
  std::optional<std::string> closed_by;
  std::int64_t version = 1;
  std::vector<PhotoHead> photos;
};

// The Monday of the (UTC, Monday-first) week holding `day`.
Day week_of(Day day);

// What a photo's first bytes say it is: image/jpeg, image/png or image/webp; nullopt else.
std::optional<std::string> image_type(std::string_view bytes);

}  // namespace backroom::reports
