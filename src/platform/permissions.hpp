// The named permissions routes declare ("<area>.<verb>"). Roles are sets of these
// (platform/auth). A route's permission is part of the route table, so the permission
// matrix test walks every route and no route can go unguarded.
#pragma once

#include <string_view>

namespace backroom::permission {

// item master
inline constexpr std::string_view items_read = "items.read";
inline constexpr std::string_view items_create = "items.create";
inline constexpr std::string_view items_update = "items.update";        // non-locked fields
inline constexpr std::string_view items_barcodes = "items.barcodes";    // add/remove barcodes
inline constexpr std::string_view items_locked = "items.locked_fields"; // cost, price, tax category directly
inline constexpr std::string_view prices_request = "prices.request";
inline constexpr std::string_view prices_approve = "prices.approve";
inline constexpr std::string_view settings_write = "settings.write";
// stock
inline constexpr std::string_view stock_read = "stock.read";
inline constexpr std::string_view stock_adjust = "stock.adjust";
inline constexpr std::string_view stock_transfer = "stock.transfer";
inline constexpr std::string_view locations_manage = "locations.manage";
// register
inline constexpr std::string_view sales_create = "sales.create";
inline constexpr std::string_view sales_read = "sales.read";
inline constexpr std::string_view sales_void = "sales.void";
inline constexpr std::string_view returns_create = "returns.create";
inline constexpr std::string_view returns_no_receipt = "returns.no_receipt";
inline constexpr std::string_view registers_operate = "registers.operate";
inline constexpr std::string_view registers_read = "registers.read";
// labels
inline constexpr std::string_view labels_read = "labels.read";
inline constexpr std::string_view labels_print = "labels.print";
// integrations and administration
inline constexpr std::string_view events_read = "events.read";
inline constexpr std::string_view audit_read = "audit.read";
inline constexpr std::string_view users_manage = "users.manage";
inline constexpr std::string_view apikeys_manage = "apikeys.manage";
// auth (issue 3)
inline constexpr std::string_view authenticated = "authenticated";  // any signed-in user or valid key
inline constexpr std::string_view roles_manage = "roles.manage";
inline constexpr std::string_view sales_discount_override = "sales.discount_override";  // above the role's cap

}  // namespace backroom::permission
