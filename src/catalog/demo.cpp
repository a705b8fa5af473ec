#include "catalog/demo.hpp"

#include <fmt/format.h>

#include <array>
#include <random>

#include "platform/ids.hpp"

namespace backroom::catalog {

namespace {

std::string ean13(std::string_view twelve) { return std::string(twelve) + char('0' + gs1_check_digit(twelve)); }

// GTIN-14 case code: indicator digit + the unit's first 12 digits + a fresh check digit.
std::string case_gtin(char indicator, std::string_view unit_ean13) {
  std::string body = std::string(1, indicator) + std::string(unit_ean13.substr(0, 12));
  return body + char('0' + gs1_check_digit(body));
}

Item make(std::string sku, std::string name, std::string category, std::string brand, std::int64_t price,
          std::int64_t cost) {
  Item it;
  it.id = new_uuid_v7();
  it.sku = std::move(sku);
  it.name = std::move(name);
  it.category = std::move(category);
  it.brand = std::move(brand);
  it.price = price;
  it.cost = cost;
  return it;
}

}  // namespace

BarcodeSettings demo_barcode_settings() {
  BarcodeSettings s;
  s.internal_prefixes = {"20"};
  s.layouts = {
      EmbeddedLayout{"21", 5, EmbeddedValue::price, 5, 2, false},   // deli, pre-packed: price
      EmbeddedLayout{"22", 5, EmbeddedValue::weight, 5, 3, false},  // produce scale: weight in g
      EmbeddedLayout{"23", 5, EmbeddedValue::price, 4, 2, true},    // cheese counter: price + verifier
  };
  return s;
}

std::vector<DemoItem> demo_items(std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto between = [&rng](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
  std::vector<DemoItem> out;
  auto settings = demo_barcode_settings();

  // Weighed produce: sold by the kilo, scale prints a weight-embedded label (prefix 22).
  static constexpr std::array produce = {"Apples Elstar", "Apples Jonagold", "Pears Conference", "Bananas", "Tomatoes Vine",
                                         "Cucumbers", "Carrots", "Potatoes Yellow", "Onions Red", "Onions White",
                                         "Courgettes", "Peppers Red", "Peppers Green", "Mushrooms White", "Grapes Green",
                                         "Grapes Red", "Lemons", "Limes", "Oranges", "Mandarins", "Kiwis", "Mangoes",
                                         "Avocados", "Garlic", "Ginger", "Leeks", "Celeriac", "Beetroot", "Parsnips",
                                         "Sweet Potatoes"};
  static constexpr std::array origins = {"NL", "ES", "IT"};
  int plu = 1;
  for (auto name : produce) {
    for (auto origin : origins) {
      if (plu > 60) break;
      Item it = make(fmt::format("PRD-{:04}", plu), fmt::format("{} ({})", name, origin), "Produce", "Market Fresh",
                     between(149, 899), 0);
      it.cost = *it.price * 55 / 100;
      it.unit = Unit::kg;
      it.sold_by_weight = true;
      it.tax_category = "food";
      it.barcodes.push_back(ItemBarcode{*make_embedded_barcode(settings.layouts[1], fmt::format("{:05}", plu), 0), "",
                                        Quantity::units(1), ""});
      out.push_back({std::move(it), false});
      ++plu;
    }
  }
  // Deli, pre-packed and priced at the counter (prefix 21), and cheese with a verifier (23).
  static constexpr std::array deli = {"Ham Sliced", "Salami", "Chicken Breast", "Roast Beef", "Olives Mixed", "Hummus",
                                      "Pasta Salad", "Smoked Salmon", "Meatballs", "Quiche Lorraine"};
  static constexpr std::array cheeses = {"Gouda Young", "Gouda Old", "Brie", "Cheddar", "Emmental", "Comte",
                                         "Manchego", "Parmesan", "Roquefort", "Feta"};
  for (int i = 0; i < 40; ++i) {
    bool cheese = i % 2 == 1;
    std::string base = cheese ? cheeses[static_cast<std::size_t>(i / 2) % cheeses.size()] : deli[static_cast<std::size_t>(i / 2) % deli.size()];
    Item it = make(fmt::format("DLI-{:04}", i + 1), fmt::format("{} {}", base, i / 20 == 0 ? "Counter" : "Premium"),
                   cheese ? "Cheese" : "Deli", "Counter", between(1200, 3900), 0);
    it.cost = *it.price / 2;
    it.unit = Unit::kg;
    it.sold_by_weight = true;
    it.tax_category = "food";
    const auto& layout = settings.layouts[cheese ? 2 : 0];
    it.barcodes.push_back(ItemBarcode{*make_embedded_barcode(layout, fmt::format("{:05}", 100 + i), 0), "", Quantity::units(1), ""});
    out.push_back({std::move(it), false});
  }

  // Packaged grocery: EAN-13 units, GTIN-14 cases of 6, 12 or 24.
  static constexpr std::array grocery_kinds = {"Pasta", "Rice", "Coffee Beans", "Tea", "Chocolate", "Biscuits", "Jam",
                                               "Honey", "Olive Oil", "Vinegar", "Tomato Sauce", "Soup", "Beans",
                                               "Muesli", "Crisps", "Juice", "Sparkling Water", "Cola", "Beer", "Wine"};
  static constexpr std::array grocery_brands = {"Brightfield", "Oak & Mill", "Casa Verde", "Nordic Table", "Sunny Farm",
                                                "Old Harbour", "Golden Valley", "Little Acre"};
  static constexpr std::array sizes = {"250 g", "500 g", "1 kg", "330 ml", "750 ml", "1 l", "200 g", "400 g"};
  static constexpr std::array case_packs = {6, 12, 24};
  for (int i = 0; i < 900; ++i) {
    std::string kind = grocery_kinds[static_cast<std::size_t>(i) % grocery_kinds.size()];
    std::string brand = grocery_brands[static_cast<std::size_t>(i / 20) % grocery_brands.size()];
    std::string size = sizes[static_cast<std::size_t>(i / 160) % sizes.size()];
    Item it = make(fmt::format("GRC-{:05}", i + 1), fmt::format("{} {} {}", brand, kind, size), "Grocery", brand,
                   between(89, 1499), 0);
    it.cost = *it.price * between(45, 70) / 100;
    it.tax_category = kind == "Beer" || kind == "Wine" ? "standard" : "food";
    std::string unit_code = ean13(fmt::format("87123{:07}", 10000 + i));
    int pack = case_packs[static_cast<std::size_t>(i) % case_packs.size()];
    it.case_pack = Quantity::units(pack);
    it.barcodes.push_back(ItemBarcode{unit_code, "", Quantity::units(1), ""});
    it.barcodes.push_back(ItemBarcode{case_gtin('1', unit_code), "", Quantity::units(pack), ""});
    it.prices["member"] = *it.price * 90 / 100;
    out.push_back({std::move(it), false});
  }

  // Apparel: parents with size x color, each variant its own UPC-A.
  static constexpr std::array garments = {"Crew T-Shirt", "Hoodie", "Rain Jacket", "Chino Trousers", "Knit Beanie",
                                          "Wool Socks", "Polo Shirt", "Denim Jeans", "Fleece Vest", "Linen Shirt"};
  static constexpr std::array fabrics = {"Organic", "Classic", "Heritage", "Sport"};
  static constexpr std::array garment_sizes = {"S", "M", "L", "XL"};
  static constexpr std::array colors = {"Navy", "Forest", "Sand"};
  int variant_number = 0;
  for (std::size_t g = 0; g < 40; ++g) {
    std::string name = fmt::format("{} {}", fabrics[g / garments.size()], garments[g % garments.size()]);
    Item parent = make(fmt::format("APL-{:03}", g + 1), name, "Apparel", "Harbour & Co", 0, 0);
    parent.kind = ItemKind::parent;
    parent.price.reset();
    parent.cost.reset();
    boost::json::array size_list, color_list;
    for (auto s : garment_sizes) size_list.emplace_back(s);
    for (auto c : colors) color_list.emplace_back(c);
    parent.options = boost::json::object{{"size", size_list}, {"color", color_list}};
    std::int64_t price = between(15, 90) * 100 - 1;
    std::string parent_id = parent.id;
    std::string parent_sku = parent.sku;
    out.push_back({std::move(parent), false});
    for (auto color : colors) {
      for (auto size : garment_sizes) {
        Item v = make(fmt::format("{}-{}-{}", parent_sku, std::string(color).substr(0, 3), size),
                      fmt::format("{} {} {}", name, color, size), "Apparel", "Harbour & Co", price, price * 40 / 100);
        v.kind = ItemKind::variant;
        v.parent_id = parent_id;
        v.options = boost::json::object{{"size", size}, {"color", color}};
        std::string upc11 = fmt::format("0{:010}", 6543200000LL + variant_number++);
        v.barcodes.push_back(ItemBarcode{upc11 + char('0' + gs1_check_digit(upc11)), "", Quantity::units(1), ""});
        out.push_back({std::move(v), false});
      }
    }
  }

  // Toys and board games.
  static constexpr std::array games = {"Castle Builders", "Ocean Quest", "Star Traders", "Forest Friends", "Dragon Dice",
                                       "Train Tycoon", "Puzzle Peaks", "Word Wizards", "Pirate Cove", "Galaxy Race"};
  static constexpr std::array editions = {"Board Game", "Card Game", "Expansion", "Jigsaw 1000", "Jigsaw 500", "Plush",
                                          "Wooden Set", "Deluxe Edition", "Travel Edition", "Party Pack"};
  for (int i = 0; i < 300; ++i) {
    Item it = make(fmt::format("TOY-{:04}", i + 1),
                   fmt::format("{} {}", games[static_cast<std::size_t>(i) % games.size()],
                               editions[static_cast<std::size_t>(i / 10) % editions.size()]) +
                       (i >= 100 ? fmt::format(" Vol. {}", i / 100 + 1) : ""),
                   "Toys & Games", "Meeple Works", between(8, 80) * 100 - 1, 0);
    it.cost = *it.price * 50 / 100;
    std::string unit_code = ean13(fmt::format("50600{:07}", 20000 + i));
    it.barcodes.push_back(ItemBarcode{unit_code, "", Quantity::units(1), ""});
    it.case_pack = Quantity::units(6);
    it.barcodes.push_back(ItemBarcode{case_gtin('2', unit_code), "", Quantity::units(6), ""});
    out.push_back({std::move(it), false});
  }

  // Books: ISBN-13 (978) barcodes.
  static constexpr std::array topics = {"Gardening", "Baking", "Birds", "Knitting", "Cycling", "Local History",
                                        "Cooking", "Children's Stories", "Puzzles", "Travel"};
  for (int i = 0; i < 150; ++i) {
    Item it = make(fmt::format("BOK-{:04}", i + 1),
                   fmt::format("The Little Book of {} {}", topics[static_cast<std::size_t>(i) % topics.size()], i / 10 + 1),
                   "Books", "Lantern Press", between(9, 35) * 100 - 1, 0);
    it.cost = *it.price * 60 / 100;
    it.tax_category = "reduced";
    it.barcodes.push_back(ItemBarcode{ean13(fmt::format("978190{:06}", 300000 + i * 7)), "", Quantity::units(1), ""});
    out.push_back({std::move(it), false});
  }

  // Florist: bunches and plants with internal barcodes (prefix 20), issued after creation.
  static constexpr std::array flowers = {"Tulips", "Roses", "Sunflowers", "Lilies", "Chrysanthemums", "Peonies",
                                         "Orchid Pot", "Eucalyptus", "Gerberas", "Carnations"};
  static constexpr std::array bunch = {"Bunch of 10", "Bunch of 20", "Single Stem", "Bouquet"};
  for (int i = 0; i < 40; ++i) {
    Item it = make(fmt::format("FLR-{:03}", i + 1),
                   fmt::format("{} {}", flowers[static_cast<std::size_t>(i) % flowers.size()],
                               bunch[static_cast<std::size_t>(i / 10) % bunch.size()]),
                   "Flowers", "Backroom Florist", between(3, 40) * 100 - 1, 0);
    it.cost = *it.price * 35 / 100;
    it.tax_category = "reduced";
    out.push_back({std::move(it), true});
  }

  // Gift kits: a few grocery items in a box. Half consume components, half are assembled ahead.
  std::vector<std::size_t> grocery_index;
  for (std::size_t i = 0; i < out.size(); ++i)
    if (out[i].item.category == "Grocery") grocery_index.push_back(i);
  static constexpr std::array occasions = {"Breakfast", "Italian Night", "Tea Time", "Chocolate Lover", "Pantry Basics",
                                           "Picnic"};
  for (int i = 0; i < 30; ++i) {
    Item kit = make(fmt::format("KIT-{:03}", i + 1),
                    fmt::format("{} Gift Box {}", occasions[static_cast<std::size_t>(i) % occasions.size()], i / 6 + 1),
                    "Gifts", "Backroom", 0, 0);
    kit.kind = ItemKind::kit;
    kit.kit_consumes = i % 2 == 0 ? KitConsumes::components : KitConsumes::assembled;
    std::int64_t total = 0;
    for (int c = 0; c < 3; ++c) {
      const Item& component = out[grocery_index[static_cast<std::size_t>(i * 3 + c) % grocery_index.size()]].item;
      kit.components.push_back(KitComponent{component.id, Quantity::units(1 + c % 2)});
      total += *component.price * (1 + c % 2);
    }
    kit.price = total + 499;  // the box and the ribbon
    kit.cost = total * 60 / 100 + 150;
    out.push_back({std::move(kit), true});
  }
  return out;
}

}  // namespace backroom::catalog
