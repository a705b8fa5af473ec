// The only place sales JSON is read or written: request bodies into requests (422 naming
// the field and the allowed words), documents into their JSON answers and event payloads,
// audit entries, and the settings kept as text. Pure: names a document shows (registers,
// locations, people) come in as values.
#pragma once

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sales/sale.hpp"
#include "sales/sales.hpp"

namespace backroom::sales {

// Settings: the JSON of GET/PUT /api/v1/settings/sales, and the rows they are kept in.
boost::json::object settings_to_json(const SaleSettings& s);
// Validates a PUT body over the current settings (422 naming the field).
SaleSettings settings_from_json(const boost::json::object& body, SaleSettings current);
// The rule for returns at a register that cannot reach the server: the JSON of
// GET/PUT /api/v1/settings/offline-returns (its own route: a manager sets it, not only admin).
boost::json::object offline_returns_to_json(const SaleSettings& s);
// Validates a PUT body over the current settings (422 naming the field).
SaleSettings offline_returns_from_json(const boost::json::object& body, SaleSettings current);
SaleSettings settings_from_rows(const std::map<std::string, std::string>& rows);
std::map<std::string, std::string> settings_to_rows(const SaleSettings& s);

// Request bodies of the other routes.
// The tenders under `key` of a body (absent: none); 422 naming the tender at fault.
std::vector<Tender> parse_tenders(const boost::json::object& body, std::string_view key);
struct CashMovementRequest {
  CashMovementKind kind;
  std::int64_t amount = 0;
  std::string reason;
};
CashMovementRequest parse_cash_movement(const boost::json::object& body);
Counted parse_counted(const boost::json::object& body);
struct VoidRequest {
  std::string reason;
  std::optional<std::string> override_token;
};
VoidRequest parse_void(const boost::json::object& body);

// A receipt discount as the sale keeps it (JSON text), e.g. {"percent":10,"reason":"staff"}.
std::string discount_text(const std::optional<Discount>& d);

// 409 return_exceeds_sold at `field`: what was sold, returned already and asked for.
Problem return_exceeds_sold(Quantity sold, Quantity returned, Quantity asked, const std::string& field);

// Documents.
boost::json::object sale_json(const Sale& s);
// A posted sale's `warnings`: balances it took below zero (allowed by the shop's policy).
void add_negative_stock_warnings(boost::json::object& sale, const std::vector<stock::NegativeFlag>& flags);
// A sale in the journal: with its register, cashier and location by name.
boost::json::object journal_json(const Sale& s, const std::string& register_name, const Person& cashier,
                                 const std::string& location_name);
boost::json::object summary_json(const std::vector<ChannelTotal>& rows);
boost::json::object return_json(const Return& r);
boost::json::object exchange_json(const Exchange& e);
boost::json::object parked_json(const ParkedSale& p);
// What a parked sale keeps of its body: the sale request, without its id and note.
std::string parked_body_text(const boost::json::object& body);
boost::json::object report_json(const SessionReport& r);
// A session: its Z report as kept, or `x_report` (the running report) while open.
boost::json::object session_json(const Session& s, const std::string& register_name, const Person& opened_by,
                                 const std::optional<Person>& closed_by, const std::optional<SessionReport>& x_report);
std::string counted_text(const Counted& counted);
// What a quote answers: the priced rows without ids, tax per rate, the largest discount,
// and `needs_override` when the actor's limit (given) is exceeded.
boost::json::object quote_json(const Sale& priced, std::int64_t discount_bp_max,
                               const std::optional<std::int64_t>& over_limit);

// Audit entries' after-text.
std::string sale_audit(const Sale& s, std::size_t lines, const std::optional<Actor>& approver,
                       std::int64_t discount_bp_max);
std::string void_audit(const std::string& reason, const std::string& void_id, std::int64_t total,
                       const std::optional<Actor>& approver);
std::string return_audit(const Return& r, const std::optional<Actor>& approver);
std::string exchange_audit(const Exchange& e);
std::string session_open_audit(const std::string& register_id, std::int64_t opening_float);
std::string cash_movement_audit(std::int64_t amount, const std::string& reason);

}  // namespace backroom::sales
