"""Chronicle on Apache Spark: the same clean + extract pipeline over many files, in parallel.

``run_spark(inputs, output, master)`` reads every input file as bytes (``binaryFiles``, so the
inputs may live on HDFS/S3 on a real cluster), turns each into Documents with the very readers
``chronicle ingest`` uses, runs :class:`chronicle.pipeline.Pipeline` inside ``mapInPandas`` (the
spaCy model is loaded once per executor Python process, not per record: ``load_nlp`` is cached
and Spark reuses its Python workers), and writes four Parquet datasets partitioned by publication
date: ``documents/``, ``entities/``, ``events/``, ``claims/``. ``documents`` carries each whole
Document as JSON so ``chronicle load`` can rebuild it exactly and store it like a local ingest.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

# Output schemas (Spark DDL). Nested values (lists, locations) are JSON strings so the Parquet
# opens in any tool without struct support.
DOC_SCHEMA = (
    "content_hash string, source string, url string, title string, outlet string, "
    "author string, published string, language string, date string, n_entities int, "
    "n_events int, n_claims int, error string, doc_json string"
)
ENTITY_SCHEMA = (
    "content_hash string, date string, name string, type string, role string, "
    "aliases string, n_mentions int"
)
EVENT_SCHEMA = (
    "content_hash string, date string, source string, type string, mode string, "
    "context string, actor string, recipient string, event_date string, location string, "
    "country string, charge string, custody string, max_penalty_years double, "
    "sentence_years double, reported_by string, negated boolean, hypothetical boolean, "
    "historical boolean, evidence string"
)
CLAIM_SCHEMA = (
    "content_hash string, date string, source string, metric string, value double, "
    "unit string, per string, qualifier string, subject string, as_of string, "
    "claimed_by string, relayed_by string, evidence string"
)

_PIPELINE: Any = None

log = logging.getLogger(__name__)


def _pipeline() -> Any:
    """The pipeline of this Python process (executor), built on first use."""
    global _PIPELINE
    if _PIPELINE is None:
        from chronicle.pipeline import Pipeline

        _PIPELINE = Pipeline()
    return _PIPELINE


def partition_date(published: str | None) -> str:
    """The Parquet partition value: the publication day, or ``unknown``."""
    return published[:10] if published and len(published) >= 10 else "unknown"


def documents_from_bytes(path: str, data: bytes) -> tuple[list[Any], list[str]]:
    """Documents of one input file given as bytes, read by ``chronicle ingest``'s own readers.

    The readers work on paths (they pick the format by suffix), so the bytes are written to a
    private temporary file with the same name; ``source`` is set back to the original path.
    Returns (documents, error lines).
    """
    import tempfile

    from chronicle.ingest import IngestFailure, read_file
    from chronicle.model import Document

    docs: list[Document] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="chronicle-spark-") as tmp:
        local = Path(tmp) / (Path(path).name or "input")
        local.write_bytes(data)
        try:
            for item in read_file(local):
                if isinstance(item, Document):
                    item.source = item.source.replace(str(local), path)
                    docs.append(item)
                elif getattr(item, "warning", False):
                    # read, with something odd about it: said on the driver's log, not an error
                    log.warning("%s: warning: %s", path, item.reason)
                else:
                    errors.append(f"{path}: {item.reason}")
        except (IngestFailure, OSError) as exc:  # one unreadable file never stops the job
            errors.append(f"{path}: {exc}")
    return docs, errors


def process_files(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``mapInPandas`` body: (path, content bytes) rows in, one row per Document out."""
    pipeline = _pipeline()
    for pdf in batches:
        rows: list[dict[str, Any]] = []
        docs = []
        for path, content in zip(pdf["path"], pdf["content"], strict=True):
            local = path[len("file:") :] if path.startswith("file:") else path
            found, errors = documents_from_bytes(local, bytes(content))
            docs.extend(found)
            rows.extend(
                {"source": local, "date": "unknown", "n_entities": 0, "n_events": 0,
                 "n_claims": 0, "error": e}
                for e in errors
            )
        for doc in pipeline.pipe(docs):
            rows.append(
                {
                    **doc.metadata(),
                    "date": partition_date(doc.published),
                    "n_entities": len(doc.entities),
                    "n_events": len(doc.events),
                    "n_claims": len(doc.claims),
                    "error": None,
                    "doc_json": json.dumps(doc.to_dict(include_raw=True), ensure_ascii=False),
                }
            )
        yield _frame(rows, DOC_SCHEMA)


def _explode(batches: Iterator[pd.DataFrame], kind: str) -> Iterator[pd.DataFrame]:
    for pdf in batches:
        rows: list[dict[str, Any]] = []
        for doc_json in pdf["doc_json"]:
            rows.extend(flatten(json.loads(doc_json), kind))
        yield _frame(rows, _SCHEMAS[kind])


def _columns(schema: str) -> list[str]:
    return [c.split()[0] for c in schema.split(", ")]


def _frame(rows: list[dict[str, Any]], schema: str) -> pd.DataFrame:
    """A DataFrame whose column dtypes follow the Spark schema, so Arrow converts it as declared.

    (A column of only ``None`` would otherwise become float NaN, which Arrow refuses to cast to
    ``string``.)
    """
    data: dict[str, pd.Series] = {}
    for col_def in schema.split(", "):
        name, kind = col_def.split()
        values = [row.get(name) for row in rows]
        if kind == "int":
            data[name] = pd.Series([v or 0 for v in values], dtype="int32")
        elif kind == "double":
            data[name] = pd.Series([float("nan") if v is None else v for v in values],
                                   dtype="float64")
        elif kind == "boolean":
            data[name] = pd.Series([bool(v) for v in values], dtype="bool")
        else:
            data[name] = pd.Series(values, dtype="object")
    return pd.DataFrame(data)


_SCHEMAS = {"entities": ENTITY_SCHEMA, "events": EVENT_SCHEMA, "claims": CLAIM_SCHEMA}
# Columns whose model field has another name, and list fields stored as JSON text.
_RENAMED = {"event_date": "date"}
_JSON_LISTS = {"context", "reported_by", "claimed_by", "relayed_by", "aliases"}


def flatten(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The rows of one ``Document.to_dict()`` for the ``entities``/``events``/``claims`` table."""
    if kind not in _SCHEMAS:
        raise ValueError(f"unknown table {kind!r}")
    base = {
        "content_hash": doc["content_hash"],
        "date": partition_date(doc.get("published")),
        "source": doc["source"],
    }
    rows: list[dict[str, Any]] = []
    for item in doc[kind]:
        loc = item.get("location") or {}
        derived = {
            "location": loc.get("name"),
            "country": loc.get("country"),
            "n_mentions": len(item.get("mentions") or []),
        }
        row: dict[str, Any] = {}
        for col in _columns(_SCHEMAS[kind]):
            if col in base:
                row[col] = base[col]
            elif col in derived:
                row[col] = derived[col]
            elif col in _JSON_LISTS:
                row[col] = json.dumps(item.get(col) or [], ensure_ascii=False)
            else:
                row[col] = item.get(_RENAMED.get(col, col))
        rows.append(row)
    return rows


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Local directories become the files under them (recursively); other paths pass through."""
    out: list[str] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            out.extend(str(p.resolve()) for p in sorted(path.rglob("*")) if p.is_file())
        elif path.exists():
            out.append(str(path.resolve()))
        else:  # hdfs://, s3a://, globs: Spark resolves them
            out.append(item)
    return out


def spark_session(master: str | None, app_name: str = "chronicle") -> Any:
    """A SparkSession. ``master=None`` takes the master from ``spark-submit``; local masters are
    pinned to this interpreter and to 127.0.0.1."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.ui.enabled", "false"
        )
    return (
        builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )


def run_spark(
    inputs: Sequence[str],
    output: str | Path,
    master: str | None = "local[2]",
    partitions: int | None = None,
) -> dict[str, int]:
    """Run clean + extract over ``inputs`` on Spark; write Parquet under ``output``.

    Returns row counts per table (and ``errors``: input files no reader could take).
    """
    files = expand_inputs(inputs)
    if not files:
        raise ValueError("no input files")
    spark = spark_session(master)
    try:
        sc = spark.sparkContext
        n = partitions or max(sc.defaultParallelism, 1)
        raw = sc.binaryFiles(",".join(files), minPartitions=n).toDF(["path", "content"])
        raw = raw.repartition(n)
        docs = raw.mapInPandas(process_files, DOC_SCHEMA).cache()
        out = str(output)
        good = docs.filter("error IS NULL")
        good.write.mode("overwrite").partitionBy("date").parquet(f"{out}/documents")
        counts = {"documents": good.count(), "errors": docs.filter("error IS NOT NULL").count()}
        for kind, schema in _SCHEMAS.items():
            table = good.select("doc_json").mapInPandas(
                lambda b, k=kind: _explode(b, k), schema
            ).cache()
            table.write.mode("overwrite").partitionBy("date").parquet(f"{out}/{kind}")
            counts[kind] = table.count()
        for err in docs.filter("error IS NOT NULL").select("error").collect():
            print(err["error"], file=sys.stderr)
        return counts
    finally:
        spark.stop()


def read_documents(directory: str | Path) -> Iterator[Any]:
    """The Documents of a ``chronicle spark`` output directory (for ``chronicle load``)."""
    import pyarrow.parquet as pq

    from chronicle.model import Document

    table = pq.read_table(Path(directory) / "documents", columns=["doc_json"])
    for doc_json in table.column("doc_json").to_pylist():
        yield Document.from_dict(json.loads(doc_json))
