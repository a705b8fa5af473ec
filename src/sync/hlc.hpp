// Hybrid logical clocks (Kulkarni, Demirbas et al., "Logical Physical Clocks and Consistent
// Snapshots in Globally Distributed Databases", 2014). A stamp (l, c): l is the largest
// physical time (milliseconds) this clock has heard of, c counts events that share that l.
// Happened-before implies stamp order, whatever the nodes' wall clocks say, and l stays
// within the clock skew seen of the physical time. Pure: the caller passes the physical time
// and keeps the state durably (docs/sync.md, "Clocks").
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace backroom::sync::hlc {

// l fits 47 bits (milliseconds: until the year 6429) and c 16, so a stamp packs into a
// positive int64 that sorts as (l, c) does: the column both SQL dialects order by.
inline constexpr std::int64_t logical_max = (std::int64_t{1} << 47) - 1;
inline constexpr std::int64_t counter_max = 0xFFFF;
// The text form: 16 lowercase hex digits of the packed value (same order as the number).
inline constexpr std::size_t text_length = 16;

struct Stamp {
  std::int64_t l = 0;  // milliseconds since the Unix epoch
  std::int64_t c = 0;
  auto operator<=>(const Stamp&) const = default;
};

std::int64_t pack(Stamp s);
// nullopt for a negative value (no stamp packs to one).
std::optional<Stamp> unpack(std::int64_t packed);
std::string format(Stamp s);
// Exactly text_length lowercase or uppercase hex digits of a packed stamp; nullopt otherwise.
std::optional<Stamp> parse(std::string_view text);
// A total order across nodes: the stamp, then the node's name (equal stamps on two nodes are
// concurrent events; the name breaks the tie). Sorts as text exactly as (l, c, node).
std::string ordering_key(Stamp s, std::string_view node);

// One node's clock. `physical_ms` is the node's wall clock at the event.
class Clock {
 public:
  explicit Clock(Stamp last = {}) : last_(last) {}
  // A local or send event: l never goes back when the physical clock does; c counts ties.
  Stamp tick(std::int64_t physical_ms);
  // Receiving a message stamped `message`: l is the max of ours, the message's and the
  // physical time; c follows whichever l won (one more than the largest at a tie).
  Stamp receive(Stamp message, std::int64_t physical_ms);
  Stamp last() const { return last_; }

 private:
  // c past counter_max moves l one millisecond on (order kept; |l - pt| grows by 1 ms).
  Stamp settle(std::int64_t l, std::int64_t c);
  Stamp last_;
};

}  // namespace backroom::sync::hlc
