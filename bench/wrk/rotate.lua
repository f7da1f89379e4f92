-- Closed-loop requests for wrk (no think time): every connection sends its next request as soon
-- as the previous answer arrived. Usage:
--   wrk -t2 -c12 -d20s -s bench/wrk/rotate.lua http://127.0.0.1:8100 -- requests.txt
-- requests.txt has one request per line: METHOD<TAB>PATH<TAB>COOKIE<TAB>BODY (cookie and body may
-- be empty; an NDJSON body has 0x1E where its newlines go). The summary is printed as one JSON
-- line (latencies in ms; "failed" counts connect, read, write and timeout errors plus answers
-- with status >= 400).
local requests = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    if cookie ~= "" then headers["Cookie"] = cookie end
    if body == "" then
      body = nil
    elseif body:find("\30", 1, true) then
      -- an NDJSON body (_msearch): its newlines were written as the record separator (0x1E)
      body = body:gsub("\30", "\n")
      headers["Content-Type"] = "application/x-ndjson"
    else
      headers["Content-Type"] = "application/json"
    end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
  counter = math.random(#requests)
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "failed": %d, "p50": %.2f, "p95": %.2f, "p99": %.2f}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
