// A shop's customers (issue 22): who they are to the shop, how to reach them, and whether
// they agreed to marketing. Pure: the rules a phone number and an e-mail address must meet,
// their normal forms (what is sealed and what the blind index is made of), a customer as
// JSON with contact data shown or masked, and the body of POST/PATCH /api/v1/customers.
//
// Contact data is never in the clear at rest (customers_store.hpp) nor in the audit trail
// (the masked form). No card data: name and note pass the card-number guard (json.hpp).
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace backroom::customers {

inline constexpr std::size_t customer_name_length_max = 200;
inline constexpr std::size_t customer_note_length_max = 1000;
inline constexpr std::size_t email_length_max = 254;        // RFC 5321 4.5.3.1.3 (path) less the brackets
inline constexpr std::size_t email_local_length_max = 64;   // RFC 5321 4.5.3.1.1
inline constexpr std::size_t phone_digits_max = 15;         // ITU-T E.164 section 6.1
inline constexpr std::size_t phone_digits_min = 7;          // a country code and a subscriber number
inline constexpr std::size_t phone_input_length_max = 40;   // as typed, with spaces and dashes

// A normal form, or why there is none (a sentence that names the value's problem).
struct Normalised {
  std::optional<std::string> value;
  std::string reason;
};

// ITU-T E.164: "+" then the country code (1-3 digits, not starting with 0) and the national
// number, at most 15 digits in all. Accepted as typed: spaces, dashes, dots, slashes and
// parentheses are dropped; "+" or the international prefix "00" starts a country code;
// otherwise a national number (its one trunk "0" dropped) takes `default_calling_code`
// (the shop's country, "46"), and without one the number is refused as ambiguous.
Normalised normalise_phone(std::string_view typed, std::string_view default_calling_code);

// The accepted subset of RFC 5322's addr-spec: a dot-atom local part (atext, RFC 5322 3.2.3;
// no quoted strings, no leading, trailing or double dots), "@", a domain of at least two
// LDH labels (RFC 1035 2.3.1: letters, digits, hyphens, 1-63 each, no hyphen at either
// end; IDNs in their xn-- form; no address literals), the last alphabetic; at most 64 and
// 254 bytes (RFC 5321). The normal form is trimmed and lower-cased as a whole: the shop
// treats Anna@X.se and anna@x.se as one person (RFC 5321 leaves the local part's case to
// the receiving server; no common one distinguishes it).
Normalised normalise_email(std::string_view typed);

// A calling code as the shop setting holds it: 1-3 digits, not starting with 0.
bool valid_calling_code(std::string_view code);

// "C-000123".
std::string customer_number_text(std::int64_t number);
// 123 for "C-000123", "c-123" or "123"; nullopt otherwise.
std::optional<std::int64_t> parse_customer_number(std::string_view text);

// What a person without customers.contact_read sees: "+46 ••• 67" (the country code and the
// last two digits), "a•••@example.com".
std::string mask_phone(std::string_view e164);
std::string mask_email(std::string_view email);

struct Customer {
  std::string id;
  std::int64_t number = 0;
  std::string name;
  std::optional<std::string> phone;  // E.164, in the clear here (opened by the store)
  std::optional<std::string> email;  // normal form
  std::string note;
  bool marketing_consent = false;
  std::optional<std::int64_t> marketing_consent_at;  // micros: when the consent last changed
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// A create or a change: what the body names. A phone or email given as "" (or null on a
// PATCH) removes it.
struct CustomerPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> phone;
  std::optional<std::optional<std::string>> email;
  std::optional<std::string> note;
  std::optional<bool> marketing_consent;
};

// The body of POST (`create`: name required) or PATCH /api/v1/customers. Throws 422 naming the
// field (invalid_phone, invalid_email, unknown_field, ...).
CustomerPatch customer_patch_from_json(const boost::json::object& body, bool create, std::string_view default_calling_code);

// Applies `patch` to `c` at `at`; a change of consent stamps marketing_consent_at. Returns
// whether anything changed.
bool apply_patch(Customer& c, const CustomerPatch& patch, std::int64_t at);

// {id, number: "C-000123", name, phone, email, note, marketing_consent, marketing_consent_at,
// version, created_at, updated_at, contact_shown}; phone and email masked unless `show_contact`.
boost::json::object customer_to_json(const Customer& c, bool show_contact);

}  // namespace backroom::customers
