-- wrk script for benchmarks/run.py: counts responses that are not 200 and 200s whose body lacks
-- the marker given after "--" (if any), then prints one JSON line prefixed with WRK_JSON.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  marker = args[1]
  if marker == "" then
    marker = nil
  end
  non200 = 0
  missing = 0
  bad_status = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    bad_status = status
  elseif marker and not string.find(body, marker, 1, true) then
    missing = missing + 1
  end
end

function done(summary, latency, requests)
  local non200_total, missing_total, last_bad = 0, 0, 0
  for _, thread in ipairs(threads) do
    non200_total = non200_total + thread:get("non200")
    missing_total = missing_total + thread:get("missing")
    if thread:get("bad_status") ~= 0 then
      last_bad = thread:get("bad_status")
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "mean_us": %.1f, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "non200": %d, '
      .. '"missing_marker": %d, "bad_status": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency.mean,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    non200_total, missing_total, last_bad, errors.connect, errors.read, errors.write,
    errors.timeout))
end
