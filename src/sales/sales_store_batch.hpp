// Many sales written into the journal at once (sales_store.cpp): the set-based form of
// sales::store::insert_sale for head office's journal of a store node's push (sync/money.cpp).
// The same rows, columns and values insert_sale writes for each sale (sales, sale_lines,
// sale_tenders, and the KPI summary's sales days), each table's rows in one db::insert_rows
// (COPY on PostgreSQL, 100 rows a statement on SQLite) and the sales days of all of them in
// one add_sold_days. Nothing here decides whether a sale belongs in the
// journal: the caller does, with the set reads below, before it writes; a row the database
// refuses (a duplicate id or receipt number, an unknown item, a failed CHECK) fails the whole
// call, so the caller runs it in a savepoint. Kept apart from sales_store.hpp, which is
// included widely.
#pragma once

#include <set>
#include <span>
#include <string>
#include <vector>

#include "platform/db.hpp"
#include "sales/sale.hpp"

namespace backroom::sales::store {

struct JournalSale {
  const Sale* sale = nullptr;
  std::string request_hash;
};
// Writes each sale as insert_sale(db, *s.sale, s.request_hash) would, in one go.
void insert_sales(db::Db& db, std::span<const JournalSale> sales);

// Which of `ids` the journal holds.
std::set<std::string> sale_ids_in(db::Db& db, const std::vector<std::string>& ids);
// Which of `ids` are items head office knows.
std::set<std::string> item_ids_in(db::Db& db, const std::vector<std::string>& ids);

}  // namespace backroom::sales::store
