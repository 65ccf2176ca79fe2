#!/usr/bin/env bash
# Lucene 8.7 BM25 retrieval baseline (see LuceneRetrieval.java for the exact method).
#
# Usage: bench/retrieval/lucene.sh [--set NAME]... [--data DIR]
#                                  [--corpus F.corpus.tsv]... [--queries F.queries.tsv --qrels F.qrels]...
#                                  [--distractors [ZIP|DIR]...] [LuceneRetrieval flags...]
#
#   --set NAME     shorthand for --corpus DIR/NAME.corpus.tsv --queries DIR/NAME.queries.tsv
#                  --qrels DIR/NAME.qrels, DIR being --data (default ../shared/data/retrieval from
#                  the repo root). With no --set and no --corpus, --set arcd is used.
#   --distractors  add SaudiNewsNet articles (title + content) as never-relevant documents. Takes
#                  zips or folders of them; with none, ../shared/data/saudinewsnet. They are turned
#                  once into bench/out/retrieval/*.tsv by bench/snn_extract.py (Java reads that).
#   Other flags go to LuceneRetrieval as they are: --analyzer arabic|arabic-nostem|standard,
#   --k1, --b, --top, --run FILE, --dir PATH, --latency, --latency-warmup N, --latency-passes N,
#   --index-bench DIR, --store, --repeat N, --ram-mb N.
#
# Examples:
#   bench/retrieval/lucene.sh --set arcd
#   bench/retrieval/lucene.sh --set mlqa_ar_dev --distractors --analyzer standard
#   bench/retrieval/lucene.sh --set arcd --set mlqa_ar_dev --distractors --latency
#   bench/retrieval/lucene.sh --distractors --index-bench bench/out/retrieval/index-bench
#
# Installs nothing; needs java/javac (apt-get install -y default-jdk-headless), the Lucene 8.7
# jars (apt-get install -y liblucene8-java; or set LUCENE_DIR / LUCENE_VERSION) and python3 for
# the distractor conversion. JAVA_OPTS overrides the JVM flags (default -XX:+UseSerialGC -Xmx6g).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT="$ROOT/bench/out"
LUCENE_DIR=${LUCENE_DIR:-/usr/share/java}
LUCENE_VERSION=${LUCENE_VERSION:-8.7.0}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xmx6g}

data="$ROOT/../shared/data/retrieval"
sets=()
pass=()
have_corpus=0
want_distractors=0
snn=()
index_bench=0

while [ $# -gt 0 ]; do
  case "$1" in
    --set) sets+=("$2"); shift 2 ;;
    --data) data=$2; shift 2 ;;
    --corpus) pass+=("$1" "$2"); have_corpus=1; shift 2 ;;
    --distractors)
      want_distractors=1; shift
      while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do snn+=("$1"); shift; done ;;
    --index-bench) index_bench=1; pass+=("$1" "$2"); shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) pass+=("$1"); shift ;;
  esac
done

log() { echo "lucene.sh: $*" >&2; }

if ! command -v java >/dev/null || ! command -v javac >/dev/null; then
  log "java/javac not found: apt-get install -y default-jdk-headless"; exit 1
fi
jars=()
for j in core analyzers-common; do
  f="$LUCENE_DIR/lucene-$j-$LUCENE_VERSION.jar"
  [ -f "$f" ] || { log "$f missing: apt-get install -y liblucene8-java (or set LUCENE_DIR)"; exit 1; }
  jars+=("$f")
done
CP=$(IFS=:; echo "${jars[*]}")

if [ $index_bench = 0 ] && [ ${#sets[@]} = 0 ] && [ $have_corpus = 0 ]; then sets=(arcd); fi
for s in "${sets[@]}"; do
  for ext in corpus.tsv queries.tsv qrels; do
    [ -f "$data/$s.$ext" ] || { log "$data/$s.$ext not found"; exit 1; }
  done
  pass+=(--corpus "$data/$s.corpus.tsv" --queries "$data/$s.queries.tsv" --qrels "$data/$s.qrels")
done

if [ $want_distractors = 1 ]; then
  command -v python3 >/dev/null || { log "python3 is needed to convert the distractor zips"; exit 1; }
  [ ${#snn[@]} -gt 0 ] || snn=("$ROOT/../shared/data/saudinewsnet")
  mkdir -p "$OUT/retrieval"
  key=$(for z in "${snn[@]}"; do realpath "$z"; done | sha1sum | cut -c1-12)
  tsv="$OUT/retrieval/snn-$key.tsv"
  python3 "$ROOT/bench/snn_extract.py" --if-stale --tsv "$tsv" "${snn[@]}"
  pass+=(--distractors-tsv "$tsv")
fi

mkdir -p "$OUT/classes/retrieval"
javac -nowarn -d "$OUT/classes/retrieval" -cp "$CP" "$ROOT/bench/retrieval/LuceneRetrieval.java" \
  "$ROOT/bench/peers/Analyzers.java"
# shellcheck disable=SC2086
exec java $JAVA_OPTS -cp "$CP:$OUT/classes/retrieval" LuceneRetrieval "${pass[@]}"
