-- wrk script: GET /api/v1/scan/<random code from the bench catalog>.
-- Usage: wrk -s bench/scan.lua ... with env SCAN_CODES=path to one code per line.
local codes = {}
local path = os.getenv("SCAN_CODES")
for line in io.lines(path) do codes[#codes + 1] = line end
math.randomseed(42)
local auth = os.getenv("SCAN_AUTH")

request = function()
  local headers = {}
  if auth and auth ~= "" then headers["Authorization"] = auth end
  return wrk.format("GET", "/api/v1/scan/" .. codes[math.random(#codes)], headers)
end

done = function(summary, latency, requests)
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.3f ms, p99: %.3f ms, max: %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("non-2xx: %d, socket errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
