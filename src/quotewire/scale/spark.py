"""The same pipeline as a PySpark job over WARC archives (the cc-pyspark convention).

Input is a text file listing WARC paths or URLs, one a line. Each partition processes whole
WARC files with ``mapPartitions`` and loads the spaCy model once; every record goes through
the very functions a local ingest uses (``sources.read_sources``, ``pipeline.annotate_many``).
Output is Parquet: ``articles``, ``attributions`` and ``speakers`` partitioned by publication
month, and ``failures`` (file, record, reason), counted with accumulators and never dropped.
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


def run(input_list: str, out_dir: str, master: str | None = None, partitions: int | None = None) -> dict[str, Any]:
    """Run the job; returns the counts (processed, failed, statements) and the tables written."""
    from pyspark.sql import SparkSession

    paths = [line.strip() for line in open(input_list, encoding="utf-8") if line.strip() and not line.startswith("#")]
    builder = SparkSession.builder.appName("quotewire")
    if master:
        builder = builder.master(master)
    builder = builder.config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    processed, failed, statements = sc.accumulator(0), sc.accumulator(0), sc.accumulator(0)

    def partition(items: Iterable[str]) -> Iterator[tuple[str, dict]]:
        for table, row in process_paths(items):
            if table == "articles":
                processed.add(1)
            elif table == "failures":
                failed.add(1)
            elif table == "attributions":
                statements.add(1)
            yield table, row

    rdd = sc.parallelize(paths, partitions or max(1, len(paths))).mapPartitions(partition).cache()
    rdd.count()  # every partition computed once and cached, so the accumulators count once
    written = {}
    for table in TABLES:
        rows = rdd.filter(lambda tr, t=table: tr[0] == t).map(lambda tr: tr[1])
        if rows.isEmpty():
            written[table] = 0
            continue
        df = spark.createDataFrame(rows.map(lambda d: _as_row(d)), samplingRatio=1.0)
        writer = df.write.mode("overwrite")
        if "month" in df.columns:
            writer = writer.partitionBy("month")
        writer.parquet(f"{out_dir}/{table}")
        written[table] = df.count()
    result = {"inputs": len(paths), "processed": processed.value, "failed": failed.value,
              "statements": statements.value, "tables": written}
    with open(f"{out_dir}/_quotewire.json", "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)
    rdd.unpersist()
    spark.stop()
    return result


def _as_row(d: dict):
    from pyspark.sql import Row

    return Row(**d)


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
