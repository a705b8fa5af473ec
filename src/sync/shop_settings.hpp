// Head office's shop settings for its store nodes (issue 21, docs/sync.md "Shop settings"):
// how the chain sells — tax mode and rounding, rounding of totals, negative stock, what a
// return without a receipt refunds to, the tax rates, whether a register may take returns
// offline and up to what — how its labels' barcodes read (internal prefixes, price- and
// weight-embedded layouts of the scale), the limits above which a stock adjustment needs
// confirmation and the over-receipt tolerance: the same at every store. They ride the change
// feed's answer the way head office's people do (access/people_feed.hpp): a node sends the
// version it holds, and an answer to a node whose copy differs carries them whole. The version
// is a digest of their JSON, so any change at head office (the PUT routes of those settings)
// is a new version with no bookkeeping in those writes. On a node these settings are head
// office's: their PUT routes are master data (change_requests.hpp), so an edit there is a
// change request. Customer, online-order and rate-limit settings stay each server's own.
#pragma once

#include <string>

#include <boost/json.hpp>

#include "platform/db.hpp"

namespace backroom::sync {

// {version, sales: {tax_mode, tax_rounding, rounding, negative_stock, no_receipt_refund,
// tax_rates, offline_returns, offline_return_limit}, barcodes: {internal_prefixes,
// embedded_layouts}, stock: {adjustment_confirm_quantity, adjustment_confirm_value},
// purchasing: {over_receive_tolerance_bp}} as head office has them now (each group as its
// GET /api/v1/settings/… answers it).
boost::json::object shop_settings_to_json(db::Db& db);
// The version alone (16 hex digits: FNV-1a 64 of the groups' JSON).
std::string shop_settings_version(db::Db& db);

// On a store node, inside the pull's transaction: head office's settings become the node's,
// each group that differs saved as its own route saves it (audited as by "head office"; the
// node's own feed tells its registers of the tax rates). `sales` is required; a group head
// office does not send (an earlier release) stays as it is. Throws Problem 422 naming the
// field on data it cannot read; the pull's transaction then applies nothing.
void apply_shop_settings(db::Db& db, const boost::json::object& settings);

}  // namespace backroom::sync
