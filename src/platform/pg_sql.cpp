#include "platform/pg_sql.hpp"

#include <cctype>
#include <charconv>
#include <vector>

namespace backroom::db {
namespace {

struct Token {
  enum class Kind { word, number, param, string, quoted, comment, space, symbol } kind;
  std::string text;
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::vector<Token> tokenize(std::string_view sql) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto take = [&](Token::Kind kind, std::size_t end) {
    out.push_back({kind, std::string(sql.substr(i, end - i))});
    i = end;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {  // a literal or quoted identifier; a doubled quote stays inside
      std::size_t j = i + 1;
      for (;;) {
        if (j >= sql.size()) break;
        if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) {
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        ++j;
      }
      take(c == '\'' ? Token::Kind::string : Token::Kind::quoted, j);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      std::size_t j = sql.find('\n', i);
      take(Token::Kind::comment, j == std::string_view::npos ? sql.size() : j);
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      std::size_t j = sql.find("*/", i + 2);
      take(Token::Kind::comment, j == std::string_view::npos ? sql.size() : j + 2);
    } else if (c == '?') {
      std::size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) ++j;
      take(Token::Kind::param, j);
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < sql.size() && std::isspace(static_cast<unsigned char>(sql[j]))) ++j;
      take(Token::Kind::space, j);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < sql.size() && (word_char(sql[j]) || sql[j] == '.')) ++j;
      take(Token::Kind::number, j);
    } else if (word_char(c)) {
      std::size_t j = i;
      while (j < sql.size() && word_char(sql[j])) ++j;
      take(Token::Kind::word, j);
    } else {
      take(Token::Kind::symbol, i + 1);
    }
  }
  return out;
}

bool is(const Token& t, std::string_view word) {
  if (t.kind != Token::Kind::word || t.text.size() != word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != std::toupper(static_cast<unsigned char>(word[i])))
      return false;
  return true;
}
bool is_symbol(const Token& t, char c) { return t.kind == Token::Kind::symbol && t.text.size() == 1 && t.text[0] == c; }
bool significant(const Token& t) { return t.kind != Token::Kind::space && t.kind != Token::Kind::comment; }

class Rewriter {
 public:
  explicit Rewriter(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  std::string run() {
    std::string out;
    out.reserve(256);
    // What each open parenthesis closes with, innermost last.
    std::vector<std::string> close_suffix;
    bool or_ignore = false;
    bool references = false;  // the next '(' holds a foreign key's column
    bool any_array = false;   // the next '(' is an IN list made = ANY(ARRAY(…))
    int next_param = 1;
    for (std::size_t i = 0; i < t_.size(); ++i) {
      const Token& tok = t_[i];
      switch (tok.kind) {
        case Token::Kind::param: {
          int n = next_param;
          if (tok.text.size() > 1) std::from_chars(tok.text.data() + 1, tok.text.data() + tok.text.size(), n);
          next_param = std::max(next_param, n + 1);
          out += '$';
          out += std::to_string(n);
          continue;
        }
        case Token::Kind::symbol:
          if (is_symbol(tok, '(')) {
            close_suffix.emplace_back(references ? ") DEFERRABLE INITIALLY IMMEDIATE" : any_array ? "))" : ")");
            references = false;
            any_array = false;
          } else if (is_symbol(tok, ')')) {
            // What closes this parenthesis: ")" and what a rewrite put around it.
            if (close_suffix.empty()) {
              out += ')';
            } else {
              out += close_suffix.back();
              close_suffix.pop_back();
            }
            continue;
          } else if (is_symbol(tok, ';') && or_ignore && close_suffix.empty()) {
            out += " ON CONFLICT DO NOTHING;";
            or_ignore = false;
            continue;
          }
          out += tok.text;
          continue;
        case Token::Kind::word:
          break;
        default:
          out += tok.text;
          continue;
      }
      // Words.
      if (is(tok, "user")) {
        out += "\"user\"";
      } else if (is(tok, "REFERENCES")) {
        out += tok.text;
        references = true;
      } else if (is(tok, "INTEGER") && next_is(i, "PRIMARY") && next_is(next(i), "KEY")) {
        // SQLite's rowid alias numbers itself, with or without AUTOINCREMENT.
        out += "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
        i = next(next(i));
        if (next_is(i, "AUTOINCREMENT")) i = next(i);
      } else if (is(tok, "INTEGER")) {
        out += "BIGINT";
      } else if (is(tok, "IS") && next_is(i, "NOT") && !next_is(next(i), "NULL") && !next_is(next(i), "DISTINCT") &&
                 !next_is(next(i), "TRUE") && !next_is(next(i), "FALSE")) {
        out += "IS DISTINCT FROM";
        i = next(i);
      } else if (is(tok, "IS") && !next_is(i, "NOT") && !next_is(i, "NULL") && !next_is(i, "DISTINCT") &&
                 !next_is(i, "TRUE") && !next_is(i, "FALSE")) {
        out += "IS NOT DISTINCT FROM";
      } else if (is(tok, "TEXT") && !after_as(i)) {
        out += "TEXT COLLATE \"C\"";
      } else if (is(tok, "LIKE")) {
        out += "ILIKE";
      } else if (is(tok, "WITHOUT") && next_is(i, "ROWID")) {
        i = next(i);
        // drop the space before WITHOUT as well
        while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back()))) out.pop_back();
      } else if (is(tok, "BEGIN") && next_is(i, "IMMEDIATE")) {
        out += "BEGIN";
        i = next(i);
      } else if (is(tok, "INSERT") && next_is(i, "OR") && next_is(next(i), "IGNORE")) {
        out += "INSERT";
        i = next(next(i));
        or_ignore = true;
      } else if (is(tok, "RETURNING") && or_ignore && close_suffix.empty()) {
        out += "ON CONFLICT DO NOTHING RETURNING";
        or_ignore = false;
      } else if (is(tok, "last_insert_rowid") && next_symbol(i, '(')) {
        // The id the last INSERT of this connection (session) gave its identity column.
        out += "lastval";
      } else if ((is(tok, "MAX") || is(tok, "MIN")) && scalar_call(i)) {
        out += is(tok, "MAX") ? "GREATEST" : "LEAST";
      } else if (is(tok, "json_group_array") && next_symbol(i, '(')) {
        out += "json_agg";
      } else if (is(tok, "group_concat") && next_symbol(i, '(')) {
        out += "string_agg";
      } else if (is(tok, "json_array") && next_symbol(i, '(')) {
        out += "json_build_array";
      } else if (is(tok, "IN") && in_json_list(i)) {
        // The planner sizes an IN over a set-returning function at 100 rows whatever the list
        // holds, and on a table of a few thousand rows hashes the whole table for a handful of
        // ids; an array's = ANY is sized at 10 and probes the index (tests/unit/pg_sql_test.cpp).
        out += "= ANY(ARRAY";
        any_array = true;
      } else if (is(tok, "json_each") && next_symbol(i, '(')) {
        out += "json_array_elements_text(CAST";
        std::size_t open = next(i);
        out += '(';
        close_suffix.push_back(" AS json))");
        i = open;
      } else {
        out += tok.text;
      }
    }
    if (or_ignore) out += " ON CONFLICT DO NOTHING";
    return out;
  }

 private:
  // Whether the IN at `i` reads `IN (SELECT <expression> FROM json_each(<argument>))`, the
  // whole list one JSON array (not NOT IN: its rewrite would be <> ALL).
  bool in_json_list(std::size_t i) const {
    const std::size_t before = prev(i);
    if (before < t_.size() && is(t_[before], "NOT")) return false;
    std::size_t j = next(i);
    if (j >= t_.size() || !is_symbol(t_[j], '(')) return false;
    j = next(j);
    if (j >= t_.size() || !is(t_[j], "SELECT")) return false;
    int depth = 0;
    for (j = next(j); j < t_.size(); j = next(j)) {
      if (is_symbol(t_[j], '(')) ++depth;
      else if (is_symbol(t_[j], ')') && --depth < 0) return false;
      else if (depth == 0 && is(t_[j], "FROM")) break;
    }
    j = next(j);
    if (j >= t_.size() || !is(t_[j], "json_each")) return false;
    j = next(j);
    if (j >= t_.size() || !is_symbol(t_[j], '(')) return false;
    depth = 0;
    for (; j < t_.size(); j = next(j)) {
      if (is_symbol(t_[j], '(')) ++depth;
      else if (is_symbol(t_[j], ')') && --depth == 0) break;
    }
    j = next(j);
    return j < t_.size() && is_symbol(t_[j], ')');
  }
  std::size_t next(std::size_t i) const {
    for (std::size_t j = i + 1; j < t_.size(); ++j)
      if (significant(t_[j])) return j;
    return t_.size();
  }
  std::size_t prev(std::size_t i) const {
    for (std::size_t j = i; j-- > 0;)
      if (significant(t_[j])) return j;
    return t_.size();
  }
  bool next_is(std::size_t i, std::string_view word) const {
    std::size_t j = next(i);
    return j < t_.size() && is(t_[j], word);
  }
  bool next_symbol(std::size_t i, char c) const {
    std::size_t j = next(i);
    return j < t_.size() && is_symbol(t_[j], c);
  }
  // CAST(x AS TEXT) keeps its type name as it is (a collation there changes nothing).
  bool after_as(std::size_t i) const {
    std::size_t j = prev(i);
    return j < t_.size() && is(t_[j], "AS");
  }
  // MAX(a, b): a comma at the call's own depth makes it the scalar form.
  bool scalar_call(std::size_t i) const {
    std::size_t j = next(i);
    if (j >= t_.size() || !is_symbol(t_[j], '(')) return false;
    int depth = 0;
    for (; j < t_.size(); ++j) {
      if (is_symbol(t_[j], '(')) ++depth;
      else if (is_symbol(t_[j], ')')) {
        if (--depth == 0) return false;
      } else if (depth == 1 && is_symbol(t_[j], ',')) {
        return true;
      }
    }
    return false;
  }

  std::vector<Token> t_;
};

}  // namespace

std::string to_postgres(std::string_view sql) { return Rewriter(tokenize(sql)).run(); }

int parameter_count(std::string_view sql) {
  int highest = 0;
  // `$N` tokenizes as the symbol '$' followed by a number.
  auto tokens = tokenize(sql);
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (is_symbol(tokens[i], '$') && tokens[i + 1].kind == Token::Kind::number) {
      int n = 0;
      std::from_chars(tokens[i + 1].text.data(), tokens[i + 1].text.data() + tokens[i + 1].text.size(), n);
      highest = std::max(highest, n);
    }
  }
  return highest;
}

}  // namespace backroom::db
