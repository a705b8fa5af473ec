// The ids a store function reads rows for, and how to ask for them. A short list goes into
// the statement (`IN (SELECT value FROM json_each(?))`); past `IdFilter::whole_read_at` ids the
// statement reads without the list and the caller keeps the wanted rows (`wants`). Measured on
// PostgreSQL 15 (docs/performance.md, "Eleventh session: the id lists read whole"): 100,000 ids
// in the statement are planned as a 100-row list and probe the index once an id (0.55–0.75 s,
// 4 MB of JSON parsed in 110–140 ms), where reading the 100,000 rows whole takes tens of ms;
// SQLite first builds a temporary index of the list. Both backends take the same path, so the
// rows a caller gets do not depend on the dialect. Pure (no I/O).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace backroom::db {

class IdFilter {
 public:
  // Above this many ids the statement reads without the list. A shop's item table is at most a
  // few hundred thousand rows, so a whole read costs less than this many index probes.
  static constexpr std::size_t whole_read_at = 2'000;

  // `ids` must outlive the filter (it keeps views of them).
  explicit IdFilter(const std::vector<std::string>& ids);

  // true: run the statement without the list and keep the rows `wants` says.
  bool whole() const { return whole_; }
  // The ids as a JSON array of strings, for `json_each(?)` (only when !whole()).
  const std::string& json() const { return json_; }
  // Whether a row of this id is wanted: always true when the list was in the statement.
  bool wants(std::string_view id) const { return !whole_ || wanted_.contains(id); }

 private:
  bool whole_ = false;
  std::string json_;
  std::unordered_set<std::string_view> wanted_;  // views into the caller's ids
};

}  // namespace backroom::db
