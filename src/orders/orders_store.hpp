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
// Orders that name no customer (placed before migration 35, or without a usable contact).
std::vector<std::string> without_customer(db::Db& db);
void set_customer(db::Db& db, const std::string& id, const std::string& customer_id);
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

// A line added to an order after it was placed (an accepted substitute), at the end.
void insert_line(db::Db& db, const std::string& order_id, const OrderLine& line);

// Substitutions (online_order_substitutions); the link's token is kept only as its hash.
void insert_substitution(db::Db& db, const Substitution& s, const std::string& token_hash);
std::optional<Substitution> substitution_by_token(db::Db& db, const std::string& token_hash);
std::vector<Substitution> substitutions_of(db::Db& db, const std::string& order_id);
// Writes its status, decided_at and new_line_id.
void save_substitution(db::Db& db, const Substitution& s);

// Items a short line could be offered instead: active, sellable, not kits, of `category`,
// not `except_item_id`, with units available at the store (on hand less held), the closest
// in price first.
struct Candidate {
  std::string item_id, sku, name;
  std::optional<std::int64_t> price;
  Quantity available;
};
std::vector<Candidate> substitute_candidates(db::Db& db, const std::string& location_id, const std::string& category,
                                             const std::string& except_item_id, std::int64_t near_price, int limit);

}  // namespace backroom::orders::store
