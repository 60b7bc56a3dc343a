"""The store: articles and statements in one SQLite file, searchable and exportable.

It keeps and reads, nothing more: ``connect`` opens (and migrates) a database; ``writer``
writes it; ``queries`` and ``events`` read it (``events`` also keeps coverage's tables);
``export`` writes it out. Commands and pages call these, never raw SQL of their own. Filling
it is the use case ``quotewire.ingest``.
"""
from __future__ import annotations

from .schema import SCHEMA_VERSION, connect, db_path
from .writer import IngestReport, StoreWriter, speaker_key

__all__ = ["IngestReport", "SCHEMA_VERSION", "StoreWriter", "connect", "db_path", "speaker_key"]
