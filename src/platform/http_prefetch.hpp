// A route whose handler's first read is asked for before the guard runs (db_prefetch.hpp), so
// that on PostgreSQL the guard's own statement (the API key and its grants) and that read
// travel in one round trip. Give Router::add a PrefetchingHandler as the handler: the router
// calls `prefetch` with the matched request (params set) before the guard and forgets its
// answer when the request has been dispatched (the Prefetched it returns), answered or
// refused. The handler runs, as always, only if the guard let the request through, so a
// refused request never sees what was prefetched. `prefetch` runs before anyone is
// authenticated: what it asks for must not depend on who asks.
#pragma once

#include <functional>
#include <utility>

#include "platform/db_prefetch.hpp"
#include "platform/http.hpp"

namespace backroom::http {

struct PrefetchingHandler {
  std::function<db::Prefetched(const Request&)> prefetch;
  Handler handle;
  void operator()(Request& req, Reply reply) const { handle(req, std::move(reply)); }
};

}  // namespace backroom::http
