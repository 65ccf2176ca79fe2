#!/usr/bin/env bash
# Soak test of `qalam serve` (issue 11): DURATION (default 10 min) at 64 connections of mixed
# traffic (bench/load/soak.lua: searches, /api/entities, /api/stories, token-authenticated
# uploads and deletes), RSS sampled every 10 s. Reports requests/s, p50/p99/p99.9, 5xx count,
# RSS growth (anonymous and file-backed) after the first minute, and checks that every
# acknowledged upload is searchable and every acknowledged delete is gone.
#
# Usage: bench/load/soak.sh [INDEX_DIR] [DURATION] [CONNECTIONS]
#   INDEX_DIR  an index to copy (the copy is served and written to; default: the demo's sample
#              index, built in a temporary directory). SaudiNewsNet:
#              target/release/qalam index --index /tmp/snn-index ../shared/data/saudinewsnet/*.zip
#   env QALAM (binary, default target/release/qalam), THREADS (wrk threads, default 2),
#   SOAK_MIX=writes (uploads and deletes only, in turn: to profile the write path).
# Needs wrk (Debian: apt-get install -y wrk) and curl. Output goes to bench/out/soak/.
set -euo pipefail
cd "$(dirname "$0")/../.."

SRC_INDEX=${1:-}
DURATION=${2:-10m}
CONNS=${3:-64}
THREADS=${THREADS:-2}
QALAM=${QALAM:-target/release/qalam}
OUT=bench/out/soak
export QUERIES=bench/load/queries.txt
export SOAK_LOG="$OUT/acks"
export SOAK_TOKEN="soak-token-$(date +%s)-0123456789abcdef"

command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 2; }
[ -x "$QALAM" ] || cargo build --release -p qalam
rm -rf "$OUT"; mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'kill $PID $SAMPLER 2>/dev/null || true; rm -rf "$WORK"' EXIT
if [ -n "$SRC_INDEX" ]; then
  cp -r "$SRC_INDEX" "$WORK/index"
  "$QALAM" serve --index "$WORK/index" --addr 127.0.0.1:0 --write-token "$SOAK_TOKEN" \
    >"$OUT/url.txt" 2>"$OUT/server.log" &
else
  "$QALAM" demo --data-dir "$WORK" --addr 127.0.0.1:0 --write-token "$SOAK_TOKEN" \
    >"$OUT/url.txt" 2>"$OUT/server.log" &
fi
PID=$!
for _ in $(seq 1 1200); do [ -s "$OUT/url.txt" ] && break; sleep 0.1; done
URL=$(head -1 "$OUT/url.txt")
[ -n "$URL" ] || { echo "server did not start:" >&2; cat "$OUT/server.log" >&2; exit 2; }
BASE=${URL%/}
docs() { curl -s "$BASE/api/health" | sed -n 's/.*"documents":\([0-9]*\).*/\1/p'; }
DOCS_START=$(docs)

# RSS (KiB) every 10 s: "seconds rss anon file". Anonymous memory is the heap (what a leak
# grows); file-backed pages are the mmapped index segments, which grow as searches touch them and
# which the kernel can drop at will.
( t=0; while kill -0 "$PID" 2>/dev/null; do
    awk -v t=$t '/^VmRSS/ { r = $2 } /^RssAnon/ { a = $2 } /^RssFile/ { f = $2 }
                 END { print t, r, a, f }' "/proc/$PID/status" >>"$OUT/rss.txt"
    sleep 10; t=$((t + 10))
  done ) &
SAMPLER=$!

echo "soak: $BASE, wrk -t$THREADS -c$CONNS -d$DURATION (pid $PID)"
wrk --latency -t"$THREADS" -c"$CONNS" -d"$DURATION" --timeout 10s -s bench/load/soak.lua "$URL" \
  | tee "$OUT/wrk.txt"
kill $SAMPLER 2>/dev/null || true
DOCS_END=$(docs)

# Every acknowledged upload that was not sent for deletion is there; every acknowledged delete is
# gone. (An upload whose delete was sent but not acknowledged is in an unknown state: skipped.)
cat "$OUT"/acks.[0-9]* >"$OUT/acks.txt"
awk '$1 == "added" { a[$2] = 1 } $1 == "deleted" { d[$2] = 1 } $1 == "deleting" { s[$2] = 1 }
     END { for (id in a) if (!(id in d) && !(id in s)) print id > "'"$OUT"'/expect-present.txt";
           for (id in d) print id > "'"$OUT"'/expect-gone.txt" }' "$OUT/acks.txt"
touch "$OUT/expect-present.txt" "$OUT/expect-gone.txt"
missing=0; lingering=0
while read -r id; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/documents/$id")
  [ "$code" = 200 ] || { missing=$((missing + 1)); echo "acknowledged upload missing: $id ($code)"; }
  hits=$(curl -s "$BASE/api/search?q=id:$id" | grep -c "\"id\":\"$id\"" || true)
  [ "$hits" -ge 1 ] || { missing=$((missing + 1)); echo "acknowledged upload not searchable: $id"; }
done <"$OUT/expect-present.txt"
while read -r id; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/documents/$id")
  [ "$code" = 404 ] || { lingering=$((lingering + 1)); echo "acknowledged delete still there: $id ($code)"; }
done <"$OUT/expect-gone.txt"

rps=$(awk '/^Requests\/sec/ { print $2 }' "$OUT/wrk.txt")
p50=$(awk '$1 == "50%" { print $2 }' "$OUT/wrk.txt")
p99=$(awk '$1 == "99%" { print $2 }' "$OUT/wrk.txt")
p999=$(awk '$1 == "p99.9" { print $2 $3 }' "$SOAK_LOG.latency")
non2xx=$(awk '/Non-2xx/ { print $NF }' "$OUT/wrk.txt")
fivexx=$(grep -c "^status 5" "$OUT/acks.txt" || true)
busy=$(grep -c "^status 503" "$OUT/acks.txt" || true)
# Growth: the median of minute 2 against the median of the last two minutes (single samples
# swing with the allocator's free lists and the requests in flight).
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
last=$(tail -1 "$OUT/rss.txt" | awk '{ print $1 }')
window() { awk -v from="$1" -v to="$2" -v col="$3" '$1 >= from && $1 <= to { print $col }' "$OUT/rss.txt" | median; }
growth() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%+.1f%%", (b - a) * 100 / a; else print "n/a" }'; }
rss_start=$(window 60 120 2); rss_end=$(window $((last - 120)) "$last" 2)
anon_start=$(window 60 120 3); anon_end=$(window $((last - 120)) "$last" 3)
file_start=$(window 60 120 4); file_end=$(window $((last - 120)) "$last" 4)
echo
echo "requests/s $rps  p50 $p50  p99 $p99  p99.9 ${p999:-n/a}  non-2xx ${non2xx:-0}"
echo "5xx answers: $fivexx (of which 503 busy: $busy)"
echo "RSS KiB, median of minute 2 -> of the last 2 minutes: total $rss_start -> $rss_end ($(growth "$rss_start" "$rss_end")),"\
  "anon $anon_start -> $anon_end ($(growth "$anon_start" "$anon_end")), file $file_start -> $file_end ($(growth "$file_start" "$file_end"))"
# The load deletes the oldest acknowledged uploads as it goes, so the index stays the same size.
echo "documents in the index: $DOCS_START at the start, $DOCS_END at the end"
echo "acknowledged uploads kept: $(wc -l <"$OUT/expect-present.txt") (missing or unsearchable: $missing);" \
  "acknowledged deletes: $(wc -l <"$OUT/expect-gone.txt") (still there: $lingering)"
[ "$missing" = 0 ] && [ "$lingering" = 0 ]
