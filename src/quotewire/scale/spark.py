"""The same pipeline as a PySpark job over WARC archives (the cc-pyspark convention).

Input is a text file listing WARC paths or URLs, one a line. Each partition processes whole
WARC files with ``mapPartitions`` and loads the spaCy model once; every record goes through
the very pipeline a local ingest uses (``pipeline.process``) and leaves as the rows of the
one codec (``rows.py``). Output is Parquet: ``articles`` and ``attributions`` (each with its
speaker, aliases and roles) partitioned by publication month (hive-style ``month=YYYY-MM``
folders), ``failures`` (file, record, reason, stage) and ``workers`` (time and peak memory per
input). Each input's rows are written by the task that read it, with pyarrow (so rows never
cross into the JVM), as ``part-KEY.parquet`` files named after the input, then a marker
``_done/KEY.json``: a rerun skips every input with a marker and rewrites the rest, so a killed
job resumes. OUT_DIR is a local folder or any URI pyarrow writes (``s3://``, ``hdfs://``, ``gs://``)
that every executor can reach. Processed, failed and statement counts are accumulators. No
SQLite here: ``quotewire load OUT_DIR`` brings the result into a store.

Local mode (``quotewire spark LIST OUT --master local[2]``) runs Python workers on the very
interpreter that started the job (a virtual environment's). On a cluster, the executors need
quotewire and its dependencies: ship quotewire as a zip (``--py-files auto``, Spark's
``spark.submit.pyFiles``) to nodes that have the rest, or a packed environment
(``--archive env.tar.gz``, Spark's ``spark.archives``); or run
``spark-submit --archives env.tar.gz#environment src/quotewire/scale/spark.py LIST OUT``.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
from typing import Any, Iterable, Iterator

TABLES = ("articles", "attributions", "failures", "workers")
DONE = "_done"  # one marker an input whose output is complete (a leading _ keeps readers out)
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


def output_fs(out_dir: str):
    """(pyarrow filesystem, root path) of OUT_DIR: a local folder, or any URI pyarrow can
    write (``s3://bucket/prefix``, ``hdfs://host/path``, ``gs://``, ``file://``)."""
    import os

    from pyarrow import fs

    if "://" not in out_dir:
        return fs.LocalFileSystem(), os.path.abspath(out_dir)
    return fs.FileSystem.from_uri(out_dir)


def input_key(path: str) -> str:
    """The name of one input's files in every table: stable across runs, so a rerun rewrites
    the files of an input it had not finished instead of adding a second copy."""
    import hashlib

    return hashlib.sha1(path.encode("utf-8")).hexdigest()[:20]


def write_input(rows: Iterable[tuple[str, dict[str, Any]]], out_dir: str, path: str) -> dict[str, int]:
    """Write one input's rows as Parquet files, table by table and month by month (hive-style
    folders, as Spark's partitionBy would; no round trip through the JVM), then its marker
    ``_done/KEY.json``: an input with a marker is complete, and a rerun skips it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    filesystem, root = output_fs(out_dir)
    key = input_key(path)
    grouped: dict[tuple[str, str | None], list[dict]] = {}
    counts: dict[str, int] = {t: 0 for t in TABLES}
    for table, row in rows:
        month = row.pop("month", None) if table in MONTHLY else None
        grouped.setdefault((table, month), []).append(row)
        counts[table] += 1
    schemas = schemas_of()
    for (table, month), items in grouped.items():
        folder = f"{root}/{table}" + (f"/month={month}" if month else "")
        filesystem.create_dir(folder, recursive=True)
        pq.write_table(pa.Table.from_pylist(items, schema=schemas[table]), f"{folder}/part-{key}.parquet", filesystem=filesystem)
    filesystem.create_dir(f"{root}/{DONE}", recursive=True)
    with filesystem.open_output_stream(f"{root}/{DONE}/{key}.json") as marker:
        marker.write(json.dumps({"input": path, "counts": counts}).encode("utf-8"))
    return counts


def markers(out_dir: str) -> dict[str, dict[str, Any]]:
    """The inputs OUT_DIR holds complete: input path -> its counts."""
    from pyarrow import fs

    filesystem, root = output_fs(out_dir)
    found = filesystem.get_file_info(fs.FileSelector(f"{root}/{DONE}", allow_not_found=True))
    done = {}
    for info in found:
        if info.type == fs.FileType.File and info.path.endswith(".json"):
            with filesystem.open_input_stream(info.path) as stream:
                record = json.loads(stream.read().decode("utf-8"))
            done[record["input"]] = record["counts"]
    return done


def package_zip(dest: str) -> str:
    """quotewire itself as a zip (code and its data files), for ``spark.submit.pyFiles``:
    executors put it on their path, as Spark documents for Python dependencies."""
    import os
    import zipfile

    import quotewire

    base = os.path.dirname(os.path.abspath(quotewire.__file__))
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for folder, dirs, files in os.walk(base):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if not name.endswith((".pyc", ".pyo")):
                    full = os.path.join(folder, name)
                    zf.write(full, os.path.join("quotewire", os.path.relpath(full, base)))
    return dest


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


def run(input_list: str, out_dir: str, master: str | None = None, partitions: int | None = None,
        py_files: str | None = None, archive: str | None = None) -> dict[str, Any]:
    """Run the job; returns the counts (processed, failed, statements) and the rows written.

    Inputs with a complete output in OUT_DIR (a marker) are skipped: a rerun does what is left.
    ``py_files``: a zip of quotewire to ship to the executors (``"auto"`` builds it from the
    running package). ``archive``: a packed environment (``venv-pack``/``conda-pack``) that the
    executors unpack as ``./environment`` and run Python from.
    """
    import os
    import tempfile

    from ..errors import QuotewireError
    from ..settings import Settings

    # the settings the executors will read, checked in the driver before Spark starts: an unknown
    # extractor or a broken tagger model is one error (Q040, Q080, Q081), not a failure per article
    Settings.from_env(processes=1).checked()
    from pyspark.sql import SparkSession

    paths = [line.strip() for line in open(input_list, encoding="utf-8") if line.strip() and not line.startswith("#")]
    filesystem, root = output_fs(out_dir)
    done = markers(out_dir)
    if not done and any(filesystem.get_file_info(f"{root}/{t}").type.name == "Directory" for t in TABLES):
        raise QuotewireError("Q068", path=out_dir)
    todo = [p for p in dict.fromkeys(paths) if p not in done]
    filesystem.create_dir(root, recursive=True)
    target = out_dir if "://" in out_dir else root
    builder = SparkSession.builder.appName("quotewire")
    if master:
        builder = builder.master(master)
    builder = builder.config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
    saved = os.environ.get("PYSPARK_PYTHON")
    if archive:
        # the executors run the packed environment's Python (Spark's documented spark.archives way)
        builder = builder.config("spark.archives", archive if "#" in archive else f"{archive}#environment")
        os.environ["PYSPARK_PYTHON"] = "./environment/bin/python"
    elif master and master.startswith("local") and not saved:
        # local workers run this very interpreter (a venv's): python3 on PATH may not have quotewire
        os.environ["PYSPARK_PYTHON"] = sys.executable
        builder = builder.config("spark.pyspark.python", sys.executable)
    try:
        spark = builder.getOrCreate()
    finally:
        if saved is None:
            os.environ.pop("PYSPARK_PYTHON", None)
        else:
            os.environ["PYSPARK_PYTHON"] = saved
    sc = spark.sparkContext
    if py_files:
        sc.addPyFile(package_zip(os.path.join(tempfile.mkdtemp(prefix="quotewire-"), "quotewire.zip")) if py_files == "auto" else py_files)
    processed, failed, statements = sc.accumulator(0), sc.accumulator(0), sc.accumulator(0)

    def partition(items: Iterable[str]) -> Iterator[dict[str, int]]:
        for path in items:
            counts = write_input(process_paths([path]), target, path)
            processed.add(counts["articles"])
            failed.add(counts["failures"])
            statements.add(counts["attributions"])
            yield counts

    if todo:
        sc.parallelize(todo, partitions or len(todo)).mapPartitions(partition).collect()
    complete = markers(out_dir)
    written = {t: sum(c[t] for c in complete.values()) for t in TABLES}
    result = {"inputs": len(paths), "skipped": len(paths) - len(todo), "processed": processed.value, "failed": failed.value,
              "statements": statements.value, "tables": written}
    with filesystem.open_output_stream(f"{root}/_quotewire.json") as meta:
        meta.write(json.dumps(result, indent=2).encode("utf-8"))
    spark.stop()
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="quotewire over WARC archives on Spark")
    ap.add_argument("input_list", help="a text file listing WARC paths or URLs, one a line")
    ap.add_argument("out_dir")
    ap.add_argument("--master", default=None, help="local[2], spark://host:7077 ... (spark-submit sets it)")
    ap.add_argument("--partitions", type=int, default=None)
    ap.add_argument("--py-files", default=None, help="a zip of quotewire for the executors ('auto': built from this one)")
    ap.add_argument("--archive", default=None, help="a packed environment (venv-pack) the executors run Python from")
    args = ap.parse_args(argv)
    from ..errors import QuotewireError, exit_status

    try:
        result = run(args.input_list, args.out_dir, args.master, args.partitions, args.py_files, args.archive)
    except QuotewireError as exc:  # one line and the CLI's exit status (2 for a broken model), as `quotewire spark` gives
        sys.stderr.write(f"error {' '.join(str(exc).split())}\n")
        raise SystemExit(exit_status(exc.code)) from None
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    # under spark-submit this file runs as __main__: call the installed module, so that the
    # functions shipped to the executors are quotewire's own and import there by name
    from quotewire.scale.spark import main as _main

    _main(sys.argv[1:])
