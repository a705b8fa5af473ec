#include "labels/labels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "access/audit.hpp"
#include "catalog/catalog.hpp"
#include "catalog/catalog_store.hpp"
#include "integrations/events.hpp"
#include "platform/ids.hpp"
#include "platform/json.hpp"
#include "platform/problem.hpp"
#include "platform/settings.hpp"

namespace backroom::labels {

namespace bj = boost::json;

namespace {

constexpr std::string_view cursor_key = "labels.events_cursor";

std::optional<std::string> text_member(const bj::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

std::optional<std::int64_t> price_member(const bj::object& o) {
  auto it = o.find("price");
  if (it == o.end() || !it->value().is_int64()) return std::nullopt;
  return it->value().get_int64();
}

bool labelled_item(const bj::object& item) {
  auto status = text_member(item, "status").value_or("active");
  auto kind = text_member(item, "kind").value_or("standard");
  return status == "active" && kind != "parent";
}

bool item_exists(db::Db& db, const std::string& id) { return catalog::store::load_item(db, id).has_value(); }

// The store whose shelves a location's stock goes to: the location itself when it is a
// store, its parent store for a backroom or bin; none for warehouses.
std::optional<std::string> shelf_store_of(db::Db& db, const std::string& location_id) {
  auto l = store::location(db, location_id);
  for (int depth = 0; l && depth < 3; ++depth) {
    if (l->kind == "store") return l->id;
    if (!l->parent_id) return std::nullopt;
    l = store::location(db, *l->parent_id);
  }
  return std::nullopt;
}

void enqueue_everywhere(db::Db& db, const std::string& item_id, std::string_view reason, std::int64_t seq) {
  for (const auto& s : store::store_ids(db))
    store::upsert_pending(db, new_uuid_v7(), s, item_id, kind_name(LabelKind::shelf), reason, 1, seq, now().micros);
}

// Goods received against a purchase order (receipt.posted): a shelf label in the receiving
// store for each item whose label is missing there (never printed) or whose price changed
// since its label was last printed; an item whose label is up to date needs none.
void on_goods_received(db::Db& db, const integrations::Event& e, const bj::object& o) {
  auto location_id = text_member(o, "location_id");
  if (!location_id) return;
  auto store_id = shelf_store_of(db, *location_id);
  if (!store_id) return;
  auto it = o.find("lines");
  if (it == o.end() || !it->value().is_array()) return;
  for (const auto& line : it->value().get_array()) {
    const auto* l = line.if_object();
    if (!l) continue;
    auto item_id = text_member(*l, "item_id");
    if (!item_id) continue;
    if (auto received = l->find("received"); received != l->end()) {
      auto q = json::as_quantity(received->value());
      if (!q || q->milli <= 0) continue;
    }
    auto item = catalog::store::load_item(db, *item_id);
    if (!item || !item->sellable()) continue;
    std::string_view reason;
    if (auto printed = store::last_printed_at(db, *store_id, *item_id, kind_name(LabelKind::shelf)); !printed) {
      reason = "receipt_label_missing";
    } else {
      std::optional<std::int64_t> printed_price;
      if (auto payload = store::item_payload_at(db, *item_id, *printed)) {
        bj::error_code ec;
        auto before = bj::parse(*payload, ec);
        if (!ec && before.is_object()) printed_price = price_member(before.get_object());
      }
      if (printed_price == item->price) continue;
      reason = "receipt_price_changed";
    }
    store::upsert_pending(db, new_uuid_v7(), *store_id, *item_id, kind_name(LabelKind::shelf), reason, 1, e.seq,
                          now().micros);
  }
}

void on_event(db::Db& db, const integrations::Event& e) {
  bj::value payload;
  try {
    payload = bj::parse(e.payload);
  } catch (const std::exception&) {
    return;  // not ours to judge; the feed keeps it as it is
  }
  const auto* o = payload.if_object();
  if (!o) return;
  if (e.type == "item.created") {
    if (labelled_item(*o)) enqueue_everywhere(db, e.entity_id, "new_item", e.seq);
    return;
  }
  if (e.type == "item.updated") {
    if (!labelled_item(*o)) return;
    auto previous = store::previous_item_payload(db, e.entity_id, e.seq);
    if (!previous) return;
    bj::value before;
    try {
      before = bj::parse(*previous);
    } catch (const std::exception&) {
      return;
    }
    if (before.is_object() && price_member(before.get_object()) != price_member(*o))
      enqueue_everywhere(db, e.entity_id, "price_change", e.seq);
    return;
  }
  if (e.type == "price_change.approved" || e.type == "price_change.applied") {
    auto item_id = text_member(*o, "item_id");
    if (!item_id || !item_exists(db, *item_id)) return;
    if (text_member(*o, "tier")) return;  // a member or wholesale price is not on the shelf label
    if (e.type == "price_change.approved") {
      // A change approved for later gets its label when it is applied.
      if (auto at = text_member(*o, "effective_at"))
        if (auto t = parse_rfc3339(*at); t && t->micros > now().micros) return;
      if (auto it = o->find("effective_at"); it != o->end() && it->value().is_int64() && it->value().get_int64() > now().micros)
        return;
    }
    enqueue_everywhere(db, *item_id, "price_change", e.seq);
    return;
  }
  if (e.type == "receipt.posted") {
    on_goods_received(db, e, *o);
    return;
  }
  // A purchase order's receipts (receipt.posted) carry its goods; the order's own
  // purchase_order.received only says it is complete.
  if (e.type.ends_with(".received") && !e.type.starts_with("purchase_order.")) {
    auto location_id = text_member(*o, "to_location_id");
    if (!location_id) location_id = text_member(*o, "location_id");
    if (!location_id) return;
    auto store_id = shelf_store_of(db, *location_id);
    if (!store_id) return;
    auto it = o->find("lines");
    if (it == o->end() || !it->value().is_array()) return;
    std::string reason = e.type.substr(0, e.type.find('.'));  // "transfer", "receipt", ...
    reason += "_received";
    for (const auto& line : it->value().get_array()) {
      const auto* l = line.if_object();
      if (!l) continue;
      auto item_id = text_member(*l, "item_id");
      if (!item_id) continue;
      if (auto received = l->find("received"); received != l->end()) {
        auto q = json::as_quantity(received->value());
        if (!q || q->milli <= 0) continue;
      }
      if (!item_exists(db, *item_id)) continue;
      store::upsert_pending(db, new_uuid_v7(), *store_id, *item_id, kind_name(LabelKind::shelf), reason, 1, e.seq,
                            now().micros);
    }
  }
}

std::int64_t read_cursor(db::Db& db) {
  return settings::get_int64(db, std::string(cursor_key)).value_or(0);
}

}  // namespace

void enqueue(db::Db& db, const std::string& store_id, const std::string& item_id, std::string_view reason,
             LabelKind kind, int copies) {
  auto l = store::location(db, store_id);
  if (!l || l->kind != "store") throw Problem(404, "unknown_store", fmt::format("store '{}' does not exist", store_id), "store_id");
  if (!item_exists(db, item_id)) throw Problem(404, "unknown_item", fmt::format("item '{}' does not exist", item_id), "item_id");
  if (kind == LabelKind::scale)
    throw invalid_field("kind", "scale labels are printed at the scale with a weight, not queued");
  if (copies < 1 || copies > copies_max) throw invalid_field("copies", fmt::format("copies must be 1..{}", copies_max));
  if (reason.empty() || reason.size() > reason_length_max) throw invalid_field("reason", "reason must be 1..100 characters");
  store::upsert_pending(db, new_uuid_v7(), store_id, item_id, kind_name(kind), reason, copies, std::nullopt, now().micros);
}

std::size_t enqueue_from_events(db::Db& db, std::size_t events_max) {
  std::int64_t cursor = read_cursor(db);
  std::size_t read = 0;
  while (read < events_max) {
    int batch = static_cast<int>(std::min<std::size_t>(500, events_max - read));
    auto events = integrations::events_after(db, cursor, batch, "");
    if (events.empty()) break;
    for (const auto& e : events) on_event(db, e);
    cursor = events.back().seq;
    read += events.size();
  }
  if (read > 0) settings::put(db, std::string(cursor_key), std::to_string(cursor));
  return read;
}

std::string resolve_store(db::Db& db, std::string_view id_or_name) {
  if (id_or_name.empty()) {
    auto stores = store::store_ids(db);
    if (stores.size() == 1) return stores.front();
    throw Problem(422, "missing_field",
                  stores.empty() ? "this shop has no store location yet" : "give the store (id or name): the shop has several",
                  "store");
  }
  if (id_or_name.size() > 100) throw Problem(404, "unknown_store", "store does not exist", "store");
  std::string key(id_or_name);
  auto l = store::location(db, key);
  if (!l) l = store::location_by_name(db, key);
  if (!l || l->kind != "store")
    throw Problem(404, "unknown_store", fmt::format("store '{}' does not exist", key), "store");
  return l->id;
}

LabelContext label_context(db::Db& db) {
  LabelContext c;
  c.currency = settings::currency(db);
  c.currency_decimals = settings::currency_decimals(db);
  c.date_text = format_rfc3339(now()).substr(0, 10);
  c.basis = settings::get(db, "labels.unit_price_basis").value_or("kg") == "100g" ? UnitPriceBasis::per_hundred
                                                                                  : UnitPriceBasis::per_kilo;
  c.half_even = settings::get(db, "rounding").value_or("half_even") == "half_even";
  c.layouts = catalog::store::load_layouts(db);
  return c;
}

Calibration saved_calibration(db::Db& db) {
  Calibration c;
  auto read = [&](const char* key) {
    try {
      return std::stod(settings::get(db, key).value_or("0"));
    } catch (const std::exception&) {
      return 0.0;
    }
  };
  c.offset_x_mm = read("labels.offset_x_mm");
  c.offset_y_mm = read("labels.offset_y_mm");
  return c;
}

void save_calibration(db::Db& db, const Actor& actor, const Calibration& calibration) {
  check_calibration(calibration);
  auto before = saved_calibration(db);
  auto as_json = [](const Calibration& c) {
    return json::serialize(bj::object{{"offset_x_mm", c.offset_x_mm}, {"offset_y_mm", c.offset_y_mm}});
  };
  settings::put(db, "labels.offset_x_mm", fmt::format("{:.2f}", calibration.offset_x_mm));
  settings::put(db, "labels.offset_y_mm", fmt::format("{:.2f}", calibration.offset_y_mm));
  append_audit(db, actor, AuditEntry{"labels.calibrate", "settings", "labels.calibration", as_json(before), as_json(calibration)});
  append_event(db, "labels.calibrated", "labels.calibration", as_json(calibration));
}

catalog::Item require_item(db::Db& db, std::string_view id_or_sku, const std::string& field) {
  std::string key(id_or_sku.substr(0, std::min<std::size_t>(id_or_sku.size(), 100)));
  std::optional<catalog::Item> item;
  if (auto id = normalize_uuid(key)) item = catalog::store::load_item(db, *id);
  if (!item)
    if (auto sku = catalog::normalize_sku(key))
      if (auto id = catalog::store::item_id_by_sku(db, *sku)) item = catalog::store::load_item(db, *id);
  if (!item) throw Problem(404, "unknown_item", fmt::format("no item has the id or SKU '{}'", key), field);
  return *item;
}

namespace {

std::vector<LabelLayout> layouts_for(db::Db& db, const std::vector<PrintRequest>& requests, const Template& t,
                                     const PrintOptions& options, const std::vector<std::string>& fields) {
  auto context = label_context(db);
  std::vector<LabelLayout> out;
  std::size_t total = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    if (r.copies < 1 || r.copies > copies_max)
      throw invalid_field(fields[i] + ".copies", fmt::format("copies must be 1..{}", copies_max));
    total += static_cast<std::size_t>(r.copies);
    if (total > labels_per_job_max)
      throw Problem(422, "too_many_labels", fmt::format("one job prints at most {} labels", labels_per_job_max));
    auto item = require_item(db, r.item, fields[i]);
    LabelData data;
    try {
      data = label_for_item(item, LabelRequest{r.kind, options.symbology, r.weight}, context);
    } catch (Problem& p) {
      if (p.field.empty() || p.field == "kind" || p.field == "weight") p.field = fields[i] + (p.field.empty() ? "" : "." + p.field);
      throw;
    }
    auto layout = layout_label(data, t.label_width_mm, t.label_height_mm);
    for (int c = 0; c < r.copies; ++c) out.push_back(layout);
  }
  return out;
}

RenderOptions render_options(db::Db& db, const Template& t, const PrintOptions& options) {
  RenderOptions ro;
  ro.sheet = t;
  ro.calibration = options.calibration ? *options.calibration : saved_calibration(db);
  ro.dpi = options.dpi;
  return ro;
}

}  // namespace

std::string print_items(db::Db& db, const std::vector<PrintRequest>& requests, const PrintOptions& options) {
  auto t = find_template(options.template_spec);
  if (requests.empty()) throw Problem(422, "nothing_to_print", "give at least one item", "items");
  std::vector<std::string> fields;
  for (std::size_t i = 0; i < requests.size(); ++i) fields.push_back(fmt::format("items[{}]", i));
  auto layouts = layouts_for(db, requests, t, options, fields);
  return render_labels(layouts, options.format, render_options(db, t, options));
}

std::string preview(db::Db& db, const PrintRequest& request, const PrintOptions& options) {
  auto t = find_template(options.template_spec);
  Template single = t;
  single.roll = true;
  single.columns = single.rows = 1;
  single.page_width_mm = single.pitch_x_mm = t.label_width_mm;
  single.page_height_mm = single.pitch_y_mm = t.label_height_mm;
  single.margin_left_mm = single.margin_top_mm = 0;
  auto layouts = layouts_for(db, {request}, single, options, {"item_id"});
  auto ro = render_options(db, single, options);
  ro.calibration = Calibration{};  // a preview is for the screen
  return render_labels(layouts, options.format, ro);
}

QueueJob print_queue(db::Db& db, const std::string& store_id, const PrintOptions& options, int limit) {
  auto t = find_template(options.template_spec);
  auto entries = store::pending(db, store_id, "", limit);
  if (entries.empty()) throw Problem(409, "queue_empty", "the store's label queue is empty: nothing to print", "store");
  QueueJob job;
  job.job_id = new_uuid_v7();
  std::vector<PrintRequest> requests;
  std::vector<std::string> fields;
  for (const auto& e : entries) {
    requests.push_back(PrintRequest{e.item_id, parse_kind(e.kind).value_or(LabelKind::shelf), e.copies, std::nullopt});
    fields.push_back(fmt::format("queue[{}]", e.id));
    job.entry_ids.push_back(e.id);
  }
  auto layouts = layouts_for(db, requests, t, options, fields);
  job.labels = layouts.size();
  job.bytes = render_labels(layouts, options.format, render_options(db, t, options));
  return job;
}

std::int64_t mark_printed(db::Db& db, const Actor& actor, const QueueJob& job, const std::string& store_id,
                          const PrintOptions& options) {
  auto marked = store::mark_printed(db, job.entry_ids, job.job_id, actor.user, now().micros);
  bj::object summary{{"job_id", job.job_id},
                     {"store_id", store_id},
                     {"entries", marked},
                     {"labels", job.labels},
                     {"template", options.template_spec},
                     {"format", format_name(options.format)}};
  auto text = json::serialize(summary);
  append_audit(db, actor, AuditEntry{"labels.print", "label_job", job.job_id, std::nullopt, text});
  append_event(db, "labels.printed", job.job_id, text);
  return marked;
}

}  // namespace backroom::labels
