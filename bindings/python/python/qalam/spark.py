"""qalam on Spark: the analysis of `qalam index` as a Spark job, for archives that outgrow one
machine.

The executors run the qalam wheel through ``mapInArrow``, a whole Arrow batch of documents per
call into Rust. Near-duplicate clusters, entity trends and the inputs of story clustering are
then computed in Spark from the analysed columns, and ``export`` writes pre-analyzed JSONL that
``qalam index`` indexes without running the analysis again::

    python -m qalam.spark analyze ../shared/data/saudinewsnet --out snn.parquet --master 'local[2]'
    python -m qalam.spark dedup snn.parquet            # as `qalam dedup --json --limit 0`
    python -m qalam.spark entities snn.parquet          # as `qalam entities --json`
    python -m qalam.spark export snn.parquet --out snn-export
    qalam index --index snn-index snn-export

The same commands run unchanged under ``spark-submit`` (give the path of this file, and leave
``--master`` to spark-submit):

    spark-submit --master yarn "$(python -c 'import qalam.spark as s; print(s.__file__)')" \\
        analyze /mnt/archive/news --out hdfs:///news.parquet

The inputs are read by qalam's own readers in the executors, so they must be files every
executor sees at the same path (a shared mount); the Parquet goes wherever Spark writes.

Every result equals what ``qalam`` computes from the same documents in the same order (`ord`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import struct
import sys
import time
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import pyarrow as pa  # type: ignore[import-untyped]
from pyspark.accumulators import AccumulatorParam
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from qalam import _qalam

__all__ = [
    "DOCUMENT_SCHEMA",
    "ANALYSIS_FIELDS",
    "session",
    "read",
    "analyze",
    "latest",
    "duplicates",
    "duplicate_clusters",
    "entity_trends",
    "story_inputs",
    "stories",
    "export",
    "main",
]

#: Columns of the documents `read` makes: `ord` is the position in the order `qalam index`
#: reads the inputs (file number << 32 | record number), `extra` and `origin` are JSON texts.
DOCUMENT_SCHEMA = T.StructType(
    [
        T.StructField("ord", T.LongType(), False),
        T.StructField("id", T.StringType(), False),
        T.StructField("title", T.StringType()),
        T.StructField("body", T.StringType(), False),
        T.StructField("author", T.StringType()),
        T.StructField("source", T.StringType()),
        T.StructField("url", T.StringType()),
        T.StructField("date", T.StringType()),
        T.StructField("extra", T.StringType()),
        T.StructField("origin", T.StringType()),
    ]
)

_ENTITY = T.StructType(
    [
        T.StructField("type", T.StringType()),
        T.StructField("start", T.LongType()),
        T.StructField("end", T.LongType()),
        T.StructField("text", T.StringType()),
        T.StructField("key", T.StringType()),
    ]
)
_KEYPHRASE = T.StructType(
    [
        T.StructField("text", T.StringType()),
        T.StructField("key", T.StringType()),
        T.StructField("score", T.FloatType()),
        T.StructField("count", T.LongType()),
        T.StructField("start", T.LongType()),
        T.StructField("end", T.LongType()),
    ]
)
_SUMMARY = T.StructType(
    [
        T.StructField("index", T.LongType()),
        T.StructField("start", T.LongType()),
        T.StructField("end", T.LongType()),
        T.StructField("score", T.FloatType()),
    ]
)

#: Columns `analyze` adds: byte spans into the text, as in `qalam analyze --format json`;
#: `minhash` is the signature's bytes, `bands` its LSH band keys (u64 as signed longs; empty
#: for a text without content words) and `day` the day number the index files the date under.
ANALYSIS_FIELDS = [
    T.StructField("entities", T.ArrayType(_ENTITY)),
    T.StructField("keyphrases", T.ArrayType(_KEYPHRASE)),
    T.StructField("summary", T.ArrayType(_SUMMARY)),
    T.StructField("minhash", T.BinaryType()),
    T.StructField("bands", T.ArrayType(T.LongType())),
    T.StructField("day", T.IntegerType()),
]

_ARROW = {
    T.StringType: pa.string(),
    T.LongType: pa.int64(),
    T.FloatType: pa.float32(),
    T.IntegerType: pa.int32(),
    T.BinaryType: pa.binary(),
}


def _arrow_type(t: T.DataType) -> pa.DataType:
    if isinstance(t, T.ArrayType):
        return pa.list_(_arrow_type(t.elementType))
    if isinstance(t, T.StructType):
        return pa.struct([pa.field(f.name, _arrow_type(f.dataType)) for f in t.fields])
    return _ARROW[type(t)]


#: Documents per Arrow batch handed to the wheel (Spark's default is 10,000): a Python worker
#: holds about 80 KB per document of a batch, and the JVM fills the next batch, and writes
#: the last one, while Python analyses this one.
BATCH_ROWS = 1000
_BATCH_CONF = "spark.sql.execution.arrow.maxRecordsPerBatch"


def session(master: Optional[str] = None, app: str = "qalam") -> SparkSession:
    """The Spark session: `master` if given, else spark-submit's, else ``local[*]``; Arrow
    batches of `BATCH_ROWS` documents unless ``--conf`` sets
    ``spark.sql.execution.arrow.maxRecordsPerBatch``.

    >>> spark = session("local[2]")  # doctest: +SKIP
    """
    from pyspark import SparkConf

    builder = SparkSession.builder.appName(app)
    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    # spark-submit passes its master and --conf settings to the JVM, where SparkConf finds them.
    given = SparkConf()
    if master is None and not given.contains("spark.master"):
        master = "local[*]"
    if not given.contains(_BATCH_CONF):
        builder = builder.config(_BATCH_CONF, str(BATCH_ROWS))
    if master is not None:
        builder = builder.master(master)
        if master.startswith("local"):
            # Local executors run the Python that runs this (with qalam installed).
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = (
                builder.config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                # Few cores: a few shuffle partitions, not Spark's 200.
                .config("spark.sql.shuffle.partitions", "8")
            )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class _ListParam(AccumulatorParam):  # type: ignore[type-arg]
    """Accumulates lists (the read errors of the executors)."""

    def zero(self, value: List[Any]) -> List[Any]:
        return []

    def addInPlace(self, a: List[Any], b: List[Any]) -> List[Any]:
        a.extend(b)
        return a


def _document_row(ordinal: int, doc: Dict[str, Any]) -> Tuple[Any, ...]:
    extra = doc.get("extra")
    return (
        ordinal,
        doc["id"],
        doc.get("title"),
        doc["body"],
        doc.get("author"),
        doc.get("source"),
        doc.get("url"),
        doc.get("date"),
        json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else None,
        json.dumps(doc["origin"], ensure_ascii=False, sort_keys=True),
    )


def read(
    spark: SparkSession,
    paths: Sequence[str],
    partitions: Optional[int] = None,
    errors: Optional[Any] = None,
) -> DataFrame:
    """The documents of files and directories (JSON, JSONL, text, zip archives such as
    SaudiNewsNet's) as a DataFrame of `DOCUMENT_SCHEMA`, read by the executors with qalam's own
    readers, one task per file, then spread over `partitions` (default: twice the cores).

    Records that cannot be read are left out; their messages (naming file, line or record and
    the fault) are added to the accumulator `errors` (see `read_errors`) when given.

    >>> docs = read(spark, ["../shared/data/saudinewsnet"])  # doctest: +SKIP
    """
    files, list_errors = _qalam.input_files(list(paths))
    if errors is not None:
        errors.add([(-1, e) for e in list_errors])
    sc = spark.sparkContext

    def read_files(items: Iterable[Tuple[int, str]]) -> Iterator[Tuple[Any, ...]]:
        for file_no, path in items:
            bad = []
            for record_no, item in enumerate(_qalam.read_documents([path])):
                ordinal = (file_no << 32) | record_no
                if isinstance(item, Exception):
                    bad.append((ordinal, str(item)))
                else:
                    yield _document_row(ordinal, item)
            if errors is not None and bad:
                errors.add(bad)

    rdd = sc.parallelize(list(enumerate(files)), max(1, len(files))).mapPartitions(read_files)
    df = spark.createDataFrame(rdd, DOCUMENT_SCHEMA)
    n = partitions or 2 * sc.defaultParallelism
    return df.repartition(n)


def read_errors(spark: SparkSession) -> Any:
    """An accumulator for `read`'s record errors: a list of ``(ord, message)``."""
    return spark.sparkContext.accumulator([], _ListParam())


def _list_array(offsets: List[int], struct_type: T.StructType, cols: Dict[str, Any],
                prefix: str) -> pa.Array:
    fields = [pa.field(f.name, _arrow_type(f.dataType)) for f in struct_type.fields]
    values = pa.StructArray.from_arrays(
        [pa.array(cols[f"{prefix}_{f.name}"], type=f.type) for f in fields], fields=fields
    )
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values)


def _analysis_arrays(cols: Dict[str, Any]) -> List[pa.Array]:
    """The Arrow arrays of `ANALYSIS_FIELDS` from the columns of `qalam.analyze_columns`."""
    return [
        _list_array(cols["entity_offsets"], _ENTITY, cols, "entity"),
        _list_array(cols["keyphrase_offsets"], _KEYPHRASE, cols, "keyphrase"),
        _list_array(cols["summary_offsets"], _SUMMARY, cols, "summary"),
        pa.array(cols["minhash"], pa.binary()),
        pa.ListArray.from_arrays(
            pa.array(cols["band_offsets"], pa.int32()), pa.array(cols["bands"], pa.int64())
        ),
        pa.array(cols["day"], pa.int32()),
    ]


def _analyzer(text_col: str, date_col: Optional[str], threads: int) -> Callable[
        [Iterator[pa.RecordBatch]], Iterator[pa.RecordBatch]]:
    names = [f.name for f in ANALYSIS_FIELDS]

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            texts = [t if t is not None else "" for t in batch.column(text_col).to_pylist()]
            dates = batch.column(date_col).to_pylist() if date_col else None
            cols = _qalam.analyze_columns(texts, dates, threads)
            arrays = list(batch.columns) + _analysis_arrays(cols)
            yield pa.RecordBatch.from_arrays(arrays, names=list(batch.schema.names) + names)

    return run


#: Where `analyze` notes which columns hold each document's id, title, text and date: the
#: metadata of its `entities` column (kept in Parquet), read by the other functions here.
_ROLES = "qalam_columns"


def _roles(df: DataFrame) -> Dict[str, Optional[str]]:
    """The columns of `df` holding the id, title, text and date of each document, as `analyze`
    was told; `read`'s columns for a DataFrame `analyze` did not make."""
    if "entities" in df.columns:
        roles = df.schema["entities"].metadata.get(_ROLES)
        if roles:
            return dict(roles)
    return {"id": "id", "title": "title", "text": "body", "date": "date"}


def _column(df: DataFrame, name: Optional[str], alias: str) -> Any:
    """Column `name` of `df` as `alias` (a null string if there is no such column)."""
    if name is None or name not in df.columns:
        return F.lit(None).cast("string").alias(alias)
    return F.col(name).alias(alias)


def _documents(df: DataFrame, *extra: str) -> DataFrame:
    """`ord`, `id`, `title`, `date` and the columns `extra` (`body`: the text; `source`,
    `author`, ...: null if missing) of analysed documents, under `read`'s names."""
    roles = _roles(df)
    named = {"id": roles["id"], "title": roles["title"], "date": roles["date"],
             "body": roles["text"]}
    cols = ["ord", "id", "title", "date", *extra]
    return df.select(*[_column(df, named.get(c, c), c) for c in cols])


def analyze(df: DataFrame, text_col: str = "text", id_col: str = "id",
            title_col: Optional[str] = None, date_col: Optional[str] = None,
            threads: int = 1) -> DataFrame:
    """`df` plus the columns of `ANALYSIS_FIELDS`, computed in the executors by the qalam
    wheel, one Arrow batch per call (`threads` Rust threads per task; Spark's tasks are the
    parallelism).

    As in `qalam index`, the analysis reads the text (`text_col`) alone. `id_col` and
    `title_col` name each document's id and title for what comes after, as the index uses
    them: ids decide which record of an id is kept (`latest`) and name near-duplicate
    clusters (`duplicates`); titles are listed by `duplicate_clusters`, weighed by story
    clustering (`story_inputs`, `stories`) and exported. `date_col` gives `day` (null without
    it). The other functions of this module find these columns in the metadata of
    `entities` (also after a round trip through Parquet). A DataFrame without `ord` (the
    order in which an index reads the documents) gets one in its partitions' order.

    >>> analyze(spark.createDataFrame([("a", "زار الملك سلمان الرياض.")], "id string, text string")) \\
    ...     .select("entities.text").first()[0]  # doctest: +SKIP
    ['سلمان', 'الرياض']
    """
    for name in [text_col, id_col] + [c for c in (title_col, date_col) if c]:
        if name not in df.columns:
            raise ValueError(f"no column {name!r} in {df.columns}")
    taken = {f.name for f in ANALYSIS_FIELDS} & set(df.columns)
    if taken:
        raise ValueError(f"the DataFrame already has {sorted(taken)}")
    if "ord" not in df.columns:
        df = df.withColumn("ord", F.monotonically_increasing_id())
    schema = T.StructType(list(df.schema.fields) + ANALYSIS_FIELDS)
    roles = {"id": id_col, "title": title_col, "text": text_col, "date": date_col}
    return df.mapInArrow(_analyzer(text_col, date_col, threads), schema).withMetadata(
        "entities", {_ROLES: roles})


def _near(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        sims = _qalam.near_duplicates(batch.column("ma").to_pylist(),
                                      batch.column("mb").to_pylist())
        yield pa.RecordBatch.from_arrays(
            [batch.column("a"), batch.column("b"), pa.array(sims, pa.float32())],
            names=["a", "b", "similarity"],
        )


def _components(edges: DataFrame) -> DataFrame:
    """Connected components of an undirected graph given as pairs `(a, b)`: each vertex with
    its component's smallest vertex (`v`, `component`), by min-label propagation."""
    both = edges.select("a", "b").union(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    both = both.localCheckpoint()
    labels = both.groupBy(F.col("a").alias("v")).agg(
        F.least(F.min("b"), F.first("a")).alias("component")
    ).localCheckpoint()
    while True:
        # Each vertex takes the smallest label among its neighbours, then its label's label.
        spread = both.join(labels.withColumnRenamed("v", "a"), "a").groupBy(
            F.col("b").alias("v")).agg(F.min("component").alias("n"))
        step = labels.join(spread, "v").select(
            "v", F.least("component", "n").alias("component"))
        hop = step.alias("s").join(step.alias("t"), F.col("s.component") == F.col("t.v")).select(
            F.col("s.v").alias("v"), F.least("s.component", "t.component").alias("component"))
        hop = hop.localCheckpoint()
        changed = hop.alias("x").join(labels.alias("y"), "v").where(
            F.col("x.component") != F.col("y.component")).limit(1).count()
        labels = hop
        if changed == 0:
            return labels.withColumnRenamed("v", "ord")


def _assign(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        ords: List[int] = []
        clusters: List[str] = []
        for members in batch.column("m").to_pylist():
            ords.extend(m["ord"] for m in members)
            clusters.extend(_qalam.assign_clusters([m["id"] for m in members],
                                                   [m["minhash"] for m in members]))
        yield pa.RecordBatch.from_arrays(
            [pa.array(ords, pa.int64()), pa.array(clusters, pa.string())],
            names=["ord", "cluster"],
        )


def _similarities(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        ords: List[int] = []
        clusters: List[str] = []
        sims: List[float] = []
        for cluster, members in zip(batch.column("cluster").to_pylist(),
                                    batch.column("m").to_pylist()):
            # As the index lists a cluster: similarity to the document named by its id.
            head = next((m for m in members if m["id"] == cluster), members[0])
            others = [m for m in members if m is not head]
            ords += [head["ord"]] + [m["ord"] for m in others]
            clusters += [cluster] * len(members)
            sims += [1.0] + _qalam.jaccard([head["minhash"]] * len(others),
                                           [m["minhash"] for m in others])
        yield pa.RecordBatch.from_arrays(
            [pa.array(ords, pa.int64()), pa.array(clusters, pa.string()),
             pa.array(sims, pa.float32())],
            names=["ord", "cluster", "similarity"],
        )


def latest(df: DataFrame, id_col: Optional[str] = None) -> DataFrame:
    """The documents an index of `df` holds: the last record (by `ord`) of each id (column
    `id_col`, default: the one given to `analyze`), since a record replaces an earlier one with
    the same id."""
    last = df.groupBy(id_col or _roles(df)["id"] or "id").agg(F.max("ord").alias("ord"))
    return df.join(last.select("ord"), "ord")


def duplicates(df: DataFrame) -> DataFrame:
    """Near-duplicate clusters of analysed documents, computed in Spark as `qalam index`
    computes them: documents sharing an LSH band key are candidate pairs; pairs that pass the
    similarity check of `qalam dedup` (Jaccard ≥ 0.5, or a cut copy) link documents; within
    each connected component, documents join the cluster of the first document (by `ord`)
    they copy. Returns `ord`, `id`, `cluster` (the id of the cluster's first document) and
    `similarity` (to that document) for the documents of clusters of two or more, among the
    documents the index keeps (`latest`).
    """
    ids = _documents(df, "minhash").select("ord", "id", "minhash")
    keys = df.select("ord", F.explode("bands").alias("band"))
    pairs = (
        keys.alias("x").join(keys.alias("y"), "band")
        .where(F.col("x.ord") < F.col("y.ord"))
        .select(F.col("x.ord").alias("a"), F.col("y.ord").alias("b"))
        .distinct()
    )
    sigs = df.select("ord", "minhash")
    pairs = (
        pairs.join(sigs.select(F.col("ord").alias("a"), F.col("minhash").alias("ma")), "a")
        .join(sigs.select(F.col("ord").alias("b"), F.col("minhash").alias("mb")), "b")
    )
    near = pairs.mapInArrow(_near, "a long, b long, similarity float").where(
        F.col("similarity").isNotNull())
    components = _components(near)
    members = components.join(ids, "ord")
    grouped = members.groupBy("component").agg(
        F.sort_array(F.collect_list(F.struct("ord", "id", "minhash"))).alias("m"))
    assigned = grouped.mapInArrow(_assign, "ord long, cluster string")
    kept = latest(ids, "id").join(assigned, "ord", "left").select(
        "ord", "id", "minhash", F.coalesce("cluster", "id").alias("cluster"))
    clusters = kept.groupBy("cluster").agg(
        F.sort_array(F.collect_list(F.struct("ord", "id", "minhash"))).alias("m")
    ).where(F.size("m") >= 2)
    scored = clusters.mapInArrow(_similarities, "ord long, cluster string, similarity float")
    return scored.join(ids.select("ord", "id"), "ord").select("ord", "id", "cluster",
                                                               "similarity")


def duplicate_clusters(df: DataFrame, dups: DataFrame, min_docs: int = 2) -> List[Dict[str, Any]]:
    """The clusters of `duplicates(df)` with at least `min_docs` documents, as
    `qalam dedup --json --limit 0` prints them: biggest first, the first document first, then
    by similarity."""
    rows = (
        dups.join(_documents(df, "source").drop("id"), "ord")
        .groupBy("cluster")
        .agg(F.collect_list(F.struct("ord", "id", "title", "source", "date", "similarity"))
             .alias("docs"))
        .where(F.size("docs") >= max(2, min_docs))
        .collect()
    )
    out = []
    for row in rows:
        docs = sorted(row["docs"], key=lambda d: d["ord"])
        head = next((d for d in docs if d["id"] == row["cluster"]), docs[0])
        rest = sorted((d for d in docs if d is not head), key=lambda d: -d["similarity"])
        out.append({
            "cluster": row["cluster"],
            "docs": [
                {"id": d["id"], "title": d["title"], "source": d["source"], "date": d["date"],
                 "similarity": 1.0 if d is head else d["similarity"]}
                for d in [head] + rest
            ],
        })
    out.sort(key=lambda c: (-len(c["docs"]), c["cluster"].encode("utf-8")))
    return out


def _f32(x: float) -> float:
    return struct.unpack("f", struct.pack("f", x))[0]


def _entity_sets(spark: SparkSession, df: DataFrame) -> DataFrame:
    latest(df).createOrReplaceTempView("qalam_analysed")
    return spark.sql(
        """SELECT ord, day, array_distinct(transform(filter(entities, e -> e.key <> ''),
                  e -> concat(e.type, ':', e.key))) AS ents
           FROM qalam_analysed"""
    )


def _format_day(day: int) -> str:
    import datetime

    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=day)).isoformat()


def entity_trends(spark: SparkSession, df: DataFrame, top: int = 20) -> Dict[str, Any]:
    """Entity trends of analysed documents by Spark SQL, as `qalam entities --json` gives them:
    `docs`, `days`, `docs_per_day`, the `top` most named entities (`KIND:key`) with their
    articles per day, and the pairs of top entities named together with their PMI.

    Each entity's `label` is its most frequent surface form over all its mentions (the index
    reads it from a few of the documents naming it, so it may differ)."""
    _entity_sets(spark, df).createOrReplaceTempView("qalam_entity_sets")
    counts = spark.sql("SELECT count(*), min(day), max(day) FROM qalam_entity_sets").first()
    assert counts is not None
    n, first, last = counts
    ranked = spark.sql(
        f"""SELECT e AS entity, count(*) AS docs FROM qalam_entity_sets
            LATERAL VIEW explode(ents) t AS e GROUP BY e ORDER BY docs DESC, entity ASC
            LIMIT {int(top)}"""
    ).collect()
    spark.sql("SELECT ord, day, explode(ents) AS e FROM qalam_entity_sets") \
        .createOrReplaceTempView("qalam_entity_mentions")
    rank = {r["entity"]: i for i, r in enumerate(ranked)}
    spark.createDataFrame([(e, i) for e, i in rank.items()], "entity string, rank int") \
        .createOrReplaceTempView("qalam_top")
    span = 0 if first is None else last - first + 1
    days = [_format_day(first + i) for i in range(span)] if span else []
    per_day = [[0] * span for _ in ranked]
    for r in spark.sql(
        """SELECT t.rank, s.day, count(*) AS n FROM qalam_entity_mentions s
           JOIN qalam_top t ON t.entity = s.e
           WHERE s.day IS NOT NULL GROUP BY t.rank, s.day"""
    ).collect():
        per_day[r["rank"]][r["day"] - first] = r["n"]
    docs_per_day = [0] * span
    for r in spark.sql(
        "SELECT day, count(*) AS n FROM qalam_entity_sets WHERE day IS NOT NULL GROUP BY day"
    ).collect():
        docs_per_day[r["day"] - first] = r["n"]
    labels = {
        r["entity"]: r["text"]
        for r in spark.sql(
            """WITH m AS (SELECT concat(e.type, ':', e.key) AS entity, e.text AS text
                          FROM (SELECT explode(entities) AS e FROM qalam_analysed)),
                    c AS (SELECT m.entity, m.text, count(*) AS n FROM m
                          JOIN qalam_top t ON t.entity = m.entity GROUP BY m.entity, m.text)
               SELECT entity, text FROM (
                 SELECT entity, text, row_number() OVER (PARTITION BY entity
                                                         ORDER BY n DESC, text ASC) AS r
                 FROM c) WHERE r = 1"""
        ).collect()
    }
    pairs = []
    for r in spark.sql(
        """WITH m AS (SELECT s.ord, t.rank FROM qalam_entity_mentions s
                      JOIN qalam_top t ON t.entity = s.e)
           SELECT x.rank AS a, y.rank AS b, count(*) AS docs FROM m x JOIN m y
           ON x.ord = y.ord AND x.rank < y.rank GROUP BY x.rank, y.rank"""
    ).collect():
        na, nb = ranked[r["a"]]["docs"], ranked[r["b"]]["docs"]
        pmi = _f32(math.log((r["docs"] * n) / (na * nb)))
        pairs.append({"a": r["a"], "b": r["b"], "docs": r["docs"], "pmi": pmi})
    pairs.sort(key=lambda p: (-p["docs"], -p["pmi"], p["a"], p["b"]))
    top_out = []
    for i, r in enumerate(ranked):
        kind, _, key = r["entity"].partition(":")
        top_out.append({
            "entity": r["entity"], "kind": kind, "key": key,
            "label": labels.get(r["entity"], key), "docs": r["docs"], "per_day": per_day[i],
        })
    return {"docs": n, "days": days, "docs_per_day": docs_per_day, "top": top_out,
            "pairs": pairs}


def story_inputs(spark: SparkSession, df: DataFrame, dups: DataFrame) -> DataFrame:
    """What story clustering reads of each analysed document, by Spark SQL, in `ord` order:
    `id`, `title`, `date`, `day`, `source`, `entities` (distinct `KIND:key`, first mention
    first), `keyphrases` (best first) and `cluster` (its near-duplicate cluster), for the
    documents the index keeps (`latest`)."""
    docs = _documents(df, "day", "source", "entities", "keyphrases")
    latest(docs, "id").createOrReplaceTempView("qalam_analysed")
    dups.createOrReplaceTempView("qalam_duplicates")
    return spark.sql(
        """SELECT a.ord, a.id, a.title, a.date, CAST(a.day AS BIGINT) AS day, a.source,
                  array_distinct(transform(filter(a.entities, e -> e.key <> ''),
                                           e -> concat(e.type, ':', e.key))) AS entities,
                  transform(a.keyphrases, k -> k.text) AS keyphrases,
                  coalesce(d.cluster, a.id) AS cluster
           FROM qalam_analysed a LEFT JOIN qalam_duplicates d ON a.ord = d.ord
           ORDER BY a.ord"""
    )


def stories(inputs: DataFrame, window_days: int = 3, threshold: float = 0.25,
            min_docs: int = 3) -> List[Dict[str, Any]]:
    """Stories of `story_inputs`, clustered by qalam on the driver (single pass in date order),
    as `qalam stories --json --limit 0` prints them."""
    docs = [r.asDict(recursive=True) for r in inputs.drop("ord").toLocalIterator()]
    found = _qalam.stories(docs, window_days, threshold, min_docs)
    out = []
    for s in found:
        days = s.get("days")
        out.append({
            "title": docs[s["central"]]["title"],
            "from": _format_day(days[0]) if days else None,
            "to": _format_day(days[1]) if days else None,
            "articles": len(s["docs"]),
            "copies_collapsed": len(s["docs"]) - s["clusters"],
            "entities": s["entities"],
            "keyphrases": s["keyphrases"],
            "docs": [{k: docs[i][k] for k in ("id", "title", "date", "source")}
                     for i in s["docs"]],
        })
    return out


def _export_lines(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        lines = []
        for r in batch.to_pylist():
            record: Dict[str, Any] = {"id": r["id"]}
            for k in ("title", "author", "source", "url", "date"):
                if r[k] is not None:
                    record[k] = r[k]
            record["content"] = r["body"]
            record["qalam_analysis"] = {
                "version": 1,
                "entities": r["entities"],
                "keyphrases": r["keyphrases"],
                "summary": r["summary"],
                "minhash": r["minhash"].hex() if r["minhash"] is not None else None,
                "extra": json.loads(r["extra"]) if r["extra"] else {},
                "origin": json.loads(r["origin"]) if r["origin"] else {},
            }
            lines.append(json.dumps(record, ensure_ascii=False))
        yield pa.RecordBatch.from_arrays([pa.array(lines, pa.string())], names=["value"])


def export(df: DataFrame, out: str, partitions: Optional[int] = None) -> List[str]:
    """Writes analysed documents as pre-analyzed JSONL (`out/part-NNNNN.jsonl`, in `ord`
    order) for ``qalam index --index DIR out``, which indexes them with these entities,
    keyphrases, summaries and signatures instead of computing them. Returns the files.

    On a shared file system the part files are renamed to `.jsonl` here; elsewhere, rename
    Spark's `part-*.txt` files (any name ending in `.jsonl` that sorts in the same order)."""
    n = partitions or max(1, df.rdd.getNumPartitions())
    docs = _documents(df, "author", "source", "url", "body", "extra", "origin", "entities",
                      "keyphrases", "summary", "minhash")
    lines = (
        docs.repartitionByRange(n, "ord").sortWithinPartitions("ord")
        .mapInArrow(_export_lines, "value string")
    )
    lines.write.mode("overwrite").text(out)
    files = []
    if os.path.isdir(out):
        for name in sorted(os.listdir(out)):
            if name.startswith("part-") and name.endswith(".txt"):
                part = name.split("-")[1]
                os.rename(os.path.join(out, name), os.path.join(out, f"part-{part}.jsonl"))
                files.append(os.path.join(out, f"part-{part}.jsonl"))
    return files


def _print_jsonl(items: Iterable[Any]) -> None:
    for item in items:
        sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """``python -m qalam.spark``: analyze, dedup, entities, stories and export."""
    p = argparse.ArgumentParser(prog="python -m qalam.spark", description=__doc__.split("\n\n")[0])
    p.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="read inputs, analyse them, write Parquet")
    a.add_argument("inputs", nargs="+", help="JSON, JSONL, .txt, zip files or directories")
    a.add_argument("--out", required=True, help="Parquet directory to write (replaced)")
    a.add_argument("--partitions", type=int, help="tasks of the analysis (default: 2 per core)")
    a.add_argument("--threads", type=int, default=1, help="Rust threads per task")
    a.add_argument("--master", dest="sub_master", help=argparse.SUPPRESS)
    for name, text in [("dedup", "near-duplicate clusters, as `qalam dedup --json --limit 0`"),
                       ("entities", "entity trends, as `qalam entities --json`"),
                       ("stories", "stories, as `qalam stories --json --limit 0`"),
                       ("export", "pre-analyzed JSONL for `qalam index`")]:
        s = sub.add_parser(name, help=text)
        s.add_argument("parquet", help="the directory `analyze` wrote")
        s.add_argument("--master", dest="sub_master", help=argparse.SUPPRESS)
        if name == "dedup":
            s.add_argument("--min-docs", type=int, default=2)
        if name == "entities":
            s.add_argument("--top", type=int, default=20)
        if name == "stories":
            s.add_argument("--min-docs", type=int, default=3)
            s.add_argument("--window", type=int, default=3)
            s.add_argument("--threshold", type=float, default=0.25)
        if name == "export":
            s.add_argument("--out", required=True, help="directory of JSONL files (replaced)")
            s.add_argument("--partitions", type=int, help="JSONL files to write")
    args = p.parse_args(argv)
    started = time.perf_counter()
    spark = session(args.sub_master or args.master)
    start_seconds = time.perf_counter() - started
    from qalam import spark as this  # functions by module, also when run as __main__

    if args.command == "analyze":
        errors = this.read_errors(spark)
        docs = this.read(spark, args.inputs, args.partitions, errors)
        started = time.perf_counter()
        this.analyze(docs, text_col="body", id_col="id", title_col="title", date_col="date",
                     threads=args.threads).write.mode("overwrite").parquet(args.out)
        seconds = time.perf_counter() - started
        bad = sorted(set(errors.value))
        for _, message in bad:
            print(f"qalam: {message}", file=sys.stderr)
        written = spark.read.parquet(args.out).count()
        print(f"qalam: analysed {written} documents in {seconds:.1f} s "
              f"({written / max(seconds, 1e-9):.0f} docs/s; Spark started in "
              f"{start_seconds:.1f} s), rejected {len(bad)}; Parquet in {args.out}",
              file=sys.stderr)
        return 1 if bad else 0
    df = spark.read.parquet(args.parquet)
    if args.command == "dedup":
        _print_jsonl(this.duplicate_clusters(df, this.duplicates(df), args.min_docs))
    elif args.command == "entities":
        _print_jsonl([this.entity_trends(spark, df, args.top)])
    elif args.command == "stories":
        inputs = this.story_inputs(spark, df, this.duplicates(df))
        _print_jsonl(this.stories(inputs, args.window, args.threshold, args.min_docs))
    elif args.command == "export":
        files = this.export(df, args.out, args.partitions)
        print(f"qalam: {len(files)} JSONL files in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
