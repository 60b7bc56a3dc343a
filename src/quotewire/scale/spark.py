"""The same pipeline as a PySpark job over WARC archives (the cc-pyspark convention).

Input is a text file listing WARC paths or URLs, one a line. Each partition processes whole
WARC files with ``mapPartitions`` and loads the spaCy model once; every record goes through
the very pipeline a local ingest uses (``pipeline.process``) and leaves as the rows of the
one codec (``rows.py``). Output is Parquet: ``articles`` and ``attributions`` (each with its
speaker, aliases and roles) partitioned by publication month (hive-style ``month=YYYY-MM``
folders, written by each partition with pyarrow, so rows never cross into the JVM),
``failures`` (file, record, reason, stage) and ``workers`` (time and peak memory per
partition); processed, failed and statement counts are accumulators. No SQLite here.
``quotewire load OUT_DIR`` brings the result into a SQLite store.

Run it with ``quotewire spark LIST OUT --master local[2]`` or, on a cluster where quotewire is
installed on every node, ``spark-submit src/quotewire/scale/spark.py LIST OUT``.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
from typing import Any, Iterable, Iterator

TABLES = ("articles", "attributions", "failures", "workers")
MONTHLY = ("articles", "attributions")


def _month(published: str | None) -> str:
    return published[:7] if published and len(published) >= 7 else "unknown"


def article_rows(article) -> Iterator[tuple[str, dict[str, Any]]]:
    """An annotated Article as rows of the output tables (the codec's rows, plus the month)."""
    from ..rows import to_rows

    month = _month(article.published)
    row, attributions = to_rows(article)
    yield "articles", {**row, "month": month}
    for r in attributions:
        yield "attributions", {**r, "month": month}


def process_paths(paths: Iterable[str], settings=None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every row of the output for some WARC paths: the per-partition function."""
    import time

    from ..model import Failure
    from ..pipeline import process
    from ..rows import failure_row
    from ..settings import Settings

    settings = settings or Settings.from_env(processes=1)
    started = time.perf_counter()
    n_articles = n_words = 0
    for path in paths:
        for item in process([path], settings):
            if isinstance(item, Failure):
                yield "failures", failure_row(item, path)
            else:
                n_articles += 1
                n_words += len(item.text.split())
                yield from article_rows(item)
    yield "workers", {
        "articles": n_articles, "words": n_words, "seconds": time.perf_counter() - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


def write_partition(rows: Iterable[tuple[str, dict[str, Any]]], out_dir: str, part: str) -> dict[str, int]:
    """Write one partition's rows as Parquet files, table by table and month by month
    (hive-style folders, as Spark's partitionBy would): no round trip through the JVM."""
    import pathlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    grouped: dict[tuple[str, str | None], list[dict]] = {}
    counts: dict[str, int] = {t: 0 for t in TABLES}
    for table, row in rows:
        month = row.pop("month", None) if table in MONTHLY else None
        grouped.setdefault((table, month), []).append(row)
        counts[table] += 1
    schemas = schemas_of()
    for (table, month), items in grouped.items():
        folder = pathlib.Path(out_dir) / table / (f"month={month}" if month else "")
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(items, schema=schemas[table]), folder / f"part-{part}.parquet")
    return counts


def schemas_of() -> dict[str, Any]:
    """The Parquet schema of each table (month is the folder, not a column): the codec's."""
    import pyarrow as pa

    from ..rows import parquet_schema

    i, f = pa.int64(), pa.float64()
    return {
        "articles": parquet_schema("articles"), "attributions": parquet_schema("attributions"),
        "failures": parquet_schema("failures"),
        "workers": pa.schema([("articles", i), ("words", i), ("seconds", f), ("peak_rss_mb", f)]),
    }


def run(input_list: str, out_dir: str, master: str | None = None, partitions: int | None = None) -> dict[str, Any]:
    """Run the job; returns the counts (processed, failed, statements) and the rows written."""
    import pathlib
    import shutil

    from pyspark.sql import SparkSession

    paths = [line.strip() for line in open(input_list, encoding="utf-8") if line.strip() and not line.startswith("#")]
    out = pathlib.Path(out_dir)
    for table in TABLES:  # a rerun replaces the tables, as mode("overwrite") would
        shutil.rmtree(out / table, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.appName("quotewire")
    if master:
        builder = builder.master(master)
    builder = builder.config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    processed, failed, statements = sc.accumulator(0), sc.accumulator(0), sc.accumulator(0)
    target = str(out.resolve())

    def partition(index: int, items: Iterable[str]) -> Iterator[dict[str, int]]:
        counts = write_partition(process_paths(items), target, f"{index:05d}")
        processed.add(counts["articles"])
        failed.add(counts["failures"])
        statements.add(counts["attributions"])
        yield counts

    per_partition = sc.parallelize(paths, partitions or max(1, len(paths))).mapPartitionsWithIndex(partition).collect()
    written = {t: sum(c[t] for c in per_partition) for t in TABLES}
    result = {"inputs": len(paths), "processed": processed.value, "failed": failed.value,
              "statements": statements.value, "tables": written}
    (out / "_quotewire.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    spark.stop()
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="quotewire over WARC archives on Spark")
    ap.add_argument("input_list", help="a text file listing WARC paths or URLs, one a line")
    ap.add_argument("out_dir")
    ap.add_argument("--master", default=None, help="local[2], spark://host:7077 ... (spark-submit sets it)")
    ap.add_argument("--partitions", type=int, default=None)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.input_list, args.out_dir, args.master, args.partitions), indent=2))


if __name__ == "__main__":
    # under spark-submit this file runs as __main__: call the installed module, so that the
    # functions shipped to the executors are quotewire's own and import there by name
    from quotewire.scale.spark import main as _main

    _main(sys.argv[1:])
