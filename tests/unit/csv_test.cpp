#include "platform/csv.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace {

using backroom::platform::csv_escape;
using backroom::platform::csv_export_safe;
using backroom::platform::csv_field_bytes_max;
using backroom::platform::csv_fields_per_row_max;
using backroom::platform::csv_line;
using backroom::platform::CsvReader;
using backroom::platform::CsvRow;

using Fields = std::vector<std::string>;

struct Expected {
  std::size_t line;
  Fields fields;
};

struct ReadResult {
  std::vector<CsvRow> rows;
  std::optional<backroom::platform::CsvError> error;
  std::size_t bytes_consumed = 0;
};

ReadResult read_all(std::string_view text, char delimiter = ',') {
  ReadResult r;
  CsvReader reader(text, delimiter);
  CsvRow row;
  while (reader.next(row)) r.rows.push_back(row);
  r.error = reader.error();
  r.bytes_consumed = reader.bytes_consumed();
  // Stays finished: a second call after the end or an error must not resume.
  EXPECT_FALSE(reader.next(row));
  return r;
}

void expect_rows(const ReadResult& r, const std::vector<Expected>& want) {
  ASSERT_EQ(r.rows.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.rows[i].line, want[i].line) << "row " << i;
    EXPECT_EQ(r.rows[i].fields, want[i].fields) << "row " << i;
  }
}

// ---- Well-formed input ----------------------------------------------------------------

struct GoodCase {
  const char* name;
  std::string input;
  std::vector<Expected> rows;
};

class CsvGood : public ::testing::TestWithParam<GoodCase> {};

TEST_P(CsvGood, Reads) {
  const GoodCase& c = GetParam();
  ReadResult r = read_all(c.input);
  EXPECT_FALSE(r.error.has_value()) << r.error->reason;
  expect_rows(r, c.rows);
  EXPECT_EQ(r.bytes_consumed, c.input.size());
}

using namespace std::string_literals;

INSTANTIATE_TEST_SUITE_P(
    Table, CsvGood,
    ::testing::Values(
        // RFC 4180 section 2 examples.
        GoodCase{"rfc_1_crlf",
                 "aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n",
                 {{1, {"aaa", "bbb", "ccc"}}, {2, {"zzz", "yyy", "xxx"}}}},
        GoodCase{"rfc_2_no_final_break",
                 "aaa,bbb,ccc\r\nzzz,yyy,xxx",
                 {{1, {"aaa", "bbb", "ccc"}}, {2, {"zzz", "yyy", "xxx"}}}},
        GoodCase{"rfc_3_header",
                 "field_name,field_name,field_name\r\naaa,bbb,ccc\r\n",
                 {{1, {"field_name", "field_name", "field_name"}}, {2, {"aaa", "bbb", "ccc"}}}},
        GoodCase{"rfc_5_quoted",
                 "\"aaa\",\"bbb\",\"ccc\"\r\nzzz,yyy,xxx",
                 {{1, {"aaa", "bbb", "ccc"}}, {2, {"zzz", "yyy", "xxx"}}}},
        GoodCase{"rfc_6_quoted_crlf",
                 "\"aaa\",\"b\r\nbb\",\"ccc\"\r\nzzz,yyy,xxx",
                 {{1, {"aaa", "b\r\nbb", "ccc"}}, {3, {"zzz", "yyy", "xxx"}}}},
        GoodCase{
            "rfc_7_escaped_quote", "\"aaa\",\"b\"\"bb\",\"ccc\"", {{1, {"aaa", "b\"bb", "ccc"}}}},
        // Line endings.
        GoodCase{"lf", "a,b\nc,d\n", {{1, {"a", "b"}}, {2, {"c", "d"}}}},
        GoodCase{"lone_cr", "a,b\rc,d\r", {{1, {"a", "b"}}, {2, {"c", "d"}}}},
        GoodCase{"mixed_endings", "a\r\nb\nc\rd", {{1, {"a"}}, {2, {"b"}}, {3, {"c"}}, {4, {"d"}}}},
        // Blank lines: skipped but counted.
        GoodCase{"blank_lines_counted", "\r\n\na\n\r\n\rb\n\n\n", {{3, {"a"}}, {6, {"b"}}}},
        GoodCase{"only_blank_lines", "\n\r\n\r", {}}, GoodCase{"empty_input", "", {}},
        GoodCase{"bom_only", "\xEF\xBB\xBF", {}},
        GoodCase{"bom_skipped", "\xEF\xBB\xBFsku,qty\n", {{1, {"sku", "qty"}}}},
        GoodCase{"bom_not_at_start_kept",
                 "a\n\xEF\xBB\xBF"
                 "b\n",
                 {{1, {"a"}},
                  {2,
                   {"\xEF\xBB\xBF"
                    "b"}}}},
        // Empty fields.
        GoodCase{"empty_fields", ",\n,,\n", {{1, {"", ""}}, {2, {"", "", ""}}}},
        GoodCase{"trailing_delimiter_eof", "a,", {{1, {"a", ""}}}},
        GoodCase{"quoted_empty_is_a_record", "\"\"\n", {{1, {""}}}},
        GoodCase{"whitespace_is_data", " a , b \n \n", {{1, {" a ", " b "}}, {2, {" "}}}},
        // Quoted fields.
        GoodCase{"quoted_delims_and_lf",
                 "\"a,b\",\"c\nd\ne\",f\ng\n",
                 {{1, {"a,b", "c\nd\ne", "f"}}, {4, {"g"}}}},
        GoodCase{"quoted_lone_cr_counts", "\"x\ry\"\nz", {{1, {"x\ry"}}, {3, {"z"}}}},
        GoodCase{"quoted_blank_lines_kept", "\"\n\n\",1\n\n2", {{1, {"\n\n", "1"}}, {5, {"2"}}}},
        GoodCase{"only_escaped_quotes", "\"\"\"\"\"\"\n", {{1, {"\"\""}}}},
        GoodCase{"utf8_passthrough",
                 "Caf\xC3\xA9,\xE2\x82\xAC"
                 "5\n",
                 {{1,
                   {"Caf\xC3\xA9",
                    "\xE2\x82\xAC"
                    "5"}}}}),
    [](const auto& info) { return std::string(info.param.name); });

// ---- Malformed input -----------------------------------------------------------------

struct BadCase {
  const char* name;
  std::string input;
  std::size_t rows_before_error;
  std::size_t line;
  std::size_t column;
  const char* reason_contains;
};

class CsvBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(CsvBad, Fails) {
  const BadCase& c = GetParam();
  ReadResult r = read_all(c.input);
  EXPECT_EQ(r.rows.size(), c.rows_before_error);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->line, c.line);
  EXPECT_EQ(r.error->column, c.column);
  EXPECT_NE(r.error->reason.find(c.reason_contains), std::string::npos) << r.error->reason;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CsvBad,
    ::testing::Values(
        BadCase{"quote_in_unquoted", "a,b\"c\n", 0, 1, 2, "quote inside unquoted"},
        BadCase{"quote_after_space", "ok\n \"a\"\n", 1, 2, 1, "quote inside unquoted"},
        BadCase{"text_after_quote", "\"a\"b,c\n", 0, 1, 1, "text after closing quote"},
        BadCase{"space_after_quote", "x,\"a\" \n", 0, 1, 2, "text after closing quote"},
        BadCase{"text_after_multiline_quote", "1\n2,\"a\nb\"c\n", 1, 3, 2,
                "text after closing quote"},
        BadCase{"unterminated", "a\nb,\"c\n\nd", 1, 2, 2, "unterminated"},
        BadCase{"unterminated_lone_quote", "\"", 0, 1, 1, "unterminated"},
        BadCase{"unterminated_after_escape", "\"a\"\"", 0, 1, 1, "unterminated"},
        BadCase{"nul_unquoted", "a\nb,c\0d\n"s, 1, 2, 2, "NUL"},
        BadCase{"nul_quoted", "\"a\n\0\"\n"s, 0, 2, 1, "NUL"},
        BadCase{"nul_alone", "\0"s, 0, 1, 1, "NUL"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CsvReader, FieldAtSizeLimitIsAccepted) {
  const std::string big(csv_field_bytes_max, 'x');
  ReadResult r = read_all("a," + big + "\n\"" + big + "\"\n");
  ASSERT_FALSE(r.error.has_value());
  expect_rows(r, {{1, {"a", big}}, {2, {big}}});
}

TEST(CsvReader, FieldOverSizeLimitFails) {
  const std::string big(csv_field_bytes_max + 1, 'x');
  for (const std::string& input : {"a," + big + "\n", "a,\"" + big + "\"\n"}) {
    ReadResult r = read_all(input);
    ASSERT_TRUE(r.error.has_value());
    EXPECT_EQ(r.error->line, 1u);
    EXPECT_EQ(r.error->column, 2u);
    EXPECT_NE(r.error->reason.find("longer than"), std::string::npos);
  }
}

TEST(CsvReader, QuotedFieldOverLimitByEscapesOrBreaksFails) {
  // The limit counts decoded bytes whichever way they were produced.
  const std::string quotes = "\"" + std::string(csv_field_bytes_max - 1, 'x') + "\"\"\"\"\"";
  const std::string breaks = "\n\"" + std::string(csv_field_bytes_max, 'x') + "\r\n\"";
  for (const std::string& input : {quotes, breaks}) {
    ReadResult r = read_all(input);
    ASSERT_TRUE(r.error.has_value());
    EXPECT_NE(r.error->reason.find("longer than"), std::string::npos) << r.error->reason;
    EXPECT_EQ(r.error->line, input == breaks ? 2u : 1u);  // where the field starts
  }
}

TEST(CsvReader, FieldCountLimit) {
  std::string at_limit(csv_fields_per_row_max - 1, ',');
  ReadResult ok = read_all(at_limit + "\n");
  ASSERT_FALSE(ok.error.has_value());
  ASSERT_EQ(ok.rows.size(), 1u);
  EXPECT_EQ(ok.rows[0].fields.size(), csv_fields_per_row_max);

  ReadResult bad = read_all("h\n" + at_limit + ",\n");
  ASSERT_TRUE(bad.error.has_value());
  EXPECT_EQ(bad.error->line, 2u);
  EXPECT_EQ(bad.error->column, csv_fields_per_row_max + 1);
}

TEST(CsvReader, ErrorIsSticky) {
  CsvReader reader("a\"\nb\n");
  CsvRow row;
  EXPECT_FALSE(reader.next(row));
  ASSERT_TRUE(reader.error().has_value());
  EXPECT_FALSE(reader.next(row));
  EXPECT_EQ(reader.error()->line, 1u);
}

TEST(CsvReader, OtherDelimiters) {
  ReadResult semi = read_all("a;\"b;c\";d,e\n", ';');
  ASSERT_FALSE(semi.error.has_value());
  expect_rows(semi, {{1, {"a", "b;c", "d,e"}}});
  // With ';' as delimiter a ',' after a closing quote is stray text.
  EXPECT_TRUE(read_all("\"a\",b\n", ';').error.has_value());

  ReadResult tab = read_all("a\tb,c\t\"\t\"\n", '\t');
  ASSERT_FALSE(tab.error.has_value());
  expect_rows(tab, {{1, {"a", "b,c", "\t"}}});
}

TEST(CsvReader, InvalidDelimiterIsAnErrorNotUb) {
  for (char d : {'"', '\r', '\n', '\0'}) {
    ReadResult r = read_all("a,b\n", d);
    EXPECT_TRUE(r.rows.empty());
    ASSERT_TRUE(r.error.has_value());
    EXPECT_EQ(r.error->reason, "invalid delimiter");
  }
}

TEST(CsvReader, ReusedRowShrinksToCurrentRecord) {
  CsvReader reader("a,b,c\nd\n");
  CsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.fields, (Fields{"a", "b", "c"}));
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.fields, (Fields{"d"}));
  EXPECT_EQ(row.line, 2u);
}

TEST(CsvReader, BytesConsumedAdvances) {
  const std::string text =
      "\xEF\xBB\xBF"
      "ab,c\r\n\"d\ne\"\n";
  CsvReader reader(text);
  EXPECT_EQ(reader.bytes_consumed(), 3u);  // BOM
  CsvRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(reader.bytes_consumed(), 9u);
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(reader.bytes_consumed(), text.size());
  EXPECT_FALSE(reader.next(row));
  EXPECT_EQ(reader.bytes_consumed(), text.size());
}

// ---- Writing --------------------------------------------------------------------------

TEST(CsvWrite, Escape) {
  EXPECT_EQ(csv_escape(""), "");
  EXPECT_EQ(csv_escape("plain text"), "plain text");
  EXPECT_EQ(csv_escape(" padded "), " padded ");
  EXPECT_EQ(csv_escape("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_escape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_escape("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_escape("a;b"), "a;b");
  EXPECT_EQ(csv_escape("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(csv_escape("a,b", ';'), "a,b");
  EXPECT_EQ(csv_escape("\xEF\xBB\xBFx"), "\"\xEF\xBB\xBFx\"");
}

TEST(CsvWrite, Line) {
  EXPECT_EQ(csv_line({"a", "b,c", ""}), "a,\"b,c\",\r\n");
  EXPECT_EQ(csv_line({"a", "b"}, '\t'), "a\tb\r\n");
  EXPECT_EQ(csv_line({""}), "\"\"\r\n");
  EXPECT_EQ(csv_line({"", ""}), ",\r\n");
  EXPECT_EQ(csv_line({}), "\r\n");
}

TEST(CsvWrite, ExportSafe) {
  struct Case {
    std::string in;
    std::string out;
  };
  const std::vector<Case> cases = {
      {"", ""},
      {"Widget", "Widget"},
      {"=SUM(A1:A9)", "'=SUM(A1:A9)"},
      {"=1+2", "'=1+2"},
      {"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
      {"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
      {"@SUM(1)", "'@SUM(1)"},
      {"\t=1", "'\t=1"},
      {"\r=1", "'\r=1"},
      {"-", "'-"},
      {"+", "'+"},
      {"-.", "'-."},
      {"-1e5", "'-1e5"},
      {"-1,000", "'-1,000"},
      {"--5", "'--5"},
      {"-5", "-5"},
      {"-1.25", "-1.25"},
      {"+7", "+7"},
      {"-.5", "-.5"},
      {"-5.", "-5."},
      {"12", "12"},
      {"a=b", "a=b"},
      {" =1", " =1"},
      {"'already", "'already"},
  };
  for (const Case& c : cases) EXPECT_EQ(csv_export_safe(c.in), c.out) << c.in;
}

// ---- Round trip -----------------------------------------------------------------------

TEST(CsvRoundTrip, RandomFieldsSurviveWriteThenRead) {
  constexpr unsigned seed = 20240611;
  constexpr int records = 2000;
  constexpr std::size_t field_len_max = 12;
  constexpr std::size_t fields_max = 8;
  // Heavy on the bytes that need care; NUL is excluded because the reader rejects it.
  const std::string alphabet = "ab ,,;\"\"\r\n\t'=-\xEF\xBB\xBF\xC3\xA9";

  for (char delimiter : {',', ';', '\t'}) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::uniform_int_distribution<std::size_t> len(0, field_len_max);
    std::uniform_int_distribution<std::size_t> count(1, fields_max);

    std::vector<Fields> written;
    std::string text;
    for (int i = 0; i < records; ++i) {
      Fields fields(count(rng));
      for (std::string& f : fields) {
        const std::size_t n = len(rng);
        for (std::size_t k = 0; k < n; ++k) f.push_back(alphabet[pick(rng)]);
      }
      text += csv_line(fields, delimiter);
      written.push_back(std::move(fields));
    }

    CsvReader reader(text, delimiter);
    CsvRow row;
    std::size_t i = 0;
    for (; reader.next(row); ++i) {
      ASSERT_LT(i, written.size());
      ASSERT_EQ(row.fields, written[i]) << "seed " << seed << " record " << i;
    }
    ASSERT_FALSE(reader.error().has_value()) << reader.error()->reason;
    EXPECT_EQ(i, written.size());
  }
}

TEST(CsvRoundTrip, LineNumbersCountEmbeddedBreaks) {
  std::string text;
  std::size_t expected_line = 1;
  std::vector<std::size_t> starts;
  for (int i = 0; i < 50; ++i) {
    const std::string multi(static_cast<std::size_t>(i % 4), '\n');
    starts.push_back(expected_line);
    text += csv_line({"r" + std::to_string(i), "x" + multi + "y"});
    expected_line += 1 + multi.size();
  }
  ReadResult r = read_all(text);
  ASSERT_FALSE(r.error.has_value());
  ASSERT_EQ(r.rows.size(), starts.size());
  for (std::size_t i = 0; i < starts.size(); ++i) EXPECT_EQ(r.rows[i].line, starts[i]);
}

}  // namespace
