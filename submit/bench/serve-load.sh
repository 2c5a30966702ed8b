#!/usr/bin/env bash
# Load test of `recdata serve` with wrk (Debian: apt-get install -y wrk): POST /recommend and POST /feedback,
# 32 connections on 127.0.0.1, bounded in time. Not part of mvn verify.
#
#   submit/bench/serve-load.sh --run recdata-out [--jdbc-url jdbc:postgresql://127.0.0.1:5432/test]
#       [--feedback-table bench.feedback] [--seconds 30] [--threads 2] [--connections 32] [--port 18080]
#
# Starts bin/recdata serve on --run (a pipeline root), waits for /healthz, runs wrk on each endpoint with a Lua
# script that cycles through the model's users (and one unknown user in ten), prints wrk's summary with latency
# percentiles, and stops the server. Without --jdbc-url only /recommend is measured.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
run="" jdbc="" table="bench.feedback" seconds=30 threads=2 connections=32 port=18080
while [[ $# -gt 0 ]]; do
  case "$1" in
    --run) run="$2"; shift 2 ;;
    --jdbc-url) jdbc="$2"; shift 2 ;;
    --feedback-table) table="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "serve-load: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n "$run" ]] || { echo "serve-load: --run OUT is required" >&2; exit 2; }
command -v wrk >/dev/null || { echo "serve-load: wrk not found: apt-get install -y wrk" >&2; exit 2; }
work="$(mktemp -d)"
server_pid=""
cleanup() { if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT

args=(serve --run "$run" --port "$port" --poll-seconds 5)
if [[ -n "$jdbc" ]]; then args+=(--jdbc-url "$jdbc" --feedback-table "$table"); fi
"$here/bin/recdata" "${args[@]}" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/healthz" > "$work/healthz.json" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.5
done
cat "$work/serve.log"
cat "$work/healthz.json"; echo

# user ids from the export's recommendations (the model's users), for the Lua scripts
export_dir="$run/runs/$(cat "$run/latest")/export"
[[ -d "$export_dir" ]] || export_dir="$run"
grep -o '"user_id":[0-9]*' "$export_dir/serving/recommendations.jsonl" | cut -d: -f2 | head -5000 | paste -sd, > "$work/users.txt"

cat > "$work/recommend.lua" <<LUA
local users = { $(cat "$work/users.txt") }
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local user = users[(n % #users) + 1]
  if n % 10 == 0 then user = 999999999 end   -- one unknown user in ten: the popularity fallback
  return wrk.format(nil, "/recommend", nil, '{"user_ids": [' .. user .. ']}')
end
LUA
cat > "$work/feedback.lua" <<LUA
local users = { $(cat "$work/users.txt") }
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local user = users[(n % #users) + 1]
  return wrk.format(nil, "/feedback", nil,
    '{"user_id": ' .. user .. ', "like_item": ' .. (n % 1682 + 1) .. ', "other_items": [2001, 2002, 2003, 2004]}')
end
LUA
cat > "$work/status.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or socket errors: %d status, %d connect, %d read, %d write, %d timeout\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
LUA
cat "$work/status.lua" >> "$work/recommend.lua"
cat "$work/status.lua" >> "$work/feedback.lua"

echo "== warm-up /recommend 5 s"
wrk -t"$threads" -c"$connections" -d5s -s "$work/recommend.lua" "http://127.0.0.1:$port" > /dev/null
echo "== POST /recommend: wrk -t$threads -c$connections -d${seconds}s --latency"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/recommend.lua" "http://127.0.0.1:$port"
if [[ -n "$jdbc" ]]; then
  echo "== POST /feedback: wrk -t$threads -c$connections -d${seconds}s --latency"
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/feedback.lua" "http://127.0.0.1:$port"
fi
echo "== /metrics (feedback rows, errors)"
curl -s "http://127.0.0.1:$port/metrics" | grep -E '^recdata_serve_(feedback_rows_total|errors_total|requests_total|model_info)' || true
