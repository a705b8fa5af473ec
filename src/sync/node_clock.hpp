// A server's hybrid logical clock (sync/hlc.hpp) kept durably in its own database: setting
// `sync_hlc` holds the last stamp it gave or heard, written in the transaction that uses it,
// so the clock never goes back across restarts or kill -9. A store node stamps each document
// it queues for head office; head office merges the stamps it receives. Writer thread (the
// command's transaction) only. docs/sync.md, "Clocks".
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "platform/db.hpp"
#include "sync/hlc.hpp"

namespace backroom::sync {

inline constexpr const char* clock_setting = "sync_hlc";

// A stamp more than this ahead of our wall clock is not merged (a store whose clock says next
// year must not drag every clock of the chain there): the document keeps its stamp for its
// order, our clock ignores it. docs/sync.md, "Clocks".
inline constexpr std::int64_t drift_max_ms = 24LL * 3600 * 1000;
// Whether `message` is within drift_max_ms of `physical_ms`. Pure.
inline bool believable(hlc::Stamp message, std::int64_t physical_ms) { return message.l <= physical_ms + drift_max_ms; }

// A local or send event: the next stamp (wall clock: platform now()).
hlc::Stamp clock_tick(db::Db& db);
// A message stamped `message` arrived: merges it (the paper's receive rule) when believable.
hlc::Stamp clock_receive(db::Db& db, hlc::Stamp message);
// Several events at once (a push of many documents): `events` runs them on the clock as
// loaded, with the wall clock in milliseconds; the result is stored once and returned.
hlc::Stamp clock_update(db::Db& db, const std::function<void(hlc::Clock&, std::int64_t physical_ms)>& events);
// The last stamp given or heard, without an event (what head office tells a node).
hlc::Stamp clock_last(db::Db& db);

// Makes this process a store node's: every document it queues for head office (the event
// types of sync::pushed_types) is stamped by clock_tick in the event's transaction.
void stamp_queued_documents();

}  // namespace backroom::sync
