-- wrk script for the ingest benchmark (bench/wrk-load.ts): every request is a distinct,
-- pre-signed Jira webhook read from a file prepared before the clock starts, so wrk (C) does no
-- signing or serialising while it measures. Lines are "<identifier>\t<signature>\t<body>".
-- Thread i of n sends lines i, i+n, i+2n, ...; a thread that runs out starts over and counts it
-- in `wrapped` (a repeated body is a replay to een-bridge, so the bench reports it).
-- wrk's scripting API: https://github.com/wg/wrk/blob/master/SCRIPTING

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local requests = {}
local index = 0
wrapped = 0

function init(args)
  local file = args[1]
  local nthreads = tonumber(args[2])
  local path = args[3]
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == tid then
      local id, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", path, {
        ["Content-Type"] = "application/json",
        ["X-Hub-Signature"] = sig,
        ["X-Atlassian-Webhook-Identifier"] = id,
      }, body)
    end
    n = n + 1
  end
end

function request()
  index = index + 1
  if index > #requests then
    index = 1
    wrapped = wrapped + #requests
  end
  return requests[index]
end

function done(summary, latency, requests_)
  local w = 0
  for _, t in ipairs(threads) do w = w + (t:get("wrapped") or 0) end
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%d,"wrapped":%d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, w))
end
