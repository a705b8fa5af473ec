// Text rules shared by every capability: UTF-8 validity, control characters, the
// card-number guard (a Luhn-valid 13–19 digit run is refused in any free-text field),
// and normalisation used for SKUs and duplicate detection.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace backroom::text {

// nullopt when `s` is acceptable free text; otherwise a phrase such as
// "contains a control character" or "card number" explaining why not.
std::optional<std::string> free_text_problem(std::string_view s);

// True when `digits` (only '0'..'9') passes the Luhn check.
bool luhn_valid(std::string_view digits);

// True when some run of 13–19 digits (spaces or dashes allowed between them) is Luhn-valid.
bool contains_card_number(std::string_view s);

// Trims ASCII whitespace.
std::string_view trim(std::string_view s);

// For HTML text and attribute values: & < > " ' as character references.
std::string html_escape(std::string_view s);

// Lowercases ASCII, maps runs of non-alphanumerics to one space, trims: "Red  T-Shirt!" -> "red t shirt".
std::string fold(std::string_view s);

}  // namespace backroom::text
