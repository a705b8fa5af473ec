#include "catalog/barcode.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace backroom::catalog {
namespace {

// ---------------------------------------------------------------------------------------------
// Limits and fixed sizes

constexpr char group_separator = '\x1D';  // GS: FNC1 as transmitted after a variable-length AI

constexpr std::size_t ean8_length = 8;
constexpr std::size_t upce_length = 8;
constexpr std::size_t isbn10_length = 10;
constexpr std::size_t upca_length = 12;
constexpr std::size_t ean13_length = 13;
constexpr std::size_t gtin14_length = 14;
constexpr int isbn10_modulus = 11;

constexpr std::size_t layout_prefix_length_max = 3;
constexpr int layout_item_digits_min = 1;
constexpr int layout_item_digits_max = 10;  // 13 - prefix (1) - value (1) - check digit (1)
constexpr int layout_value_digits_max = 6;  // without a verifier
constexpr int layout_decimals_max = 6;
constexpr int int64_decimal_digits_safe = 18;  // 10^18 < INT64_MAX, so 18 digits never overflow

// The catalog keeps money in minor units with this many decimals (cents).
constexpr int catalog_currency_decimals = 2;
// Weights are kept in grams, i.e. kilograms with three decimals.
constexpr int grams_as_kg_decimals = 3;

// Bounds work on hostile element strings: far above the largest real symbol (a GS1 DataMatrix
// holds at most 3116 digits) and it keeps the duplicate-AI check cheap.
constexpr std::size_t element_string_length_max = 4096;
// GS1 General Specifications: no AI carries more than 90 characters of data.
constexpr std::size_t ai_value_length_max = 90;
constexpr std::size_t batch_serial_length_max = 20;  // AI 10, 21, 22: X..20
constexpr std::size_t price_digits_max = 15;         // AI 392n: N..15
constexpr int net_weight_decimals_max = 5;           // AI 3100..3105
constexpr std::size_t date_length = 6;               // YYMMDD

// ---------------------------------------------------------------------------------------------
// Small helpers

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// Non-digits count as 0 so the check-digit functions stay total on arbitrary input.
int digit_value(char c) { return is_digit(c) ? c - '0' : 0; }

char digit_char(int d) { return static_cast<char>('0' + d); }

bool is_ascii_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool is_ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::string_view trim_ascii_whitespace(std::string_view s) {
  while (!s.empty() && is_ascii_whitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_whitespace(s.back())) s.remove_suffix(1);
  return s;
}

std::string hex_byte(unsigned char b) {
  constexpr std::string_view hex = "0123456789ABCDEF";
  return std::string("0x") + hex[b >> 4] + hex[b & 0x0F];
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// 10^n for 0 <= n <= 18, else nullopt.
std::optional<std::int64_t> power_of_ten(int n) {
  if (n < 0 || n > int64_decimal_digits_safe) return std::nullopt;
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Digits to a number; nullopt when not all digits or too long to be safe from overflow.
std::optional<std::int64_t> parse_number(std::string_view digits) {
  if (!all_digits(digits) || digits.size() > static_cast<std::size_t>(int64_decimal_digits_safe)) {
    return std::nullopt;
  }
  std::int64_t v = 0;
  for (char c : digits) v = v * 10 + digit_value(c);
  return v;
}

std::string zero_padded(std::uint64_t value, std::size_t width) {
  std::string s = std::to_string(value);
  if (s.size() < width) s.insert(0, width - s.size(), '0');
  return s;
}

// Moves a fixed-point value from `from` decimals to `to` decimals. Exact: nullopt on overflow
// or when dropping decimals would lose nonzero digits.
std::optional<std::int64_t> rescale(std::int64_t value, int from, int to) {
  if (value == 0) return 0;
  if (from <= to) {
    const auto factor = power_of_ten(to - from);
    std::int64_t out = 0;
    if (!factor || __builtin_mul_overflow(value, *factor, &out)) return std::nullopt;
    return out;
  }
  const auto divisor = power_of_ten(from - to);
  if (!divisor || value % *divisor != 0) return std::nullopt;
  return value / *divisor;
}

std::string check_digit_error(std::string_view code) {
  return "check digit of " + std::string(code) + " should be " +
         digit_char(gs1_check_digit(code.substr(0, code.size() - 1)));
}

// Byte offset of the first control character or malformed UTF-8 sequence, with a description;
// nullopt when `s` is printable text. C1 controls (U+0080..U+009F) count as control characters.
std::optional<std::pair<std::size_t, std::string>> find_unprintable(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 || b == 0x7F) return std::pair{i, "control character " + hex_byte(b)};
    if (b < 0x80) {
      ++i;
      continue;
    }
    // Multi-byte UTF-8: length from the lead byte, then the allowed range of the second byte
    // (which rules out overlong forms, surrogates and code points above U+10FFFF).
    std::size_t length = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return std::pair{i, "invalid UTF-8 byte " + hex_byte(b)};
    }
    if (s.size() - i < length) return std::pair{i, "truncated UTF-8 sequence"};
    for (std::size_t k = 1; k < length; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      const unsigned char min = (k == 1) ? lo : 0x80;
      const unsigned char max = (k == 1) ? hi : 0xBF;
      if (c < min || c > max) return std::pair{i, "invalid UTF-8 sequence"};
    }
    if (b == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      return std::pair{
          i, "control character U+00" + hex_byte(static_cast<unsigned char>(s[i + 1])).substr(2)};
    }
    i += length;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// GS1 Application Identifiers
//
// The AI's own length follows from its first two digits, and the GS1 General Specifications
// table "element strings with predefined length" lists the only AIs whose data needs no FNC1
// separator. Everything else ends at GS or at the end of the data.

struct AiRule {
  std::string_view start;  // first two digits of the AI
  std::size_t ai_digits;
  std::size_t fixed_length;  // data length from the predefined-length table; 0 = variable
  std::size_t max_length;    // largest data length any AI with this start allows
};

constexpr std::array ai_rules = {
    AiRule{"00", 2, 18, 18},  // SSCC
    AiRule{"01", 2, 14, 14},  // GTIN
    AiRule{"02", 2, 14, 14},  // GTIN of contained trade items
    AiRule{"03", 2, 14, 14},  // GTIN of a made-to-order item
    AiRule{"10", 2, 0, batch_serial_length_max},
    AiRule{"11", 2, date_length, date_length},  // production date
    AiRule{"12", 2, date_length, date_length},  // due date
    AiRule{"13", 2, date_length, date_length},  // packaging date
    AiRule{"15", 2, date_length, date_length},  // best before
    AiRule{"16", 2, date_length, date_length},  // sell by
    AiRule{"17", 2, date_length, date_length},  // expiry
    AiRule{"20", 2, 2, 2},                      // internal product variant
    AiRule{"21", 2, 0, batch_serial_length_max},
    AiRule{"22", 2, 0, batch_serial_length_max},
    AiRule{"23", 3, 0, ai_value_length_max},  // 235
    AiRule{"24", 3, 0, ai_value_length_max},  // 240..243
    AiRule{"25", 3, 0, ai_value_length_max},  // 250..255
    AiRule{"30", 2, 0, 8},                    // variable count
    AiRule{"31", 4, 6, 6},                    // 31nn..36nn: trade and logistic measures
    AiRule{"32", 4, 6, 6},
    AiRule{"33", 4, 6, 6},
    AiRule{"34", 4, 6, 6},
    AiRule{"35", 4, 6, 6},
    AiRule{"36", 4, 6, 6},
    AiRule{"37", 2, 0, 8},                    // count of trade items
    AiRule{"39", 4, 0, ai_value_length_max},  // 390n..395n: amounts and prices
    AiRule{"40", 3, 0, ai_value_length_max},  // 400..403
    AiRule{"41", 3, 13, 13},                  // 410..417: GLNs
    AiRule{"42", 3, 0, ai_value_length_max},  // 420..427
    AiRule{"43", 4, 0, ai_value_length_max},  // 43nn: shipping attributes
    AiRule{"70", 4, 0, ai_value_length_max},  // 70nn
    AiRule{"71", 3, 0, ai_value_length_max},  // 710..717: national healthcare numbers
    AiRule{"72", 4, 0, ai_value_length_max},  // 72nn
    AiRule{"80", 4, 0, ai_value_length_max},  // 80nn
    AiRule{"81", 4, 0, ai_value_length_max},  // 81nn: coupons
    AiRule{"82", 4, 0, ai_value_length_max},  // 8200: product URL
    AiRule{"90", 2, 0, ai_value_length_max},  // 90..99: mutually agreed / company internal
    AiRule{"91", 2, 0, ai_value_length_max},
    AiRule{"92", 2, 0, ai_value_length_max},
    AiRule{"93", 2, 0, ai_value_length_max},
    AiRule{"94", 2, 0, ai_value_length_max},
    AiRule{"95", 2, 0, ai_value_length_max},
    AiRule{"96", 2, 0, ai_value_length_max},
    AiRule{"97", 2, 0, ai_value_length_max},
    AiRule{"98", 2, 0, ai_value_length_max},
    AiRule{"99", 2, 0, ai_value_length_max},
};

const AiRule* find_ai_rule(std::string_view text) {
  if (text.size() < 2) return nullptr;
  for (const auto& rule : ai_rules) {
    if (text.substr(0, 2) == rule.start) return &rule;
  }
  return nullptr;
}

// AIs whose data ends in a GS1 check digit.
bool ai_has_check_digit(std::string_view ai) {
  return ai == "00" || ai == "01" || ai == "02" || ai == "03" || ai.substr(0, 2) == "41";
}

// GS1 AI data is printable ASCII (the "character set 82" and friends); no controls, no spaces.
bool is_ai_data_char(char c) { return c > 0x20 && c < 0x7F; }

struct RawField {
  std::string ai;
  std::string value;
};

bool check_field_shape(const AiRule& rule, const RawField& field, std::string& error) {
  const std::string label = "AI (" + field.ai + ")";
  if (field.value.empty()) {
    error = label + " has no data.";
    return false;
  }
  if (rule.fixed_length != 0 && field.value.size() != rule.fixed_length) {
    error = label + " needs exactly " + std::to_string(rule.fixed_length) + " characters, not " +
            std::to_string(field.value.size()) + ".";
    return false;
  }
  if (field.value.size() > rule.max_length) {
    error = label + " allows at most " + std::to_string(rule.max_length) + " characters, not " +
            std::to_string(field.value.size()) + ".";
    return false;
  }
  if (rule.fixed_length != 0 && !all_digits(field.value)) {
    error = label + " must be all digits, got " + quoted(field.value) + ".";
    return false;
  }
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    if (!is_ai_data_char(field.value[i])) {
      error = label + " contains the invalid character " +
              hex_byte(static_cast<unsigned char>(field.value[i])) + ".";
      return false;
    }
  }
  return true;
}

// Reads the AI digits at the start of `text`; sets `error` and returns nullptr when unknown.
const AiRule* read_ai(std::string_view text, std::size_t position, std::string& ai,
                      std::string& error) {
  const AiRule* rule = find_ai_rule(text);
  if (rule == nullptr || !all_digits(text.substr(0, 2))) {
    error = "unknown application identifier starting " + quoted(text.substr(0, 2)) +
            " at position " + std::to_string(position) + ".";
    return nullptr;
  }
  if (text.size() < rule->ai_digits || !all_digits(text.substr(0, rule->ai_digits))) {
    error = "application identifier at position " + std::to_string(position) + " needs " +
            std::to_string(rule->ai_digits) + " digits.";
    return nullptr;
  }
  ai = std::string(text.substr(0, rule->ai_digits));
  return rule;
}

// Raw form: AIs back to back, GS after each variable-length field that is not last.
bool split_raw(std::string_view data, std::vector<RawField>& fields, std::string& error) {
  std::size_t pos = 0;
  while (pos < data.size()) {
    RawField field;
    const AiRule* rule = read_ai(data.substr(pos), pos, field.ai, error);
    if (rule == nullptr) return false;
    pos += rule->ai_digits;
    if (rule->fixed_length != 0) {
      if (data.size() - pos < rule->fixed_length) {
        error = "AI (" + field.ai + ") needs " + std::to_string(rule->fixed_length) +
                " characters but only " + std::to_string(data.size() - pos) + " remain.";
        return false;
      }
      field.value = std::string(data.substr(pos, rule->fixed_length));
      pos += rule->fixed_length;
    } else {
      const std::size_t end = std::min(data.find(group_separator, pos), data.size());
      field.value = std::string(data.substr(pos, end - pos));
      pos = end;
    }
    if (!check_field_shape(*rule, field, error)) return false;
    // A separator after a predefined-length field is redundant but harmless.
    if (pos < data.size() && data[pos] == group_separator) ++pos;
    fields.push_back(std::move(field));
  }
  return true;
}

// Human-readable form: "(AI)data(AI)data". Data cannot contain '(' (no escapes supported).
bool split_bracketed(std::string_view data, std::vector<RawField>& fields, std::string& error) {
  std::size_t pos = 0;
  while (pos < data.size()) {
    if (data[pos] != '(') {
      error = "expected '(' at position " + std::to_string(pos) + ".";
      return false;
    }
    const std::size_t close = data.find(')', pos + 1);
    if (close == std::string_view::npos) {
      error = "unclosed '(' at position " + std::to_string(pos) + ".";
      return false;
    }
    const std::string_view ai_text = data.substr(pos + 1, close - pos - 1);
    RawField field;
    const AiRule* rule = read_ai(ai_text, pos + 1, field.ai, error);
    if (rule == nullptr) return false;
    if (ai_text.size() != rule->ai_digits) {
      error = "application identifier (" + std::string(ai_text) + ") should have " +
              std::to_string(rule->ai_digits) + " digits.";
      return false;
    }
    const std::size_t value_start = close + 1;
    const std::size_t end = std::min(data.find('(', value_start), data.size());
    field.value = std::string(data.substr(value_start, end - value_start));
    if (!check_field_shape(*rule, field, error)) return false;
    fields.push_back(std::move(field));
    pos = end;
  }
  return true;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> days = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return (month == 2 && leap) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

// YYMMDD to "YYYY-MM-DD". A pure function has no clock for the GS1 sliding century window,
// so years are read as 2000..2099. Day 00 means "end of month" and is kept as 00.
std::optional<std::string> parse_date(const RawField& field, std::string& error) {
  const int yy = digit_value(field.value[0]) * 10 + digit_value(field.value[1]);
  const int mm = digit_value(field.value[2]) * 10 + digit_value(field.value[3]);
  const int dd = digit_value(field.value[4]) * 10 + digit_value(field.value[5]);
  const int year = 2000 + yy;
  if (mm < 1 || mm > 12) {
    error =
        "date " + field.value + " in AI (" + field.ai + ") has month " + std::to_string(mm) + ".";
    return std::nullopt;
  }
  if (dd > days_in_month(year, mm)) {
    error = "date " + field.value + " in AI (" + field.ai + ") has day " + std::to_string(dd) +
            " but that month has " + std::to_string(days_in_month(year, mm)) + " days.";
    return std::nullopt;
  }
  return std::to_string(year) + "-" + field.value.substr(2, 2) + "-" + field.value.substr(4, 2);
}

bool apply_field(const RawField& field, ElementString& out, std::string& error) {
  const std::string label = "AI (" + field.ai + ")";
  if (ai_has_check_digit(field.ai) && !gs1_check_digit_valid(field.value)) {
    error = label + ": " + check_digit_error(field.value) + ".";
    return false;
  }
  if (field.ai == "01") {
    out.gtin = field.value;
  } else if (field.ai == "10") {
    out.batch = field.value;
  } else if (field.ai == "17") {
    auto date = parse_date(field, error);
    if (!date) return false;
    out.expiry = std::move(*date);
  } else if (field.ai.substr(0, 3) == "310") {
    const int decimals = digit_value(field.ai[3]);
    if (decimals > net_weight_decimals_max) {
      error = label + " is not a net weight AI; the decimal digit must be 0 to 5.";
      return false;
    }
    const auto grams = rescale(*parse_number(field.value), decimals, grams_as_kg_decimals);
    if (!grams) {
      error = "net weight " + field.value + " in " + label + " is not a whole number of grams.";
      return false;
    }
    out.net_weight_g = grams;
  } else if (field.ai.substr(0, 3) == "392") {
    if (!all_digits(field.value) || field.value.size() > price_digits_max) {
      error = label + " must be 1 to 15 digits, got " + quoted(field.value) + ".";
      return false;
    }
    const int decimals = digit_value(field.ai[3]);
    const auto minor = rescale(*parse_number(field.value), decimals, catalog_currency_decimals);
    if (!minor) {
      error = "price " + field.value + " in " + label + " is not a whole number of cents.";
      return false;
    }
    out.price_minor = minor;
    out.price_decimals = decimals;
  } else {
    out.other.emplace_back(field.ai, field.value);
  }
  return true;
}

// The AIM symbology identifiers whose data is a GS1 element string: GS1-128, GS1 DataBar,
// GS1 DataMatrix and GS1 QR Code.
bool is_gs1_symbology(std::string_view aim) {
  return aim == "]C1" || aim == "]e0" || aim == "]d2" || aim == "]Q3";
}

// "]" + letter + digit (ISO/IEC 15424), or empty.
std::string_view aim_identifier(std::string_view code) {
  if (code.size() >= 3 && code[0] == ']' && is_ascii_letter(code[1]) && is_digit(code[2])) {
    return code.substr(0, 3);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Embedded layouts

std::string layout_name(const EmbeddedLayout& layout) {
  return "embedded layout " + quoted(layout.prefix);
}

// Longest coherent layout whose prefix starts `code`, or nullptr.
const EmbeddedLayout* find_layout(std::string_view code,
                                  const std::vector<EmbeddedLayout>& layouts) {
  const EmbeddedLayout* best = nullptr;
  for (const auto& layout : layouts) {
    // An incoherent layout would read digits from the wrong places; it cannot match anything.
    if (!validate_layout(layout).empty()) continue;
    if (code.substr(0, layout.prefix.size()) != layout.prefix) continue;
    if (best == nullptr || layout.prefix.size() > best->prefix.size()) best = &layout;
  }
  return best;
}

std::string_view value_noun(EmbeddedValue value) {
  return value == EmbeddedValue::price ? "price" : "weight";
}

ScanCode invalid(std::string error) {
  ScanCode scan;
  scan.kind = ScanCode::Kind::invalid;
  scan.error = std::move(error);
  return scan;
}

ScanCode gtin_scan(std::string_view gtin) {
  ScanCode scan;
  scan.kind = ScanCode::Kind::gtin;
  scan.key = to_gtin14(gtin);
  return scan;
}

ScanCode classify_embedded(std::string_view code, const EmbeddedLayout& layout) {
  const std::size_t prefix_size = layout.prefix.size();
  const auto item_digits = static_cast<std::size_t>(layout.item_digits);
  const auto value_digits = static_cast<std::size_t>(layout.value_digits);
  std::size_t pos = prefix_size + item_digits;
  const std::string_view item = code.substr(prefix_size, item_digits);
  if (layout.verifier) {
    const char verifier = code[pos++];
    const std::string_view value = code.substr(pos, value_digits);
    const int expected = price_verifier_digit(value);
    if (digit_value(verifier) != expected) {
      return invalid(std::string(value_noun(layout.value)) + " verifier digit of " +
                     std::string(code) + " is " + verifier + " but the " +
                     std::string(value_noun(layout.value)) + " " + std::string(value) + " needs " +
                     digit_char(expected) + ".");
    }
  }
  const std::int64_t raw = *parse_number(code.substr(pos, value_digits));
  const auto value = embedded_value_in_units(layout, raw, catalog_currency_decimals);
  if (!value) {
    return invalid("the " + std::string(value_noun(layout.value)) + " in " + std::string(code) +
                   " cannot be converted exactly with " + layout_name(layout) + ".");
  }
  ScanCode scan;
  scan.kind = ScanCode::Kind::embedded;
  scan.key = "E:" + layout.prefix + std::string(item);
  scan.layout = layout;
  scan.embedded_value = value;
  return scan;
}

ScanCode classify_eight_digits(std::string_view code) {
  const auto upca = upce_to_upca(code);
  const bool upce_ok = upca && gs1_check_digit_valid(*upca);
  const bool ean8_ok = gs1_check_digit_valid(code);
  if (upce_ok) {
    ScanCode scan = gtin_scan(*upca);
    if (ean8_ok) scan.alt_key = to_gtin14(code);
    return scan;
  }
  if (ean8_ok) return gtin_scan(code);
  ScanCode scan;
  scan.kind = ScanCode::Kind::invalid_check_digit;
  scan.error = check_digit_error(code);
  if (upca) {
    scan.error += " (as EAN-8) or " +
                  std::string(1, digit_char(gs1_check_digit(upca->substr(0, upca_length - 1)))) +
                  " (as UPC-E)";
  }
  scan.error += ".";
  return scan;
}

ScanCode classify_element_string(std::string_view data) {
  std::string error;
  auto element = parse_element_string(data, error);
  if (!element) return invalid("malformed GS1 element string: " + error);
  if (!element->gtin) return invalid("the GS1 element string carries no GTIN (AI 01).");
  ScanCode scan;
  scan.kind = ScanCode::Kind::element_string;
  scan.key = *element->gtin;
  scan.element = std::move(element);
  return scan;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Check digits and conversions

int gs1_check_digit(std::string_view digits) {
  // Weights 3,1,3,... from the right; sum kept mod 10 so any length is safe.
  int sum = 0;
  bool weight_three = true;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    sum = (sum + digit_value(*it) * (weight_three ? 3 : 1)) % 10;
    weight_three = !weight_three;
  }
  return (10 - sum) % 10;
}

bool gs1_check_digit_valid(std::string_view code) {
  if (code.size() < 2 || !all_digits(code)) return false;
  return gs1_check_digit(code.substr(0, code.size() - 1)) == digit_value(code.back());
}

std::optional<std::string> upce_to_upca(std::string_view upce) {
  if (upce.size() != upce_length || !all_digits(upce)) return std::nullopt;
  const char number_system = upce[0];
  if (number_system != '0' && number_system != '1') return std::nullopt;
  const std::string d(upce.substr(1, 6));  // d[0..5] = the six data digits
  const char check = upce[7];
  std::string body;  // manufacturer (5) + product (5)
  switch (d[5]) {
    case '0':
    case '1':
    case '2':  // manufacturer d1 d2 d6 0 0, product 0 0 d3 d4 d5
      body = d.substr(0, 2) + d[5] + "0000" + d.substr(2, 3);
      break;
    case '3':  // manufacturer d1 d2 d3 0 0, product 0 0 0 d4 d5
      body = d.substr(0, 3) + "00000" + d.substr(3, 2);
      break;
    case '4':  // manufacturer d1 d2 d3 d4 0, product 0 0 0 0 d5
      body = d.substr(0, 4) + "00000" + d[4];
      break;
    default:  // 5..9: manufacturer d1..d5, product 0 0 0 0 d6
      body = d.substr(0, 5) + "0000" + d[5];
      break;
  }
  return number_system + body + check;
}

std::optional<std::string> upca_to_upce(std::string_view upca) {
  if (upca.size() != upca_length || !all_digits(upca)) return std::nullopt;
  const char number_system = upca[0];
  if (number_system != '0' && number_system != '1') return std::nullopt;
  const std::string m(upca.substr(1, 5));  // manufacturer
  const std::string p(upca.substr(6, 5));  // product
  const char check = upca[11];
  std::string data;
  // The GS1 zero-suppression cases, tried in order so the result is the canonical UPC-E.
  if ((m.substr(2) == "000" || m.substr(2) == "100" || m.substr(2) == "200") &&
      p.substr(0, 2) == "00") {
    data = m.substr(0, 2) + p.substr(2, 3) + m[2];
  } else if (m.substr(3) == "00" && p.substr(0, 3) == "000") {
    data = m.substr(0, 3) + p.substr(3, 2) + "3";
  } else if (m[4] == '0' && p.substr(0, 4) == "0000") {
    data = m.substr(0, 4) + p[4] + "4";
  } else if (p.substr(0, 4) == "0000" && p[4] >= '5') {
    data = m + p[4];
  } else {
    return std::nullopt;
  }
  return number_system + data + check;
}

std::optional<std::string> isbn10_to_ean13(std::string_view isbn10) {
  std::string chars;
  for (char c : isbn10) {
    if (c == '-' || c == ' ') continue;
    if (chars.size() == isbn10_length) return std::nullopt;  // too long; stop early
    chars += c;
  }
  if (chars.size() != isbn10_length || !all_digits(std::string_view(chars).substr(0, 9))) {
    return std::nullopt;
  }
  const char last = chars.back();
  if (!is_digit(last) && last != 'X' && last != 'x') return std::nullopt;
  // Weights 10..1 from the left; 'X' stands for 10 and only as the check digit.
  int sum = 0;
  for (std::size_t i = 0; i < isbn10_length; ++i) {
    const int value = (i == isbn10_length - 1 && !is_digit(chars[i])) ? 10 : digit_value(chars[i]);
    sum += static_cast<int>(isbn10_length - i) * value;
  }
  if (sum % isbn10_modulus != 0) return std::nullopt;
  std::string ean = "978" + chars.substr(0, 9);
  ean += digit_char(gs1_check_digit(ean));
  return ean;
}

std::string to_gtin14(std::string_view gtin) {
  const std::size_t n = gtin.size();
  const bool gtin_length =
      n == ean8_length || n == upca_length || n == ean13_length || n == gtin14_length;
  if (!gtin_length || !gs1_check_digit_valid(gtin)) return {};
  return std::string(gtin14_length - n, '0') + std::string(gtin);
}

std::string validate_layout(const EmbeddedLayout& layout) {
  const std::string name = layout_name(layout);
  if (layout.prefix.empty() || layout.prefix.size() > layout_prefix_length_max ||
      !all_digits(layout.prefix)) {
    return name + ": the prefix must be 1 to 3 digits.";
  }
  if (layout.item_digits < layout_item_digits_min || layout.item_digits > layout_item_digits_max) {
    return name + ": the item code must have 1 to 10 digits, not " +
           std::to_string(layout.item_digits) + ".";
  }
  if (layout.verifier && layout.value_digits != 4 && layout.value_digits != 5) {
    return name + ": a verifier digit needs a value of 4 or 5 digits, not " +
           std::to_string(layout.value_digits) + ".";
  }
  if (layout.value_digits < 1 || layout.value_digits > layout_value_digits_max) {
    return name + ": the value must have 1 to 6 digits, not " +
           std::to_string(layout.value_digits) + ".";
  }
  if (layout.decimals < 0 || layout.decimals > layout_decimals_max) {
    return name + ": decimals must be 0 to 6, not " + std::to_string(layout.decimals) + ".";
  }
  const std::size_t total = layout.prefix.size() + static_cast<std::size_t>(layout.item_digits) +
                            (layout.verifier ? 1 : 0) +
                            static_cast<std::size_t>(layout.value_digits) + 1;
  if (total != ean13_length) {
    return name + ": prefix (" + std::to_string(layout.prefix.size()) + ") + item (" +
           std::to_string(layout.item_digits) + ") + verifier (" + (layout.verifier ? "1" : "0") +
           ") + value (" + std::to_string(layout.value_digits) + ") + check digit (1) make " +
           std::to_string(total) + " digits, not 13.";
  }
  return {};
}

int price_verifier_digit(std::string_view value_digits) {
  // GS1 weighting-factor tables: each maps a digit to the units digit of its weighted product.
  constexpr std::array<int, 10> weight_2_minus = {0, 2, 4, 6, 8, 9, 1, 3, 5, 7};
  constexpr std::array<int, 10> weight_3 = {0, 3, 6, 9, 2, 5, 8, 1, 4, 7};
  constexpr std::array<int, 10> weight_5_plus = {0, 5, 1, 6, 2, 7, 3, 8, 4, 9};
  constexpr std::array<int, 10> weight_5_minus = {0, 5, 9, 4, 8, 3, 7, 2, 6, 1};
  // The digit whose 5- product is the index: the five-digit method ends with this lookup.
  constexpr std::array<int, 10> weight_5_minus_inverse = {0, 9, 7, 5, 3, 1, 8, 6, 4, 2};

  auto d = [&](std::size_t i) { return static_cast<std::size_t>(digit_value(value_digits[i])); };
  if (value_digits.size() == 4) {
    const int sum =
        weight_2_minus[d(0)] + weight_2_minus[d(1)] + weight_3[d(2)] + weight_5_minus[d(3)];
    return (sum * 3) % 10;
  }
  if (value_digits.size() == 5) {
    const int sum = weight_5_plus[d(0)] + weight_2_minus[d(1)] + weight_5_minus[d(2)] +
                    weight_5_plus[d(3)] + weight_2_minus[d(4)];
    const int to_next_ten = (10 - sum % 10) % 10;
    return weight_5_minus_inverse[static_cast<std::size_t>(to_next_ten)];
  }
  return 0;  // precondition violated; stay total
}

std::string validate_prefixes(const std::vector<std::string>& internal_prefixes,
                              const std::vector<EmbeddedLayout>& layouts) {
  struct Entry {
    std::string prefix;
    std::string label;
  };
  std::vector<Entry> entries;
  for (const auto& prefix : internal_prefixes) {
    entries.push_back({prefix, "internal prefix " + quoted(prefix)});
  }
  for (const auto& layout : layouts) {
    entries.push_back({layout.prefix, "embedded layout prefix " + quoted(layout.prefix)});
  }
  for (const auto& entry : entries) {
    if (!all_digits(entry.prefix)) return entry.label + " must be one or more digits.";
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    for (std::size_t j = i + 1; j < entries.size(); ++j) {
      const auto& a = entries[i];
      const auto& b = entries[j];
      if (a.prefix == b.prefix) {
        return a.label + " and " + b.label + " are the same prefix.";
      }
      const auto& shorter = a.prefix.size() < b.prefix.size() ? a : b;
      const auto& longer = a.prefix.size() < b.prefix.size() ? b : a;
      if (longer.prefix.compare(0, shorter.prefix.size(), shorter.prefix) == 0) {
        return shorter.label + " overlaps " + longer.label + ": every code starting " +
               longer.prefix + " also starts " + shorter.prefix + ".";
      }
    }
  }
  return {};
}

std::optional<std::string> make_internal_barcode(std::string_view prefix, std::uint64_t sequence) {
  // At least one digit must be left for the sequence.
  if (!all_digits(prefix) || prefix.size() >= upca_length) return std::nullopt;
  const std::size_t width = upca_length - prefix.size();
  const auto limit = power_of_ten(static_cast<int>(width));
  if (!limit || sequence >= static_cast<std::uint64_t>(*limit)) return std::nullopt;
  std::string code = std::string(prefix) + zero_padded(sequence, width);
  code += digit_char(gs1_check_digit(code));
  return code;
}

std::optional<std::string> make_embedded_barcode(const EmbeddedLayout& layout,
                                                 std::string_view item_code, std::int64_t value) {
  if (!validate_layout(layout).empty()) return std::nullopt;
  const auto item_digits = static_cast<std::size_t>(layout.item_digits);
  if (!all_digits(item_code) || item_code.size() > item_digits) return std::nullopt;
  const auto limit = power_of_ten(layout.value_digits);
  if (value < 0 || !limit || value >= *limit) return std::nullopt;
  const std::string value_text =
      zero_padded(static_cast<std::uint64_t>(value), static_cast<std::size_t>(layout.value_digits));
  std::string code =
      layout.prefix + std::string(item_digits - item_code.size(), '0') + std::string(item_code);
  if (layout.verifier) code += digit_char(price_verifier_digit(value_text));
  code += value_text;
  code += digit_char(gs1_check_digit(code));
  return code;
}

std::optional<std::int64_t> embedded_value_in_units(const EmbeddedLayout& layout,
                                                    std::int64_t raw_value, int currency_decimals) {
  const int target =
      layout.value == EmbeddedValue::price ? currency_decimals : grams_as_kg_decimals;
  return rescale(raw_value, layout.decimals, target);
}

// ---------------------------------------------------------------------------------------------
// Element strings and classification

std::optional<ElementString> parse_element_string(std::string_view text, std::string& error) {
  std::string message;
  auto fail = [&](std::string why) -> std::optional<ElementString> {
    error = std::move(why);
    return std::nullopt;
  };
  if (text.size() > element_string_length_max) {
    return fail("element string is " + std::to_string(text.size()) + " bytes; at most " +
                std::to_string(element_string_length_max) + " are accepted.");
  }
  std::string_view data = text;
  if (const auto aim = aim_identifier(data); !aim.empty()) {
    if (!is_gs1_symbology(aim)) {
      return fail("symbology identifier " + std::string(aim) + " does not carry GS1 data.");
    }
    data.remove_prefix(aim.size());
  }
  if (!data.empty() && data.front() == group_separator) data.remove_prefix(1);  // leading FNC1
  if (data.empty()) return fail("element string is empty.");

  std::vector<RawField> fields;
  const bool ok = data.front() == '(' ? split_bracketed(data, fields, message)
                                      : split_raw(data, fields, message);
  if (!ok) return fail(std::move(message));

  ElementString out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& field = fields[i];
    // A repeated AI is only acceptable when it repeats the same data.
    const auto earlier =
        std::find_if(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(i),
                     [&](const RawField& f) { return f.ai == field.ai; });
    if (earlier != fields.begin() + static_cast<std::ptrdiff_t>(i)) {
      if (earlier->value != field.value) {
        return fail("AI (" + field.ai + ") appears twice with different data.");
      }
      continue;
    }
    if (!apply_field(field, out, message)) return fail(std::move(message));
  }
  return out;
}

ScanCode classify_code(std::string_view code, const std::vector<EmbeddedLayout>& layouts) {
  std::string_view text = trim_ascii_whitespace(code);
  if (text.size() > barcode_text_length_max) {
    return invalid("code is " + std::to_string(text.size()) + " bytes long; at most " +
                   std::to_string(barcode_text_length_max) + " are accepted.");
  }
  bool gs1_symbology = false;
  if (const auto aim = aim_identifier(text); !aim.empty()) {
    gs1_symbology = is_gs1_symbology(aim);
    text.remove_prefix(aim.size());
  }
  if (text.empty()) return invalid("code is empty.");

  if (gs1_symbology || text.front() == '(' ||
      text.find(group_separator) != std::string_view::npos) {
    return classify_element_string(text);
  }
  if (const auto bad = find_unprintable(text)) {
    return invalid("code contains " + bad->second + " at byte " + std::to_string(bad->first) + ".");
  }

  if (all_digits(text)) {
    switch (text.size()) {
      case ean8_length:
        return classify_eight_digits(text);
      case upca_length:
      case ean13_length:
      case gtin14_length: {
        if (!gs1_check_digit_valid(text)) {
          ScanCode scan;
          scan.kind = ScanCode::Kind::invalid_check_digit;
          scan.error = check_digit_error(text) + ".";
          return scan;
        }
        if (text.size() == ean13_length) {
          if (const auto* layout = find_layout(text, layouts)) {
            return classify_embedded(text, *layout);
          }
        }
        return gtin_scan(text);
      }
      default:
        break;
    }
  }
  if (text.size() == isbn10_length) {
    if (const auto ean = isbn10_to_ean13(text)) return gtin_scan(*ean);
  }

  ScanCode scan;
  scan.kind = ScanCode::Kind::text;
  scan.key = "T:" + std::string(text);
  return scan;
}

}  // namespace backroom::catalog
