// Suppliers as plain values: who we buy from (contact, lead time, the days they take
// orders, the order values that matter), the bank details in force, what each supplier
// sells us (SupplierItem) and a pending change of bank details that a second person must
// approve. Pure rules live here too: IBAN (ISO 13616 mod-97) and BIC checks, masking, and
// the order-day words. No database (supplier_store.hpp), no JSON (supplier_json.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/types.hpp"
#include "platform/vocabulary.hpp"

namespace backroom::purchasing {

inline constexpr std::size_t supplier_name_length_max = 200;
inline constexpr std::size_t supplier_email_length_max = 254;
inline constexpr std::size_t supplier_phone_length_max = 40;
inline constexpr std::size_t supplier_sku_length_max = 64;
inline constexpr std::size_t account_name_length_max = 140;  // SEPA's creditor name length
inline constexpr std::int64_t lead_time_days_max = 365;
inline constexpr std::size_t change_reason_length_max = 500;

enum class OrderDay { mon, tue, wed, thu, fri, sat, sun };
inline constexpr Vocabulary<OrderDay, 7> order_days{{{{OrderDay::mon, "mon"},
                                                       {OrderDay::tue, "tue"},
                                                       {OrderDay::wed, "wed"},
                                                       {OrderDay::thu, "thu"},
                                                       {OrderDay::fri, "fri"},
                                                       {OrderDay::sat, "sat"},
                                                       {OrderDay::sun, "sun"}}}};

// A set of week days, Monday first. Stored and shown as its words in week order.
class OrderDays {
 public:
  bool contains(OrderDay d) const { return (bits_ >> static_cast<int>(d)) & 1u; }
  void add(OrderDay d) { bits_ |= 1u << static_cast<int>(d); }
  bool empty() const { return bits_ == 0; }
  std::vector<OrderDay> days() const;
  // "mon,thu" (the database form); "" when empty.
  std::string text() const;
  // Reads the database form; unknown words are ignored (the store wrote it).
  static OrderDays from_text(std::string_view text);
  bool operator==(const OrderDays&) const = default;

 private:
  unsigned bits_ = 0;
};

enum class SupplierStatus { active, inactive };
inline constexpr Vocabulary<SupplierStatus, 2> supplier_statuses{
    {{{SupplierStatus::active, "active"}, {SupplierStatus::inactive, "inactive"}}}};

struct Payment {
  std::string iban;          // normalised: upper case, no spaces
  std::string bic;           // normalised: upper case, no spaces; may be empty
  std::string account_name;  // may be empty
  bool operator==(const Payment&) const = default;
};

struct Supplier {
  std::string id;
  std::string name;
  std::string email;
  std::string phone;
  std::int64_t lead_time_days = 0;
  Quantity lead_time_sd_days;  // days in thousandths (1.5 days = 1500)
  OrderDays order_days;
  std::int64_t min_order_value = 0;                 // minor units; 0 = none
  std::optional<std::int64_t> free_freight_value;   // minor units
  std::optional<Payment> payment;                   // the approved bank details in force
  SupplierStatus status = SupplierStatus::active;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct SupplierItem {
  std::string supplier_id;
  std::string item_id;
  std::string supplier_sku;               // "" when the supplier has none
  std::int64_t cost = 0;                  // minor units per item unit (not per case)
  Quantity case_pack = Quantity::units(1);  // units in the supplier's case (thousandths)
  std::optional<std::string> case_gtin;   // GTIN-14 of the case
  Quantity min_order_units;               // the least the supplier sells of it
  bool preferred = false;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

enum class ChangeStatus { pending, approved, rejected, superseded };
inline constexpr Vocabulary<ChangeStatus, 4> change_statuses{{{{ChangeStatus::pending, "pending"},
                                                               {ChangeStatus::approved, "approved"},
                                                               {ChangeStatus::rejected, "rejected"},
                                                               {ChangeStatus::superseded, "superseded"}}}};

// Bank details someone filed for a supplier; they apply only when a different person
// with suppliers.payment_approve approves them.
struct SupplierChange {
  std::string id;
  std::string supplier_id;
  Payment payment;
  ChangeStatus status = ChangeStatus::pending;
  std::string requested_by;
  std::string requested_by_id;
  std::int64_t requested_at = 0;
  std::optional<std::string> decided_by;
  std::optional<std::string> decided_by_id;
  std::optional<std::int64_t> decided_at;
  std::string reason;         // the filer's note
  std::string decision_note;  // the decider's note (why rejected)
};

// IBAN (ISO 13616): spaces removed and letters upper-cased, then 2 letters, 2 check digits,
// up to 30 alphanumerics, 15..34 long in all, the country's length where known, and the
// number read as digits (A=10..Z=35, first four characters moved to the end) mod 97 == 1.
// Returns the normalised IBAN, or nullopt.
std::optional<std::string> normalize_iban(std::string_view text);
// Why an IBAN is refused, as a sentence for the person who typed it; nullopt when valid.
std::optional<std::string> iban_problem(std::string_view text);
// BIC (ISO 9362): 4 letters (bank), 2 letters (country), 2 alphanumerics (location),
// optionally 3 alphanumerics (branch). Returns the normalised BIC, or nullopt.
std::optional<std::string> normalize_bic(std::string_view text);

// "•••• 1234": only the last four characters of an IBAN show to those who may not read it.
std::string mask_iban(std::string_view iban);

// Whether the person deciding a change is the one who filed it (compared by user id when
// both have one, else by name): they may not approve it.
bool same_person(const SupplierChange& change, const std::string& user, const std::string& user_id);

}  // namespace backroom::purchasing
