#include "access/auth.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "access/permissions.hpp"

namespace backroom::auth {

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::vector<std::string> plus(std::vector<std::string> base, std::initializer_list<std::string_view> more) {
  for (auto p : more) base.emplace_back(p);
  return sorted(std::move(base));
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

const std::vector<std::string>& permission_catalogue() {
  static const std::vector<std::string> all =
      sorted(std::vector<std::string>(permission::catalogue.begin(), permission::catalogue.end()));
  return all;
}

bool known_permission(std::string_view name) {
  const auto& all = permission_catalogue();
  return std::binary_search(all.begin(), all.end(), name);
}

const std::vector<RoleDefinition>& builtin_roles() {
  namespace p = permission;
  static const std::vector<RoleDefinition> roles = [] {
    // Frontline staff sell, return, look things up and fix descriptive item fields; they
    // never touch cost, price, tax category or barcodes (items.locked_fields).
    auto cashier = plus({}, {p::items_read, p::items_update, p::sales_create, p::sales_read, p::returns_create,
                             p::registers_operate, p::registers_read, p::stock_read, p::labels_read,
                             p::counts_count, p::orders_read, p::orders_pick, p::customers_read});
    auto lead = plus(cashier, {p::sales_void, p::returns_no_receipt, p::sales_discount_override, p::stock_adjust,
                               p::stock_transfer, p::labels_print, p::prices_request, p::purchasing_read,
                               p::purchasing_receive});
    // The manager approves what others file (bank details, short closes, over-receipts)
    // and may buy too; the same person never approves their own bank-detail change.
    auto manager = plus(lead, {p::items_create, p::items_barcodes, p::prices_approve, p::audit_read, p::events_read,
                               p::locations_manage, p::suppliers_manage, p::suppliers_payment_read,
                               p::suppliers_payment_approve, p::purchasing_order, p::purchasing_close,
                               p::purchasing_over_receive, p::planning_read, p::planning_manage,
                               p::counts_manage, p::counts_approve, p::reports_read, p::reports_actions,
                               p::orders_create, p::orders_manage, p::integrations_read, p::integrations_manage,
                               p::sync_manage, p::training_read, p::customers_contact_read,
                               p::customers_manage, p::registers_manage, p::store_credits_read});
    // The buyer keeps items and suppliers and places orders; bank details stay masked and
    // need someone else's approval; receiving is the floor's job.
    auto buyer = plus({}, {p::items_read, p::items_create, p::items_update, p::items_barcodes, p::prices_request,
                           p::stock_read, p::labels_read, p::labels_print, p::events_read, p::purchasing_read,
                           p::suppliers_manage, p::purchasing_order, p::planning_read, p::planning_manage,
                           p::reports_read});
    // The back-room clerk unpacks deliveries: receives against orders, prints labels.
    auto clerk = plus({}, {p::items_read, p::stock_read, p::labels_read, p::labels_print, p::purchasing_read,
                           p::purchasing_receive, p::counts_count, p::orders_read, p::orders_pick});
    // A web shop's API key: places online orders and reads what is available.
    auto webshop = plus({}, {p::items_read, p::stock_read, p::orders_read, p::orders_create, p::events_read});
    // A store node's key (src/sync/): pulls the change feed and pushes its store's documents.
    auto store_node = plus({}, {p::items_read, p::sync_node});
    return std::vector<RoleDefinition>{
        {"cashier", "Sells, takes returns with a receipt, looks up stock", cashier, false, 1000, 0},
        {"shift_lead", "Cashier plus voids, larger discounts, adjustments, price requests", lead, false, 2500, 5000},
        {"manager", "Runs the shop: approvals, price changes, audit trail", manager, false, std::nullopt, std::nullopt},
        {"buyer", "Keeps the item master and suppliers, places purchase orders; requests price changes", buyer, false,
         0, 0},
        {"clerk", "Receives deliveries against purchase orders and prints labels", clerk, false, 0, 0},
        {"webshop", "An online shop's API key: places online orders, reads items and availability", webshop, false,
         0, 0},
        {"store_node", "A store node's key: pulls head office's change feed, pushes its store's documents", store_node,
         false, 0, 0},
        {"admin", "Everything, including users, roles, API keys and locked item fields", permission_catalogue(), true,
         std::nullopt, std::nullopt},
    };
  }();
  return roles;
}

const RoleDefinition* builtin_role(std::string_view name) {
  for (const auto& r : builtin_roles())
    if (r.name == name) return &r;
  return nullptr;
}

std::optional<std::string> normalize_username(std::string_view name) {
  if (name.empty() || name.size() > username_length_max) return std::nullopt;
  std::string out;
  for (char c : name) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '.' || l == '_' || l == '-')) return std::nullopt;
    out.push_back(l);
  }
  return out;
}

std::optional<std::string> password_problem(std::string_view password) {
  if (password.size() < password_length_min)
    return "a password has at least " + std::to_string(password_length_min) + " characters";
  if (password.size() > password_length_max)
    return "a password has at most " + std::to_string(password_length_max) + " bytes";
  for (char c : password)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a password cannot contain control characters";
  return std::nullopt;
}

std::optional<std::string> pin_problem(std::string_view pin) {
  if (pin.size() < pin_length_min || pin.size() > pin_length_max ||
      !std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return "a PIN is " + std::to_string(pin_length_min) + " to " + std::to_string(pin_length_max) + " digits";
  return std::nullopt;
}

bool valid_role_name(std::string_view name) {
  return !name.empty() && name.size() <= 40 &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'; });
}

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("argon2id hashing ran out of memory");
  return out;
}

bool verify_password(const std::string& stored_hash, std::string_view password) {
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& dummy_password_hash() {
  static const std::string hash = hash_password(random_hex(32));
  return hash;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  hex.pop_back();
  return hex;
}

Token new_token(std::string_view prefix) { return Token{std::string(prefix), random_hex(8), random_hex(32)}; }

std::optional<Token> parse_token(std::string_view text, std::string_view prefix) {
  // prefix _ 16 hex _ 64 hex
  if (text.size() != prefix.size() + 1 + 16 + 1 + 64) return std::nullopt;
  if (!text.starts_with(prefix) || text[prefix.size()] != '_' || text[prefix.size() + 17] != '_') return std::nullopt;
  auto id = text.substr(prefix.size() + 1, 16);
  auto secret = text.substr(prefix.size() + 18);
  if (!is_lower_hex(id) || !is_lower_hex(secret)) return std::nullopt;
  return Token{std::string(prefix), std::string(id), std::string(secret)};
}

std::string secret_hash(std::string_view secret) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool same_hash(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string generate_password() {
  static constexpr std::string_view alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 20; ++i) {
    if (i > 0 && i % 5 == 0) out.push_back('-');
    out.push_back(alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))]);
  }
  return out;
}

std::int64_t sign_in_wait_seconds(int failures, std::int64_t last_failure_micros, std::int64_t now_micros) {
  if (failures < sign_in_free_failures) return 0;
  std::int64_t delay = failures >= sign_in_lockout_failures
                           ? sign_in_lockout_seconds
                           : std::int64_t{1} << std::min(failures - sign_in_free_failures, 20);  // 1, 2, 4 ... s
  std::int64_t elapsed_micros = now_micros - last_failure_micros;
  std::int64_t remaining_micros = delay * 1'000'000 - elapsed_micros;
  if (remaining_micros <= 0) return 0;
  return (remaining_micros + 999'999) / 1'000'000;
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto end = header.find(';');
    auto part = header.substr(0, end);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      auto value = part.substr(eq + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return std::nullopt;
}

}  // namespace backroom::auth
