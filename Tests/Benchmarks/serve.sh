#!/usr/bin/env bash
# Load on the pre-check API: `formulary serve` (release build) over the bundled demo data, wrk
# from a second process on loopback POSTing S1's profile to /v1/prechecks (plan 99990AZ0010001,
# Spravato), 16 then 64 connections for DURATION seconds each (default 30). Prints requests per
# second, p50 and p99 latency, errors, and the server's resident memory at the start and after each
# run. Fails when p99 at 64 connections is 50 ms or more, any request errs, or memory grows by more
# than a fifth between the two runs (memory must stay flat under steady load).
#
#   bash Tests/Benchmarks/serve.sh [DURATION [SERVE OPTION...]]
#
# Options after DURATION go to `formulary serve`: `serve.sh 30 --plan-cache 0` measures the server
# reading every request's formulary lines from SQLite (by default it keeps each plan's lines in
# memory until the next import, and every request here asks the same plan).
set -euo pipefail
script=serve
source "$(dirname "$0")/common.sh"
duration=${1:-30}
serve_options=("${@:2}")
command -v wrk >/dev/null || die "wrk is required (apt-get install -y wrk)"
build_cli
make_tmp
export HOME="$tmp/home"
mkdir -p "$HOME"
"$bin" demo --db "$tmp/db.sqlite" --out "$tmp/reports" >/dev/null
"$bin" serve --db "$tmp/db.sqlite" --port 0 "${serve_options[@]}" 2>"$tmp/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$tmp/serve.log" | head -1)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n ${port:-} ]] || die "the server did not start" 1
python3 - "$root/Formularies/patients/s1-baseline.yaml" "$tmp/body.json" <<'PY'
import json, sys
json.dump({"profile": open(sys.argv[1]).read(), "plan": "99990AZ0010001", "option": "Spravato"}, open(sys.argv[2], "w"))
PY
cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$tmp/body.json", "rb"); wrk.body = f:read("*a"); f:close()
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.1f %d %d\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
LUA
rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' --data @"$tmp/body.json" "http://127.0.0.1:$port/v1/prechecks" || die "the warm-up request failed" 1
rss_start=$(rss)
declare -A rps p50 p99 errors rss_after
for connections in 16 64; do
  echo "== wrk: $connections connections, ${duration}s" >&2
  line=$(wrk -t2 -c"$connections" -d"${duration}s" -s "$tmp/post.lua" "http://127.0.0.1:$port/v1/prechecks" | grep '^RESULT')
  read -r _ requests micros median p99ms socket status <<<"$line"
  rps[$connections]=$(python3 -c "print(f'{$requests / ($micros / 1e6):.0f}')")
  p50[$connections]=$median p99[$connections]=$p99ms errors[$connections]=$((socket + status))
  rss_after[$connections]=$(rss)
done

echo
echo "Pre-check API load — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) CPUs, release build, wrk -t2, ${duration}s per run${serve_options[*]:+, serve ${serve_options[*]}}"
printf '%-12s %10s %10s %10s %8s %14s\n' connections "req/s" "p50 ms" "p99 ms" errors "server RSS MB"
printf '%-12s %10s %10s %10s %8s %14s\n' "(start)" "" "" "" "" "$rss_start"
for connections in 16 64; do
  printf '%-12s %10s %10s %10s %8s %14s\n' "$connections" "${rps[$connections]}" "${p50[$connections]}" "${p99[$connections]}" "${errors[$connections]}" "${rss_after[$connections]}"
done
fail=0
python3 -c "import sys; sys.exit(0 if ${p99[64]} < 50 else 1)" || { echo "FAIL: p99 at 64 connections is ${p99[64]} ms (target < 50 ms)"; fail=1; }
[[ ${errors[16]} == 0 && ${errors[64]} == 0 ]] || { echo "FAIL: requests erred (${errors[16]}, ${errors[64]})"; fail=1; }
python3 -c "import sys; sys.exit(0 if ${rss_after[64]} <= ${rss_after[16]} * 1.2 else 1)" || { echo "FAIL: memory grew from ${rss_after[16]} to ${rss_after[64]} MB"; fail=1; }
((fail == 0)) && echo "PASS: p99 ${p99[64]} ms < 50 ms at 64 connections, no errors, memory flat"
exit $fail
