#!/usr/bin/env bash
# Analyzer speed, single thread, words/s and MB/s: qalam vs peer tools, over SaudiNewsNet content.
#
# Usage: bench/speed.sh [--snn DIR|ZIP...] [--text FILE] [--warmup N] [--passes N]
#                       [--lucene-analyzers arabic,standard] [--py-tools pystemmer,pyarabic,isri]
#                       [--isri-words N] [--no-java] [--no-python] [--no-qalam]
#
#   --snn        SaudiNewsNet zips or their folder (default ../shared/data/saudinewsnet from the
#                repo root); their article contents are extracted once, one article per line, into
#                bench/out/speed/snn-content.txt (reused while newer than the zips).
#   --text FILE  use this text file (one document per line) instead of extracting.
#
# Installs nothing. Missing tools are reported with the command that installs them, and their
# rows are skipped. Prints a markdown table on stdout, one row per tool: `| tool | words/s | MB/s |`;
# progress and per-pass details go to stderr.
#
# Definitions shared by every row: words = whitespace-separated words of the input (maximal runs
# of non-Unicode-White_Space characters; Rust str::split_whitespace, Python str.split()); MB = 10^6
# bytes of UTF-8 input, newlines included; words/s and MB/s divide by the median timed pass, after
# warm-up passes where the tool has a JIT or caches (Java). Everything runs on one thread.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$ROOT/bench/out"
LUCENE_DIR=${LUCENE_DIR:-/usr/share/java}
LUCENE_VERSION=${LUCENE_VERSION:-8.7.0}

snn=()
text=""
warmup=3
passes=5
lucene_analyzers="arabic,standard"
py_tools="pystemmer,pyarabic,isri"
isri_words=300000
py_passes=3
do_java=1
do_python=1
do_qalam=1

while [ $# -gt 0 ]; do
  case "$1" in
    --snn) shift; while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do snn+=("$1"); shift; done; continue ;;
    --text) text=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --passes) passes=$2; shift ;;
    --py-passes) py_passes=$2; shift ;;
    --lucene-analyzers) lucene_analyzers=$2; shift ;;
    --py-tools) py_tools=$2; shift ;;
    --isri-words) isri_words=$2; shift ;;
    --no-java) do_java=0 ;;
    --no-python) do_python=0 ;;
    --no-qalam) do_qalam=0 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "speed.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ ${#snn[@]} -gt 0 ] || snn=("$ROOT/../shared/data/saudinewsnet")

log() { echo "speed.sh: $*" >&2; }

# ---- dependency checks (nothing is installed here) ----
python_ok=0
if command -v python3 >/dev/null; then python_ok=1; else
  log "python3 not found: apt-get install -y python3"
fi

java_ok=0
LUCENE_CP="$LUCENE_DIR/lucene-core-$LUCENE_VERSION.jar:$LUCENE_DIR/lucene-analyzers-common-$LUCENE_VERSION.jar"
if [ $do_java = 1 ]; then
  if ! command -v java >/dev/null || ! command -v javac >/dev/null; then
    log "java/javac not found: apt-get install -y default-jdk-headless"
  elif [ ! -f "$LUCENE_DIR/lucene-core-$LUCENE_VERSION.jar" ] ||
       [ ! -f "$LUCENE_DIR/lucene-analyzers-common-$LUCENE_VERSION.jar" ]; then
    log "Lucene $LUCENE_VERSION jars not in $LUCENE_DIR: apt-get install -y liblucene8-java"
    log "(or set LUCENE_DIR / LUCENE_VERSION)"
  else
    java_ok=1
  fi
fi

py_run=""
if [ $do_python = 1 ] && [ $python_ok = 1 ]; then
  for t in ${py_tools//,/ }; do
    case "$t" in
      pystemmer) mod=Stemmer; pkg=PyStemmer ;;
      pyarabic) mod=pyarabic.araby; pkg=PyArabic ;;
      isri) mod=nltk.stem.isri; pkg=nltk ;;
      *) log "unknown python tool $t"; exit 2 ;;
    esac
    if python3 -c "import $mod" 2>/dev/null; then
      py_run+="${py_run:+,}$t"
    else
      log "python module $mod missing, skipping $t: pip install $pkg"
    fi
  done
fi

# ---- the text, extracted once ----
if [ -z "$text" ]; then
  [ $python_ok = 1 ] || { log "python3 is needed to extract the text (or pass --text FILE)"; exit 1; }
  mkdir -p "$OUT/speed"
  text="$OUT/speed/snn-content.txt"
  python3 "$ROOT/bench/snn_extract.py" --if-stale --text "$text" "${snn[@]}"
fi
[ -s "$text" ] || { log "no text in $text"; exit 1; }
log "text: $text ($(wc -l <"$text") lines, $(wc -c <"$text") bytes)"
log "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //')"

echo "| tool | words/s | MB/s |"
echo "|---|---:|---:|"

# ---- qalam rows (hook) ----
# The qalam example prints its own rows in the same `| tool | words/s | MB/s |` format, with the
# same definitions of words and MB. It is run when package `qalam` has an example named `speed`.
if [ $do_qalam = 1 ]; then
  has_example=0
  if command -v cargo >/dev/null && [ $python_ok = 1 ]; then
    if (cd "$ROOT" && cargo metadata --no-deps --format-version 1 2>/dev/null) | python3 -c '
import json, sys
m = json.load(sys.stdin)
sys.exit(0 if any(t["name"] == "speed" and "example" in t["kind"]
                  for p in m["packages"] if p["name"] == "qalam-index" for t in p["targets"]) else 1)'
    then has_example=1; fi
  fi
  if [ $has_example = 1 ]; then
    log "running qalam: cargo run --release -p qalam-index --example speed -- $text"
    (cd "$ROOT" && cargo run --quiet --release -p qalam-index --example speed -- "$text")
  else
    log "no example 'speed' in package qalam-index yet: skipping qalam rows"
  fi
fi
# ---- end of qalam rows ----

# ---- Lucene (Java) ----
if [ $java_ok = 1 ]; then
  mkdir -p "$OUT/classes/peers"
  javac -nowarn -d "$OUT/classes/peers" -cp "$LUCENE_CP" "$ROOT/bench/peers/ArabicAnalyzerBench.java" \
    "$ROOT/bench/peers/Analyzers.java"
  for a in ${lucene_analyzers//,/ }; do
    log "running Lucene $a (warm-up $warmup, passes $passes)"
    # SerialGC keeps the collector on the benchmark's one thread as well.
    java -XX:+UseSerialGC -Xms2g -Xmx4g -cp "$LUCENE_CP:$OUT/classes/peers" \
      ArabicAnalyzerBench --analyzer "$a" --warmup "$warmup" --passes "$passes" "$text"
  done
fi

# ---- Python peers ----
if [ -n "$py_run" ]; then
  log "running python tools: $py_run"
  python3 "$ROOT/bench/peers/py_peers.py" --tools "$py_run" --passes "$py_passes" \
    --isri-words "$isri_words" "$text"
fi
