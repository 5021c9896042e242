#!/usr/bin/env bash
# Measures /healthz and an authenticated list endpoint in the same run with wrk, and prints
# both rates, their ratio and the p99 latencies.
#
#   bench/http/run.sh BASE_URL [COOKIE_FILE]
#
# BASE_URL must be on loopback (http://127.0.0.1:PORT). COOKIE_FILE holds either a Cookie
# header value ("lianxin_session=...") or a curl cookie jar (curl -c) with lianxin_session.
# Environment: DURATION (15s), THREADS (2), CONNECTIONS (64),
#              LIST_PATH (/api/v1/units?page=1&page_size=20).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 BASE_URL [COOKIE_FILE]" >&2
  exit 2
fi
base_url="${1%/}"
cookie_file="${2:-}"
duration="${DURATION:-15s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-64}"
list_path="${LIST_PATH:-/api/v1/units?page=1&page_size=20}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "$base_url" in
  http://127.0.0.1:*|http://127.0.0.1) ;;
  *) echo "refusing to benchmark $base_url: only http://127.0.0.1 is allowed" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }

cookie=""
if [[ -n "$cookie_file" ]]; then
  [[ -r "$cookie_file" ]] || { echo "cannot read $cookie_file" >&2; exit 2; }
  if grep -q $'\t' "$cookie_file"; then
    # Netscape cookie jar: domain, flag, path, secure, expiry, name, value.
    cookie="$(awk -F'\t' '$6 == "lianxin_session" { print $6 "=" $7 }' "$cookie_file" | tail -n1)"
  else
    cookie="$(head -n1 "$cookie_file" | tr -d '\r\n')"
    cookie="${cookie#Cookie: }"
  fi
  [[ -n "$cookie" ]] || { echo "no session cookie in $cookie_file" >&2; exit 2; }
fi

# Both endpoints must answer 200 before we measure them.
check() {
  local url="$1"; shift
  local status
  status="$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true)"
  if [[ "$status" != "200" ]]; then
    echo "$url answered $status, expected 200" >&2
    exit 1
  fi
}

# Runs wrk and prints the RESULT line from report.lua.
measure() {
  local url="$1"; shift
  wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$here/report.lua" "$@" "$url" |
    grep '^RESULT'
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

cookie_args=()
if [[ -n "$cookie" ]]; then cookie_args=(-H "Cookie: $cookie"); fi

check "$base_url/healthz"
check "$base_url$list_path" "${cookie_args[@]}"

echo "wrk: $threads threads, $connections connections, $duration per endpoint"
health="$(measure "$base_url/healthz")"
list="$(measure "$base_url$list_path" "${cookie_args[@]}")"

health_rps="$(field rps "$health")"
list_rps="$(field rps "$list")"
ratio="$(awk -v a="$list_rps" -v b="$health_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')"

printf '%-44s %12s %10s %10s %8s\n' "endpoint" "requests/s" "p50 ms" "p99 ms" "errors"
printf '%-44s %12s %10s %10s %8s\n' "GET /healthz" "$health_rps" "$(field p50_ms "$health")" \
  "$(field p99_ms "$health")" "$(field errors "$health")"
printf '%-44s %12s %10s %10s %8s\n' "GET $list_path" "$list_rps" "$(field p50_ms "$list")" \
  "$(field p99_ms "$list")" "$(field errors "$list")"
echo "ratio list/healthz: $ratio (target >= 0.5)"
