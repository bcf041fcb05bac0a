local n = 0
request = function()
  n = n + 1
  if n > 1000 then wrk.thread:stop() end
  return wrk.format("GET", "/")
end
done = function(summary, latency, requests)
  io.stderr:write(string.format('{"requests":%d,"duration_us":%d,"p50":%d,"p99":%d,"non2xx":%d}\n', summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), summary.errors.status))
end
