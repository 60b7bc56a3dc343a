"""The ingest use case: inputs through the pipeline, into the store, then into coverage.

``pipeline.process`` reads, checks, parses and extracts (skipping what the store holds
unchanged before any parsing); ``StoreWriter`` keeps each batch in one transaction; the
articles a batch wrote are placed into events. Rerunning after a kill does what is left.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from typing import Callable, Iterable, TypeVar

from . import coverage
from .batching import chunks
from .errors import QuotewireError, reason_of
from .model import Article, Failure
from .pipeline import process
from .settings import Settings
from .store.events import EventStore
from .store.writer import IngestReport, StoreWriter


T = TypeVar("T")


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def patiently(conn: sqlite3.Connection, report: IngestReport, settings: Settings, work: Callable[[], T]) -> T:
    """``work()`` (one transaction) once the store is free: while another writer holds it, wait
    and try again, up to ``settings.busy_seconds`` in all; then stop with a clear line. The
    transaction rolled back each time, so the report is put back as it was before it."""
    started = time.monotonic()
    delay = 0.2
    kept = replace(report, failures=list(report.failures), warnings=list(report.warnings))
    while True:
        try:
            return work()
        except Exception as exc:
            report.__dict__.update(replace(kept, failures=list(kept.failures), warnings=list(kept.warnings)).__dict__)
            if not (isinstance(exc, sqlite3.OperationalError) and _busy(exc)):
                raise
            waited = time.monotonic() - started
            if waited >= settings.busy_seconds:
                db = conn.execute("PRAGMA database_list").fetchone()[2]
                raise QuotewireError("Q078", db=db, seconds=round(waited)) from None
            time.sleep(min(delay, max(0.0, settings.busy_seconds - waited)))
            delay = min(delay * 2, 5.0)


def _write(conn: sqlite3.Connection, writer: StoreWriter, articles: list[Article], report: IngestReport, settings: Settings) -> list[str]:
    """One batch in one transaction; if it raises (a bug, not a busy store), each article in
    its own, so that one cannot take the others down: that one is a Failure line."""
    try:
        return patiently(conn, report, settings, lambda: writer.write(articles, report))
    except QuotewireError:
        raise
    except Exception:  # noqa: BLE001 - retried one by one below
        pass
    written: list[str] = []
    for article in articles:
        try:
            written += patiently(conn, report, settings, lambda: writer.write([article], report))
        except QuotewireError:
            raise
        except Exception as exc:  # noqa: BLE001 - this article is one line, the run goes on
            where = article.where
            reason = reason_of(exc)
            report.failures.append(Failure(where, 0, QuotewireError("Q076", where=where, reason=reason), article.id, "store"))
    return written


def writer_for(conn: sqlite3.Connection) -> StoreWriter:
    """The store's writer, keeping the term frequencies coverage groups events by."""
    return StoreWriter(conn, terms=coverage.terms)


def ingest(inputs: Iterable[str], conn: sqlite3.Connection, settings: Settings | None = None, max_bytes: int | None = None,
           batch_size: int | None = None, on_progress=None, with_events: bool = True) -> IngestReport:
    """Read every input, skip what is stored unchanged, extract the rest, write batch by batch."""
    settings = (settings or Settings.from_env()).checked()
    if max_bytes:
        settings = replace(settings, max_bytes=max_bytes)
    writer = writer_for(conn)
    events = EventStore(conn)
    report = IngestReport()

    def keep(article: Article) -> bool:
        report.read += 1
        if writer.unchanged(article):
            report.unchanged += 1
            if on_progress:
                on_progress(report)
            return False
        return True

    if with_events:  # what a killed run stored but did not place
        patiently(conn, report, settings, lambda: coverage.update(events, embeddings=settings.embeddings))
    # each batch is its own transaction (the write lock held for one batch at a time)
    for batch in chunks(process(inputs, settings, keep=keep), batch_size or settings.write_batch):
        report.failures.extend(x for x in batch if isinstance(x, Failure))
        articles = [x for x in batch if isinstance(x, Article)]
        written = _write(conn, writer, articles, report, settings)
        if with_events and written:
            report.events_touched += len(patiently(conn, report, settings, lambda: coverage.update(events, written, settings.embeddings)))
        if on_progress:
            on_progress(report)
    return report


__all__ = ["IngestReport", "ingest", "writer_for"]
