// Barcode arithmetic and parsing for the item master: GS1 check digits, GTIN
// normalisation (UPC-E, UPC-A, EAN-8/13, GTIN-14, ISBN-10), restricted-circulation
// numbers, price/weight-embedded layouts and GS1 element strings.
// Pure functions over values: no I/O, no database, no allocation beyond strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace backroom::catalog {

// Longest code the scanner path accepts, in bytes; anything longer is refused.
inline constexpr std::size_t barcode_text_length_max = 128;

// GS1 mod-10 check digit over `digits` (the code WITHOUT its check digit), weights
// 3,1,3,... from the right. Precondition: only '0'..'9'. Returns 0..9.
int gs1_check_digit(std::string_view digits);

// True when `code` is all digits and its last digit is the GS1 check digit of the rest.
bool gs1_check_digit_valid(std::string_view code);

// UPC-E (8 digits: number system 0 or 1, six data digits, check digit) to UPC-A
// (12 digits). nullopt when the input is not 8 digits or number system is not 0/1.
// The check digit is carried over unchanged (the caller validates it).
std::optional<std::string> upce_to_upca(std::string_view upce);

// UPC-A (12 digits) to UPC-E (8 digits) when the code is zero-suppressible, else nullopt.
std::optional<std::string> upca_to_upce(std::string_view upca);

// ISBN-10 (9 digits + check digit or 'X', hyphens/spaces allowed) to ISBN-13 / EAN-13
// with prefix 978 and a fresh GS1 check digit. nullopt when not a valid ISBN-10
// (the ISBN-10 mod-11 check digit is verified).
std::optional<std::string> isbn10_to_ean13(std::string_view isbn10);

// Left-pads a valid GTIN-8/12/13/14 to 14 digits (the catalog's one key for a GTIN).
// Returns an empty string for anything else (wrong length, non-digits, bad check digit).
std::string to_gtin14(std::string_view gtin);

// How a price/weight-embedded (variable measure) EAN-13 is laid out, e.g. the common
// "2 P IIIII V PPPP C". Digits: prefix, item code, optional price verifier, value, check.
// prefix.size() + item_digits + (verifier ? 1 : 0) + value_digits + 1 == 13.
enum class EmbeddedValue { price, weight };
struct EmbeddedLayout {
  std::string prefix;        // e.g. "21"; digits only, 1..3 long
  int item_digits = 5;       // digits of the item code after the prefix
  EmbeddedValue value = EmbeddedValue::price;
  int value_digits = 5;      // 4 or 5 when verifier, else 1..6
  int decimals = 2;          // price: minor-unit decimals in the code (the shop's
                             // currency normally 2); weight: decimals of kg (3 = grams)
  bool verifier = false;     // a GS1 price verifier digit precedes the value
};

// Returns an empty string when the layout is coherent, else a sentence naming the problem.
std::string validate_layout(const EmbeddedLayout& layout);

// GS1 price/weight verifier digit (General Specifications "check digit calculation for
// price/weight fields"): 4-digit fields use weights 2-,2-,3,5- and the digit is the units
// digit of 3 x the sum; 5-digit fields use 5+,2-,5-,5+,2-, the sum is subtracted from the
// next multiple of ten and the digit is the one whose 5- product equals that result.
// Precondition: 4 or 5 digits. Returns 0..9.
int price_verifier_digit(std::string_view value_digits);

// Checks a set of configured prefixes: internal (restricted-circulation) prefixes and
// embedded layouts must not overlap (no prefix may be a prefix of another). Returns an
// empty string when fine, else a sentence naming the two overlapping prefixes.
std::string validate_prefixes(const std::vector<std::string>& internal_prefixes,
                              const std::vector<EmbeddedLayout>& layouts);

// Builds the `sequence`-th internal barcode: an EAN-13 = prefix + zero-padded sequence +
// GS1 check digit. nullopt when the sequence does not fit in the digits left.
std::optional<std::string> make_internal_barcode(std::string_view prefix, std::uint64_t sequence);

// Builds an embedded EAN-13 for an item code and a value (price in minor units or weight
// in the layout's decimals), including verifier and check digits. nullopt if it doesn't fit.
std::optional<std::string> make_embedded_barcode(const EmbeddedLayout& layout,
                                                 std::string_view item_code,
                                                 std::int64_t value);

// GS1 element string (from GS1-128 / DataBar): AI 01 GTIN, 10 batch, 17 expiry (YYMMDD),
// 310n net weight kg with n decimals, 392n price with n decimals, and other AIs kept raw.
struct ElementString {
  std::optional<std::string> gtin;              // 14 digits, check digit verified
  std::optional<std::string> batch;             // AI 10
  std::optional<std::string> expiry;            // AI 17 as "YYYY-MM-DD" (DD 00 = end of month kept as 00)
  std::optional<std::int64_t> net_weight_g;     // AI 310n, converted to grams (milli-kg), exact
  std::optional<std::int64_t> price_minor;      // AI 392n converted to 2-decimal minor units, exact
  int price_decimals = 0;                       // n of 392n as read
  std::vector<std::pair<std::string, std::string>> other;  // other AIs, in order
};

// Parses "(01)09501101530003(17)260101(10)AB12" or the raw form with GS (0x1D) separators
// after variable-length fields, optionally led by "]C1", "]e0", "]d2" or a GS.
// Returns nullopt and sets `error` (a sentence) when malformed. `error` is untouched on success.
std::optional<ElementString> parse_element_string(std::string_view text, std::string& error);

// What a scanned or typed code is, after stripping an AIM symbology prefix ("]E0" etc.)
// and surrounding whitespace. Pure classification; the store resolves keys to items.
struct ScanCode {
  enum class Kind {
    gtin,            // key = GTIN-14; alt_key may hold a second reading (8 digits: UPC-E vs EAN-8)
    embedded,        // key = "E:" + prefix + item code; embedded_value set
    element_string,  // key = GTIN-14 from AI 01; element set
    text,            // key = "T:" + text (Code 128 / internal text code)
    invalid_check_digit,  // digits of GTIN length with a wrong check digit; error set
    invalid,         // empty, too long, control characters, malformed element string; error set
  };
  Kind kind = Kind::invalid;
  std::string key;
  std::optional<std::string> alt_key;
  std::optional<EmbeddedLayout> layout;
  std::optional<std::int64_t> embedded_value;   // price minor units or weight in grams
  std::optional<ElementString> element;
  std::string error;
};

// Classifies `code` against the configured embedded layouts. Rules:
// - 8 digits: UPC-E if its expansion's check digit matches (key = GTIN-14 of the UPC-A),
//   EAN-8 if its own check digit matches; when both match, UPC-E is key and EAN-8 alt_key.
// - 12/13/14 digits: GTIN (13 digits starting with a layout prefix: embedded instead).
// - 10 chars that are a valid ISBN-10: the 978 EAN-13.
// - starts with '(' , "]C1", "]e0", or contains GS: element string.
// - anything else printable: text.
ScanCode classify_code(std::string_view code, const std::vector<EmbeddedLayout>& layouts);

// Embedded value converted to the catalog's units: price -> minor units with
// `currency_decimals` (normally 2), weight -> grams. Exact; nullopt on overflow or when
// the code carries more decimals than the target unit and the extra digits are not zero.
std::optional<std::int64_t> embedded_value_in_units(const EmbeddedLayout& layout,
                                                    std::int64_t raw_value,
                                                    int currency_decimals);

}  // namespace backroom::catalog
