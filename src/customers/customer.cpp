#include "customers/customer.hpp"

#include <fmt/format.h>

#include <charconv>
#include <functional>

#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/text.hpp"
#include "platform/types.hpp"

namespace backroom::customers {

namespace bj = boost::json;

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// RFC 5322 3.2.3 atext.
bool is_atext(char c) {
  return is_alpha(c) || is_digit(c) || std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

Normalised refused(std::string reason) { return Normalised{std::nullopt, std::move(reason)}; }

std::string clip(std::string_view s) { return std::string(s.substr(0, 60)); }

}  // namespace

bool valid_calling_code(std::string_view code) {
  if (code.empty() || code.size() > 3 || code[0] == '0') return false;
  for (char c : code)
    if (!is_digit(c)) return false;
  return true;
}

Normalised normalise_phone(std::string_view typed, std::string_view default_calling_code) {
  auto text = text::trim(typed);
  if (text.empty()) return refused("phone is empty");
  if (text.size() > phone_input_length_max)
    return refused(fmt::format("phone is longer than {} characters", phone_input_length_max));
  std::string digits;
  bool international = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (is_digit(c)) {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !international) {
      international = true;
    } else if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') {
      continue;
    } else {
      return refused(fmt::format("phone '{}' holds '{}': only digits, a leading + and separators are allowed", clip(text), c));
    }
  }
  if (digits.empty()) return refused(fmt::format("phone '{}' has no digits", clip(text)));
  if (!international && digits.starts_with("00")) {
    international = true;
    digits.erase(0, 2);
  }
  if (!international) {
    if (default_calling_code.empty())
      return refused(fmt::format("phone '{}' has no country code (+46 ...) and the shop has no default country code",
                                 clip(text)));
    if (digits[0] == '0') digits.erase(0, 1);  // the national trunk prefix
    digits = std::string(default_calling_code) + digits;
  }
  if (digits.empty() || digits[0] == '0') return refused(fmt::format("phone '{}': a country code never starts with 0", clip(text)));
  if (digits.size() > phone_digits_max)
    return refused(fmt::format("phone '{}' has {} digits; an E.164 number has at most {}", clip(text), digits.size(), phone_digits_max));
  if (digits.size() < phone_digits_min)
    return refused(fmt::format("phone '{}' is too short for a number with its country code", clip(text)));
  return Normalised{"+" + digits, ""};
}

Normalised normalise_email(std::string_view typed) {
  auto text = text::trim(typed);
  if (text.empty()) return refused("email is empty");
  if (text.size() > email_length_max) return refused(fmt::format("email is longer than {} bytes", email_length_max));
  auto at = text.rfind('@');
  if (at == std::string_view::npos) return refused(fmt::format("email '{}' has no @", clip(text)));
  auto local = text.substr(0, at), domain = text.substr(at + 1);
  if (local.empty()) return refused(fmt::format("email '{}' has nothing before the @", clip(text)));
  if (local.size() > email_local_length_max)
    return refused(fmt::format("email '{}': the part before the @ is longer than {} bytes", clip(text), email_local_length_max));
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return refused(fmt::format("email '{}': a dot may not start, end or double in the part before the @", clip(text)));
  for (char c : local)
    if (c != '.' && !is_atext(c))
      return refused(fmt::format("email '{}': '{}' is not allowed before the @", clip(text), c));
  if (domain.empty()) return refused(fmt::format("email '{}' has no domain after the @", clip(text)));
  std::size_t labels = 0, start = 0;
  std::string_view last;
  while (true) {
    auto dot = domain.find('.', start);
    auto label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63)
      return refused(fmt::format("email '{}': the domain has an empty or over-long part", clip(text)));
    if (label.front() == '-' || label.back() == '-')
      return refused(fmt::format("email '{}': a domain part may not start or end with '-'", clip(text)));
    for (char c : label)
      if (!is_alpha(c) && !is_digit(c) && c != '-')
        return refused(fmt::format("email '{}': '{}' is not allowed in the domain", clip(text), c));
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2) return refused(fmt::format("email '{}': the domain needs a dot (example.com)", clip(text)));
  bool alphabetic = last.size() >= 2;
  for (char c : last) alphabetic = alphabetic && is_alpha(c);
  if (!alphabetic && !last.starts_with("xn--"))
    return refused(fmt::format("email '{}': the domain's last part '{}' is not a top-level domain", clip(text), clip(last)));
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Normalised{std::move(out), ""};
}

std::string customer_number_text(std::int64_t number) { return fmt::format("C-{:06}", number); }

std::optional<std::int64_t> parse_customer_number(std::string_view text) {
  text = text::trim(text);
  if (text.size() > 2 && (text[0] == 'C' || text[0] == 'c') && text[1] == '-') text.remove_prefix(2);
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0) return std::nullopt;
  return n;
}

std::string mask_phone(std::string_view e164) {
  // The country code is not stored apart; its shortest plausible form (the first digit or
  // two) is enough for a person to tell a home number from a foreign one.
  if (e164.size() < 5) return "•••";
  return fmt::format("{} ••• {}", e164.substr(0, 3), e164.substr(e164.size() - 2));
}

std::string mask_email(std::string_view email) {
  auto at = email.rfind('@');
  if (at == std::string_view::npos || at == 0) return "•••";
  return fmt::format("{}•••{}", email.substr(0, 1), email.substr(at));
}

namespace {

// A contact member of a body: absent -> nullopt; null or "" -> remove; else its normal form.
std::optional<std::optional<std::string>> contact_field(const bj::object& body, std::string_view key,
                                                        const json::Fields& f,
                                                        const std::function<Normalised(std::string_view)>& normalise,
                                                        const char* code) {
  auto it = body.find(key);
  if (it == body.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<std::string>();
  auto typed = f.opt_identifier(key, 400).value_or("");
  if (text::trim(typed).empty()) return std::optional<std::string>();
  auto n = normalise(typed);
  if (!n.value) throw Problem(422, code, n.reason, std::string(key));
  return n.value;
}

}  // namespace

CustomerPatch customer_patch_from_json(const bj::object& body, bool create, std::string_view default_calling_code) {
  json::Fields f{body, ""};
  f.only({"name", "phone", "email", "note", "marketing_consent"});
  CustomerPatch p;
  if (create || f.has("name")) {
    auto name = std::string(text::trim(f.text("name", customer_name_length_max)));
    if (name.empty()) throw invalid_field("name", "name is empty");
    p.name = name;
  }
  p.phone = contact_field(body, "phone", f,
                          [default_calling_code](std::string_view t) { return normalise_phone(t, default_calling_code); },
                          "invalid_phone");
  p.email = contact_field(body, "email", f, [](std::string_view t) { return normalise_email(t); }, "invalid_email");
  if (auto note = f.opt_text("note", customer_note_length_max)) p.note = *note;
  p.marketing_consent = f.opt_boolean("marketing_consent");
  return p;
}

bool apply_patch(Customer& c, const CustomerPatch& p, std::int64_t at) {
  Customer before = c;
  if (p.name) c.name = *p.name;
  if (p.phone) c.phone = *p.phone;
  if (p.email) c.email = *p.email;
  if (p.note) c.note = *p.note;
  if (p.marketing_consent && *p.marketing_consent != c.marketing_consent) {
    c.marketing_consent = *p.marketing_consent;
    c.marketing_consent_at = at;
  }
  return c.name != before.name || c.phone != before.phone || c.email != before.email || c.note != before.note ||
         c.marketing_consent != before.marketing_consent;
}

bj::object customer_to_json(const Customer& c, bool show_contact) {
  auto contact = [show_contact](const std::optional<std::string>& v, auto mask) -> bj::value {
    if (!v) return nullptr;
    return bj::value(show_contact ? *v : mask(*v));
  };
  return bj::object{
      {"id", c.id},
      {"number", customer_number_text(c.number)},
      {"name", c.name},
      {"phone", contact(c.phone, mask_phone)},
      {"email", contact(c.email, mask_email)},
      {"contact_shown", show_contact},
      {"note", c.note},
      {"marketing_consent", c.marketing_consent},
      {"marketing_consent_at",
       c.marketing_consent_at ? bj::value(format_rfc3339(Timestamp{*c.marketing_consent_at})) : bj::value(nullptr)},
      {"version", c.version},
      {"created_at", format_rfc3339(Timestamp{c.created_at})},
      {"updated_at", format_rfc3339(Timestamp{c.updated_at})},
  };
}

}  // namespace backroom::customers
