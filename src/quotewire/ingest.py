"""The ingest use case: inputs through the pipeline, into the store, then into coverage.

``pipeline.process`` reads, checks, parses and extracts (skipping what the store holds
unchanged before any parsing); ``StoreWriter`` keeps each batch in one transaction; the
articles a batch wrote are placed into events. Rerunning after a kill does what is left.
"""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Iterable

from . import coverage
from .batching import chunks
from .model import Article, Failure
from .pipeline import process
from .settings import Settings
from .store.events import EventStore
from .store.writer import IngestReport, StoreWriter


def writer_for(conn: sqlite3.Connection) -> StoreWriter:
    """The store's writer, keeping the term frequencies coverage groups events by."""
    return StoreWriter(conn, terms=coverage.terms)


def ingest(inputs: Iterable[str], conn: sqlite3.Connection, settings: Settings | None = None, max_bytes: int | None = None,
           batch_size: int | None = None, on_progress=None, with_events: bool = True) -> IngestReport:
    """Read every input, skip what is stored unchanged, extract the rest, write batch by batch."""
    settings = settings or Settings.from_env()
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

    if with_events:
        coverage.update(events, embeddings=settings.embeddings)  # what a killed run stored but did not place
    for batch in chunks(process(inputs, settings, keep=keep), batch_size or settings.write_batch):
        report.failures.extend(x for x in batch if isinstance(x, Failure))
        written = writer.write([x for x in batch if isinstance(x, Article)], report)
        if with_events and written:
            report.events_touched += len(coverage.update(events, written, settings.embeddings))
        if on_progress:
            on_progress(report)
    return report


__all__ = ["IngestReport", "ingest", "writer_for"]
