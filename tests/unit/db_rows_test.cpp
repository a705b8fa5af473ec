// db::insert_rows and the COPY text the PostgreSQL backend sends for it (platform/db_rows.hpp):
// hostile values (tabs, newlines, carriage returns, backslashes, a literal \N, the end-of-data
// line \., an empty string beside NULL) come out escaped and read back by COPY's own rules as
// the values put in; a NUL byte ends a value, as it ends a libpq text parameter. On SQLite
// the same rows go in 100 a statement and read back whole. The PostgreSQL round trip itself
// runs in the integration suites on PostgreSQL (tests/integration/sync_money.test.mjs: a
// pushed sale's hostile tender reference and discount reasons, compared at head office).
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "platform/db_rows.hpp"

namespace backroom::db {
namespace {

using Field = std::optional<std::string>;  // nullopt: NULL

// COPY FROM's reading of text format (PostgreSQL's copyfromparse.c), for the test only: a line
// a row, a tab between fields, \N alone is NULL, and a backslash takes the next character.
std::vector<std::vector<Field>> read_copy_text(std::string_view text) {
  std::vector<std::vector<Field>> rows;
  std::vector<Field> row;
  std::string field;
  bool escaped_any = false;
  bool null_marker = false;
  auto end_field = [&] {
    row.push_back(null_marker && !escaped_any ? Field{} : Field{field});
    field.clear();
    escaped_any = false;
    null_marker = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\t') {
      end_field();
    } else if (c == '\n') {
      end_field();
      rows.push_back(std::move(row));
      row.clear();
    } else if (c == '\r') {
      ADD_FAILURE() << "a raw carriage return ends a row in COPY text";
    } else if (c == '\\') {
      EXPECT_LT(i + 1, text.size()) << "a backslash at the end of the data";
      if (i + 1 >= text.size()) break;
      char next = text[++i];
      if (next == 'N' && field.empty() && !escaped_any && (i + 1 == text.size() || text[i + 1] == '\t' || text[i + 1] == '\n')) {
        null_marker = true;
        continue;
      }
      EXPECT_NE(next, '.') << "\\. would end the data";
      switch (next) {
        case 'n': field += '\n'; break;
        case 'r': field += '\r'; break;
        case 't': field += '\t'; break;
        case '\\': field += '\\'; break;
        default: ADD_FAILURE() << "an escape COPY would read differently: \\" << next;
      }
      escaped_any = true;
    } else {
      field += c;
    }
  }
  EXPECT_TRUE(row.empty() && field.empty()) << "the data ends inside a row";
  return rows;
}

const std::vector<std::string> hostile = {
    "",
    "plain",
    "tab\there",
    "line\nbreak",
    "carriage\rreturn\r\n",
    "back\\slash",
    "\\N",
    "N",
    "\\.",
    ".",
    "\\",
    "\\\\t",
    "\t\n\\\r",
    "ends with a backslash\\",
    "caf\xc3\xa9 \xe2\x82\xac 5",
    "'quotes' \"and\" ; semicolons --",
};

TEST(CopyText, EscapesWhatWouldEndAFieldARowOrTheData) {
  struct Case {
    std::string value, escaped;
  };
  const Case cases[] = {
      {"", ""},
      {"plain", "plain"},
      {"a\tb", "a\\tb"},
      {"a\nb", "a\\nb"},
      {"a\rb", "a\\rb"},
      {"a\\b", "a\\\\b"},
      {"\\N", "\\\\N"},
      {"\\.", "\\\\."},
      {"\t\n\\\r", "\\t\\n\\\\\\r"},
      // PostgreSQL's text holds no NUL: the value ends there, as a libpq text parameter does.
      {std::string("a\tb\0c\\d", 7), "a\\tb"},
      {std::string("\0", 1), ""},
  };
  for (const auto& c : cases) {
    std::string out = "prefix|";
    append_copy_text(out, c.value);
    EXPECT_EQ(out, "prefix|" + c.escaped) << c.value;
  }
}

// append_copy_text looks sixteen bytes a step for what it escapes: on values of every length
// around those steps, with the escaped bytes (and a NUL) anywhere, it writes what one byte at
// a time would.
TEST(CopyText, EscapesLikeOneByteAtATimeOnRandomValues) {
  auto byte_at_a_time = [](std::string_view value) {
    std::string out;
    for (char c : value) {
      if (c == '\0') break;
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: out += c;
      }
    }
    return out;
  };
  std::mt19937 random(20261207);
  const char special[] = {'\\', '\n', '\r', '\t', '\0', 'N', '.', '\x80', '\xff', '\x08', '\x0b', '\x0c', '[', ']'};
  for (int round = 0; round < 4000; ++round) {
    std::size_t length = random() % 70;
    std::string value;
    for (std::size_t i = 0; i < length; ++i)
      value += random() % 6 == 0 ? special[random() % sizeof special] : static_cast<char>('a' + random() % 26);
    std::string out = "p";
    append_copy_text(out, value);
    ASSERT_EQ(out, "p" + byte_at_a_time(value)) << round;
  }
}

TEST(CopyText, HostileValuesReadBackAsThemselvesAndNullStaysNull) {
  Rows rows(3);
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    rows.add(hostile[i]).add_null().add(static_cast<std::int64_t>(i) - 3);
  }
  rows.add(std::optional<std::string>{}).add(std::optional<std::string>{"\\N"}).add(std::numeric_limits<std::int64_t>::min());
  rows.add(true).add(std::string_view("x\ty")).add(std::numeric_limits<std::int64_t>::max());
  std::string text = copy_text(rows);
  auto read = read_copy_text(text);
  ASSERT_EQ(read.size(), hostile.size() + 2) << text;
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    ASSERT_EQ(read[i].size(), 3u) << i;
    EXPECT_EQ(read[i][0], Field{hostile[i]}) << i;
    EXPECT_EQ(read[i][1], Field{}) << i;
    EXPECT_EQ(read[i][2], Field{std::to_string(static_cast<std::int64_t>(i) - 3)}) << i;
  }
  const auto& nulls = read[hostile.size()];
  EXPECT_EQ(nulls[0], Field{});
  EXPECT_EQ(nulls[1], Field{"\\N"});
  EXPECT_EQ(nulls[2], Field{"-9223372036854775808"});
  const auto& last = read[hostile.size() + 1];
  EXPECT_EQ(last[0], Field{"1"});
  EXPECT_EQ(last[1], Field{"x\ty"});
  EXPECT_EQ(last[2], Field{"9223372036854775807"});
}

struct ScratchFile {
  std::string path = (std::filesystem::temp_directory_path() / fmt::format("db_rows_test_{}.db", ::getpid())).string();
  ScratchFile() { remove(); }
  ~ScratchFile() { remove(); }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
};

TEST(InsertRows, WritesEveryRowWithItsNullsAndTextOnSqlite) {
  ScratchFile file;
  auto db = Db::open(file.path, Mode::read_write);
  db->exec("CREATE TABLE t (seq INTEGER PRIMARY KEY, user TEXT, n INTEGER, note TEXT, d INTEGER NOT NULL DEFAULT 7)");
  static constexpr std::string_view columns[] = {"user", "n", "note"};
  // 250 rows: statements of 100, 100 and 50.
  constexpr std::size_t count = 250;
  Rows rows(std::size(columns));
  for (std::size_t i = 0; i < count; ++i) {
    const auto& text = hostile[i % hostile.size()];
    rows.add(text).add(static_cast<std::int64_t>(i) * 1'000'000'000'000);
    if (i % 3 == 0)
      rows.add_null();
    else
      rows.add(fmt::format("note {}", i));
  }
  ASSERT_EQ(rows.rows(), count);
  db->exec("BEGIN");
  insert_rows(*db, "t", columns, rows);
  insert_rows(*db, "t", columns, Rows(std::size(columns)));  // no rows: nothing
  db->exec("COMMIT");
  auto q = db->query("SELECT seq, user, n, note, d FROM t ORDER BY seq");
  std::size_t i = 0;
  while (q.step()) {
    ASSERT_LT(i, count);
    EXPECT_EQ(q.int64(0), static_cast<std::int64_t>(i) + 1);
    EXPECT_EQ(q.text(1), hostile[i % hostile.size()]) << i;
    EXPECT_EQ(q.int64(2), static_cast<std::int64_t>(i) * 1'000'000'000'000);
    EXPECT_EQ(q.opt_text(3), i % 3 == 0 ? Field{} : Field{fmt::format("note {}", i)}) << i;
    EXPECT_EQ(q.int64(4), 7);
    ++i;
  }
  EXPECT_EQ(i, count);
}

TEST(InsertRows, ARefusedRowFailsTheCallAsAnInsertWould) {
  ScratchFile file;
  auto db = Db::open(file.path, Mode::read_write);
  db->exec("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL CHECK (n > 0))");
  static constexpr std::string_view columns[] = {"id", "n"};
  Rows rows(std::size(columns));
  rows.add("a").add(1).add("b").add(0);
  db->exec("BEGIN");
  try {
    insert_rows(*db, "t", columns, rows);
    ADD_FAILURE() << "the CHECK let 0 through";
  } catch (const DbError& e) {
    EXPECT_TRUE(e.is_constraint()) << e.what();
  }
  db->exec("ROLLBACK");
}

// upsert_rows: new keys inserted, kept keys' other columns set, across statements of 100, with
// a key whose columns are named in another order than the primary key's.
TEST(UpsertRows, InsertsNewKeysAndSetsTheOtherColumnsOfKeptOnes) {
  ScratchFile file;
  auto db = Db::open(file.path, Mode::read_write);
  db->exec("CREATE TABLE t (a TEXT NOT NULL, b INTEGER NOT NULL, note TEXT, n INTEGER, untouched INTEGER NOT NULL DEFAULT 5, "
           "PRIMARY KEY (b, a)) WITHOUT ROWID");
  static constexpr std::string_view columns[] = {"a", "b", "note", "n"};
  auto rows_for = [](std::size_t from, std::size_t to, const std::string& tag) {
    Rows rows(std::size(columns));
    for (std::size_t i = from; i < to; ++i) {
      rows.add(hostile[i % hostile.size()]).add(static_cast<std::int64_t>(i)).add(tag + std::to_string(i));
      if (i % 4 == 0)
        rows.add_null();
      else
        rows.add(static_cast<std::int64_t>(i) * 10);
    }
    return rows;
  };
  db->exec("BEGIN");
  upsert_rows(*db, "t", columns, 2, rows_for(0, 150, "first "));
  db->exec("UPDATE t SET untouched = 9 WHERE b = 3");
  upsert_rows(*db, "t", columns, 2, rows_for(100, 260, "second "));  // 50 kept, 110 new
  upsert_rows(*db, "t", columns, 2, Rows(std::size(columns)));       // no rows: nothing
  db->exec("COMMIT");
  auto q = db->query("SELECT a, b, note, n, untouched FROM t ORDER BY b");
  std::size_t i = 0;
  while (q.step()) {
    ASSERT_LT(i, 260u);
    EXPECT_EQ(q.text(0), hostile[i % hostile.size()]) << i;
    EXPECT_EQ(q.int64(1), static_cast<std::int64_t>(i));
    EXPECT_EQ(q.text(2), (i < 100 ? "first " : "second ") + std::to_string(i)) << i;
    EXPECT_EQ(q.opt_int64(3), i % 4 == 0 ? std::nullopt : std::optional<std::int64_t>(static_cast<std::int64_t>(i) * 10)) << i;
    EXPECT_EQ(q.int64(4), i == 3 ? 9 : 5) << i;  // a column not named keeps its value
    ++i;
  }
  EXPECT_EQ(i, 260u);
}

}  // namespace
}  // namespace backroom::db
