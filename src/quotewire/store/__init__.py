"""The store: articles and statements in one SQLite file, searchable and exportable.

``connect`` opens (and migrates) a database; ``ingest`` fills it; ``queries`` reads it;
``export`` writes it out. Commands and pages call these, never raw SQL of their own.
"""
from __future__ import annotations

from .ingest import IngestReport, StoreWriter, ingest, speaker_key
from .schema import SCHEMA_VERSION, connect, db_path

__all__ = ["IngestReport", "SCHEMA_VERSION", "StoreWriter", "connect", "db_path", "ingest", "speaker_key"]
