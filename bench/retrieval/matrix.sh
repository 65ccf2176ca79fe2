#!/usr/bin/env bash
# Runs the Lucene baseline matrix behind RESULTS.md and prints it as markdown on stdout:
# analyzers x {arcd, mlqa_ar_dev} x {alone, + all SaudiNewsNet as distractors}, then query latency
# on the index pooling both sets and the distractors, then single-thread indexing throughput of
# all SaudiNewsNet articles into an FSDirectory.
#
# Usage: bench/retrieval/matrix.sh [--data DIR] [--snn ZIP|DIR...] [--analyzers a,b,c]
#                                  [--index-repeat N]
#   --data      retrieval sets folder (default ../shared/data/retrieval from the repo root)
#   --snn       SaudiNewsNet zips or folder (default ../shared/data/saudinewsnet)
#   --analyzers default arabic,arabic-nostem,standard
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
data="$ROOT/../shared/data/retrieval"
snn=()
analyzers="arabic,arabic-nostem,standard"
repeat=5

while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --snn) shift; while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do snn+=("$1"); shift; done ;;
    --analyzers) analyzers=$2; shift 2 ;;
    --index-repeat) repeat=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "matrix.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ ${#snn[@]} -gt 0 ] || snn=("$ROOT/../shared/data/saudinewsnet")

L="$HERE/lucene.sh"
val() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

echo "| analyzer | set | distractors | docs | questions | MRR@10 | R@10 | R@100 |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for a in ${analyzers//,/ }; do
  for s in arcd mlqa_ar_dev; do
    for d in none snn; do
      extra=()
      [ $d = snn ] && extra=(--distractors "${snn[@]}")
      echo "matrix.sh: $a $s distractors=$d" >&2
      line=$("$L" --data "$data" --set "$s" --analyzer "$a" "${extra[@]}" | grep '^eval ')
      label=$([ $d = snn ] && echo "SaudiNewsNet (31,030)" || echo "none")
      echo "| $a | $s | $label | $(val docs <<<"$line") | $(val judged <<<"$line") |" \
        "$(val MRR@10 <<<"$line") | $(val R@10 <<<"$line") | $(val R@100 <<<"$line") |"
    done
  done
done

echo
echo "Query latency, one thread, ArabicAnalyzer, index = arcd + mlqa_ar_dev passages + SaudiNewsNet:"
echo
echo '```'
"$L" --data "$data" --set arcd --set mlqa_ar_dev --distractors "${snn[@]}" --latency
echo '```'
echo
echo "Indexing all SaudiNewsNet articles (title + content) into an FSDirectory, one thread:"
echo
echo '```'
"$L" --distractors "${snn[@]}" --index-bench "$ROOT/bench/out/retrieval/index-bench" \
  --repeat "$repeat"
"$L" --distractors "${snn[@]}" --index-bench "$ROOT/bench/out/retrieval/index-bench" \
  --repeat "$repeat" --store
echo '```'
