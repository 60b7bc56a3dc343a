"""Bring the Spark job's Parquet output into a SQLite store, as if it had been ingested here:
the same writer (idempotent, batch by batch), speakers merged across partitions by the same
identity rules, then events placed."""
from __future__ import annotations

import pathlib
import sqlite3
from collections import defaultdict
from typing import Iterator

from ..batching import chunks
from ..errors import QuotewireError
from ..model import Article, Failure
from ..rows import failure_from_row, from_rows
from ..settings import Settings


def _table(out_dir: pathlib.Path, name: str) -> list[dict]:
    import pyarrow.dataset as ds

    path = out_dir / name
    if not path.exists():
        return []
    return ds.dataset(str(path), format="parquet", partitioning="hive").to_table().to_pylist()


def articles_from(out_dir: str | pathlib.Path) -> Iterator[Article]:
    out = pathlib.Path(out_dir)
    if not (out / "articles").exists() and not (out / "_quotewire.json").exists():
        raise QuotewireError("Q065", path=str(out))
    atts: dict[str, list[dict]] = defaultdict(list)
    for r in _table(out, "attributions"):
        atts[r["article_id"]].append(r)
    for r in _table(out, "articles"):
        yield from_rows(r, atts.get(r["id"], []))


def failures_from(out_dir: str | pathlib.Path) -> list[Failure]:
    return [failure_from_row(r) for r in _table(pathlib.Path(out_dir), "failures")]


def load(out_dir: str | pathlib.Path, conn: sqlite3.Connection, settings: Settings | None = None) -> "IngestReport":
    from .. import coverage
    from ..ingest import IngestReport, writer_for
    from ..store.events import EventStore

    settings = settings or Settings()
    report = IngestReport()
    writer = writer_for(conn)
    for batch in chunks(articles_from(out_dir), settings.load_batch):
        report.read += len(batch)
        writer.write(batch, report)
    report.failures.extend(failures_from(out_dir))
    coverage.update(EventStore(conn), embeddings=settings.embeddings)
    return report
