// Master data (docs/sync.md, "Change requests"): the routes whose writes belong to head office.
// On a store node such a write is checked exactly as a local one and then not kept: it becomes
// a change request for head office (sync/change_requests.hpp installs the divert).
//
// The mark sits beside the route table, by method and pattern, rather than in http::Route:
// platform/http.hpp is included by every room, and the mark concerns one room's routes.
// `backroom routes --json` shows it with each route (master_data).
#pragma once

#include <functional>
#include <string_view>

#include "platform/db.hpp"
#include "platform/http.hpp"

namespace backroom::master_data {

// Marks the route `method pattern` of `router` as master data. Throws std::invalid_argument
// for a route the router does not have and for a GET (it changes nothing). Idempotent.
void mark(const http::Router& router, std::string_view method, std::string_view pattern);
bool marked(const http::Route& route);

// What a store node does with a master-data write instead of keeping it: gets the transaction
// (the work already rolled back), the request and the answer the work would have had; returns
// the answer to send (a change request, 202), written in the same transaction.
using Divert = std::function<http::Response(db::Db&, const http::Request&, const http::Response& would_be)>;
// Set once, before the server serves (backroom serve --upstream).
void set_divert(Divert divert);
const Divert& divert();  // empty when this server is not a store node

}  // namespace backroom::master_data
