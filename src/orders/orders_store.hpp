// The orders room's SQL on its own tables (online_orders, online_order_lines); the holds
// are stock's (stock/holds.hpp). Runs on the connection it is given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "orders/order.hpp"
#include "platform/db.hpp"

namespace backroom::orders::store {

std::int64_t next_number(db::Db& db);
bool pickup_code_taken(db::Db& db, const std::string& code);
void insert_order(db::Db& db, const Order& order, const std::string& request_hash, const std::string& created_by);
std::optional<Order> load_order(db::Db& db, const std::string& id);
std::optional<std::string> request_hash(db::Db& db, const std::string& id);
std::optional<std::string> order_by_external_id(db::Db& db, const std::string& channel, const std::string& external_id);
std::optional<std::string> order_by_pickup_code(db::Db& db, const std::string& code);
// Writes the order's changing fields (status, payment, staging, sale, refund) and its lines' picks.
void save_order(db::Db& db, const Order& order);

struct ListFilter {
  std::string status;
  std::string location_id;
  std::int64_t before_number = 0;
  int limit = 50;
};
std::vector<Order> list_orders(db::Db& db, const ListFilter& f);
std::vector<Order> queue(db::Db& db, const std::string& location_id, std::size_t limit);
std::vector<Order> refunds_due(db::Db& db);
// Ids of orders in the store's hands promised at or before `promised_before`.
std::vector<std::string> expiring(db::Db& db, Timestamp promised_before);
// Collected orders (for the check).
std::vector<Order> collected(db::Db& db);

}  // namespace backroom::orders::store
