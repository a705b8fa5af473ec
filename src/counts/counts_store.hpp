// Cycle counts with their SQL (tables of migration 13): the ABC classes of a location, the
// day's count list, counts and their lines, the entries people count (blind), and the
// approval that posts each variance to the ledger with its reason. Commands run on the
// writer inside its transaction; reads on any connection. docs/counts.md tells operators.
#pragma once

#include <boost/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "counts/counts.hpp"
#include "platform/actor.hpp"
#include "platform/db.hpp"
#include "platform/documents.hpp"

namespace backroom::counts {

// ---- settings (the shop's `counts` setting, one JSON object) ----
struct CountSettings {
  Cutoffs cutoffs;
  Frequencies frequencies;
  WorkingDays working_days;
  ClassThresholds thresholds;
};
CountSettings load_settings(db::Db& db);
boost::json::object settings_to_json(const CountSettings& s);
// Reads a full settings object (422 naming the field); pure.
CountSettings settings_from_json(const boost::json::object& body);
void save_settings(db::Db& db, const Actor& actor, const CountSettings& s);

// ---- ABC classes ----
struct ClassRun {
  std::int64_t computed_at = 0;
  std::int64_t total_value = 0;
  std::int64_t items = 0;
  Cutoffs cutoffs;
};
std::optional<ClassRun> class_run(db::Db& db, const std::string& location_id);
// Computes the location's classes from the last consumption_months of sales (stock) and
// each item's unit cost (catalog), keeping pins; replaces the stored classes. Audited.
ClassRun recompute_classes(db::Db& db, const Actor& actor, const std::string& location_id, Timestamp at);
// True when the location has no classes yet or they are older than classes_stale_after_days.
bool classes_stale(db::Db& db, const std::string& location_id, Timestamp at);
struct ClassRow {
  std::string item_id;
  CountClass count_class = CountClass::c;
  std::int64_t units_sold = 0;
  std::int64_t value = 0;
  bool pinned = false;
};
// Highest value first; `only` filters by class; up to limit rows from `offset`.
std::vector<ClassRow> list_classes(db::Db& db, const std::string& location_id, std::optional<CountClass> only,
                                   int offset, int limit);
std::map<std::string, std::int64_t> class_sizes(db::Db& db, const std::string& location_id);
// Pins an item to a class at a location (nullopt removes the pin); the stored class follows
// at once, the next recompute keeps it. 404 when the item does not exist. Audited.
void pin_class(db::Db& db, const Actor& actor, const std::string& location_id, const std::string& item_id,
               std::optional<CountClass> pinned);

// ---- the daily list ----
struct DueItem {
  std::string item_id;
  CountClass count_class = CountClass::c;
};
// The items due at the location on `day` (classes as stored), A first.
std::vector<DueItem> due_items(db::Db& db, const std::string& location_id, Date day);

// ---- counts ----
struct CreateCount {
  documents::DocumentKey key;
  std::string location_id;
  CountKind kind = CountKind::items;
  std::vector<std::string> item_ids;  // kind items
  std::string supplier_id;            // kind supplier
  Date plan_date;                     // kind plan
};
struct Posted {
  boost::json::object document;
  bool replayed = false;
};
// A new open count and its lines (one per item, each with its class). 422
// nothing_to_count when the list comes out empty.
Posted create_count(db::Db& db, const Actor& actor, const CreateCount& in);

struct LineInput {
  documents::DocumentKey key;
  std::string item_id;
  Quantity counted;
  std::optional<Timestamp> counted_at;  // default: when it arrives
  std::optional<std::string> photo;     // a data: URL
};
// Records one count of a line; the same item again by another person is the recount. 403
// same_user when this person counted it before, 409 count_closed after approval, 422
// not_on_count for an item the count does not list. A retry (Idempotency-Key) answers the
// first entry and changes nothing.
Posted post_line(db::Db& db, const Actor& actor, const std::string& count_id, const LineInput& in);

// The count as `viewer` may see it: counters see what to count and their own figures;
// with `reveal` (counts.approve) every entry, the ledger as of counted_at, variances and flags.
std::optional<boost::json::object> load_count(db::Db& db, const std::string& id, const Actor& viewer, bool reveal);
struct CountFilter {
  std::string location_id;
  std::optional<CountStatus> status;
  int limit = 50;
};
std::vector<boost::json::object> list_counts(db::Db& db, const CountFilter& filter);

// Approves an open count: each counted line's variance (counted - on hand as of counted_at)
// is posted as a movement with its reason (document_type "count"); later sales stay. 403
// same_user when the approver counted any of it, 409 recount_required while a flagged line
// waits for its recount, 422 reason_required for a variance without a reason.
boost::json::object approve_count(db::Db& db, const Actor& actor, const std::string& count_id,
                                  const std::map<std::string, VarianceReason>& reasons);

std::optional<boost::json::object> load_photo(db::Db& db, const std::string& count_id, const std::string& photo_id);

// ---- the KPI reports read ----
// Count accuracy: per class, the approved lines (approved with from <= at < to, at the
// location or anywhere for "") and how many were within their class's tolerance.
struct Accuracy {
  CountClass count_class = CountClass::c;
  std::int64_t lines = 0;
  std::int64_t within_tolerance = 0;
};
std::vector<Accuracy> count_accuracy(db::Db& db, Timestamp from, Timestamp to, const std::string& location_id);

// ---- `backroom check` ----
// What the counts prove about the ledger: every line of an approved count moved exactly its
// variance, an open count moved nothing, and every count movement belongs to a line of its
// count, for that line's item at the count's location. One line per problem; empty when
// they hold.
std::vector<std::string> check_counts(db::Db& db);

}  // namespace backroom::counts
