// libFuzzer target for the scanner path: arbitrary bytes through classify_code and
// parse_element_string (plus the small conversions), checking the invariants callers rely on.
// Build: clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Isrc
//          src/catalog/barcode.cpp tests/fuzz/barcode_fuzz.cpp -o barcode_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/barcode.hpp"

namespace {

using namespace backroom::catalog;

// abort() rather than assert(): the checks must survive NDEBUG builds.
void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

bool is_gtin14(const std::string& key) { return key.size() == 14 && gs1_check_digit_valid(key); }

EmbeddedLayout make_layout(std::string prefix, int item_digits, EmbeddedValue value,
                           int value_digits, int decimals, bool verifier) {
  EmbeddedLayout l;
  l.prefix = std::move(prefix);
  l.item_digits = item_digits;
  l.value = value;
  l.value_digits = value_digits;
  l.decimals = decimals;
  l.verifier = verifier;
  return l;
}

// A typical configuration: price and weight layouts with and without verifier digits.
const std::vector<EmbeddedLayout>& default_layouts() {
  static const std::vector<EmbeddedLayout> layouts = {
      make_layout("21", 5, EmbeddedValue::price, 5, 2, false),
      make_layout("22", 5, EmbeddedValue::price, 4, 2, true),
      make_layout("23", 4, EmbeddedValue::weight, 5, 3, true),
      make_layout("24", 5, EmbeddedValue::weight, 5, 3, false),
      make_layout("29", 4, EmbeddedValue::weight, 6, 3, false),
  };
  return layouts;
}

void check_element(const ElementString& e) {
  if (e.gtin) check(is_gtin14(*e.gtin), "element gtin is a valid GTIN-14");
  if (e.expiry) check(e.expiry->size() == 10, "expiry is YYYY-MM-DD");
  if (e.net_weight_g) check(*e.net_weight_g >= 0, "net weight is not negative");
  if (e.price_minor) check(*e.price_minor >= 0, "price is not negative");
  check(e.price_decimals >= 0 && e.price_decimals <= 9, "price decimals 0..9");
}

void check_scan(const ScanCode& scan) {
  using Kind = ScanCode::Kind;
  const bool failed = scan.kind == Kind::invalid || scan.kind == Kind::invalid_check_digit;
  check(failed == !scan.error.empty(), "error set exactly for invalid kinds");
  check(scan.layout.has_value() == (scan.kind == Kind::embedded), "layout only when embedded");
  check(scan.embedded_value.has_value() == (scan.kind == Kind::embedded),
        "embedded value only when embedded");
  check(scan.element.has_value() == (scan.kind == Kind::element_string),
        "element only for element strings");
  check(!scan.alt_key || scan.kind == Kind::gtin, "alt key only for GTINs");
  switch (scan.kind) {
    case Kind::gtin:
      check(is_gtin14(scan.key), "gtin key is a valid GTIN-14");
      if (scan.alt_key) check(is_gtin14(*scan.alt_key), "alt key is a valid GTIN-14");
      break;
    case Kind::embedded:
      check(scan.key.rfind("E:" + scan.layout->prefix, 0) == 0, "embedded key is E:+prefix");
      check(scan.key.size() ==
                2 + scan.layout->prefix.size() + static_cast<std::size_t>(scan.layout->item_digits),
            "embedded key holds prefix + item code");
      check(validate_layout(*scan.layout).empty(), "matched layout is coherent");
      check(*scan.embedded_value >= 0, "embedded value is not negative");
      break;
    case Kind::element_string:
      check(scan.element->gtin && *scan.element->gtin == scan.key, "key is the AI 01 GTIN");
      check_element(*scan.element);
      break;
    case Kind::text:
      check(scan.key.rfind("T:", 0) == 0, "text key starts T:");
      check(scan.key.size() > 2 && scan.key.size() <= 2 + barcode_text_length_max,
            "text key length within limits");
      for (char c : scan.key) {
        const auto b = static_cast<unsigned char>(c);
        check(b >= 0x20 && b != 0x7F, "text key has no control characters");
      }
      break;
    case Kind::invalid_check_digit:
    case Kind::invalid:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  check_scan(classify_code(text, default_layouts()));
  check_scan(classify_code(text, {}));

  std::string error = "untouched";
  if (const auto element = parse_element_string(text, error)) {
    check(error == "untouched", "error untouched on success");
    check_element(*element);
  } else {
    check(!error.empty() && error != "untouched", "error set on failure");
  }

  const int check_digit = gs1_check_digit(text);
  check(check_digit >= 0 && check_digit <= 9, "check digit 0..9");
  const int verifier = price_verifier_digit(text.substr(0, 5));
  check(verifier >= 0 && verifier <= 9, "verifier digit 0..9");

  if (const auto upca = upce_to_upca(text)) {
    check(upca->size() == 12, "UPC-A has 12 digits");
    // Expansion then suppression gives back a canonical UPC-E that expands the same way.
    if (const auto upce = upca_to_upce(*upca))
      check(upce_to_upca(*upce) == upca, "UPC-E round trip");
  }
  if (const auto upce = upca_to_upce(text)) {
    check(upce_to_upca(*upce) == std::string(text), "UPC-A round trip");
  }
  if (const auto ean = isbn10_to_ean13(text)) {
    check(ean->size() == 13 && ean->rfind("978", 0) == 0 && gs1_check_digit_valid(*ean),
          "ISBN converts to a valid 978 EAN-13");
  }
  if (const auto gtin = to_gtin14(text); !gtin.empty()) check(is_gtin14(gtin), "to_gtin14 valid");
  return 0;
}
