// Stock's words: why stock moved, why it was adjusted, where returned goods go, what a
// location is. Each is an enum with one table (platform/vocabulary.hpp) of the words
// stored in the database and used in JSON; the stored words never change.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "platform/vocabulary.hpp"

namespace backroom::stock {

// Why a movement changed stock; stored in stock_movements.reason. An adjustment's
// movement carries its adjustment reason (shrink ... count).
class MovementReason {
 public:
  enum Code : std::uint8_t {
    sale,
    sale_void,    // "void": a voided sale's movements, reversed
    sale_return,  // "return"
    shrink,
    damage,
    theft,
    found,
    expired,
    correction,
    opening,
    count,
    transfer_out,
    transfer_in,
    transfer_damaged,
    transfer_short,
    transfer_cancelled,  // a cancelled transfer's goods, out of transit back into its source
    receipt,          // goods received against a purchase order (purchasing)
    receipt_damaged,  // ... that arrived damaged, into the damaged bin
    admin_error,      // a count's variance: the books were wrong (counts' variance reasons)
    supplier_short,   // ... a delivery was short and nobody noticed
    unknown,          // ... nobody knows why
  };
  constexpr MovementReason(Code code) : code_(code) {}
  // A reason written in code as its stored word ("sale"): looked up in movement_reasons
  // when compiling, so a misspelt word does not build.
  consteval MovementReason(const char* word);
  constexpr Code code() const { return code_; }
  constexpr bool operator==(const MovementReason&) const = default;

 private:
  Code code_;
};

inline constexpr Vocabulary<MovementReason::Code, 21> movement_reasons{{{
    {MovementReason::sale, "sale"},
    {MovementReason::sale_void, "void"},
    {MovementReason::sale_return, "return"},
    {MovementReason::shrink, "shrink"},
    {MovementReason::damage, "damage"},
    {MovementReason::theft, "theft"},
    {MovementReason::found, "found"},
    {MovementReason::expired, "expired"},
    {MovementReason::correction, "correction"},
    {MovementReason::opening, "opening"},
    {MovementReason::count, "count"},
    {MovementReason::transfer_out, "transfer_out"},
    {MovementReason::transfer_in, "transfer_in"},
    {MovementReason::transfer_damaged, "transfer_damaged"},
    {MovementReason::transfer_short, "transfer_short"},
    {MovementReason::transfer_cancelled, "transfer_cancelled"},
    {MovementReason::receipt, "receipt"},
    {MovementReason::receipt_damaged, "receipt_damaged"},
    {MovementReason::admin_error, "admin_error"},
    {MovementReason::supplier_short, "supplier_short"},
    {MovementReason::unknown, "unknown"},
}}};

namespace detail {
consteval MovementReason::Code movement_reason_word(const char* word) {
  auto code = movement_reasons.parse(word);
  if (!code) throw "not a movement reason: see movement_reasons in stock/vocabulary.hpp";
  return *code;
}
}  // namespace detail

consteval MovementReason::MovementReason(const char* word) : code_(detail::movement_reason_word(word)) {}

inline std::string_view word(MovementReason reason) { return movement_reasons.text(reason.code()); }

// Why stock was adjusted by hand (POST /stock/adjustments `reason`, and the `reason_code`
// an adjustment past the shop's limits needs); stored in stock_adjustments.
enum class AdjustmentReason : std::uint8_t { shrink, damage, theft, found, expired, correction, opening, count };

inline constexpr Vocabulary<AdjustmentReason, 8> adjustment_reasons{{{
    {AdjustmentReason::shrink, "shrink"},
    {AdjustmentReason::damage, "damage"},
    {AdjustmentReason::theft, "theft"},
    {AdjustmentReason::found, "found"},
    {AdjustmentReason::expired, "expired"},
    {AdjustmentReason::correction, "correction"},
    {AdjustmentReason::opening, "opening"},
    {AdjustmentReason::count, "count"},
}}};

inline std::string_view word(AdjustmentReason reason) { return adjustment_reasons.text(reason); }
// The movement an adjustment posts carries its reason.
MovementReason movement_reason(AdjustmentReason reason);
// Which way an adjustment may move stock: shrink, damage, theft and expired take stock
// away; found and opening add it; a correction or a count goes either way.
enum class Direction { decrease, increase, either };
Direction direction(AdjustmentReason reason);

// What a location is: a site (sells or holds stock, gets bins), one of a site's bins, or
// the one in-transit location; stored in locations.kind.
enum class LocationKind : std::uint8_t { store, backroom, warehouse, review, damaged, refurbish, markdown, transit };

inline constexpr Vocabulary<LocationKind, 8> location_kinds{{{
    {LocationKind::store, "store"},
    {LocationKind::backroom, "backroom"},
    {LocationKind::warehouse, "warehouse"},
    {LocationKind::review, "review"},
    {LocationKind::damaged, "damaged"},
    {LocationKind::refurbish, "refurbish"},
    {LocationKind::markdown, "markdown"},
    {LocationKind::transit, "transit"},
}}};

inline std::string_view word(LocationKind kind) { return location_kinds.text(kind); }
bool is_site(LocationKind kind);  // store, backroom, warehouse
bool is_bin(LocationKind kind);   // review, damaged, refurbish, markdown

// Where a returned item goes: back on the shelf (restock) or into one of the store's
// bins; stored in return_lines.disposition.
enum class Disposition : std::uint8_t { restock, review, damaged, refurbish, markdown };

inline constexpr Vocabulary<Disposition, 5> dispositions{{{
    {Disposition::restock, "restock"},
    {Disposition::review, "review"},
    {Disposition::damaged, "damaged"},
    {Disposition::refurbish, "refurbish"},
    {Disposition::markdown, "markdown"},
}}};

inline std::string_view word(Disposition disposition) { return dispositions.text(disposition); }
// The bin a disposition sends goods to; nullopt for restock (the store itself).
std::optional<LocationKind> bin_kind(Disposition disposition);

// What a sale may do to a balance it would take below zero: allow it (and flag it) or
// refuse the sale; the shop's setting negative_stock.
enum class NegativeStock : std::uint8_t { allow, refuse };

inline constexpr Vocabulary<NegativeStock, 2> negative_stock_policies{{{
    {NegativeStock::allow, "allow"},
    {NegativeStock::refuse, "refuse"},
}}};

// A transfer is in transit until every line is received, damaged or booked short; or until
// it is cancelled, and what was still in transit goes back to its source.
enum class TransferStatus : std::uint8_t { in_transit, received, cancelled };

inline constexpr Vocabulary<TransferStatus, 3> transfer_statuses{{{
    {TransferStatus::in_transit, "in_transit"},
    {TransferStatus::received, "received"},
    {TransferStatus::cancelled, "cancelled"},
}}};

}  // namespace backroom::stock
