#include "orders/channels.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include "platform/json.hpp"
#include "platform/money.hpp"
#include "platform/problem.hpp"

namespace backroom::orders {

namespace bj = boost::json;

std::string_view signature_header(Channel c) {
  return c == Channel::shopify ? "x-shopify-hmac-sha256" : "x-wc-webhook-signature";
}

std::string hmac_sha256_base64(std::string_view secret, std::string_view body) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()), body.size());
  crypto_auth_hmacsha256_final(&state, mac);
  std::string out(sodium_base64_encoded_len(sizeof mac, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool signature_valid(std::string_view secret, std::string_view body, std::string_view header_value) {
  auto expected = hmac_sha256_base64(secret, body);
  return header_value.size() == expected.size() &&
         sodium_memcmp(header_value.data(), expected.data(), expected.size()) == 0;
}

namespace {

const bj::value* member(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() || it->value().is_null() ? nullptr : &it->value();
}

std::string text_of(const bj::value* v) {
  if (!v) return "";
  if (auto d = json::decimal_text(*v)) return std::string(*d);
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return "";
}

std::string object_text(const bj::object& o, std::string_view key) { return text_of(member(o, key)); }

const bj::object* object_member(const bj::object& o, std::string_view key) {
  auto v = member(o, key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

std::int64_t money_of(const bj::value* v, int decimals, const std::string& field) {
  auto text = text_of(v);
  auto minor = parse_money(text, decimals);
  if (!minor) throw invalid_field(field, fmt::format("'{}' is not a price in the shop's currency", text));
  return *minor;
}

std::string joined(std::string a, const std::string& b) {
  if (!a.empty() && !b.empty()) a += ' ';
  return a + b;
}

// Shopify: {id, name, email, phone, financial_status, customer{first_name, last_name, phone},
// location_id, note_attributes[{name: "pickup_at", value}], line_items[{sku, quantity, price}]}.
// WooCommerce: {id, status, date_paid, billing{first_name, last_name, email, phone},
// meta_data[{key: "pickup_at", value}], line_items[{sku, quantity, price}]}.
}  // namespace

OrderInput order_from_payload(Channel channel, const bj::object& payload, const ChannelContext& context) {
  OrderInput in;
  in.channel = std::string(word(channel));
  auto id = object_text(payload, "id");
  if (id.empty() || id.size() > external_id_length_max) throw invalid_field("id", "the order's id is missing");
  in.external_id = id;
  in.location_id = context.location_id;
  if (context.mapping)
    if (auto mapped = context.mapping->value("location", object_text(payload, "location_id"))) in.location_id = *mapped;
  in.promised_at = Timestamp{context.received_at.micros + channel_promise_hours_default * 3600 * 1'000'000};
  const char* attributes_key = channel == Channel::shopify ? "note_attributes" : "meta_data";
  const char* attribute_name = channel == Channel::shopify ? "name" : "key";
  if (auto v = member(payload, attributes_key); v && v->is_array())
    for (const auto& a : v->get_array())
      if (a.is_object() && object_text(a.get_object(), attribute_name) == "pickup_at") {
        auto t = parse_rfc3339(object_text(a.get_object(), "value"));
        if (!t) throw invalid_field(fmt::format("{}.pickup_at", attributes_key), "pickup_at must be an RFC 3339 time");
        in.promised_at = *t;
      }
  if (channel == Channel::shopify) {
    const auto* customer = object_member(payload, "customer");
    in.customer.name = customer ? joined(object_text(*customer, "first_name"), object_text(*customer, "last_name")) : "";
    in.customer.email = object_text(payload, "email");
    in.customer.phone = object_text(payload, "phone");
    if (in.customer.phone.empty() && customer) in.customer.phone = object_text(*customer, "phone");
    in.paid = object_text(payload, "financial_status") == "paid";
  } else {
    const auto* billing = object_member(payload, "billing");
    if (billing) {
      in.customer.name = joined(object_text(*billing, "first_name"), object_text(*billing, "last_name"));
      in.customer.email = object_text(*billing, "email");
      in.customer.phone = object_text(*billing, "phone");
    }
    auto status = object_text(payload, "status");
    in.paid = status == "processing" || status == "completed" || !object_text(payload, "date_paid").empty();
  }
  if (in.customer.name.empty()) in.customer.name = in.customer.email.empty() ? "Online customer" : in.customer.email;
  for (auto* text : {&in.customer.name, &in.customer.email, &in.customer.phone})
    if (text->size() > customer_field_length_max) text->resize(customer_field_length_max);

  auto lines = member(payload, "line_items");
  if (!lines || !lines->is_array() || lines->get_array().empty()) throw missing_field("line_items");
  if (lines->get_array().size() > order_lines_max)
    throw invalid_field("line_items", fmt::format("at most {} lines per order", order_lines_max));
  for (std::size_t i = 0; i < lines->get_array().size(); ++i) {
    std::string path = fmt::format("line_items[{}]", i);
    const auto& v = lines->get_array()[i];
    if (!v.is_object()) throw invalid_field(path, "a line item is an object");
    const auto& item = v.get_object();
    LineInput line;
    auto sku = object_text(item, "sku");
    if (sku.empty()) throw invalid_field(path + ".sku", "a line item without a SKU cannot be matched to an item");
    if (context.mapping)
      if (auto mapped = context.mapping->value("sku", sku)) sku = *mapped;
    line.sku = sku;
    auto quantity = member(item, "quantity");
    if (!quantity || !quantity->is_int64() || quantity->get_int64() <= 0 ||
        quantity->get_int64() > line_quantity_units_max)
      throw invalid_field(path + ".quantity", fmt::format("quantity is a whole number from 1 to {}", line_quantity_units_max));
    line.quantity = Quantity::units(quantity->get_int64());
    line.unit_price = money_of(member(item, "price"), context.currency_decimals, path + ".price");
    in.lines.push_back(std::move(line));
  }
  return in;
}

}  // namespace backroom::orders
