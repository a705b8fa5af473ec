#include "platform/text.hpp"

#include <vector>

namespace backroom::text {

namespace {
constexpr std::size_t card_digits_min = 13;
constexpr std::size_t card_digits_max = 19;

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    if (n == 2 && c < 0xc2) return false;  // overlong
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    if (n == 3) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0)) return false;  // overlong, surrogate
    }
    if (n == 4) {
      unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      if ((c == 0xf0 && c1 < 0x90) || c > 0xf4 || (c == 0xf4 && c1 >= 0x90)) return false;
    }
    i += n;
  }
  return true;
}
}  // namespace

bool luhn_valid(std::string_view digits) {
  int sum = 0;
  bool dbl = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

bool contains_card_number(std::string_view s) {
  // A card number is printed as one digit run or as groups joined by single spaces or
  // dashes ("4111 1111 1111 1111"). Check every sequence of whole groups of 13–19 digits,
  // never arbitrary windows inside a group (that would flag most long reference numbers).
  // Digits glued to letters belong to an identifier (a UUID such as
  // "12345678-1234-7abc-..."), not to a printed card number, and are skipped.
  auto alnum = [&s](std::size_t k) {
    if (k >= s.size()) return false;
    char c = s[k];
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  auto letter = [&s, &alnum](std::size_t k) { return alnum(k) && (s[k] < '0' || s[k] > '9'); };
  auto part_of_identifier = [&](std::size_t first, std::size_t end) {
    bool before = first > 0 && (letter(first - 1) || (s[first - 1] == '-' && first > 1 && alnum(first - 2)));
    bool after = letter(end) || (end < s.size() && s[end] == '-' && alnum(end + 1));
    return before || after;
  };
  std::vector<std::string_view> groups;
  auto check_groups = [&groups]() {
    for (std::size_t i = 0; i < groups.size(); ++i) {
      std::string digits;
      for (std::size_t j = i; j < groups.size() && digits.size() < card_digits_max; ++j) {
        digits += groups[j];
        if (digits.size() >= card_digits_min && digits.size() <= card_digits_max && luhn_valid(digits)) return true;
      }
    }
    return false;
  };
  std::size_t i = 0;
  std::size_t run_start = 0;
  while (i < s.size()) {
    if (s[i] < '0' || s[i] > '9') {
      ++i;
      continue;
    }
    std::size_t start = i;
    if (groups.empty()) run_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    groups.push_back(s.substr(start, i - start));
    bool joined = i + 1 < s.size() && (s[i] == ' ' || s[i] == '-') && s[i + 1] >= '0' && s[i + 1] <= '9';
    if (joined) {
      ++i;
      continue;
    }
    if (!part_of_identifier(run_start, i) && check_groups()) return true;
    groups.clear();
  }
  return false;
}

std::optional<std::string> free_text_problem(std::string_view s) {
  if (!valid_utf8(s)) return "is not valid UTF-8";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f) return "contains a control character";
  }
  if (contains_card_number(s)) return "card number";
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

std::string fold(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || u >= 0x80;
    if (alnum) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    } else {
      space = true;
    }
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace backroom::text
