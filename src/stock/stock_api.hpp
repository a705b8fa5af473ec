// HTTP routes of stock (docs/openapi.yaml, section "Stock"), and the edge helpers every
// document route shares: the document's identity from its body id or Idempotency-Key.
#pragma once

#include "platform/app.hpp"
#include "stock/stock.hpp"

namespace backroom::stock {

inline constexpr std::size_t idempotency_key_length_max = 200;

void register_stock_routes(App& app);

// The body's "id" (a UUID, 422 otherwise) and the Idempotency-Key header, with the hash
// of the body that tells a retry from a different request under the same key.
DocumentKey document_key(const http::Request& req, const boost::json::object& body);
// A path parameter that must be a UUID (404 naming `what` otherwise).
std::string id_param(const http::Request& req, std::size_t index, const std::string& what);

}  // namespace backroom::stock
