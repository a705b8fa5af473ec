// RFC 9457 problem details: the one error shape Backroom returns and throws.
// A Problem carries an HTTP status, a stable machine `code`, and a human `detail`
// naming the field at fault. Commands throw it; the HTTP edge turns it into
// application/problem+json, the CLI into a message and an exit status.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace backroom {

struct Problem : std::runtime_error {
  int status;
  std::string code;
  std::string detail;
  std::string field;            // JSON field or CSV column at fault, empty when none
  std::string extra_json;       // extra members as a JSON object text ("{...}"), or empty
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Retry-After, WWW-Authenticate

  Problem(int status_, std::string code_, std::string detail_, std::string field_ = {})
      : std::runtime_error(detail_),
        status(status_),
        code(std::move(code_)),
        detail(std::move(detail_)),
        field(std::move(field_)) {}
};

// Shorthands for the common kinds; each names the field where one is at fault.
inline Problem invalid_field(std::string field, std::string detail) {
  return Problem(422, "invalid_field", std::move(detail), std::move(field));
}
inline Problem missing_field(const std::string& field) {
  return Problem(422, "missing_field", "field '" + field + "' is required", field);
}
inline Problem not_found(const std::string& what, const std::string& id) {
  return Problem(404, "not_found", what + " '" + id + "' does not exist");
}

}  // namespace backroom
