-- wrk script: counts responses that are not 200 (a 302 to /login means the session was lost, a 429 that a
-- rate limit applied) and prints one machine-readable RESULT line plus a readable summary when the run ends.
-- Headers (cookie, Authorization) are given on the wrk command line with -H.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  first_bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    if first_bad == 0 then
      first_bad = status
    end
  end
end

function done(summary, latency, requests)
  local bad, bad_status = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
    local status = thread:get("first_bad")
    if status ~= 0 then
      bad_status = status
    end
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local function ms(micros)
    return string.format("%.1f", micros / 1000)
  end
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%s p95_ms=%s p99_ms=%s max_ms=%s mean_ms=%s not_200=%d first_bad_status=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(95)), ms(latency:percentile(99)), ms(latency.max), ms(latency.mean),
    bad, bad_status, errors))
end
