#include "reports/actions.hpp"

namespace backroom::reports {

Day week_of(Day day) {
  // Day 0 (1970-01-01) was a Thursday, three days after a Monday.
  std::int64_t since_monday = ((day + 3) % 7 + 7) % 7;
  return day - since_monday;
}

std::optional<std::string> image_type(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8)) return "image/png";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
}

}  // namespace backroom::reports
