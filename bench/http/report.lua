-- wrk script: prints one machine-readable line when the run ends.
-- Latency values from wrk are microseconds.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%d errors=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, errors, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
