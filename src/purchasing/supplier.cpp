#include "purchasing/supplier.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace backroom::purchasing {

namespace {

struct IbanCountry {
  std::string_view code;
  std::size_t length;
};
// IBAN lengths per country from the SWIFT IBAN registry; a country not listed is held to
// the general 15..34.
constexpr std::array<IbanCountry, 79> iban_lengths{{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
    {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31},
    {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
    {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"LY", 25}, {"SD", 18},
}};

constexpr std::size_t iban_length_min = 15;
constexpr std::size_t iban_length_max = 34;
constexpr std::size_t iban_input_bytes_max = 64;  // with the spaces people type

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_upper(c) || is_digit(c); }

// Upper-cases and drops spaces; nullopt when anything but letters, digits and spaces.
std::optional<std::string> compact(std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes) return std::nullopt;
  std::string out;
  for (char c : text) {
    if (c == ' ') continue;
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!is_alnum(u)) return std::nullopt;
    out.push_back(u);
  }
  return out;
}

int iban_mod97(std::string_view iban) {
  int rest = 0;
  auto feed = [&rest](char c) {
    if (is_digit(c)) {
      rest = (rest * 10 + (c - '0')) % 97;
    } else {
      int v = c - 'A' + 10;
      rest = (rest * 100 + v) % 97;
    }
  };
  for (char c : iban.substr(4)) feed(c);
  for (char c : iban.substr(0, 4)) feed(c);
  return rest;
}

}  // namespace

std::vector<OrderDay> OrderDays::days() const {
  std::vector<OrderDay> out;
  for (const auto& w : order_days.words)
    if (contains(w.value)) out.push_back(w.value);
  return out;
}

std::string OrderDays::text() const {
  std::string out;
  for (auto d : days()) {
    if (!out.empty()) out += ',';
    out += order_days.text(d);
  }
  return out;
}

OrderDays OrderDays::from_text(std::string_view text) {
  OrderDays set;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    if (auto d = order_days.parse(text.substr(start, end - start))) set.add(*d);
    start = end + 1;
  }
  return set;
}

std::optional<std::string> iban_problem(std::string_view text) {
  auto iban = compact(text, iban_input_bytes_max);
  if (!iban) return "an IBAN has only letters, digits and spaces";
  if (iban->size() < iban_length_min || iban->size() > iban_length_max)
    return fmt::format("an IBAN is {} to {} characters, this one has {}", iban_length_min, iban_length_max,
                       iban->size());
  if (!is_upper((*iban)[0]) || !is_upper((*iban)[1]) || !is_digit((*iban)[2]) || !is_digit((*iban)[3]))
    return "an IBAN starts with a country code and two check digits, e.g. DE89";
  auto country = std::string_view(*iban).substr(0, 2);
  for (const auto& c : iban_lengths)
    if (c.code == country && c.length != iban->size())
      return fmt::format("an IBAN from {} has {} characters, this one has {}", country, c.length, iban->size());
  if (iban_mod97(*iban) != 1) return "the IBAN's check digits do not match (a typing error?)";
  return std::nullopt;
}

std::optional<std::string> normalize_iban(std::string_view text) {
  if (iban_problem(text)) return std::nullopt;
  return compact(text, iban_input_bytes_max);
}

std::optional<std::string> normalize_bic(std::string_view text) {
  auto bic = compact(text, 20);
  if (!bic || (bic->size() != 8 && bic->size() != 11)) return std::nullopt;
  for (std::size_t i = 0; i < 6; ++i)
    if (!is_upper((*bic)[i])) return std::nullopt;
  return bic;
}

std::string mask_iban(std::string_view iban) {
  constexpr std::string_view dots = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";  // four U+2022
  if (iban.size() <= 4) return std::string(dots);
  return fmt::format("{} {}", dots, iban.substr(iban.size() - 4));
}

bool same_person(const SupplierChange& change, const std::string& user, const std::string& user_id) {
  if (!change.requested_by_id.empty() && !user_id.empty()) return change.requested_by_id == user_id;
  return change.requested_by == user;
}

}  // namespace backroom::purchasing
