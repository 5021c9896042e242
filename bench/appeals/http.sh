#!/usr/bin/env bash
# Creating appeals over HTTP with durable commits (SQLite synchronous=FULL, the default),
# measured with wrk beside GET /healthz in the same run.
#
#   bench/appeals/http.sh [DB]
#
# DB defaults to /tmp/lianxin-appeals-bench.db, made by appeals_bench (it writes DB.key, the
# data key the server must use). Starts `lianxin serve` on 127.0.0.1 with a free port and the
# rate limit off, in a private temp dir, and stops it at the end.
# Environment: LIANXIN_BIN (build-appeals2/src/app/lianxin), DURATION (20s), THREADS (2),
#              CONNECTIONS (32), WORKERS (server worker_threads, 4).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
db="$(realpath "${1:-/tmp/lianxin-appeals-bench.db}")"
bin="${LIANXIN_BIN:-$root/build-appeals2/src/app/lianxin}"
duration="${DURATION:-20s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"
workers="${WORKERS:-4}"

[[ -x "$bin" ]] || { echo "no server binary at $bin (set LIANXIN_BIN)" >&2; exit 2; }
[[ -f "$db" && -f "$db.key" ]] || { echo "run appeals_bench first: $db or $db.key missing" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

(
  cd "$work"
  LIANXIN_DATABASE="$db" LIANXIN_DATA_KEY_FILE="$db.key" LIANXIN_PORT=0 \
  LIANXIN_LISTEN_ADDRESS=127.0.0.1 LIANXIN_RATE_LIMIT_PER_SECOND=0 \
  LIANXIN_WORKER_THREADS="$workers" LIANXIN_ATTACHMENTS_DIR="$work/attachments" \
    exec "$bin" serve >"$work/server.log" 2>&1
) &
server_pid=$!

port=""
for _ in $(seq 1 100); do
  port="$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/server.log" | head -n1 | cut -d: -f2 || true)"
  [[ -n "$port" ]] && break
  sleep 0.1
done
[[ -n "$port" ]] || { echo "server did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
base="http://127.0.0.1:$port"

status="$(curl -s -o "$work/probe.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  --data '{"kind":"consultation","category":"household","text":"探测请求","location":{"district_code":"500117"}}' \
  "$base/api/v1/public/appeals")"
[[ "$status" == "201" ]] || { echo "POST answered $status: $(cat "$work/probe.json")" >&2; exit 1; }

before="$(sqlite3 "$db" 'SELECT COUNT(*) FROM appeals' 2>/dev/null || echo '?')"
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
echo "server: $base (worker_threads=$workers, rate limit off), database $db ($before appeals)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) before the run; wrk $threads threads, $connections connections, $duration each"
health="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$root/bench/http/report.lua" "$base/healthz" | grep '^RESULT')"
create="$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/post_appeal.lua" "$base" | grep '^RESULT')"
after="$(sqlite3 "$db" 'SELECT COUNT(*) FROM appeals' 2>/dev/null || echo '?')"

printf '%-34s %12s %10s %10s %8s\n' "endpoint" "requests/s" "p50 ms" "p99 ms" "errors"
printf '%-34s %12s %10s %10s %8s\n' "GET /healthz" "$(field rps "$health")" "$(field p50_ms "$health")" \
  "$(field p99_ms "$health")" "$(field errors "$health")"
printf '%-34s %12s %10s %10s %8s\n' "POST /api/v1/public/appeals" "$(field rps "$create")" \
  "$(field p50_ms "$create")" "$(field p99_ms "$create")" "$(field errors "$create")"
echo "appeals in the database: $before -> $after; target: create >= 2000/s"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) after the run"
