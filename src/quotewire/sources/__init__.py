"""Readers: one a format, each yielding Articles (or a ReadError that says what failed where).

Issue #2 brings plain text and JSON Lines; HTML, WARC, folders and URLs come with ingest.
"""
from __future__ import annotations

from .jsonl import ReadError, read_jsonl
from .text import decode_text, read_text_file

__all__ = ["ReadError", "decode_text", "read_jsonl", "read_text_file"]
