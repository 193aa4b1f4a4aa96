-- wrk script for the ingest benchmark's open loop (bench/wrk-load.ts, runWrkOpenLoop): a fixed
-- offered rate whose latency counts from when each request was DUE, not from when wrk sent it,
-- so time a request waited behind a slow answer counts (no coordinated omission; the idea of
-- wrk2, built here on Debian's wrk 4.1 with its delay() hook). wrk's scripting API:
-- https://github.com/wg/wrk/blob/master/SCRIPTING; wrk's own loop (src/wrk.c) calls delay()
-- before every request of a connection once the script defines it, then request(), then
-- response() with the answer.
--
-- One connection per thread (-t N -c N), so a thread's answers come back in the order it sent
-- its requests and each is matched to its due time exactly. Thread i offers rate/N requests a
-- second, starting at its first delay(), and reads only its own pre-signed requests
-- (<dir>/<i>.tsv, lines "<identifier>\t<signature>\t<body>"), so no signing or serialising
-- happens while it measures.
--
-- The clock is CLOCK_MONOTONIC through LuaJIT's FFI (wrk runs LuaJIT). Timers are whole
-- milliseconds, so delay() rounds down: a request then leaves up to 1 ms early and its latency
-- counts from when it left; one that leaves late counts from when it was due (the lateness is
-- charged to the server; the benchmark runs the same loop against bare node:http to show how
-- little of it is the generator's). Requests due before the end but never answered count as
-- "late", with their wait until the end as a lower bound of their latency.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } een_timespec;
  int clock_gettime(int clock_id, een_timespec *tp);
]]
local timespec = ffi.new("een_timespec")
local CLOCK_MONOTONIC = 1

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1e6 + tonumber(timespec.tv_nsec) / 1e3
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local requests = {}
local t0 = nil
-- Per thread, readable from done(): latencies in µs, and where the schedule stood at the end.
interval_us = 0
lat = {}
total = 0
next_k = 0
inflight_due = -1
non2xx = 0
started_us = 0
stopped_us = 0

function init(args)
  local dir, nthreads, rate, path = args[1], tonumber(args[2]), tonumber(args[3]), args[4]
  interval_us = 1e6 * nthreads / rate
  for line in io.lines(dir .. "/" .. tid .. ".tsv") do
    local id, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", path, {
      ["Content-Type"] = "application/json",
      ["X-Hub-Signature"] = sig,
      ["X-Atlassian-Webhook-Identifier"] = id,
    }, body)
  end
  total = #requests
end

local function due(k)
  return t0 + k * interval_us
end

function delay()
  local now = now_us()
  if t0 == nil then
    t0 = now
    started_us = now
  end
  if next_k >= total then return 3600 * 1000 end
  local wait = due(next_k) - now
  if wait <= 0 then return 0 end
  return math.floor(wait / 1000)
end

local sent_at = 0

function request()
  -- wrk asks thread 0 for one request while it sets up (to count pipelined requests); that
  -- call comes before any delay() and sends nothing.
  if t0 == nil then return requests[1] end
  local k = next_k
  next_k = k + 1
  sent_at = now_us()
  inflight_due = math.min(due(k), sent_at)
  return requests[k + 1]
end

function response(status, headers, body)
  local now = now_us()
  stopped_us = now
  if inflight_due >= 0 then
    lat[#lat + 1] = now - inflight_due
    inflight_due = -1
  end
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests_)
  local stop = now_us()
  local all = {}
  local answered, late, bad, offered = 0, 0, 0, 0
  local first, last = math.huge, 0
  for _, t in ipairs(threads) do
    local l = t:get("lat")
    for i = 1, #l do all[#all + 1] = l[i] end
    answered = answered + #l
    bad = bad + t:get("non2xx")
    offered = offered + t:get("total")
    local s = t:get("started_us")
    if s > 0 and s < first then first = s end
    if t:get("stopped_us") > last then last = t:get("stopped_us") end
    -- Due before the end and never answered: in flight, or never sent because the connection
    -- was still waiting for an earlier answer. Each waited at least until now.
    local inflight = t:get("inflight_due")
    if inflight >= 0 then
      late = late + 1
      all[#all + 1] = stop - inflight
    end
    if s > 0 then
      local k, n, iv = t:get("next_k"), t:get("total"), t:get("interval_us")
      while k < n and s + k * iv < stop do
        late = late + 1
        all[#all + 1] = stop - (s + k * iv)
        k = k + 1
      end
    end
  end
  table.sort(all)
  local function pct(p)
    if #all == 0 then return -1 end
    local i = math.ceil(p / 100 * #all)
    if i < 1 then i = 1 end
    return all[i]
  end
  local sum = 0
  for i = 1, #all do sum = sum + all[i] end
  io.write(string.format(
    '{"openLoop":true,"offered":%d,"answered":%d,"late":%d,"non2xx":%d,"spanUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%d}\n',
    offered, answered, late, bad, (last > first) and (last - first) or 0,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    pct(50), pct(90), pct(99), (#all > 0) and all[#all] or -1, (#all > 0) and (sum / #all) or -1))
end
