// Documents post once: identity, replay and the 422 for another request under a used id.
#include "platform/documents.hpp"

#include <sodium.h>

#include <fmt/format.h>

#include "platform/idempotency.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"

namespace backroom::documents {

namespace {

Problem reused(std::string_view what) {
  return Problem(422, "idempotency_key_reused",
                 fmt::format("{} was already used for a different request; use a new id or key", what));
}

}  // namespace

std::string request_hash(std::string_view body) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(body.data()), body.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

DocumentKey document_key(const http::Request& req, const boost::json::object& body) {
  DocumentKey key;
  json::Fields f{body, ""};
  if (auto id = f.opt_identifier("id", 64)) {
    auto normalized = normalize_uuid(*id);
    if (!normalized) throw invalid_field("id", "id must be a UUID (UUIDv7 recommended), or omitted");
    key.id = *normalized;
  }
  if (auto header = req.header("idempotency-key")) {
    if (header->empty() || header->size() > idempotency_key_length_max)
      throw Problem(400, "bad_idempotency_key",
                    fmt::format("Idempotency-Key must be 1 to {} characters", idempotency_key_length_max));
    // A key belongs to its caller (platform/idempotency.hpp): never another caller's document.
    key.idempotency_key = idempotency::caller_of(req) + " " + std::string(*header);
  }
  key.request_hash = request_hash(req.body);
  return key;
}

std::string id_param(const http::Request& req, std::size_t index, const std::string& what) {
  auto id = normalize_uuid(req.param(index));
  if (!id) throw not_found(what, req.param(index).substr(0, 64));
  return *id;
}

Prior prior_of(const std::optional<std::string>& stored_hash, const DocumentKey& key) {
  if (!stored_hash) return Prior::none;
  return *stored_hash == key.request_hash ? Prior::same_request : Prior::other_request;
}

Claim claim(db::Db& db, const DocumentKey& key, std::string_view route, std::string_view what,
            const std::function<Prior(const std::string& id)>& prior) {
  std::optional<std::string> known = key.id;
  if (key.idempotency_key) {
    if (auto use = store::find_key(db, *key.idempotency_key)) {
      if (use->route != route || use->request_hash != key.request_hash) throw reused("Idempotency-Key");
      known = use->document_id;
    }
  }
  if (!known) return Claim{new_uuid_v7(), false};
  switch (prior(*known)) {
    case Prior::none:
      return Claim{*known, false};
    case Prior::same_request:
      return Claim{*known, true};
    case Prior::other_request:
      break;
  }
  throw reused(fmt::format("{} id {}", what, *known));
}

void remember(db::Db& db, const DocumentKey& key, std::string_view route, const std::string& document_id) {
  if (!key.idempotency_key) return;
  store::insert_key(db, *key.idempotency_key, route, document_id, key.request_hash);
}

std::vector<ReceivedLine> received_lines(const boost::json::array& lines, std::string_view line_field,
                                         std::size_t max_lines) {
  if (lines.size() > max_lines) throw invalid_field("lines", fmt::format("at most {} lines per receipt", max_lines));
  std::vector<ReceivedLine> out;
  out.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string path = fmt::format("lines[{}]", i);
    if (!lines[i].is_object()) throw invalid_field(path, "a line is an object");
    json::Fields lf{lines[i].get_object(), path};
    lf.only({line_field, "item_id", "received", "damaged"});
    ReceivedLine line;
    auto given = lf.opt_identifier(line_field, 64);
    if (!given) {
      given = lf.opt_identifier("item_id", 64);
      line.by_item = given.has_value();
    }
    if (!given) throw missing_field(lf.name(line_field));
    std::string named = line.by_item ? "item_id" : std::string(line_field);
    auto normalized = normalize_uuid(*given);
    if (!normalized) throw invalid_field(lf.name(named), named + " must be a UUID");
    line.key = *normalized;
    line.received = lf.quantity("received");
    line.damaged = lf.opt_quantity("damaged").value_or(Quantity{});
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace backroom::documents
