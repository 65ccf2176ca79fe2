#!/usr/bin/env bash
# Load test of GET /api/search on loopback: wrk, 64 connections, 30 s, varied queries
# (queries.txt through search.lua: plain words, phrases, AND/OR/NOT, paging, date filters,
# words mode, with and without facets). Reports requests/s, p50/p99 latency, errors and the
# server's RSS before and after (a second run of the same length checks that RSS stays flat).
#
# Usage: bench/load/run.sh [INDEX_DIR] [DURATION] [CONNECTIONS]
#   INDEX_DIR  default qalam-data/index (what `qalam demo` builds). For the SaudiNewsNet figures:
#              target/release/qalam index --index /tmp/snn-index ../shared/data/saudinewsnet/*.zip
#              bench/load/run.sh /tmp/snn-index
#   DURATION   default 30s;  CONNECTIONS default 64;  env THREADS (wrk threads, default 2),
#              QALAM (binary, default target/release/qalam).
# Needs wrk (Debian: apt-get install -y wrk) and curl. Output also goes to bench/out/load/.
set -euo pipefail
cd "$(dirname "$0")/../.."

INDEX=${1:-qalam-data/index}
DURATION=${2:-30s}
CONNS=${3:-64}
THREADS=${THREADS:-2}
QALAM=${QALAM:-target/release/qalam}
OUT=bench/out/load
export QUERIES=bench/load/queries.txt

command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl not found" >&2; exit 2; }
[ -x "$QALAM" ] || cargo build --release -p qalam
[ -d "$INDEX" ] || { echo "no index at $INDEX (run \`qalam demo\` once, or \`qalam index\`)" >&2; exit 2; }
mkdir -p "$OUT"

"$QALAM" serve --index "$INDEX" --addr 127.0.0.1:0 >"$OUT/url.txt" 2>"$OUT/server.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -s "$OUT/url.txt" ] && break; sleep 0.1; done
URL=$(head -1 "$OUT/url.txt")
[ -n "$URL" ] || { echo "server did not start:" >&2; cat "$OUT/server.log" >&2; exit 2; }

# Resident MiB: total (heap + mapped index files) / anonymous (heap only: what a leak grows).
rss_mib() {
  awk '/^VmRSS/ { t = $2 } /^RssAnon/ { a = $2 } END { printf "%.1f/%.1f", t / 1024, a / 1024 }' \
    "/proc/$PID/status"
}
peak_mib() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$PID/status"; }

DOCS=$(curl -sf "${URL}api/health" | sed -n 's/.*"documents":\([0-9]*\).*/\1/p')
echo "index $INDEX: $DOCS documents; server $URL (pid $PID); wrk -t$THREADS -c$CONNS -d$DURATION"
RSS_START=$(rss_mib)
wrk -t"$THREADS" -c"$CONNS" -d5s -s bench/load/search.lua "$URL" >"$OUT/warmup.txt"
RSS_WARM=$(rss_mib)
wrk --latency -t"$THREADS" -c"$CONNS" -d"$DURATION" -s bench/load/search.lua "$URL" | tee "$OUT/wrk.txt"
RSS_RUN1=$(rss_mib)
wrk --latency -t"$THREADS" -c"$CONNS" -d"$DURATION" -s bench/load/search.lua "$URL" >"$OUT/wrk2.txt"
RSS_RUN2=$(rss_mib)
PEAK=$(peak_mib)

summary() {
  local f=$1
  local rps p50 p99 non2xx socket
  rps=$(awk '/^Requests\/sec/ { print $2 }' "$f")
  p50=$(awk '$1 == "50%" { print $2 }' "$f")
  p99=$(awk '$1 == "99%" { print $2 }' "$f")
  non2xx=$(awk '/Non-2xx/ { print $NF }' "$f")
  socket=$(sed -n 's/.*Socket errors: *//p' "$f")
  echo "requests/s ${rps}  p50 ${p50}  p99 ${p99}  non-2xx ${non2xx:-0}  socket errors: ${socket:-none}"
}
echo
echo "run 1: $(summary "$OUT/wrk.txt")"
echo "run 2: $(summary "$OUT/wrk2.txt")"
echo "RSS MiB (total/heap): start ${RSS_START}, after 5 s warm-up ${RSS_WARM}, after run 1 ${RSS_RUN1}, after run 2 ${RSS_RUN2} (peak ${PEAK})"
if grep -q "internal error" "$OUT/server.log"; then
  echo "server logged internal errors:"; grep "internal error" "$OUT/server.log" | head
fi
