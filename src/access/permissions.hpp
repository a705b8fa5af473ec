// The one vocabulary of permissions ("<area>.<verb>"), declared here and nowhere else.
// Roles are sets of these (access/auth); every route declares one in the route table, so
// the permission matrix test walks every route and no route can go unguarded. The router
// (platform) fails closed: install_vocabulary gives it `route_may_declare`, and a route
// must name one of `catalogue`, `authenticated` or `public_route`, or the server does not
// start. Exported, not copied: `backroom permissions --json` prints it, the UI's
// web/src/api/permissions.ts is generated from that, docs/openapi.yaml names each
// operation's `x-permission`, and tests/integration/openapi.test.mjs fails when they differ.
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

namespace backroom::http {
class Router;
}

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
// How the shop's registers work: the rule for returns taken offline (issue 21).
inline constexpr std::string_view registers_manage = "registers.manage";
// purchasing (issue 16): suppliers, purchase orders, receiving. Bank details are separated:
// who may change them (suppliers.manage files a pending change) is not who approves them.
inline constexpr std::string_view purchasing_read = "purchasing.read";            // suppliers, orders, cost history
inline constexpr std::string_view suppliers_manage = "suppliers.manage";          // create/edit suppliers and their items
inline constexpr std::string_view suppliers_payment_read = "suppliers.payment_read";        // bank details unmasked
inline constexpr std::string_view suppliers_payment_approve = "suppliers.payment_approve";  // approve a pending change
inline constexpr std::string_view purchasing_order = "purchasing.order";          // draft, edit, send, cancel orders
inline constexpr std::string_view purchasing_receive = "purchasing.receive";      // post receipts against orders
inline constexpr std::string_view purchasing_close = "purchasing.close";          // close a short order
inline constexpr std::string_view purchasing_over_receive = "purchasing.over_receive";  // beyond the tolerance
// planning (issue 17): forecasts, replenishment suggestions, their settings
inline constexpr std::string_view planning_read = "planning.read";        // suggestions, series, accuracy
inline constexpr std::string_view planning_manage = "planning.manage";    // service levels, reorder points
// counts (issue 18): counting is blind; who sees variances and approves is someone else
inline constexpr std::string_view counts_count = "counts.count";          // start today's count, record lines
inline constexpr std::string_view counts_manage = "counts.manage";        // classes, pins, plans, ad-hoc counts
inline constexpr std::string_view counts_approve = "counts.approve";      // see variances, approve with reasons
// reports (issue 18): KPIs and the weekly review
inline constexpr std::string_view reports_read = "reports.read";
inline constexpr std::string_view reports_actions = "reports.actions";    // the weekly review's action list
// store credit (issue 21): what the shop owes on its credit notes and what it wrote off, and
// the notes' list, whose codes spend like cash: the manager's, not reports.read's buyer
inline constexpr std::string_view store_credits_read = "store_credits.read";
// labels
inline constexpr std::string_view orders_read = "orders.read";          // online orders, the pick queue
inline constexpr std::string_view orders_create = "orders.create";      // place an online order (a web shop's key)
inline constexpr std::string_view orders_pick = "orders.pick";          // pick, stage, hand over at pickup
inline constexpr std::string_view orders_manage = "orders.manage";      // hold settings, cancel, refund short picks

inline constexpr std::string_view integrations_read = "integrations.read";      // webhook log, alerts, mappings
inline constexpr std::string_view integrations_manage = "integrations.manage";  // endpoints, secrets, replay, mappings

inline constexpr std::string_view sync_manage = "sync.manage";  // store node keys, change requests, conflicts (HQ)
inline constexpr std::string_view sync_node = "sync.node";      // a store node's key: pull the feed, push documents

// training (issue 22): anyone takes the modules; who sees everyone's scores is the manager
inline constexpr std::string_view training_read = "training.read";

// customers (issue 22): the till looks a customer up by name or by the phone they give and
// sees the contact data masked; contact data in the clear, and changing customers, is the
// manager's (the whole list in clear leaves only through shop.export)
inline constexpr std::string_view customers_read = "customers.read";                  // names, numbers, look-up
inline constexpr std::string_view customers_contact_read = "customers.contact_read";  // phone and email in clear
inline constexpr std::string_view customers_manage = "customers.manage";              // create, change, import

inline constexpr std::string_view labels_read = "labels.read";
inline constexpr std::string_view labels_print = "labels.print";
// integrations and administration
inline constexpr std::string_view events_read = "events.read";
inline constexpr std::string_view audit_read = "audit.read";
inline constexpr std::string_view users_manage = "users.manage";
inline constexpr std::string_view apikeys_manage = "apikeys.manage";
// The whole shop as CSV files (customer contacts and supplier bank details in clear): no
// built-in role but the superuser has it.
inline constexpr std::string_view shop_export = "shop.export";
// auth (issue 3)
inline constexpr std::string_view authenticated = "authenticated";  // any signed-in user or valid key
inline constexpr std::string_view roles_manage = "roles.manage";
inline constexpr std::string_view sales_discount_override = "sales.discount_override";  // above the role's cap

// Route-only tokens, never granted to a role: any signed-in principal (`authenticated`,
// above), or no credentials at all (health, sign-in).
inline constexpr std::string_view public_route = "public";

// Every permission a role can hold: the one vocabulary.
inline constexpr std::array catalogue = {
    items_read,      items_create,     items_update,       items_barcodes,    items_locked,   prices_request,
    prices_approve,  settings_write,   stock_read,         stock_adjust,      stock_transfer, locations_manage,
    sales_create,    sales_read,       sales_void,         returns_create,    returns_no_receipt,
    registers_operate, registers_read, registers_manage, labels_read,        labels_print,      events_read,    audit_read,
    users_manage,    apikeys_manage,   shop_export,        roles_manage,       sales_discount_override,
    purchasing_read, suppliers_manage, suppliers_payment_read, suppliers_payment_approve, purchasing_order,
    purchasing_receive, purchasing_close, purchasing_over_receive,
    planning_read,   planning_manage,  counts_count,       counts_manage,     counts_approve, reports_read,
    reports_actions, orders_read,   orders_create,    orders_pick,        orders_manage,     integrations_read,
    integrations_manage, sync_manage, sync_node, training_read, customers_read, customers_contact_read,
    customers_manage, store_credits_read,
};

// Whether a route may declare `name`: a catalogue permission, `authenticated` or `public_route`.
constexpr bool route_may_declare(std::string_view name) {
  return name == authenticated || name == public_route ||
         std::find(catalogue.begin(), catalogue.end(), name) != catalogue.end();
}

// Equips `router` with this vocabulary (Router::may_declare); before that it accepts no
// route. Called once, before any route is added (cli::add_routes).
void install_vocabulary(http::Router& router);

}  // namespace backroom::permission
