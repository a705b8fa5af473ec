// Catalog's words: what an item is, whether it is still sold, the unit it is counted and
// priced in, and what selling a kit takes from stock. Each is an enum with one table
// (platform/vocabulary.hpp) of the words stored in the items table and spoken in JSON and
// CSV; the stored words never change.
#pragma once

#include <cstdint>
#include <string_view>

#include "platform/vocabulary.hpp"

namespace backroom::catalog {

// A standard item, a variant parent (not sellable, groups its variants), one variant, or
// a kit of other items; stored in items.kind, fixed once the item exists.
enum class ItemKind : std::uint8_t { standard, parent, variant, kit };

inline constexpr Vocabulary<ItemKind, 4> item_kinds{{{
    {ItemKind::standard, "standard"},
    {ItemKind::parent, "parent"},
    {ItemKind::variant, "variant"},
    {ItemKind::kit, "kit"},
}}};

inline std::string_view word(ItemKind kind) { return item_kinds.text(kind); }

// Whether an item is still sold; stored in items.status.
enum class ItemStatus : std::uint8_t { active, discontinued };

inline constexpr Vocabulary<ItemStatus, 2> item_statuses{{{
    {ItemStatus::active, "active"},
    {ItemStatus::discontinued, "discontinued"},
}}};

inline std::string_view word(ItemStatus status) { return item_statuses.text(status); }

// The unit an item is counted and priced in; stored in items.unit. Only g and kg may be
// sold by weight.
enum class Unit : std::uint8_t { each, g, kg, ml, l, m };

inline constexpr Vocabulary<Unit, 6> units{{{
    {Unit::each, "each"},
    {Unit::g, "g"},
    {Unit::kg, "kg"},
    {Unit::ml, "ml"},
    {Unit::l, "l"},
    {Unit::m, "m"},
}}};

inline std::string_view word(Unit unit) { return units.text(unit); }

// What a kit's sale takes from stock: its components, or kits assembled beforehand;
// stored in items.kit_consumes (kits only).
enum class KitConsumes : std::uint8_t { components, assembled };

inline constexpr Vocabulary<KitConsumes, 2> kit_consumes_words{{{
    {KitConsumes::components, "components"},
    {KitConsumes::assembled, "assembled"},
}}};

inline std::string_view word(KitConsumes consumes) { return kit_consumes_words.text(consumes); }

// A word from a request or a CSV row, or the 422 invalid_field it has always been (field
// kind, unit, status, kit.consumes), listing the allowed words.
ItemKind require_item_kind(std::string_view text);
ItemStatus require_item_status(std::string_view text);
Unit require_unit(std::string_view text);
KitConsumes require_kit_consumes(std::string_view text);

}  // namespace backroom::catalog
