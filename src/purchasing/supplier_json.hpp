// The one place supplier JSON is read (request bodies, 422 naming the field) and written
// (responses, audit entries, events). Bank details leave masked unless the caller may read
// them (suppliers.payment_read); audit entries and events always carry them masked.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>

#include "purchasing/supplier.hpp"

namespace backroom::purchasing {

// A create or PATCH body as typed fields; a field absent from the body stays nullopt.
struct SupplierPatch {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::int64_t> lead_time_days;
  std::optional<Quantity> lead_time_sd_days;
  std::optional<OrderDays> order_days;
  std::optional<std::int64_t> min_order_value;
  std::optional<std::optional<std::int64_t>> free_freight_value;  // inner nullopt: null clears it
  std::optional<SupplierStatus> status;
  std::optional<Payment> payment;            // validated IBAN/BIC; files a pending change
  std::string payment_reason;                // the filer's note for that change
};
// Reads {name, contact:{email, phone}, lead_time_days, lead_time_sd_days, order_days,
// min_order_value, free_freight_value, status, payment:{iban, bic, account_name, reason}}.
// `creating` demands a name. Throws Problem 422 naming the field (payment.iban, ...).
SupplierPatch supplier_patch_from_json(const boost::json::object& body, bool creating);

// {item_id, supplier_sku, cost, case_pack, case_gtin, min_order_units, preferred}.
struct SupplierItemInput {
  std::string item_id;
  std::optional<std::string> supplier_sku;
  std::optional<std::int64_t> cost;
  std::optional<Quantity> case_pack;
  std::optional<std::optional<std::string>> case_gtin;  // inner nullopt: null removes it
  std::optional<Quantity> min_order_units;
  std::optional<bool> preferred;
};
SupplierItemInput supplier_item_input_from_json(const boost::json::object& body);

// The payment object as it may be shown: in full, or with the IBAN masked ("•••• 1234").
boost::json::object payment_to_json(const Payment& payment, bool show);
// `pending`: the supplier's pending payment change, shown as {id, requested_by, requested_at}.
boost::json::object supplier_to_json(const Supplier& supplier, bool show_payment,
                                     const std::optional<SupplierChange>& pending);
boost::json::object supplier_item_to_json(const SupplierItem& item);
boost::json::object change_to_json(const SupplierChange& change, bool show_payment);

}  // namespace backroom::purchasing
