-- wrk script: POST /api/v1/sales with 4 lines and a fresh UUIDv7-shaped id per request.
-- Arguments after `--`: location_id item_id1 item_id2 item_id3 item_id4
local counter = 0
local threads_made = 0
local location, items

-- `thread_tag` is a global each thread gets from setup (a local would shadow it).
function setup(thread)
  threads_made = threads_made + 1
  thread:set("thread_tag", threads_made)
end

function init(args)
  location = args[1]
  items = { args[2], args[3], args[4], args[5] }
  math.randomseed(os.time() + (thread_tag or 0) * 7919)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

-- Milliseconds from the clock, as a register's UUIDv7 generator would use them (os.time()
-- has only seconds, which scatters ids within each second like no real till does).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } backroom_timeval;
  int gettimeofday(backroom_timeval *tv, void *tz);
]]
local tv = ffi.new("backroom_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + math.floor(tonumber(tv.tv_usec) / 1000)
end

-- Unique within a run by construction: the thread in the variant group, a counter at the end.
local function uuid7()
  counter = counter + 1
  local ms = now_ms()
  return string.format("%08x-%04x-7%03x-%04x-%012x", math.floor(ms / 65536) % 4294967296, ms % 65536,
    math.random(0, 4095), 32768 + (thread_tag or 0) % 16384, counter)
end

function request()
  local body = string.format(
    '{"id":"%s","location_id":"%s","lines":[{"item_id":"%s","quantity":1},{"item_id":"%s","quantity":2},' ..
    '{"item_id":"%s","quantity":1},{"item_id":"%s","quantity":3}],"tenders":[{"type":"cash","amount":1000000}]}',
    uuid7(), location, items[1], items[2], items[3], items[4])
  return wrk.format("POST", "/api/v1/sales", nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("sales/s %.0f  p50 %.2f ms  p99 %.2f ms  errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
