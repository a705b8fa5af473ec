// A webhook payload in the receiver's words (docs/webhooks.md, "Mapped payloads"). A mapping
// table (mappings.hpp) says how another system's words map to ours: fields theirs -> ours,
// value maps theirs -> ours. Outbound we go the other way, so the table is inverted once per
// delivery round and the event's `data` rewritten with it:
//   - a value map applies to the values of the field of our payload named like the map (value
//     map "location_id" rewrites every "location_id": "<our id>" to the receiver's code), at
//     any depth and in arrays, before the field is renamed; strings are looked up as they are,
//     integers by their decimal text, other values never; a value the map does not name stays
//     as it is and is counted in `unmapped` (the delivery goes out, the attempt says how many);
//   - a field of ours named in `fields` gets the receiver's name, at any depth (inside nested
//     objects and in every element of arrays such as a sale's lines); fields the table does not
//     name pass through unchanged; a renamed field replaces an unrenamed one of the same name;
//   - where two of their names map to one of ours (or two of their values to one of our
//     values), the first in byte order wins: the inverse must be a function.
// The envelope (`type`, `timestamp`) is never rewritten. Pure.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "integrations/mappings.hpp"

namespace backroom::integrations::webhooks {

struct OutboundMapping {
  std::string name;
  std::int64_t version = 0;
  std::map<std::string, std::string> fields;                         // ours -> theirs
  std::map<std::string, std::string> renamed_from;                   // theirs -> ours (the inverse of fields)
  std::map<std::string, std::map<std::string, std::string>> values;  // our field -> (ours -> theirs)
};

OutboundMapping outbound_mapping(const Mapping& m);

struct MappedData {
  boost::json::value data;
  int unmapped = 0;  // string values of a mapped field the value map does not name
};
MappedData map_data(const OutboundMapping& m, const boost::json::value& data);

struct MappedPayload {
  std::string body;
  int unmapped = 0;
};
// The Standard Webhooks body {type, timestamp, data} with `data` mapped; a body that is not a
// JSON object with `data` is returned unchanged.
MappedPayload map_payload(const OutboundMapping& m, std::string_view payload);

}  // namespace backroom::integrations::webhooks
