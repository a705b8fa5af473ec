// Inbound orders from web shops (docs/orders.md, "Orders from Shopify and WooCommerce"):
// each channel signs its webhook with HMAC-SHA256 of the raw body under the secret the shop
// set (PUT /api/v1/integrations/{channel}), base64 in X-Shopify-Hmac-Sha256 or
// X-WC-Webhook-Signature. A payload becomes the same OrderInput POST /api/v1/online-orders
// takes, through the channel's mapping table (integrations/mappings.hpp): value map "sku"
// (their SKU -> ours) and "location" (their location id -> ours). Pure: no I/O.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "integrations/mappings.hpp"
#include "orders/order.hpp"
#include "platform/vocabulary.hpp"

namespace backroom::orders {

inline constexpr std::size_t channel_secret_length_min = 16;
inline constexpr std::size_t channel_secret_length_max = 200;
inline constexpr std::int64_t channel_promise_hours_default = 24;  // when the payload names no pickup time

enum class Channel { shopify, woocommerce };
inline constexpr Vocabulary<Channel, 2> channels{{{{Channel::shopify, "shopify"}, {Channel::woocommerce, "woocommerce"}}}};
inline std::string_view word(Channel c) { return channels.text(c); }

// The request header (lowercase) that carries the channel's signature.
std::string_view signature_header(Channel c);
// base64(HMAC-SHA256(secret, body)).
std::string hmac_sha256_base64(std::string_view secret, std::string_view body);
// The header's value is the body's signature under `secret` (compared in constant time).
bool signature_valid(std::string_view secret, std::string_view body, std::string_view header_value);

struct ChannelContext {
  std::string location_id;  // the store the shop set for the channel
  int currency_decimals = 2;
  Timestamp received_at;
  const integrations::Mapping* mapping = nullptr;  // the channel's mapping, when there is one
};
// The order a channel's payload describes; 422 naming the payload's field at fault.
OrderInput order_from_payload(Channel channel, const boost::json::object& payload, const ChannelContext& context);

}  // namespace backroom::orders
