-- wrk script: POST /api/v1/public/appeals with a unique body per request (so neither the
-- idempotency check nor any cache can short-cut the work); prints one RESULT line at the end.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id or 0
end

local districts = {"500103", "500105", "500106", "500107", "500112", "500117", "500101", "500229"}

request = function()
  counter = counter + 1
  local body = string.format(
    '{"kind":"consultation","category":"household","text":"基准测试诉求 %d-%d：请问户口迁移需要准备哪些材料？",' ..
    '"citizen_name":"测试","citizen_phone":"1390000%04d","publish_reply":false,' ..
    '"location":{"district_code":"%s","address":"重庆市测试路%d号"}}',
    thread_id, counter, counter % 10000, districts[(counter % #districts) + 1], counter % 400)
  return wrk.format("POST", "/api/v1/public/appeals", {["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d errors=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, errors, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
