// A store node's push written into head office's journal two ways on real SQLite files: one
// document at a time (sync::journal_node_document, as before) and the push's sales together
// (sync::journal_node_documents → sales::store::insert_sales). Both must answer the same for
// each document (written, skipped and why) and leave the same rows: sales, lines, tenders,
// voids, returns, registers and the KPI summary's sales days. The push mixes whole sales
// (more than 100, so statements of 100 rows and a rest), a sale already in the journal, the
// same sale twice, sales that are not whole, sales the database refuses (an unknown item, a
// line id or receipt number held already, a tender or change its CHECKs refuse), a training
// sale, the same sale again after it was skipped, a payload that is not JSON, and a void and
// a return of sales of the same push. The integration suite
// (tests/integration/sync_money.test.mjs) pushes through HTTP on SQLite and PostgreSQL.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "platform/schema.hpp"
#include "sales/sales_store.hpp"
#include "sales/sales_store_batch.hpp"
#include "sync/money.hpp"

namespace backroom::sync {
namespace {

namespace bj = boost::json;
using store::Document;

struct Office {
  std::string path;
  std::unique_ptr<db::Db> db;
  explicit Office(const std::string& name)
      : path((std::filesystem::temp_directory_path() / fmt::format("journal_batch_test_{}_{}.db", name, ::getpid()))
                 .string()) {
    remove();
    db = db::Db::open(path, db::Mode::read_write);
    schema::migrate(*db);
    db->exec(
        "INSERT INTO locations (id, name, kind, sellable, created_at) VALUES ('L1', 'Shop', 'store', 1, 0);"
        "INSERT INTO items (id, sku, name, duplicate_key, price, created_at, updated_at) VALUES "
        "('I1', 'A', 'Apple', 'apple', 100, 0, 0), ('I2', 'B', 'Bread', 'bread', 250, 0, 0);"
        "INSERT INTO roles (name, created_at) VALUES ('clerk', 0);"
        "INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at) VALUES "
        "('U1', 'alice', 'Alice', 'clerk', 'x', 0, 0)");
  }
  ~Office() {
    db.reset();
    remove();
  }
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
  // Every row the journal keeps, as text, in a stable order (a register's created_at is the
  // clock's, so it is left out).
  std::vector<std::string> rows() {
    std::vector<std::string> out;
    for (const char* sql :
         {"SELECT * FROM sales ORDER BY id", "SELECT * FROM sale_lines ORDER BY id",
          "SELECT * FROM sale_tenders ORDER BY sale_id, seq", "SELECT * FROM sale_voids ORDER BY sale_id",
          "SELECT * FROM returns ORDER BY id", "SELECT * FROM return_lines ORDER BY id",
          "SELECT * FROM return_tenders ORDER BY return_id, seq",
          "SELECT location_id, item_id, month, days FROM sales_day_months ORDER BY location_id, item_id, month",
          "SELECT id, location_id, name, next_receipt, next_training FROM registers ORDER BY id"}) {
      auto q = db->query(sql);
      while (q.step()) {
        std::string row = sql;
        for (int c = 0; c < q.column_count(); ++c) row += "|" + (q.is_null(c) ? std::string("NULL") : q.text(c));
        out.push_back(std::move(row));
      }
    }
    return out;
  }
};

bj::object line(const std::string& id, const std::string& item, std::int64_t quantity, std::int64_t total) {
  return bj::object{{"id", id},        {"line_no", 1},          {"item_id", item},   {"sku", "S-" + item},
                    {"name", "N"},     {"quantity", quantity},  {"unit_price", total / quantity},
                    {"gross", total},  {"line_discount", 0},    {"receipt_discount", 0},
                    {"tax_rate_bp", 1000}, {"tax", total / 11}, {"total", total}};
}

// A sale of `lines`, paid in cash by `tender` (the change what is left over).
bj::object sale(const std::string& receipt, bj::array lines, std::int64_t tender, const std::string& user = "alice",
                const std::string& register_id = "R1") {
  std::int64_t total = 0, tax = 0;
  for (const auto& l : lines) {
    total += l.as_object().at("total").as_int64();
    tax += l.as_object().at("tax").as_int64();
  }
  return bj::object{{"register_id", register_id}, {"receipt_number", receipt},
                    {"subtotal", total},          {"discount_total", 0},
                    {"tax_total", tax},           {"total", total},
                    {"tendered", tender},         {"change_due", tender - total},
                    {"tax_mode", "inclusive"},    {"created_at", "2026-12-05T10:00:00Z"},
                    {"user", user},               {"lines", std::move(lines)},
                    {"tenders", bj::array{bj::object{{"type", "cash"}, {"amount", tender}}}}};
}

struct Push {
  std::vector<Document> documents;
  void add(const std::string& type, const std::string& entity, const std::string& payload) {
    Document d;
    d.id = fmt::format("E{:04}", documents.size());
    d.type = type;
    d.entity_id = entity;
    d.payload = payload;
    d.node_at = 1'764'928'800'000'000;
    documents.push_back(std::move(d));
  }
  void add(const std::string& type, const std::string& entity, const bj::object& payload) {
    add(type, entity, bj::serialize(payload));
  }
  std::vector<const Document*> pointers() const {
    std::vector<const Document*> out;
    for (const auto& d : documents) out.push_back(&d);
    return out;
  }
};

const Node node{"node-0123456789abcdef", "L1", "K1", 0, "admin", std::nullopt, 0};

Push mixed_push() {
  Push p;
  p.add("sale.completed", "S01", sale("R-1", bj::array{line("S01-1", "I1", 2, 200), line("S01-2", "I2", 1, 250)}, 500));
  p.add("sale.completed", "S00", sale("R-0", bj::array{line("S00-1", "I1", 1, 100)}, 100));  // in the journal already
  p.add("sale.completed", "S02", sale("R-2", bj::array{line("S02-1", "I2", 3, 750)}, 1000, "bob", "R2"));
  auto uneven = sale("R-3", bj::array{line("S03-1", "I1", 1, 100)}, 100);
  uneven["total"] = 99;
  p.add("sale.completed", "S03", uneven);                                                       // not whole
  p.add("sale.completed", "S04", sale("R-4", bj::array{line("S04-1", "I9", 1, 100)}, 100));    // unknown item
  p.add("sale.completed", "S05", sale("R-5", bj::array{line("S01-1", "I1", 1, 100)}, 100));    // S01's line id
  p.add("sale.completed", "S06", sale("R-2", bj::array{line("S06-1", "I1", 1, 100)}, 100));    // S02's receipt
  p.add("sale.completed", "S07", sale("R-7", bj::array{line("S07-1", "I1", 1, 100), line("S07-1", "I2", 1, 250)},
                                     350));                                                      // a line id twice
  auto zero = sale("R-8", bj::array{line("S08-1", "I1", 1, 100)}, 100);
  zero["tenders"].as_array().push_back(bj::object{{"type", "card"}, {"amount", 0}});
  p.add("sale.completed", "S08", zero);                                                        // a tender of 0
  auto short_paid = sale("R-9", bj::array{line("S09-1", "I1", 1, 100)}, 100);
  short_paid["tendered"] = 50;
  short_paid["change_due"] = -50;
  short_paid["tenders"] = bj::array{bj::object{{"type", "cash"}, {"amount", 50}}};
  p.add("sale.completed", "S09", short_paid);                                                  // change below 0
  auto training = sale("R-10", bj::array{line("S10-1", "I1", 1, 100)}, 100);
  training["training"] = true;
  p.add("sale.completed", "S10", training);
  p.add("sale.completed", "S11", std::string("{not json"));
  p.add("sale.completed", "S01", sale("R-1", bj::array{line("S01-1", "I1", 2, 200), line("S01-2", "I2", 1, 250)}, 500));
  // A void of a sale of this push, then a sale on the same item and day after it.
  p.add("sale.voided", "S02",
        bj::object{{"void", bj::object{{"id", "V02"}, {"reason", "wrong"}, {"at", "2026-12-05T10:05:00Z"}, {"user", "alice"}}}});
  p.add("sale.completed", "S12", sale("R-12", bj::array{line("S12-1", "I2", 1, 250)}, 250));
  // A return of a sale of this push, with its line.
  p.add("sale.completed", "S13", sale("R-13", bj::array{line("S13-1", "I1", 2, 200)}, 200));
  p.add("return.completed", "T13",
        bj::object{{"sale_id", "S13"}, {"register_id", "R1"}, {"refund_total", 100}, {"tax_total", 9},
                   {"created_at", "2026-12-05T11:00:00Z"}, {"user", "alice"},
                   {"lines", bj::array{bj::object{{"id", "T13-1"}, {"line_no", 1}, {"sale_line_id", "S13-1"},
                                                  {"item_id", "I1"}, {"quantity", 1}, {"refund", 100}, {"tax", 9},
                                                  {"tax_rate_bp", 1000}, {"reason", "other"}}}},
                   {"tenders", bj::array{bj::object{{"type", "cash"}, {"amount", 100}}}}});
  // Enough whole sales for statements of 100 rows and a rest.
  for (int i = 0; i < 130; ++i)
    p.add("sale.completed", fmt::format("S2{:03}", i),
          sale(fmt::format("R-2{:03}", i),
               bj::array{line(fmt::format("S2{:03}-1", i), "I1", 1 + i % 3, 100 * (1 + i % 3)),
                         line(fmt::format("S2{:03}-2", i), "I2", 1, 250)},
               1000, i % 2 ? "alice" : "carol", i % 3 ? "R1" : "R3"));
  // The same sale twice, the first not whole: the second is written; a later sale with its
  // receipt number is refused, as one at a time.
  auto half = sale("R-30", bj::array{line("S30-1", "I1", 1, 100)}, 100);
  half["lines"] = bj::array{};
  p.add("sale.completed", "S30", half);
  p.add("sale.completed", "S30", sale("R-30", bj::array{line("S30-1", "I1", 1, 100)}, 100));
  p.add("sale.completed", "S31", sale("R-30", bj::array{line("S31-1", "I1", 1, 100)}, 100));
  p.add("sale.completed", "S32", sale("R-32", bj::array{line("S32-1", "I2", 1, 250)}, 250));
  return p;
}

// S00 in the journal before the push, as an earlier push left it.
void journal_earlier(Office& office) {
  Push earlier;
  earlier.add("sale.completed", "S00", sale("R-0", bj::array{line("S00-1", "I1", 1, 100)}, 100));
  db::Transaction tx(*office.db);
  EXPECT_EQ(journal_node_document(*office.db, node, earlier.documents.front()).written, "sale");
  tx.commit();
}

std::vector<std::string> answers(const std::vector<Journaled>& journaled) {
  std::vector<std::string> out;
  for (const auto& j : journaled) out.push_back(j.written + "/" + j.skipped);
  return out;
}

std::vector<std::string> one_at_a_time(Office& office, const Push& push) {
  std::vector<Journaled> out;
  db::Transaction tx(*office.db);
  for (const auto& d : push.documents) out.push_back(journal_node_document(*office.db, node, d));
  tx.commit();
  return answers(out);
}

std::vector<std::string> together(Office& office, const Push& push) {
  db::Transaction tx(*office.db);
  auto out = journal_node_documents(*office.db, node, push.pointers());
  tx.commit();
  return answers(out);
}

TEST(JournalBatch, APushWrittenTogetherAnswersAndKeepsWhatOneAtATimeDoes) {
  Office single("single"), batch("batch");
  journal_earlier(single);
  journal_earlier(batch);
  auto push = mixed_push();
  auto expected = one_at_a_time(single, push);
  auto got = together(batch, push);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(batch.rows(), single.rows());
  // The push did what its documents say (so the comparison is not of two empty journals).
  ASSERT_EQ(expected.size(), push.documents.size());
  EXPECT_EQ(expected[0], "sale/");
  EXPECT_EQ(expected[1], "/");
  EXPECT_EQ(expected[3], "/its lines, tenders and totals do not add up");
  for (int i : {4, 5, 6, 7, 8, 9}) EXPECT_EQ(expected[i], "/head office's journal refused it") << i;
  EXPECT_EQ(expected[10], "/");
  EXPECT_EQ(expected[11], "/the payload is not JSON");
  EXPECT_EQ(expected[12], "/");
  EXPECT_EQ(expected[13], "void/");
  EXPECT_EQ(expected[16], "return/");
  EXPECT_EQ(expected.back(), "sale/");
  std::vector<std::string> twice(expected.end() - 4, expected.end());
  EXPECT_EQ(twice, (std::vector<std::string>{"/no lines", "sale/", "/head office's journal refused it", "sale/"}));
  auto count = [&](const char* sql) {
    auto q = batch.db->query(sql);
    EXPECT_TRUE(q.step());
    return q.int64(0);
  };
  EXPECT_EQ(count("SELECT COUNT(*) FROM sales"), 5 + 130 + 2);  // S00, S01, S02, S12, S13, the 130, S30, S32
  EXPECT_EQ(count("SELECT COUNT(*) FROM sale_lines"), 1 + 2 + 1 + 1 + 1 + 260 + 2);
  EXPECT_EQ(count("SELECT returned_quantity FROM sale_lines WHERE id = 'S13-1'"), 1000);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sales WHERE status = 'voided'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sales_day_months"), 2);
  // Pushed again, nothing more is written either way.
  EXPECT_EQ(together(batch, push), one_at_a_time(single, push));
  EXPECT_EQ(batch.rows(), single.rows());
}

TEST(JournalBatch, ABatchTheDatabaseRefusesIsWrittenOneAtATime) {
  // A refusal the set reads do not foresee (here a trigger): the batch is rolled back and each
  // sale written one at a time, so only the refused one is left out, with today's words.
  Office single("single_refused"), batch("batch_refused");
  for (auto* office : {&single, &batch})
    office->db->exec(
        "CREATE TRIGGER refuse_s2005 BEFORE INSERT ON sales WHEN NEW.id = 'S2005' "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END");
  journal_earlier(single);
  journal_earlier(batch);
  auto push = mixed_push();
  auto expected = one_at_a_time(single, push);
  auto got = together(batch, push);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(batch.rows(), single.rows());
  ASSERT_EQ(expected.size(), push.documents.size());
  EXPECT_EQ(expected[17 + 5], "/head office's journal refused it");
  EXPECT_EQ(expected[17 + 6], "sale/");
}

TEST(JournalBatch, AReceiptNumberOrLineIdTheJournalHoldsRollsTheBatchBackToOneAtATime) {
  // Not read for (only a damaged document has one): the batch fails, is rolled back, and every
  // sale is written one at a time, with the answers one at a time gives.
  Office single("single_held"), batch("batch_held");
  journal_earlier(single);
  journal_earlier(batch);
  for (const char* held : {"line", "receipt"}) {
    auto push = mixed_push();
    if (std::string_view(held) == "line")
      push.add("sale.completed", "S40", sale("R-40", bj::array{line("S00-1", "I1", 1, 100)}, 100));
    else
      push.add("sale.completed", "S41", sale("R-0", bj::array{line("S41-1", "I1", 1, 100)}, 100));
    // A whole sale after it, written either way (a new one each round: the first round's is held).
    auto after = std::string(held) == "line" ? std::string("S42") : std::string("S43");
    push.add("sale.completed", after, sale("R-" + after.substr(1), bj::array{line(after + "-1", "I2", 1, 250)}, 250));
    auto expected = one_at_a_time(single, push);
    auto got = together(batch, push);
    EXPECT_EQ(got, expected) << held;
    EXPECT_EQ(batch.rows(), single.rows()) << held;
    ASSERT_EQ(expected.size(), push.documents.size());
    EXPECT_EQ(expected[expected.size() - 2], "/head office's journal refused it") << held;
    EXPECT_EQ(expected.back(), "sale/") << held;
  }
}

TEST(JournalBatch, TheSetReadsAnswerWhatTheJournalHolds) {
  Office office("reads");
  journal_earlier(office);
  EXPECT_EQ(sales::store::sale_ids_in(*office.db, {"S00", "S99"}), (std::set<std::string>{"S00"}));
  EXPECT_EQ(sales::store::item_ids_in(*office.db, {"I1", "I9", "I2"}), (std::set<std::string>{"I1", "I2"}));
  EXPECT_TRUE(sales::store::sale_ids_in(*office.db, {}).empty());
}

}  // namespace
}  // namespace backroom::sync
