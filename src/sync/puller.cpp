// A store node's puller (sync/puller.hpp).
#include "sync/puller.hpp"

#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "catalog/changes.hpp"
#include "integrations/events.hpp"
#include "platform/http_server.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"
#include "platform/types.hpp"
#include "stock/stock.hpp"
#include "access/people_feed.hpp"
#include "sync/change_requests.hpp"
#include "purchasing/purchase_orders.hpp"
#include "sales/sales.hpp"
#include "sync/inbound.hpp"
#include "sync/inbound_orders.hpp"
#include "sync/outbound.hpp"
#include "sync/shop_settings.hpp"
#include "sync/node_clock.hpp"
#include "sync/sync.hpp"

namespace backroom::sync {

namespace bj = boost::json;

namespace {

constexpr int page_size = 500;
constexpr int pages_per_pull_max = 400;  // 200,000 changes in one transaction at most
// A push's body, counted exactly as sent, stays under the body head office accepts (1 MiB);
// a single document larger than this is still sent alone (and refused: docs/sync.md).
constexpr std::size_t push_bytes_max = 960 * 1024;
static_assert(push_bytes_max < http::ServerOptions{}.body_bytes_max);
constexpr std::int64_t backoff_base_micros = 1'000'000;
constexpr std::int64_t backoff_cap_seconds_default = 60;

std::mutex status_mutex;
LinkStatus status;

// Head office's hybrid logical clock in an answer (`hlc`), when it sent one.
std::optional<hlc::Stamp> heard_clock(const bj::object& answer) {
  const auto* stamp = answer.if_contains("hlc");
  return stamp && stamp->is_string() ? hlc::parse(stamp->get_string()) : std::nullopt;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// How long a call to head office may take: a pull or push may wait; a cashier may not.
struct Timeouts {
  long connect_ms = 5000;
  long total_ms = 60000;
};

// Head office answered, but not 200.
struct HttpStatusError : std::runtime_error {
  HttpStatusError(long status, const std::string& what) : std::runtime_error(what), status(status) {}
  long status;
};

// GET (or POST `body` as JSON) `url` with the node's key; the body of a 200, else throws
// (HttpStatusError when head office answered otherwise).
std::string http_call(const std::string& url, const std::string& key, const std::string* post = nullptr,
                      Timeouts timeouts = {}) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  std::string body;
  auto auth = "Authorization: Bearer " + key;
  curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
  auto* c = curl.get();
  if (post) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, post->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post->size()));
  }
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeouts.connect_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeouts.total_ms);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  auto rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) throw std::runtime_error(fmt::format("head office unreachable: {}", curl_easy_strerror(rc)));
  if (code != 200) throw HttpStatusError(code, fmt::format("head office answered {}: {}", code, body.substr(0, 300)));
  return body;
}

// Head office's word on a store credit note (GET /api/v1/sync/store-credits/{code}), asked
// while a cashier waits: a short timeout. `unknown` on its 404 (it holds no such note) or a
// code that is not one; `unreachable` when it cannot be reached in time or answers otherwise
// (the node's own note stands then).
sales::HeadOfficeAnswer ask_credit(const std::string& upstream, const std::string& key, const std::string& code) {
  using sales::HeadOfficeReach;
  sales::HeadOfficeAnswer unreachable{HeadOfficeReach::unreachable, std::nullopt};
  if (code.empty() || code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != std::string::npos)
    return sales::HeadOfficeAnswer{HeadOfficeReach::unknown, std::nullopt};
  std::string body;
  try {
    body = http_call(upstream + "/api/v1/sync/store-credits/" + code, key, nullptr, Timeouts{1000, 2000});
  } catch (const HttpStatusError& e) {
    if (e.status == 404) return sales::HeadOfficeAnswer{HeadOfficeReach::unknown, std::nullopt};
    return unreachable;
  } catch (const std::runtime_error&) {
    return unreachable;
  }
  boost::system::error_code ec;
  auto answer = bj::parse(body, ec);
  if (ec || !answer.is_object()) return unreachable;
  const auto& o = answer.get_object();
  const auto* got = o.if_contains("code");
  const auto* balance = o.if_contains("balance");
  const auto* documents = o.if_contains("document_ids");
  if (!got || !got->is_string() || !balance || !balance->is_int64() || !documents || !documents->is_array())
    return unreachable;
  sales::HeadOfficeCredit out{std::string(got->get_string()), balance->get_int64(), {}};
  if (out.code != code) return unreachable;
  for (const auto& d : documents->get_array())
    if (d.is_string()) out.document_ids.emplace_back(d.get_string());
  return sales::HeadOfficeAnswer{HeadOfficeReach::holds, std::move(out)};
}

}  // namespace

LinkStatus link_status() {
  std::lock_guard lock(status_mutex);
  return status;
}

bj::object link_status_to_json(const LinkStatus& s, std::int64_t cursor) {
  auto time = [](const std::optional<std::int64_t>& t) {
    return t ? bj::value(format_rfc3339(Timestamp{*t})) : bj::value(nullptr);
  };
  return bj::object{{"node", s.node},
                    {"online", s.online},
                    {"offline_since", time(s.offline_since)},
                    {"last_sync_at", time(s.last_sync_at)},
                    {"cursor", std::to_string(cursor)},
                    {"last_error", s.last_error ? bj::value(*s.last_error) : bj::value(nullptr)}};
}

Puller::Puller(Writer& writer, std::string upstream, std::string node_key)
    : writer_(writer),
      upstream_(std::move(upstream)),
      node_key_(std::move(node_key)),
      backoff_cap_micros_(env_seconds("BACKROOM_SYNC_BACKOFF_MAX_SECONDS", backoff_cap_seconds_default) * 1'000'000) {
  while (!upstream_.empty() && upstream_.back() == '/') upstream_.pop_back();
  {
    std::lock_guard lock(status_mutex);
    status.node = true;
  }
  // A store-credit tender of a note asks head office first (sales.hpp, "Store credit across stores").
  sales::set_credit_lookup([upstream = upstream_, key = node_key_](const std::string& code) {
    return ask_credit(upstream, key, code);
  });
  job_ = std::make_unique<PeriodicJob>("sync pull",
                                       std::chrono::seconds(env_seconds("BACKROOM_SYNC_PULL_SECONDS", 5)),
                                       [this] { tick(); },
                                       /*run_at_start=*/true);  // a restarted node catches up at once
}

Puller::~Puller() {
  job_.reset();
  sales::set_credit_lookup(nullptr);
}

int Puller::pull_once() {
  std::int64_t start = 0;
  std::string people_held, settings_held;
  writer_.run([&](db::Db& db) {
    start = settings::get_int64(db, upstream_cursor_setting).value_or(0);
    people_held = settings::get(db, upstream_people_setting).value_or("none");
    settings_held = settings::get(db, upstream_settings_setting).value_or("none");
  });
  struct Change {
    std::string entity;
    bj::value data;
  };
  std::vector<Change> changes;
  std::optional<hlc::Stamp> heard;
  std::optional<bj::object> people;  // head office's people, when they changed since ours
  std::optional<bj::object> shop;    // head office's shop settings, when they differ from ours
  std::int64_t cursor = start;
  for (int page = 0; page < pages_per_pull_max; ++page) {
    std::int64_t waiting = 0;
    {
      std::lock_guard lock(status_mutex);
      waiting = status.queue_length;
    }
    auto body = http_call(fmt::format("{}/api/v1/sync/changes?cursor={}&limit={}&queue_length={}{}", upstream_, cursor,
                                      page_size, waiting,
                                      page == 0 ? "&people_version=" + people_held + "&settings_version=" + settings_held
                                                : ""),
                          node_key_);
    auto json = json::parse_object(body);
    if (const auto* p = json.if_contains("people"); p && p->is_object()) people = p->get_object();
    if (const auto* p = json.if_contains("settings"); p && p->is_object()) shop = p->get_object();
    for (const auto& c : json.at("changes").as_array()) {
      const auto& o = c.as_object();
      changes.push_back(Change{std::string(o.at("entity").as_string()), o.at("data")});
    }
    cursor = std::stoll(std::string(json.at("next_cursor").as_string()));
    if (auto stamp = heard_clock(json)) heard = std::max(heard.value_or(*stamp), *stamp);
    if (!json.at("more").as_bool()) break;
  }
  writer_.run([&](db::Db& db) {
    // What head office's clock said: this node's later documents order after it.
    if (heard) clock_receive(db, *heard);
    if (people) {
      // Roles and users as head office has them (access/people_feed.hpp), then their version.
      auth::apply_people(db, *people);
      const auto* version = people->if_contains("version");
      if (version && version->is_string()) settings::put(db, upstream_people_setting, std::string(version->get_string()));
    }
    if (shop) {
      // How the chain sells (sync/shop_settings.hpp), then their version.
      apply_shop_settings(db, *shop);
      const auto* version = shop->if_contains("version");
      if (version && version->is_string()) settings::put(db, upstream_settings_setting, std::string(version->get_string()));
    }
    if (cursor == start) return;
    store::defer_foreign_keys(db);  // a kit or variant may arrive before the item it names
    catalog::FeedApplier applier(db);
    for (const auto& c : changes) {
      // A transfer head office shipped to this node's store (sync/inbound.hpp): kept to receive.
      if (c.entity == stock::transfer_change) {
        // One this node shipped (head office's word on its receipt), or one shipped to it.
        const auto* outbound = c.data.is_object() ? c.data.get_object().if_contains("outbound") : nullptr;
        if (outbound && outbound->is_bool() && outbound->get_bool())
          apply_outbound_transfer(db, c.data);
        else
          apply_inbound_transfer(db, c.data);
      }
      else if (c.entity == purchasing::order_change)  // an order head office sent for this store
        apply_inbound_order(db, c.data);
      else if (c.entity == stock::location_change)  // a place this node may ship to (sync/outbound.hpp)
        apply_destination(db, c.data);
      else
        applier.apply(c.entity, c.data);
    }
    settings::put(db, upstream_cursor_setting, std::to_string(cursor));
  });
  return static_cast<int>(changes.size());
}

namespace {
bool is_pushed(const std::string& type) {
  return std::find(pushed_types.begin(), pushed_types.end(), type) != pushed_types.end();
}

// The wire's shape (sync::movement_json), the quantity in exact decimal units.
bj::object pushed_json(const stock::DocumentMovement& m) {
  PushedMovement pushed{m.item_id, m.location_kind, m.quantity.milli, m.reason, m.document_type, m.document_id,
                        m.document_line_id};
  return movement_json(pushed, json::quantity_value(m.quantity));
}
}  // namespace

// Counted by the database (no event is read out).
std::int64_t waiting_documents(db::Db& db) {
  std::int64_t cursor = settings::get_int64(db, push_cursor_setting).value_or(0);
  return integrations::count_events_after(db, cursor, pushed_types);
}

std::int64_t waiting_sales(db::Db& db) {
  std::int64_t cursor = settings::get_int64(db, push_cursor_setting).value_or(0);
  return integrations::count_events_after(db, cursor, {"sale.completed"});
}

namespace {
// One push as the node sends it.
struct Batch {
  std::shared_ptr<const std::string> body;  // null when its page held no document to push
  std::size_t documents = 0;
  std::optional<std::int64_t> after;  // the `through` of the push on the way before it, if any
  std::int64_t through = 0;           // the push cursor once it is applied
  bool more = false;                  // events may follow it
};

// The documents of the node's feed after `cursor`: a page of events, each pushed one with the
// stock movements it made here (read with its page: head office posts them at this node's
// store). None when the feed holds nothing after `cursor`.
std::optional<Batch> read_batch(Writer& writer, std::int64_t cursor, std::optional<std::int64_t> after) {
  std::vector<integrations::Event> events;
  std::map<std::string, bj::array> movements;
  writer.run([&](db::Db& db) {
    events = integrations::events_after(db, cursor, page_size, "");
    std::vector<std::string> ids;
    for (const auto& e : events)
      if (is_pushed(e.type))
        if (auto id = movement_document_of(e.type, e.entity_id, e.payload)) ids.push_back(*id);
    for (const auto& m : stock::movements_of_documents(db, ids)) movements[m.document_id].push_back(pushed_json(m));
  });
  if (events.empty()) return std::nullopt;
  // A batch stays under head office's request body limit (1 MiB): the body is written a
  // document at a time and ends before the document that would take it past push_bytes_max
  // (with room for its `through`), and the cursor moves to where it ended.
  std::string body = after ? fmt::format("{{\"after\":{},\"documents\":[", *after) : "{\"documents\":[";
  constexpr std::size_t tail_max = 40;  // ],"through":<19 digits>}
  Batch batch;
  batch.after = after;
  batch.through = cursor;
  bool full = false;
  for (const auto& e : events) {
    if (is_pushed(e.type)) {
      bj::object document{{"id", e.id},
                          {"type", e.type},
                          {"entity_id", e.entity_id},
                          {"at", format_rfc3339(Timestamp{e.at})},
                          {"payload", bj::parse(e.payload)}};
      if (auto stamp = e.hlc ? hlc::unpack(*e.hlc) : std::nullopt) document["hlc"] = hlc::format(*stamp);
      if (auto id = movement_document_of(e.type, e.entity_id, e.payload)) {
        auto it = movements.find(*id);
        document["movements"] = it == movements.end() ? bj::array{} : std::move(it->second);
      }
      auto text = bj::serialize(document);
      if (batch.documents > 0 && body.size() + 1 + text.size() + tail_max > push_bytes_max) {
        full = true;
        break;
      }
      if (batch.documents++ > 0) body += ',';
      body += text;
    }
    batch.through = e.seq;
  }
  body += fmt::format("],\"through\":{}}}", batch.through);
  if (batch.documents > 0) batch.body = std::make_shared<const std::string>(std::move(body));
  batch.more = full || static_cast<int>(events.size()) == page_size;
  return batch;
}
}  // namespace

int Puller::push_once() {
  int sent = 0;
  // Counted once a push and then counted down by what each batch sent: counting the queue
  // after every batch read the rest of it again each time (24,000 sales: 4.2 s of the node's
  // CPU, most of it copying event pages). Sales made meanwhile show at the next count.
  std::int64_t waiting_at_start = 0;
  std::int64_t cursor = 0;
  writer_.run([&](db::Db& db) {
    waiting_at_start = waiting_documents(db);
    cursor = settings::get_int64(db, push_cursor_setting).value_or(0);
  });
  auto url = upstream_ + "/api/v1/sync/documents";
  // At most two pushes on the way: while head office applies one, the node reads and sends the
  // next, and head office reads that one's body meanwhile (docs/sync.md, "Pushes on the way
  // together"). The cursor moves in the order the pushes were made, each only after head
  // office answered 200; a failure leaves it where the failed push began (the push after it,
  // if head office applied that too, is sent again and its documents count as duplicates).
  struct OnTheWay {
    Batch batch;
    std::future<std::string> answer;
  };
  auto move_cursor = [&](std::int64_t to, const std::optional<hlc::Stamp>& heard) {
    writer_.run([&](db::Db& db) {
      if (heard) clock_receive(db, *heard);
      settings::put(db, push_cursor_setting, std::to_string(to));
    });
  };
  auto settle = [&](OnTheWay& w) {
    std::string answer;
    try {
      answer = w.answer.get();
    } catch (const HttpStatusError& e) {
      // 409 push_out_of_order: it reached head office before the push it follows; that one is
      // answered now, so it goes again, alone.
      if (e.status != 409 || !w.batch.after) throw;
      spdlog::info("sync: a push reached head office before the one it follows; sent again");
      answer = http_call(url, node_key_, w.batch.body.get());
    }
    move_cursor(w.batch.through, heard_clock(json::parse_object(answer)));
    sent += static_cast<int>(w.batch.documents);
    std::lock_guard lock(status_mutex);
    status.queue_length = std::max<std::int64_t>(0, waiting_at_start - sent);
  };
  std::optional<OnTheWay> on_the_way;
  for (;;) {
    auto batch = read_batch(writer_, cursor, on_the_way ? std::optional(on_the_way->batch.through) : std::nullopt);
    if (!batch) break;
    cursor = batch->through;
    bool more = batch->more;
    std::optional<OnTheWay> next;
    if (batch->body) {
      auto answer = std::async(std::launch::async, [&url, key = node_key_, body = batch->body] {
        return http_call(url, key, body.get());
      });
      next = OnTheWay{std::move(*batch), std::move(answer)};
    }
    // Should the push on the way fail, `next` is waited for as it goes out of scope and its
    // answer not taken: the cursor stays before both.
    if (on_the_way) settle(*on_the_way);
    on_the_way = std::move(next);
    // A page without a document to push: the cursor passes it once all before it is applied.
    if (!on_the_way) move_cursor(cursor, std::nullopt);
    if (!more) break;
  }
  if (on_the_way) settle(*on_the_way);
  if (sent > 0) {
    std::int64_t waiting = 0;
    writer_.run([&](db::Db& db) { waiting = waiting_documents(db); });
    std::lock_guard lock(status_mutex);
    status.queue_length = waiting;
  }
  return sent;
}

int Puller::push_change_requests() {
  std::vector<ChangeRequest> unsent;
  std::vector<std::string> pending;
  writer_.run([&](db::Db& db) {
    unsent = store::unsent_change_requests(db, static_cast<int>(change_requests_per_push_max));
    pending = store::pending_sent_change_requests(db, static_cast<int>(pending_asked_per_push_max));
  });
  if (unsent.empty() && pending.empty()) return 0;
  bj::array requests, asked;
  std::vector<std::string> sent;
  for (const auto& c : unsent) {
    requests.push_back(change_request_push(c));
    sent.push_back(c.id);
  }
  for (const auto& id : pending) asked.push_back(bj::value(id));
  auto body = bj::serialize(bj::object{{"change_requests", std::move(requests)}, {"pending", std::move(asked)}});
  auto answer = json::parse_object(http_call(upstream_ + "/api/v1/sync/change-requests", node_key_, &body));
  writer_.run([&](db::Db& db) {
    store::mark_change_requests_sent(db, sent, now().micros);
    if (const auto* decisions = answer.if_contains("decisions"); decisions && decisions->is_array())
      for (const auto& d : decisions->get_array()) {
        if (!d.is_object()) continue;
        const auto& o = d.get_object();
        auto text = [&o](const char* key) -> std::optional<std::string> {
          const auto* v = o.if_contains(key);
          return v && v->is_string() ? std::optional<std::string>(std::string(v->get_string())) : std::nullopt;
        };
        auto id = text("id");
        auto status = text("status");
        if (!id || !status || (*status != "applied" && *status != "rejected")) continue;
        auto at = text("decided_at");
        auto parsed = at ? parse_rfc3339(*at) : std::nullopt;
        const auto* result = o.if_contains("result_status");
        store::decide_change_request(db, *id, *status, parsed ? parsed->micros : now().micros,
                                     text("decided_by").value_or(""), text("note"),
                                     result && result->is_int64() ? std::optional<std::int64_t>(result->get_int64())
                                                                  : std::nullopt);
      }
  });
  return static_cast<int>(sent.size());
}

void Puller::tick() {
  auto at = now().micros;
  if (at < next_try_at_) return;
  try {
    int pushed = push_once();
    if (pushed > 0) spdlog::info("sync: pushed {} documents to head office", pushed);
    int requested = push_change_requests();
    if (requested > 0) spdlog::info("sync: sent {} change requests to head office", requested);
    int applied = pull_once();
    if (applied > 0) spdlog::info("sync: applied {} changes from head office", applied);
    std::lock_guard lock(status_mutex);
    status.online = true;
    status.offline_since.reset();
    status.last_sync_at = now().micros;
    status.last_error.reset();
    status.failures = 0;
    next_try_at_ = 0;
  } catch (const std::exception& e) {
    std::int64_t failures = 0;
    {
      std::lock_guard lock(status_mutex);
      status.online = false;
      if (!status.offline_since) status.offline_since = at;
      status.last_error = e.what();
      failures = ++status.failures;
    }
    auto ceiling = std::min(backoff_cap_micros_, backoff_base_micros << std::min<std::int64_t>(failures, 20));
    thread_local std::mt19937_64 random{std::random_device{}()};
    next_try_at_ = at + std::uniform_int_distribution<std::int64_t>(0, ceiling)(random);
    spdlog::warn("sync: pull failed ({}): {}", failures, e.what());
  }
}

}  // namespace backroom::sync
