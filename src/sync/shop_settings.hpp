// Head office's shop settings for its store nodes (issue 21, docs/sync.md "Shop settings"):
// how the chain sells — tax mode and rounding, rounding of totals, negative stock, what a
// return without a receipt refunds to, the tax rates, and whether a register may take returns
// offline and up to what — the same at every store. They ride the change feed's answer the way
// head office's people do (access/people_feed.hpp): a node sends the version it holds, and an
// answer to a node whose copy differs carries them whole. The version is a digest of their
// JSON, so any change at head office (PUT /settings/sales or /settings/offline-returns) is a
// new version with no bookkeeping in those writes. On a node these settings are head office's:
// their PUT routes are master data (change_requests.hpp), so an edit there is a change request.
#pragma once

#include <string>

#include <boost/json.hpp>

#include "platform/db.hpp"

namespace backroom::sync {

// {version, sales: {tax_mode, tax_rounding, rounding, negative_stock, no_receipt_refund,
// tax_rates, offline_returns, offline_return_limit}} as head office has them now.
boost::json::object shop_settings_to_json(db::Db& db);
// The version alone (16 hex digits: FNV-1a 64 of the `sales` object's JSON).
std::string shop_settings_version(db::Db& db);

// On a store node, inside the pull's transaction: head office's settings become the node's,
// saved as sales::save_settings saves them (audited as by "head office", and the node's own
// feed tells its registers). Throws Problem 422 naming the field on data it cannot read;
// nothing is applied then.
void apply_shop_settings(db::Db& db, const boost::json::object& settings);

}  // namespace backroom::sync
