#!/usr/bin/env python3
"""Scaling bench: the analysis of SaudiNewsNet under `qalam index`, `qalam.analyze_many` with 1
and 2 threads, and `python -m qalam.spark analyze` in Spark local[1] (also confined to one CPU
with `taskset -c 0`, since Spark's JVM otherwise works on the second core beside the one Python
worker) and local[2]; then `qalam index` of Spark's pre-analyzed export against
`qalam index --no-aids`.

For each: documents, seconds, docs/s, CPU seconds and peak RSS (the process, or each Spark
worker: the JVM and the largest Python worker); for Spark also the job alone (after the session
has started, as `python -m qalam.spark analyze` reports it); the speed-ups; and the split of the
executor's time per document between the Rust call (`qalam.analyze_columns`) and the
Python/Arrow glue around it. `analyze_many` gets the texts in slices of `--chunk` (as a program
that processes a corpus and keeps no result would), so its peak RSS is one slice's dicts.

Needs a release build of the binary and of the wheel (what users get), PySpark, pyarrow and
Java (see .ci/requirements.txt):

    cargo build --release -p qalam
    pip install ./bindings/python pyspark==4.3.0 pyarrow==26.0.1 pandas==2.3.3
    python bench/spark/scaling.py                       # all of ../shared/data/saudinewsnet
    python bench/spark/scaling.py --days 3 --skip spark1  # a subset, without local[1]

Writes its work files to bench/out/spark/ and prints a markdown table.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "saudinewsnet"
OUT = ROOT / "bench" / "out" / "spark"


class PeakRss(threading.Thread):
    """Samples the resident memory of a process tree every `every` seconds; keeps each process's
    peak (VmHWM where the kernel gives it)."""

    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.every, self.done = pid, every, threading.Event()
        self.peaks: Dict[int, tuple] = {}
        self.cpu: Dict[int, float] = {}

    def tree(self) -> List[int]:
        kids: Dict[int, List[int]] = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                kids.setdefault(ppid, []).append(int(d))
        out, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            out.append(p)
            todo.extend(kids.get(p, []))
        return out

    def run(self) -> None:
        while not self.done.is_set():
            for p in self.tree():
                try:
                    status = Path(f"/proc/{p}/status").read_text()
                    cmd = Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                except OSError:
                    continue
                try:
                    fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                    self.cpu[p] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
                except (OSError, IndexError, ValueError):
                    pass
                kb = max((int(l.split()[1]) for l in status.splitlines()
                          if l.startswith(("VmHWM:", "VmRSS:"))), default=0)
                if kb > self.peaks.get(p, (0, ""))[0]:
                    self.peaks[p] = (kb, cmd)
            self.done.wait(self.every)

    def summary(self) -> str:
        jvm = max((kb for kb, cmd in self.peaks.values() if "java" in cmd.split(" ")[0]), default=0)
        workers = [kb for kb, cmd in self.peaks.values() if "pyspark.daemon" in cmd or "pyspark.worker" in cmd]
        driver = self.peaks.get(self.pid, (0, ""))[0]
        if jvm:
            return (f"JVM {jvm / 1024:.0f} MB, Python worker {max(workers, default=0) / 1024:.0f} MB, "
                    f"driver {driver / 1024:.0f} MB")
        return f"{max((kb for kb, _ in self.peaks.values()), default=0) / 1024:.0f} MB"


def timed(cmd: List[str], env: Optional[dict] = None) -> tuple:
    """Runs `cmd`; returns (seconds, peak RSS summary, stderr, stdout, CPU seconds of the
    process tree as last sampled, every 0.5 s)."""
    started = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=env)
    rss = PeakRss(p.pid)
    rss.start()
    out, err = p.communicate()
    seconds = time.perf_counter() - started
    rss.done.set()
    rss.join()
    if p.returncode not in (0, 1):
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
    return seconds, rss.summary(), err, out, sum(rss.cpu.values())


ANALYZE_MANY = """
import json, sys, time, qalam
threads, chunk = int(sys.argv[1]), int(sys.argv[2])
texts = [d["body"] for d in qalam.read_documents(sys.argv[3:]) if isinstance(d, dict)]
t, cpu, tokens = time.perf_counter(), time.process_time(), 0
for i in range(0, len(texts), chunk):
    docs = qalam.analyze_many(texts[i:i + chunk], threads=threads)
    tokens += sum(len(d["tokens"]) for d in docs)
print(json.dumps({"docs": len(texts), "seconds": time.perf_counter() - t,
                  "cpu": time.process_time() - cpu, "tokens": tokens}))
"""

GLUE = """
import json, sys, time
import pyarrow as pa
import qalam
from qalam import _qalam, spark as qs
docs = [d for d in qalam.read_documents(sys.argv[1:]) if isinstance(d, dict)]
batch = pa.RecordBatch.from_pylist([{"body": d["body"], "date": d.get("date")} for d in docs])
batches = [batch.slice(i, 10000) for i in range(0, batch.num_rows, 10000)]
inner = [0.0]
real = _qalam.analyze_columns
def counted(*a):
    t = time.perf_counter(); r = real(*a); inner[0] += time.perf_counter() - t; return r
_qalam.analyze_columns = counted
t = time.perf_counter()
for _ in qs._analyzer("body", "date", 1)(iter(batches)):
    pass
total = time.perf_counter() - t
print(json.dumps({"docs": len(docs), "total": total, "rust": inner[0]}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="*", help="SaudiNewsNet zips (default: all in ../shared/data)")
    ap.add_argument("--days", type=int, help="only the first N day zips")
    ap.add_argument("--qalam", default=str(ROOT / "target" / "release" / "qalam"))
    ap.add_argument("--chunk", type=int, default=2000, help="texts per analyze_many call")
    ap.add_argument("--skip", default="",
                    help="comma list of: index,many1,many2,spark1,spark1cpu,spark2,glue,export")
    args = ap.parse_args()
    inputs = args.inputs or [str(p) for p in sorted(DATA.glob("*.zip"))]
    if args.days:
        inputs = inputs[: args.days]
    skip = set(filter(None, args.skip.split(",")))
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    rows = []
    rates: Dict[str, float] = {}
    loads = [os.getloadavg()]

    def row(name: str, docs: int, seconds: float, rss: str, cpu: float, command: str,
            job: Optional[float] = None) -> None:
        rates[name] = docs / seconds
        jobs = f"; job {job:.1f} s, {docs / job:.0f} docs/s" if job else ""
        if job:
            rates[name + " job"] = docs / job
        loads.append(os.getloadavg())
        rows.append((name, docs, seconds, docs / seconds, f"{cpu:.0f}", rss + jobs, command))
        print(f"{name}: {docs} docs in {seconds:.1f} s ({docs / seconds:.0f} docs/s), "
              f"{cpu:.0f} CPU s, {rss}{jobs}; load {loads[-1][0]:.1f}", file=sys.stderr,
              flush=True)

    def indexed(err: str) -> int:
        line = next(l for l in err.splitlines() if "added" in l)
        added = int(line.split("added ")[1].split(",")[0])
        return added + int(line.split("replaced ")[1].split(",")[0])

    n_docs = sum(1 for d in __import__("qalam").read_documents(inputs) if isinstance(d, dict))
    if "index" not in skip:
        for name, extra in [("qalam index", []), ("qalam index --no-aids", ["--no-aids"])]:
            idx = OUT / ("index" + "-".join(extra))
            s, rss, err, _, cpu = timed([args.qalam, "index", "--index", str(idx), "-q", *extra,
                                         *inputs])
            row(name, indexed(err), s, rss, cpu,
                " ".join(["qalam index --index DIR -q", *extra, "INPUTS"]))
    for threads in (1, 2):
        if f"many{threads}" in skip:
            continue
        _, rss, _, out, _ = timed([sys.executable, "-c", ANALYZE_MANY, str(threads),
                                   str(args.chunk), *inputs])
        r = json.loads(out)
        row(f"analyze_many threads={threads}", r["docs"], r["seconds"], rss, r["cpu"],
            f"qalam.analyze_many(slice, threads={threads}) per {args.chunk} texts")
        print(f"  {r['tokens'] / r['docs']:.0f} tokens per document", file=sys.stderr)
    parquet = OUT / "docs.parquet"
    for name, cores, pin in [("spark1", 1, None), ("spark1cpu", 1, "0"), ("spark2", 2, None)]:
        if name in skip:
            continue
        cmd = [sys.executable, "-m", "qalam.spark", "--master", f"local[{cores}]", "analyze",
               *inputs, "--out", str(parquet)]
        s, rss, err, _, cpu = timed((["taskset", "-c", pin] if pin else []) + cmd)
        job = float(next(l for l in err.splitlines() if "qalam: analysed" in l)
                    .split(" documents in ")[1].split(" s ")[0])
        label = f"Spark local[{cores}]" + (f" on one CPU (taskset -c {pin})" if pin else "")
        row(label, n_docs, s, rss, cpu,
            ("taskset -c 0 " if pin else "")
            + f"python -m qalam.spark --master local[{cores}] analyze INPUTS --out DIR", job)
    if "glue" not in skip:
        p = subprocess.run([sys.executable, "-c", GLUE, *inputs], capture_output=True, text=True,
                           check=True)
        g = json.loads(p.stdout)
        per_doc = lambda x: 1e6 * x / g["docs"]  # noqa: E731
        print(f"executor function: {per_doc(g['total']):.0f} µs/doc, of which the Rust call "
              f"{per_doc(g['rust']):.0f} µs and the Python/Arrow glue "
              f"{per_doc(g['total'] - g['rust']):.1f} µs "
              f"({100 * (g['total'] - g['rust']) / g['rust']:.2f}% of the Rust work)",
              file=sys.stderr)
    if "export" not in skip and parquet.exists():
        export = OUT / "export"
        s, _, _, _, _ = timed([sys.executable, "-m", "qalam.spark", "--master", "local[2]",
                               "export", str(parquet), "--out", str(export)])
        print(f"export to JSONL: {s:.1f} s", file=sys.stderr)
        s, rss, err, _, cpu = timed([args.qalam, "index", "--index", str(OUT / "index-export"),
                                     "-q", str(export)])
        row("qalam index of the Spark export", indexed(err), s, rss, cpu,
            "qalam index --index DIR -q EXPORT_DIR")
    print("| run | docs | s | docs/s | CPU s | peak RSS | command |")
    print("|---|---:|---:|---:|---:|---|---|")
    for name, docs, s, rate, cpu, rss, command in rows:
        print(f"| {name} | {docs} | {s:.1f} | {rate:.0f} | {cpu} | {rss} | `{command}` |")
    print()
    for a, b in [("analyze_many threads=2", "analyze_many threads=1"),
                 ("Spark local[2]", "Spark local[1]"),
                 ("Spark local[2] job", "Spark local[1] job"),
                 ("Spark local[2]", "Spark local[1] on one CPU (taskset -c 0)"),
                 ("Spark local[2] job", "Spark local[1] on one CPU (taskset -c 0) job"),
                 ("qalam index of the Spark export", "qalam index --no-aids")]:
        if a in rates and b in rates:
            print(f"- {a} / {b}: {rates[a] / rates[b]:.2f}x")
    print(f"\ninputs: {len(inputs)} files, {n_docs} documents; cores: {os.cpu_count()}; "
          "load averages (1, 5, 15 min) at the start and after each run: "
          + "; ".join(" ".join(f"{x:.1f}" for x in l) for l in loads))


if __name__ == "__main__":
    main()
