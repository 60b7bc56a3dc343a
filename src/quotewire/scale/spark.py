"""The same pipeline as a PySpark job over WARC archives (the cc-pyspark convention).

Input is a text file listing WARC paths or URLs, one a line. Each partition processes whole
WARC files with ``mapPartitions`` and loads the spaCy model once; every record goes through
the very functions a local ingest uses (``sources.read_sources``, ``pipeline.annotate_many``).
Output is Parquet: ``articles``, ``attributions`` and ``speakers`` partitioned by publication
month (hive-style ``month=YYYY-MM`` folders, written by each partition with pyarrow, so rows
never cross into the JVM), ``failures`` (file, record, reason) and ``workers`` (time and peak
memory per partition); processed, failed and statement counts are accumulators.
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

TABLES = ("articles", "attributions", "speakers", "failures", "workers")
MONTHLY = ("articles", "attributions", "speakers")


def _month(published: str | None) -> str:
    return published[:7] if published and len(published) >= 7 else "unknown"


def article_rows(article) -> Iterator[tuple[str, dict[str, Any]]]:
    """An annotated Article as rows of the output tables (the shape `load` reads back)."""
    month = _month(article.published)
    yield "articles", {
        "id": article.id, "url": article.url, "outlet": article.outlet, "title": article.title,
        "standfirst": article.standfirst, "published": article.published, "place": article.place,
        "agency": article.agency, "authors": json.dumps(list(article.authors)), "language": article.language,
        "text": article.text, "sections": json.dumps([s.to_list() for s in article.sections]),
        "provenance": json.dumps(article.provenance, default=str), "month": month,
    }
    seen: set[str] = set()
    for seq, a in enumerate(article.attributions):
        yield "attributions", {
            "article_id": article.id, "seq": seq, "kind": a.kind,
            "content": json.dumps([s.to_list() for s in a.content]), "cue": json.dumps([s.to_list() for s in a.cue]),
            "source": json.dumps([s.to_list() for s in a.source]) if a.source else None,
            "speaker": a.speaker.name if a.speaker else None, "speaker_kind": a.speaker.kind if a.speaker else None,
            "confidence": float(a.confidence), "rule": a.rule, "content_text": a.content_text(article.text), "month": month,
        }
        if a.speaker and a.speaker.name not in seen:
            seen.add(a.speaker.name)
            yield "speakers", {
                "article_id": article.id, "name": a.speaker.name, "kind": a.speaker.kind,
                "aliases": json.dumps(list(a.speaker.aliases)), "roles": json.dumps(list(a.speaker.roles)), "month": month,
            }


def process_paths(paths: Iterable[str], settings=None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every row of the output for some WARC paths: the per-partition function."""
    import time

    from ..pipeline import annotate_many
    from ..settings import Settings
    from ..sources import ReadError, read_sources
    from ..store.ingest import check_article

    settings = settings or Settings.from_env(processes=1)
    started = time.perf_counter()
    n_articles = n_words = 0
    for path in paths:
        def checked() -> Iterator:
            for item in read_sources([path]):
                if isinstance(item, ReadError):
                    yield item
                    continue
                problem = check_article(item, str(item.provenance.get("record") or path))
                yield problem if problem is not None else item

        for item in annotate_many(checked(), settings):
            if isinstance(item, ReadError):
                yield "failures", {"file": path, "where": item.where, "record": int(item.line or 0), "reason": item.message}
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
    """The Parquet schema of each table (month is the folder, not a column)."""
    import pyarrow as pa

    s, i, f = pa.string(), pa.int64(), pa.float64()
    return {
        "articles": pa.schema([(c, s) for c in ("id", "url", "outlet", "title", "standfirst", "published", "place", "agency",
                                                 "authors", "language", "text", "sections", "provenance")]),
        "attributions": pa.schema([("article_id", s), ("seq", i), ("kind", s), ("content", s), ("cue", s), ("source", s),
                                   ("speaker", s), ("speaker_kind", s), ("confidence", f), ("rule", s), ("content_text", s)]),
        "speakers": pa.schema([(c, s) for c in ("article_id", "name", "kind", "aliases", "roles")]),
        "failures": pa.schema([("file", s), ("where", s), ("record", i), ("reason", s)]),
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
