-- wrk script: tus "creation-with-upload" with a 1 KiB body.
--
-- Every request is a POST to the files URL given on the wrk command line.
-- It creates an upload with Upload-Length 1024 and carries all 1024 bytes in
-- the same request, so a conforming server answers 201 Created (with
-- Upload-Offset: 1024).
--
-- The response() hook counts every status other than 201, per thread.
-- done() merges the threads' counters and prints one machine-readable line,
-- which bench-foundation.sh parses:
--
--   bench-result requests=N duration_us=N rps=X non201=N connect_errors=N read_errors=N write_errors=N timeout_errors=N p50_ms=X p99_ms=X statuses=CODE:COUNT,...|none
--
-- No request() function is defined on purpose: wrk then builds the request
-- once and reuses it, keeping the client's CPU cost per request low.

local BODY_SIZE = 1024

-- A fixed 1024-byte body spread over all byte values (a small linear
-- congruential generator), identical for every request and every run.
local function make_body(n)
  local bytes = {}
  local x = 12345
  for i = 1, n do
    x = (x * 1103515245 + 12345) % 2147483648
    bytes[i] = string.char(math.floor(x / 65536) % 256)
  end
  return table.concat(bytes)
end

wrk.method = "POST"
wrk.body = make_body(BODY_SIZE)
wrk.headers["Tus-Resumable"] = "1.0.0"
wrk.headers["Upload-Length"] = tostring(BODY_SIZE)
wrk.headers["Content-Type"] = "application/offset+octet-stream"

-- Main Lua state: remember every thread to collect its counters in done().
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Per-thread globals (each wrk thread runs its own Lua state).
non201 = 0
statuses = {}

function response(status, headers, body)
  if status ~= 201 then
    non201 = non201 + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_non201 = 0
  local merged = {}
  for _, thread in ipairs(threads) do
    total_non201 = total_non201 + (thread:get("non201") or 0)
    local s = thread:get("statuses")
    if type(s) == "table" then
      for code, count in pairs(s) do
        merged[code] = (merged[code] or 0) + count
      end
    end
  end

  local parts = {}
  for code, count in pairs(merged) do
    table.insert(parts, tostring(code) .. ":" .. tostring(count))
  end
  table.sort(parts)
  local statuses_str = "none"
  if #parts > 0 then
    statuses_str = table.concat(parts, ",")
  end

  local rps = 0
  if summary.duration > 0 then
    rps = summary.requests / (summary.duration / 1e6)
  end

  io.write(string.format(
    "bench-result requests=%d duration_us=%d rps=%.2f non201=%d " ..
    "connect_errors=%d read_errors=%d write_errors=%d timeout_errors=%d " ..
    "p50_ms=%.3f p99_ms=%.3f statuses=%s\n",
    summary.requests, summary.duration, rps, total_non201,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    statuses_str))
end
