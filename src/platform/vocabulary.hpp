// A vocabulary: an enum and the one table of the words that stand for its values where
// they leave the program (JSON, the database, CSV). Every to- and from-string conversion
// of such an enum goes through its table, so a word is spelled in exactly one place, and
// an unknown word from outside is a 422 that names the field and lists the allowed words.
//
//   enum class Colour { red, green };
//   inline constexpr Vocabulary<Colour, 2> colours{{{{Colour::red, "red"}, {Colour::green, "green"}}}};
//   colours.text(Colour::red) == "red";  colours.parse("blue") == std::nullopt;
//   colours.require(word_from_json, "colour") -> Colour, or 422 "colour is red or green";
//   colours.stored(word_from_database) -> Colour (a word not in the table stops: a bug).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "platform/assert.hpp"
#include "platform/problem.hpp"

namespace backroom {

template <class Enum>
struct Word {
  Enum value;
  std::string_view text;
};

template <class Enum, std::size_t N>
struct Vocabulary {
  std::array<Word<Enum>, N> words;

  // Pre: `value` is in the table (a value missing from its table is a bug).
  constexpr std::string_view text(Enum value) const {
    for (const auto& w : words)
      if (w.value == value) return w.text;
    BR_ASSERT(false, "an enum value is missing from its vocabulary table");
    return {};
  }

  constexpr std::optional<Enum> parse(std::string_view text) const {
    for (const auto& w : words)
      if (w.text == text) return w.value;
    return std::nullopt;
  }

  // The value of a word read back from the database. Pre: the word is in the table (this
  // program wrote it; an unknown stored word is a bug or a foreign write, and stops).
  Enum stored(std::string_view text) const {
    auto v = parse(text);
    BR_ASSERT(v.has_value(), "a stored word is missing from its vocabulary table");
    return *v;
  }

  // "a, b, c or d": the allowed words, in table order, for messages.
  std::string allowed() const {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) out += i + 1 == N ? " or " : ", ";
      out += words[i].text;
    }
    return out;
  }

  // The value a word from outside stands for, or 422 invalid_field naming `field` with
  // "<field> is a, b or c" (the caller's `detail` when given).
  Enum require(std::string_view text, const std::string& field, std::string detail = {}) const {
    if (auto v = parse(text)) return *v;
    throw invalid_field(field, detail.empty() ? field + " is " + allowed() : std::move(detail));
  }
};

}  // namespace backroom
